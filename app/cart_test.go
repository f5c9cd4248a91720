package app

import (
	"errors"
	"fmt"
	"testing"

	"checkout/app/money"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

var (
	cola   = Product{ID: 1, SKU: "DRK-001", Name: "Cola 330ml", Price: cny(300), Unit: UnitPiece, TaxClass: "standard", Active: true}
	chips  = Product{ID: 2, SKU: "SNK-001", Name: "Chips 70g", Price: cny(650), Unit: UnitPiece, TaxClass: "standard", Active: true}
	banana = Product{ID: 3, SKU: "PRO-001", Name: "Banana", Price: cny(698), Unit: UnitKg, TaxClass: "reduced", Active: true}
	// upcItem is stored under its UPC-A; cake is sold by priced labels with prefix 22.
	upcItem = Product{ID: 4, SKU: "IMP-001", Name: "Imported soup", Price: cny(350), Unit: UnitPiece, TaxClass: "standard", Active: true}
	cake    = Product{ID: 5, SKU: "BAK-001", Name: "Cake slice", Price: cny(0), Unit: UnitPiece, TaxClass: "standard", Active: true}
)

func TestCartAddMergesPiecesNotWeighings(t *testing.T) {
	c := NewCart(DefaultSettings())
	for _, step := range []struct {
		p        Product
		qty      Quantity
		wantLine int
	}{
		{cola, Pieces(1), 0},
		{chips, Pieces(2), 1},
		{cola, Pieces(1), 0},
		{banana, Grams(1234), 2},
		{banana, Grams(500), 3},
	} {
		i, err := c.Add(step.p, step.qty)
		if err != nil || i != step.wantLine {
			t.Fatalf("Add(%s) = %d, %v; want line %d", step.p.SKU, i, err, step.wantLine)
		}
	}
	lines := c.Lines()
	if len(lines) != 4 || lines[0].Qty != Pieces(2) {
		t.Fatalf("lines = %+v", lines)
	}
	// 6.98/kg × 1.234 kg = 8.61332 → 8.61
	if got := lines[2].Total.Minor(); got != 861 {
		t.Errorf("banana line = %d, want 861", got)
	}
	tot := c.Totals()
	// 6.00 + 13.00 + 8.61 + 3.49
	if tot.Total.Minor() != 600+1300+861+349 || tot.ItemCount != 2+2+1+1 || tot.Lines != 4 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestCartTaxInclusive(t *testing.T) {
	c := NewCart(DefaultSettings())
	mustAdd(t, c, cola, Pieces(3))     // 9.00 incl 13%: tax 9.00×13/113 = 1.0354 → 1.04
	mustAdd(t, c, banana, Grams(1000)) // 6.98 incl 9%: 6.98×9/109 = 0.5763 → 0.58
	tot := c.Totals()
	if tot.Total.Minor() != 1598 || tot.Subtotal.Minor() != 1598 {
		t.Errorf("total %v subtotal %v, want 15.98 both", tot.Total, tot.Subtotal)
	}
	if tot.Tax.Minor() != 104+58 {
		t.Errorf("tax = %v, want 1.62", tot.Tax)
	}
	want := []TaxBand{{RateBP: 900, Base: cny(698 - 58), Tax: cny(58)}, {RateBP: 1300, Base: cny(900 - 104), Tax: cny(104)}}
	if len(tot.TaxBands) != 2 || tot.TaxBands[0] != want[0] || tot.TaxBands[1] != want[1] {
		t.Errorf("bands = %+v, want %+v", tot.TaxBands, want)
	}
}

func TestCartTaxExclusive(t *testing.T) {
	s := DefaultSettings()
	s.TaxMode = TaxExclusive
	s.Currency = money.USD
	s.TaxRates = map[string]int64{"standard": 825} // 8.25%
	c := NewCart(s)
	p := Product{ID: 9, SKU: "X", Price: money.New(1999, money.USD), Unit: UnitPiece, TaxClass: "standard", Active: true}
	mustAdd(t, c, p, Pieces(1))
	tot := c.Totals()
	// 19.99 × 8.25% = 1.649175 → 1.65, added on top.
	if tot.Subtotal.Minor() != 1999 || tot.Tax.Minor() != 165 || tot.Total.Minor() != 2164 {
		t.Errorf("totals = %v + %v = %v", tot.Subtotal, tot.Tax, tot.Total)
	}
	if tot.TaxBands[0].Base.Minor() != 1999 {
		t.Errorf("exclusive base = %v, want the line total", tot.TaxBands[0].Base)
	}
}

func TestCartTaxRoundsHalfToEvenPerLine(t *testing.T) {
	s := DefaultSettings()
	s.TaxMode = TaxExclusive
	s.TaxRates = map[string]int64{"standard": 500} // 5%
	c := NewCart(s)
	// 0.50 × 5% = 0.025 → 0.02 (half to even); 0.70 × 5% = 0.035 → 0.04.
	mustAdd(t, c, Product{ID: 1, SKU: "A", Price: cny(50), Unit: UnitPiece, TaxClass: "standard", Active: true}, Pieces(1))
	mustAdd(t, c, Product{ID: 2, SKU: "B", Price: cny(70), Unit: UnitPiece, TaxClass: "standard", Active: true}, Pieces(1))
	if got := c.Totals().Tax.Minor(); got != 2+4 {
		t.Errorf("tax = %d, want 6 (per-line half-even)", got)
	}
}

func TestCartDiscounts(t *testing.T) {
	c := NewCart(DefaultSettings())
	mustAdd(t, c, chips, Pieces(2)) // 13.00
	tests := []struct {
		d         Discount
		wantTotal int64
		err       error
	}{
		{Discount{Amount: cny(150)}, 1150, nil},
		{Discount{PercentBP: 1000}, 1170, nil}, // 10%
		{Discount{PercentBP: 333}, 1257, nil},  // 3.33% of 13.00 = 0.4329 → 0.43
		{Discount{PercentBP: 10000}, 0, nil},   // free
		{Discount{}, 1300, nil},                // removed
		{Discount{Amount: cny(1301)}, 1300, ErrInvalidDiscount},
		{Discount{Amount: cny(-1)}, 1300, ErrInvalidDiscount},
		{Discount{PercentBP: 10001}, 1300, ErrInvalidDiscount},
		{Discount{Amount: cny(1), PercentBP: 1}, 1300, ErrInvalidDiscount},
		{Discount{Amount: money.New(1, money.USD)}, 1300, ErrInvalidDiscount},
	}
	for _, tt := range tests {
		err := c.SetDiscount(0, tt.d)
		if !errors.Is(err, tt.err) {
			t.Errorf("SetDiscount(%+v) error = %v, want %v", tt.d, err, tt.err)
		}
		if got := c.Totals().Total.Minor(); got != tt.wantTotal {
			t.Errorf("after SetDiscount(%+v) total = %d, want %d", tt.d, got, tt.wantTotal)
		}
		if err != nil { // restore a known state for the next row
			_ = c.SetDiscount(0, Discount{})
		}
	}
	// An amount discount is capped if the quantity drops below it.
	mustOK(t, c.SetDiscount(0, Discount{Amount: cny(1000)}))
	mustOK(t, c.SetQuantity(0, Pieces(1)))
	if l := c.Lines()[0]; l.DiscountAmount.Minor() != 650 || l.Total.Minor() != 0 {
		t.Errorf("capped discount line = %+v", l)
	}
	if got := c.Totals().Discount.Minor(); got != 650 {
		t.Errorf("totals discount = %d", got)
	}
}

func TestCartRefusesBadInputAndChangesNothing(t *testing.T) {
	c := NewCart(DefaultSettings())
	mustAdd(t, c, cola, Pieces(1))
	before := c.Totals()
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"zero quantity", c.SetQuantity(0, 0), ErrInvalidQuantity},
		{"negative quantity", c.SetQuantity(0, -1000), ErrInvalidQuantity},
		{"half a piece", c.SetQuantity(0, 500), ErrInvalidQuantity},
		{"too many", c.SetQuantity(0, MaxQuantity+1000), ErrInvalidQuantity},
		{"no line", c.SetQuantity(5, Pieces(1)), ErrNoSuchLine},
		{"remove no line", c.Remove(-1), ErrNoSuchLine},
		{"inactive", addErr(c, Product{ID: 7, SKU: "OLD", Price: cny(1), Unit: UnitPiece, TaxClass: "standard"}), ErrInactiveProduct},
		{"tax class", addErr(c, Product{ID: 8, SKU: "T", Price: cny(1), Unit: UnitPiece, TaxClass: "luxury", Active: true}), ErrUnknownTaxClass},
		{"huge line", addErr(c, Product{ID: 9, SKU: "H", Price: cny(money.MaxMinor), Unit: UnitPiece, TaxClass: "standard", Active: true}), ErrInvalidQuantity},
	}
	for _, ch := range checks {
		if !errors.Is(ch.err, ch.want) {
			t.Errorf("%s: error = %v, want %v", ch.name, ch.err, ch.want)
		}
	}
	after := c.Totals()
	if after.Total != before.Total || after.Lines != 1 {
		t.Errorf("bad input changed the cart: %+v → %+v", before, after)
	}
	mustOK(t, c.Remove(0))
	if c.Len() != 0 || !c.Totals().Total.IsZero() {
		t.Error("remove left the line")
	}
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		unit Unit
		want Quantity
		err  bool
	}{
		{"3", UnitPiece, 3000, false},
		{"3.0", UnitPiece, 3000, false},
		{"1.5", UnitPiece, 0, true},
		{"0.455", UnitKg, 455, false},
		{"1.2", UnitKg, 1200, false},
		{"2", UnitKg, 2000, false},
		{"0.0005", UnitKg, 0, true},
		{"0", UnitPiece, 0, true},
		{"", UnitPiece, 0, true},
		{"-1", UnitPiece, 0, true},
		{"abc", UnitPiece, 0, true},
		{"100001", UnitPiece, 0, true},
		{"6901234567892", UnitPiece, 0, true}, // a barcode typed into the quantity
	}
	for _, tt := range tests {
		got, err := ParseQuantity(tt.in, tt.unit)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseQuantity(%q, %s) = %d, %v", tt.in, tt.unit, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidQuantity) {
			t.Errorf("ParseQuantity(%q) error %v is not ErrInvalidQuantity", tt.in, err)
		}
	}
	if got := Grams(455).Format(UnitKg); got != "0.455" {
		t.Errorf("Format kg = %q", got)
	}
	if got := Pieces(12).Format(UnitPiece); got != "12" {
		t.Errorf("Format piece = %q", got)
	}
}

