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
var columnNames = [numColumns]string{"sku", "barcode", "name", "name_zh", "category", "category_zh", "unit", "price", "cost",
	"reorder_point", "tax_class", "active"}

// The columns of a product as text (productRow), in CatalogColumns' order.
const (
	colSKU = iota
	colBarcode
	colName
	colNameZH
	colCategory
	colCategoryZH
	colUnit
	colPrice
	colCost
	colReorderPoint
	colTaxClass
	colActive
	numColumns
)

// catalogColumns maps the header names import accepts, in lower case, to their column: ours, and the
// Chinese ones of spreadsheets in Chinese shops.
var catalogColumns = map[string]int{
	"sku": colSKU, "barcode": colBarcode, "barcodes": colBarcode, "name": colName, "name_en": colName,
	"name_zh": colNameZH, "category": colCategory, "category_zh": colCategoryZH, "unit": colUnit, "price": colPrice, "tax_class": colTaxClass,
	"cost": colCost, "reorder_point": colReorderPoint, "active": colActive,
	"货号": colSKU, "条码": colBarcode, "名称": colName, "中文名": colNameZH, "中文名称": colNameZH,
	"分类": colCategory, "分类中文": colCategoryZH, "中文分类": colCategoryZH, "单位": colUnit, "价格": colPrice,
}

// StandardTaxClass is the tax class a catalog file without a tax_class column gives its products.
const StandardTaxClass = "standard"

// CatalogDefaults are what an import gives the columns a catalog file leaves out; the zero value is none.
type CatalogDefaults struct {
	SKUFromBarcode bool   // no sku column: a product's SKU is its barcode (the first, if several)
	Unit           Unit   // no unit column: every product's, else ""
	TaxClass       string // no tax_class column: every product's, else ""
}

// String says which defaults are used, "" for none: "sku taken from barcode, unit piece, tax class
// standard".
func (d CatalogDefaults) String() string {
	var used []string
	if d.SKUFromBarcode {
		used = append(used, "sku taken from barcode")
	}
	if d.Unit != "" {
		used = append(used, "unit "+string(d.Unit))
	}
	if d.TaxClass != "" {
		used = append(used, "tax class "+d.TaxClass)
	}
	return strings.Join(used, ", ")
}

// catalogHeader is what a catalog file's header says: the file's column of each of ours (-1: none), each
// of its columns' name for reasons, and the defaults of the columns it leaves out.
type catalogHeader struct {
	col      [numColumns]int
	names    []string
	defaults CatalogDefaults
}

// readCatalogHeader reads a catalog file's header. A column named twice (条码 and barcode), or no
// barcode, name or price column, is an error; so is no tax_class column in a shop without a standard
// class to give.
func readCatalogHeader(header []string, s Settings) (*catalogHeader, error) {
	h := &catalogHeader{names: make([]string, len(header))}
	for c := range h.col {
		h.col[c] = -1
	}
	for i, text := range header {
		h.names[i] = fmt.Sprintf("column %d", i+1)
		name := strings.TrimSpace(strings.TrimPrefix(text, utf8BOM))
		c, ok := catalogColumns[strings.ToLower(name)]
		if !ok {
			continue
		}
		if j := h.col[c]; j >= 0 {
			return nil, fmt.Errorf("catalog header: columns %d (%s) and %d (%s) are both the %s column",
				j+1, strings.TrimSpace(strings.TrimPrefix(header[j], utf8BOM)), i+1, name, columnNames[c])
		}
		h.col[c], h.names[i] = i, columnNames[c]
	}
	switch {
	case h.col[colBarcode] < 0:
		return nil, errors.New("catalog header: no barcode column (barcode or 条码)")
	case h.col[colPrice] < 0:
		return nil, errors.New("catalog header: no price column (price or 价格)")
	case h.col[colName] < 0 && h.col[colNameZH] < 0:
		return nil, errors.New("catalog header: no name column (name, name_zh, 名称 or 中文名)")
	}
	h.defaults.SKUFromBarcode = h.col[colSKU] < 0
	if h.col[colUnit] < 0 {
		h.defaults.Unit = UnitPiece
	}
	if h.col[colTaxClass] < 0 {
		if _, ok := s.TaxRates[StandardTaxClass]; !ok {
			return nil, fmt.Errorf("catalog header: no tax_class column, and the shop has no %q tax class to give its products", StandardTaxClass)
		}
		h.defaults.TaxClass = StandardTaxClass
	}
	return h, nil
}

// row is a record of the file as a product's text, with the defaults of the columns the file leaves out.
func (h *catalogHeader) row(rec []string) productRow {
	var row productRow
	for c, i := range h.col {
		if i >= 0 && i < len(rec) {
			row[c] = csvUntext(strings.TrimSpace(rec[i]))
		}
	}
	if h.defaults.SKUFromBarcode {
		for rest := row[colBarcode]; rest != "" && row[colSKU] == ""; {
			var code string
			code, rest, _ = strings.Cut(rest, "|")
			row[colSKU] = strings.TrimSpace(code)
		}
	}
	if h.defaults.Unit != "" {
		row[colUnit] = string(h.defaults.Unit)
	}
	if h.defaults.TaxClass != "" {
		row[colTaxClass] = h.defaults.TaxClass
	}
	return row
}

