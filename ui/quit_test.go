package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Closing the till: an empty till closes at once; a sale
// in the cart is parked after a yes, kept after a no; a sale with a payment taken keeps the till open.
func TestQuitParksTheSaleFirst(t *testing.T) {
	h := newHarness(t)
	carts := parkedCarts{}
	quits := 0
	q := &quitting{sh: h.sh, co: h.co, sale: h.sale, parked: carts, quit: func() { quits++ }}
	q.bind(h.win)

	q.ask() // an empty till closes (the window's close button comes here too: Fyne's test window never presses it)
	if quits != 1 {
		t.Fatalf("closing an empty till: %d quits", quits)
	}
	h.sell(1)
	q.ask()
	h.mustShow("Close the till", "parked (F7 brings it back)")
	h.press(fyne.KeyEscape)
	if quits != 1 || len(carts) != 0 || len(h.co.Lines()) != 1 {
		t.Fatalf("no: %d quits, %d parked, %d lines", quits, len(carts), len(h.co.Lines()))
	}
	field := h.sh.field() // Ctrl+Q in a focused field reaches the till, not only the field
	h.win.Canvas().Focus(field)
	field.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierControl})
	h.mustShow("Close the till")
	h.press(fyne.KeyReturn)
	if quits != 2 || len(carts) != 1 || len(h.co.Lines()) != 0 {
		t.Fatalf("yes: %d quits, %d parked, %d lines", quits, len(carts), len(h.co.Lines()))
	}

	h.sell(1)
	if _, err := h.co.PayCashPart(cny(100)); err != nil {
		t.Fatal(err)
	}
	q.ask()
	if quits != 2 || h.sh.busy() || h.sale.last() != "A payment was taken: complete or void the sale before closing the till." {
		t.Fatalf("with a payment taken: %d quits, %q", quits, h.sale.last())
	}
}
