package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// The search adds what it finds; the quantity dialog keeps bad input out of the sale.
func TestSearchAndQuantity(t *testing.T) {
	h := newHarness(t)
	lines := &lineEditor{sh: h.sh, co: h.co, sale: h.sale, language: "en"}
	search := &productSearch{sh: h.sh, co: h.co, sale: h.sale, lines: lines, language: "en"}
	search.open()
	h.typeIn("cola")
	h.mustShow("Coca-Cola 330ml can  ·  DRK-001", "¥3.00")
	h.press(fyne.KeyReturn)
	if len(h.co.Lines()) != 1 || h.sale.selected != 0 || h.sale.last() != "Coca-Cola 330ml can" {
		t.Fatalf("after choosing: %d lines, selected %d, %q", len(h.co.Lines()), h.sale.selected, h.sale.last())
	}
	lines.quantity(0, h.co.Lines()[0], "")
	h.mustShow("Quantity of Coca-Cola 330ml can")
	h.typeIn("0")
	h.press(fyne.KeyReturn)
	h.mustShow("Invalid quantity.")
	h.press(fyne.KeyEscape)
	lines.quantity(0, h.co.Lines()[0], "4")
	if q := h.co.Lines()[0].Qty; q != app.Pieces(4) {
		t.Errorf("quantity typed before F2: %v", q)
	}
	search.open()
	h.typeIn("banana")
	h.press(fyne.KeyReturn)
	h.mustShow("Weight of Banana (kg)")
}
