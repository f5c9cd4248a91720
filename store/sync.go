package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

var _ app.Outbox = (*Store)(nil)

// PendingOutbox returns up to limit documents the head office has not acknowledged, in journal order, each
// rebuilt in full from its stored rows: the journal holds only a sale's or refund's hash.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]app.OutboxDoc, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT o.id, o.kind, o.journal_seq, j.at, j.payload FROM outbox o
		JOIN journal j ON j.seq = o.journal_seq WHERE o.sent_at IS NULL AND o.rejected_at IS NULL ORDER BY o.journal_seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	defer rows.Close()
	var docs []app.OutboxDoc
	var payloads []string
	for rows.Next() {
		var d app.OutboxDoc
		var at, payload string
		if err := rows.Scan(&d.ID, &d.Kind, &d.Seq, &at, &payload); err != nil {
			return nil, err
		}
		if d.At, err = parseTimestamp(at); err != nil {
			return nil, fmt.Errorf("outbox %s: %w", d.ID, err)
		}
		docs = append(docs, d)
		payloads = append(payloads, payload)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := s.outboxDocuments(ctx, docs, payloads); err != nil {
		return nil, err
	}
	return docs, nil
}

// outboxDocuments fills in the documents' bodies as outboxDocument makes them, reading the batch's
// sales with one query each for the sales, their lines and their tenders, and its refunds with one
// for the refunds (one by one, the upload spent ≈ 120 µs a document on queries; issue 26). Top-ups and
// Z reports, a few a day, are read one by one.
func (s *Store) outboxDocuments(ctx context.Context, docs []app.OutboxDoc, payloads []string) error {
	var saleIDs, refundIDs []any
	for _, d := range docs {
		switch d.Kind {
		case "sale":
			saleIDs = append(saleIDs, d.ID)
		case "refund":
			refundIDs = append(refundIDs, d.ID)
		}
	}
	sales := make(map[string]*app.Sale, len(saleIDs))
	for ids := range slices.Chunk(saleIDs, maxInList) {
		read, err := s.readSales(ctx, `uuid IN (`+params(len(ids))+`)`, ids...)
		if err != nil {
			return fmt.Errorf("outbox sales: %w", err)
		}
		for _, sale := range read {
			sales[sale.ID] = sale
		}
	}
	refunds := make(map[string]*app.Refund, len(refundIDs))
	for ids := range slices.Chunk(refundIDs, maxInList) {
		read, err := s.readRefunds(ctx, `r.uuid IN (`+params(len(ids))+`)`, ids...)
		if err != nil {
			return fmt.Errorf("outbox refunds: %w", err)
		}
		for i := range read {
			refunds[read[i].ID] = &read[i]
		}
	}
	for i, d := range docs {
		var err error
		switch d.Kind {
		case "sale":
			sale, ok := sales[d.ID]
			if !ok {
				err = fmt.Errorf("sale %s: %w", d.ID, ErrNotFound)
				break
			}
			docs[i].Body, err = json.Marshal(newSaleDoc(sale))
		case "refund":
			r, ok := refunds[d.ID]
			if !ok {
				err = ErrNotFound
				break
			}
			docs[i].Body, err = json.Marshal(newRefundDoc(r))
		default:
			docs[i].Body, err = s.outboxDocument(ctx, d, payloads[i])
		}
		if err != nil {
			return fmt.Errorf("outbox %s %s: %w", d.Kind, d.ID, err)
		}
	}
	return nil
}

// maxInList is the most ids read with one IN list, well below SQLite's limit of 32,766 parameters.
const maxInList = 1000

