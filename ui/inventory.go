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

// scanProduct finds the product a code scanned or typed into field names, clearing the field; a code
// that names none is said on n.
func (o *BackOffice) scanProduct(field *KeyEntry, code string, n notice) (app.Product, bool) {
	field.SetText("")
	if strings.TrimSpace(code) == "" {
		return app.Product{}, false
	}
	p, err := o.find(code)
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

// receivePage books a delivery: scan each product, say how many came and what one cost, then F12.
type receivePage struct {
	office   *BackOffice
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

func newReceivePage(o *BackOffice) *receivePage {
	pg := &receivePage{office: o, note: newNotice(o), current: widget.NewLabel(""), lines: table()}
	pg.supplier = o.field(lang.L("Supplier"), func() { o.win.Canvas().Focus(pg.code) })
	pg.code = o.field(lang.L("Scan or type a barcode or SKU, then Enter"), func() { pg.scanned(pg.code.Text) })
	pg.qty = o.field(lang.L("Quantity (empty: 1)"), func() { o.win.Canvas().Focus(pg.cost) })
	pg.cost = o.field(lang.L("Unit cost (empty: the last cost)"), pg.addLine)
	for _, e := range []*KeyEntry{pg.supplier, pg.code, pg.qty, pg.cost} {
		pg.withF12(e)
	}
	book := widget.NewButtonWithIcon(lang.L("Receive delivery")+" (F12)", theme.ConfirmIcon(), pg.book)
	book.Importance = widget.HighImportance
	clear := widget.NewButtonWithIcon(lang.L("Clear"), theme.ContentClearIcon(), pg.clear)
	entry := container.NewGridWithColumns(3, pg.code, pg.qty, pg.cost)
	top := container.NewVBox(pg.supplier, entry, pg.current, pg.note)
	pg.content = container.NewBorder(top, container.NewHBox(clear, book), nil, nil, container.NewVScroll(pg.lines))
	return pg
}

// withF12 makes F12 in e book the delivery.
func (pg *receivePage) withF12(e *KeyEntry) {
	keys := e.OnKey
	e.OnKey = func(k *fyne.KeyEvent) bool {
		if k.Name == fyne.KeyF12 {
			pg.book()
			return true
		}
		return keys(k)
	}
}

func (pg *receivePage) scanned(code string) {
	p, ok := pg.office.scanProduct(pg.code, code, pg.note)
	if !ok {
		return
	}
	pg.product = &p
	pg.current.SetText(pg.office.describe(p) + "  ·  " + lang.L("last cost {{.Cost}}", map[string]any{"Cost": money.Format(p.Cost, pg.office.till.opt.Language)}))
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
	language := pg.office.till.opt.Language
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
	if err := pg.office.stock.Receive(context.Background(), supplier, pg.office.till.co.Session(), pg.delivery); err != nil {
		pg.note.fail(err)
		return
	}
	n := len(pg.delivery)
	pg.clear()
	pg.note.say(lang.L("Received {{.Count}} products into stock.", map[string]any{"Count": n}), widget.SuccessImportance)
	pg.office.products.reload()
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

// adjustPage corrects one product's stock for a reason: scan it, type the change (-2), pick why, Enter.
type adjustPage struct {
	office  *BackOffice
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

func newAdjustPage(o *BackOffice) *adjustPage {
	pg := &adjustPage{office: o, note: newNotice(o), current: widget.NewLabel(""), history: table()}
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
	keys := pg.delta.OnKey
	pg.delta.OnKey = func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyDown:
			pg.reason.SetSelectedIndex(min(pg.reason.SelectedIndex()+1, len(reasons)-1))
		case fyne.KeyUp:
			pg.reason.SetSelectedIndex(max(pg.reason.SelectedIndex()-1, 0))
		default:
			return keys(k)
		}
		return true
	}
	top := container.NewVBox(pg.code, pg.current, container.NewGridWithColumns(4, pg.delta, pg.reason, pg.shop, apply), hint, pg.note)
	pg.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(pg.history))
	return pg
}

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
	p, ok := pg.office.scanProduct(pg.code, code, pg.note)
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
	history, err := pg.office.stock.StockHistory(context.Background(), p.ID, historyLength)
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
		err = pg.office.stock.Transfer(context.Background(), p, delta, pg.shop.Text, pg.office.till.co.Session())
	} else {
		reason = reasonText(app.AdjustmentReasons[pg.reason.SelectedIndex()])
		err = pg.office.stock.Adjust(context.Background(), p, delta, app.AdjustmentReasons[pg.reason.SelectedIndex()], pg.office.till.co.Session())
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	after, err := pg.office.find(p.SKU)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.product = nil
	pg.delta.SetText("")
	pg.showProduct(after)
	pg.note.say(lang.L("Stock of {{.Name}}: {{.Before}} → {{.After}} ({{.Reason}}).", map[string]any{"Name": pg.office.name(p),
		"Before": quantity(p.OnHand, p.Unit), "After": quantity(after.OnHand, p.Unit), "Reason": reason}), widget.SuccessImportance)
	pg.office.products.reload()
	pg.office.win.Canvas().Focus(pg.code)
}

