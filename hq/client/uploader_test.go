package client_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/store"
)

// hqSales returns what the head office holds of a till's sales: rows, distinct ids, and their total in
// minor units (CNY, 2 decimals).
func hqSales(t testing.TB, h *hqtest.HQ, tillName string) (rows, distinct, totalMinor int64) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var docs int64
	err = conn.QueryRow(ctx, `SELECT count(s.id), count(DISTINCT s.id), coalesce(sum(s.total) * 100, 0)::bigint,
			(SELECT count(*) FROM documents d WHERE d.till_id = t.id AND d.kind = 'sale')
		FROM tills t LEFT JOIN sales s ON s.till_id = t.id WHERE t.name = $1 GROUP BY t.id`, tillName).Scan(&rows, &distinct, &totalMinor, &docs)
	if err != nil || docs != rows {
		t.Fatalf("%d sale documents, %d sales rows: %v", docs, rows, err)
	}
	return rows, distinct, totalMinor
}

// checkExactlyOnce asserts the head office holds every sale of the till once, with the same total, and
// the till has marked every outbox row sent.
func checkExactlyOnce(t testing.TB, h *hqtest.HQ, name string, tl *till, want int64) {
	t.Helper()
	sum := tl.sales(t)
	rows, distinct, total := hqSales(t, h, name)
	if sum.Count != want || rows != want || distinct != want || total != sum.Total {
		t.Fatalf("till %s: %d sales totalling %d; head office: %d rows, %d distinct, totalling %d", name, sum.Count, sum.Total,
			rows, distinct, total)
	}
	if n, err := tl.store.PendingCount(context.Background()); err != nil || n != 0 {
		t.Fatalf("till %s: %d pending, %v", name, n, err)
	}
}

// waitDrained waits until every till's outbox is acknowledged.
func waitDrained(t testing.TB, limit time.Duration, tills ...*till) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for _, tl := range tills {
		for {
			n, err := tl.store.PendingCount(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d documents still pending after %v", n, limit)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func uploader(t testing.TB, cfg client.Config, ob app.Outbox, batch int) *client.Uploader {
	t.Helper()
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &client.Uploader{Outbox: ob, Client: c, Batch: batch, MinBackoff: 5 * time.Millisecond,
		MaxBackoff: 100 * time.Millisecond, Idle: 20 * time.Millisecond}
}

// Two tills of a shop sell 1,000 sales while their uploads cross a network that drops connections, delays
// replies past the till's timeout and cuts replies after the head office committed: the head office ends
// with exactly 1,000 sales, each once, and the same totals as the tills.
func TestUploadExactlyOnceThroughFaults(t *testing.T) {
	h := hqtest.StartHQ(t)
	proxy := hqtest.NewFaultProxy(t, h.Addr, 10)
	proxy.Drop, proxy.Delay, proxy.Cut, proxy.MaxDelay = 0.15, 0.2, 0.15, 1500*time.Millisecond
	names := []string{"T01", "T02"}
	tills := make([]*till, len(names))
	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	for i, name := range names {
		tills[i] = newTill(t, name)
		cfg := h.Enrol("north", name)
		cfg.URL, cfg.Timeout = "https://"+proxy.Addr, time.Second
		u := uploader(t, cfg, tills[i].store, 25)
		running.Go(func() { u.Run(ctx) })
		defer func() {
			if st := u.Status(); st.Pending != 0 || !st.Online || st.LastError != "" || st.LastSync.IsZero() {
				t.Errorf("till %s status at the end: %+v", name, st)
			}
		}()
	}
	var selling sync.WaitGroup
	for _, tl := range tills {
		selling.Go(func() {
			for range 500 {
				tl.sell(t)
			}
		})
	}
	selling.Wait()
	waitDrained(t, 3*time.Minute, tills...)
	cancel()
	running.Wait()
	for i, tl := range tills {
		checkExactlyOnce(t, h, names[i], tl, 500)
	}
	t.Logf("faults: %d drops, %d delays, %d cuts after commit", proxy.Drops.Load(), proxy.Delays.Load(), proxy.Cuts.Load())
	if proxy.Drops.Load() == 0 || proxy.Delays.Load() == 0 || proxy.Cuts.Load() == 0 {
		t.Fatal("the proxy did not inject every kind of fault")
	}
	sts, err := h.Server.Status(context.Background())
	if err != nil || len(sts) != 2 || sts[0].Pending != 0 || sts[0].Sales != 500 || sts[1].LastSeen.IsZero() {
		t.Fatalf("head office status %+v, %v", sts, err)
	}
}

// dyingOutbox is a till that dies at a chosen moment: after the head office has acknowledged a batch but
// before the till has marked it sent, or at once on its next read.
type dyingOutbox struct {
	*store.Store
	kill       context.CancelFunc
	beforeMark atomic.Bool
}

var errDied = errors.New("till process died")

func (d *dyingOutbox) MarkSent(ctx context.Context, ids []string, at time.Time) error {
	if d.beforeMark.Load() {
		d.kill()
		return errDied
	}
	return d.Store.MarkSent(ctx, ids, at)
}

// The till dies mid-upload — between the head office's acknowledgement and marking the batch sent, and at
// random moments — and starts again on its database: nothing is lost and nothing is stored twice.
func TestUploadSurvivesTillRestarts(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	cfg := h.Enrol("north", "T01")
	for range 300 {
		tl.sell(t)
	}
	for i := range 4 {
		ctx, cancel := context.WithCancel(context.Background())
		ob := &dyingOutbox{Store: tl.store, kill: cancel}
		ob.beforeMark.Store(i%2 == 0)
		u := uploader(t, cfg, ob, 20)
		done := make(chan struct{})
		go func() { u.Run(ctx); close(done) }()
		if i%2 == 1 {
			time.Sleep(time.Duration(20+i*15) * time.Millisecond)
			cancel()
		}
		<-done
		cancel()
		tl.open(t) // the process starts again on the same file
		for range 5 {
			tl.sell(t) // and sells before the upload resumes
		}
	}
	u := uploader(t, cfg, tl.store, 20)
	if _, err := u.UploadPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, h, "T01", tl, 320)
	if _, err := tl.store.VerifyJournal(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A till whose token the head office refuses keeps its documents pending and shows why.
func TestUploadRefusedKeepsDocumentsPending(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	tl.sell(t)
	cfg := h.Enrol("north", "T01")
	cfg.Token = "revoked"
	u := uploader(t, cfg, tl.store, 0)
	_, err := u.UploadPending(context.Background())
	var refused *api.Error
	if !errors.As(err, &refused) || refused.Status != 401 || !refused.Permanent() {
		t.Fatalf("upload with a bad token: %v", err)
	}
	if st := u.Status(); st.Online || st.Pending != 1 || !strings.Contains(st.LastError, "unknown till token") {
		t.Fatalf("status %+v", st)
	}
	if n, _ := tl.store.PendingCount(context.Background()); n != 1 {
		t.Fatalf("%d pending, want the sale still pending", n)
	}
}
