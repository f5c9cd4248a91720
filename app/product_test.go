package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
)

var (
	rice   = Product{ID: 21, SKU: "RIC-001", Name: "Rice", NameZH: "大米", Price: cny(699), Unit: UnitKg, PriceUnit: PerJin, TaxClass: "reduced", Active: true}
	olives = Product{ID: 22, SKU: "DEL-001", Name: "Olives", NameZH: "橄榄", Price: cny(150), Unit: UnitKg, PriceUnit: Per100g, TaxClass: "reduced", Active: true}
)

// Every name a catalog file or the editor may give a unit, and names that are not units.
func TestParseUnitEveryAlias(t *testing.T) {
	for s, want := range map[string]struct {
		Unit
		PriceUnit
	}{
		"piece": {UnitPiece, PerUnit}, "PIECE": {UnitPiece, PerUnit}, " 件 ": {UnitPiece, PerUnit}, "个": {UnitPiece, PerUnit},
		"kg": {UnitKg, PerUnit}, "Kg": {UnitKg, PerUnit}, "千克": {UnitKg, PerUnit}, "公斤": {UnitKg, PerUnit},
		"jin": {UnitKg, PerJin}, "JIN": {UnitKg, PerJin}, "斤": {UnitKg, PerJin}, "500g": {UnitKg, PerJin}, "500G": {UnitKg, PerJin},
		"100g": {UnitKg, Per100g}, "100G": {UnitKg, Per100g}, "100克": {UnitKg, Per100g},
	} {
		u, pu, ok := ParseUnit(s)
		if !ok || u != want.Unit || pu != want.PriceUnit {
			t.Errorf("ParseUnit(%q) = %q %q %v, want %q %q", s, u, pu, ok, want.Unit, want.PriceUnit)
		}
	}
	for _, s := range []string{"", "两", "克", "g", "100 g", "1斤", "jins", "kg/斤", "pieces", "lb", "0.5kg", "斤斤"} {
		if u, pu, ok := ParseUnit(s); ok {
			t.Errorf("ParseUnit(%q) = %q %q, want refused", s, u, pu)
		}
	}
	// What export writes reads back as the same unit.
	for _, p := range []Product{cola, banana, rice, olives} {
		if u, pu, ok := ParseUnit(p.UnitCode()); !ok || u != p.Unit || pu != p.PriceUnit {
			t.Errorf("%s: UnitCode %q reads back as %q %q %v", p.SKU, p.UnitCode(), u, pu, ok)
		}
	}
}

// gross = round_half_even(price × grams / grams per price unit), once per line, for every price unit.
func TestLinePricedPerItsUnit(t *testing.T) {
	per := func(p Product, price int64) Product { p.Price = cny(price); return p }
	for _, c := range []struct {
		p     Product
		qty   Quantity
		gross int64
	}{
		{rice, Grams(333), 466},              // 6.99 × 333/500 = 4.65534
		{rice, Grams(500), 699},              // one 斤
		{rice, Grams(1), 1},                  // 0.01398
		{per(rice, 698), Grams(125), 174},    // 1.745: half to even, down
		{per(rice, 698), Grams(375), 524},    // 5.235: half to even, up
		{per(rice, 1), Grams(250), 0},        // 0.005 → 0.00
		{per(rice, 1), Grams(750), 2},        // 0.015 → 0.02
		{olives, Grams(333), 500},            // 1.50 × 3.33 = 4.995 → 5.00 (half to even, up)
		{olives, Grams(331), 496},            // 4.965 → 4.96 (half to even, down)
		{olives, Grams(100), 150},            // one 100 g
		{per(banana, 1200), Grams(333), 400}, // per kg as before: 3.996
		{cola, Pieces(3), 900},
	} {
		cart := NewCart(DefaultSettings())
		i, err := cart.Add(c.p, c.qty)
		if err != nil {
			t.Fatalf("%s %d: %v", c.p.SKU, c.qty, err)
		}
		if g := cart.Lines()[i].Gross; g.Minor() != c.gross {
			t.Errorf("%s at %s/%s × %d g: gross %d, want %d", c.p.SKU, c.p.Price, c.p.PricedIn(), c.qty, g.Minor(), c.gross)
		}
	}
	// Changing the quantity and overriding the price reprice per the same unit.
	cart := NewCart(DefaultSettings())
	i, _ := cart.Add(rice, Grams(500))
	if err := cart.SetQuantity(i, Grams(750)); err != nil || cart.Lines()[i].Gross.Minor() != 1048 { // 10.485 → 10.48
		t.Errorf("750 g of rice: %v %v", cart.Lines()[i].Gross, err)
	}
	if err := cart.SetPrice(i, cny(600)); err != nil || cart.Lines()[i].Gross.Minor() != 900 {
		t.Errorf("750 g at 6.00/斤: %v %v", cart.Lines()[i].Gross, err)
	}
}

