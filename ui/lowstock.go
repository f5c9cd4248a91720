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
)

// lowStockPage lists products at or below their reorder point with what to order.
type lowStockPage struct {
	office  *BackOffice
	stock   app.StockService
	content fyne.CanvasObject
	list    *widget.Label
	keys    *hotkeys
	note    notice
}

// lowStockLimit is how many low products the page lists, lowest cover first.
const lowStockLimit = 500

func newLowStockPage(o *BackOffice, stock app.StockService) *lowStockPage {
	pg := &lowStockPage{office: o, stock: stock, list: table(), note: newNotice(o)}
	pg.keys = newHotkeys(func(k *fyne.KeyEvent) { o.key(k) })
	refresh := widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), pg.reload)
	pg.content = container.NewBorder(container.NewVBox(pg.note, pg.keys), refresh, nil, nil, container.NewVScroll(pg.list))
	return pg
}

// opened lists what is low now.
func (pg *lowStockPage) opened() fyne.Focusable {
	pg.reload()
	return pg.keys
}

func (pg *lowStockPage) reload() {
	levels, err := pg.stock.LowStock(context.Background(), lowStockLimit)
	if err != nil {
		pg.note.fail(err)
		return
	}
	if len(levels) == 0 {
		pg.list.SetText("")
		pg.note.say(lang.L("No product is at or below its reorder point."), widget.SuccessImportance)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %10s %10s %10s\n", column(lang.L("SKU"), 12), column(lang.L("Name"), 30),
		lang.L("On hand"), lang.L("Reorder at"), lang.L("Order"))
	negative := 0
	for _, l := range levels {
		u := l.Product.Unit
		onHand := quantity(l.OnHand, u)
		if l.Negative() {
			negative++
			onHand = "▼ " + onHand // below zero: listed first, and marked
		}
		fmt.Fprintf(&b, "%s %10s %10s %10s\n", pg.office.productColumn(l.Product), onHand, quantity(l.ReorderPoint, u),
			quantity(l.SuggestedOrder(), u))
	}
	pg.list.SetText(b.String())
	if negative > 0 {
		pg.note.say(lang.L("{{.Count}} products below zero (▼): sold beyond the stock records; count them. {{.Total}} to reorder in all.",
			map[string]any{"Count": negative, "Total": len(levels)}), widget.DangerImportance)
		return
	}
	pg.note.say(lang.L("{{.Count}} products to reorder.", map[string]any{"Count": len(levels)}), widget.WarningImportance)
}
