package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

func TestReadCatalogCSV(t *testing.T) {
	good := "\ufeffSKU,name_en,name_zh,Barcode,unit,price,tax_class,reorder_point\n" +
		"DRK-001,Cola,可乐,5449000000996|4006381333931,piece,3.00,standard,0\n" +
		"PRO-001,Banana,香蕉,2000101000006,kg,6.98,reduced,0.000\n" // the reorder point export writes for none
	entries, err := ReadCatalogCSV(strings.NewReader(good), DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || len(entries[0].Barcodes) != 2 || entries[0].Product.NameZH != "可乐" ||
		entries[1].Product.Price != cny(698) || entries[1].Product.Unit != UnitKg || !entries[1].Product.Active {
		t.Errorf("entries = %+v", entries)
	}

	bad := "sku,name,barcode,unit,price,tax_class\n" +
		"A,Apple,5449000000996,piece,1.00,standard\n" + // line 2: fine
		"B,Bad digit,5449000000997,piece,1.00,standard\n" + // 3
		"C,Duplicate,5449000000996,piece,1.00,standard\n" + // 4
		"D,Negative,4006381333931,piece,-1.00,standard\n" + // 5
		"E,Tax,96385074,piece,1.00,luxury\n" + // 6
		"F,Unit,036000291452,box,1.00,standard\n" + // 7
		",No sku,10012345678902,piece,1.00,standard\n" + // 8
		"G,Price,10012345678902,piece,abc,standard\n" // 9
	_, err = ReadCatalogCSV(strings.NewReader(bad), DefaultSettings())
	var fe *CatalogFileError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *CatalogFileError", err)
	}
	wantLines := []int{3, 4, 5, 6, 7, 8, 9}
	if len(fe.Rows) != len(wantLines) {
		t.Fatalf("bad rows = %+v", fe.Rows)
	}
	for i, r := range fe.Rows {
		if r.Line != wantLines[i] || r.Reason == "" {
			t.Errorf("row %d = %+v, want line %d", i, r, wantLines[i])
		}
	}
	if !strings.Contains(fe.Rows[1].Reason, "also on line 2") {
		t.Errorf("duplicate reason = %q", fe.Rows[1].Reason)
	}
	if _, err := ReadCatalogCSV(strings.NewReader("sku,name\n"), DefaultSettings()); err == nil {
		t.Error("a header without barcode, unit, price and tax_class was accepted")
	}
}

func TestScanCatalogCSVEveryBadRowAndGB18030(t *testing.T) {
	text := "sku,barcode,name,name_zh,unit,price,tax_class,cost,reorder_point,active\n" +
		"DRK-001,5449000000996,Cola,可口可乐,piece,3.00,standard,1.50,12,yes\n" + // 2: good
		"DRK-002,5449000000997,Cola 2,,piece,3.00,standard,,,\n" + // 3: check digit
		"DRK-003,5449000000996,Cola 3,,piece,3.00,standard,,,\n" + // 4: barcode also on line 2
		"DRK-004,4006381333931,Pen,,piece,-1.00,standard,,,\n" + // 5: negative price
		"DRK-005,96385074,Gum,,piece,1.00,luxury,,,\n" + // 6: unknown tax class
		"DRK-006,12345670,Tea,,box,1.00,standard,,,\n" + // 7: unit
		",12345670,No SKU,,piece,1.00,standard,,,\n" + // 8: no sku
		"DRK-008,,No code,,piece,1.00,standard,,,\n" + // 9: no barcode
		"DRK-009,12345670,Old tea,茶,piece,1.00,standard,0.50,0,no\n" // 10: good, inactive
	wantBad := map[int]string{3: "check digit", 4: "also on line 2", 5: "negative price", 6: "unknown tax class", 7: "unit", 8: "no sku", 9: "no barcode"}
	for _, enc := range []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(text)},
		{"UTF-8 with BOM", append([]byte("\ufeff"), text...)},
		{"GB18030", gb18030(t, text)},
	} {
		var good []CatalogEntry
		var lines []int
		bad := map[int]string{}
		err := ScanCatalogCSV(bytes.NewReader(enc.data), DefaultSettings(), func(e CatalogEntry, line int) error {
			good, lines = append(good, e), append(lines, line)
			return nil
		}, func(r RowError) { bad[r.Line] = r.Reason })
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		if len(good) != 2 || lines[0] != 2 || lines[1] != 10 || good[0].Product.NameZH != "可口可乐" || good[1].Product.NameZH != "茶" ||
			good[0].Product.Cost != cny(150) || good[0].Product.ReorderPoint != Pieces(12) || good[1].Product.Active {
			t.Errorf("%s: good rows %+v at lines %v", enc.name, good, lines)
		}
		for line, want := range wantBad {
			if !strings.Contains(bad[line], want) {
				t.Errorf("%s: line %d: %q, want %q", enc.name, line, bad[line], want)
			}
		}
		if len(bad) != len(wantBad) {
			t.Errorf("%s: bad rows %v", enc.name, bad)
		}
	}
}

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewEncoder(), []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(out) {
		t.Fatal("the GB18030 test file is also valid UTF-8: it would not test decoding")
	}
	return out
}