// params is n SQL parameters, "?, ?, …", for an IN list.
func params(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// outboxDocument maps one outbox row to the JSON document the head office stores. Sales, refunds, top-ups
// and Z reports are rebuilt from their tables; the journal entries of stock movements, shift openings,
// closes and cash movements already hold every column, so they are sent as journaled.
func (s *Store) outboxDocument(ctx context.Context, d app.OutboxDoc, payload string) (json.RawMessage, error) {
	var doc any
	switch d.Kind {
	case "sale":
		sale, err := s.readSale(ctx, d.ID, `uuid = ?`, d.ID)
		if err != nil {
			return nil, err
		}
		doc = newSaleDoc(sale)
	case "refund":
		refunds, err := s.readRefunds(ctx, `r.uuid = ?`, d.ID)
		if err != nil {
			return nil, err
		}
		if len(refunds) != 1 {
			return nil, ErrNotFound
		}
		doc = newRefundDoc(&refunds[0])
	case "topup":
		t, err := s.topUpDoc(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		doc = t
	case "zreport":
		r, err := s.readZRow(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		doc = r
	default:
		if !json.Valid([]byte(payload)) {
			return nil, errors.New("journal payload is not JSON")
		}
		return json.RawMessage(payload), nil
	}
	return json.Marshal(doc)
}

func (s *Store) topUpDoc(ctx context.Context, id string) (document.TopUp, error) {
	var d document.TopUp
	var amount, bonus, tendered, change int64
	var strokes sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT t.uuid, t.till, t.receipt_no, m.number, t.at, t.currency, t.amount, t.bonus, t.tender_kind,
		t.tendered, t.change, t.approval, t.card_last4, t.reference, t.user, t.signature FROM topups t JOIN members m ON m.id = t.member_id
		WHERE t.uuid = ?`, id).Scan(&d.ID, &d.Till, &d.ReceiptNo, &d.Member, &d.At, &d.Currency, &amount, &bonus, &d.Tender,
		&tendered, &change, &d.Approval, &d.CardLast4, &d.Reference, &d.User, &strokes)
	if err != nil {
		return d, err
	}
	sig, err := storedSignature(strokes)
	if err != nil {
		return d, fmt.Errorf("top-up %s's signature: %w", d.ReceiptNo, err)
	}
	d.SignatureSHA256 = signatureDigest(sig)
	c, err := money.Lookup(d.Currency)
	if err != nil {
		return d, err
	}
	d.Amount, d.Bonus = money.New(amount, c).Decimal(), money.New(bonus, c).Decimal()
	d.Tendered, d.Change = money.New(tendered, c).Decimal(), money.New(change, c).Decimal()
	return d, nil
}

// MarkSent records the head office's acknowledgement of the documents with these IDs, and the time of it.
// Rows stay in the outbox: it is the till's log.
func (s *Store) MarkSent(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	ts := timestamp(at)
	return s.write(ctx, func(tx *sql.Tx) error {
		// SQLite allows 32,766 parameters; an upload batch is far smaller, but chunk anyway.
		for first := 0; first < len(ids); first += 500 {
			chunk := ids[first:min(first+500, len(ids))]
			args := make([]any, 0, len(chunk)+1)
			args = append(args, ts)
			for _, id := range chunk {
				args = append(args, id)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id IN (?`+
				strings.Repeat(", ?", len(chunk)-1)+`)`, args...); err != nil {
				return fmt.Errorf("mark sent: %w", err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET last_sync_at = ?`, ts)
		return err
	})
}

// MarkRejected records the documents the head office rejected, with its reasons: they are not sent again,
// and the sync page lists them. A document it acknowledged already is left as sent.
func (s *Store) MarkRejected(ctx context.Context, rejected []app.Rejection, at time.Time) error {
	if len(rejected) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, r := range rejected {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET rejected_at = ?, reject_reason = ? WHERE id = ? AND sent_at IS NULL`,
				timestamp(at), r.Reason, r.ID); err != nil {
				return fmt.Errorf("mark rejected: %w", err)
			}
		}
		return nil
	})
}

