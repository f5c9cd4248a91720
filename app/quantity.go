package app

import (
	"fmt"
	"strings"
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
	t := strings.TrimSpace(s)
	whole, frac, hasPoint := strings.Cut(t, ".")
	bad := fmt.Errorf("%w: %q", ErrInvalidQuantity, s)
	if whole == "" && frac == "" || len(whole) > 6 || len(frac) > 3 || !isDigits(whole) || !isDigits(frac) {
		return 0, bad
	}
	if u == UnitPiece && hasPoint && strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("%w: %q: pieces are whole", ErrInvalidQuantity, s)
	}
	var q int64
	for _, d := range whole + frac + strings.Repeat("0", 3-len(frac)) {
		q = q*10 + int64(d-'0')
	}
	if err := Quantity(q).check(); err != nil {
		return 0, fmt.Errorf("%w: %q", err, s)
	}
	return Quantity(q), nil
}

func (q Quantity) check() error {
	if q <= 0 || q > MaxQuantity {
		return ErrInvalidQuantity
	}
	return nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Format returns the quantity as the cashier reads it: "3" for pieces, "0.455" (kg) for weighed goods.
func (q Quantity) Format(u Unit) string {
	if u == UnitKg {
		return fmt.Sprintf("%d.%03d", q/1000, q%1000)
	}
	if q%1000 == 0 {
		return fmt.Sprintf("%d", q/1000)
	}
	return fmt.Sprintf("%d.%03d", q/1000, q%1000)
}
