package client_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"checkout/cmd/benchtable/idle"
	"checkout/hq/hqtest"
)

// backlog returns a keyed till with n sales made through the real use case, none uploaded.
func backlog(b *testing.B, n int) *till {
	b.Helper()
	tl := keyedTill(b, "T01")
	for range n {
		tl.sell(b)
	}
	return tl
}

// BenchmarkUploadBacklog uploads a 10,000-sale backlog to a local PostgreSQL over TLS, as a keyed till
// does: every journal row with its document, the head office checking the chain with the till's key,
// each document against its row, its arithmetic and what it holds. The target is at least 2,000
// documents/s.
func BenchmarkUploadBacklog(b *testing.B) {
	h := hqtest.StartHQ(b)
	const n = 10000
	for range b.N {
		tl := backlog(b, n)
		u := syncedTill(b, h, tl, "north", "T01", 0)
		u.Down, u.JournalKey = nil, journalKey
		idle.Wait(b)
		b.ResetTimer()
		start := time.Now()
		sent, err := u.UploadPending(context.Background())
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || sent != n {
			b.Fatalf("uploaded %d of %d: %v", sent, n, err)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "sales/s")
	}
}

// BenchmarkSaleCommitDuringUpload compares the till's sale commit latency idle and while a 10,000-sale
// backlog uploads: the issue asks that it stay within 1.2× of idle.
func BenchmarkSaleCommitDuringUpload(b *testing.B) {
	h := hqtest.StartHQ(b)
	tl := backlog(b, 10000)
	u := syncedTill(b, h, tl, "north", "T01", 0)
	u.Down, u.JournalKey = nil, journalKey
	ctx := context.Background()
	commit := func() time.Duration {
		for _, code := range []string{"6924743915763", "5449000000996"} {
			if _, err := tl.co.Scan(ctx, code); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := tl.co.PayCash(tl.co.CashDue()); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := tl.co.Complete(ctx); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	idle.Wait(b)
	b.ResetTimer()
	for range b.N {
		var idle, busy []time.Duration
		for range 300 {
			idle = append(idle, commit())
		}
		done := make(chan error, 1)
		go func() { _, err := u.UploadPending(ctx); done <- err }()
		time.Sleep(50 * time.Millisecond) // the upload is under way
	loop:
		for range 300 {
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				break loop
			default:
			}
			busy = append(busy, commit())
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if len(busy) < 100 {
			b.Fatalf("the upload ended after %d sales: too few to measure", len(busy))
		}
		mi, mb := median(idle), median(busy)
		b.ReportMetric(float64(mi.Microseconds()), "µs-idle-p50")
		b.ReportMetric(float64(mb.Microseconds()), "µs-uploading-p50")
		b.ReportMetric(float64(mb)/float64(mi), "ratio")
	}
}
