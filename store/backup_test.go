package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
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

// A backup is written to a temporary file in the target folder that only the till's user can read, from
// the moment it exists; it is checked, then renamed into place. A backup that fails its check leaves
// nothing behind: no backup, no temporary file, no SQLite side file.
func TestBackupIsPrivateThroughoutAndLeavesNothingWhenItFails(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	// Enough products that the copy takes a while to write.
	var many []app.CatalogEntry
	for i := range 20_000 {
		data := fmt.Sprintf("68%010d", i)
		many = append(many, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%06d", i), Name: fmt.Sprintf("Product %d", i),
			Unit: app.UnitPiece, Price: money.New(100, money.CNY), TaxClass: "standard", Active: true},
			Barcodes: []string{data + string(barcode.CheckDigit(data))}})
	}
	if _, err := s.AddProducts(ctx, many); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "usb")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Watch the folder while the backup is written: any file others could read is noted.
	readable := map[string]bool{}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if info, err := e.Info(); err == nil && info.Mode().Perm()&0o077 != 0 {
					readable[fmt.Sprintf("%s %v", e.Name(), info.Mode().Perm())] = true
				}
			}
		}
	}()
	backup := filepath.Join(dir, "till.db")
	_, err := s.Backup(ctx, backup)
	close(stop)
	<-stopped
	if err != nil {
		t.Fatal(err)
	}
	if len(readable) > 0 {
		t.Errorf("files others could read while the backup was written: %v", slices.Sorted(maps.Keys(readable)))
	}
	// A till whose journal was tampered with fails the backup's check: nothing of that backup is left.
	if _, err := s.w.Exec(`DROP TRIGGER journal_append_only_update; UPDATE journal SET payload = replace(payload, '"total":"3.00"', '"total":"0.30"') WHERE kind = 'sale'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, filepath.Join(dir, "tampered.db")); err == nil || !strings.Contains(err.Error(), "journal") {
		t.Fatalf("backup of a tampered till = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "till.db" {
		t.Errorf("the backup folder holds %q, want only till.db", names)
	}
}
