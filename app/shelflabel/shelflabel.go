// Package shelflabel lays out shelf-edge labels: the product's name (the Chinese name when it has one),
// its price with the currency and the unit it is sold by, and its barcode, placed in printer dots on a
// label of a given size. The layout is pure data; devices/labelprinter turns it into TSPL or ZPL and
// Preview draws it, so the paper and the preview cannot disagree.
package shelflabel

import (
	"fmt"
	"strconv"
	"strings"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
)

// The text cell the layout measures in, in dots: a label printer's 24-dot Chinese font (TSPL's
// "TSS24.BF2") prints ASCII 12 dots wide and a Chinese character 24, as a receipt printer's Font A does.
const (
	CellW = 12
	CellH = 24
)

// Stock is the label paper: its size and the gap between labels in millimetres, and the printer's dots
// per millimetre (8 at 203 dpi, 12 at 300 dpi).
type Stock struct {
	WidthMM, HeightMM, GapMM int
	DotsPerMM                int
}

// DefaultStock is the common Chinese shelf label, 50 × 30 mm with a 2 mm gap, on a 203 dpi printer.
func DefaultStock() Stock { return Stock{WidthMM: 50, HeightMM: 30, GapMM: 2, DotsPerMM: 8} }

// ParseSize reads a label size as typed, "50x30" (mm), onto s.
func (s Stock) ParseSize(v string) (Stock, error) {
	w, h, ok := strings.Cut(strings.ToLower(strings.TrimSpace(v)), "x")
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || wi < 30 || hi < 20 || wi > 120 || hi > 120 {
		return s, fmt.Errorf("label size %q: WIDTHxHEIGHT in mm, 30x20 to 120x120, such as 50x30", v)
	}
	s.WidthMM, s.HeightMM = wi, hi
	return s, nil
}

// Width and Height are the label's size in dots.
func (s Stock) Width() int  { return s.WidthMM * s.DotsPerMM }
func (s Stock) Height() int { return s.HeightMM * s.DotsPerMM }

// Symbology is the kind of barcode a label prints.
type Symbology int

// Symbologies. A shelf label's barcode is the product's own: scanned at the shelf it finds the product.
const (
	NoBarcode Symbology = iota
	EAN13
	EAN8
	Code128
)

// Kind says what an element is.
type Kind int

// Element kinds.
const (
	KindText Kind = iota
	KindBarcode
)

// Element is one thing printed on a label, its top-left corner at X, Y dots.
type Element struct {
	Kind Kind
	X, Y int
	// Text is a text's characters (already fitted to the label, never a control character) or a
	// barcode's data: all 13 or 8 digits of an EAN with its check digit, Code 128's characters.
	Text string
	// Scale magnifies a text's cells (1: 12 × 24 dots a column).
	Scale     int
	Symbology Symbology
	// Height is a barcode's bars in dots; its digits print below them, CellH tall. Module is its
	// narrowest bar in dots.
	Height, Module int
}

// Label is one laid-out label.
type Label struct {
	Stock    Stock
	Elements []Element
}

// Item is what a label says of a product.
type Item struct {
	SKU          string
	Name, NameZH string
	Price        money.Amount
	Unit         app.Unit
	Barcode      string // the product's first barcode as printed; "" for none
}

// ItemOf is the label of a catalog entry: its first barcode.
func ItemOf(e app.CatalogEntry) Item {
	it := Item{SKU: e.Product.SKU, Name: e.Product.Name, NameZH: e.Product.NameZH, Price: e.Product.Price, Unit: e.Product.Unit}
	if len(e.Barcodes) > 0 {
		it.Barcode = e.Barcodes[0]
	}
	return it
}

const margin = 2 // mm around the label's edge

// Lay lays it out on s, its words in lang ("en", "zh-Hans"): the name on the first line (the Chinese
// name when there is one, then the other name below), the price twice as large with the unit it is per
// beside it, and the barcode at the foot with the SKU beside it. Text too wide for the label is cut
// between characters by the columns they take (a Chinese character two), never inside one; the price
// never is: it prints at single size, the unit under it, when the label is too narrow. A label too short
// for the barcode leaves the second name out first.
func Lay(s Stock, it Item, lang string) Label {
	first, second := Clean(it.Name), ""
	if zh := Clean(it.NameZH); zh != "" {
		first, second = zh, first
	}
	l, fits := lay(s, it, lang, first, second)
	if !fits && second != "" {
		if short, ok := lay(s, it, lang, first, ""); ok {
			return short
		}
	}
	return l
}

