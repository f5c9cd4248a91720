//go:build unix

package store

import (
	"context"
	"errors"
	"os/signal"
	"syscall"
	"testing"

	"checkout/app"
)

// limitFileSize makes every file this process writes stop growing at max bytes, as a full disk does,
// until the returned function lifts the limit. Writes past it fail with EFBIG (the SIGXFSZ that would
// kill the process is ignored meanwhile).
func limitFileSize(t *testing.T, max uint64) (lift func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: max, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatal(err)
		}
		signal.Reset(syscall.SIGXFSZ)
	}
}

// With the disk full, a paid sale is not stored and says so; the checkout keeps it, and once there is
// room the same sale completes, once. What was stored before is untouched.
func TestDiskFullKeepsTheSaleToRetry(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	first := sellCash(t, s, "5449000000996")
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "6924743915763"} {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	lift := limitFileSize(t, 4096) // the WAL, now empty, cannot take a transaction's pages
	_, err := co.Complete(ctx)
	lift()
	if !errors.Is(err, app.ErrDiskWrite) {
		t.Fatalf("completing on a full disk = %v", err)
	}
	if len(co.Lines()) != 2 || len(co.Tenders()) != 1 {
		t.Fatalf("the failed sale left %d lines, %d tenders in the checkout", len(co.Lines()), len(co.Tenders()))
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatalf("completing once there is room: %v", err)
	}
	if sale.Number != first.Number+1 || count(t, s, "sales") != 2 {
		t.Errorf("the retried sale is number %d; %d sales stored", sale.Number, count(t, s, "sales"))
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}
