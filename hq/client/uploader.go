package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/hq/api"
)

// Uploader sends the till's outbox to the head office in journal order, in batches. A document is marked
// sent only after the head office acknowledged it; a lost reply means the batch is sent again, and the
// head office, keyed by each document's UUID, stores nothing twice.
type Uploader struct {
	Outbox app.Outbox
	Client *Client
	Batch  int // documents per upload; 500 when zero
	// Bytes bounds the documents' bodies in one upload; half the head office's api.MaxBody when zero.
	// A refusal as too large halves it (down to one document), and a document too large alone is
	// rejected here: one huge document never stops the ones after it.
	Bytes int

	// Backoff after a failure grows from MinBackoff to MaxBackoff (1 s and 1 min when zero), with jitter so
	// a shop's tills do not all retry at once when the head office returns.
	MinBackoff, MaxBackoff time.Duration
	// Idle is how often an idle uploader looks for new documents without a Wake; 10 s when zero.
	Idle time.Duration
	// OnStatus, when set, is called with every change of status, from the uploader's goroutine.
	OnStatus func(app.SyncStatus)
	// Down, when set, brings the head office's changes down after every upload that leaves nothing
	// pending: the two directions share the loop, its backoff and its status.
	Down *Downloader
	// AfterSync, when set, runs on the uploader's goroutine after every sync that succeeds: the till
	// offers its parked carts to the shop again there (app.OfferParked).
	AfterSync func(ctx context.Context)
	// JournalKey is the till's journal key: a till enrolled before keys registers it with the head office
	// before it uploads, so that the head office checks its journal's chain. nil: never registered here.
	JournalKey []byte

	wake   chan struct{}
	once   sync.Once
	mu     sync.Mutex
	status app.SyncStatus
}

func (u *Uploader) init() {
	u.once.Do(func() {
		u.wake = make(chan struct{}, 1)
		u.status.Enrolled = true
		if u.Batch <= 0 {
			u.Batch = 500
		}
		u.Batch = min(u.Batch, api.MaxBatch)
		if u.Bytes <= 0 {
			u.Bytes = api.MaxBody / 2
		}
		if u.MinBackoff == 0 {
			u.MinBackoff = time.Second
		}
		if u.MaxBackoff == 0 {
			u.MaxBackoff = time.Minute
		}
		if u.Idle == 0 {
			u.Idle = 10 * time.Second
		}
	})
}

