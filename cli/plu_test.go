package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app/barcode"
)

// export-plu writes the weighed products that have a scale code, byte for byte: prices per kg from every
// unit, Chinese names, the layouts the till reads, formulas guarded. Two products under one PLU number
// refuse the export and leave no file.
func TestExportPLU(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "plu.db")
	code := func(data string) string { return data + string(barcode.CheckDigit(data)) }
	catalog := filepath.Join(dir, "catalog.csv")
	rows := "sku,barcode,name,name_zh,unit,price,tax_class,active\n" +
		"RIC-001," + code("200020200000") + ",Rice,大米,斤,6.99,reduced,yes\n" +
		"DEL-001," + code("200030300000") + ",Olives,,100克,1.50,reduced,yes\n" +
		"PRO-001," + code("200010100000") + ",Banana,香蕉,kg,6.98,reduced,yes\n" +
		`HAM-001,` + code("210040400000") + `,"=HYPERLINK(""http://evil.example/"")",@cmd,公斤,35.50,reduced,yes` + "\n" +
		"CAK-001," + code("220050500000") + ",Cake,蛋糕,jin,12.00,reduced,yes\n" + // a price label: the scale prints the amount
		"NUT-001,6901234567892,Nuts,坚果,kg,40.00,reduced,yes\n" + // a retail EAN: no scale code
		"OLD-001," + code("200060600000") + ",Old plums,,kg,9.00,reduced,no\n" + // not for sale
		"PEN-001," + code("200070700000") + ",Pen,,piece,1.00,standard,yes\n" // not weighed
	if err := os.WriteFile(catalog, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", catalog); code != 0 || !strings.Contains(out, "imported 8 products") {
		t.Fatalf("import: %s%s", out, errOut)
	}
	file := filepath.Join(dir, "plu.csv")
	code0, out, errOut := cli("-db", db, "export-plu", file)
	if code0 != 0 || out != "exported 5 PLUs to "+file+"\n1 weighed products have no scale code (a barcode of prefix 20–29 with zeros for the weight or price) and are not in it\n" {
		t.Fatalf("export-plu = %d\n%s%s", code0, out, errOut)
	}
	want := "plu,name,price_per_kg,unit,barcode\n" +
		"505,蛋糕,24.00,斤,2200505MMMMMC\n" +
		"303,Olives,15.00,100g,2000303WWWWWC\n" +
		"404,'@cmd,35.50,kg,2100404WWWWWC\n" +
		"101,香蕉,6.98,kg,2000101WWWWWC\n" +
		"202,大米,13.98,斤,2000202WWWWWC\n"
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Fatalf("the PLU file:\n%s\nwant:\n%s(%v)", got, want, err)
	}
	if _, stdout, _ := cli("-db", db, "export-plu", "-"); stdout != want {
		t.Errorf("to standard output:\n%s", stdout)
	}

	// The till reads back what the scale prints from the file: 333 g of rice at 13.98/kg is 6.99/斤's 4.66.
	sellForCash(t, db, code("200020200333"))
	today := time.Now().Format("2006-01-02")
	if _, sales, _ := cli("-db", db, "export-sales", "-from", today, "-to", today); !strings.Contains(sales, ",RIC-001,Rice,0.333,6.99,4.66,0.38,cash,jin\n") {
		t.Errorf("the scale's label sold as:\n%s", sales)
	}
	if _, report, _ := cli("-db", db, "report", "-csv"); !strings.Contains(report, "RIC-001 Rice × 0.666 jin") {
		t.Errorf("the report's top product is not in 斤:\n%s", report)
	}

	clash := filepath.Join(dir, "clash.csv")
	if err := os.WriteFile(clash, []byte("sku,barcode,name,unit,price,tax_class\nRIC-002,"+code("210020200000")+",Brown rice,jin,8.00,reduced\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", clash); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	again := filepath.Join(dir, "again.csv")
	if code, _, errOut := cli("-db", db, "export-plu", again); code == 0 || !strings.Contains(errOut, "PLU 202 is both RIC-001 and RIC-002") {
		t.Errorf("a PLU number twice: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(again); !os.IsNotExist(err) {
		t.Errorf("the refused export left a file: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".export-plu-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if code, _, _ := cli("-db", db, "export-plu"); code == 0 {
		t.Error("export-plu without a file succeeded")
	}
}
