package barcode

import (
	"fmt"
	"strings"
	"time"
)

// GS is the ASCII group separator scanners send for FNC1 between variable-length GS1 elements.
const GS = "\x1d"

// aiSpec is how one GS1 application identifier's value is written.
type aiSpec struct {
	fixed   int  // the value's exact length, or 0 when variable and ended by GS or end of data
	max     int  // the longest variable value
	numeric bool // digits only
}

// aiSpecs lists the application identifiers a till meets on goods (GenSpecs §3.2). Identifiers whose
// last digit is a decimal-point position (310n, 392n, …) are listed by their first three digits.
var aiSpecs = map[string]aiSpec{
	"00": {fixed: 18, numeric: true}, "01": {fixed: 14, numeric: true}, "02": {fixed: 14, numeric: true},
	"10": {max: 20}, "11": {fixed: 6, numeric: true}, "12": {fixed: 6, numeric: true},
	"13": {fixed: 6, numeric: true}, "15": {fixed: 6, numeric: true}, "16": {fixed: 6, numeric: true},
	"17": {fixed: 6, numeric: true}, "20": {fixed: 2, numeric: true}, "21": {max: 20}, "22": {max: 20},
	"30": {max: 8, numeric: true}, "37": {max: 8, numeric: true},
	"240": {max: 30}, "241": {max: 30}, "250": {max: 30}, "251": {max: 30}, "400": {max: 30},
	"410": {fixed: 13, numeric: true}, "414": {fixed: 13, numeric: true}, "422": {fixed: 3, numeric: true},
	"310": {fixed: 6, numeric: true}, "320": {fixed: 6, numeric: true}, "330": {fixed: 6, numeric: true},
	"390": {max: 15, numeric: true}, "392": {max: 15, numeric: true},
	"391": {max: 18, numeric: true}, "393": {max: 18, numeric: true},
	"7003": {fixed: 10, numeric: true}, "8008": {max: 12, numeric: true}, "8020": {max: 25},
	"90": {max: 30}, "91": {max: 90}, "92": {max: 90}, "93": {max: 90}, "94": {max: 90}, "95": {max: 90},
	"96": {max: 90}, "97": {max: 90}, "98": {max: 90}, "99": {max: 90},
}

// Element is one application identifier and its value.
type Element struct {
	AI    string
	Value string
}

// ParseElements splits a GS1 element string into its elements: raw form with GS separators (a leading GS
// for FNC1 in first position is allowed) or the human-readable form with the identifiers in parentheses.
func ParseElements(data string) ([]Element, error) {
	if strings.HasPrefix(data, "(") {
		return parseBracketed(data)
	}
	data = strings.TrimPrefix(data, GS)
	var out []Element
	for data != "" {
		ai, spec, err := lookupAI(data)
		if err != nil {
			return nil, err
		}
		rest := data[len(ai):]
		var value string
		if spec.fixed > 0 {
			if len(rest) < spec.fixed {
				return nil, fmt.Errorf("%w: AI %s needs %d characters, has %d", ErrAIValue, ai, spec.fixed, len(rest))
			}
			value, rest = rest[:spec.fixed], rest[spec.fixed:]
		} else {
			value, rest, _ = strings.Cut(rest, GS)
		}
		// Some encoders put a separator after fixed-length values too.
		data = strings.TrimPrefix(rest, GS)
		if err := checkValue(ai, spec, value); err != nil {
			return nil, err
		}
		out = append(out, Element{ai, value})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no elements", ErrAIValue)
	}
	return out, nil
}

