package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/api"
)

// lockShopChanges takes the shop's change lock until tx ends. Every writer of a shop's products or members
// takes it before it draws sequence numbers, so they commit in sequence order and a till that has applied
// the changes up to N never misses a row numbered below N that commits later.
func lockShopChanges(ctx context.Context, tx pgx.Tx, shopID int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(1, $1::int)`, shopID)
	return err
}

// updateMembers brings the members touched by the new documents (ids) up to date with their ledger, in
// the upload's transaction, and records a conflict for each spend that took a card below zero: the
// documents were stored (a sale that happened is never refused), the owner is told.
func updateMembers(ctx context.Context, tx pgx.Tx, shopID, tillID int64, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := lockShopChanges(ctx, tx, shopID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `WITH mv AS (
			SELECT m.member, m.document_id, m.prepaid, m.points, d.till_seq FROM member_movements m
			JOIN document_keys k ON k.shop_id = m.shop_id AND k.id = m.document_id
			JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at
			WHERE m.shop_id = $1 AND m.document_id = ANY ($2::uuid[])),
		agg AS (SELECT member, sum(prepaid) AS prepaid, sum(points) AS points FROM mv GROUP BY member),
		up AS (
			INSERT INTO members (shop_id, number, prepaid, points) SELECT $1, member, prepaid, points FROM agg
			ON CONFLICT (shop_id, number) DO UPDATE SET prepaid = members.prepaid + excluded.prepaid,
				points = members.points + excluded.points, seq = excluded.seq
			RETURNING number, prepaid),
		run AS (
			SELECT mv.member, mv.document_id, mv.prepaid,
				up.prepaid - agg.prepaid + sum(mv.prepaid) OVER (PARTITION BY mv.member ORDER BY mv.till_seq) AS balance
			FROM mv JOIN agg ON agg.member = mv.member JOIN up ON up.number = mv.member)
		INSERT INTO conflicts (shop_id, member, document_id, till_id, spent, over, balance)
		SELECT $1, member, document_id, $3, -prepaid, least(-balance, -prepaid), balance FROM run
		WHERE prepaid < 0 AND balance < 0`, shopID, ids, tillID)
	return err
}

// changes returns the shop's products and members changed after the sequence in ?after=, at most
// ?limit= (api.MaxChanges) rows in sequence order.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		writeError(w, badRequest("after: want the highest change sequence applied, 0 for none"))
		return
	}
	promotionsAfter := int64(-1) // a till from before promotions does not ask for them
	if v := r.URL.Query().Get("promotions_after"); v != "" {
		if promotionsAfter, err = strconv.ParseInt(v, 10, 64); err != nil || promotionsAfter < 0 {
			writeError(w, badRequest("promotions_after: want the highest promotion sequence applied, 0 for none"))
			return
		}
	}
	limit := api.MaxChanges
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > api.MaxChanges {
			writeError(w, badRequest("limit: 1 to %d", api.MaxChanges))
			return
		}
	}
	page, err := s.ChangesWithPromotions(r.Context(), t.shopID, after, promotionsAfter, limit, r.URL.Query().Get(api.PriceUnitsParam) == "1")
	if err != nil {
		s.log.Error("changes", "shop", t.shop, "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not read the changes: retry"})
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// Changes returns up to limit of the shop's rows changed after sequence after, in sequence order, for a
// till that reads price units.
func (s *Server) Changes(ctx context.Context, shopID, after int64, limit int) (api.Changes, error) {
	return s.ChangesFor(ctx, shopID, after, limit, true)
}

// ChangesFor is Changes for a till that reads price units or not (api.PriceUnitsParam): one that does not
// gets each product priced per 斤 or 100 g at its exact price per kilogram, which it charges the same.
func (s *Server) ChangesFor(ctx context.Context, shopID, after int64, limit int, priceUnits bool) (api.Changes, error) {
	return s.ChangesWithPromotions(ctx, shopID, after, -1, limit, priceUnits)
}

// ChangesWithPromotions is ChangesFor with the shop's promotions changed after sequence promotionsAfter
// (none for -1: the till did not ask).
func (s *Server) ChangesWithPromotions(ctx context.Context, shopID, after, promotionsAfter int64, limit int, priceUnits bool) (api.Changes, error) {
	page := api.Changes{Products: []api.Product{}, Members: []api.Member{}, Next: after}
	err := pgx.BeginTxFunc(ctx, s.db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if promotionsAfter >= 0 {
			ps, more, err := promotionChanges(ctx, tx, shopID, promotionsAfter)
			if err != nil {
				return err
			}
			if len(ps) > 0 {
				page.Promotions, page.PromotionsNext, page.More = ps, ps[len(ps)-1].Seq, more
			}
		}
		rows, err := tx.Query(ctx, `SELECT sku, barcodes, name, name_zh, category, category_zh, unit,
			trim_scale(CASE WHEN $4 OR price_unit = '' THEN price WHEN price_unit = 'jin' THEN price * 2 ELSE price * 10 END)::text,
			trim_scale(cost)::text, reorder_point, tax_class, active, seq, CASE WHEN $4 THEN price_unit ELSE '' END
			FROM products WHERE shop_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
			shopID, after, limit, priceUnits)
		if err != nil {
			return err
		}
		products, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (api.Product, error) {
			var p api.Product
			err := row.Scan(&p.SKU, &p.Barcodes, &p.Name, &p.NameZH, &p.Category, &p.CategoryZH, &p.Unit, &p.Price, &p.Cost,
				&p.ReorderPoint, &p.TaxClass, &p.Active, &p.Seq, &p.PriceUnit)
			return p, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT number, name, phone, tier, trim_scale(prepaid)::text, points, seq FROM members
			WHERE shop_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, shopID, after, limit)
		if err != nil {
			return err
		}
		members, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (api.Member, error) {
			var m api.Member
			err := row.Scan(&m.Number, &m.Name, &m.Phone, &m.Tier, &m.Prepaid, &m.Points, &m.Seq)
			return m, err
		})
		if err != nil {
			return err
		}
		// The page is the lowest limit sequence numbers of both lists, cut where their JSON would pass
		// api.MaxPage bytes (one row at least): a page too big for the till stops every till for ever.
		type row struct {
			seq  int64
			size int
		}
		rowsBySeq := make([]row, 0, len(products)+len(members))
		for _, p := range products {
			b, _ := json.Marshal(p)
			rowsBySeq = append(rowsBySeq, row{p.Seq, len(b) + 1})
		}
		for _, m := range members {
			b, _ := json.Marshal(m)
			rowsBySeq = append(rowsBySeq, row{m.Seq, len(b) + 1})
		}
		sort.Slice(rowsBySeq, func(i, j int) bool { return rowsBySeq[i].seq < rowsBySeq[j].seq })
		if len(rowsBySeq) == 0 {
			return nil
		}
		cut, size := min(limit, len(rowsBySeq)), 0
		for i, r := range rowsBySeq[:cut] {
			if size += r.size; size > api.MaxPage && i > 0 {
				cut = i
				break
			}
		}
		page.More = page.More || len(rowsBySeq) >= limit || cut < len(rowsBySeq)
		page.Next = rowsBySeq[cut-1].seq
		for _, p := range products {
			if p.Seq <= page.Next {
				page.Products = append(page.Products, p)
			}
		}
		for _, m := range members {
			if m.Seq <= page.Next {
				page.Members = append(page.Members, m)
			}
		}
		return nil
	})
	return page, err
}

