package app

import (
	"bytes"
	"strings"
	"testing"

	"checkout/app/barcode"
)

// A weighed product's scale codes become PLUs under the layout of their prefix; a label's own code (weight
// not zero), a retail EAN and a product not weighed or not for sale do not.
func TestPLUsOf(t *testing.T) {
	layouts := barcode.DefaultLayouts()
	code := func(data string) string { return data + string(barcode.CheckDigit(data)) }
	e := CatalogEntry{Product: rice, Barcodes: []string{code("200020200000"), code("200020201234"), "6901234567892", code("260010100000")}}
	got, err := PLUsOf(e, layouts)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v, %v", got, err)
	}
	want := []PLU{{Number: 202, Name: "大米", PerKg: cny(1398), Unit: "斤", Barcode: "2000202WWWWWC", SKU: "RIC-001"},
		{Number: 101, Name: "大米", PerKg: cny(1398), Unit: "斤", Barcode: "2600101MMMMMWWWWWC", SKU: "RIC-001"}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("PLU %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, p := range []Product{cola, func() Product { p := rice; p.Active = false; return p }()} {
		if got, err := PLUsOf(CatalogEntry{Product: p, Barcodes: []string{code("200070700000")}}, layouts); len(got) != 0 || err != nil {
			t.Errorf("%s active %v: %+v, %v", p.SKU, p.Active, got, err)
		}
	}
	// An unknown price unit would price per the wrong weight: refused, not guessed.
	odd := rice
	odd.PriceUnit = "两"
	if _, err := PLUsOf(CatalogEntry{Product: odd, Barcodes: []string{code("200020200000")}}, layouts); err == nil {
		t.Error("a product priced per 两 became a PLU")
	}

	var b bytes.Buffer
	f, err := NewPLUFile(&b)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if err := f.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	other := got[0]
	other.SKU = "RIC-002"
	if err := f.Write(other); err == nil || !strings.Contains(err.Error(), "PLU 202 is both RIC-001 and RIC-002") {
		t.Errorf("PLU 202 twice: %v", err)
	}
	if err := f.Flush(); err != nil || b.String() != "plu,name,price_per_kg,unit,barcode\n202,大米,13.98,斤,2000202WWWWWC\n101,大米,13.98,斤,2600101MMMMMWWWWWC\n" {
		t.Errorf("the file:\n%s%v", b.String(), err)
	}
}
