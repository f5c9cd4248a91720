package till

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"checkout/app"
	"checkout/app/money"
	"checkout/store/replica"
)

const passphrase = "a long enough passphrase"

// openWithBackups opens a demo till whose backup folder is drive, with the snapshots' passphrase set.
func openWithBackups(t *testing.T, drive string) (*Till, string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "checkout.db")
	st, err := OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetSetting(ctx, "backup.target", drive, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.Secrets.SetBackupPassphrase(passphrase); err != nil {
		t.Fatal(err)
	}
	st.Close()
	m, err := Open(ctx, Config{DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if m.backups == nil {
		t.Fatal("a till with a backup folder runs no backups")
	}
	return m, db
}

// A Z report (a shift closed) takes a sealed snapshot into the backup folder, with the till's keys
// beside it; restore-from that snapshot on a new machine gives back the day, keys and all.
func TestZReportTakesASnapshotThatRestoresOnANewMachine(t *testing.T) {
	ctx := context.Background()
	drive := t.TempDir()
	m, _ := openWithBackups(t, drive)
	books := snapshotAtZ{m.Store, m.backups}
	if _, err := books.OpenShift(ctx, time.Now(), "Li Wei", money.New(20000, money.CNY)); err != nil {
		t.Fatal(err)
	}
	if _, err := books.CloseShift(ctx, time.Now(), "Li Wei", nil); err != nil {
		t.Fatal(err)
	}
	// The snapshot seals twice with scrypt (keys, then the copy) and checks the copy: 7 s alone here, over
	// 30 s with the other packages' tests on both cores. The wait ends as soon as it is there.
	var st app.BackupStatus
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if st = m.backups.Status(); st.SnapshotFile != "" || st.SnapshotError != "" {
			break
		}
	}
	if st.SnapshotError != "" || !strings.HasSuffix(st.SnapshotFile, "-z.db.age") {
		t.Fatalf("after a Z report: %+v", st)
	}
	folder := filepath.Join(drive, "checkout-T01")
	if _, err := os.Stat(filepath.Join(folder, replica.KeysName)); err != nil {
		t.Fatalf("the keys are not in the backup folder: %v", err)
	}
	snapshot := filepath.Join(folder, filepath.FromSlash(st.SnapshotFile))
	b, _ := os.ReadFile(snapshot)
	if strings.Contains(string(b), "SQLite format") || strings.Contains(string(b), "Li Wei") {
		t.Fatal("the snapshot is not sealed")
	}

	newMachine := filepath.Join(t.TempDir(), "checkout.db")
	r, err := RestoreFrom(ctx, newMachine, snapshot, "", time.Time{}, func() (string, error) { return passphrase, nil })
	if err != nil {
		t.Fatal(err)
	}
	if r.From != snapshot || r.At.IsZero() || r.Check.JournalRows == 0 {
		t.Fatalf("restored: %+v", r)
	}
	restored, err := OpenStore(ctx, newMachine)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	shifts, err := restored.ShiftsClosedBetween(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || len(shifts) != 1 {
		t.Fatalf("the restored till's closed shifts: %v %v", shifts, err)
	}
}

// Old snapshots are pruned by the shop's rule as new ones are taken; the newest and what the rule keeps
// stay, and files that are not snapshots are never touched.
func TestSnapshotsArePrunedByTheShopsRule(t *testing.T) {
	ctx := context.Background()
	drive := t.TempDir()
	m, _ := openWithBackups(t, drive)
	folder := filepath.Join(drive, "checkout-T01")
	if err := os.MkdirAll(filepath.Join(folder, "snapshots"), 0o700); err != nil {
		t.Fatal(err)
	}
	// Three a day for the last 40 days, as a till with snapshot_hours 8 would leave them.
	now := time.Now()
	for d := 1; d <= 40; d++ {
		for h := 0; h < 24; h += 8 {
			at := now.AddDate(0, 0, -d).Add(time.Duration(h) * time.Hour)
			if err := os.WriteFile(filepath.Join(folder, filepath.FromSlash(replica.SnapshotName(at, "scheduled"))), []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	notes := filepath.Join(folder, "snapshots", "owner's notes.txt")
	os.WriteFile(notes, []byte("keep me"), 0o600)
	path, err := m.backups.TakeSnapshot(ctx, "manual")
	if err != nil {
		t.Fatal(err)
	}
	list, err := replica.Snapshots(ctx, replica.Folder(drive), "T01")
	if err != nil {
		t.Fatal(err)
	}
	keep := app.DefaultBackup().Keep.Keep(snapshotTimes(list), time.Local)
	for i, k := range keep {
		if !k {
			t.Fatalf("a snapshot the rule drops is still there: %s", list[i].Name)
		}
	}
	// 7 days (today's is the new one), 4 weeks and 2 or 3 months: far fewer than 121.
	if len(list) < 8 || len(list) > 14 || list[len(list)-1].Name != path {
		t.Fatalf("%d snapshots kept, the newest %s", len(list), list[len(list)-1].Name)
	}
	if _, err := os.Stat(notes); err != nil {
		t.Fatal("pruning removed a file that is not a snapshot")
	}
}

func snapshotTimes(list []replica.Snapshot) []time.Time {
	taken := make([]time.Time, len(list))
	for i, s := range list {
		taken[i] = s.At
	}
	return taken
}

// Without a passphrase the replica runs but no snapshot is taken, and the status says how to set one;
// restore-from a moment older than the replica reaches comes from the newest snapshot by then.
func TestSnapshotsNeedAPassphraseAndOldMomentsComeFromThem(t *testing.T) {
	ctx := context.Background()
	drive := t.TempDir()
	m, db := openWithBackups(t, drive)
	if _, err := m.backups.TakeSnapshot(ctx, "manual"); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(filepath.Dir(db), passFile))
	if _, err := m.backups.TakeSnapshot(ctx, "manual"); err == nil || !strings.Contains(err.Error(), "checkout backup-passphrase") {
		t.Fatalf("a snapshot without a passphrase: %v", err)
	}
	if st := m.backups.Status(); !strings.Contains(st.SnapshotError, "no passphrase") || st.Snapshot.IsZero() {
		t.Fatalf("status: %+v", st)
	}
	if err := m.backups.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := RestoreFrom(ctx, filepath.Join(t.TempDir(), "a.db"), drive, "", time.Now().AddDate(0, 0, -3), func() (string, error) { return passphrase, nil })
	if err == nil || !strings.Contains(err.Error(), "no snapshot") {
		t.Fatalf("restore-from three days ago, with only today's snapshot: %v", err)
	}
	r, err := RestoreFrom(ctx, filepath.Join(t.TempDir(), "b.db"), drive, "", time.Now(), func() (string, error) { return passphrase, nil })
	if err != nil || !strings.Contains(r.From, "replica") {
		t.Fatalf("restore-from now: %+v %v", r, err)
	}
}

// A till backing up to S3-compatible storage: sales replicated and a snapshot taken there, the machine
// lost, and restore-from the s3:// URL on a new one, keys and all.
func TestBackupsToS3RestoreOnANewMachine(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("shop"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	t.Setenv("AWS_CA_BUNDLE", "") // this sandbox names its own; Litestream's S3 client cannot load it
	t.Setenv("AWS_ACCESS_KEY_ID", "till-north")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-of-the-till")
	url := "s3://shop/north?endpoint=" + srv.URL
	ctx := context.Background()
	m, _ := openWithBackups(t, url)
	books := snapshotAtZ{m.Store, m.backups}
	if _, err := books.OpenShift(ctx, time.Now(), "Li Wei", money.New(20000, money.CNY)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.backups.TakeSnapshot(ctx, "manual"); err != nil {
		t.Fatal(err)
	}
	if err := m.backups.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st := m.backups.Status(); st.Target != "s3://shop/north at "+srv.URL || st.Replicated.IsZero() || st.SnapshotError != "" {
		t.Fatalf("status: %+v", st)
	}
	newMachine := filepath.Join(t.TempDir(), "checkout.db")
	r, err := RestoreFrom(ctx, newMachine, url, "", time.Time{}, func() (string, error) { return passphrase, nil })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.From, "till T01's replica") || r.Check.JournalRows == 0 {
		t.Fatalf("restored: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(newMachine), "till.key")); err != nil {
		t.Fatal("the till's key did not come back from S3")
	}
	// A moment after the last write: the latest the replica holds.
	r, err = RestoreFrom(ctx, filepath.Join(t.TempDir(), "checkout.db"), url, "T01", time.Now().Add(time.Hour), func() (string, error) { return passphrase, nil })
	if err != nil || r.Check.JournalRows == 0 {
		t.Fatalf("restored as of an hour from now: %+v %v", r, err)
	}
}
