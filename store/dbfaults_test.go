package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"checkout/app"
)

// payCola puts a cola in co's cart and pays it in cash, ready to Complete.
func payCola(t *testing.T, co *app.Checkout) {
	t.Helper()
	if _, err := co.Scan(context.Background(), "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
}

// A database file deleted or replaced under the running till: the sale is refused, never written into a
// file that is gone, and stays in the checkout.
func TestDeletedDatabaseRefusesTheSale(t *testing.T) {
	for _, how := range []string{"deleted", "replaced"} {
		t.Run(how, func(t *testing.T) {
			s, path := openTestStore(t)
			sellCash(t, s, "5449000000996")
			co := newCheckout(t, s)
			payCola(t, co)
			switch how {
			case "deleted":
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			case "replaced":
				other := filepath.Join(t.TempDir(), "other.db")
				if err := os.WriteFile(other, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(other, path); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := co.Complete(context.Background()); !errors.Is(err, app.ErrDatabaseGone) {
				t.Fatalf("completing after the file was %s = %v", how, err)
			}
			if len(co.Lines()) != 1 || len(co.Tenders()) != 1 {
				t.Error("the refused sale left the checkout")
			}
		})
	}
}

// Another program holding the database's write lock: the sale waits the busy timeout, then is refused
// with a clear error and kept; once the lock is gone the same sale completes.
func TestLockedDatabaseKeepsTheSaleToRetry(t *testing.T) {
	if testing.Short() {
		t.Skip("waits the 5-second busy timeout")
	}
	s, path := openTestStore(t)
	ctx := context.Background()
	co := newCheckout(t, s)
	payCola(t, co)
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil { // the write lock, as sqlite3 would take it
		t.Fatal(err)
	}
	_, err = co.Complete(ctx)
	if !errors.Is(err, app.ErrDatabaseBusy) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("completing while another program writes = %v", err)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if sale, err := co.Complete(ctx); err != nil || sale.Number != 1 {
		t.Fatalf("completing once the lock is gone: %+v, %v", sale, err)
	}
}

// A database file the till may not write: a clear error at start, not a crash later.
func TestReadOnlyDatabaseSaysSo(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files: run as a normal user to check the read-only message")
	}
	s, path := openTestStore(t)
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		os.Remove(path + side)
	}
	if err := os.Chmod(filepath.Dir(path), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Dir(path), 0o755) })
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("opening a read-only database = %v", err)
	}
}

// New database files are the till's user's only, whatever the umask: the database, its WAL and shared
// memory, and the word index beside it with its own.
func TestNewDatabaseFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s, path := openTestStore(t)
	sellCash(t, s, "5449000000996")
	for _, file := range []string{path, path + "-wal", path + "-shm", searchPath(path), searchPath(path) + "-wal", searchPath(path) + "-shm"} {
		if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v", filepath.Base(file), info.Mode().Perm(), err)
		}
	}
}
