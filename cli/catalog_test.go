package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"checkout/app/barcode"
	"checkout/till"
)

func TestImportCatalogChecksThenImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	file := filepath.Join(dir, "catalog.csv")
	if err := os.WriteFile(file, []byte("sku,barcode,name,unit,price,tax_class\n"+
		"NEW-001,6901234567892,Pen,piece,1.00,standard\n"+
		"NEW-002,5449000000996,Cola again,piece,3.00,standard\n"+ // the demo cola's code
		"NEW-003,96385074,Gum,piece,-1,standard\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := cli("-db", db, "import-catalog", file)
	if code != 1 || !strings.Contains(out, "line 3: barcode 5449000000996 is already on product DRK-001") ||
		!strings.Contains(out, "line 4: negative price") || !strings.Contains(out, "1 good rows, 2 bad") || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("dry run = %d\n%s%s", code, out, errOut)
	}
	if _, out, _ := cli("-db", db, "stock", "6901234567892"); strings.Contains(out, "NEW-001") {
		t.Fatal("the dry run imported")
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", file); code != 0 || !strings.Contains(out, "imported 1 products") {
		t.Fatalf("-apply = %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := cli("-db", db, "stock", "6901234567892"); code != 0 || !strings.Contains(out, "NEW-001 Pen") {
		t.Fatalf("after -apply: %d %s", code, out)
	}
}

// TestCatalogRoundTrip: a 100,000-product catalog exported and imported into an empty till comes back the
// same, byte for byte when exported again.
func TestCatalogRoundTrip(t *testing.T) {
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 2_000
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("sku,barcode,name,name_zh,category,category_zh,unit,price,cost,reorder_point,tax_class,active\n")
	for i := range n {
		data := fmt.Sprintf("69%010d", i)
		// A Chinese category for most, none for every seventh; every fifth product is weighed.
		zh, unit, rp := fmt.Sprintf("分类%d", i%50), "piece", fmt.Sprint(i%20)
		if i%7 == 0 {
			zh = ""
		}
		if i%5 == 0 {
			unit, rp = "kg", fmt.Sprintf("%d.%03d", i%20, i%1000)
		}
		fmt.Fprintf(&b, "GEN-%06d,%s,Product %d,商品%d,cat%d,%s,%s,%d.%02d,1.00,%s,standard,yes\n", i, data+string(barcode.CheckDigit(data)),
			i, i, i%50, zh, unit, 1+i%90, i%100, rp)
	}
	first := filepath.Join(dir, "first.csv")
	if err := os.WriteFile(first, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	a, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "c.db")
	start := time.Now()
	if code, out, errOut := cli("-db", a, "import-catalog", "-apply", first); code != 0 || !strings.Contains(out, fmt.Sprintf("imported %d products", n)) {
		t.Fatalf("import = %d\n%s%s", code, out, errOut)
	}
	t.Logf("imported %d rows in %v", n, time.Since(start).Round(time.Millisecond))
	exportA, exportC := filepath.Join(dir, "a.csv"), filepath.Join(dir, "c.csv")
	if code, _, errOut := cli("-db", a, "export-catalog", exportA); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", c, "import-catalog", "-apply", exportA); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", c, "export-catalog", exportC); code != 0 {
		t.Fatal(errOut)
	}
	x, _ := os.ReadFile(exportA)
	y, _ := os.ReadFile(exportC)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("the catalog changed in a round trip (%d and %d bytes)", len(x), len(y))
	}
	if lines := bytes.Count(x, []byte("\n")); lines != n+1 {
		t.Fatalf("export has %d lines for %d products", lines, n)
	}
	for _, want := range []string{",category,category_zh,unit,", ",Product 1,商品1,cat1,分类1,piece,", ",Product 5,商品5,cat5,分类5,kg,",
		",Product 7,商品7,cat7,,piece,"} {
		if !bytes.Contains(x, []byte(want)) {
			t.Errorf("the export has no %q", want)
		}
	}
}