// A catalog row whose text would break what reads it later — a NUL that PostgreSQL refuses, a tab or line
// break inside a name, an escape sequence for the printer, a megabyte name — is a bad row naming its line
// and field, and a file with one stores nothing.
func TestCatalogRowsWithControlCharactersOrHugeTextAreRefused(t *testing.T) {
	header := "sku,barcode,name,name_zh,category,unit,price,tax_class\n"
	rows := []struct{ row, want string }{
		{"A1,5449000000996,Cola\x00,,,piece,3.00,standard", "name: control character U+0000"},
		{"A2,4006381333931,\"Cola\nZero\",,,piece,3.00,standard", "name: control character U+000A"},
		{"A3,96385074,\"Cola\rZero\",,,piece,3.00,standard", "name: control character U+000D"},
		{"A4,12345670,Co\tla,,,piece,3.00,standard", "name: control character U+0009"},
		{"A\x7f5,036000291452,Cola,,,piece,3.00,standard", "sku: control character U+007F"},
		{"A6,10012345678902,Cola,可\u0085乐,,piece,3.00,standard", "name_zh: control character U+0085"},
		{"A7,6901234567892,Cola,,drinks\x1b[31m,piece,3.00,standard", "category: control character U+001B"},
		{"A8,6924743915770,Cola \u202eeno,,,piece,3.00,standard", "name: control character U+202E"},
		{"A9,6920000000005," + strings.Repeat("x", 201) + ",,,piece,3.00,standard", "name: 201 characters, at most 200"},
		{"A10,6920000000012,Cola,,,piece,3.00," + strings.Repeat("s", 70), "tax_class: 70 characters, at most 64"},
		{"A11,6920000000029,Cola,,,piece,3." + strings.Repeat("0", 70) + ",standard", "price: 72 characters, at most 64"},
	}
	var b strings.Builder
	b.WriteString(header)
	wantLines := map[int]string{}
	line := 2
	for _, r := range rows {
		b.WriteString(r.row + "\n")
		wantLines[line] = r.want
		line += strings.Count(r.row, "\n") + 1
	}
	_, err := ReadCatalogCSV(strings.NewReader(b.String()), DefaultSettings())
	var fe *CatalogFileError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want every row refused", err)
	}
	got := map[int]string{}
	for _, r := range fe.Rows {
		got[r.Line] = r.Reason
	}
	for line, want := range wantLines {
		if !strings.Contains(got[line], want) {
			t.Errorf("line %d: %q, want %q", line, got[line], want)
		}
	}
	if len(fe.Rows) != len(rows) {
		t.Errorf("%d bad rows, want %d: %+v", len(fe.Rows), len(rows), fe.Rows)
	}
}

