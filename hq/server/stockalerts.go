package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
)

// Stock alerts: each till's list of the products its own ledger has at or below their reorder point. The
// head office cannot work out stock (movements from before a till was enrolled never reach it, counts
// reach it as differences, each till of a shop keeps its own ledger), so it shows what each till says.

// putStockAlerts replaces the till's low-stock list with the one in the body, checked first as a claim
// (a till's token proves which till talks, not what it says): a list that fails changes nothing. The
// list is kept whole, one row per till, written by one statement, so a list is never half replaced and
// the shop's other tills' lists are untouched.
func (s *Server) putStockAlerts(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var body json.RawMessage
	if e := decode(w, r, &body, api.MaxStockAlertsBody); e != nil {
		writeError(w, e)
		return
	}
	alerts, err := document.CheckStockAlerts(body)
	if err != nil {
		writeError(w, badRequest("%v", err))
		return
	}
	products, err := json.Marshal(alerts.Products) // as checked: no field the check did not read
	if err == nil {
		_, err = s.db.Exec(r.Context(), `INSERT INTO stock_alerts (till_id, shop_id, products) VALUES ($1, $2, $3)
			ON CONFLICT (till_id) DO UPDATE SET shop_id = EXCLUDED.shop_id, products = EXCLUDED.products, received_at = now()`,
			t.id, t.shopID, products)
	}
	if err != nil {
		s.log.Error("stock alerts", "shop", t.shop, "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not keep the list: retry"})
		return
	}
	writeJSON(w, http.StatusOK, api.StockAlertsReply{Products: len(alerts.Products)})
}

// stockAlert is one product a till says is low, for the dashboard.
type stockAlert struct {
	Shop, Till              string
	SKU, Name, NameZH, Unit string
	OnHand, ReorderPoint    string // as the till wrote them: whole pieces, or kilograms to the gram
	Received, LastSeen      time.Time
}

// stockAlertsLimit bounds the products the stock page lists, lowest cover first in each shop.
const stockAlertsLimit = 2000

// stockAlerts reads the low-stock lists of the tills of shops: per shop (by code), lowest cover first
// (below zero first, then on hand against the reorder point), a product twice when two tills list it.
func (d *dashboard) stockAlerts(ctx context.Context, shops []int64, limit int) ([]stockAlert, error) {
	rows, err := d.figures.Query(ctx, `SELECT s.code, t.name, p->>'sku', p->>'name', coalesce(p->>'name_zh', ''), p->>'unit',
			p->>'on_hand', p->>'reorder_point', a.received_at, coalesce(t.last_seen_at, a.received_at)
		FROM stock_alerts a JOIN shops s ON s.id = a.shop_id JOIN tills t ON t.id = a.till_id, jsonb_array_elements(a.products) p
		WHERE a.shop_id = ANY ($1)
		ORDER BY s.code, (p->>'on_hand')::numeric < 0 DESC,
			CASE WHEN (p->>'reorder_point')::numeric > 0 THEN (p->>'on_hand')::numeric / (p->>'reorder_point')::numeric
				ELSE (p->>'on_hand')::numeric END, p->>'sku', t.name
		LIMIT $2`, shops, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[stockAlert])
}

// stockShop is a shop's products low on stock, as its tills said.
type stockShop struct {
	Shop     string
	Products []stockAlert
}

// stockPage lists, per shop the user may see, the products its tills say are low, lowest cover first,
// with which till said so and when. Read through the owner's reads, like the figures.
func (d *dashboard) stockPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	alerts, err := d.stockAlerts(r.Context(), shopIDs(q.shops), stockAlertsLimit)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	var shops []stockShop
	for _, a := range alerts {
		if len(shops) == 0 || shops[len(shops)-1].Shop != a.Shop {
			shops = append(shops, stockShop{Shop: a.Shop})
		}
		last := &shops[len(shops)-1]
		last.Products = append(last.Products, a)
	}
	d.render(w, r, http.StatusOK, "stock", &dashPage{Title: "Stock alerts", Nav: "stock", user: q.user,
		Body: struct {
			Shops []stockShop
			Full  bool // the list stopped at stockAlertsLimit
		}{shops, len(alerts) == stockAlertsLimit}})
}
