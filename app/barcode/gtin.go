// Package barcode holds the exact rules of the codes a till scans: GTIN check digits for now.
package barcode

import (
	"errors"
	"fmt"
)

// Errors for codes that are not valid GTINs.
var (
	ErrNotDigits  = errors.New("not all digits")
	ErrLength     = errors.New("not 8, 12, 13 or 14 digits long")
	ErrCheckDigit = errors.New("wrong check digit")
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
	for i := range len(code) {
		if code[i] < '0' || code[i] > '9' {
			return fmt.Errorf("%q: %w", code, ErrNotDigits)
		}
	}
	switch len(code) {
	case 8, 12, 13, 14:
	default:
		return fmt.Errorf("%q: %w", code, ErrLength)
	}
	if want := CheckDigit(code[:len(code)-1]); code[len(code)-1] != want {
		return fmt.Errorf("%q: %w (should be %c)", code, ErrCheckDigit, want)
	}
	return nil
}
