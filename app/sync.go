package app

import (
	"context"
	"encoding/json"
	"time"

	"checkout/app/money"
)

// OutboxDoc is one document waiting for the head office: a sale, refund, top-up, stock movement (receiving,
// adjustment, count, transfer), shift or cash movement, or Z report, in the order the till committed it.
// ID is its UUID, the idempotency key of the upload.
type OutboxDoc struct {
	ID   string
	Kind string // "sale", "refund", "topup", "stock", "shift_open", "cash_in", "cash_out", "shift_close", "zreport"
	Seq  int64  // the journal row that recorded it: the till's order
	At   time.Time
	Body json.RawMessage // the full document, rebuilt from the stored rows
}

// Outbox is the till's log of documents for the head office. Rows are marked sent once the head office
// acknowledges them and never deleted.
type Outbox interface {
	// PendingOutbox returns up to limit unsent documents, oldest first.
	PendingOutbox(ctx context.Context, limit int) ([]OutboxDoc, error)
	// MarkSent records that the head office holds the documents with these IDs.
	MarkSent(ctx context.Context, ids []string, at time.Time) error
	// MarkRejected records the documents the head office rejected (their ID and Reason): never sent again.
	MarkRejected(ctx context.Context, rejected []Rejection, at time.Time) error
	// Backlog says how much waits for the head office, since when, and how much it rejected.
	Backlog(ctx context.Context) (Backlog, error)
	// JournalLinks returns up to limit rows of the journal after row after, in order.
	JournalLinks(ctx context.Context, after int64, limit int) ([]ChainLink, error)
	// ChainAnchor returns where the head office may anchor the till's chain: the row before the oldest
	// document not yet sent (so its row goes up with it), or the journal's last row when none waits.
	ChainAnchor(ctx context.Context) (ChainHead, error)
	// HQHead returns the last journal row the head office acknowledged, and whether the till's journal
	// key is registered with it.
	HQHead(ctx context.Context) (head ChainHead, registered bool, err error)
	// SetHQHead records the head office's head, and that the key is registered.
	SetHQHead(ctx context.Context, head ChainHead) error
	// RewindHQHead moves the head office's head back to head, which must be a row of the till's journal,
	// and queues again the documents after it that the head office had acknowledged or rejected: for a
	// head office that lost what it acknowledged (a failover to a replica that was behind, a restore from
	// a backup). It returns how many documents go again.
	RewindHQHead(ctx context.Context, head ChainHead) (int64, error)
}

// ChainLink is one row of the till's journal, as the head office checks and keeps it.
type ChainLink struct {
	Seq                               int64
	At, Kind, Payload, PrevHash, Hash string
}

// Backlog is what the outbox holds that the head office does not.
type Backlog struct {
	Pending  int64     // documents neither sent nor rejected
	Links    int64     // journal rows the head office does not hold yet
	Oldest   time.Time // when the oldest of them was made; zero for none
	Rejected int64     // documents the head office rejected
}

// Rejection is a document the head office refused to believe (it failed its checks), and why: it keeps
// the document apart and never counts it, and the till does not send it again.
type Rejection struct {
	ID      string
	Kind    string
	Seq     int64
	Receipt string // the receipt, refund, top-up or Z number, when the document has one
	Reason  string
	At      time.Time // when the till learnt of it
}

// SyncStatus is what the till shows of its link to the head office.
type SyncStatus struct {
	Enrolled  bool
	Online    bool      // the last upload attempt reached the head office
	Pending   int64     // documents not yet acknowledged
	LastSync  time.Time // the last acknowledged upload; zero for never
	LastError string    // the last failure, "" once an upload succeeds
	LastDown  time.Time // the last successful down-sync of the head office's catalog and members
	Conflicts int       // members the last down-sync found overdrawn (negative at the head office)
	Rejected  int64     // documents the head office rejected: someone must look at them
	Oldest    time.Time // when the oldest document not yet acknowledged was made; zero for none
}

// StuckAfter is how long a document may wait for the head office, while the till reaches it, before the
// till says something is wrong: an upload that keeps failing for one document is not a slow network.
const StuckAfter = 10 * time.Minute

// Stuck reports whether the till reaches the head office yet its oldest document has waited past
// StuckAfter, or the head office rejected documents: either needs someone to look.
func (s SyncStatus) Stuck(now time.Time) bool {
	return s.Rejected > 0 || s.Online && !s.Oldest.IsZero() && now.Sub(s.Oldest) > StuckAfter
}

// HQMember is a member as the head office knows them: Balance and Points are authoritative (every
// till's uploaded documents summed); Balance is negative when tills overdrew the card offline.
type HQMember struct {
	Number, Name, Phone, Tier string
	Balance                   money.Amount
	Points                    int64
	Seq                       int64
}

// HQChanges is one page of the head office's changes for this till's shop, in change-sequence order: the
// products (matched by SKU) and members (by number) changed since the till's high-water mark, and Next,
// the mark after this page.
type HQChanges struct {
	Products []CatalogEntry
	Members  []HQMember
	Next     int64
	// Promotions are the head office's promotions changed after the till's promotions mark (each with its
	// HQID; its Rule.ID is not the till's), and PromotionsNext the mark after them: they have a mark of
	// their own, so a till that learns them late reads them all from 0. 0: the page moves no promotion.
	Promotions     []Promotion
	PromotionsNext int64
}

// HQApplied is what applying a page of changes did.
type HQApplied struct {
	Products, Members, Promotions int
	// Overdrawn lists the members the head office holds below zero: tills spent the same money offline.
	Overdrawn []string
	// PromotionsHeld is why the page's promotions were not applied (a rule this till refuses: one it
	// cannot apply as meant, or a hostile one), nil when they were. They stay at the head office's
	// promotions mark, to come again; the page's products and members were applied without them.
	PromotionsHeld error
}

// Downlink is the till's side of the down-sync; the store implements it.
type Downlink interface {
	// DownSeq returns the highest change sequence applied (0 for none).
	DownSeq(ctx context.Context) (int64, error)
	// PromotionsSeq returns the highest change sequence of the head office's promotions applied (0 for none).
	PromotionsSeq(ctx context.Context) (int64, error)
	// ApplyChanges applies one page in one transaction, with its new high-water mark and a journal entry;
	// a page that fails changes nothing.
	ApplyChanges(ctx context.Context, ch HQChanges, at time.Time) (HQApplied, error)
}