func parseBracketed(data string) ([]Element, error) {
	var out []Element
	for data != "" {
		if data[0] != '(' {
			return nil, fmt.Errorf("%w: expected '(' at %q", ErrAIValue, data)
		}
		ai, rest, ok := strings.Cut(data[1:], ")")
		if !ok {
			return nil, fmt.Errorf("%w: unclosed '('", ErrAIValue)
		}
		found, spec, err := lookupAI(ai)
		if err != nil {
			return nil, err
		}
		if found != ai {
			return nil, fmt.Errorf("%w: (%s)", ErrUnknownAI, ai)
		}
		value := rest
		if i := strings.IndexByte(rest, '('); i >= 0 {
			value, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		if spec.fixed > 0 && len(value) != spec.fixed {
			return nil, fmt.Errorf("%w: AI %s needs %d characters, has %d", ErrAIValue, ai, spec.fixed, len(value))
		}
		if err := checkValue(ai, spec, value); err != nil {
			return nil, err
		}
		out = append(out, Element{ai, value})
		data = rest
	}
	return out, nil
}

// lookupAI finds the application identifier data starts with: 2, 3 or 4 digits, the 4-digit decimal
// ones (310n, 392n) listed by their first three.
func lookupAI(data string) (string, aiSpec, error) {
	head := data[:min(len(data), 4)]
	if len(head) == 4 && isDigits(head) && head[:2] >= "31" && head[:2] <= "39" && head[:2] != "37" {
		// Measures and amounts: three digits name the quantity, the fourth places the decimal point.
		if spec, ok := aiSpecs[head[:3]]; ok {
			return head, spec, nil
		}
		return "", aiSpec{}, fmt.Errorf("%w: %q", ErrUnknownAI, head)
	}
	for n := 2; n <= len(head) && isDigits(head[:n]); n++ {
		if spec, ok := aiSpecs[head[:n]]; ok {
			return head[:n], spec, nil
		}
	}
	return "", aiSpec{}, fmt.Errorf("%w: %q", ErrUnknownAI, head)
}

func checkValue(ai string, spec aiSpec, value string) error {
	switch {
	case value == "":
		return fmt.Errorf("%w: AI %s is empty", ErrAIValue, ai)
	case spec.max > 0 && len(value) > spec.max:
		return fmt.Errorf("%w: AI %s is longer than %d", ErrAIValue, ai, spec.max)
	case spec.numeric && !isDigits(value):
		return fmt.Errorf("%w: AI %s must be digits", ErrAIValue, ai)
	}
	for i := range len(value) {
		if value[i] < 0x21 || value[i] > 0x7e {
			return fmt.Errorf("%w: AI %s has a character outside GS1's set", ErrAIValue, ai)
		}
	}
	switch {
	case ai == "01" || ai == "02":
		if err := checkDigitOf(value); err != nil {
			return fmt.Errorf("AI %s: %w", ai, err)
		}
	case len(ai) == 2 && spec.fixed == 6 && ai[0] == '1':
		if _, err := dateOf(value, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return fmt.Errorf("%w: AI %s %v", ErrAIValue, ai, err)
		}
	case len(ai) == 4 && ai[:3] == "310" && ai[3] > '5':
		return fmt.Errorf("%w: AI %s: at most 5 decimals", ErrAIValue, ai)
	}
	return nil
}

// dateOf reads a GS1 date YYMMDD. Day 00 means the month's last day; the century is the one that puts
// the year within 49 years back and 50 ahead of now's (GenSpecs §7.12).
func dateOf(yymmdd string, now time.Time) (time.Time, error) {
	yy, mm, dd := int(atoi(yymmdd[0:2])), int(atoi(yymmdd[2:4])), int(atoi(yymmdd[4:6]))
	if mm < 1 || mm > 12 {
		return time.Time{}, fmt.Errorf("month %02d", mm)
	}
	year := now.Year() - now.Year()%100 + yy
	switch diff := yy - now.Year()%100; {
	case diff >= 51:
		year -= 100
	case diff <= -50:
		year += 100
	}
	last := time.Date(year, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if dd == 0 {
		dd = last
	}
	if dd > last {
		return time.Time{}, fmt.Errorf("day %02d of month %02d", dd, mm)
	}
	return time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), nil
}

// parseGS1 reads an element string into a code, prices in the minor units of r's currency. It must
// identify a trade item (AI 01).
func parseGS1(data string, r Rules) (Code, error) {
	elems, err := ParseElements(data)
	if err != nil {
		return Code{}, err
	}
	c := Code{Kind: Trade, Elements: elems}
	for _, e := range elems {
		switch ai := e.AI; {
		case ai == "01":
			c.GTIN = e.Value
		case ai == "10":
			c.Batch = e.Value
		case ai == "21":
			c.Serial = e.Value
		case ai == "17":
			c.Expiry = e.Value
		case ai == "30" || ai == "37":
			c.Count = atoi(e.Value)
		case len(ai) == 4 && ai[:3] == "310":
			c.Grams, c.HasWeight = scale(atoi(e.Value), 3-int(ai[3]-'0')), true
		case len(ai) == 4 && (ai[:3] == "392" || ai[:3] == "393"):
			// 392n: the amount payable with n decimals, in the shop's currency by GS1's rules for
			// restricted distribution. 393n: the ISO 4217 numeric currency (3 digits) and then the amount,
			// read only in the shop's currency: charging 14.99 US dollars as yuan would be wrong either way.
			amount := e.Value
			if ai[:3] == "393" {
				if len(amount) < 4 {
					return Code{}, fmt.Errorf("%w: AI %s needs a currency and an amount", ErrAIValue, ai)
				}
				if amount[:3] != r.Currency {
					return Code{}, fmt.Errorf("%w: AI %s is in currency %s, the shop's is %s", ErrCurrency, ai, amount[:3], currencyName(r.Currency))
				}
				amount = amount[3:]
			}
			price, err := priceOf(ai, amount, r.Exponent)
			if err != nil {
				return Code{}, err
			}
			if c.HasPrice && c.Price != price {
				return Code{}, fmt.Errorf("%w: AI %s says %d, another price element %d", ErrAIValue, ai, price, c.Price)
			}
			c.Price, c.HasPrice = price, true
		}
	}
	if c.GTIN == "" {
		return Code{}, ErrNoGTIN
	}
	return c, nil
}

// priceOf reads the amount of price element ai (392n, 393n after its currency), n decimals, in minor
// units of a currency with exponent digits: it must not be finer than the currency's minor unit.
func priceOf(ai, amount string, exponent int) (int64, error) {
	decimals := int(ai[3] - '0')
	if len(amount) > 15 {
		return 0, fmt.Errorf("%w: AI %s too long", ErrAIValue, ai)
	}
	price := scale(atoi(amount), exponent-decimals)
	if decimals > exponent && scale(price, decimals-exponent) != atoi(amount) {
		return 0, fmt.Errorf("%w: AI %s has more decimals than the currency", ErrAIValue, ai)
	}
	return price, nil
}

// currencyName is a currency's numeric code for an error message, or a word when the till has none.
func currencyName(numeric string) string {
	if numeric == "" {
		return "not set"
	}
	return numeric
}

// scale multiplies v by 10^shift, or divides it rounding half to even when shift is negative.
func scale(v int64, shift int) int64 {
	for ; shift > 0; shift-- {
		v *= 10
	}
	if shift == 0 {
		return v
	}
	div := int64(1)
	for ; shift < 0; shift++ {
		div *= 10
	}
	q, r := v/div, v%div
	if 2*r > div || (2*r == div && q%2 == 1) {
		q++
	}
	return q
}
