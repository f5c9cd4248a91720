package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/document"
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

// memOutbox is an outbox in memory, for documents the real till could not make: huge ones.
type memOutbox struct {
	docs     []app.OutboxDoc
	sent     map[string]bool
	rejected map[string]string
}

func (o *memOutbox) PendingOutbox(_ context.Context, limit int) ([]app.OutboxDoc, error) {
	var out []app.OutboxDoc
	for _, d := range o.docs {
		if !o.sent[d.ID] && o.rejected[d.ID] == "" && len(out) < limit {
			out = append(out, d)
		}
	}
	return out, nil
}

func (o *memOutbox) MarkSent(_ context.Context, ids []string, _ time.Time) error {
	for _, id := range ids {
		o.sent[id] = true
	}
	return nil
}

func (o *memOutbox) MarkRejected(_ context.Context, rs []app.Rejection, _ time.Time) error {
	for _, r := range rs {
		o.rejected[r.ID] = r.Reason
	}
	return nil
}

// The documents go as from a till enrolled before journal keys: alone, unanchored.
func (o *memOutbox) HQHead(context.Context) (app.ChainHead, bool, error) {
	return app.ChainHead{}, false, nil
}
func (o *memOutbox) SetHQHead(context.Context, app.ChainHead) error { return nil }
func (o *memOutbox) RewindHQHead(context.Context, app.ChainHead) (int64, error) {
	return 0, errors.New("memOutbox: no chain")
}
func (o *memOutbox) ChainAnchor(context.Context) (app.ChainHead, error) { return app.ChainHead{}, nil }
func (o *memOutbox) JournalLinks(context.Context, int64, int) ([]app.ChainLink, error) {
	return nil, nil
}

func (o *memOutbox) Backlog(ctx context.Context) (app.Backlog, error) {
	docs, _ := o.PendingOutbox(ctx, len(o.docs))
	b := app.Backlog{Pending: int64(len(docs)), Rejected: int64(len(o.rejected))}
	if len(docs) > 0 {
		b.Oldest = docs[0].At
	}
	return b, nil
}

// Large documents never stop a till's uploads: a batch over the head office's 8 MiB is split (the
// uploader halves what it sends when refused as too large), and a document too large alone is rejected
// at the till and the ones after it go; the head office's status shows the backlog meanwhile.
func TestUploadSizesBatchesByBytes(t *testing.T) {
	h := hqtest.StartHQ(t)
	cfg := h.Enrol("north", "T01")
	ob := &memOutbox{sent: map[string]bool{}, rejected: map[string]string{}}
	at := time.Now().Add(-time.Hour)
	// 40 sales of 1,000 lines (≈ 300 KB each, 12 MB in all), a 9 MiB document, and a small sale.
	for i := range 42 {
		n := int64(i + 1)
		d := hqtest.SaleDoc(fmt.Sprintf("0b9a2c1e-6a0f-4c36-9a57-%012d", n), n, "1.00")
		if i < 40 {
			var sale document.Sale
			json.Unmarshal(d.Body, &sale)
			line := sale.Lines[0]
			line.Total, line.Gross, line.UnitPrice = "0.00", "0.00", "0.00"
			line.Name = strings.Repeat("Long product name ", 10)
			for range 999 {
				sale.Lines = append(sale.Lines, line)
			}
			sale.ItemCount = 1000
			d.Body, _ = json.Marshal(sale)
		}
		if i == 40 {
			d.Body = json.RawMessage(`{"x":"` + strings.Repeat("a", 9<<20) + `"}`)
		}
		ob.docs = append(ob.docs, app.OutboxDoc{ID: d.ID, Kind: d.Kind, Seq: d.Seq, At: at, Body: d.Body})
	}
	u := uploader(t, cfg, ob, 0)
	u.Bytes = 64 << 20 // more than the head office takes: the first upload is refused as too large
	sent, err := u.UploadPending(context.Background())
	if err != nil || sent != 42 {
		t.Fatalf("uploaded %d, %v", sent, err)
	}
	if len(ob.sent) != 41 || len(ob.rejected) != 1 || !strings.Contains(ob.rejected[ob.docs[40].ID], "larger than the head office accepts") {
		t.Fatalf("sent %d, rejected %v", len(ob.sent), ob.rejected)
	}
	if u.Bytes > api.MaxBody {
		t.Fatalf("the uploader still sends %d bytes at once", u.Bytes)
	}
	if rows, _, _ := hqSales(t, h, "T01"); rows != 41 {
		t.Fatalf("head office holds %d sales", rows)
	}
	if st := u.Status(); st.Pending != 0 || st.Rejected != 1 || !st.Stuck(time.Now()) {
		t.Fatalf("status %+v", st)
	}
}

// The head office shows a till's backlog: how old its oldest unsent document is, and its last error.
func TestHeadOfficeShowsAStuckTill(t *testing.T) {
	h := hqtest.StartHQ(t)
	cfg := h.Enrol("north", "T01")
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	oldest := time.Now().Add(-25 * time.Minute).UTC().Truncate(time.Second)
	if _, err := c.Upload(context.Background(), api.UploadRequest{Pending: 24, Oldest: oldest, LastError: "connection reset\x00 by peer",
		Documents: []api.Document{hqtest.SaleDoc("0b9a2c1e-6a0f-4c36-9a57-000000000001", 1, "3.00")}}); err != nil {
		t.Fatal(err)
	}
	sts, err := h.Server.Status(context.Background())
	if err != nil || len(sts) != 1 || sts[0].Pending != 23 || !sts[0].Oldest.Equal(oldest) || sts[0].LastError != "connection reset by peer" {
		t.Fatalf("status %+v, %v", sts, err)
	}
	// A refused upload is named there too.
	if _, err := c.Upload(context.Background(), api.UploadRequest{}); err == nil {
		t.Fatal("an empty upload was taken")
	}
	if sts, _ := h.Server.Status(context.Background()); !strings.Contains(sts[0].LastError, "refused: no documents") {
		t.Fatalf("status after a refusal %+v", sts)
	}
}

// A keyed till that sold before it was enrolled (or enrolled before journal keys) registers its key at
// its first upload, anchored before its oldest waiting document: everything it holds goes up with its
// journal rows, and the head office's head is the till's.
func TestKeyedTillRegistersAndUploadsItsChain(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := keyedTill(t, "T01")
	for range 30 {
		tl.sell(t)
	}
	if _, err := tl.store.SetSetting(context.Background(), "shop_city", "杭州", time.Now()); err != nil {
		t.Fatal(err)
	}
	u := syncedTill(t, h, tl, "north", "T01", 0)
	u.JournalKey = journalKey
	u.Batch = 7 // several batches, each continuing the last
	ctx := context.Background()
	sent, _, err := u.Sync(ctx)
	if err != nil || sent != 30 {
		t.Fatalf("sync: %d, %v", sent, err)
	}
	checkExactlyOnce(t, h, "T01", tl, 30)
	ch, err := u.Client.Chain(ctx)
	head, _ := tl.store.JournalHead(ctx)
	if err != nil || !ch.Registered || ch.Anchor.Seq != 1 || ch.Head != (api.Head{Seq: head.Seq, Hash: head.Hash}) { // anchored after the till setting, before the first sale
		t.Fatalf("head office's chain %+v, till's head %+v, %v", ch, head, err)
	}
	if b, err := tl.store.Backlog(ctx); err != nil || b.Pending != 0 || b.Links != 0 {
		t.Fatalf("backlog %+v, %v", b, err)
	}
}