func TestSettingsValidate(t *testing.T) {
	if err := DefaultSettings().Validate(); err != nil {
		t.Fatal(err)
	}
	if v := DefaultSettings().Value("tax_rate.standard"); v != "13.00" {
		t.Errorf(`Value("tax_rate.standard") = %q`, v)
	}
	for name, mutate := range map[string]func(*Settings){
		"till":     func(s *Settings) { s.Till = "till 1" },
		"mode":     func(s *Settings) { s.TaxMode = "both" },
		"rounding": func(s *Settings) { s.CashRounding.Step = 3 },
		"rate":     func(s *Settings) { s.TaxRates = map[string]int64{"x": 20000} },
		"currency": func(s *Settings) { s.Currency = money.Currency{} },
	} {
		s := DefaultSettings()
		mutate(&s)
		if err := s.Validate(); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s: Validate() = %v", name, err)
		}
	}
}

func mustAdd(t *testing.T, c *Cart, p Product, q Quantity) {
	t.Helper()
	if _, err := c.Add(p, q); err != nil {
		t.Fatalf("Add(%s): %v", p.SKU, err)
	}
}

func addErr(c *Cart, p Product) error {
	_, err := c.Add(p, Pieces(1))
	return err
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSuggestedTenders(t *testing.T) {
	tests := []struct {
		due  int64
		want []int64
	}{
		{3518, []int64{3518, 3600, 4000, 5000, 10000}},
		{300, []int64{300, 400, 500, 1000, 2000}},
		{10000, []int64{10000, 10100, 10500, 11000, 12000}},
		{5, []int64{5, 100, 500, 1000, 2000}},
		{0, nil},
	}
	for _, tt := range tests {
		var got []int64
		for _, a := range SuggestedTenders(cny(tt.due)) {
			got = append(got, a.Minor())
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("SuggestedTenders(%d) = %v, want %v", tt.due, got, tt.want)
		}
	}
	if c, err := ChangeFor(cny(3518), cny(5000)); err != nil || c.Minor() != 1482 {
		t.Errorf("ChangeFor = %v, %v", c, err)
	}
	if _, err := ChangeFor(cny(3518), cny(3000)); !errors.Is(err, ErrUnderpaid) {
		t.Errorf("ChangeFor short = %v", err)
	}
}

func TestFormatRate(t *testing.T) {
	for bp, want := range map[int64]string{1300: "13", 825: "8.25", 900: "9", 1250: "12.5", 0: "0", 10000: "100"} {
		if got := FormatRate(bp); got != want {
			t.Errorf("FormatRate(%d) = %q, want %q", bp, got, want)
		}
	}
}

func TestParseDiscount(t *testing.T) {
	tests := []struct {
		in   string
		want Discount
		err  bool
	}{
		{"10%", Discount{PercentBP: 1000}, false},
		{" 12.5% ", Discount{PercentBP: 1250}, false},
		{"1.50", Discount{Amount: cny(150)}, false},
		{"", Discount{}, false},
		{"0", Discount{}, false},
		{"abc", Discount{}, true},
		{"%", Discount{}, true},
		{"1.505", Discount{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDiscount(tt.in, money.CNY)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseDiscount(%q) = %+v, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidDiscount) {
			t.Errorf("ParseDiscount(%q) error %v is not ErrInvalidDiscount", tt.in, err)
		}
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]int64{"13": 1300, " 8.25 ": 825, "0": 0, "100": 10000} {
		if got, err := ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"8.255", "x", ""} {
		if _, err := ParsePercent(in); err == nil {
			t.Errorf("ParsePercent(%q) accepted", in)
		}
	}
}

func TestParseCounted(t *testing.T) {
	for in, want := range map[string]Quantity{"0": 0, " 0 ": 0, "3": Pieces(3), "0.000": 0, "0.0": 0, "3.000": Pieces(3)} {
		if got, err := ParseCounted(in, UnitPiece); err != nil || got != want {
			t.Errorf("ParseCounted(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"-1", "0.5", "", "x", ".", "-0", "0.0.0", "0.0000"} {
		if _, err := ParseCounted(in, UnitPiece); err == nil {
			t.Errorf("ParseCounted(%q) took it", in)
		}
	}
	if got, err := ParseCounted("1.250", UnitKg); err != nil || got != Grams(1250) {
		t.Errorf("1.250 kg = %d, %v", got, err)
	}
	if got, err := ParseCounted("0.000", UnitKg); err != nil || got != 0 {
		t.Errorf("0.000 kg = %d, %v", got, err) // what export writes for a weighed product's none
	}
}
