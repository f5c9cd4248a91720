package app

import (
	"strings"

	"checkout/app/money"
)

// lineTax returns the tax in a line's total at rate basis points.
//
// Rounding rule: tax is computed per line and rounded half to even, and the sale's tax is the sum of the
// line taxes. Inclusive: tax = total × r / (1 + r). Exclusive: tax = total × r, added on top.
func lineTax(total money.Amount, rateBP int64, mode TaxMode) money.Amount {
	den := int64(10000)
	if mode == TaxInclusive {
		den += rateBP
	}
	tax, _ := money.MulDiv(total.Minor(), rateBP, den) // cannot overflow: totals are bounded by maxLineTotal
	return money.New(tax, total.Currency())
}

// TaxBand is the part of a sale taxed at one rate.
type TaxBand struct {
	RateBP int64        // basis points: 1300 = 13%
	Base   money.Amount // the taxed amount without tax
	Tax    money.Amount
}

// ParsePercent reads a percentage with up to two decimals ("13", "8.25") as basis points (1300, 825).
func ParsePercent(s string) (int64, error) {
	return money.ParseFixed(strings.TrimSpace(s), 2)
}

// FormatRate returns a rate in basis points as a percentage without trailing zeros: 1300 → "13", 825 → "8.25".
func FormatRate(bp int64) string {
	s := strings.TrimRight(money.FormatFixed(bp, 2), "0")
	return strings.TrimSuffix(s, ".")
}
