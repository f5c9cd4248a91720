package replica

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3 serves an in-memory S3 with one bucket, "shop", and points the SDK's credential chain at keys it
// takes: the till's S3 target is reached exactly as a real one would be.
func fakeS3(t *testing.T) (*S3, *httptest.Server) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("shop"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	// This sandbox names its own CA bundle for AWS; with it Litestream's S3 client cannot load its config.
	t.Setenv("AWS_CA_BUNDLE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "till-north")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-of-the-till")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	target, err := ParseTarget("s3://shop/north?endpoint=" + srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return target.(*S3), srv
}

// TestS3ReplicaAndSnapshots: the replica goes to S3-compatible storage and comes back whole; snapshots and
// the keys are put, listed, fetched and pruned there; a file is never put over another.
func TestS3ReplicaAndSnapshots(t *testing.T) {
	target, _ := fakeS3(t)
	ctx := context.Background()
	if err := target.Check(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "checkout.db")
	db := openWAL(t, path)
	rep, err := Start(path, target, "T01", Options{Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		sell(t, db, i)
		rep.Nudge()
	}
	if err := rep.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rep.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "restored.db")
	if err := Restore(ctx, target, "T01", time.Time{}, out); err != nil {
		t.Fatal(err)
	}
	if n := count(t, out); n != 12 {
		t.Fatalf("restored %d sales from S3, want 12", n)
	}

	local := filepath.Join(t.TempDir(), "s.age")
	os.WriteFile(local, []byte("sealed bytes"), 0o600)
	now := time.Now()
	for d := range 5 {
		if err := Put(ctx, target, "T01", SnapshotName(now.AddDate(0, 0, -d), "z"), local); err != nil {
			t.Fatal(err)
		}
	}
	if err := Put(ctx, target, "T01", SnapshotName(now, "z"), local); err == nil {
		t.Fatal("a snapshot was put over another")
	}
	if err := Put(ctx, target, "T01", KeysName, local); err != nil {
		t.Fatal(err)
	}
	if there, err := Exists(ctx, target, "T01", KeysName); !there || err != nil {
		t.Fatalf("keys there: %v %v", there, err)
	}
	list, err := Snapshots(ctx, target, "T01")
	if err != nil || len(list) != 5 || !list[4].At.Equal(now.UTC().Truncate(time.Second)) {
		t.Fatalf("snapshots: %+v %v", list, err)
	}
	removed, err := Prune(ctx, target, "T01", func(taken []time.Time) []bool {
		keep := make([]bool, len(taken))
		keep[len(keep)-1] = true
		return keep
	})
	if err != nil || removed != 4 {
		t.Fatalf("pruned %d: %v", removed, err)
	}
	got := filepath.Join(t.TempDir(), "got.age")
	if err := Get(ctx, target, "T01", list[4].Name, got); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(got); string(b) != "sealed bytes" {
		t.Fatalf("fetched %q", b)
	}
	if till, err := ResolveTill(ctx, target, ""); err != nil || till != "T01" {
		t.Fatalf("the one till in the bucket: %q %v", till, err)
	}
}

// TestS3Unreachable: storage that does not answer is reported in words, and nothing is written.
func TestS3Unreachable(t *testing.T) {
	target, srv := fakeS3(t)
	srv.Close()
	err := target.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("Check of a closed server: %v", err)
	}
	if errors.Is(err, errFolderGone) {
		t.Fatal("an S3 failure named as a missing folder")
	}
}
