package app

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"checkout/app/barcode"
	"checkout/app/money"
)

// CatalogEntry is a product with the barcodes that find it.
type CatalogEntry struct {
	Product  Product
	Barcodes []string
}

// RowError is one bad row of a catalog file.
type RowError struct {
	Line   int
	Reason string
}

// CatalogFileError lists every bad row of a catalog file, so one pass shows the owner all of them.
type CatalogFileError struct{ Rows []RowError }

func (e *CatalogFileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows", len(e.Rows))
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
	}
	return b.String()
}

// catalogColumns maps accepted header names to the field they fill.
var catalogColumns = map[string]string{
	"sku": "sku", "barcode": "barcode", "barcodes": "barcode", "name": "name", "name_en": "name",
	"name_zh": "name_zh", "category": "category", "unit": "unit", "price": "price", "tax_class": "tax_class",
}

// ReadCatalogCSV reads a catalog file: UTF-8 (a BOM is skipped), a header row naming the columns in any
// order (sku, barcode, name or name_en, name_zh, category, unit, price, tax_class), then one product a
// row. Several barcodes go in one cell separated by '|'. Prices are decimals in the shop's currency. It
// returns every entry, or a *CatalogFileError naming every bad row and nothing else.
func ReadCatalogCSV(r io.Reader, s Settings) ([]CatalogEntry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("catalog header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if field, ok := catalogColumns[h]; ok {
			col[field] = i
		}
	}
	for _, need := range []string{"sku", "barcode", "name", "unit", "price", "tax_class"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("catalog header: no %q column", need)
		}
	}
	var entries []CatalogEntry
	var bad []RowError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			bad = append(bad, RowError{Line: line, Reason: err.Error()})
			continue
		}
		get := func(field string) string {
			if i, ok := col[field]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		e, reason := catalogEntry(get, s)
		for _, code := range e.Barcodes {
			if first, dup := seen[code]; dup && reason == "" {
				reason = fmt.Sprintf("barcode %s is also on line %d", code, first)
			}
		}
		if reason != "" {
			bad = append(bad, RowError{Line: line, Reason: reason})
			continue
		}
		for _, code := range e.Barcodes {
			seen[code] = line
		}
		entries = append(entries, e)
	}
	if len(bad) > 0 {
		return nil, &CatalogFileError{Rows: bad}
	}
	return entries, nil
}

func catalogEntry(get func(string) string, s Settings) (CatalogEntry, string) {
	p := Product{SKU: get("sku"), Name: get("name"), NameZH: get("name_zh"), Category: get("category"),
		Unit: Unit(get("unit")), TaxClass: get("tax_class"), Active: true}
	switch {
	case p.SKU == "":
		return CatalogEntry{}, "no sku"
	case p.Name == "" && p.NameZH == "":
		return CatalogEntry{}, "no name"
	case !p.Unit.Valid():
		return CatalogEntry{}, fmt.Sprintf("unit %q: piece or kg", p.Unit)
	}
	if _, ok := s.TaxRates[p.TaxClass]; !ok {
		return CatalogEntry{}, fmt.Sprintf("unknown tax class %q", p.TaxClass)
	}
	price, err := money.Parse(get("price"), s.Currency)
	if err != nil {
		return CatalogEntry{}, fmt.Sprintf("price: %v", err)
	}
	if price.IsNegative() {
		return CatalogEntry{}, "negative price"
	}
	p.Price = price
	var codes []string
	for _, code := range strings.Split(get("barcode"), "|") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if err := barcode.ValidateGTIN(code); err != nil {
			return CatalogEntry{}, fmt.Sprintf("barcode %v", err)
		}
		codes = append(codes, code)
	}
	if len(codes) == 0 {
		return CatalogEntry{}, "no barcode"
	}
	return CatalogEntry{Product: p, Barcodes: codes}, ""
}
