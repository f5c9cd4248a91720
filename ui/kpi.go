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

// kpiTile is one of the day page's headline figures, read at a glance: its name, its value large, and its
// change against the same weekday last week (▲ up, ▼ down), green when that is good for the shop and
// red when it is not.
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
	t.content = container.NewPadded(container.NewVBox(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.value, t.change))
	return t
}

// set shows value and its change (nil: the day is not compared, as on an X or Z report).
func (t *kpiTile) set(value string, c *app.Change) {
	t.value.Text = value
	t.value.Refresh()
	t.change.Importance = widget.MediumImportance
	switch {
	case c == nil:
		t.change.SetText("")
	case !c.HasPercent:
		t.change.SetText(lang.L("none last week"))
	case c.Delta == 0:
		t.change.SetText("= " + lang.L("as last week"))
	default:
		arrow, good, pct := "▲ +", c.Delta > 0 == t.upIsGood, c.PercentBP
		if c.Delta < 0 {
			arrow, pct = "▼ −", -pct
		}
		t.change.Importance = widget.DangerImportance
		if good {
			t.change.Importance = widget.SuccessImportance
		}
		t.change.SetText(arrow + money.FormatFixed(pct, 2) + "% " + lang.L("vs last week"))
	}
	t.change.Refresh()
}

// kpiTiles are the day page's four headline figures.
type kpiTiles struct {
	revenue, sales, basket, refunds *kpiTile
	content                         fyne.CanvasObject
}

func newKPITiles() *kpiTiles {
	k := &kpiTiles{revenue: newKPITile(lang.L("Revenue"), true), sales: newKPITile(lang.L("Sales"), true),
		basket: newKPITile(lang.L("Average basket"), true), refunds: newKPITile(lang.L("Refunds"), false)}
	k.content = container.NewGridWithColumns(4, k.revenue.content, k.sales.content, k.basket.content, k.refunds.content)
	return k
}

// show fills the tiles with sum, compared with last when it is not nil.
func (k *kpiTiles) show(sum app.DaySummary, last *app.DaySummary, f func(money.Amount) string) {
	var c app.Comparison
	var changes [4]*app.Change // none when not compared (an X or Z report)
	if last != nil {
		c = sum.Compare(*last)
		changes = [4]*app.Change{&c.Revenue, &c.Sales, &c.AverageBasket, &c.Refunds}
	}
	k.revenue.set(f(sum.Revenue), changes[0])
	k.sales.set(fmt.Sprint(sum.Sales), changes[1])
	k.basket.set(f(sum.AverageBasket()), changes[2])
	k.refunds.set(f(sum.RefundTotal), changes[3])
}
