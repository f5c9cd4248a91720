package money

import (
	"fmt"
	"strings"
)

// ParseFixed reads a decimal with at most places decimals ("12", "12.5", "-0.455") as a whole number of
// 10^-places units: ParseFixed("12.5", 2) = 1250. It is the one parser behind amounts, quantities
// (places 3) and percentages in basis points (places 2). More decimals than places is an error, never
// rounded: what a person typed is taken exactly or refused.
func ParseFixed(s string, places int) (int64, error) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	if neg {
		t = t[1:]
	}
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	if len(frac) > places {
		return 0, fmt.Errorf("%w: %q has %d decimals, at most %d", ErrPrecision, s, len(frac), places)
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", places-len(frac)), "0")
	if len(digits) > 18 {
		return 0, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	var v int64
	for _, d := range digits {
		v = v*10 + int64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, nil
}

// FormatFixed writes v units of 10^-places with exactly places decimals: FormatFixed(-125, 2) = "-1.25".
func FormatFixed(v int64, places int) string {
	sign, u := "", uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-v) // two's complement: correct for math.MinInt64 too
	}
	digits := fmt.Sprintf("%0*d", places+1, u)
	if places == 0 {
		return sign + digits
	}
	return sign + digits[:len(digits)-places] + "." + digits[len(digits)-places:]
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MinorPerMajor returns how many minor units make one major unit: 100 fen in a yuan, 1 for JPY.
func (c Currency) MinorPerMajor() int64 {
	n := int64(1)
	for range c.Exponent {
		n *= 10
	}
	return n
}