// RejectedOutbox returns the documents the head office rejected, oldest first, with what they are.
func (s *Store) RejectedOutbox(ctx context.Context) ([]app.Rejection, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT o.id, o.kind, o.journal_seq, o.rejected_at, o.reject_reason,
		coalesce(x.receipt_no, r.receipt_no, p.receipt_no, z.z_no, '')
		FROM outbox o LEFT JOIN sales x ON x.uuid = o.id LEFT JOIN refunds r ON r.uuid = o.id LEFT JOIN topups p ON p.uuid = o.id
		LEFT JOIN zreports z ON z.uuid = o.id
		WHERE o.rejected_at IS NOT NULL ORDER BY o.journal_seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Rejection
	for rows.Next() {
		var r app.Rejection
		var at string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Seq, &at, &r.Reason, &r.Receipt); err != nil {
			return nil, err
		}
		r.At, _ = parseTimestamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Backlog returns how many documents wait for the head office and since when, and how many it
// rejected: two counts and a first row, each on a partial index that holds only such rows.
func (s *Store) Backlog(ctx context.Context) (app.Backlog, error) {
	var b app.Backlog
	var oldest sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL),
		(SELECT created_at FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL ORDER BY journal_seq LIMIT 1),
		(SELECT count(*) FROM outbox WHERE rejected_at IS NOT NULL)`).Scan(&b.Pending, &oldest, &b.Rejected)
	if err != nil {
		return b, fmt.Errorf("outbox backlog: %w", err)
	}
	if oldest.Valid {
		b.Oldest, _ = parseTimestamp(oldest.String)
	}
	head, err := s.JournalHead(ctx)
	if err != nil {
		return b, err
	}
	hq, registered, err := s.HQHead(ctx)
	if err != nil {
		return b, err
	}
	if registered {
		b.Links = max(0, head.Seq-hq.Seq)
	}
	return b, nil
}

// JournalLinks returns up to limit journal rows after row after, in order.
func (s *Store) JournalLinks(ctx context.Context, after int64, limit int) ([]app.ChainLink, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, kind, payload, prev_hash, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.ChainLink
	for rows.Next() {
		var l app.ChainLink
		if err := rows.Scan(&l.Seq, &l.At, &l.Kind, &l.Payload, &l.PrevHash, &l.Hash); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// JournalHead returns the journal's last row (Seq 0 for an empty journal).
func (s *Store) JournalHead(ctx context.Context) (app.ChainHead, error) {
	var h app.ChainHead
	err := s.r.QueryRowContext(ctx, `SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return app.ChainHead{}, nil
	}
	return h, err
}

// ChainAnchor returns where the head office may anchor this till's chain: the journal row before the
// oldest document neither sent nor rejected, so that every waiting document goes up with its row; the
// journal's last row when none waits.
func (s *Store) ChainAnchor(ctx context.Context) (app.ChainHead, error) {
	var first sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(journal_seq) FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL`).Scan(&first); err != nil {
		return app.ChainHead{}, err
	}
	if !first.Valid {
		return s.JournalHead(ctx)
	}
	if first.Int64 <= 1 {
		return app.ChainHead{}, nil
	}
	hash, err := s.JournalRow(ctx, first.Int64-1)
	return app.ChainHead{Seq: first.Int64 - 1, Hash: hash}, err
}

// JournalRow returns the hash of journal row seq, or ErrNotFound.
func (s *Store) JournalRow(ctx context.Context, seq int64) (string, error) {
	var hash string
	err := s.r.QueryRowContext(ctx, `SELECT hash FROM journal WHERE seq = ?`, seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("journal row %d: %w", seq, ErrNotFound)
	}
	return hash, err
}

// HQHead returns the last journal row the head office acknowledged and whether the till's journal key is
// registered with it (never, for a till not enrolled).
func (s *Store) HQHead(ctx context.Context) (app.ChainHead, bool, error) {
	var h app.ChainHead
	var registered bool
	err := s.r.QueryRowContext(ctx, `SELECT hq_head_seq, hq_head_hash, key_registered FROM sync_state`).Scan(&h.Seq, &h.Hash, &registered)
	if errors.Is(err, sql.ErrNoRows) {
		return app.ChainHead{}, false, nil
	}
	return h, registered, err
}

// SetHQHead records the head office's head of the till's journal, and that the till's key is registered.
func (s *Store) SetHQHead(ctx context.Context, head app.ChainHead) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_state SET hq_head_seq = ?, hq_head_hash = ?, key_registered = 1`, head.Seq, head.Hash)
		if err != nil { // a cancelled context (the till closing mid-upload) gives no result to ask
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("the head office's head: sync: not enrolled: %w", ErrNotFound)
		}
		return nil
	})
}

