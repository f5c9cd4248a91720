// Package barcode holds the exact rules of the codes a till scans: GTIN check digits and normalisation,
// UPC-E expansion, in-store variable-measure codes, GS1 element strings, AIM symbology identifiers and the
// classification of codes that are not products (wallet pay codes, member cards, receipts).
package barcode

import (
	"fmt"
	"strings"
)

// CheckDigit returns the GS1 check digit for data digits (GS1 General Specifications §7.9.1: weights
// 3,1,3,1… from the rightmost data digit). data must be all digits.
func CheckDigit(data string) byte {
	sum := 0
	for i := range len(data) {
		d := int(data[len(data)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// ValidateGTIN checks that code is a GTIN-8, -12 (UPC-A), -13 (EAN-13) or -14 with a correct check digit.
func ValidateGTIN(code string) error {
	if !isDigits(code) {
		return fmt.Errorf("%q: %w", code, ErrNotDigits)
	}
	switch len(code) {
	case 8, 12, 13, 14:
	default:
		return fmt.Errorf("%q: %w", code, ErrLength)
	}
	return checkDigitOf(code)
}

// checkDigitOf verifies the last digit of an all-digit code.
func checkDigitOf(code string) error {
	if want := CheckDigit(code[:len(code)-1]); code[len(code)-1] != want {
		return fmt.Errorf("%q: %w (should be %c)", code, ErrCheckDigit, want)
	}
	return nil
}

// GTIN14 returns a valid GTIN-8, -12, -13 or -14 as the 14-digit form GS1 keys databases by, so one
// product is found whether it was scanned as UPC-A or as the EAN-13 with a leading 0.
func GTIN14(code string) (string, error) {
	if err := ValidateGTIN(code); err != nil {
		return "", err
	}
	return strings.Repeat("0", 14-len(code)) + code, nil
}

// NormalizeGTIN returns the GTIN-14 form of code when it is a valid GTIN, and code unchanged otherwise
// (an internal code, a SKU printed as Code 128). Catalog imports and lookups both go through it.
func NormalizeGTIN(code string) string {
	if g, err := GTIN14(code); err == nil {
		return g
	}
	return code
}

// DisplayGTIN returns a stored GTIN-14 the way it is printed on the pack: an EAN-8 as 8 digits, other
// retail codes as 13 (EAN-13, or a UPC-A with its leading 0), a GTIN-14 that needs all 14 as it is. A code
// that is not a GTIN comes back unchanged. NormalizeGTIN reads every form back to the same GTIN-14.
func DisplayGTIN(code string) string {
	if len(code) != 14 || ValidateGTIN(code) != nil {
		return code
	}
	switch {
	case strings.HasPrefix(code, "000000"):
		return code[6:]
	case code[0] == '0':
		return code[1:]
	}
	return code
}

// ExpandUPCE expands an 8-digit UPC-E (number system 0 or 1, six digits, check digit) to its 12-digit
// UPC-A, checking the check digit, which UPC-E carries over from the UPC-A.
func ExpandUPCE(code string) (string, error) {
	if !isDigits(code) {
		return "", fmt.Errorf("UPC-E %q: %w", code, ErrNotDigits)
	}
	if len(code) != 8 {
		return "", fmt.Errorf("UPC-E %q: %w", code, ErrLength)
	}
	ns, d, check := code[0], code[1:7], code[7]
	if ns != '0' && ns != '1' {
		return "", fmt.Errorf("UPC-E %q: %w", code, ErrNumberSystem)
	}
	upca := upcaData(ns, d) + string(check)
	if err := checkDigitOf(upca); err != nil {
		return "", fmt.Errorf("UPC-E %q: %w", code, ErrCheckDigit)
	}
	return upca, nil
}

// ShortUPCE returns the 12-digit UPC-As that a UPC-E sent without its number system digit, its check
// digit or both (a scanner set to drop them) may stand for, the likelier first, or nil when there are none:
//
//   - 6 digits are the six data digits: number system 0, the check digit computed.
//   - 7 digits are either the data digits and the check digit, number system 0 (a reading only when the
//     check digit verifies, and then the likelier), or a number system 0 or 1 and the data digits, the
//     check digit computed. Both readings can hold, as for 0425261.
//
// Number system 0 is assumed where it was dropped: GS1 US assigns UPC-E only there.
func ShortUPCE(code string) []string {
	if !isDigits(code) {
		return nil
	}
	switch len(code) {
	case 6:
		a := upcaData('0', code)
		return []string{a + string(CheckDigit(a))}
	case 7:
		var out []string
		if a, err := ExpandUPCE("0" + code); err == nil {
			out = append(out, a)
		}
		if ns := code[0]; ns == '0' || ns == '1' {
			a := upcaData(ns, code[1:])
			if a += string(CheckDigit(a)); len(out) == 0 || out[0] != a {
				out = append(out, a)
			}
		}
		return out
	}
	return nil
}

// upcaData returns the first 11 digits of the UPC-A that a UPC-E's number system ns and six data digits
// d stand for: the data digits spread out around zeros as d's last digit says.
func upcaData(ns byte, d string) string {
	var body string // the 10 digits between number system and check digit
	switch last := d[5]; last {
	case '0', '1', '2':
		body = d[0:2] + string(last) + "0000" + d[2:5]
	case '3':
		body = d[0:3] + "00000" + d[3:5]
	case '4':
		body = d[0:4] + "00000" + d[4:5]
	default:
		body = d[0:5] + "0000" + string(last)
	}
	return string(ns) + body
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
