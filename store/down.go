package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/barcode"
)

var _ app.Downlink = (*Store)(nil)

// DownSeq returns the highest head-office change sequence this till applied; 0 before the first
// down-sync or when the till is not enrolled.
func (s *Store) DownSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT down_seq FROM sync_state`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// PromotionsSeq returns the highest change sequence of the head office's promotions this till applied.
func (s *Store) PromotionsSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT promo_seq FROM sync_state`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// catalogSyncEntry is what the journal records of one applied page of changes.
type catalogSyncEntry struct {
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	Products []string `json:"products,omitempty"` // SKUs
	Members  []string `json:"members,omitempty"`  // numbers
	// Promotions are the head office's ids of the promotions the page wrote (each journaled as a
	// "promotion" entry too), PromotionsTo their mark after it.
	Promotions   []int64  `json:"promotions,omitempty"`
	PromotionsTo int64    `json:"promotions_to,omitempty"`
	Overdrawn    []string `json:"overdrawn,omitempty"`
	// Ledger is the digest of the member ledger rows the page wrote (ledgerDigest): each names this entry.
	Ledger string `json:"ledger_sha256,omitempty"`
}

// unsentMemberMoves sums a member's ledger rows whose documents the head office does not hold yet: its
// balance and points do not include them. A document it rejected never will: the head office's figure
// stands.
const unsentMemberMoves = `SELECT coalesce(sum(l.amount), 0), coalesce(sum(l.points), 0) FROM member_ledger l
	WHERE l.member_id = ? AND l.kind <> 'hq' AND l.ref IN (
		SELECT x.receipt_no FROM outbox o JOIN sales x ON x.uuid = o.id WHERE o.sent_at IS NULL AND o.rejected_at IS NULL
		UNION ALL SELECT x.receipt_no FROM outbox o JOIN refunds x ON x.uuid = o.id WHERE o.sent_at IS NULL AND o.rejected_at IS NULL
		UNION ALL SELECT x.receipt_no FROM outbox o JOIN topups x ON x.uuid = o.id WHERE o.sent_at IS NULL AND o.rejected_at IS NULL)`

