package app

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
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

// CatalogFileError lists the bad rows of a catalog file, so one pass shows the owner all of them: the
// first MaxListedRows in Rows, and how many there are in Total.
type CatalogFileError struct {
	Rows  []RowError
	Total int
}

func (e *CatalogFileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows", e.Total)
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
	}
	return b.String()
}

// CatalogColumns returns the header export writes and import reads first: a new slice each time, so no
// caller can change another's.
func CatalogColumns() []string { return slices.Clone(columnNames[:]) }

// columnNames are the columns in order; an array, read per cell without a copy.
var columnNames = [numColumns]string{"sku", "barcode", "name", "name_zh", "category", "unit", "price", "cost", "reorder_point", "tax_class", "active"}

// The columns of a product as text (productRow), in CatalogColumns' order.
const (
	colSKU = iota
	colBarcode
	colName
	colNameZH
	colCategory
	colUnit
	colPrice
	colCost
	colReorderPoint
	colTaxClass
	colActive
	numColumns
)

// catalogColumns maps the header names import accepts to their column.
var catalogColumns = map[string]int{
	"sku": colSKU, "barcode": colBarcode, "barcodes": colBarcode, "name": colName, "name_en": colName,
	"name_zh": colNameZH, "category": colCategory, "unit": colUnit, "price": colPrice, "tax_class": colTaxClass,
	"cost": colCost, "reorder_point": colReorderPoint, "active": colActive,
}

// columnRunes is the most characters each column may hold (a list of barcodes as many as a note).
var columnRunes = [numColumns]int{maxCodeRunes, maxNoteRunes, maxNameRunes, maxNameRunes, maxNameRunes,
	maxCodeRunes, maxCodeRunes, maxCodeRunes, maxCodeRunes, maxCodeRunes, maxCodeRunes}

// ReadCatalogCSV reads a whole catalog file and returns every entry, or a *CatalogFileError naming every
// bad row and nothing else. See ScanCatalogCSV for the format.
func ReadCatalogCSV(r io.ReadSeeker, s Settings) ([]CatalogEntry, error) {
	var entries []CatalogEntry
	var bad badRows
	err := ScanCatalogCSV(r, s, func(e CatalogEntry, _ int) error { entries = append(entries, e); return nil }, bad.add)
	if err != nil {
		return nil, err
	}
	if bad.total > 0 {
		return nil, &CatalogFileError{Rows: bad.sorted(), Total: bad.total}
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
// scan and is returned. A cell over 64 KiB makes its row bad. An unreadable header, bytes that are not
// text in the file's encoding, or a row over 1 MiB (it cannot be skipped: where it ends is not known
// until it is read) are an error: the file is refused, and what entry was given must be dropped.
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
	cr := newCatalogReader(decodeText(r, enc))
	header, err := cr.Read()
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) || errors.Is(err, io.EOF) {
		return fmt.Errorf("catalog header: %w", err)
	}
	if err != nil {
		return err
	}
	// The file's column of each of ours (-1: none), and each of its columns' name, for reasons.
	var col [numColumns]int
	for c := range col {
		col[c] = -1
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = fmt.Sprintf("column %d", i+1)
		if c, ok := catalogColumns[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, utf8BOM)))]; ok {
			col[c], names[i] = i, columnNames[c]
		}
	}
	for _, need := range []int{colSKU, colBarcode, colName, colUnit, colPrice, colTaxClass} {
		if col[need] < 0 {
			return fmt.Errorf("catalog header: no %q column", columnNames[need])
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
		if i := slices.IndexFunc(rec, func(f string) bool { return len(f) > maxFieldBytes }); i >= 0 {
			name := fmt.Sprintf("column %d", i+1)
			if i < len(names) {
				name = names[i]
			}
			reject(RowError{Line: line, Reason: fmt.Sprintf("%s: longer than %d KiB", name, maxFieldBytes>>10)})
			continue
		}
		var row productRow
		for c, i := range col {
			if i >= 0 && i < len(rec) {
				row[c] = csvUntext(strings.TrimSpace(rec[i]))
			}
		}
		e, reason := row.entry(s)
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

// gtinNumber is a valid GTIN's number, the same for every form of it (GTIN-14 only adds leading zeros);
// any other code is not one.
func gtinNumber(code string) (uint64, bool) {
	if barcode.ValidateGTIN(code) != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(code, 10, 64)
	return n, err == nil
}

// productRow is a product as text, a cell for each column: a catalog file's row or the product editor's
// form, which one rule set (entry) checks, so the two can never disagree on what a valid product is.
type productRow [numColumns]string

// entry checks the row and returns the product it describes, or why it describes none. Every cell is
// checked as text first (checkText), so no reason quotes more of a cell than its column may hold.
func (r *productRow) entry(s Settings) (CatalogEntry, string) {
	for c, text := range r {
		if err := checkText(columnNames[c], text, columnRunes[c]); err != nil {
			return CatalogEntry{}, err.Error()
		}
	}
	p := Product{SKU: r[colSKU], Name: r[colName], NameZH: r[colNameZH], Category: r[colCategory],
		Unit: Unit(r[colUnit]), TaxClass: r[colTaxClass], Active: true}
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
	price, err := money.Parse(r[colPrice], s.Currency)
	if err != nil {
		return CatalogEntry{}, fmt.Sprintf("price: %v", err)
	}
	if price.IsNegative() {
		return CatalogEntry{}, "negative price"
	}
	p.Price = price
	if c := r[colCost]; c != "" {
		cost, err := money.Parse(c, s.Currency)
		if err != nil || cost.IsNegative() {
			return CatalogEntry{}, fmt.Sprintf("cost %q: a price of 0 or more", c)
		}
		p.Cost = cost
	}
	// None is empty, or zero as ParseCounted reads it: export writes a weighed product's as 0.000.
	if rp := r[colReorderPoint]; rp != "" {
		q, err := ParseCounted(rp, p.Unit)
		if err != nil {
			return CatalogEntry{}, fmt.Sprintf("reorder_point %q: %v", rp, err)
		}
		p.ReorderPoint = q
	}
	switch strings.ToLower(r[colActive]) {
	case "", "1", "yes", "true":
	case "0", "no", "false":
		p.Active = false
	default:
		return CatalogEntry{}, fmt.Sprintf("active %q: yes or no", r[colActive])
	}
	var codes []string
	for _, code := range strings.Split(r[colBarcode], "|") {
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
