package server

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/api"
)

// SavePromotions adds or changes promotions of shop for its tills (a rule with ID 0 is new; ID N changes
// the shop's promotion N) in one transaction, each with a new change sequence, and returns their ids in
// order. Every one is checked by the tills' rules (app.CheckHQPromotion), a change must name one of the
// shop's promotions, and the shop's stored rules must still pass, before any is stored: a file with one
// bad rule changes nothing.
func (s *Server) SavePromotions(ctx context.Context, shop string, ps []app.Promotion) ([]int64, error) {
	for i, p := range ps {
		if err := app.CheckHQPromotion(p); err != nil {
			return nil, fmt.Errorf("promotion %d of %d: %w", i+1, len(ps), err)
		}
	}
	ids := make([]int64, len(ps))
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		shopID, err := s.shopID(ctx, tx, shop)
		if err != nil {
			return err
		}
		if err := lockShopChanges(ctx, tx, shopID); err != nil {
			return err
		}
		saved, err := shopPromotions(ctx, tx, shopID)
		if err != nil {
			return err
		}
		// The shop's stored rules are checked with the new ones: a rule broken in the database (written by
		// hand, or by an older release's rules) stops the save rather than going down to the tills again.
		all := make([]app.Promotion, 0, len(saved)+len(ps))
		for i, p := range ps {
			if id := p.Rule.ID; id != 0 {
				if _, ok := saved[id]; !ok {
					return fmt.Errorf("promotion %d of %d: shop %s has no promotion %d (or the file names it twice)", i+1, len(ps), shop, id)
				}
				delete(saved, id)
			}
			p.Rule.ID = 1<<50 + int64(i) // a stand-in id: the row's is given as it is written
			all = append(all, p)
		}
		for _, p := range saved {
			all = append(all, p)
		}
		if _, err := app.NewDeals(all); err != nil {
			return err
		}
		for i, p := range ps {
			ids[i] = p.Rule.ID
			if ids[i] == 0 {
				if err := tx.QueryRow(ctx, `INSERT INTO promotions (shop_id, rule) VALUES ($1, '{}') RETURNING id`, shopID).Scan(&ids[i]); err != nil {
					return err
				}
			}
			r := p.Rule
			r.ID = ids[i]
			rule, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE promotions SET rule = $3, active = $4, coupon = $5, coupon_limit = $6,
					coupon_till_limit = $7, updated_at = now(), seq = nextval('change_seq') WHERE shop_id = $1 AND id = $2`,
				shopID, ids[i], rule, p.Active, r.Coupon, p.CouponLimit, p.CouponTillLimit); err != nil {
				return fmt.Errorf("promotion %d: %w", ids[i], err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save promotions: %w", err)
	}
	return ids, nil
}

// shopPromotions reads the shop's promotions by id.
func shopPromotions(ctx context.Context, tx pgx.Tx, shopID int64) (map[int64]app.Promotion, error) {
	rows, err := tx.Query(ctx, `SELECT id, rule, active, coupon_limit, coupon_till_limit FROM promotions WHERE shop_id = $1`, shopID)
	if err != nil {
		return nil, err
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.Promotion, error) {
		var p app.Promotion
		var id int64
		var rule []byte
		if err := row.Scan(&id, &rule, &p.Active, &p.CouponLimit, &p.CouponTillLimit); err != nil {
			return p, err
		}
		if err := json.Unmarshal(rule, &p.Rule); err != nil {
			return p, fmt.Errorf("promotion %d: %w", id, err)
		}
		p.Rule.ID, p.HQID = id, id
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]app.Promotion, len(ps))
	for _, p := range ps {
		out[p.HQID] = p
	}
	return out, nil
}

// Promotions lists the promotions of shop, by id.
func (s *Server) Promotions(ctx context.Context, shop string) ([]app.Promotion, error) {
	var out []app.Promotion
	err := pgx.BeginTxFunc(ctx, s.db, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		shopID, err := s.shopID(ctx, tx, shop)
		if err != nil {
			return err
		}
		saved, err := shopPromotions(ctx, tx, shopID)
		if err != nil {
			return err
		}
		for _, p := range saved {
			out = append(out, p)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b app.Promotion) int { return cmp.Compare(a.HQID, b.HQID) })
	return out, err
}

// promotionChanges returns up to api.MaxPromotions of the shop's promotions changed after sequence after,
// in sequence order, cut where their JSON passes a quarter of api.MaxPage (one at least), and whether
// more wait.
func promotionChanges(ctx context.Context, tx pgx.Tx, shopID, after int64) ([]api.Promotion, bool, error) {
	rows, err := tx.Query(ctx, `SELECT id, active, rule::text, coupon_limit, coupon_till_limit, seq FROM promotions
		WHERE shop_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, shopID, after, api.MaxPromotions+1)
	if err != nil {
		return nil, false, err
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (api.Promotion, error) {
		var p api.Promotion
		var rule string
		err := row.Scan(&p.ID, &p.Active, &rule, &p.CouponLimit, &p.CouponTillLimit, &p.Seq)
		p.Rule = json.RawMessage(rule)
		return p, err
	})
	if err != nil {
		return nil, false, err
	}
	more := len(ps) > api.MaxPromotions
	ps = ps[:min(len(ps), api.MaxPromotions)]
	size := 0
	for i, p := range ps {
		b, _ := json.Marshal(p)
		if size += len(b) + 1; size > api.MaxPage/4 && i > 0 {
			return ps[:i], true, nil
		}
	}
	return ps, more, nil
}
