package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// kpiTile is one of the owner's page's headline figures, read at a glance: its name, its value large, and
// its change against the compared period (▲ up, ▼ down), green when that is good for the shop and red
// when it is not.
type kpiTile struct {
	value  *canvas.Text
	change *widget.Label
	// upIsGood: more revenue is good news, more refunds is not.
	upIsGood bool
	content  fyne.CanvasObject
}

func newKPITile(name string, upIsGood bool) *kpiTile {
	t := &kpiTile{value: canvas.NewText("", theme.Color(theme.ColorNameForeground)), change: widget.NewLabel(""), upIsGood: upIsGood}
	t.value.TextSize = theme.TextSize() * 1.8
	t.value.TextStyle.Bold = true
	t.change.Wrapping = fyne.TextWrapWord
	t.content = container.NewPadded(container.NewVBox(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.value, t.change))
	return t
}

// set shows value, a note before its change ("" for none) and the change (nil: not compared, as on an X
// or Z report) against the period to.
func (t *kpiTile) set(value, note string, c *app.Change, to app.Versus) {
	t.value.Text = value
	t.value.Refresh()
	t.change.Importance = widget.MediumImportance
	text := ""
	switch {
	case c == nil:
	case !c.HasPercent:
		text = to.None
	case c.Delta == 0:
		text = "= " + lang.L("no change")
	default:
		arrow, good, pct := "▲ +", c.Delta > 0 == t.upIsGood, c.PercentBP
		if c.Delta < 0 {
			arrow, pct = "▼ −", -pct
		}
		t.change.Importance = widget.DangerImportance
		if good {
			t.change.Importance = widget.SuccessImportance
		}
		text = arrow + money.FormatFixed(pct, 2) + "% " + to.Than
	}
	if note != "" && text != "" {
		text = note + " · " + text
	} else if note != "" {
		text = note
	}
	t.change.SetText(text)
}

// kpiTiles are the page's headline figures: revenue, sales, the average basket, refunds and the margin
// of the lines whose products have a cost.
type kpiTiles struct {
	revenue, sales, basket, refunds, margin *kpiTile
	content                                 fyne.CanvasObject
}

func newKPITiles() *kpiTiles {
	k := &kpiTiles{revenue: newKPITile(lang.L("Revenue"), true), sales: newKPITile(lang.L("Sales"), true),
		basket: newKPITile(lang.L("Average basket"), true), refunds: newKPITile(lang.L("Refunds"), false),
		margin: newKPITile(lang.L("Margin"), true)}
	k.content = container.NewGridWithColumns(5, k.revenue.content, k.sales.content, k.basket.content, k.refunds.content, k.margin.content)
	return k
}

// show fills the tiles with sum, compared with last when it is not nil: the compared period so far
// when soFar.
func (k *kpiTiles) show(sum app.DaySummary, last *app.DaySummary, soFar bool, f func(money.Amount) string) {
	versus := labels().Versus(sum.From, sum.To, soFar)
	var c app.Comparison
	var changes [5]*app.Change // none when not compared (an X or Z report)
	if last != nil {
		c = sum.Compare(*last)
		changes = [5]*app.Change{&c.Revenue, &c.Sales, &c.AverageBasket, &c.Refunds, &c.Margin}
	}
	k.revenue.set(f(sum.Revenue), "", changes[0], versus)
	k.sales.set(fmt.Sprint(sum.Sales), "", changes[1], versus)
	k.basket.set(f(sum.AverageBasket()), "", changes[2], versus)
	k.refunds.set(f(sum.RefundTotal), fmt.Sprint(sum.Refunds), changes[3], versus)
	margin, bp, known := sum.Margin()
	if !known {
		k.margin.set("—", lang.L("no product costs"), nil, versus)
		return
	}
	k.margin.set(f(margin), money.FormatFixed(bp, 2)+"%", changes[4], versus)
}
