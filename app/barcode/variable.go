package barcode

import (
	"fmt"
	"strings"
)

// Layout describes one in-store variable-measure code (GS1 restricted circulation numbers, prefixes 20–29
// and UPC number system 2), whose structure each store or country sets for itself (GenSpecs §7.9.2–7.9.4).
//
// Pattern has one letter per digit of the whole code, EAN-13 or UPC-A in its 13-digit form (leading 0),
// or longer for scales that print Code 128:
//
//	P  a digit of Prefix           I  item reference
//	W  weight in grams             M  price in the currency's minor units
//	N  count of pieces             V  price/weight check digit over the 4- or 5-digit M (or W) field
//	C  GS1 check digit of the code 0  ignored
//
// The catalog keeps such a product under its template code: the prefix, the item reference, zeros for the
// rest and a check digit, as an EAN-13 (see TemplateGTIN).
type Layout struct {
	Prefix  string
	Pattern string
}

// DefaultLayouts are presets for a Chinese shop and common scale defaults; a store configures its own.
func DefaultLayouts() []Layout {
	return []Layout{
		{"20", "PPIIIIIWWWWWC"},      // item + weight in grams (the demo's produce)
		{"21", "PPIIIIIWWWWWC"},      // item + weight in grams
		{"22", "PPIIIIIMMMMMC"},      // item + price in fen
		{"23", "PPIIIIVMMMMMC"},      // item + price with a 5-digit price check digit
		{"24", "PPIIIIIVMMMMC"},      // item + price with a 4-digit price check digit
		{"26", "PPIIIIIMMMMMWWWWWC"}, // 18-digit Code 128 scale label: item, amount, weight
		{"02", "PPIIIIIVMMMMC"},      // UPC-A number system 2 (US): item + price with check digit
	}
}

// Validate reports whether the layout can be parsed unambiguously.
func (l Layout) Validate() error {
	p := l.Pattern
	bad := func(why string) error { return fmt.Errorf("%w: %s %s: %s", ErrLayout, l.Prefix, p, why) }
	switch {
	case len(p) < 13 || len(p) > 20:
		return bad("13 to 20 digits")
	case !isDigits(l.Prefix) || len(l.Prefix) == 0 || len(l.Prefix) > 3:
		return bad("prefix must be 1 to 3 digits")
	case strings.Count(p, "P") != len(l.Prefix) || !strings.HasPrefix(p, strings.Repeat("P", len(l.Prefix))):
		return bad("the pattern must start with one P per prefix digit")
	case strings.Count(p, "C") != 1 || p[len(p)-1] != 'C':
		return bad("one C, at the end")
	case strings.Trim(p, "PIWMNVC0") != "":
		return bad("letters are P I W M N V C 0")
	}
	items, _ := field(p, 'I')
	if items == 0 || len(l.Prefix)+items > 12 {
		return bad("the item reference needs 1 to 12 digits with the prefix")
	}
	for _, f := range []byte("IWMNV") {
		if n, contiguous := field(p, f); !contiguous {
			return bad(fmt.Sprintf("the %c digits must be together", f))
		} else if f != 'I' && n > 12 {
			return bad(fmt.Sprintf("at most 12 %c digits", f))
		}
	}
	if v, _ := field(p, 'V'); v > 0 {
		if n := len(checkedField(p)); v != 1 || (n != 4 && n != 5) {
			return bad("V checks a 4- or 5-digit M or W field")
		}
	}
	return nil
}

// field counts the letter f in the pattern and reports whether those letters are contiguous.
func field(pattern string, f byte) (n int, contiguous bool) {
	first, last := strings.IndexByte(pattern, f), strings.LastIndexByte(pattern, f)
	if first < 0 {
		return 0, true
	}
	n = strings.Count(pattern, string(f))
	return n, last-first+1 == n
}

// checkedField returns the letters of the field a V digit checks: the price, or else the weight.
func checkedField(pattern string) string {
	if n, _ := field(pattern, 'M'); n > 0 {
		return strings.Repeat("M", n)
	}
	n, _ := field(pattern, 'W')
	return strings.Repeat("W", n)
}

// digitsOf returns the digits of code under the pattern letter f.
func digitsOf(code, pattern string, f byte) string {
	first := strings.IndexByte(pattern, f)
	if first < 0 {
		return ""
	}
	return code[first : first+strings.Count(pattern, string(f))]
}

// parse reads a variable-measure code that matches the layout's length and prefix.
func (l Layout) parse(code string) (Code, error) {
	if err := checkDigitOf(code); err != nil {
		return Code{}, err
	}
	c := Code{Kind: Variable, Item: digitsOf(code, l.Pattern, 'I')}
	template := l.Prefix + c.Item
	template += strings.Repeat("0", 12-len(template))
	c.GTIN = "0" + template + string(CheckDigit(template))
	if w := digitsOf(code, l.Pattern, 'W'); w != "" {
		c.Grams, c.HasWeight = atoi(w), true
	}
	if m := digitsOf(code, l.Pattern, 'M'); m != "" {
		c.Price, c.HasPrice = atoi(m), true
	}
	if n := digitsOf(code, l.Pattern, 'N'); n != "" {
		c.Count = atoi(n)
	}
	if v := digitsOf(code, l.Pattern, 'V'); v != "" {
		checked := digitsOf(code, l.Pattern, checkedField(l.Pattern)[0])
		if want := PriceCheckDigit(checked); v[0] != want {
			return Code{}, fmt.Errorf("%q: %w (should be %c)", code, ErrPriceCheck, want)
		}
	}
	return c, nil
}

// Weighting-factor results of GS1 §7.9.3: the units digit of d×2, d×3 and d×5, with the tens digit
// added (+) or subtracted (−).
var (
	weight2Minus = [10]int{0, 2, 4, 6, 8, 9, 1, 3, 5, 7}
	weight3      = [10]int{0, 3, 6, 9, 2, 5, 8, 1, 4, 7}
	weight5Plus  = [10]int{0, 5, 1, 6, 2, 7, 3, 8, 4, 9}
	weight5Minus = [10]int{0, 5, 9, 4, 8, 3, 7, 2, 6, 1}
)

// PriceCheckDigit returns the GS1 price/weight check digit of a 4- or 5-digit field (GenSpecs §7.9.3),
// or 0 for any other input.
func PriceCheckDigit(field string) byte {
	if !isDigits(field) {
		return 0
	}
	d := func(i int) int { return int(field[i] - '0') }
	switch len(field) {
	case 4:
		sum := weight2Minus[d(0)] + weight2Minus[d(1)] + weight3[d(2)] + weight5Minus[d(3)]
		return byte('0' + sum*3%10)
	case 5:
		sum := weight5Plus[d(0)] + weight2Minus[d(1)] + weight5Minus[d(2)] + weight5Plus[d(3)] + weight2Minus[d(4)]
		want := (10 - sum%10) % 10
		for c, r := range weight5Minus {
			if r == want {
				return byte('0' + c)
			}
		}
	}
	return 0
}

// atoi reads at most 18 digits; callers have checked they are digits.
func atoi(s string) int64 {
	var n int64
	for i := range len(s) {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}
