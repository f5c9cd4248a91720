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

// adjustPage corrects one product's stock for a reason: scan it, type the change (-2), pick why, Enter.
type adjustPage struct {
	office  *BackOffice
	stock   app.StockService
	changed func() // the product list shows the new stock
	content fyne.CanvasObject
	code    *KeyEntry
	delta   *KeyEntry
	reason  *widget.Select
	shop    *KeyEntry // the other shop of a transfer
	current *widget.Label
	history *widget.Label
	note    notice
	product *app.Product
}

func newAdjustPage(o *BackOffice, stock app.StockService, changed func()) *adjustPage {
	pg := &adjustPage{office: o, stock: stock, changed: changed, note: newNotice(o), current: widget.NewLabel(""), history: table()}
	pg.code = o.field(lang.L("Scan or type a barcode or SKU, then Enter"), func() { pg.scanned(pg.code.Text) })
	pg.delta = o.field(lang.L("Change, e.g. -2 or +5"), pg.apply)
	// The last choice is a transfer to or from another shop, which names the shop.
	reasons := make([]string, len(app.AdjustmentReasons), len(app.AdjustmentReasons)+1)
	for i, r := range app.AdjustmentReasons {
		reasons[i] = reasonText(r)
	}
	reasons = append(reasons, lang.L("transfer to or from another shop"))
	pg.shop = o.field(lang.L("Other shop"), pg.apply)
	pg.shop.Disable()
	pg.reason = widget.NewSelect(reasons, func(string) {
		if pg.transfer() {
			pg.shop.Enable()
		} else {
			pg.shop.Disable()
		}
	})
	pg.reason.SetSelectedIndex(0)
	apply := widget.NewButtonWithIcon(lang.L("Adjust stock")+" (Enter)", theme.ConfirmIcon(), pg.apply)
	apply.Importance = widget.HighImportance
	hint := widget.NewLabelWithStyle(lang.L("Up/Down in the change field picks the reason."), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	addKeys(pg.delta, map[fyne.KeyName]func(){
		fyne.KeyDown: func() { pg.reason.SetSelectedIndex(min(pg.reason.SelectedIndex()+1, len(reasons)-1)) },
		fyne.KeyUp:   func() { pg.reason.SetSelectedIndex(max(pg.reason.SelectedIndex()-1, 0)) },
	})
	top := container.NewVBox(pg.code, pg.current, container.NewGridWithColumns(4, pg.delta, pg.reason, pg.shop, apply), hint, pg.note)
	pg.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(pg.history))
	return pg
}

// opened gives the code field the keys when the page comes up.
func (pg *adjustPage) opened() fyne.Focusable { return pg.code }

// transfer reports whether the change is a transfer rather than an adjustment.
func (pg *adjustPage) transfer() bool { return pg.reason.SelectedIndex() == len(app.AdjustmentReasons) }

// reasonText is an adjustment reason in the UI language.
func reasonText(reason string) string {
	switch reason {
	case "damage":
		return lang.L("damage")
	case "theft":
		return lang.L("theft")
	case "expiry":
		return lang.L("expiry")
	case "found":
		return lang.L("found")
	case "correction":
		return lang.L("correction")
	}
	return reason
}

func (pg *adjustPage) scanned(code string) {
	p, ok := scanProduct(pg.stock, pg.code, code, pg.note)
	if !ok {
		return
	}
	pg.product = &p
	pg.showProduct(p)
	pg.note.say("", widget.MediumImportance)
	pg.office.win.Canvas().Focus(pg.delta)
}

// historyLength is how many of a product's latest movements the adjust page shows.
const historyLength = 15

func (pg *adjustPage) showProduct(p app.Product) {
	pg.current.SetText(pg.office.describe(p))
	history, err := pg.stock.StockHistory(context.Background(), p.ID, historyLength)
	if err != nil {
		pg.note.fail(err)
		return
	}
	var b strings.Builder
	for _, e := range history {
		qty := quantity(e.Qty, p.Unit)
		if e.Qty > 0 {
			qty = "+" + qty
		}
		fmt.Fprintf(&b, "%s  %s %10s  %s  %s\n", e.At.Local().Format("2006-01-02 15:04"), column(kindText(e.Kind), 10), qty,
			column(e.Reason, 20), e.Ref)
	}
	pg.history.SetText(b.String())
}

// kindText is a movement kind in the UI language.
func kindText(k app.MoveKind) string {
	switch k {
	case app.MoveSale:
		return lang.L("sale")
	case app.MoveRefund:
		return lang.L("refund")
	case app.MoveReceiving:
		return lang.L("receiving")
	case app.MoveAdjustment:
		return lang.L("adjustment")
	case app.MoveCount:
		return lang.L("count")
	case app.MoveTransfer:
		return lang.L("transfer")
	}
	return string(k)
}

func (pg *adjustPage) apply() {
	if pg.product == nil {
		pg.office.win.Canvas().Focus(pg.code)
		return
	}
	p := *pg.product
	delta, err := app.ParseSignedQuantity(pg.delta.Text, p.Unit)
	if err == nil && delta == 0 {
		err = app.ErrInvalidQuantity
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	var reason string
	if pg.transfer() {
		if strings.TrimSpace(pg.shop.Text) == "" {
			pg.note.say(lang.L("Name the other shop of the transfer."), widget.WarningImportance)
			pg.office.win.Canvas().Focus(pg.shop)
			return
		}
		reason = pg.shop.Text
		err = pg.stock.Transfer(context.Background(), p, delta, pg.shop.Text, pg.office.session())
	} else {
		reason = reasonText(app.AdjustmentReasons[pg.reason.SelectedIndex()])
		err = pg.stock.Adjust(context.Background(), p, delta, app.AdjustmentReasons[pg.reason.SelectedIndex()], pg.office.session())
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	after, err := pg.stock.FindProduct(context.Background(), p.SKU)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.product = nil
	pg.delta.SetText("")
	pg.showProduct(after)
	pg.note.say(lang.L("Stock of {{.Name}}: {{.Before}} → {{.After}} ({{.Reason}}).", map[string]any{"Name": pg.office.name(p),
		"Before": quantity(p.OnHand, p.Unit), "After": quantity(after.OnHand, p.Unit), "Reason": reason}), widget.SuccessImportance)
	pg.changed()
	pg.office.win.Canvas().Focus(pg.code)
}
