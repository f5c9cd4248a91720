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