func (s *Server) shopID(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, shop string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM shops WHERE code = $1`, shop).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("no shop %q", shop)
	}
	return id, err
}

// ImportCatalog adds or replaces the shop's products (by SKU) in one transaction, each with a new change
// sequence, and returns how many it wrote.
func (s *Server) ImportCatalog(ctx context.Context, shop string, entries []app.CatalogEntry) (int, error) {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		id, err := s.shopID(ctx, tx, shop)
		if err != nil {
			return err
		}
		if err := lockShopChanges(ctx, tx, id); err != nil {
			return err
		}
		for _, e := range entries {
			p := e.Product
			barcodes := e.Barcodes
			if barcodes == nil {
				barcodes = []string{}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO products (shop_id, sku, barcodes, name, name_zh, category, category_zh, unit, price,
					cost, reorder_point, tax_class, active, price_unit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10::numeric, $11, $12, $13, $14)
				ON CONFLICT (shop_id, sku) DO UPDATE SET barcodes = excluded.barcodes, name = excluded.name, name_zh = excluded.name_zh,
					category = excluded.category, category_zh = excluded.category_zh, unit = excluded.unit, price = excluded.price,
					cost = excluded.cost, reorder_point = excluded.reorder_point, tax_class = excluded.tax_class, active = excluded.active,
					price_unit = excluded.price_unit, seq = excluded.seq`,
				id, p.SKU, barcodes, p.Name, p.NameZH, p.Category, p.CategoryZH, string(p.Unit), p.Price.Decimal(), p.Cost.Decimal(),
				int64(p.ReorderPoint), p.TaxClass, p.Active, string(p.PriceUnit)); err != nil {
				return fmt.Errorf("product %s: %w", p.SKU, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("catalog import: %w", err)
	}
	return len(entries), nil
}

// SetPrice changes the price of a product of shop; price is a decimal in the shop's currency.
func (s *Server) SetPrice(ctx context.Context, shop, sku, price string) error {
	if _, err := money.ParseFixed(price, 4); err != nil || price[0] == '-' {
		return fmt.Errorf("set price: %q is not a price such as 3.50", price)
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		id, err := s.shopID(ctx, tx, shop)
		if err != nil {
			return err
		}
		if err := lockShopChanges(ctx, tx, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE products SET price = $3::numeric, seq = nextval('change_seq') WHERE shop_id = $1 AND sku = $2`,
			id, sku, price)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("set price: shop %s has no product %q (checkout-hq catalog-import)", shop, sku)
		}
		return nil
	})
}

// SetMember adds or updates the details of a member of shop (never their balance or points, which only
// the tills' documents move). The number is normalised as the tills do (" m000001" is M000001) and the
// details are checked by the tills' rules (app.CheckMember) before anything is stored.
func (s *Server) SetMember(ctx context.Context, shop, number, name, phone, tier string) error {
	number, err := app.CheckMemberNumber(number)
	if err != nil {
		return fmt.Errorf("set member: %w", err)
	}
	m, err := app.CheckMember(app.Member{Number: number, Name: name, Phone: phone, Tier: tier})
	if err != nil {
		return fmt.Errorf("set member %s: %w", number, err)
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		id, err := s.shopID(ctx, tx, shop)
		if err != nil {
			return err
		}
		if err := lockShopChanges(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO members (shop_id, number, name, phone, tier) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (shop_id, number) DO UPDATE SET name = excluded.name, phone = excluded.phone, tier = excluded.tier, seq = excluded.seq`,
			id, m.Number, m.Name, m.Phone, m.Tier)
		return err
	})
}

