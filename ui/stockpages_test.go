package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// stockDesk is the part of an app.StockService the pages under test use, over a shelf of one product.
type stockDesk struct {
	app.StockService // the rest is not called
	received         []app.ReceiveLine
	by               string
}

func (d *stockDesk) FindProduct(_ context.Context, code string) (app.Product, error) {
	if code == "5449000000996" || code == cola.SKU {
		return cola, nil
	}
	return app.Product{}, app.ErrUnknownBarcode
}

func (d *stockDesk) LowStock(context.Context, int) ([]app.StockLevel, error) {
	return []app.StockLevel{{Product: cola, OnHand: app.Pieces(2), ReorderPoint: app.Pieces(6)}}, nil
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
