package app

import (
	"errors"
	"strings"
	"testing"
)

func TestReadCatalogCSV(t *testing.T) {
	good := "\ufeffSKU,name_en,name_zh,Barcode,unit,price,tax_class\n" +
		"DRK-001,Cola,可乐,5449000000996|4006381333931,piece,3.00,standard\n" +
		"PRO-001,Banana,香蕉,2000101000006,kg,6.98,reduced\n"
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
