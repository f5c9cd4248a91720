package barcode

import (
	"errors"
	"testing"
)

func TestValidateGTIN(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"4006381333931", nil},  // EAN-13, GS1's own example
		{"5449000000996", nil},  // EAN-13
		{"036000291452", nil},   // UPC-A
		{"96385074", nil},       // EAN-8
		{"10012345678902", nil}, // GTIN-14
		{"4006381333932", ErrCheckDigit},
		{"400638133393", ErrCheckDigit},
		{"40063813339", ErrLength},
		{"", ErrLength},
		{"40063813339a1", ErrNotDigits},
		{"４００６３８１３３３９３１", ErrNotDigits}, // full-width digits from an IME
	}
	for _, tt := range tests {
		if err := ValidateGTIN(tt.code); !errors.Is(err, tt.want) {
			t.Errorf("ValidateGTIN(%q) = %v, want %v", tt.code, err, tt.want)
		}
	}
	if got := CheckDigit("400638133393"); got != '1' {
		t.Errorf("CheckDigit = %c", got)
	}
}

func FuzzValidateGTIN(f *testing.F) {
	for _, s := range []string{"4006381333931", "96385074", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateGTIN(s) == nil && CheckDigit(s[:len(s)-1]) != s[len(s)-1] {
			t.Fatalf("%q accepted with a wrong check digit", s)
		}
	})
}
