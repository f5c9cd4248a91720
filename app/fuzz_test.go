package app

import (
	"errors"
	"strings"
	"testing"

	"checkout/app/money"
)

// FuzzScanCatalogCSV: any bytes as a catalog file either fail as a whole or give entries that pass the
// same checks a typed product does, and rows it rejects name a line of the file.
func FuzzScanCatalogCSV(f *testing.F) {
	f.Add([]byte(strings.Join(CatalogColumns(), ",") + "\nDRK-001,5449000000996,Coca-Cola,可口可乐,drinks,饮料,piece,3.00,1.80,12,standard,yes\n"))
	f.Add([]byte("sku,barcodes,name\nX,123,Y\n"))
	f.Add([]byte("\xef\xbb\xbfsku\n\"unterminated\n"))
	f.Add([]byte{0xb0, 0xa1, 0xff, 0x00, ','})
	s := DefaultSettings()
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := strings.Count(string(data), "\n") + 2
		_ = ScanCatalogCSV(strings.NewReader(string(data)), s, func(e CatalogEntry, line int) error {
			if line < 1 || line > lines {
				t.Fatalf("entry on line %d of a %d-line file", line, lines)
			}
			if _, err := FormOf(e).Entry(s); err != nil {
				t.Fatalf("an imported row fails the product form's checks: %v (%+v)", err, e)
			}
			return nil
		}, func(r RowError) {
			if r.Line < 1 || r.Reason == "" {
				t.Fatalf("a rejected row without line or reason: %+v", r)
			}
		})
	})
}

// FuzzParseTyped: what a cashier types as a quantity, discount or refund picks is either refused with a
// domain error or gives values inside their rules.
func FuzzParseTyped(f *testing.F) {
	for _, s := range []string{"1.5", "0.333", "斤", "100克", "250", "3", "0.455", "-1", "10%", "12.5%", "1.50", "1e9", "1, 3x2", "2*0.5", "９", "0x10", "", "110%", "-5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q, err := ParseQuantity(s, UnitKg); err == nil && (q <= 0 || q.check() != nil) {
			t.Fatalf("quantity %q = %d", s, q)
		}
		if q, err := ParseQuantity(s, UnitPiece); err == nil && (q <= 0 || q%1000 != 0) {
			t.Fatalf("pieces %q = %d", s, q)
		}
		d, err := ParseDiscount(s, money.CNY)
		switch {
		case err != nil && !errors.Is(err, ErrInvalidDiscount):
			t.Fatalf("discount %q: %v is not ErrInvalidDiscount", s, err)
		case err == nil && (d.PercentBP < 0 || d.PercentBP > 10_000 || d.Amount.IsNegative()):
			t.Fatalf("discount %q = %+v", s, d)
		}
		// A weight typed in the unit a product is priced in is whole grams in range, and reads back as shown.
		for _, p := range []Product{{Unit: UnitKg, PriceUnit: PerJin}, {Unit: UnitKg, PriceUnit: Per100g}, {Unit: UnitKg}, {Unit: UnitPiece}} {
			q, err := ParseSold(s, p)
			if err != nil {
				if !errors.Is(err, ErrInvalidQuantity) {
					t.Fatalf("%s %q: %v is not ErrInvalidQuantity", p.UnitCode(), s, err)
				}
				continue
			}
			if back, err := ParseSold(q.FormatSold(p), p); q.check() != nil || err != nil || back != q {
				t.Fatalf("%s %q = %d g, shown %q, read back %d (%v)", p.UnitCode(), s, q, q.FormatSold(p), back, err)
			}
		}
		if u, pu, ok := ParseUnit(s); ok && (!u.Valid() || !pu.Valid() || (pu != PerUnit && u != UnitKg)) {
			t.Fatalf("unit %q = %q per %q", s, u, pu)
		}
		if _, err := ParseCount(s, money.CNY); err != nil && ErrorCode(err) == "" {
			t.Fatalf("count %q: %v is not a domain error", s, err)
		}
	})
}
