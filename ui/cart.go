package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// columns lays out a row of cells: every cell but one is as wide as the widest of its sample text and its
// own content; the flexible cell takes the rest. Widths come from measured text, so they follow the
// theme's scale and the language's glyphs rather than fixed pixels.
type columns struct {
	samples  []string // per cell; "" marks the flexible cell
	measured []float32
}

func newColumns(samples ...string) *columns { return &columns{samples: samples} }

func (c *columns) widths(objects []fyne.CanvasObject) []float32 {
	if c.measured == nil {
		c.measured = make([]float32, len(c.samples))
		for i, s := range c.samples {
			if s != "" {
				c.measured[i] = fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
			}
		}
	}
	w := make([]float32, len(objects))
	for i, o := range objects {
		if i < len(c.measured) && c.samples[i] != "" {
			w[i] = max(c.measured[i], o.MinSize().Width)
		}
	}
	return w
}

func (c *columns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := c.widths(objects)
	fixed := float32(0)
	for _, x := range w {
		fixed += x
	}
	x := float32(0)
	for i, o := range objects {
		width := w[i]
		if c.samples[i] == "" {
			width = max(size.Width-fixed, o.MinSize().Width)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(width, size.Height))
		x += width
	}
}

func (c *columns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var width, height float32
	for i, x := range c.widths(objects) {
		width += max(x, objects[i].MinSize().Width)
		height = max(height, objects[i].MinSize().Height)
	}
	return fyne.NewSize(width, height)
}

// cartColumns is shared by the header and every row so that they line up.
func cartColumns() *columns {
	return newColumns("999", "", "99,999.999", "¥99,999.99", "-¥9,999.99", "¥999,999.99")
}

// cartView is the sale screen's list of lines with a header, the selected line highlighted.
type cartView struct {
	language string
	lines    []app.Line
	list     *widget.List
	header   *fyne.Container
	onSelect func(int)
}

func newCartView(language string, onSelect func(int)) *cartView {
	v := &cartView{language: language, onSelect: onSelect}
	head := func(text string, align fyne.TextAlign) *widget.Label {
		l := widget.NewLabelWithStyle(text, align, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	v.header = container.New(cartColumns(),
		head("#", fyne.TextAlignLeading), head(lang.L("Product"), fyne.TextAlignLeading),
		head(lang.L("Qty"), fyne.TextAlignTrailing), head(lang.L("Price"), fyne.TextAlignTrailing),
		head(lang.L("Discount"), fyne.TextAlignTrailing), head(lang.L("Total"), fyne.TextAlignTrailing))
	v.list = widget.NewList(
		func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			cells := make([]fyne.CanvasObject, 6)
			for i := range cells {
				l := widget.NewLabel("")
				if i >= 2 {
					l.Alignment = fyne.TextAlignTrailing
				}
				if i == 1 {
					l.Truncation = fyne.TextTruncateEllipsis
				}
				cells[i] = l
			}
			return container.New(cartColumns(), cells...)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.lines) {
				return
			}
			for i, text := range v.cells(id) {
				o.(*fyne.Container).Objects[i].(*widget.Label).SetText(text)
			}
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if v.onSelect != nil {
			v.onSelect(id)
		}
	}
	return v
}

// cells returns the texts of line i as the row shows them.
func (v *cartView) cells(i int) [6]string {
	l := v.lines[i]
	price := unitPrice(l.Product, v.language)
	if l.Overridden() {
		price = "*" + price // a changed price is marked; the name cell says what it was
	}
	discount := ""
	if !l.DiscountAmount.IsZero() {
		discount = money.Format(l.DiscountAmount.Neg(), v.language)
	}
	name := l.Product.DisplayName(v.language)
	if l.Overridden() {
		name += " " + lang.L("(price was {{.Price}})", map[string]any{"Price": money.Format(l.ListPrice, v.language)})
	}
	if deals := promotionNames(l, v.language); deals != "" {
		name += " · " + deals
	}
	return [6]string{strconv.Itoa(i + 1), name, quantityText(l), price, discount,
		money.Format(l.Total, v.language)}
}

// promotionNames names the promotions that saved on l, in the UI language: "" for none.
func promotionNames(l app.Line, language string) string {
	names := make([]string, len(l.Promotions))
	for i, p := range l.Promotions {
		names[i] = p.DisplayName(language)
	}
	return strings.Join(names, ", ")
}

// quantityText is a line's quantity as screens show it: "3", or for weighed goods in the unit they are
// priced in (app.Product.SoldIn): "0.455 kg", "1.5 斤", "250 g".
func quantityText(l app.Line) string {
	if in := l.Product.SoldIn(); in != "" {
		return l.Qty.FormatSold(l.Product) + " " + unitWord(in)
	}
	return l.Qty.FormatSold(l.Product)
}

// unitWord is the name of a unit app.Product.SoldIn or PricedIn gives, in the UI language.
func unitWord(code string) string {
	switch code {
	case "kg":
		return lang.L("kg")
	case "jin":
		return lang.L("jin")
	case "g":
		return lang.L("g")
	case "100g":
		return lang.L("100g")
	}
	return code
}

// weightPrompt asks for the weight of p in the unit it is sold in.
func weightPrompt(p app.Product, language string) string {
	name := p.DisplayName(language)
	if in := p.SoldIn(); in != "kg" {
		return lang.L("Weight of {{.Name}} ({{.Unit}})", map[string]any{"Name": name, "Unit": unitWord(in)})
	}
	return lang.L("Weight of {{.Name}} (kg)", map[string]any{"Name": name})
}

// show replaces the lines and selects line selected (-1 for none).
func (v *cartView) show(lines []app.Line, selected int) {
	v.lines = lines
	v.list.Refresh()
	if selected >= 0 && selected < len(lines) {
		v.list.Select(selected)
		v.list.ScrollTo(selected)
	} else {
		v.list.UnselectAll()
	}
}

func (v *cartView) content() fyne.CanvasObject {
	return container.NewBorder(v.header, nil, nil, nil, v.list)
}
