package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"checkout/app"
)

// promotionEntry is what the journal records of a saved promotion: the rule as stored, and who saved it.
type promotionEntry struct {
	ID              int64           `json:"id"`
	Active          bool            `json:"active"`
	Rule            json.RawMessage `json:"rule"`
	User            string          `json:"user,omitempty"`
	CouponLimit     int64           `json:"coupon_limit,omitempty"`
	CouponTillLimit int64           `json:"coupon_till_limit,omitempty"`
	HQID            int64           `json:"hq_id,omitempty"` // a rule the head office sent down
}

// SavePromotion stores p, a new promotion when p.Rule.ID is 0, and journals it: a promotion changes what
// the till charges, as a price does.
func (s *Store) SavePromotion(ctx context.Context, p app.Promotion) (int64, error) {
	id := p.Rule.ID
	err := s.write(ctx, func(tx *sql.Tx) error {
		if id != 0 {
			var hq sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT hq_id FROM promotions WHERE id = ?`, id).Scan(&hq)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("%w: promotion %d", ErrNotFound, id)
			case err != nil:
				return err
			case hq.Valid:
				return fmt.Errorf("%w: promotion %d (head office %d)", app.ErrHQPromotion, id, hq.Int64)
			}
		}
		p.HQID = 0
		var err error
		id, err = s.writePromotion(ctx, tx, id, p)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save promotion: %w", err)
	}
	return id, nil
}

// writePromotion stores p in the row id (a new row when id is 0) and journals it. It returns the row's id.
func (s *Store) writePromotion(ctx context.Context, tx *sql.Tx, id int64, p app.Promotion) (int64, error) {
	if id == 0 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO promotions (name, kind, rule, updated_at) VALUES ('', '', '{}', '')
			RETURNING id`).Scan(&id); err != nil {
			return 0, err
		}
	}
	r := p.Rule
	r.ID = id
	rule, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	hq := sql.NullInt64{Int64: p.HQID, Valid: p.HQID != 0}
	res, err := tx.ExecContext(ctx, `UPDATE promotions SET name = ?, name_zh = ?, kind = ?, rule = ?, active = ?, updated_at = ?,
		updated_by = ?, coupon_limit = ?, coupon_till_limit = ?, hq_id = ?,
		revision = (SELECT coalesce(max(revision), 0) + 1 FROM promotions) WHERE id = ?`, r.Name, r.NameZH, string(r.Kind), string(rule),
		p.Active, timestamp(p.UpdatedAt), p.UpdatedBy, p.CouponLimit, p.CouponTillLimit, hq, id)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("%w: promotion %d", ErrNotFound, id)
	}
	return id, s.appendJournal(ctx, tx, p.UpdatedAt, "promotion", promotionEntry{ID: id, Active: p.Active, Rule: rule, User: p.UpdatedBy,
		CouponLimit: p.CouponLimit, CouponTillLimit: p.CouponTillLimit, HQID: p.HQID})
}

// PromotionList returns every promotion, active or not, by id.
func (s *Store) PromotionList(ctx context.Context) ([]app.Promotion, error) {
	var out []app.Promotion
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var p app.Promotion
		var rule, at string
		var hq sql.NullInt64
		if err := rows.Scan(&p.Rule.ID, &rule, &p.Active, &at, &p.UpdatedBy, &p.CouponLimit, &p.CouponTillLimit, &hq); err != nil {
			return err
		}
		p.HQID = hq.Int64
		id := p.Rule.ID
		if err := json.Unmarshal([]byte(rule), &p.Rule); err != nil {
			return fmt.Errorf("promotion %d: %w", id, err)
		}
		p.Rule.ID = id // the row's id is the rule's, whatever its JSON says
		p.UpdatedAt, _ = parseTimestamp(at)
		out = append(out, p)
		return nil
	}, `SELECT id, rule, active, updated_at, updated_by, coupon_limit, coupon_till_limit, hq_id FROM promotions ORDER BY id`)
	return out, err
}

// ActiveDeals returns the active promotions ready for carts to apply. The till asks as each sale begins;
// they are read and indexed again only when a save has moved the promotions' highest revision, so another
// process's change is seen at the next sale and an unchanged table costs one index seek.
func (s *Store) ActiveDeals(ctx context.Context) (*app.Deals, error) {
	var version int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(max(revision), 0) FROM promotions`).Scan(&version); err != nil {
		return nil, err
	}
	s.dealsMu.Lock()
	defer s.dealsMu.Unlock()
	if s.deals != nil && s.dealsVersion == version {
		return s.deals, nil
	}
	ps, err := s.PromotionList(ctx)
	if err != nil {
		return nil, err
	}
	d, err := app.NewDeals(ps)
	if err != nil {
		return nil, err
	}
	s.deals, s.dealsVersion = d, version
	return d, nil
}

// ProductsByID returns the products with the ids that exist, by id.
func (s *Store) ProductsByID(ctx context.Context, ids []int64) ([]app.Product, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids) // one parameter however many ids: no limit on a statement's variables
	if err != nil {
		return nil, err
	}
	return s.products(ctx, `SELECT `+productColumns+` FROM products p WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id`,
		string(list))
}

// ProductsInCategory returns up to limit products of the category, by id.
func (s *Store) ProductsInCategory(ctx context.Context, category string, limit int) ([]app.Product, error) {
	return s.products(ctx, `SELECT `+productColumns+` FROM products p WHERE p.category = ? ORDER BY p.id LIMIT ?`, category, limit)
}

func (s *Store) products(ctx context.Context, query string, args ...any) ([]app.Product, error) {
	var out []app.Product
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		p, err := scanProduct(rows, s.currency())
		out = append(out, p)
		return err
	}, query, args...)
	return out, err
}

var _ app.CouponCounter = (*Store)(nil)

// insertCouponUses records the coupons sale used, in its transaction.
func insertCouponUses(ctx context.Context, tx *sql.Tx, sale int64, codes []string) error {
	for _, code := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO coupon_uses (sale_id, code) VALUES (?, ?)`, sale, code); err != nil {
			return fmt.Errorf("coupon %q: %w", code, err)
		}
	}
	return nil
}

// CouponUses counts this till's completed sales that used the coupon code.
func (s *Store) CouponUses(ctx context.Context, code string) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM coupon_uses WHERE code = ?`, code).Scan(&n)
	return n, err
}
