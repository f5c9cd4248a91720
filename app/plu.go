package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"checkout/app/barcode"
	"checkout/app/money"
)

// PLU is a weighed product as a label-printing scale keeps it: the scale weighs, prices per kilogram and
// prints a label whose in-store code (GS1 prefix 20–29) the till reads back through the same layout.
type PLU struct {
	Number int64  // the scale's PLU number: the code's item reference, as a number
	Name   string // the Chinese name when there is one: what the label prints
	PerKg  money.Amount
	// Unit is the unit the label prints the price in: "kg", "斤" or "100g", as the shop prices the product.
	Unit string
	// Barcode is the code the scale prints, the layout with the item reference filled in:
	// "2000202WWWWWC" is prefix 20, item 00202, the weight in grams, the check digit.
	Barcode string
	SKU     string
}

// pluUnits are what a label prints for each price unit.
var pluUnits = map[PriceUnit]string{PerUnit: "kg", PerJin: "斤", Per100g: "100g"}

// PLUsOf returns the scale PLUs of a catalog entry: one for each of its barcodes that is a template code
// of one of the layouts (prefix, item reference, zeros, check digit), none for a product not sold by
// weight or inactive. The price per kilogram is exact for every price unit there is (斤 ×2, 100 g ×10);
// one that were not would round half to even, which PerKg reports and this refuses, so no scale ever
// charges other than the till.
func PLUsOf(e CatalogEntry, layouts []barcode.Layout) ([]PLU, error) {
	p := e.Product
	if p.Unit != UnitKg || !p.Active {
		return nil, nil
	}
	var out []PLU
	for _, code := range e.Barcodes {
		l, item, ok := templateOf(code, layouts)
		if !ok {
			continue
		}
		unit, known := pluUnits[p.PriceUnit]
		perKg, exact, fits := p.PerKg()
		if !known || !exact || !fits {
			return nil, fmt.Errorf("%s: %s per %q is no exact price per kg", p.SKU, p.Price.Decimal(), p.PriceUnit)
		}
		n, _ := strconv.ParseInt(item, 10, 64)
		layout := l.Prefix + item + l.Pattern[len(l.Prefix)+len(item):]
		out = append(out, PLU{Number: n, Name: InLanguage("zh", p.Name, p.NameZH), PerKg: money.New(perKg, p.Price.Currency()),
			Unit: unit, Barcode: layout, SKU: p.SKU})
	}
	return out, nil
}

// templateOf reports whether code is the template code of one of the layouts that a scale prints a
// weight or a price in, and returns it with the item reference.
func templateOf(code string, layouts []barcode.Layout) (barcode.Layout, string, bool) {
	code = barcode.NormalizeGTIN(code)
	if len(code) != 14 || code[0] != '0' || barcode.ValidateGTIN(code) != nil {
		return barcode.Layout{}, "", false
	}
	ean := code[1:]
	for _, l := range layouts {
		items := strings.Count(l.Pattern, "I")
		if !strings.HasPrefix(ean, l.Prefix) || !strings.HasPrefix(l.Pattern[len(l.Prefix):], strings.Repeat("I", items)) ||
			!strings.ContainsAny(l.Pattern, "WM") || len(l.Prefix)+items > 12 {
			continue
		}
		if strings.Trim(ean[len(l.Prefix)+items:12], "0") != "" {
			continue // not a template: a label's code, or another product's
		}
		return l, ean[len(l.Prefix) : len(l.Prefix)+items], true
	}
	return barcode.Layout{}, "", false
}

// PLUColumns is the header of a PLU file.
var PLUColumns = []string{"plu", "name", "price_per_kg", "unit", "barcode"}

// PLUFile writes a scale's PLU file: CSV, UTF-8, a header (PLUColumns) and a row for each PLU, text
// cells guarded against formulas as every CSV the till writes (CSVWriter). Two rows under the same PLU
// number are refused (two products, or one under two prefixes): the scale keeps one PLU per number and
// would print one's label for the other.
type PLUFile struct {
	w    *CSVWriter
	seen map[int64]string
	n    int
}

// NewPLUFile writes the header to w.
func NewPLUFile(w io.Writer) (*PLUFile, error) {
	cw, err := NewCSVWriter(w, PLUColumns, "plu", "price_per_kg")
	return &PLUFile{w: cw, seen: map[int64]string{}}, err
}

// Write writes the PLU's row.
func (f *PLUFile) Write(p PLU) error {
	if other, ok := f.seen[p.Number]; ok {
		return fmt.Errorf("PLU %d is both %s and %s: give one another scale code", p.Number, other, p.SKU)
	}
	f.seen[p.Number] = p.SKU
	f.n++
	return f.w.Write(strconv.FormatInt(p.Number, 10), p.Name, p.PerKg.Decimal(), p.Unit, p.Barcode)
}

// Len is how many rows were written.
func (f *PLUFile) Len() int { return f.n }

// Flush writes out what is buffered.
func (f *PLUFile) Flush() error { return f.w.Flush() }
