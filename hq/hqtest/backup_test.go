package hqtest_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/hq/hqtest"
	"checkout/hq/server"
)

// The README's backup lines, run as they are written: a dump of a head office's database (one of its
// own, so no other test's schema comes and goes under the dump), restored into a new database, holds what
// the head office held.
func TestBackupRestores(t *testing.T) {
	hqtest.PostgresURL(t) // skips without PostgreSQL
	ctx := context.Background()
	u, _ := url.Parse(os.Getenv("CHECKOUT_TEST_PG"))
	name := "checkout_backup_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	restored := name + "_restored"
	base, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close(ctx)
	if _, err := base.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		base.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name)
		base.Exec(context.Background(), "DROP DATABASE IF EXISTS "+restored)
	})
	db := *u
	db.Path = "/" + name
	srv, err := server.Open(ctx, db.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, shop := range []string{"north", "south"} {
		if err := srv.AddShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
	}
	srv.Close()
	_, here, _, _ := runtime.Caller(0)
	readme, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(readme), "**Backups.**")
	_, block, _ := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	if !strings.Contains(block, "pg_dump") || !strings.Contains(block, "pg_restore") {
		t.Fatalf("the README's backup block:\n%s", block)
	}
	bin := postgresBin(t)
	block = strings.ReplaceAll(block, "checkout_hq_restored", restored)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", block)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "CHECKOUT_HQ_DB="+db.String(),
		"PGHOST="+u.Hostname(), "PGPORT="+u.Port(), "PGUSER="+u.User.Username())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s\n%v\n%s", block, err, out)
	}
	back := *u
	back.Path = "/" + restored
	conn, err := pgx.Connect(ctx, back.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var shops int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM shops WHERE code IN ('north', 'south')`).Scan(&shops); err != nil || shops != 2 {
		t.Fatalf("the restored head office has %d shops, %v", shops, err)
	}
}

// postgresBin is the folder of PostgreSQL's programs (pg_dump, createdb, pg_restore).
func postgresBin(t *testing.T) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if len(dirs) == 0 {
		t.Skip("no PostgreSQL programs")
	}
	return dirs[len(dirs)-1]
}
