package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// CustomerDisplay is the second window, turned towards the shopper: what is in the cart, the total and,
// once the sale is stored, thanks and the change.
type CustomerDisplay struct {
	language string
	win      fyne.Window
	lines    []app.Line
	list     *widget.List
	total    *canvas.Text
	items    *widget.Label
	greeting *canvas.Text
	change   *widget.Label
}

func newCustomerDisplay(a fyne.App, language string) *CustomerDisplay {
	d := &CustomerDisplay{language: language, win: a.NewWindow(lang.L("Customer display"))}
	d.list = widget.NewList(
		func() int { return len(d.lines) },
		func() fyne.CanvasObject {
			name, amount := widget.NewLabel(""), widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			amount.Alignment = fyne.TextAlignTrailing
			return container.NewBorder(nil, nil, nil, amount, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(d.lines) {
				return
			}
			l := d.lines[id]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(l.Product.DisplayName(d.language) + "  × " + quantityText(l))
			row.Objects[1].(*widget.Label).SetText(money.Format(l.Total, d.language))
		})
	d.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	d.total.TextSize = theme.TextSize() * 3
	d.total.TextStyle.Bold = true
	d.total.Alignment = fyne.TextAlignTrailing
	d.items = widget.NewLabel("")
	d.greeting = canvas.NewText(lang.L("Welcome"), theme.Color(theme.ColorNamePrimary))
	d.greeting.TextSize = theme.TextSize() * 2
	d.greeting.Alignment = fyne.TextAlignCenter
	d.change = widget.NewLabel("")
	d.change.Alignment = fyne.TextAlignCenter
	top := container.NewVBox(d.greeting, d.change)
	bottom := container.NewBorder(nil, nil, d.items, nil, d.total)
	d.win.SetContent(container.NewBorder(top, bottom, nil, nil, d.list))
	d.win.Resize(fyne.NewSize(480, 640))
	return d
}

// Window returns the display's window.
func (d *CustomerDisplay) Window() fyne.Window { return d.win }

// showCart shows the sale in progress.
func (d *CustomerDisplay) showCart(lines []app.Line, t app.Totals) {
	d.lines = lines
	d.list.Refresh()
	if len(lines) > 0 {
		d.list.ScrollToBottom()
		d.greeting.Text = lang.L("Your items")
		d.change.SetText("")
	}
	d.total.Text = lang.L("Total") + " " + money.Format(t.Total, d.language)
	d.total.Refresh()
	d.greeting.Refresh()
	d.items.SetText(lang.L("Items: {{.Count}}", map[string]any{"Count": t.ItemCount}))
}

// thankYou shows the paid sale until the next one starts.
func (d *CustomerDisplay) thankYou(s *app.Sale) {
	d.lines = nil
	d.list.Refresh()
	d.greeting.Text = lang.L("Thank you!")
	d.greeting.Refresh()
	d.total.Text = lang.L("Paid") + " " + money.Format(s.Paid(), d.language)
	d.total.Refresh()
	d.items.SetText(s.ReceiptNo)
	d.change.SetText(lang.L("Your change: {{.Amount}}", map[string]any{"Amount": money.Format(s.Change(), d.language)}))
}
