package app

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
	"cost": "cost", "reorder_point": "reorder_point", "active": "active",
}

// CatalogColumns is the header export writes and import reads first.
var CatalogColumns = []string{"sku", "barcode", "name", "name_zh", "category", "unit", "price", "cost", "reorder_point", "tax_class", "active"}

// ReadCatalogCSV reads a whole catalog file and returns every entry, or a *CatalogFileError naming every
// bad row and nothing else. See ScanCatalogCSV for the format.
func ReadCatalogCSV(r io.ReadSeeker, s Settings) ([]CatalogEntry, error) {
	var entries []CatalogEntry
	var bad []RowError
	err := ScanCatalogCSV(r, s, func(e CatalogEntry, _ int) error { entries = append(entries, e); return nil },
		func(re RowError) { bad = append(bad, re) })
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, &CatalogFileError{Rows: bad}
	}
	return entries, nil
}

// ScanCatalogCSV reads a catalog file row by row, so a million-row file never sits in memory: good rows
// go to entry, bad ones (with their line number and why) to reject. The file is UTF-8, with or without a
// BOM, or GB18030/GBK as spreadsheets in China save it (textEncoding: it is read once to tell which); its
// header names the columns in any order (sku, barcode, name or name_en, name_zh, category, unit, price,
// tax_class, and optionally cost, reorder_point and active), then one product a row. Several barcodes go
// in one cell separated by '|'. Prices are decimals in the shop's currency. A barcode twice in the file is
// a bad row the second time. entry gets each good row with its line number; an error from it stops the
// scan and is returned. An unreadable header, or bytes that are not text in the file's encoding, are an
// error: the file is refused, and what entry was given must be dropped.
func ScanCatalogCSV(r io.ReadSeeker, s Settings, entry func(CatalogEntry, int) error, reject func(RowError)) error {
	enc, err := sniffEncoding(r)
	if err != nil {
		return err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("catalog file: %w", err)
	}
	return scanCatalog(r, enc, s, entry, reject)
}

// scanCatalog is ScanCatalogCSV of a file whose encoding is known.
func scanCatalog(r io.Reader, enc textEncoding, s Settings, entry func(CatalogEntry, int) error, reject func(RowError)) error {
	text := decodeText(r, enc)
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) || errors.Is(err, io.EOF) {
		return fmt.Errorf("catalog header: %w", err)
	}
	if err != nil {
		return err
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
			return fmt.Errorf("catalog header: no %q column", need)
		}
	}
	seen := codeLines{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		// A row csv cannot parse is a bad row, with no fields to ask the position of: its error says where
		// it is. Any other error is the file's: reading it, or its bytes not being text.
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			reject(RowError{Line: max(pe.StartLine, 1), Reason: err.Error()})
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		get := func(field string) string {
			if i, ok := col[field]; ok && i < len(rec) {
				return csvUntext(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		e, reason := catalogEntry(get, s)
		for _, code := range e.Barcodes {
			if first := seen.line(code); first != 0 && reason == "" {
				reason = fmt.Sprintf("barcode %s is also on line %d", code, first)
			}
		}
		if reason != "" {
			reject(RowError{Line: line, Reason: reason})
			continue
		}
		for _, code := range e.Barcodes {
			seen.add(code, line)
		}
		if err := entry(e, line); err != nil {
			return err
		}
	}
}

// codeLines remembers the line each barcode of a file is on. A GTIN is kept as its number: a million
// codes as strings held a hundred megabytes, and an import reads the file twice.
type codeLines struct {
	gtins map[uint64]int32
	other map[string]int
}

// line returns the line code is on, 0 if none.
func (c *codeLines) line(code string) int {
	if n, ok := gtinNumber(code); ok {
		return int(c.gtins[n])
	}
	return c.other[code]
}

func (c *codeLines) add(code string, line int) {
	if n, ok := gtinNumber(code); ok && line <= math.MaxInt32 {
		if c.gtins == nil {
			c.gtins = map[uint64]int32{}
		}
		c.gtins[n] = int32(line)
		return
	}
	if c.other == nil {
		c.other = map[string]int{}
	}
	c.other[code] = line
}

// gtinNumber is code's GTIN-14 as a number, the same for every form of one GTIN.
func gtinNumber(code string) (uint64, bool) {
	g, err := barcode.GTIN14(code)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(g, 10, 64)
	return n, err == nil
}

// productFields are a product's fields, as a catalog file's columns, with the most characters each may
// hold. Each is checked before anything else reads it, so no reason quotes more than that.
var productFields = []struct {
	name string
	max  int
}{
	{"sku", maxCodeRunes}, {"barcode", maxNoteRunes}, {"name", maxNameRunes}, {"name_zh", maxNameRunes},
	{"category", maxNameRunes}, {"unit", maxCodeRunes}, {"price", maxCodeRunes}, {"cost", maxCodeRunes},
	{"reorder_point", maxCodeRunes}, {"tax_class", maxCodeRunes}, {"active", maxCodeRunes},
}

// catalogEntry checks a product's fields, as get gives them, and returns the entry they make or why they
// make none: the one rule set of a catalog file's row and the product editor's form.
func catalogEntry(get func(string) string, s Settings) (CatalogEntry, string) {
	for _, f := range productFields {
		if err := checkText(f.name, get(f.name), f.max); err != nil {
			return CatalogEntry{}, err.Error()
		}
	}
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
	if c := get("cost"); c != "" {
		cost, err := money.Parse(c, s.Currency)
		if err != nil || cost.IsNegative() {
			return CatalogEntry{}, fmt.Sprintf("cost %q: a price of 0 or more", c)
		}
		p.Cost = cost
	}
	// Zero in any form is none: export writes a kg product's as 0.000.
	if rp := get("reorder_point"); strings.Trim(rp, "0.") != "" {
		q, err := ParseQuantity(rp, p.Unit)
		if err != nil {
			return CatalogEntry{}, fmt.Sprintf("reorder_point %q: %v", rp, err)
		}
		p.ReorderPoint = q
	}
	switch strings.ToLower(get("active")) {
	case "", "1", "yes", "true":
	case "0", "no", "false":
		p.Active = false
	default:
		return CatalogEntry{}, fmt.Sprintf("active %q: yes or no", get("active"))
	}
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
