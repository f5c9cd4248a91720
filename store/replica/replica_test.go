package replica

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// openWAL opens a database as the store does: WAL, synchronous FULL, the write lock taken at BEGIN.
func openWAL(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS sales (id INTEGER PRIMARY KEY, receipt TEXT NOT NULL, total INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func sell(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	if _, err := db.Exec(`INSERT INTO sales (receipt, total) VALUES (?, ?)`, "T01-"+strings.Repeat("0", 3)+string(rune('0'+n%10)), 100*n); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sales`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReplicaHoldsEveryCommittedSale: what was committed before a write began is in the replica, and a
// restore gives back exactly that, checked page by page (Litestream's full integrity check).
func TestReplicaHoldsEveryCommittedSale(t *testing.T) {
	dir, drive := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "checkout.db")
	db := openWAL(t, path)
	statuses := make(chan Status, 100)
	folder := filepath.Join(drive, "checkout-T01")
	rep, err := Start(path, Folder(drive), "T01", Options{Interval: 50 * time.Millisecond, OnStatus: func(s Status) {
		select {
		case statuses <- s:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		sell(t, db, i)
		rep.Nudge()
	}
	committed := time.Now()
	ctx := context.Background()
	if err := rep.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st := rep.Status(); st.Err != nil || st.Through.Before(committed) {
		t.Fatalf("status after a write: %+v, want through after %v", st, committed)
	}
	out := filepath.Join(t.TempDir(), "restored.db")
	if err := Restore(ctx, Folder(drive), "T01", time.Time{}, out); err != nil {
		t.Fatal(err)
	}
	if n := count(t, out); n != 30 {
		t.Fatalf("restored %d sales, want 30", n)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(folder, replicaDir)); err != nil {
		t.Fatalf("the till's folder in the drive: %v", err)
	}
}

// TestUnpluggedDriveIsReportedAndNothingLandsOnTheTillsDisk: with the owner's folder gone (a drive not
// mounted), the replicator reports it and writes nowhere; plugged back, it catches up.
func TestUnpluggedDriveIsReportedAndNothingLandsOnTheTillsDisk(t *testing.T) {
	dir := t.TempDir()
	drive := filepath.Join(t.TempDir(), "usb")
	path := filepath.Join(dir, "checkout.db")
	db := openWAL(t, path)
	if err := Folder(drive).Check(context.Background()); err == nil || !strings.Contains(err.Error(), "not there") {
		t.Fatalf("Check of a missing folder: %v", err)
	}
	rep, err := Start(path, Folder(drive), "T01", Options{Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	sell(t, db, 1)
	ctx := context.Background()
	err = rep.Sync(ctx)
	if err == nil {
		t.Fatal("a write to a folder that is not there succeeded")
	}
	st := rep.Status()
	var gone *folderGone
	if !errors.As(st.Err, &gone) || !strings.Contains(st.Err.Error(), "unplugged") || !st.Through.IsZero() {
		t.Fatalf("status with the drive gone: %+v", st)
	}
	if _, err := os.Stat(drive); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the replicator made the missing mount point: %v", err)
	}
	// The drive comes back: the next write carries everything.
	if err := os.Mkdir(drive, 0o700); err != nil {
		t.Fatal(err)
	}
	sell(t, db, 2)
	if err := rep.Sync(ctx); err != nil {
		t.Fatalf("after the drive came back: %v", err)
	}
	if st := rep.Status(); st.Err != nil || st.Through.IsZero() {
		t.Fatalf("status after the drive came back: %+v", st)
	}
	out := filepath.Join(t.TempDir(), "restored.db")
	if err := Restore(ctx, Folder(drive), "T01", time.Time{}, out); err != nil {
		t.Fatal(err)
	}
	if n := count(t, out); n != 2 {
		t.Fatalf("restored %d sales, want 2", n)
	}
	// Pulled out while the till is idle: nothing new to write, and still it is reported.
	if err := os.RemoveAll(drive); err != nil {
		t.Fatal(err)
	}
	if err := rep.Sync(ctx); !errors.As(err, &gone) {
		t.Fatalf("an idle write to a drive that is gone: %v", err)
	}
}

func TestParseTarget(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o600)
	ctx := context.Background()
	for target, want := range map[string]string{
		"":                          "no backup folder",
		"usb":                       "a full path",
		"../usb":                    "a full path",
		"sftp://till@nas/backups":   "mount the server's share",
		"s3://key:secret@bucket/x":  "no credentials in it",
		"s3:///x":                   "s3://BUCKET",
		"s3://b/x?acl=public":       `unknown option "acl"`,
		"s3://b/x?endpoint=ftp://h": "https://host",
	} {
		if _, err := ParseTarget(target); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) = %v, want %q", target, err, want)
		}
	}
	for target, want := range map[string]string{file: "is a file", t.TempDir(): "", "/nonexist/": "not there"} {
		tg, err := ParseTarget(target)
		if err != nil {
			t.Fatal(err)
		}
		err = tg.Check(ctx)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%q.Check() = %v, want %q", target, err, want)
		}
	}
	s3, err := ParseTarget("s3://shop-backups/north/?endpoint=https://nas.local:9000&region=cn-north-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := s3.(*S3); got.Bucket != "shop-backups" || got.Prefix != "north" || got.Region != "cn-north-1" || got.key("T01", "keys.age") != "north/checkout-T01/keys.age" {
		t.Errorf("parsed %+v", got)
	}
	if got := tillDir("T 01/../x"); got != "checkout-T_01____x" {
		t.Errorf("tillDir = %q", got)
	}
}

// TestRestoreOfNothing: a folder with no replica says so, and writes no file.
func TestRestoreOfNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "restored.db")
	err := Restore(context.Background(), Folder(t.TempDir()), "T01", time.Time{}, out)
	if err == nil || !strings.Contains(err.Error(), "no replica") {
		t.Fatalf("restore from an empty folder: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed restore left %s", out)
	}
}

// A restore to a moment gives the database as it was then, not as it is now; a replica whose file was
// changed on the drive is refused, and no database is left behind.
func TestRestoreAtAMomentAndATamperedReplica(t *testing.T) {
	dir, drive := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "checkout.db")
	db := openWAL(t, path)
	rep, err := Start(path, Folder(drive), "T01", Options{Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 5 {
		sell(t, db, i)
	}
	if err := rep.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the replica's files are timed to the second
	moment := time.Now()
	time.Sleep(1100 * time.Millisecond)
	for i := range 7 {
		sell(t, db, i)
	}
	if err := rep.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	then := filepath.Join(t.TempDir(), "then.db")
	if err := Restore(ctx, Folder(drive), "T01", moment, then); err != nil {
		t.Fatal(err)
	}
	if n := count(t, then); n != 5 {
		t.Fatalf("restored as of the moment: %d sales, want the 5 sold before it", n)
	}

	// Flip one byte in the middle of every replica file: checksums refuse them.
	files, _ := filepath.Glob(filepath.Join(drive, "checkout-T01", replicaDir, "ltx", "*", "*.ltx"))
	if len(files) == 0 {
		t.Fatal("no replica files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0xff
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "tampered.db")
	if err := Restore(ctx, Folder(drive), "T01", time.Time{}, out); err == nil {
		t.Fatal("a tampered replica was restored")
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore left %s", out)
	}
}

// Hostile targets: a NUL byte, a path longer than any system takes, a file never put over another.
func TestHostileTargets(t *testing.T) {
	ctx := context.Background()
	for _, target := range []string{"/media/\x00usb", "/" + strings.Repeat("x", 1<<20)} {
		tg, err := ParseTarget(target)
		if err == nil {
			err = tg.Check(ctx)
		}
		if err == nil {
			t.Errorf("target %.20q was taken", target)
		}
	}
	drive := Folder(t.TempDir())
	local := filepath.Join(t.TempDir(), "f")
	os.WriteFile(local, []byte("first"), 0o600)
	if err := Put(ctx, drive, "T01", KeysName, local); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(local, []byte("second"), 0o600)
	if err := Put(ctx, drive, "T01", KeysName, local); err == nil {
		t.Fatal("a file was put over another")
	}
	got := filepath.Join(t.TempDir(), "got")
	if err := Get(ctx, drive, "T01", KeysName, got); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != "first" {
		t.Fatalf("the file now holds %q", b)
	}
}
