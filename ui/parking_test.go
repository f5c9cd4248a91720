package ui

import (
	"context"
	"testing"

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
