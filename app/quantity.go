package app

import (
	"fmt"
	"strconv"
	"strings"

	"checkout/app/money"
)

// Quantity is an amount of a product in thousandths: 1000 per piece, grams for goods sold by the kilogram.
type Quantity int64

// MaxQuantity is the largest quantity one line takes: 100,000 pieces or 100 tonnes. Keeps line
// arithmetic far from int64 limits and catches a barcode scanned into the quantity field.
const MaxQuantity Quantity = 100_000 * 1000

// Pieces returns n whole pieces.
func Pieces(n int64) Quantity { return Quantity(n * 1000) }

// Grams returns g grams, the quantity of g/1000 kg.
func Grams(g int64) Quantity { return Quantity(g) }

// ParseQuantity reads what a cashier types: whole pieces ("3") for UnitPiece, kilograms with up to three
// decimals ("0.455") for UnitKg. Zero, negative and oversized quantities are refused.
func ParseQuantity(s string, u Unit) (Quantity, error) {
	v, err := money.ParseFixed(s, 3) // thousandths
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalidQuantity, err)
	}
	q := Quantity(v)
	if u == UnitPiece && q%1000 != 0 {
		return 0, fmt.Errorf("%w: %q: pieces are whole", ErrInvalidQuantity, s)
	}
	if err := q.check(); err != nil {
		return 0, fmt.Errorf("%w: %q", err, s)
	}
	return q, nil
}

// ParseCounted reads a quantity of 0 or more: what a stock count found, or a reorder point. Zero in any
// form a number takes ("0", "0.000" as Format writes a weighed product's) is none; anything else is read
// by ParseQuantity's rules, so pieces stay whole.
func ParseCounted(s string, u Unit) (Quantity, error) {
	t := strings.TrimSpace(s)
	if v, err := money.ParseFixed(t, 3); err == nil && v == 0 && !strings.HasPrefix(t, "-") {
		return 0, nil
	}
	return ParseQuantity(t, u)
}

// ParseSignedQuantity reads a stock change: ParseQuantity with an optional sign ("-2", "+0.5").
func ParseSignedQuantity(s string, u Unit) (Quantity, error) {
	t := strings.TrimSpace(s)
	sign := Quantity(1)
	switch {
	case strings.HasPrefix(t, "-"):
		sign, t = -1, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	if t == "0" {
		return 0, nil
	}
	q, err := ParseQuantity(t, u)
	return sign * q, err
}

func (q Quantity) check() error {
	if q <= 0 || q > MaxQuantity {
		return ErrInvalidQuantity
	}
	return nil
}

// Format returns the quantity as the cashier reads it: "3" for whole pieces, "0.455" (kg) for weighed goods.
func (q Quantity) Format(u Unit) string {
	if u == UnitPiece && q%1000 == 0 {
		return strconv.FormatInt(int64(q)/1000, 10)
	}
	return money.FormatFixed(int64(q), 3)
}

// Selling shows a weighed product's quantity in the unit it is priced in, since that is what the cashier
// multiplies in their head and what the shopper asked for: a product priced per 斤 in 斤 ("1.5" is 750 g,
// 一斤半), one priced per 100 g in grams ("250"), one priced per kilogram in kilograms ("0.455"). Stock,
// counts and reorder points stay in kilograms for every weighed product: the stock unit does not change
// with the price label.

// SoldIn names the unit selling shows p's quantity in: "" for pieces, "kg", "jin" (斤) or "g". The UI and
// the receipt translate it.
func (p Product) SoldIn() string {
	switch {
	case p.Unit != UnitKg:
		return ""
	case p.PriceUnit == PerJin:
		return "jin"
	case p.PriceUnit == Per100g:
		return "g"
	}
	return "kg"
}

// PricedIn names what p's price is for: "" for a piece, "kg", "jin" (斤) or "100g".
func (p Product) PricedIn() string {
	if p.Unit != UnitKg {
		return ""
	}
	if p.PriceUnit != PerUnit {
		return string(p.PriceUnit)
	}
	return "kg"
}

// ParseSold reads a quantity of p as the cashier types it when selling or refunding, in the unit SoldIn
// names: pieces, kilograms to the gram, 斤 to the gram (up to three decimals, "1.5"), or whole grams. A
// 斤 figure that is not a whole number of grams ("0.333", 166.5 g) is refused, never rounded: what is
// charged is what was typed.
func ParseSold(s string, p Product) (Quantity, error) {
	switch p.SoldIn() {
	case "jin":
		v, err := money.ParseFixed(s, 3) // thousandths of a 斤: half-grams
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrInvalidQuantity, err)
		}
		if v%2 != 0 {
			return 0, fmt.Errorf("%w: %q 斤 is not a whole number of grams", ErrInvalidQuantity, s)
		}
		q := Quantity(v / 2)
		if err := q.check(); err != nil {
			return 0, fmt.Errorf("%w: %q 斤", err, s)
		}
		return q, nil
	case "g":
		v, err := money.ParseFixed(s, 0)
		if err != nil {
			return 0, fmt.Errorf("%w: grams are whole: %v", ErrInvalidQuantity, err)
		}
		q := Grams(v)
		if err := q.check(); err != nil {
			return 0, fmt.Errorf("%w: %q g", err, s)
		}
		return q, nil
	}
	return ParseQuantity(s, p.Unit)
}

// FormatSold returns q of p as selling shows it (SoldIn): "3", "0.455" (kg), "1.5" (斤, no trailing zeros;
// always exact, a gram being 0.002 斤) or "250" (g).
func (q Quantity) FormatSold(p Product) string {
	switch p.SoldIn() {
	case "jin":
		s := money.FormatFixed(int64(q)*2, 3)
		return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	case "g":
		return strconv.FormatInt(int64(q), 10)
	}
	return q.Format(p.Unit)
}