// A catalog file is UTF-8 if all of it is, else GB18030 if all of it is; otherwise it is refused whole,
// naming the line and byte offset of the first byte that is neither, and nothing is mis-decoded.
func TestCatalogFileDecodesStrictly(t *testing.T) {
	header := "sku,barcode,name,name_zh,unit,price,tax_class\n"
	ascii := strings.Repeat("ASC-001,5449000000996,Cola,,piece,3.00,standard\n", 1) +
		strings.Repeat("#,,,,,,\n", 70_000/8) // 70 KB of rows without text beyond ASCII (bad rows, no SKU)
	read := func(data []byte) (map[string]string, error) {
		names := map[string]string{}
		err := ScanCatalogCSV(bytes.NewReader(data), DefaultSettings(), func(e CatalogEntry, _ int) error {
			names[e.Product.SKU] = e.Product.NameZH
			return nil
		}, func(RowError) {})
		return names, err
	}
	// GB18030 whose first Chinese text (茅台, C3 A9 CC A8) is also valid UTF-8, and GB18030 whose first
	// Chinese text comes after 64 KB of ASCII: both are GB18030 throughout.
	for name, text := range map[string]string{
		"first text looks like UTF-8": header + "MT-001,6901234567892,Moutai,茅台,piece,1499.00,standard\nDRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\n",
		"first text after 64 KB":      header + ascii + "MT-001,6901234567892,Moutai,茅台,piece,1499.00,standard\nDRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\n",
	} {
		names, err := read(gb18030(t, text))
		if err != nil || names["MT-001"] != "茅台" || names["DRK-001"] != "可口可乐" {
			t.Errorf("%s: %q, %v", name, names, err)
		}
	}

	// Bytes that are neither: the whole file is refused at its first bad byte.
	gbk := gb18030(t, "可口可乐")
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"GB18030 with a broken character": {
			append(gb18030(t, header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\n"+"DRK-002,96385074,Cola,可"), "\x81\x20,piece,3.00,standard\n"...),
			fmt.Sprintf("line 3, byte %d:", len(gb18030(t, header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\nDRK-002,96385074,Cola,可"))),
		},
		"GB18030 with a 0xFF byte": {
			append(gb18030(t, header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\n"), "DRK-002,96385074,Cola\xff,,piece,3.00,standard\n"...),
			fmt.Sprintf("line 3, byte %d:", len(gb18030(t, header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\n"))+len("DRK-002,96385074,Cola")),
		},
		// UTF-8 with one GBK row: as GB18030, UTF-8's 可 (E5 8F AF) is E58F, then AF and the next byte,
		// which is no character (AF starts a user-defined pair).
		"UTF-8 with one GBK row": {
			append([]byte(header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\nDRK-002,96385074,Cola,"), append(gbk, ",piece,3.00,standard\n"...)...),
			fmt.Sprintf("line 2, byte %d:", len(header+"DRK-001,4006381333931,Cola,")+2),
		},
		"UTF-8 BOM, then not UTF-8": {
			append([]byte("\ufeff"+header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\nDRK-002,96385074,Cola,"), append(gbk, ",piece,3.00,standard\n"...)...),
			fmt.Sprintf("line 3, byte %d:", len("\ufeff"+header+"DRK-001,4006381333931,Cola,可口可乐,piece,3.00,standard\nDRK-002,96385074,Cola,")),
		},
	} {
		names, err := read(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", name, err, tt.want)
		}
		if _, err := ReadCatalogCSV(bytes.NewReader(tt.data), DefaultSettings()); err == nil {
			t.Errorf("%s: ReadCatalogCSV took it (%q)", name, names)
		}
	}
}

// However many bad rows a file has, the first MaxListedRows are listed in line order and the rest counted.
func TestBadRowsAreCountedAndTheFirstListed(t *testing.T) {
	text := "sku,barcode,name,unit,price,tax_class\n" + strings.Repeat("x\n", 5*MaxListedRows/2)
	_, err := ReadCatalogCSV(strings.NewReader(text), DefaultSettings())
	var fe *CatalogFileError
	if !errors.As(err, &fe) || fe.Total != 5*MaxListedRows/2 || len(fe.Rows) != MaxListedRows ||
		fe.Rows[0].Line != 2 || fe.Rows[MaxListedRows-1].Line != MaxListedRows+1 {
		t.Fatalf("%v", err)
	}
	if !strings.HasPrefix(err.Error(), "2500 bad rows; line 2: no name;") {
		t.Errorf("error: %.80s", err)
	}
}

// A file as a shop has it — just barcode, name and price — imports: the SKU is the barcode, the unit a
// piece, the tax class the shop's standard one, and the header says which defaults were used.
func TestCatalogWithJustBarcodeNameAndPrice(t *testing.T) {
	text := "barcode,name,price\n" +
		"5449000000996,Cola,3.00\n" +
		"4006381333931|96385074,Pen,1.50\n" // several barcodes: the SKU is the first
	var got []CatalogEntry
	d, err := scanCatalog(strings.NewReader(text), encodingUTF8, DefaultSettings(), func(e CatalogEntry, _ int) error {
		got = append(got, e)
		return nil
	}, func(r RowError) { t.Errorf("bad row %+v", r) })
	if err != nil {
		t.Fatal(err)
	}
	if want := (CatalogDefaults{SKUFromBarcode: true, Unit: UnitPiece, TaxClass: "standard"}); d != want {
		t.Errorf("defaults = %+v, want %+v", d, want)
	}
	if s := d.String(); s != "sku taken from barcode, unit piece, tax class standard" {
		t.Errorf("defaults say %q", s)
	}
	if len(got) != 2 {
		t.Fatalf("entries = %+v", got)
	}
	for i, want := range []Product{
		{SKU: "5449000000996", Name: "Cola", Price: cny(300), Unit: UnitPiece, TaxClass: "standard", Active: true},
		{SKU: "4006381333931", Name: "Pen", Price: cny(150), Unit: UnitPiece, TaxClass: "standard", Active: true},
	} {
		if got[i].Product != want {
			t.Errorf("entry %d = %+v, want %+v", i, got[i].Product, want)
		}
	}

	// A file with every column uses no default.
	d, err = scanCatalog(strings.NewReader("sku,barcode,name,unit,price,tax_class\nA,5449000000996,Cola,piece,3.00,zero\n"),
		encodingUTF8, DefaultSettings(), func(CatalogEntry, int) error { return nil }, func(RowError) {})
	if err != nil || d != (CatalogDefaults{}) || d.String() != "" {
		t.Errorf("full header: defaults %+v %q, %v", d, d.String(), err)
	}

	// A shop without a standard tax class has none to give a file without the column.
	s := DefaultSettings()
	s.TaxRates = map[string]int64{"food": 900}
	if _, err := ReadCatalogCSV(strings.NewReader(text), s); err == nil || !strings.Contains(err.Error(), `no "standard" tax class`) {
		t.Errorf("no standard class: %v", err)
	}
}

// Chinese headers and units as spreadsheets in Chinese shops have them are read in every encoding the
// import takes: UTF-8, UTF-8 after a BOM (right before 条码), and GBK/GB18030.
func TestCatalogWithChineseHeaders(t *testing.T) {
	text := "条码,名称,中文名称,价格,单位,分类,货号\n" +
		"5449000000996,Cola,可口可乐,3.00,件,饮料,DRK-001\n" +
		"2000101000006,Banana,香蕉,6.98,公斤,水果,PRO-001\n" +
		"4006381333931,Pen,笔,1.50,个,文具,STA-001\n" +
		"2000102000005,Apple,苹果,9.98,千克,水果,PRO-002\n" +
		"2000103000004,Orange,橙,8.98,KG,水果,PRO-003\n" +
		"96385074,Rice,大米,5.00,斤,粮油,RIC-001\n" + // 斤: sold by weight, priced per half kilogram
		"4006381333948,Tea,茶叶,12.00,两,茶,TEA-001\n" // 两 (50 g): not a unit the till has
	want := map[string]Product{
		"DRK-001": {SKU: "DRK-001", Name: "Cola", NameZH: "可口可乐", Category: "饮料", Price: cny(300), Unit: UnitPiece, TaxClass: "standard", Active: true},
		"PRO-001": {SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Category: "水果", Price: cny(698), Unit: UnitKg, TaxClass: "standard", Active: true},
		"STA-001": {SKU: "STA-001", Name: "Pen", NameZH: "笔", Category: "文具", Price: cny(150), Unit: UnitPiece, TaxClass: "standard", Active: true},
		"PRO-002": {SKU: "PRO-002", Name: "Apple", NameZH: "苹果", Category: "水果", Price: cny(998), Unit: UnitKg, TaxClass: "standard", Active: true},
		"PRO-003": {SKU: "PRO-003", Name: "Orange", NameZH: "橙", Category: "水果", Price: cny(898), Unit: UnitKg, TaxClass: "standard", Active: true},
		"RIC-001": {SKU: "RIC-001", Name: "Rice", NameZH: "大米", Category: "粮油", Price: cny(500), Unit: UnitKg, PriceUnit: PerJin, TaxClass: "standard", Active: true},
	}
	for name, data := range map[string][]byte{
		"UTF-8":           []byte(text),
		"BOM before 条码":   []byte(utf8BOM + text),
		"GBK":             gb18030(t, text),
		"中文名 for name_zh": []byte(strings.Replace(text, "中文名称", "中文名", 1)),
	} {
		got := map[string]Product{}
		var bad []RowError
		err := ScanCatalogCSV(bytes.NewReader(data), DefaultSettings(), func(e CatalogEntry, _ int) error {
			got[e.Product.SKU] = e.Product
			return nil
		}, func(r RowError) { bad = append(bad, r) })
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for sku, p := range want {
			if got[sku] != p {
				t.Errorf("%s: %s = %+v, want %+v", name, sku, got[sku], p)
			}
		}
		if len(bad) != 1 || bad[0].Line != 8 || bad[0].Reason != `unit "两": piece, kg, jin (斤) or 100g` {
			t.Errorf("%s: bad rows %+v, want line 8's unit", name, bad)
		}
	}
}

// A catalog file whose header cannot be read as one, or that has no products under it, is refused as a
// whole with a reason that says what to fix: nothing of it is taken.
func TestCatalogFilesRefusedWhole(t *testing.T) {
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"only a header":              {[]byte("barcode,name,price\n"), "catalog file: no products under the header"},
		"only a header, no newline":  {[]byte("条码,名称,价格"), "catalog file: no products under the header"},
		"only a header, blank lines": {[]byte("\ufeff条码,名称,价格\r\n\r\n\r\n"), "catalog file: no products under the header"},
		"empty":                      {nil, "catalog file: empty"},
		"only a BOM":                 {[]byte("\ufeff"), "catalog header:"},
		"条码 and barcode": {[]byte("条码,名称,barcode,价格\n5449000000996,Cola,5449000000996,3.00\n"),
			`catalog header: columns 1 (条码) and 3 (barcode) are both the barcode column`},
		"名称 and name_en": {[]byte("barcode,名称,price,name_en\n5449000000996,可乐,3.00,Cola\n"),
			`catalog header: columns 2 (名称) and 4 (name_en) are both the name column`},
		"sku twice": {[]byte("sku,barcode,name,price,SKU\nA,5449000000996,Cola,3.00,B\n"),
			`catalog header: columns 1 (sku) and 5 (SKU) are both the sku column`},
		"中文名 and 中文名称": {[]byte("barcode,中文名,price,中文名称\n5449000000996,可乐,3.00,可乐\n"),
			`catalog header: columns 2 (中文名) and 4 (中文名称) are both the name_zh column`},
		"GBK 条码 and 价格 twice": {gb18030(t, "条码,名称,价格,价格\n5449000000996,Cola,3.00,4.00\n"),
			`catalog header: columns 3 (价格) and 4 (价格) are both the price column`},
		"no price":          {[]byte("barcode,name,unit\n5449000000996,Cola,piece\n"), `catalog header: no price column (price or 价格)`},
		"no 价格 in GBK":      {gb18030(t, "条码,名称,单位\n5449000000996,可乐,件\n"), `catalog header: no price column (price or 价格)`},
		"no barcode":        {[]byte("sku,name,price\nA,Cola,3.00\n"), `catalog header: no barcode column (barcode or 条码)`},
		"no name of either": {[]byte("条码,价格,分类\n5449000000996,3.00,饮料\n"), `catalog header: no name column (name, name_zh, 名称 or 中文名)`},
		// A BOM says UTF-8: GBK headers after it are neither, and the file is refused at the first.
		"BOM, then GBK 条码": {append([]byte(utf8BOM), gb18030(t, "条码,名称,价格\n5449000000996,可乐,3.00\n")...),
			"catalog file: line 1, byte 3: not UTF-8 text, though the file starts with a UTF-8 BOM"},
		// GBK headers with a byte that is no character: refused at it, never read as mojibake.
		"GBK header with a broken character": {append(gb18030(t, "条码,名称,价"), "\x81\x20\n5449000000996,Cola,3.00\n"...),
			fmt.Sprintf("catalog file: line 1, byte %d: neither UTF-8 nor GB18030", len(gb18030(t, "条码,名称,价")))},
	} {
		var entries int
		err := ScanCatalogCSV(bytes.NewReader(tt.data), DefaultSettings(), func(CatalogEntry, int) error { entries++; return nil }, func(RowError) {})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", name, err, tt.want)
		}
		if _, err := ReadCatalogCSV(bytes.NewReader(tt.data), DefaultSettings()); err == nil {
			t.Errorf("%s: ReadCatalogCSV took it", name)
		}
	}
}

// A reorder point of zero in any form a number takes is none: 0.000 is how export writes a weighed
// product's. Anything else keeps ParseQuantity's rules: pieces are whole, and text that is no number is
// a bad row.
func TestCatalogReorderPoints(t *testing.T) {
	header := "sku,barcode,name,unit,price,tax_class,reorder_point\n"
	for _, tt := range []struct {
		unit, rp string
		want     Quantity
		bad      string // the bad row's reason, "" for a good row
	}{
		{"kg", "0.000", 0, ""},
		{"kg", "0", 0, ""},
		{"kg", "", 0, ""},
		{"kg", "2.500", Grams(2500), ""},
		{"kg", "0.001", Grams(1), ""},
		{"piece", "0", 0, ""},
		{"piece", "0.000", 0, ""},
		{"piece", "12", Pieces(12), ""},
		{"piece", "12.000", Pieces(12), ""},
		{"piece", "0.5", 0, `reorder_point "0.5": invalid quantity: "0.5": pieces are whole`},
		{"kg", "0.0005", 0, `reorder_point "0.0005": invalid quantity`},
		{"kg", ".", 0, `reorder_point ".": invalid quantity`},
		{"kg", "0.0.0", 0, `reorder_point "0.0.0": invalid quantity`},
		{"kg", "..", 0, `reorder_point "..": invalid quantity`},
		{"piece", "-1", 0, `reorder_point "-1": invalid quantity`},
		{"piece", "-0", 0, `reorder_point "-0": invalid quantity`},
	} {
		text := header + fmt.Sprintf("A,5449000000996,Cola,%s,3.00,standard,%s\n", tt.unit, tt.rp)
		entries, err := ReadCatalogCSV(strings.NewReader(text), DefaultSettings())
		var fe *CatalogFileError
		switch {
		case tt.bad == "" && (err != nil || len(entries) != 1 || entries[0].Product.ReorderPoint != tt.want):
			t.Errorf("%s %q: %+v, %v; want %d", tt.unit, tt.rp, entries, err, tt.want)
		case tt.bad != "" && (!errors.As(err, &fe) || len(fe.Rows) != 1 || !strings.HasPrefix(fe.Rows[0].Reason, tt.bad)):
			t.Errorf("%s %q: %v, want a bad row %q", tt.unit, tt.rp, err, tt.bad)
		}
	}
}

// A category's Chinese name comes in a category_zh column, or 中文分类 or 分类中文 in a Chinese
// spreadsheet; a file without one (every file before it existed) gives its products none. It is text as a
// name is: control characters, text that is not text and over-long names make the row bad.
func TestCatalogCategoryZH(t *testing.T) {
	read := func(text string) (map[string]Product, []RowError, error) {
		got := map[string]Product{}
		var bad []RowError
		err := ScanCatalogCSV(strings.NewReader(text), DefaultSettings(), func(e CatalogEntry, _ int) error {
			got[e.Product.SKU] = e.Product
			return nil
		}, func(r RowError) { bad = append(bad, r) })
		return got, bad, err
	}
	for _, header := range []string{"category_zh", "Category_ZH", "中文分类", "分类中文", " 中文分类 "} {
		got, bad, err := read("sku,barcode,name,category," + header + ",unit,price,tax_class\n" +
			"DRK-001,5449000000996,Cola,drinks,饮料,piece,3.00,standard\n" +
			"PRO-001,2000101000006,Banana,produce,生鲜果蔬,kg,6.98,reduced\n" +
			"STA-001,4006381333931,Pen,stationery,,piece,1.50,standard\n" + // no Chinese name
			"GUM-001,96385074,Gum,,口香糖,piece,1.00,standard\n") // a Chinese name only
		if err != nil || len(bad) > 0 {
			t.Fatalf("%s: %v %+v", header, err, bad)
		}
		for sku, want := range map[string][2]string{"DRK-001": {"drinks", "饮料"}, "PRO-001": {"produce", "生鲜果蔬"},
			"STA-001": {"stationery", ""}, "GUM-001": {"", "口香糖"}} {
			if p := got[sku]; p.Category != want[0] || p.CategoryZH != want[1] {
				t.Errorf("%s: %s category %q / %q, want %q", header, sku, p.Category, p.CategoryZH, want)
			}
		}
		if p := got["PRO-001"]; p.Unit != UnitKg || p.DisplayCategory("zh-Hans") != "生鲜果蔬" || p.DisplayCategory("en") != "produce" {
			t.Errorf("%s: banana %+v", header, p)
		}
		if p := got["GUM-001"]; p.DisplayCategory("en") != "口香糖" {
			t.Errorf("%s: a category only in Chinese shows as %q in English", header, p.DisplayCategory("en"))
		}
	}

	// Without the column: no Chinese names, the file as good as before.
	got, bad, err := read("条码,名称,分类,价格\n5449000000996,Cola,饮料,3.00\n")
	if p := got["5449000000996"]; err != nil || len(bad) > 0 || p.Category != "饮料" || p.CategoryZH != "" {
		t.Errorf("a file without category_zh: %+v %+v %v", p, bad, err)
	}
	// Named twice.
	if _, _, err := read("barcode,name,price,中文分类,category_zh\n5449000000996,Cola,3.00,饮料,饮料\n"); err == nil ||
		!strings.Contains(err.Error(), "both the category_zh column") {
		t.Errorf("category_zh named twice: %v", err)
	}

	// Hostile Chinese names: the row is bad, with the column named, and nothing of it is taken.
	header := "sku,barcode,name,category,category_zh,unit,price,tax_class\n"
	for _, tt := range []struct{ row, want string }{
		{"A1,5449000000996,Cola,drinks,饮\x00料,piece,3.00,standard", "category_zh: control character U+0000 at character 2"},
		{"A2,4006381333931,Cola,drinks,\"饮\n料\",piece,3.00,standard", "category_zh: control character U+000A"},
		{"A3,96385074,Cola,drinks,饮料\u202e,piece,3.00,standard", "category_zh: control character U+202E"},
		{"A4,12345670,Cola,drinks,饮\ufffd料,piece,3.00,standard", "category_zh: character 2 is not valid text"},
		{"A5,036000291452,Cola,drinks," + strings.Repeat("饮", 201) + ",piece,3.00,standard", "category_zh: 201 characters, at most 200"},
	} {
		got, bad, err := read(header + tt.row + "\n")
		if err != nil || len(got) != 0 || len(bad) != 1 || bad[0].Line != 2 || !strings.Contains(bad[0].Reason, tt.want) {
			t.Errorf("%q: taken %+v, bad %+v, %v; want %q", tt.row, got, bad, err, tt.want)
		}
	}
	// 200 characters is the most, as for every name.
	if got, bad, err := read(header + "A6,6901234567892,Cola,drinks," + strings.Repeat("饮", 200) + ",kg,3.00,standard\n"); err != nil ||
		len(bad) > 0 || utf8.RuneCountInString(got["A6"].CategoryZH) != 200 {
		t.Errorf("200 characters: %+v %v", bad, err)
	}
	// Bytes that are not UTF-8 after a UTF-8 BOM refuse the file; without one the file is GB18030, so
	// GBK's 饮料 is read as 饮料 and not stored as mojibake.
	if _, _, err := read("\ufeff" + header + "A7,6901234567892,Cola,drinks,\xd2\xfb\xc1\xcf,piece,3.00,standard\n"); err == nil ||
		!strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("GBK after a UTF-8 BOM: %v", err)
	}
	data := gb18030(t, header+"A8,6901234567892,Cola,drinks,饮料,piece,3.00,standard\n")
	got = map[string]Product{}
	if err := ScanCatalogCSV(bytes.NewReader(data), DefaultSettings(), func(e CatalogEntry, _ int) error {
		got[e.Product.SKU] = e.Product
		return nil
	}, func(r RowError) { t.Errorf("GBK: %+v", r) }); err != nil || got["A8"].CategoryZH != "饮料" {
		t.Errorf("GBK: %q, %v", got["A8"].CategoryZH, err)
	}
}

// The product editor's Chinese category is checked by the same rules and kept as typed, trimmed.
func TestProductFormCategoryZH(t *testing.T) {
	form := ProductForm{SKU: "PRO-001", Name: "Banana", Category: "produce", CategoryZH: " 生鲜果蔬 ", Unit: "kg", Price: "6.98",
		TaxClass: "reduced", Barcodes: []string{"2000101000006"}, Active: true}
	e, err := form.Entry(DefaultSettings())
	if err != nil || e.Product.CategoryZH != "生鲜果蔬" || e.Product.Category != "produce" || e.Product.Unit != UnitKg {
		t.Fatalf("entry = %+v, %v", e.Product, err)
	}
	if back := FormOf(e); back.CategoryZH != "生鲜果蔬" || back.Category != "produce" {
		t.Errorf("FormOf = %+v", back)
	}
	for _, bad := range []string{"饮\x00料", "饮\u2028料", strings.Repeat("料", 201), "\xe9\xa5"} {
		form.CategoryZH = bad
		if _, err := form.Entry(DefaultSettings()); !errors.Is(err, ErrInvalidProduct) || !strings.Contains(err.Error(), "category_zh") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// A product from the head office has its names checked as a catalog file's: each of the four, by name.
func TestCheckProductNames(t *testing.T) {
	good := Product{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Category: "produce", CategoryZH: "生鲜果蔬", Unit: UnitKg}
	if err := CheckProductNames(good); err != nil {
		t.Fatal(err)
	}
	if err := CheckProductNames(Product{SKU: "X"}); err != nil {
		t.Errorf("empty names: %v", err)
	}
	for want, p := range map[string]Product{
		"name: control character U+0000":           {Name: "Ba\x00nana"},
		"name_zh: 201 characters":                  {NameZH: strings.Repeat("香", 201)},
		"category: control character U+202E":       {Category: "produce\u202e"},
		"category_zh: control character U+001B":    {CategoryZH: "生鲜\x1b[0m"},
		"category_zh: character 1 is not valid":    {CategoryZH: "\xff生鲜"},
		"category_zh: 201 characters, at most 200": {CategoryZH: strings.Repeat("鲜", 201)},
	} {
		if err := CheckProductNames(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", p, err, want)
		}
	}
}