// Wake asks a running uploader to look for new documents now (after a sale, say). It never blocks.
func (u *Uploader) Wake() {
	u.init()
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// Status returns the latest status.
func (u *Uploader) Status() app.SyncStatus {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.status
}

func (u *Uploader) update(fn func(*app.SyncStatus)) {
	u.mu.Lock()
	fn(&u.status)
	st := u.status
	u.mu.Unlock()
	if u.OnStatus != nil {
		u.OnStatus(st)
	}
}

// Run uploads until ctx ends: everything pending, then waits for a Wake or the idle interval; after a
// failure it backs off exponentially with jitter.
func (u *Uploader) Run(ctx context.Context) {
	u.init()
	backoff := u.MinBackoff
	for {
		_, _, err := u.Sync(ctx)
		wait := u.Idle
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// A refusal (bad token, another shop's, a document the head office rejects) will not pass by
			// itself: retry slowly until someone acts on the error shown.
			var refused *api.Error
			if errors.As(err, &refused) && refused.Permanent() {
				backoff = u.MaxBackoff
			}
			// Jitter over the upper half: never a tight loop, never all tills in step.
			wait = backoff/2 + rand.N(backoff/2+1)
			backoff = min(2*backoff, u.MaxBackoff)
		} else {
			backoff = u.MinBackoff
			if u.AfterSync != nil {
				u.AfterSync(ctx)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-u.wake:
			if err != nil {
				// A sale during backoff does not cut it short: the head office is still away.
				select {
				case <-ctx.Done():
				case <-t.C:
				}
			}
		case <-t.C:
		}
		t.Stop()
	}
}

// Sync uploads everything pending and then, with a Downloader, applies the head office's changes.
func (u *Uploader) Sync(ctx context.Context) (sent int, applied app.HQApplied, err error) {
	u.init()
	sent, err = u.UploadPending(ctx)
	if err != nil || u.Down == nil {
		return sent, applied, err
	}
	applied, err = u.Down.DownloadChanges(ctx)
	if err != nil {
		if ctx.Err() == nil {
			u.update(func(s *app.SyncStatus) { s.Online, s.LastError = false, "down-sync: "+err.Error() })
		}
		return sent, applied, err
	}
	u.update(func(s *app.SyncStatus) {
		s.Online, s.LastError, s.LastDown = true, "", time.Now()
		if applied.PromotionsHeld != nil {
			s.LastError = "down-sync: promotions held back: " + applied.PromotionsHeld.Error()
		}
		if applied.Members > 0 {
			s.Conflicts = len(applied.Overdrawn)
		}
	})
	return sent, applied, nil
}

// UploadPending uploads batches until nothing is pending or an upload fails, and returns how many
// documents the head office acknowledged.
func (u *Uploader) UploadPending(ctx context.Context) (int, error) {
	u.init()
	sent := 0
	for {
		n, more, err := u.uploadBatch(ctx)
		sent += n
		if err != nil {
			if ctx.Err() == nil { // stopping is not a failure to show
				u.update(func(s *app.SyncStatus) { s.Online, s.LastError = false, err.Error() })
			}
			return sent, err
		}
		if !more {
			return sent, nil
		}
	}
}

// uploadBatch sends the oldest pending batch: the journal's rows after the head office's head and the
// documents they record, as many as Batch and Bytes allow; more says it left some pending.
func (u *Uploader) uploadBatch(ctx context.Context) (sent int, more bool, err error) {
	if err := u.registerKey(ctx); err != nil {
		return 0, false, err
	}
	backlog, err := u.Outbox.Backlog(ctx)
	if err != nil {
		return 0, false, err
	}
	pending := backlog.Pending
	u.update(func(s *app.SyncStatus) { s.Pending, s.Rejected, s.Oldest = pending, backlog.Rejected, backlog.Oldest })
	if pending == 0 && backlog.Links == 0 {
		u.update(func(s *app.SyncStatus) { s.Online, s.LastError = true, "" })
		return 0, false, nil
	}
	hq, registered, err := u.Outbox.HQHead(ctx)
	if err != nil {
		return 0, false, err
	}
	var links []app.ChainLink
	if registered {
		if links, err = u.Outbox.JournalLinks(ctx, hq.Seq, 4*u.Batch); err != nil {
			return 0, false, err
		}
	}
	docs, err := u.Outbox.PendingOutbox(ctx, u.Batch)
	if err != nil {
		return 0, false, err
	}
	links, docs, size := u.fill(links, docs, registered, hq.Seq)
	if len(links) == 0 && len(docs) == 0 {
		return 0, false, nil
	}
	req := api.UploadRequest{Pending: pending, Oldest: backlog.Oldest, LastError: u.Status().LastError,
		Links: make([]api.Link, len(links)), Documents: make([]api.Document, len(docs))}
	for i, l := range links {
		req.Links[i] = api.Link{Seq: l.Seq, At: l.At, Kind: l.Kind, Payload: l.Payload, PrevHash: l.PrevHash, Hash: l.Hash}
	}
	asked := make(map[string]bool, len(docs))
	for i, d := range docs {
		req.Documents[i] = api.Document{ID: d.ID, Kind: d.Kind, Version: document.Version, Seq: d.Seq, At: d.At, Body: d.Body}
		asked[d.ID] = true
	}
	reply, err := u.Client.Upload(ctx, req)
	var refused *api.Error
	if errors.As(err, &refused) && refused.Status == http.StatusRequestEntityTooLarge {
		if len(docs)+len(links) > 1 {
			u.Bytes = max(size/2, 1) // the head office (or a proxy before it) takes less: send less
			return 0, true, nil
		}
		// One document alone is too large for the head office: it can never go, and must not stop the
		// rest (its journal row still goes, on its own).
		reason := fmt.Sprintf("%d bytes: larger than the head office accepts (%s)", len(docs[0].Body), refused.Message)
		if err := u.Outbox.MarkRejected(ctx, []app.Rejection{{ID: docs[0].ID, Reason: reason}}, time.Now()); err != nil {
			return 0, false, err
		}
		u.update(func(s *app.SyncStatus) { s.Rejected++ })
		return 1, true, nil
	}
	if errors.As(err, &refused) && refused.Code == "chain" && registered {
		if again, rerr := u.rewind(ctx, hq); rerr != nil || again {
			return 0, again, rerr
		}
	}
	if err != nil {
		return 0, false, err
	}
	if registered {
		if err := u.Outbox.SetHQHead(ctx, app.ChainHead{Seq: reply.Head.Seq, Hash: reply.Head.Hash}); err != nil {
			return 0, false, fmt.Errorf("the head office's head: %w", err)
		}
	}
	acked := make([]string, 0, len(docs))
	for _, id := range append(reply.Stored, reply.Duplicates...) {
		if !asked[id] {
			return 0, false, fmt.Errorf("head office acknowledged %s, which was not sent", id)
		}
		delete(asked, id) // each once
		acked = append(acked, id)
	}
	rejected := make([]app.Rejection, 0, len(reply.Rejected))
	for _, r := range reply.Rejected {
		if !asked[r.ID] {
			return 0, false, fmt.Errorf("head office rejected %s, which was not sent", r.ID)
		}
		delete(asked, r.ID)
		rejected = append(rejected, app.Rejection{ID: r.ID, Reason: r.Reason})
	}
	now := time.Now()
	// The head office holds them now; if the till stops before this commits, they go again and are
	// acknowledged as duplicates, or rejected again.
	if err := u.Outbox.MarkSent(ctx, acked, now); err != nil {
		return 0, false, fmt.Errorf("mark sent: %w", err)
	}
	if err := u.Outbox.MarkRejected(ctx, rejected, now); err != nil {
		return 0, false, fmt.Errorf("mark rejected: %w", err)
	}
	done := len(acked) + len(rejected)
	u.update(func(s *app.SyncStatus) {
		s.Online, s.LastError, s.LastSync, s.Pending = true, "", now, pending-int64(done)
		s.Rejected += int64(len(rejected))
	})
	if len(asked) > 0 {
		return done, false, errors.New("head office acknowledged only part of the batch")
	}
	linksLeft := registered && len(links) > 0 && reply.Head.Seq < hq.Seq+backlog.Links
	return done, int64(done) < pending || linksLeft, nil
}

// fill takes, in the journal's order, as many journal rows and the documents they record as fit in
// Bytes (one at least). Documents whose rows the head office holds already (a retry) go first; a till
// whose key is not registered sends documents alone.
func (u *Uploader) fill(links []app.ChainLink, docs []app.OutboxDoc, registered bool, hqSeq int64) ([]app.ChainLink, []app.OutboxDoc, int) {
	size, di, taken := 0, 0, 0
	fits := func(add int) bool {
		if size+add > u.Bytes && taken > 0 {
			return false
		}
		size, taken = size+add, taken+1
		return true
	}
	for di < len(docs) && (!registered || docs[di].Seq <= hqSeq) {
		if !fits(len(docs[di].Body)) {
			return nil, docs[:di], size
		}
		di++
	}
	for i, l := range links {
		add, dj := len(l.Payload)+256, di
		for ; dj < len(docs) && docs[dj].Seq <= l.Seq; dj++ {
			add += len(docs[dj].Body)
		}
		if !fits(add) {
			return links[:i], docs[:di], size
		}
		di = dj
	}
	if !registered {
		return nil, docs[:di], size
	}
	return links, docs[:di], size // documents past the last row sent wait for their rows
}

// rewind handles a chain refusal from a head office that lost rows it had acknowledged: restored from
// a backup, or failed over to a replica that had not received them (asynchronous replication). Its head
// is then behind the one it last told the till, and is a row of the till's journal: the till moves its
// record of the head office's head back there and sends again everything after it (the head office
// answers what it does hold as duplicates). again says to upload again; false with no error leaves the
// refusal to be shown (a journal that does not continue the head office's is for someone to look at).
func (u *Uploader) rewind(ctx context.Context, told app.ChainHead) (again bool, err error) {
	ch, err := u.Client.Chain(ctx)
	if err != nil || !ch.Registered || ch.Head.Seq >= told.Seq {
		return false, nil
	}
	n, err := u.Outbox.RewindHQHead(ctx, app.ChainHead{Seq: ch.Head.Seq, Hash: ch.Head.Hash})
	if err != nil {
		return false, fmt.Errorf("the head office holds the journal up to row %d, not %d as it acknowledged: %w", ch.Head.Seq, told.Seq, err)
	}
	u.update(func(s *app.SyncStatus) {
		s.LastError = fmt.Sprintf("the head office lost journal rows %d to %d it had acknowledged: %d documents sent again", ch.Head.Seq+1, told.Seq, n)
	})
	return true, nil
}

// registerKey registers the till's journal key with the head office, anchoring its chain before the
// oldest document waiting (ChainAnchor), when a till enrolled before keys has not yet.
func (u *Uploader) registerKey(ctx context.Context) error {
	if u.JournalKey == nil {
		return nil
	}
	if _, registered, err := u.Outbox.HQHead(ctx); err != nil || registered {
		return err
	}
	head, err := u.Outbox.ChainAnchor(ctx)
	if err != nil {
		return err
	}
	if err := u.Client.RegisterKey(ctx, u.JournalKey, api.Head{Seq: head.Seq, Hash: head.Hash}); err != nil {
		return fmt.Errorf("register the journal key: %w", err)
	}
	return u.Outbox.SetHQHead(ctx, head)
}
