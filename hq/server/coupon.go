package server

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// couponUse is one coupon one accepted sale of an upload used.
type couponUse struct {
	code, document string
	at             time.Time
}

// couponUsesOf lists the coupons of the accepted sales among an upload's new documents, in the till's order.
// Their bodies passed document.Check, which bounds the list and its codes.
func couponUsesOf(ids, kinds, statuses []string, bodies []*string, ats []time.Time) []couponUse {
	var out []couponUse
	for i := range ids {
		// Most sales have no coupons, and a sale's body names its coupons only when it has some: a search
		// of the text spares decoding them all again.
		if kinds[i] != "sale" || statuses[i] != "accepted" || bodies[i] == nil || !strings.Contains(*bodies[i], `"coupons"`) {
			continue
		}
		var sale struct {
			Coupons []string `json:"coupons"`
		}
		if json.Unmarshal([]byte(*bodies[i]), &sale) != nil {
			continue
		}
		for _, code := range sale.Coupons {
			out = append(out, couponUse{code: code, document: ids[i], at: ats[i]})
		}
	}
	return out
}

// lockShopCoupons takes the shop's coupon lock until tx ends, so that two tills' uploads count a coupon's
// uses one after the other and a use past the limit is never missed by both.
func lockShopCoupons(ctx context.Context, tx pgx.Tx, shopID int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(2, $1::int)`, shopID)
	return err
}

// recordCoupons records the coupon uses of an upload's new sales once each (a use held already adds
// nothing), each for the promotion of the shop that has its code as it comes (an active one first, the
// one with the smallest limit; else the latest; none when no promotion of the shop has the code: the
// use is then an alarm of its own, see alarms), and an overuse for each new use that takes an active
// promotion past its coupon limit: the promotion's uses the head office held before, plus this upload's
// before it in the till's order. A switched-off promotion's limit counts for nothing, and a code reused by
// a new promotion starts the new one's count afresh. However the tills' uploads are ordered, a promotion
// whose coupon is used n times against a limit of l has max(0, n-l) overuses.
func recordCoupons(ctx context.Context, tx pgx.Tx, shopID, tillID int64, uses []couponUse) error {
	if len(uses) == 0 {
		return nil
	}
	if err := lockShopCoupons(ctx, tx, shopID); err != nil {
		return err
	}
	codes, docs, ats := make([]string, len(uses)), make([]string, len(uses)), make([]time.Time, len(uses))
	for i, u := range uses {
		codes[i], docs[i], ats[i] = u.code, u.document, u.at
	}
	_, err := tx.Exec(ctx, `WITH input AS (
			SELECT * FROM unnest($3::text[], $4::uuid[], $5::timestamptz[]) WITH ORDINALITY AS i (code, document_id, at, n)),
		promotion AS (
			SELECT DISTINCT ON (coupon) coupon, id, active, coupon_limit FROM promotions
			WHERE shop_id = $1 AND coupon IN (SELECT code FROM input)
			ORDER BY coupon, active DESC, coupon_limit = 0, coupon_limit, id DESC),
		ins AS (
			INSERT INTO coupon_uses (shop_id, code, document_id, till_id, at, promotion_id)
			SELECT $1, input.code, input.document_id, $2, input.at, promotion.id
			FROM input LEFT JOIN promotion ON promotion.coupon = input.code ORDER BY input.n
			ON CONFLICT DO NOTHING RETURNING code, document_id, promotion_id),
		lim AS (
			SELECT id, coupon_limit FROM promotion WHERE active AND coupon_limit > 0),
		held AS (
			SELECT promotion_id, count(*) AS n FROM coupon_uses WHERE promotion_id IN (SELECT id FROM lim) GROUP BY promotion_id),
		run AS (
			SELECT ins.code, ins.document_id, input.at, lim.id, lim.coupon_limit,
				coalesce(held.n, 0) + row_number() OVER (PARTITION BY lim.id ORDER BY input.n) AS uses
			FROM ins JOIN input ON input.code = ins.code AND input.document_id = ins.document_id
			JOIN lim ON lim.id = ins.promotion_id LEFT JOIN held ON held.promotion_id = lim.id)
		INSERT INTO coupon_overuses (shop_id, code, document_id, till_id, promotion_id, uses, limit_uses, at)
		SELECT $1, code, document_id, $2, id, uses, coupon_limit, at FROM run WHERE uses > coupon_limit`,
		shopID, tillID, codes, docs, ats)
	return err
}

// CouponUses returns how many uses of each coupon code the head office holds for shop, whichever
// promotion (if any) they counted for.
func (s *Server) CouponUses(ctx context.Context, shop string) (map[string]int64, error) {
	rows, err := s.reads().Query(ctx, `SELECT u.code, count(*) FROM coupon_uses u JOIN shops s ON s.id = u.shop_id
		WHERE s.code = $1 GROUP BY u.code`, shop)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	var code string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&code, &n}, func() error {
		out[code] = n
		return nil
	})
	return out, err
}

// PromotionCouponUses returns how many uses of its coupon the head office holds for each promotion of
// shop that has any: the uses its limit counts (see recordCoupons).
func (s *Server) PromotionCouponUses(ctx context.Context, shop string) (map[int64]int64, error) {
	rows, err := s.reads().Query(ctx, `SELECT u.promotion_id, count(*) FROM coupon_uses u JOIN shops s ON s.id = u.shop_id
		WHERE s.code = $1 AND u.promotion_id IS NOT NULL GROUP BY u.promotion_id`, shop)
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	var id, n int64
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		out[id] = n
		return nil
	})
	return out, err
}