// lay is Lay with the names given, and whether the barcode found room.
func lay(s Stock, it Item, lang, first, second string) (Label, bool) {
	l := Label{Stock: s}
	m := margin * s.DotsPerMM
	cols := (s.Width() - 2*m) / CellW
	text := func(x, y, scale int, t string) {
		if t = Fit(Clean(t), cols/scale-(x-m)/(CellW*scale)); t != "" {
			l.Elements = append(l.Elements, Element{Kind: KindText, X: x, Y: y, Text: t, Scale: scale})
		}
	}
	y := m
	text(m, y, 1, first)
	y += CellH + 4
	if second != "" {
		text(m, y, 1, second)
		y += CellH + 4
	}
	price := CurrencySign(it.Price.Currency()) + it.Price.Decimal()
	unit := unitWord(it.Unit, lang)
	pw, uw := app.ReceiptColumns(price), app.ReceiptColumns(unit)
	scale := 2
	if pw*2 > cols {
		scale = 1
	}
	l.Elements = append(l.Elements, Element{Kind: KindText, X: m, Y: y, Text: price, Scale: scale})
	if pw*scale+uw+1 <= cols { // beside the price, on its baseline
		text(m+pw*scale*CellW+4, y+(scale-1)*CellH, 1, unit)
		y += scale*CellH + 8
	} else { // under it
		text(m, y+scale*CellH, 1, unit)
		y += (scale+1)*CellH + 8
	}

	// The barcode's bars fill what is left above its digits; a label too short for 24 dots of bars
	// prints the SKU alone.
	sym, data := Symbol(it.Barcode)
	bars := s.Height() - m - CellH - y
	sku := Clean(it.SKU)
	if sym == NoBarcode || bars < CellH {
		text(m, y, 1, sku)
		return l, sym == NoBarcode
	}
	module := 2
	if m+2*modules(sym, data) > s.Width()-m {
		module = 1
	}
	width := module * modules(sym, data)
	if m+width > s.Width()-m {
		text(m, y, 1, sku)
		return l, true // no height helps a label too narrow
	}
	l.Elements = append(l.Elements, Element{Kind: KindBarcode, X: m, Y: y, Text: data, Symbology: sym, Height: bars, Module: module})
	if skuX := s.Width() - m - app.ReceiptColumns(sku)*CellW; skuX >= m+width+CellW {
		text(skuX, y, 1, sku)
	}
	return l, true
}

// modules is how many narrow-bar widths a barcode takes, its quiet zones included.
func modules(sym Symbology, data string) int {
	switch sym {
	case EAN13:
		return 95 + 18
	case EAN8:
		return 67 + 14
	}
	// Code 128, set B: start, one symbol a character, check, stop (13), quiet zones of 10 each side.
	return 11*(len(data)+2) + 13 + 20
}

// Symbol picks how a product's barcode prints: a GTIN with a good check digit as EAN-13 (a UPC-A or a
// GTIN-14 starting 0 as the EAN-13 it reads as) or EAN-8; any other short code of letters, digits and
// "-./" as Code 128; anything else not at all. The Code 128 characters leave out every character a
// label language gives a meaning (", ^, ~, >, \), so a barcode's data needs no escaping.
func Symbol(code string) (Symbology, string) {
	if barcode.ValidateGTIN(code) == nil {
		switch len(code) {
		case 13:
			return EAN13, code
		case 8:
			return EAN8, code
		case 12:
			return EAN13, "0" + code
		case 14:
			if code[0] == '0' {
				return EAN13, code[1:]
			}
		}
	}
	if code == "" || len(code) > 20 {
		return NoBarcode, ""
	}
	for _, c := range code {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '.' || c == '/') {
			return NoBarcode, ""
		}
	}
	return Code128, code
}

// CurrencySign is how a price's currency prints: ￥ (the full-width sign, in the Chinese fonts of
// label printers) for yuan and yen, else its code and a space.
func CurrencySign(c money.Currency) string {
	if c.Code == "CNY" || c.Code == "JPY" {
		return "￥"
	}
	return c.Code + " "
}

// unitWord is what the price is per: a kilogram for goods sold by weight, a piece otherwise.
func unitWord(u app.Unit, lang string) string {
	zh := strings.HasPrefix(lang, "zh")
	switch {
	case u == app.UnitKg && zh:
		return "/千克"
	case u == app.UnitKg:
		return "/kg"
	case zh:
		return "/件"
	}
	return "/each"
}

// Clean drops what no label may print: control characters (C0 with CR and LF, DEL, C1), the line and
// paragraph separators and the bidirectional controls, which would end or reorder a printer command's
// text. Catalog names cannot hold them (app checks every text field), but a label is not the place to
// trust that.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || (r >= 0x7f && r < 0xa0) || (r >= 0x2028 && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0xfffd {
			return -1
		}
		return r
	}, s)
}

// Fit cuts s to at most cols columns (a Chinese character two), between characters, ending ".." when
// it cut.
func Fit(s string, cols int) string {
	if app.ReceiptColumns(s) <= cols {
		return s
	}
	if cols <= 2 {
		return ""
	}
	w := 0
	for i, r := range s {
		cw := app.ReceiptColumns(string(r))
		if w+cw > cols-2 {
			return s[:i] + ".."
		}
		w += cw
	}
	return s
}
