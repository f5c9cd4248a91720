package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// searchLimit is how many matches the search list shows: the first page only.
const searchLimit = 20

// productSearch finds a product by name, SKU or code as the cashier types (F3). Up/Down pick a match,
// Enter adds it (asking the weight of goods sold by the kilogram), Esc closes.
type productSearch struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	lines    *lineEditor
	language string
}

func (s *productSearch) open() {
	if s.sh.busy() {
		return
	}
	var d dialog.Dialog
	var found []app.Product
	selected := -1
	query := s.sh.field()
	query.SetPlaceHolder(lang.L("Name, SKU or barcode"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Hide()
	results := widget.NewList(
		func() int { return len(found) },
		func() fyne.CanvasObject {
			name, price := widget.NewLabel(""), widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, price, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(found) {
				return
			}
			p := found[id]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(p.DisplayName(s.language) + "  ·  " + p.SKU)
			row.Objects[1].(*widget.Label).SetText(unitPrice(p, s.language))
		})
	choose := func(i int) {
		if i < 0 || i >= len(found) {
			return
		}
		p := found[i]
		d.Hide()
		if p.Unit == app.UnitKg {
			s.lines.weight(p)
			return
		}
		added, err := s.co.AddProduct(p, app.Pieces(1))
		if err != nil {
			s.sale.fail(err)
			return
		}
		s.sale.selectLine(added.Line)
		s.sale.say(p.DisplayName(s.language), widget.MediumImportance)
	}
	results.OnSelected = func(id widget.ListItemID) { selected = id }
	query.OnChanged = func(text string) {
		var err error
		found, err = s.co.Search(context.Background(), text, searchLimit)
		if err != nil {
			problem.SetText(errorMessage(err))
			problem.Show()
		} else {
			problem.Hide()
		}
		selected = -1
		results.UnselectAll()
		if len(found) > 0 {
			selected = 0
			results.Select(0)
		}
		results.Refresh()
	}
	dialogKeys(query, func() dialog.Dialog { return d }, func() { choose(selected) })
	enterEsc := query.OnKey
	query.OnKey = func(k *fyne.KeyEvent) bool {
		switch {
		case k.Name == fyne.KeyDown && selected+1 < len(found):
			results.Select(selected + 1)
		case k.Name == fyne.KeyUp && selected > 0:
			results.Select(selected - 1)
		case k.Name == fyne.KeyUp || k.Name == fyne.KeyDown:
		default:
			return enterEsc(k)
		}
		results.ScrollTo(selected)
		return true
	}
	hint := widget.NewLabel(lang.L("↑↓: choose · Enter: add · Esc: close"))
	hint.Importance = widget.LowImportance
	content := container.NewBorder(container.NewVBox(query, problem), hint, nil, nil, results)
	d = s.sh.open(lang.L("Find a product"), container.NewGridWrap(fyne.NewSize(640, 420), content), query)
}

// unitPrice is a product's price as a list shows it: "¥6.98/kg", "¥6.98/斤" or "¥1.50/100g" for weighed
// goods, what the price is for.
func unitPrice(p app.Product, language string) string {
	price := money.Format(p.Price, language)
	if per := p.PricedIn(); per != "" {
		price += "/" + unitWord(per) // ¥6.98/斤, ¥12.00/kg, ¥1.50/100g
	}
	return price
}