// columnRunes is the most characters each column may hold (a list of barcodes as many as a note).
var columnRunes = [numColumns]int{maxCodeRunes, maxNoteRunes, maxNameRunes, maxNameRunes, maxNameRunes, maxNameRunes,
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
// header names the columns in any order (barcode or 条码, name or name_en or 名称, price or 价格, and
// optionally sku or 货号, name_zh or 中文名 or 中文名称, category or 分类, category_zh (the category's
// Chinese name) or 中文分类 or 分类中文, unit or 单位, tax_class, cost, reorder_point and active), then one
// product a row. A file without a name column may have a name_zh
// one instead. A file without sku takes each product's from its barcode; without unit, every product is
// a piece; without tax_class, every product is in the standard class (CatalogDefaults). Units are piece
// or kg, or 件, 个, 千克, 公斤. Several barcodes go in one cell separated by '|'. Prices are decimals in
// the shop's currency. A barcode twice in the file is a bad row the second time. entry gets each good row
// with its line number; an error from it stops the scan and is returned. A cell over 64 KiB makes its row
// bad. An unreadable header, a column named twice (条码 and barcode), a header with no rows under it,
// bytes that are not text in the file's encoding, or a row over 1 MiB (it cannot be skipped: where it
// ends is not known until it is read) are an error: the file is refused, and what entry was given must be
// dropped.
func ScanCatalogCSV(r io.ReadSeeker, s Settings, entry func(CatalogEntry, int) error, reject func(RowError)) error {
	enc, err := sniffEncoding(r)
	if err != nil {
		return err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("catalog file: %w", err)
	}
	_, err = scanCatalog(r, enc, s, entry, reject)
	return err
}

// scanCatalog is ScanCatalogCSV of a file whose encoding is known; it returns the defaults it gave the
// columns the file leaves out.
func scanCatalog(r io.Reader, enc textEncoding, s Settings, entry func(CatalogEntry, int) error, reject func(RowError)) (CatalogDefaults, error) {
	cr := newCatalogReader(decodeText(r, enc))
	record, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return CatalogDefaults{}, errors.New("catalog file: empty (a header and one product a row)")
	}
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		return CatalogDefaults{}, fmt.Errorf("catalog header: %w", err)
	}
	if err != nil {
		return CatalogDefaults{}, err
	}
	h, err := readCatalogHeader(record, s)
	if err != nil {
		return CatalogDefaults{}, err
	}
	seen := codeLines{}
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if rows == 0 {
				return CatalogDefaults{}, errors.New("catalog file: no products under the header")
			}
			return h.defaults, nil
		}
		// A row csv cannot parse is a bad row, with no fields to ask the position of: its error says where
		// it is. Any other error is the file's: reading it, or its bytes not being text.
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			reject(RowError{Line: max(pe.StartLine, 1), Reason: err.Error()})
			continue
		}
		if err != nil {
			return CatalogDefaults{}, err
		}
		line, _ := cr.FieldPos(0)
		if i := slices.IndexFunc(rec, func(f string) bool { return len(f) > maxFieldBytes }); i >= 0 {
			name := fmt.Sprintf("column %d", i+1)
			if i < len(h.names) {
				name = h.names[i]
			}
			reject(RowError{Line: line, Reason: fmt.Sprintf("%s: longer than %d KiB", name, maxFieldBytes>>10)})
			continue
		}
		row := h.row(rec)
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
			return CatalogDefaults{}, err
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

// CheckProductNames says why a product's names cannot be stored, nil when they can: its name, Chinese
// name, category and the category's Chinese name are checked as a catalog file's cells are (no control
// characters, no text that is not text, at most 200 characters). It is for products that reach the till
// other than through a catalog file or the product editor, which check every field: the head office's
// down-sync, whose products are a claim the till verifies.
func CheckProductNames(p Product) error {
	for _, f := range [...]struct {
		col  int
		text string
	}{{colName, p.Name}, {colNameZH, p.NameZH}, {colCategory, p.Category}, {colCategoryZH, p.CategoryZH}} {
		if err := checkText(columnNames[f.col], f.text, columnRunes[f.col]); err != nil {
			return err
		}
	}
	return nil
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
	unit, per, unitOK := ParseUnit(r[colUnit])
	p := Product{SKU: r[colSKU], Name: r[colName], NameZH: r[colNameZH], Category: r[colCategory],
		CategoryZH: r[colCategoryZH], Unit: unit, PriceUnit: per, TaxClass: r[colTaxClass], Active: true}
	switch {
	case p.SKU == "":
		return CatalogEntry{}, "no sku"
	case p.Name == "" && p.NameZH == "":
		return CatalogEntry{}, "no name"
	case !unitOK:
		return CatalogEntry{}, fmt.Sprintf("unit %q: piece, kg, jin (斤) or 100g", r[colUnit])
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
