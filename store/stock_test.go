package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// sellable are the test catalog's products on sale, with their barcodes.
var sellable = []struct{ sku, code string }{{"DRK-001", "5449000000996"}, {"SNK-001", "6924743915763"}, {"PRO-001", "2000101000006"}}

func productBySKU(t *testing.T, s *Store, sku string) app.Product {
	t.Helper()
	for _, e := range sellable {
		if e.sku == sku {
			p, err := s.ProductByBarcode(context.Background(), e.code)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatalf("no product %s", sku)
	return app.Product{}
}

// TestStockLedgerInvariant: whatever mix of sales, refunds, deliveries, adjustments and counts happens, each
// product's on-hand equals the sum of its ledger and what a simple model of the shop expects.
func TestStockLedgerInvariant(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	inv := app.NewInventory(s, time.Now)
	co := newCheckout(t, s)
	rng := rand.New(rand.NewPCG(7, 11))
	model := map[string]app.Quantity{}
	var sales []*app.Sale
	for step := range 120 {
		e := sellable[rng.IntN(len(sellable))]
		p := productBySKU(t, s, e.sku)
		qty := app.Pieces(int64(1 + rng.IntN(3)))
		if p.Unit == app.UnitKg {
			qty = app.Grams(int64(100 + rng.IntN(900)))
		}
		switch op := rng.IntN(5); op {
		case 0: // a sale
			code := fmt.Sprintf("%s*%s", qty.Format(p.Unit), e.code)
			if _, err := co.Scan(ctx, code); err != nil {
				t.Fatalf("step %d: scan %s: %v", step, code, err)
			}
			if _, err := co.PayCash(co.CashDue()); err != nil {
				t.Fatal(err)
			}
			sale, err := co.Complete(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sales = append(sales, sale)
			model[e.sku] -= qty
		case 1: // a refund of a whole earlier sale, if it has not been refunded
			if len(sales) == 0 {
				continue
			}
			sale := sales[len(sales)-1]
			sales = sales[:len(sales)-1]
			stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: stored.Lines[0].Qty}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
				t.Fatalf("step %d: refund: %v", step, err)
			}
			model[stored.Lines[0].Product.SKU] += stored.Lines[0].Qty
		case 2:
			if err := inv.Receive(ctx, "Acme", app.SystemSession("owner"), []app.ReceiveLine{{Product: p, Qty: qty, UnitCost: money.New(120, money.CNY)}}); err != nil {
				t.Fatal(err)
			}
			model[e.sku] += qty
		case 3:
			if err := inv.Adjust(ctx, p, -qty, "damage", app.SystemSession("owner")); err != nil {
				t.Fatal(err)
			}
			model[e.sku] -= qty
		case 4:
			c := inv.NewCount()
			found := app.Pieces(int64(rng.IntN(20)))
			if err := c.Set(p, found); err != nil {
				t.Fatal(err)
			}
			if _, err := inv.ApplyCount(ctx, c, app.SystemSession("owner")); err != nil {
				t.Fatal(err)
			}
			model[e.sku] = found
		}
		if err := s.VerifyStock(ctx); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		for _, e := range sellable {
			if got := productBySKU(t, s, e.sku).OnHand; got != model[e.sku] {
				t.Fatalf("step %d: %s on hand %d, the model says %d", step, e.sku, got, model[e.sku])
			}
		}
	}
	if n, err := s.VerifyJournal(ctx); err != nil {
		t.Fatalf("journal after %d rows: %v", n, err)
	}
	// The ledger is append-only, and a hand-edited cache is caught.
	if _, err := s.w.Exec(`UPDATE stock_moves SET qty = qty * 2`); err == nil {
		t.Error("a stock movement was edited")
	}
	if _, err := s.w.Exec(`DELETE FROM stock_moves`); err == nil {
		t.Error("stock movements were deleted")
	}
	if _, err := s.w.Exec(`UPDATE products SET on_hand = on_hand + 1000 WHERE sku = 'DRK-001'`); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyStock(ctx); err == nil {
		t.Error("VerifyStock missed an edited on-hand")
	}
}

func TestReceivingCountsAndLowStock(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	inv := app.NewInventory(s, time.Now)
	cola, chips := productBySKU(t, s, "DRK-001"), productBySKU(t, s, "SNK-001")
	if _, err := s.w.Exec(`UPDATE products SET reorder_point = 6000 WHERE sku IN ('DRK-001', 'SNK-001')`); err != nil {
		t.Fatal(err)
	}
	if err := inv.Receive(ctx, "Acme", app.SystemSession("owner"), []app.ReceiveLine{
		{Product: cola, Qty: app.Pieces(24), UnitCost: money.New(150, money.CNY)},
		{Product: chips, Qty: app.Pieces(5), UnitCost: money.New(400, money.CNY)}}); err != nil {
		t.Fatal(err)
	}
	if err := inv.Receive(ctx, "Acme", app.SystemSession("owner"), []app.ReceiveLine{{Product: cola, Qty: -1}}); err == nil {
		t.Error("received a negative quantity")
	}
	if err := inv.Adjust(ctx, cola, app.Pieces(-1), "borrowed", app.SystemSession("owner")); err == nil {
		t.Error("an adjustment without a known reason")
	}
	if p := productBySKU(t, s, "DRK-001"); p.OnHand != app.Pieces(24) || p.Cost.Minor() != 150 {
		t.Fatalf("after delivery: on hand %d cost %v", p.OnHand, p.Cost)
	}
	low, err := s.LowStock(ctx, 10)
	if err != nil || len(low) != 1 || low[0].Product.SKU != "SNK-001" || low[0].SuggestedOrder() != app.Pieces(7) {
		t.Fatalf("low stock %+v, %v", low, err)
	}

	// Count: 20 cans on the shelf, not 24; the chips match.
	c := inv.NewCount()
	for range 20 {
		if err := c.Add(cola, app.Pieces(1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add(chips, app.Pieces(5)); err != nil {
		t.Fatal(err)
	}
	vs, err := inv.ApplyCount(ctx, c, app.SystemSession("owner"))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Product.SKU != "DRK-001" || vs[0].Diff() != app.Pieces(-4) || vs[1].Diff() != 0 {
		t.Fatalf("variances %+v", vs)
	}
	if p := productBySKU(t, s, "DRK-001"); p.OnHand != app.Pieces(20) {
		t.Fatalf("after the count: %d", p.OnHand)
	}
	if n := count(t, s, "stock_moves WHERE kind = 'count'"); n != 1 {
		t.Errorf("count moves = %d: a matching product needs none", n)
	}
	if n := count(t, s, "journal WHERE kind = 'stock'"); n != 2 {
		t.Errorf("stock journal entries = %d", n)
	}
}

// Stock below zero is listed first among the low, even for a product with no reorder point, with an
// order that brings it back to zero.
func TestLowStockListsBelowZeroFirst(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.w.Exec(`UPDATE products SET reorder_point = 6000, on_hand = 2000 WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	// Sold beyond the records: no reorder point, on hand -3.
	if _, err := s.w.Exec(`UPDATE products SET reorder_point = 0, on_hand = -3000 WHERE sku = 'DRK-001'`); err != nil {
		t.Fatal(err)
	}
	low, err := s.LowStock(ctx, 10)
	if err != nil || len(low) != 2 || low[0].Product.SKU != "DRK-001" || !low[0].Negative() || low[0].SuggestedOrder() != app.Pieces(3) ||
		low[1].Product.SKU != "SNK-001" {
		t.Fatalf("low stock %+v, %v", low, err)
	}
}

// The low-stock list reads the partial index of the products it can name, not the catalog: at 1,000,000
// products a scan takes a fifth of a second (BenchmarkLowStock), and the till reads it after its syncs.
func TestLowStockReadsItsIndex(t *testing.T) {
	s, _ := openTestStore(t)
	rows, err := s.r.Query(`EXPLAIN QUERY PLAN SELECT `+productColumns+` FROM products p WHERE `+lowStockWhere, 500)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "INDEX products_low_stock") {
		t.Errorf("low stock plan: %s", got)
	}
}
