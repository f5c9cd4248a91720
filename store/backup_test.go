package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// A backup taken while sales go on holds a consistent snapshot: it passes every check, and restoring
// it gives back every sale it holds.
func TestBackupWhileSellingAndRestore(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	for range 5 {
		sellCash(t, s, "5449000000996")
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 20 {
			sellCash(t, s, "6924743915763")
		}
	})
	backup := filepath.Join(t.TempDir(), "backups", "till-1.db")
	c, err := s.Backup(ctx, backup)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if c.Sales < 5 || c.Sales > 25 || c.JournalRows < c.Sales {
		t.Errorf("the backup holds %d sales, %d journal rows", c.Sales, c.JournalRows)
	}
	if _, err := s.Backup(ctx, backup); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup over the first = %v", err)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file %v, %v", fi, err)
	}
	// The backup names no word index, and checking it made none beside it.
	if db, err := sql.Open("sqlite", backup); err != nil {
		t.Fatal(err)
	} else {
		var generations int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM search_file`).Scan(&generations); err != nil || generations != 0 {
			t.Errorf("the backup names %d word indexes, %v", generations, err)
		}
		db.Close()
	}
	if _, err := os.Stat(searchPath(backup)); !os.IsNotExist(err) {
		t.Errorf("a word index beside the backup: %v", err)
	}

	// Restoring while the till has the database open is refused and changes nothing.
	if _, _, err := Restore(ctx, backup, path); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore under a running till = %v", err)
	}
	if n := count(t, s, "sales"); n != 25 {
		t.Errorf("the till has %d sales after a refused restore", n)
	}
	s.Close()
	got, kept, err := Restore(ctx, backup, path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sales != c.Sales || kept == "" {
		t.Errorf("restored %d sales (backup had %d), kept %q", got.Sales, c.Sales, kept)
	}
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := count(t, r, "sales"); n != c.Sales {
		t.Errorf("the restored till has %d sales, want %d", n, c.Sales)
	}
	checkSearchIndex(t, r) // made again for the restored catalog
	if old, err := CheckFile(ctx, kept); err != nil || old.Sales != 25 {
		t.Errorf("the replaced database kept beside it: %+v, %v", old, err)
	}
}

// A file that is not a till database, or whose journal was tampered with, is never restored.
func TestRestoreRefusesBadFiles(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	dir := t.TempDir()
	backup := filepath.Join(dir, "b.db")
	if _, err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	s.Close()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("not a database at all, really not"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Restore(ctx, junk, path); err == nil || !strings.Contains(err.Error(), "not a till database") {
		t.Errorf("restoring junk = %v", err)
	}
	raw, err := sql.Open("sqlite", backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TRIGGER journal_append_only_update; UPDATE journal SET payload = replace(payload, '"total":"3.00"', '"total":"0.30"') WHERE kind = 'sale'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, _, err := Restore(ctx, backup, path); err == nil || !strings.Contains(err.Error(), "journal") {
		t.Errorf("restoring a tampered backup = %v", err)
	}
	r, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := count(t, r, "sales"); n != 1 {
		t.Errorf("after refused restores the till has %d sales", n)
	}
	if entries, _ := filepath.Glob(path + ".*"); len(entries) != 0 {
		t.Errorf("refused restores left %v", entries)
	}
}