// RewindHQHead moves the head office's head back to head, a row of the journal (a head office that lost
// rows it had acknowledged), and queues again the documents after it that were sent or rejected.
func (s *Store) RewindHQHead(ctx context.Context, head app.ChainHead) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		if head.Seq > 0 {
			var hash string
			err := tx.QueryRowContext(ctx, `SELECT hash FROM journal WHERE seq = ?`, head.Seq).Scan(&hash)
			if errors.Is(err, sql.ErrNoRows) || err == nil && hash != head.Hash {
				return fmt.Errorf("the head office's head, row %d, is not this till's journal row: %w", head.Seq, ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = NULL, rejected_at = NULL, reject_reason = ''
			WHERE journal_seq > ? AND (sent_at IS NOT NULL OR rejected_at IS NOT NULL)`, head.Seq)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		res, err = tx.ExecContext(ctx, `UPDATE sync_state SET hq_head_seq = ?, hq_head_hash = ? WHERE hq_head_seq > ?`, head.Seq, head.Hash, head.Seq)
		if err != nil {
			return err
		}
		if m, _ := res.RowsAffected(); m != 1 {
			return fmt.Errorf("the head office's head is not past row %d: nothing to rewind", head.Seq)
		}
		return nil
	})
	return n, err
}

// PendingCount returns how many outbox documents the head office has not acknowledged.
func (s *Store) PendingCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND rejected_at IS NULL`).Scan(&n)
	return n, err
}

// SyncLink is the till's enrolment at a head office.
type SyncLink struct {
	URL, Shop, Till string
	EnrolledAt      time.Time
	LastSync        time.Time // zero for never
}

// SyncLink returns the till's enrolment, or ErrNotFound when the till is not enrolled.
func (s *Store) SyncLink(ctx context.Context) (SyncLink, error) {
	var l SyncLink
	var enrolled string
	var last sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT hq_url, shop, till, enrolled_at, last_sync_at FROM sync_state`).Scan(
		&l.URL, &l.Shop, &l.Till, &enrolled, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("sync: not enrolled: %w", ErrNotFound)
	}
	if err != nil {
		return l, err
	}
	l.EnrolledAt, _ = parseTimestamp(enrolled)
	if last.Valid {
		l.LastSync, _ = parseTimestamp(last.String)
	}
	return l, nil
}

// SetSyncLink records (or replaces) the till's enrolment.
func (s *Store) SetSyncLink(ctx context.Context, l SyncLink) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_state (id, hq_url, shop, till, enrolled_at) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET hq_url = excluded.hq_url, shop = excluded.shop, till = excluded.till,
			enrolled_at = excluded.enrolled_at`, l.URL, l.Shop, l.Till, timestamp(l.EnrolledAt))
		return err
	})
}

// moveEntry is what the journal records of a till moved to another shop.
type moveEntry struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Products  int64  `json:"products_withdrawn"`
	Members   int64  `json:"members_cleared"`
	Abandoned int64  `json:"documents_left"`
	// Ledger is the digest of the member ledger rows that cleared the balances (ledgerDigest).
	Ledger string `json:"ledger_sha256,omitempty"`
}

// MoveToShop makes the till ready for another shop's head office, in one transaction, journaled
// ("moved_shop"): the old shop's catalog is withdrawn (every product inactive, its barcodes gone: the new
// shop's come down afresh), its members' balances and points cleared (a ledger row of kind 'hq' each)
// and their cards blocked, the down-sync starts again from the beginning, and documents not yet sent
// to the old shop are marked rejected with the reason, never sent to the new one. Sales, refunds and
// the journal stay: they are the till's history.
func (s *Store) MoveToShop(ctx context.Context, from, to string, at time.Time) error {
	ts := timestamp(at)
	return s.write(ctx, func(tx *sql.Tx) error {
		var e moveEntry
		e.From, e.To = from, to
		res, err := tx.ExecContext(ctx, `UPDATE products SET active = 0 WHERE active = 1`)
		if err != nil {
			return err
		}
		e.Products, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes`); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, balance, points FROM members WHERE balance <> 0 OR points <> 0`)
		if err != nil {
			return err
		}
		type clear struct{ id, balance, points int64 }
		var clears []clear
		for rows.Next() {
			var c clear
			if err := rows.Scan(&c.id, &c.balance, &c.points); err != nil {
				rows.Close()
				return err
			}
			clears = append(clears, c)
		}
		rows.Close()
		var ledger []ledgerRow
		for _, c := range clears {
			ledger = append(ledger, ledgerRow{Member: c.id, At: ts, Kind: "hq", Amount: -c.balance, Points: -c.points, Ref: "moved to shop " + to})
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if err := postMember(ctx, tx, seq, ledger); err != nil {
			return err
		}
		e.Members, e.Ledger = int64(len(clears)), ledgerDigest(ledger)
		if _, err := tx.ExecContext(ctx, `UPDATE member_cards SET blocked_at = ? WHERE blocked_at IS NULL`, ts); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET down_seq = 0`); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE outbox SET rejected_at = ?, reject_reason = ? WHERE sent_at IS NULL AND rejected_at IS NULL`,
			ts, "left behind when the till moved from shop "+from+" to shop "+to)
		if err != nil {
			return err
		}
		e.Abandoned, _ = res.RowsAffected()
		return s.appendJournal(ctx, tx, at, "moved_shop", e)
	})
}
