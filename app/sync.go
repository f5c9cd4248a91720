package app

import (
	"context"
	"encoding/json"
	"time"
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
	// PendingCount returns how many documents are not sent yet.
	PendingCount(ctx context.Context) (int64, error)
}

// SyncStatus is what the till shows of its link to the head office.
type SyncStatus struct {
	Enrolled  bool
	Online    bool      // the last upload attempt reached the head office
	Pending   int64     // documents not yet acknowledged
	LastSync  time.Time // the last acknowledged upload; zero for never
	LastError string    // the last failure, "" once an upload succeeds
}
