// Package money holds amounts of money as int64 minor units together with their currency, and the exact
// rounding rules the till applies. There is no floating point anywhere in this package.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Currency is an ISO 4217 currency with its number of minor digits and its display symbol.
type Currency struct {
	Code     string
	Exponent int // minor digits: CNY 2 (fen), JPY 0
	Symbol   string
	Numeric  string // ISO 4217 numeric code, "156" for CNY: GS1 prices (AI 393n) and EMVCo QR codes use it
}

// Currencies the till knows by code.
var (
	CNY = Currency{Code: "CNY", Exponent: 2, Symbol: "¥", Numeric: "156"}
	USD = Currency{Code: "USD", Exponent: 2, Symbol: "$", Numeric: "840"}
	EUR = Currency{Code: "EUR", Exponent: 2, Symbol: "€", Numeric: "978"}
	GBP = Currency{Code: "GBP", Exponent: 2, Symbol: "£", Numeric: "826"}
	HKD = Currency{Code: "HKD", Exponent: 2, Symbol: "HK$", Numeric: "344"}
	JPY = Currency{Code: "JPY", Exponent: 0, Symbol: "¥", Numeric: "392"}
)

var byCode = map[string]Currency{"CNY": CNY, "USD": USD, "EUR": EUR, "GBP": GBP, "HKD": HKD, "JPY": JPY}

// Errors returned for bad input.
var (
	ErrUnknownCurrency = errors.New("unknown currency")
	ErrSyntax          = errors.New("not an amount")
	ErrPrecision       = errors.New("more decimals than the currency has")
	ErrOverflow        = errors.New("amount out of range")
)

// Lookup returns the currency with the ISO code (case-insensitive).
func Lookup(code string) (Currency, error) {
	c, ok := byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Currency{}, fmt.Errorf("%w %q", ErrUnknownCurrency, code)
	}
	return c, nil
}

// MaxMinor bounds every amount the till accepts (10^15 minor units, 10 trillion yuan), so sums and
// products with bounded quantities cannot overflow int64.
const MaxMinor = 1_000_000_000_000_000

// Amount is a sum of money in minor units of its currency. The zero Amount has no currency; build
// amounts with New, Zero or Parse.
type Amount struct {
	minor    int64
	currency Currency
}

// New returns minor units of c.
func New(minor int64, c Currency) Amount { return Amount{minor: minor, currency: c} }

// Zero returns nothing of c.
func Zero(c Currency) Amount { return Amount{currency: c} }

// Minor returns the amount in minor units.
func (a Amount) Minor() int64 { return a.minor }

// Currency returns the amount's currency.
func (a Amount) Currency() Currency { return a.currency }

// IsZero reports whether the amount is nothing.
func (a Amount) IsZero() bool { return a.minor == 0 }

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.minor < 0 }

// Add returns a+b. Amounts of different currencies are never added: that is a programming error.
func (a Amount) Add(b Amount) Amount {
	a.mustMatch(b)
	return Amount{minor: a.minor + b.minor, currency: a.currency}
}

// Sub returns a-b.
func (a Amount) Sub(b Amount) Amount {
	a.mustMatch(b)
	return Amount{minor: a.minor - b.minor, currency: a.currency}
}

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{minor: -a.minor, currency: a.currency} }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a Amount) Cmp(b Amount) int {
	a.mustMatch(b)
	switch {
	case a.minor < b.minor:
		return -1
	case a.minor > b.minor:
		return 1
	}
	return 0
}

func (a Amount) mustMatch(b Amount) {
	// A zero-value Amount (no currency yet) combines with anything.
	if a.currency != b.currency && a.currency.Code != "" && b.currency.Code != "" {
		panic(fmt.Sprintf("money: %s and %s mixed", a.currency.Code, b.currency.Code))
	}
}

