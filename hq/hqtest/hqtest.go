// Package hqtest gives tests a real PostgreSQL database of their own: a fresh schema in the database
// named by CHECKOUT_TEST_PG (set by .ci/with-postgres), dropped when the test ends.
package hqtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresURL returns the URL of an empty schema for t. Without CHECKOUT_TEST_PG the test is skipped,
// unless CI is set: there a skipped PostgreSQL test would hide a broken set-up, so it fails.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("CHECKOUT_TEST_PG")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CHECKOUT_TEST_PG is not set: in CI the PostgreSQL tests must run (see .ci/with-postgres)")
		}
		noteSkipped(t)
		t.Skip("CHECKOUT_TEST_PG is not set: skipping the PostgreSQL test (run it with: .ci/with-postgres go test ./hq/...)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("CHECKOUT_TEST_PG: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx passes unknown URL parameters to the server as settings
	u.RawQuery = q.Encode()
	return u.String()
}

// noteSkipped appends t's name to the file $CHECKOUT_SKIPPED_LOG names, when it names one: make test counts
// the lines and says how many head-office tests it skipped, which go test says only with -v.
func noteSkipped(t testing.TB) {
	path := os.Getenv("CHECKOUT_SKIPPED_LOG")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Logf("note the skip: %v", err)
		return
	}
	defer f.Close()
	fmt.Fprintln(f, t.Name()) // one small write: appends from the test binaries running at once do not mix
}