// TestExportsKeepFormulasOutOfSpreadsheets: product text that a spreadsheet would run as a formula (=, +,
// -, @) leaves every CSV export with a leading ' (OWASP's CSV injection advice), while amounts, negative
// ones too, stay numbers; and an exported catalog imports back unchanged, ' and all.
func TestExportsKeepFormulasOutOfSpreadsheets(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", db, "set", "cash_rounding", "0.10"); code != 0 {
		t.Fatal(errOut)
	}
	hostile := filepath.Join(dir, "hostile.csv")
	if err := os.WriteFile(hostile, []byte("sku,barcode,name,name_zh,category,category_zh,unit,price,tax_class\n"+
		`-X1,6901234567892,"=HYPERLINK(""http://evil.example/"",""Click"")",+1,@SUM(A1),=分类,piece,3.01,standard`+"\n"+
		// A file's ' before a formula is a spreadsheet's quote and comes off: this name is stored as '=already quoted.
		`X2,6924743915770,''=already quoted,-2+3,'plain,,piece,1.00,standard`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", hostile); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	sellForCash(t, db, "6901234567892")

	today := time.Now().Format("2006-01-02")
	_, report, _ := cli("-db", db, "report", "-csv")
	_, sales, _ := cli("-db", db, "export-sales", "-from", today, "-to", today)
	catalogFile := filepath.Join(dir, "catalog.csv")
	if code, _, errOut := cli("-db", db, "export-catalog", catalogFile); code != 0 {
		t.Fatal(errOut)
	}
	catalog, _ := os.ReadFile(catalogFile)
	for _, tt := range []struct{ what, got, want string }{
		{"report: a category", report, "\ncategory,'@SUM(A1),3.01,"},
		{"report: a negative amount", report, "\ncash_rounding,,-0.01,"},
		{"export-sales: text", sales, `,'-X1,"'=HYPERLINK(""http://evil.example/"",""Click"")",1,3.01,3.01,`},
		{"export-catalog: text", string(catalog), `'-X1,6901234567892,"'=HYPERLINK(""http://evil.example/"",""Click"")",'+1,'@SUM(A1),'=分类,piece,3.01,`},
		{"export-catalog: an apostrophe already there", string(catalog), "X2,6924743915770,''=already quoted,'-2+3,'plain,,piece,1.00,"},
	} {
		if !strings.Contains(tt.got, tt.want) {
			t.Errorf("%s: no %q in\n%s", tt.what, tt.want, tt.got)
		}
	}

	// The export imports into an empty till as the same products, and exports the same bytes again.
	db2 := filepath.Join(dir, "c2.db")
	if code, out, errOut := cli("-db", db2, "import-catalog", "-apply", catalogFile); code != 0 {
		t.Fatalf("import the export: %s%s", out, errOut)
	}
	again := filepath.Join(dir, "again.csv")
	if code, _, errOut := cli("-db", db2, "export-catalog", again); code != 0 {
		t.Fatal(errOut)
	}
	if b, _ := os.ReadFile(again); !bytes.Equal(b, catalog) {
		t.Errorf("the catalog changed in a round trip:\n%s\n%s", catalog, b)
	}
	ctx := context.Background()
	st2, err := till.OpenStore(ctx, db2)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	for code, want := range map[string][4]string{
		"6901234567892": {`=HYPERLINK("http://evil.example/","Click")`, "+1", "@SUM(A1)", "=分类"},
		"6924743915770": {"'=already quoted", "-2+3", "'plain", ""},
	} {
		p, err := st2.ProductByBarcode(ctx, code)
		if err != nil || [4]string{p.Name, p.NameZH, p.Category, p.CategoryZH} != want {
			t.Errorf("%s came back as %q %q %q %q (%v), want %q", code, p.Name, p.NameZH, p.Category, p.CategoryZH, err, want)
		}
	}
}

// TestDemoCatalogRoundTrip: the demo catalog, products sold by weight among them (their reorder point of
// none is written 0.000, one is set to 2.5 kg), exported, imported into an empty till and exported again
// is the same file byte for byte.
func TestDemoCatalogRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	if code, _, errOut := cli("-db", a, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := cli("-db", a, "reorder-point", "2000101000006", "2.500"); code != 0 || !strings.Contains(out, "reorder at 2.500") {
		t.Fatalf("reorder-point: %d %s%s", code, out, errOut)
	}
	if code, out, errOut := cli("-db", a, "reorder-point", "2000102000005", "0.000"); code != 0 || !strings.Contains(out, "reorder at 0.000") {
		t.Fatalf("reorder-point 0.000: %d %s%s", code, out, errOut)
	}
	exportA, exportB := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if code, _, errOut := cli("-db", a, "export-catalog", exportA); code != 0 {
		t.Fatal(errOut)
	}
	x, _ := os.ReadFile(exportA)
	for _, want := range []string{"\nPRO-001,2000101000006,Banana,香蕉,produce,生鲜果蔬,kg,6.98,0.00,2.500,reduced,yes\n",
		"\nPRO-002,2000102000005,Fuji apple,红富士苹果,produce,生鲜果蔬,kg,9.98,0.00,0.000,reduced,yes\n"} {
		if !bytes.Contains(x, []byte(want)) {
			t.Fatalf("the export has no %q", want)
		}
	}
	products := bytes.Count(x, []byte("\n")) - 1
	code, out, errOut := cli("-db", b, "import-catalog", "-apply", exportA)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d good rows, 0 bad", products)) ||
		!strings.Contains(out, fmt.Sprintf("imported %d products", products)) || strings.Contains(out, "taken from") {
		t.Fatalf("import the export = %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := cli("-db", b, "export-catalog", exportB); code != 0 {
		t.Fatal(errOut)
	}
	if y, _ := os.ReadFile(exportB); len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("the demo catalog changed in a round trip (%d and %d bytes)", len(x), len(y))
	}
}

// TestImportCatalogAsShopsHaveIt: a file of just barcode, name and price, and one with Chinese headers,
// import; the check says which defaults it used and for how many rows.
func TestImportCatalogAsShopsHaveIt(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	var b strings.Builder
	b.WriteString("barcode,name,price\n")
	for i := range 12 {
		data := fmt.Sprintf("69%010d", i)
		fmt.Fprintf(&b, "%s,Product %d,%d.50\n", data+string(barcode.CheckDigit(data)), i, i+1)
	}
	short := filepath.Join(dir, "short.csv")
	if err := os.WriteFile(short, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli("-db", db, "import-catalog", short)
	if code != 0 || !strings.Contains(out, "sku taken from barcode, unit piece, tax class standard: 12 rows\n") ||
		!strings.Contains(out, "12 good rows, 0 bad") || !strings.Contains(out, "nothing imported") {
		t.Fatalf("check = %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", short); code != 0 || !strings.Contains(out, "imported 12 products") {
		t.Fatalf("-apply = %d\n%s%s", code, out, errOut)
	}
	first := "690000000000" + string(barcode.CheckDigit("690000000000"))
	if code, out, _ := cli("-db", db, "stock", first); code != 0 || !strings.Contains(out, first+" Product 0:") {
		t.Fatalf("the SKU is not the barcode: %d %s", code, out)
	}

	chinese := filepath.Join(dir, "chinese.csv")
	if err := os.WriteFile(chinese, []byte("\ufeff条码,名称,价格,单位,分类\n"+
		"6901234567892,茅台,1499.00,件,酒\n"+
		"2000101000006,香蕉,6.98,公斤,水果\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli("-db", db, "import-catalog", "-apply", chinese)
	if code != 0 || !strings.Contains(out, "sku taken from barcode, tax class standard: 2 rows\n") || !strings.Contains(out, "imported 2 products") {
		t.Fatalf("Chinese headers = %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := cli("-db", db, "stock", "2000101000006"); code != 0 || !strings.Contains(out, "2000101000006 香蕉: 0.000 on hand") {
		t.Fatalf("the banana is not sold by weight: %d %s", code, out)
	}
}

// TestImportCatalogRefusesHostileFilesWhole: files whose header cannot be read as a catalog's, or with no
// products under it, fail the check and -apply with a reason, and change nothing.
func TestImportCatalogRefusesHostileFilesWhole(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	gbk := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	count := func() int64 {
		st, err := till.OpenStore(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.CountProducts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for name, tt := range map[string]struct{ data, want string }{
		"only a header":    {"条码,名称,价格\n", "catalog file: no products under the header"},
		"条码 and barcode":   {"条码,名称,价格,barcode\n6901234567892,茅台,1499.00,6901234567892\n", "columns 1 (条码) and 4 (barcode) are both the barcode column"},
		"no price":         {"\ufeff条码,名称\n6901234567892,茅台\n", "no price column (price or 价格)"},
		"GBK, no price":    {gbk("条码,名称,单位\n6901234567892,茅台,件\n"), "no price column (price or 价格)"},
		"BOM, then GBK":    {"\ufeff" + gbk("条码,名称,价格\n6901234567892,茅台,1499.00\n"), "not UTF-8 text, though the file starts with a UTF-8 BOM"},
		"GBK, broken byte": {gbk("条码,名称,价格\n6901234567892,茅台") + "\x81\x20,1499.00\n", "neither UTF-8 nor GB18030"},
	} {
		file := filepath.Join(dir, "hostile.csv")
		if err := os.WriteFile(file, []byte(tt.data), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"import-catalog", file}, {"import-catalog", "-apply", file}} {
			code, out, errOut := cli(append([]string{"-db", db}, args...)...)
			if code == 0 || !strings.Contains(errOut, tt.want) || strings.Contains(out, "imported") {
				t.Errorf("%s: %v = %d\n%s%s\nwant an error %q", name, args, code, out, errOut, tt.want)
			}
		}
	}
	if after := count(); after != before {
		t.Errorf("%d products added by files refused whole", after-before)
	}
}