// countPage is a scan-to-count session: every scan counts one more (type a number and Enter to set
// what was found of the last product), F9 shows the variance report, F12 applies the count.
type countPage struct {
	office  *BackOffice
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

func newCountPage(o *BackOffice) *countPage {
	pg := &countPage{office: o, note: newNotice(o), report: table()}
	pg.code = o.field(lang.L("Scan each item, or type a barcode or SKU and Enter"), func() { pg.scanned(pg.code.Text) })
	pg.found = o.field(lang.L("Found on the shelf (sets the last product)"), pg.setFound)
	for _, e := range []*KeyEntry{pg.code, pg.found} {
		keys := e.OnKey
		e.OnKey = func(k *fyne.KeyEvent) bool {
			switch k.Name {
			case fyne.KeyF9:
				pg.showVariances()
			case fyne.KeyF12:
				pg.apply()
			default:
				return keys(k)
			}
			return true
		}
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

func (pg *countPage) restart() {
	pg.count, pg.last, pg.order, pg.counted = pg.office.stock.NewCount(), nil, nil, map[int64]app.Quantity{}
	pg.report.SetText("")
	pg.note.say("", widget.MediumImportance)
}

func (pg *countPage) scanned(code string) {
	p, ok := pg.office.scanProduct(pg.code, code, pg.note)
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
	vs, err := pg.office.stock.Variances(context.Background(), pg.count)
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
	vs, err := pg.office.stock.Variances(context.Background(), pg.count)
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
	vs, err := pg.office.stock.ApplyCount(context.Background(), pg.count, pg.office.till.co.Session())
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
	pg.office.products.reload()
}

// lowStockPage lists products at or below their reorder point with what to order.
type lowStockPage struct {
	office  *BackOffice
	content fyne.CanvasObject
	list    *widget.Label
	keys    *hotkeys
	note    notice
}

// lowStockLimit is how many low products the page lists, lowest cover first.
const lowStockLimit = 500

func newLowStockPage(o *BackOffice) *lowStockPage {
	pg := &lowStockPage{office: o, list: table(), note: newNotice(o)}
	pg.keys = newHotkeys(func(k *fyne.KeyEvent) { o.key(k) })
	refresh := widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), pg.reload)
	pg.content = container.NewBorder(container.NewVBox(pg.note, pg.keys), refresh, nil, nil, container.NewVScroll(pg.list))
	return pg
}

func (pg *lowStockPage) reload() {
	levels, err := pg.office.stock.LowStock(context.Background(), lowStockLimit)
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
	for _, l := range levels {
		u := l.Product.Unit
		fmt.Fprintf(&b, "%s %10s %10s %10s\n", pg.office.productColumn(l.Product), quantity(l.OnHand, u), quantity(l.ReorderPoint, u),
			quantity(l.SuggestedOrder(), u))
	}
	pg.list.SetText(b.String())
	pg.note.say(lang.L("{{.Count}} products to reorder.", map[string]any{"Count": len(levels)}), widget.WarningImportance)
}
