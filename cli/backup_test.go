package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkout/till"
)

// backup while the database is open elsewhere, restore refused while it is, then restored.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	st, err := till.OpenStore(context.Background(), db) // the till, running
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if code, out, errOut := cli("-db", db, "backup", backup); code != 0 || !strings.Contains(out, "backed up to "+backup+": 0 sales") {
		t.Fatalf("backup = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli("-db", db, "restore", backup); code != 1 || !strings.Contains(errOut, "in use") {
		t.Errorf("restore under a running till = %d %q", code, errOut)
	}
	st.Close()
	if code, out, errOut := cli("-db", db, "restore", backup); code != 0 || !strings.Contains(out, "is kept as "+db+".before-restore-") {
		t.Errorf("restore = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli("-db", db, "restore", filepath.Join(dir, "missing.db")); code != 1 || errOut == "" {
		t.Errorf("restore of a missing file = %d %q", code, errOut)
	}
}

// An encrypted backup opens only with its passphrase, and a changed byte is refused.
func TestEncryptedBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	sealed := filepath.Join(dir, "b.age")
	if code, _, errOut := cliInput("short\n", "-db", db, "backup", "-encrypt", sealed); code != 1 || !strings.Contains(errOut, "at least 12") {
		t.Errorf("a short passphrase = %d %q", code, errOut)
	}
	if code, out, errOut := cliInput("correct horse battery\n", "-db", db, "backup", "-encrypt", sealed); code != 0 || !strings.Contains(out, "encrypted") {
		t.Fatalf("backup -encrypt = %d %q %q", code, out, errOut)
	}
	body, _ := os.ReadFile(sealed)
	if bytes.Contains(body, []byte("SQLite format 3")) || bytes.Contains(body, []byte("Coca-Cola")) {
		t.Error("the encrypted backup shows its contents")
	}
	if code, _, errOut := cliInput("wrong horse battery\n", "-db", db, "restore", sealed); code != 1 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("restore with a wrong passphrase = %d %q", code, errOut)
	}
	tampered := filepath.Join(dir, "t.age")
	body[len(body)-100] ^= 1
	if err := os.WriteFile(tampered, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cliInput("correct horse battery\n", "-db", db, "restore", tampered); code != 1 || !strings.Contains(errOut, "changed or cut short") {
		t.Errorf("restore of a changed file = %d %q", code, errOut)
	}
	if code, out, errOut := cliInput("correct horse battery\n", "-db", db, "restore", sealed); code != 0 || !strings.Contains(out, "restored") {
		t.Errorf("restore = %d %q %q", code, out, errOut)
	}
}

// A backup, plain or encrypted, is private and whole in its folder, and one that fails (here: the till's
// journal was tampered with, so the copy fails its check) leaves nothing there at all.
func TestFailedBackupsLeaveNothingBehind(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	backups := filepath.Join(dir, "usb")
	folder := func() string {
		entries, _ := os.ReadDir(backups)
		var names []string
		for _, e := range entries {
			info, _ := e.Info()
			names = append(names, fmt.Sprintf("%s %v", e.Name(), info.Mode().Perm()))
		}
		return strings.Join(names, ", ")
	}
	if code, _, errOut := cli("-db", db, "backup", filepath.Join(backups, "plain.db")); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cliInput("correct horse battery\n", "-db", db, "backup", "-encrypt", filepath.Join(backups, "sealed.age")); code != 0 {
		t.Fatal(errOut)
	}
	if got := folder(); got != "plain.db -rw-------, sealed.age -rw-------" {
		t.Fatalf("backup folder: %s", got)
	}

	// A sale, and then its journal entry changed.
	sellForCash(t, db, "5449000000996")
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := raw.Exec(`DROP TRIGGER journal_append_only_update; UPDATE journal SET payload = payload || ' ' WHERE kind = 'sale'`); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d journal rows changed", n)
	}
	raw.Close()
	if code, _, errOut := cli("-db", db, "backup", filepath.Join(backups, "plain2.db")); code != 1 || !strings.Contains(errOut, "journal") {
		t.Errorf("plain backup of a tampered till = %d %q", code, errOut)
	}
	if code, _, errOut := cliInput("correct horse battery\n", "-db", db, "backup", "-encrypt", filepath.Join(backups, "sealed2.age")); code != 1 || !strings.Contains(errOut, "journal") {
		t.Errorf("encrypted backup of a tampered till = %d %q", code, errOut)
	}
	if got := folder(); got != "plain.db -rw-------, sealed.age -rw-------" {
		t.Errorf("after failed backups the folder holds: %s", got)
	}
}