// A scale's GS1 label carries grams; a product priced per 斤 or 100 g is charged for those grams.
func TestWeighedLabelOfProductPricedPerJin(t *testing.T) {
	ctx := context.Background()
	shop := shelf{gs1("200020200000"): rice, gs1("200030300000"): olives}
	c, err := NewCheckout(DefaultSettings(), shop, &ledger{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	c.SetSession(SystemSession("Olivia"))
	for _, s := range []struct {
		code  string
		qty   Quantity
		gross int64
	}{
		{gs1("200020200333"), Grams(333), 466},               // 333 g at 6.99/斤
		{gs1("200020201500"), Grams(1500), 2097},             // 3 斤
		{gs1("200030300250"), Grams(250), 375},               // 250 g at 1.50/100g
		{"(01)02000202000004(3922)1398", Grams(1000), 1398},  // price only: 13.98 buys 2 斤
		{"(01)02000202000004(3103)000750", Grams(750), 1048}, // weight AI 3103: 0.750 kg
		{"1.5*" + gs1("200020200000"), Grams(750), 1048},     // typed before the scan: 1.5 斤
		{"250*" + gs1("200030300000"), Grams(250), 375},      // typed: 250 g
	} {
		added, err := c.Scan(ctx, s.code)
		if err != nil {
			t.Fatalf("Scan(%q): %v", s.code, err)
		}
		l := c.Lines()[added.Line]
		if l.Qty != s.qty || l.Gross.Minor() != s.gross {
			t.Errorf("Scan(%q): %d g for %d, want %d g for %d", s.code, l.Qty, l.Gross.Minor(), s.qty, s.gross)
		}
	}
	if _, err := c.Scan(ctx, "0.333*"+gs1("200020200000")); !errors.Is(err, ErrInvalidQuantity) {
		t.Errorf("0.333 斤 (166.5 g): %v, want ErrInvalidQuantity", err)
	}
}

// Selling reads and shows a 斤-priced product in 斤, a 100 g-priced one in grams, and the rest as before.
func TestSoldQuantities(t *testing.T) {
	for _, c := range []struct {
		p    Product
		text string
		q    Quantity
		back string
	}{
		{rice, "1.5", 750, "1.5"}, {rice, "0.666", 333, "0.666"}, {rice, "2", 1000, "2"}, {rice, "0.002", 1, "0.002"},
		{rice, "10.000", 5000, "10"}, {olives, "250", 250, "250"}, {banana, "0.455", 455, "0.455"}, {cola, "3", 3000, "3"},
	} {
		q, err := ParseSold(c.text, c.p)
		if err != nil || q != c.q || q.FormatSold(c.p) != c.back {
			t.Errorf("%s %q: %d %v, shown %q; want %d, %q", c.p.SKU, c.text, q, err, q.FormatSold(c.p), c.q, c.back)
		}
	}
	for _, c := range []struct {
		p    Product
		text string
	}{{rice, "0.333"}, {rice, "0.0001"}, {rice, "0"}, {rice, "-1"}, {rice, "200001"}, {olives, "2.5"}, {olives, "0"},
		{olives, "x"}, {cola, "1.5"}} {
		if q, err := ParseSold(c.text, c.p); !errors.Is(err, ErrInvalidQuantity) {
			t.Errorf("%s %q: %d %v, want ErrInvalidQuantity", c.p.SKU, c.text, q, err)
		}
	}
	for _, p := range []Product{cola, banana, rice, olives} {
		if got := strings.Join([]string{p.SoldIn(), p.PricedIn()}, "|"); got != map[string]string{
			cola.SKU: "|", banana.SKU: "kg|kg", rice.SKU: "jin|jin", olives.SKU: "g|100g"}[p.SKU] {
			t.Errorf("%s: sold in|priced in %q", p.SKU, got)
		}
	}
}

// A price per kilogram from any unit, exact for those there are.
func TestPerKg(t *testing.T) {
	for _, c := range []struct {
		p     Product
		minor int64
		exact bool
	}{
		{rice, 1398, true}, {olives, 1500, true}, {banana, 698, true}, {Product{Unit: UnitKg, PriceUnit: PerJin, Price: money.New(1, money.CNY)}, 2, true},
	} {
		if m, exact, ok := c.p.PerKg(); !ok || m != c.minor || exact != c.exact {
			t.Errorf("%s: %d %v %v, want %d %v", c.p.SKU, m, exact, ok, c.minor, c.exact)
		}
	}
}

// The receipt says what a weighed line's price is for, in its language.
func TestReceiptSaysPricePerJin(t *testing.T) {
	set := DefaultSettings()
	cart := NewCart(set)
	for _, l := range []struct {
		p Product
		q Quantity
	}{{rice, Grams(750)}, {olives, Grams(250)}, {banana, Grams(455)}} {
		if _, err := cart.Add(l.p, l.q); err != nil {
			t.Fatal(err)
		}
	}
	s := &Sale{Till: "T01", ReceiptNo: "T01-000001", Cashier: "Lin", Currency: money.CNY, TaxMode: set.TaxMode,
		Lines: cart.Lines(), Totals: cart.Totals(), CompletedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	for lang, want := range map[string][]string{
		"zh-Hans": {"  1.5 斤 x 6.99/斤", "  250 克 x 1.50/100克", "  0.455 kg x 6.98/kg"},
		"en":      {"  1.5 jin x 6.99/jin", "  250 g x 1.50/100g", "  0.455 kg x 6.98/kg"},
	} {
		r := Receipt{Sale: s, Lang: lang}
		text := r.Text(32)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s receipt has no %q:\n%s", lang, w, text)
			}
		}
	}
}
