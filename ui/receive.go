package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// receivePage books a delivery: scan each product, say how many came and what one cost, then F12.
type receivePage struct {
	office   *BackOffice
	stock    app.StockService
	changed  func() // the product list shows the new stock
	content  fyne.CanvasObject
	supplier *KeyEntry
	code     *KeyEntry
	qty      *KeyEntry
	cost     *KeyEntry
	current  *widget.Label
	lines    *widget.Label
	note     notice
	product  *app.Product // the product being entered
	delivery []app.ReceiveLine
}

func newReceivePage(o *BackOffice, stock app.StockService, changed func()) *receivePage {
	pg := &receivePage{office: o, stock: stock, changed: changed, note: newNotice(o), current: widget.NewLabel(""), lines: table()}
	pg.supplier = o.field(lang.L("Supplier"), func() { o.win.Canvas().Focus(pg.code) })
	pg.code = o.field(lang.L("Scan or type a barcode or SKU, then Enter"), func() { pg.scanned(pg.code.Text) })
	pg.qty = o.field(lang.L("Quantity (empty: 1)"), func() { o.win.Canvas().Focus(pg.cost) })
	pg.cost = o.field(lang.L("Unit cost (empty: the last cost)"), pg.addLine)
	for _, e := range []*KeyEntry{pg.supplier, pg.code, pg.qty, pg.cost} {
		addKeys(e, map[fyne.KeyName]func(){fyne.KeyF12: pg.book})
	}
	book := widget.NewButtonWithIcon(lang.L("Receive delivery")+" (F12)", theme.ConfirmIcon(), pg.book)
	book.Importance = widget.HighImportance
	clear := widget.NewButtonWithIcon(lang.L("Clear"), theme.ContentClearIcon(), pg.clear)
	entry := container.NewGridWithColumns(3, pg.code, pg.qty, pg.cost)
	top := container.NewVBox(pg.supplier, entry, pg.current, pg.note)
	pg.content = container.NewBorder(top, container.NewHBox(clear, book), nil, nil, container.NewVScroll(pg.lines))
	return pg
}

// opened gives the code field the keys when the page comes up.
func (pg *receivePage) opened() fyne.Focusable { return pg.code }

func (pg *receivePage) scanned(code string) {
	p, ok := scanProduct(pg.stock, pg.code, code, pg.note)
	if !ok {
		return
	}
	pg.product = &p
	pg.current.SetText(pg.office.describe(p) + "  ·  " + lang.L("last cost {{.Cost}}", map[string]any{"Cost": money.Format(p.Cost, pg.office.language)}))
	pg.qty.SetText("")
	pg.cost.SetText("")
	pg.note.say("", widget.MediumImportance)
	pg.office.win.Canvas().Focus(pg.qty)
}

// addLine adds the product entered to the delivery; the same product again adds to its line.
func (pg *receivePage) addLine() {
	if pg.product == nil {
		pg.office.win.Canvas().Focus(pg.code)
		return
	}
	p := *pg.product
	qty, err := app.Pieces(1), error(nil)
	if strings.TrimSpace(pg.qty.Text) != "" {
		qty, err = app.ParseQuantity(pg.qty.Text, p.Unit)
	}
	if err != nil {
		pg.note.fail(err)
		pg.office.win.Canvas().Focus(pg.qty)
		return
	}
	cost := money.New(p.Cost.Minor(), p.Price.Currency())
	if strings.TrimSpace(pg.cost.Text) != "" {
		cost, err = money.Parse(pg.cost.Text, p.Price.Currency())
	}
	if err != nil || cost.IsNegative() {
		pg.note.fail(fmt.Errorf("%w: %q", app.ErrInvalidAmount, pg.cost.Text))
		pg.office.win.Canvas().Focus(pg.cost)
		return
	}
	added := false
	for i := range pg.delivery {
		if pg.delivery[i].Product.ID == p.ID {
			pg.delivery[i].Qty += qty
			pg.delivery[i].UnitCost = cost
			added = true
		}
	}
	if !added {
		pg.delivery = append(pg.delivery, app.ReceiveLine{Product: p, Qty: qty, UnitCost: cost})
	}
	pg.product = nil
	pg.current.SetText("")
	pg.qty.SetText("")
	pg.cost.SetText("")
	pg.show()
	pg.office.win.Canvas().Focus(pg.code)
}

func (pg *receivePage) show() {
	language := pg.office.language
	var b strings.Builder
	for _, l := range pg.delivery {
		fmt.Fprintf(&b, "%s %10s × %10s = %s\n", pg.office.productColumn(l.Product), quantity(l.Qty, l.Product.Unit),
			money.Format(l.UnitCost, language), money.Format(l.Value(), language))
	}
	if len(pg.delivery) > 0 {
		fmt.Fprintf(&b, "%s %s", lang.L("{{.Count}} lines, cost", map[string]any{"Count": len(pg.delivery)}),
			money.Format(app.DeliveryCost(pg.delivery), language))
	}
	pg.lines.SetText(b.String())
}

// book records the delivery as one journaled action.
func (pg *receivePage) book() {
	if len(pg.delivery) == 0 {
		pg.note.say(lang.L("Scan the delivered products first."), widget.WarningImportance)
		return
	}
	supplier := strings.TrimSpace(pg.supplier.Text)
	if err := pg.stock.Receive(context.Background(), supplier, pg.office.session(), pg.delivery); err != nil {
		pg.note.fail(err)
		return
	}
	n := len(pg.delivery)
	pg.clear()
	pg.note.say(lang.L("Received {{.Count}} products into stock.", map[string]any{"Count": n}), widget.SuccessImportance)
	pg.changed()
}

func (pg *receivePage) clear() {
	pg.delivery, pg.product = nil, nil
	pg.supplier.SetText("")
	pg.current.SetText("")
	pg.qty.SetText("")
	pg.cost.SetText("")
	pg.note.say("", widget.MediumImportance)
	pg.show()
	pg.office.win.Canvas().Focus(pg.supplier)
}
