package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// stockDesk is the part of an app.StockService the pages under test use, over a shelf of one product.
type stockDesk struct {
	app.StockService // the rest is not called
	received         []app.ReceiveLine
	by               string
	low              []app.StockLevel // nil: the cola, 2 against a reorder point of 6
}

func (d *stockDesk) FindProduct(_ context.Context, code string) (app.Product, error) {
	if code == "5449000000996" || code == cola.SKU {
		return cola, nil
	}
	return app.Product{}, app.ErrUnknownBarcode
}

func (d *stockDesk) LowStock(context.Context, int) ([]app.StockLevel, error) {
	if d.low != nil {
		return d.low, nil
	}
	return []app.StockLevel{{Product: cola, OnHand: app.Pieces(2), ReorderPoint: app.Pieces(6)}}, nil
}

// Stock below zero is marked, and the page says in red to count it.
func TestLowStockMarksStockBelowZero(t *testing.T) {
	h := newHarness(t)
	o := newOffice(h)
	stock := &stockDesk{low: []app.StockLevel{{Product: cola, OnHand: app.Pieces(-3)}}}
	low := newLowStockPage(o, stock)
	o.open(o.add(fyne.KeyF6, "Low stock (F6)", low.content, low.opened, nil))
	mustShowIn(t, o.win, "1 products below zero (▼): sold beyond the stock records; count them. 1 to reorder in all.")
	if low.note.Importance != widget.DangerImportance {
		t.Error("stock below zero is not shown in red")
	}
	if !strings.Contains(low.list.Text, "▼ -3") {
		t.Errorf("the row is not marked: %q", low.list.Text)
	}
}

func (d *stockDesk) Receive(_ context.Context, _ string, by *app.Session, lines []app.ReceiveLine) error {
	d.received, d.by = lines, by.Name()
	return nil
}

func newOffice(h *harness) *BackOffice {
	return newBackOffice(fyne.CurrentApp(), "Products and stock", h.sh, h.co, h.opt)
}

// The low-stock page lists what to reorder; the receive page books a scanned delivery in the signed-in
// user's name and tells the product list.
func TestStockPages(t *testing.T) {
	h := newHarness(t)
	o := newOffice(h)
	stock := &stockDesk{}
	changed := 0
	low := newLowStockPage(o, stock)
	receive := newReceivePage(o, stock, func() { changed++ })
	o.add(fyne.KeyF3, "Receive (F3)", receive.content, receive.opened, receive.scanned)
	lowTab := o.add(fyne.KeyF6, "Low stock (F6)", low.content, low.opened, nil)
	o.open(lowTab)
	mustShowIn(t, o.win, "1 products to reorder.", "DRK-001", "Order")
	if o.scan("5449000000996") {
		t.Error("the low-stock page took a scan")
	}

	o.key(&fyne.KeyEvent{Name: fyne.KeyF3})
	if !o.scan("5449000000996") {
		t.Fatal("the receive page took no scan")
	}
	mustShowIn(t, o.win, "on hand 0")
	test := o.win.Canvas()
	test.Focused().(*KeyEntry).SetText("12") // the quantity
	test.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // the last cost
	test.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	if len(stock.received) != 1 || stock.received[0].Qty != app.Pieces(12) || stock.by != "Olivia" || changed != 1 {
		t.Errorf("received %+v by %q, product list told %d times", stock.received, stock.by, changed)
	}
	mustShowIn(t, o.win, "Received 1 products into stock.")
}