// Conflict is a spend the head office stored although it took a card below zero.
type Conflict struct {
	Shop, Till, Member, Document string
	Spent, Over, Balance         string // decimals
	At                           time.Time
}

// Conflicts lists every conflict, oldest first.
func (s *Server) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := s.reads().Query(ctx, `SELECT s.code, t.name, c.member, c.document_id::text, trim_scale(c.spent)::text, trim_scale(c.over)::text, trim_scale(c.balance)::text, c.at
		FROM conflicts c JOIN shops s ON s.id = c.shop_id JOIN tills t ON t.id = c.till_id ORDER BY c.id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Conflict, error) {
		var c Conflict
		err := row.Scan(&c.Shop, &c.Till, &c.Member, &c.Document, &c.Spent, &c.Over, &c.Balance, &c.At)
		return c, err
	})
}

// Rejection is a document a till sent that failed the head office's checks: kept, never counted.
type Rejection struct {
	Shop, Till, Kind, Document, Reason string
	Seq                                int64 // the till's journal sequence
	At, Received                       time.Time
}

// Rejections lists every rejected document, by shop, till and the till's order.
func (s *Server) Rejections(ctx context.Context) ([]Rejection, error) {
	rows, err := s.reads().Query(ctx, `SELECT s.code, t.name, d.kind, d.id::text, d.reason, d.till_seq, d.at, d.received_at
		FROM documents d JOIN shops s ON s.id = d.shop_id JOIN tills t ON t.id = d.till_id
		WHERE d.status = 'rejected' ORDER BY s.code, t.name, d.till_seq`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Rejection, error) {
		var r Rejection
		err := row.Scan(&r.Shop, &r.Till, &r.Kind, &r.Document, &r.Reason, &r.Seq, &r.At, &r.Received)
		return r, err
	})
}

// ShopAlarm is an action a till's guard stopped, as the till uploaded it.
type ShopAlarm struct {
	Shop, Till string
	Alarm      document.Alarm
	Received   time.Time
}

// Alarms lists the alarms the shops' tills uploaded since since, newest first: what their guards stopped
// for a supervisor (refunds, voids after payment, no-sales or discounts far above the usual, lines below
// cost, wild prices).
func (s *Server) Alarms(ctx context.Context, since time.Time) ([]ShopAlarm, error) {
	return s.alarms(ctx, nil, since, 0)
}

// alarms lists the alarms of the shops named by ID (every shop's for nil) since since, newest first, at
// most limit (0: all): the tills' uploaded alarms, and the head office's own: each coupon use past its
// limit (rule "coupon_limit", at the sale's time, its ID the sale's). A use of a code no promotion of the
// shop has raises none: a till's own promotions may have coupons the head office never issued.
func (s *Server) alarms(ctx context.Context, shops []int64, since time.Time, limit int) ([]ShopAlarm, error) {
	rows, err := s.reads().Query(ctx, `SELECT code, name, body, received_at FROM (
			SELECT s.code, t.name, d.body, d.received_at, d.at
			FROM documents d JOIN shops s ON s.id = d.shop_id JOIN tills t ON t.id = d.till_id
			WHERE d.kind = 'alarm' AND d.status = 'accepted' AND d.at >= $1 AND ($2::bigint[] IS NULL OR d.shop_id = ANY ($2))
			UNION ALL
			SELECT s.code, t.name, jsonb_build_object('id', o.document_id::text, 'till', t.name, 'rule', 'coupon_limit', 'cashier', '',
				'at', to_char(o.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
				'action', format('coupon %s used %s times, limit %s', o.code, o.uses, o.limit_uses)), o.received_at, o.at
			FROM coupon_overuses o JOIN shops s ON s.id = o.shop_id JOIN tills t ON t.id = o.till_id
			WHERE o.at >= $1 AND ($2::bigint[] IS NULL OR o.shop_id = ANY ($2))
) a
		ORDER BY at DESC, code, name LIMIT nullif($3, 0)`, since, shops, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ShopAlarm, error) {
		var a ShopAlarm
		var body []byte
		if err := row.Scan(&a.Shop, &a.Till, &body, &a.Received); err != nil {
			return a, err
		}
		return a, json.Unmarshal(body, &a.Alarm)
	})
}
