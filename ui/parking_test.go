package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// parkedCarts is an app.ParkedCarts in memory.
type parkedCarts map[string]app.ParkedCart

func (p parkedCarts) Park(_ context.Context, c app.ParkedCart) error { p[c.ID] = c; return nil }

func (p parkedCarts) ParkedAt(context.Context, string) ([]app.ParkedCart, error) {
	var out []app.ParkedCart
	for _, c := range p {
		out = append(out, c)
	}
	return out, nil
}

func (p parkedCarts) Unpark(_ context.Context, id string) (app.ParkedCart, error) {
	c, ok := p[id]
	if !ok {
		return app.ParkedCart{}, app.ErrNotParked
	}
	delete(p, id)
	return c, nil
}

// F7 parks the sale in progress; on an empty till it lists the parked carts, and Enter brings the first
// back.
func TestParkingParksAndResumes(t *testing.T) {
	h := newHarness(t)
	carts := parkedCarts{}
	pk := &parking{sh: h.sh, co: h.co, sale: h.sale, parked: carts, language: "en"}
	pk.parkOrResume()
	if h.sale.last() != "No parked carts." {
		t.Fatalf("nothing parked: %q", h.sale.last())
	}
	h.sell(2)
	pk.parkOrResume()
	if len(carts) != 1 || len(h.co.Lines()) != 0 || h.sale.last() != "Cart parked (¥6.00). F7 on an empty till brings it back." {
		t.Fatalf("parking: %d parked, %d lines, %q", len(carts), len(h.co.Lines()), h.sale.last())
	}
	pk.parkOrResume()
	h.mustShow("Parked carts", "¥6.00", "Coca-Cola 330ml can")
	h.typeIn("2")
	h.press(fyne.KeyReturn)
	h.mustShow("Choose a number from the list.")
	h.win.Canvas().Focused().(*KeyEntry).SetText("")
	h.press(fyne.KeyReturn)
	if len(carts) != 0 || len(h.co.Lines()) != 1 || h.sale.last() != "Parked cart resumed." {
		t.Errorf("resuming: %d parked, %d lines, %q", len(carts), len(h.co.Lines()), h.sale.last())
	}
}

// shopCarts is an app.ShopCarts in memory: the carts other tills offered, and who claimed which.
type shopCarts struct {
	offered []app.ParkedCart
	claimed map[string]string
	down    bool
}

func (s *shopCarts) Offer(context.Context, app.ParkedCart) error { return nil }

func (s *shopCarts) Offered(context.Context) ([]app.ParkedCart, error) {
	if s.down {
		return nil, errors.New("no route to the head office")
	}
	return s.offered, nil
}

func (s *shopCarts) Claim(_ context.Context, id string) error {
	if by := s.claimed[id]; by != "" {
		return &app.CartTakenError{Till: by}
	}
	s.claimed[id] = "T01"
	return nil
}

// withdrawals is an app.CartWithdrawals in memory.
type withdrawals map[string]time.Time

func (w withdrawals) Withdraw(_ context.Context, id string, at time.Time) error {
	w[id] = at
	return nil
}

func (w withdrawals) Withdrawals(context.Context) ([]string, error) {
	return slices.Collect(maps.Keys(w)), nil
}

func (w withdrawals) Withdrawn(_ context.Context, id string) error { delete(w, id); return nil }

// skuShelf finds the harness's products by SKU.
type skuShelf struct{}

func (skuShelf) ProductBySKU(_ context.Context, sku string) (app.Product, error) {
	for _, p := range []app.Product{cola, banana} {
		if p.SKU == sku {
			return p, nil
		}
	}
	return app.Product{}, fmt.Errorf("%w: %s", app.ErrCartProduct, sku)
}

// F7 on an empty till lists the carts other tills of the shop parked after its own; Enter on one claims
// and resumes it. One another till took first says which till has it; offline, the list says only the
// till's own carts are there.
func TestParkingListsAndResumesAnotherTillsCart(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	carts := parkedCarts{}
	mine := app.ParkedCart{ID: app.NewID(), Till: "T01", ParkedAt: time.Now(), Total: cny(698),
		Lines: []app.Line{{Product: banana, Qty: app.Pieces(1)}}}
	carts[mine.ID] = mine
	theirs := app.ParkedCart{ID: app.NewID(), Till: "T02", ParkedAt: time.Now(), Total: cny(900),
		Lines: []app.Line{{Product: app.Product{SKU: "DRK-001", Name: "Cola (T02's name)", Price: cny(300), Unit: app.UnitPiece, Active: true}, Qty: app.Pieces(3)}}}
	taken := app.ParkedCart{ID: app.NewID(), Till: "T03", ParkedAt: time.Now(), Total: cny(300),
		Lines: []app.Line{{Product: app.Product{SKU: "DRK-001", Name: "Cola", Price: cny(300), Unit: app.UnitPiece, Active: true}, Qty: app.Pieces(1)}}}
	shop := &shopCarts{offered: []app.ParkedCart{theirs, taken}, claimed: map[string]string{taken.ID: "T04"}}
	h.co.SetShopCarts(shop, skuShelf{}, withdrawals{})
	pk := &parking{sh: h.sh, co: h.co, sale: h.sale, parked: carts, language: "en"}

	pk.parkOrResume()
	h.mustShow("Parked carts", "¥6.98", "[from T02]", "¥9.00", "Cola (T02's name)", "[from T03]")
	h.typeIn("3")
	h.press(fyne.KeyReturn)
	h.mustShow("Till T04 has taken this cart.")
	h.win.Canvas().Focused().(*KeyEntry).SetText("2")
	h.press(fyne.KeyReturn)
	if lines := h.co.Lines(); len(lines) != 1 || lines[0].Qty != app.Pieces(3) || lines[0].Product.Name != cola.Name ||
		h.sale.last() != "Parked cart resumed." || shop.claimed[theirs.ID] != "T01" || len(carts) != 1 {
		t.Fatalf("resuming T02's cart: %+v, %q, claimed by %q", lines, h.sale.last(), shop.claimed[theirs.ID])
	}
	if err := h.co.Void(ctx); err != nil {
		t.Fatal(err)
	}

	shop.down = true
	pk.parkOrResume()
	h.mustShow("Parked carts", "¥6.98", "The head office is out of reach: only this till's parked carts are listed.")
}