// ApplyChanges applies one page of the head office's changes in one transaction: products upserted by SKU
// with their barcodes and search rows (a barcode the head office moved to another product moves with it),
// members upserted by number, their balance and points set to the head office's plus what this till has
// not uploaded yet (a ledger row of kind 'hq' records the difference; a card the head office holds below
// zero is left at zero here, so it spends no more), the new high-water mark, and one "catalog_sync"
// journal entry. A page older than the mark changes nothing. Promotions the till refuses are held back
// (HQApplied.PromotionsHeld) without holding back the rest.
func (s *Store) ApplyChanges(ctx context.Context, ch app.HQChanges, at time.Time) (app.HQApplied, error) {
	var done app.HQApplied
	err := s.write(ctx, func(tx *sql.Tx) error {
		var from, promoFrom int64
		if err := tx.QueryRowContext(ctx, `SELECT down_seq, promo_seq FROM sync_state`).Scan(&from, &promoFrom); err != nil {
			return fmt.Errorf("down-sync: %w", err)
		}
		if ch.PromotionsNext <= promoFrom {
			ch.Promotions, ch.PromotionsNext = nil, promoFrom
		}
		if ch.Next <= from {
			if ch.PromotionsNext == promoFrom {
				return nil
			}
			ch.Products, ch.Members, ch.Next = nil, nil, from
		}
		// The head office checked its promotions; the till checks them again, all of them before any is
		// written: a rule it refuses holds the page's promotions back (none is written, their mark stays)
		// while its prices and members, which have their own mark, are applied.
		if err := s.checkHQPromotions(ctx, tx, ch.Promotions); err != nil {
			done.PromotionsHeld = err
			ch.Promotions, ch.PromotionsNext = nil, promoFrom
			if ch.Next == from {
				return nil
			}
		}
		entry := catalogSyncEntry{From: from, To: ch.Next}
		for _, e := range ch.Products {
			if err := s.applyProduct(ctx, tx, e, at); err != nil {
				return fmt.Errorf("down-sync product %s: %w", e.Product.SKU, err)
			}
			entry.Products = append(entry.Products, e.Product.SKU)
		}
		// The products' price changes are journaled as they are applied; the members' rows name the entry
		// that follows them.
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		var ledger []ledgerRow
		for _, m := range ch.Members {
			rows, err := s.applyMember(ctx, tx, seq, m, at)
			if err != nil {
				return fmt.Errorf("down-sync member %s: %w", m.Number, err)
			}
			ledger = append(ledger, rows...)
			entry.Members = append(entry.Members, m.Number)
			if m.Balance.Minor() < 0 {
				entry.Overdrawn = append(entry.Overdrawn, m.Number)
			}
		}
		for _, p := range ch.Promotions {
			if err := s.applyPromotion(ctx, tx, p, at); err != nil {
				return fmt.Errorf("down-sync promotion %d: %w", p.HQID, err)
			}
			entry.Promotions = append(entry.Promotions, p.HQID)
		}
		if len(ch.Promotions) > 0 {
			entry.PromotionsTo = ch.PromotionsNext
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET down_seq = ?, promo_seq = ?, last_down_at = ?`, ch.Next, ch.PromotionsNext,
			timestamp(at)); err != nil {
			return err
		}
		entry.Ledger = ledgerDigest(ledger)
		done = app.HQApplied{Products: len(entry.Products), Members: len(entry.Members), Promotions: len(entry.Promotions),
			Overdrawn: entry.Overdrawn, PromotionsHeld: done.PromotionsHeld}
		return s.appendJournal(ctx, tx, at, "catalog_sync", entry)
	})
	if err != nil || done.Products == 0 {
		return done, err
	}
	return done, s.catchUpWords(ctx)
}

// checkHQPromotions checks the head office's promotions ps by the till's rules (app.CheckHQPromotion). Each
// rule is judged alone: the engine has no rule between rules to break (promo.NewSet refuses only a bad
// rule or an id twice, and the rows give the ids).
func (s *Store) checkHQPromotions(ctx context.Context, tx *sql.Tx, ps []app.Promotion) error {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		if p.HQID <= 0 {
			return fmt.Errorf("down-sync promotion: %w: head office id %d", app.ErrInvalidPromotion, p.HQID)
		}
		if err := app.CheckHQPromotion(p); err != nil {
			return fmt.Errorf("down-sync promotion %d: %w", p.HQID, err)
		}
	}
	return nil
}

// applyPromotion writes one promotion the head office sent down to the row that holds its HQID (a new one
// when none does), journaled as a till's own save is.
func (s *Store) applyPromotion(ctx context.Context, tx *sql.Tx, p app.Promotion, at time.Time) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM promotions WHERE hq_id = ?`, p.HQID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	p.UpdatedAt, p.UpdatedBy = at, "hq"
	_, err = s.writePromotion(ctx, tx, id, p)
	return err
}

func (s *Store) applyProduct(ctx context.Context, tx *sql.Tx, e app.CatalogEntry, at time.Time) error {
	err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, e.Product.SKU).Scan(&e.Product.ID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	for _, code := range e.Barcodes {
		if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE code = ? AND product_id <> ?`,
			barcode.NormalizeGTIN(code), e.Product.ID); err != nil {
			return err
		}
	}
	_, err = s.saveProduct(ctx, tx, e, "hq", at)
	return err
}

// applyMember upserts one member of a page and returns the ledger row it wrote (none when nothing
// changed), naming the page's journal entry seq.
func (s *Store) applyMember(ctx context.Context, tx *sql.Tx, seq int64, m app.HQMember, at time.Time) ([]ledgerRow, error) {
	if m.Balance.Currency() != s.currency() {
		return nil, fmt.Errorf("%w: balance %s", app.ErrInvalidAmount, m.Balance)
	}
	number := app.NormalizeMemberNumber(m.Number)
	var id, balance, points int64
	err := tx.QueryRowContext(ctx, `SELECT id, balance, points FROM members WHERE number = ?`, number).Scan(&id, &balance, &points)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		name := m.Name
		if name == "" {
			name = number
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO members (number, name, phone, tier, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			number, name, m.Phone, m.Tier, timestamp(at)).Scan(&id); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case m.Name != "":
		if _, err := tx.ExecContext(ctx, `UPDATE members SET name = ?, phone = ?, tier = ? WHERE id = ?`, m.Name, m.Phone, m.Tier, id); err != nil {
			return nil, err
		}
	}
	var unsent, unsentPoints int64
	if err := tx.QueryRowContext(ctx, unsentMemberMoves, id).Scan(&unsent, &unsentPoints); err != nil {
		return nil, err
	}
	wantBalance, wantPoints := max(0, m.Balance.Minor()+unsent), max(0, m.Points+unsentPoints)
	rows := changes([]ledgerRow{{Member: id, At: timestamp(at), Kind: "hq", Amount: wantBalance - balance, Points: wantPoints - points,
		Ref: fmt.Sprintf("hq:%d", m.Seq), User: "hq"}})
	if err := postMember(ctx, tx, seq, rows); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE members SET hq_balance = ?, hq_points = ?, hq_seq = ?,
		hq_ledger_id = (SELECT coalesce(max(id), 0) FROM member_ledger) WHERE id = ?`, m.Balance.Minor(), m.Points, m.Seq, id)
	return rows, err
}

// OverdrawnMembers lists (up to 100 of) the members the head office last said were below zero.
func (s *Store) OverdrawnMembers(ctx context.Context) ([]app.Member, error) {
	return s.members(ctx, `WHERE m.hq_balance < 0 ORDER BY m.number LIMIT 100`)
}