// Parse reads a decimal amount such as "12", "12.5" or "-0.30" in currency c. It refuses more decimals
// than the currency has rather than rounding what a person typed.
func Parse(s string, c Currency) (Amount, error) {
	minor, err := ParseFixed(s, c.Exponent)
	if err != nil {
		return Amount{}, fmt.Errorf("%s amount: %w", c.Code, err)
	}
	if minor > MaxMinor || minor < -MaxMinor {
		return Amount{}, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	return Amount{minor: minor, currency: c}, nil
}

// Decimal returns the plain decimal form with the currency's digits, e.g. "-1234.50": the form used in
// files and journals.
func (a Amount) Decimal() string { return a.format(".", "") }

// String returns the amount with its ISO code, e.g. "12.50 CNY".
func (a Amount) String() string { return a.Decimal() + " " + a.currency.Code }

// format writes the decimal form with the given decimal point and, if group is set, thousands groups.
func (a Amount) format(point, group string) string {
	s := FormatFixed(a.minor, a.currency.Exponent)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if group != "" {
		var b strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(group)
			}
			b.WriteRune(r)
		}
		whole = b.String()
	}
	if !hasFrac {
		return sign + whole
	}
	return sign + whole + point + frac
}

// Format returns the amount as a shopper reads it in the locale: "¥1,234.50" for en and zh, "1.234,50 €"
// for de, fr, es and it. Unknown locales get the English form.
func Format(a Amount, locale string) string {
	lang, _, _ := strings.Cut(strings.ReplaceAll(locale, "_", "-"), "-")
	switch strings.ToLower(lang) {
	case "de", "fr", "es", "it", "nl", "pt":
		return a.format(",", ".") + " " + a.currency.Symbol
	default:
		s := a.format(".", ",")
		if strings.HasPrefix(s, "-") {
			return "-" + a.currency.Symbol + s[1:]
		}
		return a.currency.Symbol + s
	}
}

// MulDiv returns x*num/den rounded half to even, computed without overflow; ok is false when the result
// does not fit in int64 or den is zero.
func MulDiv(x, num, den int64) (result int64, ok bool) {
	if den == 0 {
		return 0, false
	}
	p := new(big.Int).Mul(big.NewInt(x), big.NewInt(num))
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(p, d, new(big.Int))
	// Compare 2|r| with |den| to decide which way to round.
	twice := new(big.Int).Abs(r)
	twice.Lsh(twice, 1)
	switch twice.Cmp(new(big.Int).Abs(d)) {
	case 1:
		q.Add(q, big.NewInt(int64(p.Sign()*d.Sign())))
	case 0:
		if q.Bit(0) == 1 {
			q.Add(q, big.NewInt(int64(p.Sign()*d.Sign())))
		}
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// MulDivFloor returns x*num/den rounded down (towards minus infinity), computed without overflow; ok is
// false when the result does not fit in int64 or den is zero. Points are earned and taken back this way.
func MulDivFloor(x, num, den int64) (result int64, ok bool) {
	if den == 0 {
		return 0, false
	}
	q := new(big.Int).Mul(big.NewInt(x), big.NewInt(num))
	q.Div(q, big.NewInt(den)) // Euclidean: rounds down for a positive divisor
	if den < 0 && new(big.Int).Mul(q, big.NewInt(den)).Cmp(new(big.Int).Mul(big.NewInt(x), big.NewInt(num))) != 0 {
		q.Sub(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// RoundToIncrement rounds a to the nearest multiple of increment minor units, halves away from zero,
// as shops round cash (0.05, 0.10, 1.00). An increment of 0 or 1 leaves a unchanged.
func RoundToIncrement(a Amount, increment int64) Amount {
	return roundToIncrement(a, increment, func(q, r int64) int64 {
		if 2*r >= increment {
			return q + 1
		}
		return q
	})
}

// TruncateToIncrement rounds a towards zero to a multiple of increment minor units: the small change is
// dropped (抹零: ¥35.18 → ¥35.10 at 0.10, ¥35.00 at 1.00). An increment of 0 or 1 leaves a unchanged.
func TruncateToIncrement(a Amount, increment int64) Amount {
	return roundToIncrement(a, increment, func(q, _ int64) int64 { return q })
}

// roundToIncrement rounds |a| to a multiple of increment, choosing the multiple from the quotient and
// remainder of |a| / increment, and gives it a's sign back.
func roundToIncrement(a Amount, increment int64, choose func(q, r int64) int64) Amount {
	if increment <= 1 {
		return a
	}
	m := a.minor
	neg := m < 0
	if neg {
		m = -m
	}
	m = choose(m/increment, m%increment) * increment
	if neg {
		m = -m
	}
	return Amount{minor: m, currency: a.currency}
}
