package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// table is a monospace block of aligned rows, for lists the owner reads rather than picks from.
func table() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle.Monospace = true
	return l
}

// productColumn is a product as the first columns of a table row.
func (o *BackOffice) productColumn(p app.Product) string {
	return column(p.SKU, 12) + " " + column(o.name(p), 30)
}

// scanProduct finds in stock the product a code scanned or typed into field names, clearing the field; a
// code that names none is said on n.
func scanProduct(stock app.StockService, field *KeyEntry, code string, n notice) (app.Product, bool) {
	field.SetText("")
	if strings.TrimSpace(code) == "" {
		return app.Product{}, false
	}
	p, err := stock.FindProduct(context.Background(), code)
	if err != nil {
		n.fail(err)
		return app.Product{}, false
	}
	return p, true
}

// describe is a product with its stock, as a page shows the one being worked on.
func (o *BackOffice) describe(p app.Product) string {
	return o.name(p) + "  ·  " + p.SKU + "  ·  " + lang.L("on hand {{.Qty}}", map[string]any{"Qty": quantity(p.OnHand, p.Unit)})
}
