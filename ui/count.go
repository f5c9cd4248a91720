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

// countPage is a scan-to-count session: every scan counts one more (type a number and Enter to set
// what was found of the last product), F9 shows the variance report, F12 applies the count.
type countPage struct {
	office  *BackOffice
	stock   app.StockService
	changed func() // the product list shows the new stock
	content fyne.CanvasObject
	code    *KeyEntry
	found   *KeyEntry
	report  *widget.Label
	note    notice
	count   *app.Count
	last    *app.Product
	order   []app.Product // products in the order first counted
	counted map[int64]app.Quantity
}

func newCountPage(o *BackOffice, stock app.StockService, changed func()) *countPage {
	pg := &countPage{office: o, stock: stock, changed: changed, note: newNotice(o), report: table()}
	pg.code = o.field(lang.L("Scan each item, or type a barcode or SKU and Enter"), func() { pg.scanned(pg.code.Text) })
	pg.found = o.field(lang.L("Found on the shelf (sets the last product)"), pg.setFound)
	for _, e := range []*KeyEntry{pg.code, pg.found} {
		addKeys(e, map[fyne.KeyName]func(){fyne.KeyF9: pg.showVariances, fyne.KeyF12: pg.apply})
	}
	variances := widget.NewButtonWithIcon(lang.L("Variance report")+" (F9)", theme.ListIcon(), pg.showVariances)
	apply := widget.NewButtonWithIcon(lang.L("Apply count")+" (F12)", theme.ConfirmIcon(), pg.apply)
	apply.Importance = widget.HighImportance
	restart := widget.NewButtonWithIcon(lang.L("New count"), theme.ContentClearIcon(), pg.restart)
	top := container.NewVBox(container.NewGridWithColumns(2, pg.code, pg.found), pg.note)
	pg.content = container.NewBorder(top, container.NewHBox(restart, variances, apply), nil, nil, container.NewVScroll(pg.report))
	pg.restart()
	return pg
}

// opened gives the code field the keys when the page comes up.
func (pg *countPage) opened() fyne.Focusable { return pg.code }

func (pg *countPage) restart() {
	pg.count, pg.last, pg.order, pg.counted = pg.stock.NewCount(), nil, nil, map[int64]app.Quantity{}
	pg.report.SetText("")
	pg.note.say("", widget.MediumImportance)
}

func (pg *countPage) scanned(code string) {
	p, ok := scanProduct(pg.stock, pg.code, code, pg.note)
	if !ok {
		return
	}
	if p.Unit == app.UnitKg {
		// Weighed goods are counted by weight: the owner types what the scale says.
		pg.remember(p)
		pg.note.say(lang.L("{{.Name}}: type the weight found and Enter.", map[string]any{"Name": pg.office.name(p)}), widget.MediumImportance)
		pg.office.win.Canvas().Focus(pg.found)
		return
	}
	if err := pg.count.Add(p, 1000); err != nil {
		pg.note.fail(err)
		return
	}
	pg.remember(p)
	pg.counted[p.ID] += 1000
	pg.note.say(lang.L("{{.Name}}: {{.Qty}} counted.", map[string]any{"Name": pg.office.name(p), "Qty": quantity(pg.counted[p.ID], p.Unit)}), widget.MediumImportance)
	pg.showCounted()
}

func (pg *countPage) remember(p app.Product) {
	pg.last = &p
	if _, ok := pg.counted[p.ID]; !ok {
		pg.order = append(pg.order, p)
		pg.counted[p.ID] = 0
	}
}

func (pg *countPage) setFound() {
	if pg.last == nil {
		pg.office.win.Canvas().Focus(pg.code)
		return
	}
	p := *pg.last
	q, err := app.ParseCounted(pg.found.Text, p.Unit)
	if err == nil {
		err = pg.count.Set(p, q)
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.counted[p.ID] = q
	pg.found.SetText("")
	pg.note.say(lang.L("{{.Name}}: {{.Qty}} counted.", map[string]any{"Name": pg.office.name(p), "Qty": quantity(q, p.Unit)}), widget.MediumImportance)
	pg.showCounted()
	pg.office.win.Canvas().Focus(pg.code)
}

func (pg *countPage) showCounted() {
	var b strings.Builder
	for _, p := range pg.order {
		fmt.Fprintf(&b, "%s %10s\n", pg.office.productColumn(p), quantity(pg.counted[p.ID], p.Unit))
	}
	pg.report.SetText(b.String())
}

// showVariances compares what was counted with the stock records now, largest differences first.
func (pg *countPage) showVariances() {
	vs, err := pg.stock.Variances(context.Background(), pg.count)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.report.SetText(pg.varianceTable(vs))
	pg.note.say(lang.L("Variance report: {{.Count}} products counted.", map[string]any{"Count": len(vs)}), widget.MediumImportance)
}

func (pg *countPage) varianceTable(vs []app.Variance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %10s %10s %10s\n", column(lang.L("SKU"), 12), column(lang.L("Name"), 30),
		lang.L("On hand"), lang.L("Counted"), lang.L("Difference"))
	for _, v := range vs {
		diff := quantity(v.Diff(), v.Product.Unit)
		if v.Diff() > 0 {
			diff = "+" + diff
		}
		fmt.Fprintf(&b, "%s %10s %10s %10s\n", pg.office.productColumn(v.Product), quantity(v.OnHand, v.Product.Unit),
			quantity(v.Counted, v.Product.Unit), diff)
	}
	return b.String()
}

// apply sets every counted product's stock to the count, as one journaled action, after asking.
func (pg *countPage) apply() {
	if len(pg.order) == 0 {
		pg.note.say(lang.L("Nothing counted yet."), widget.WarningImportance)
		return
	}
	vs, err := pg.stock.Variances(context.Background(), pg.count)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.report.SetText(pg.varianceTable(vs))
	question := lang.L("Set the stock of the {{.Count}} products counted to what was counted? Enter: yes · Esc: no",
		map[string]any{"Count": len(vs)})
	pg.office.confirm(lang.L("Apply count"), question, pg.applyNow, func() { pg.office.win.Canvas().Focus(pg.code) })
}

func (pg *countPage) applyNow() {
	vs, err := pg.stock.ApplyCount(context.Background(), pg.count, pg.office.session())
	if err != nil {
		pg.note.fail(err)
		return
	}
	changed := 0
	for _, v := range vs {
		if v.Diff() != 0 {
			changed++
		}
	}
	table := pg.varianceTable(vs)
	pg.restart()
	pg.report.SetText(table)
	pg.note.say(lang.L("Count applied: {{.Changed}} of {{.Count}} products corrected.", map[string]any{"Changed": changed, "Count": len(vs)}), widget.SuccessImportance)
	pg.changed()
}
