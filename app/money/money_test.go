package money

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		cur  Currency
		want int64
		err  error
	}{
		{"12", CNY, 1200, nil},
		{"12.5", CNY, 1250, nil},
		{"12.50", CNY, 1250, nil},
		{" 0.05 ", CNY, 5, nil},
		{"-3.20", CNY, -320, nil},
		{"12.", CNY, 1200, nil},
		{".5", CNY, 50, nil},
		{"000012.00", CNY, 1200, nil},
		{"1250", JPY, 1250, nil},
		{"12.505", CNY, 0, ErrPrecision},
		{"1.5", JPY, 0, ErrPrecision},
		{"", CNY, 0, ErrSyntax},
		{".", CNY, 0, ErrSyntax},
		{"12,50", CNY, 0, ErrSyntax},
		{"1e3", CNY, 0, ErrSyntax},
		{"+5", CNY, 0, ErrSyntax},
		{"¥5", CNY, 0, ErrSyntax},
		{"1.2.3", CNY, 0, ErrSyntax},
		{"99999999999999999999", CNY, 0, ErrOverflow},
		{"10000000000000.01", CNY, 0, ErrOverflow},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.cur)
		if !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && (got.Minor() != tt.want || got.Currency() != tt.cur) {
			t.Errorf("Parse(%q) = %d %s, want %d %s", tt.in, got.Minor(), got.Currency().Code, tt.want, tt.cur.Code)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		a      Amount
		locale string
		want   string
	}{
		{New(1250, CNY), "en", "¥12.50"},
		{New(1250, CNY), "zh-Hans", "¥12.50"},
		{New(5, CNY), "zh_CN", "¥0.05"},
		{New(0, CNY), "en", "¥0.00"},
		{New(-1250, CNY), "en", "-¥12.50"},
		{New(123456789, CNY), "en", "¥1,234,567.89"},
		{New(100000, CNY), "en", "¥1,000.00"},
		{New(123456, EUR), "de", "1.234,56 €"},
		{New(1250, JPY), "en", "¥1,250"},
		{New(1250, USD), "xx", "$12.50"},
	}
	for _, tt := range tests {
		if got := Format(tt.a, tt.locale); got != tt.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tt.a, tt.locale, got, tt.want)
		}
	}
	if got := New(1250, CNY).String(); got != "12.50 CNY" {
		t.Errorf("String() = %q", got)
	}
	if got := New(-7, CNY).Decimal(); got != "-0.07" {
		t.Errorf("Decimal() = %q", got)
	}
}

func TestMulDivRoundsHalfToEven(t *testing.T) {
	tests := []struct {
		x, num, den, want int64
	}{
		{350, 1500, 1000, 525},   // 3.50 × 1.5 pieces
		{699, 1234, 1000, 863},   // 6.99/kg × 1.234 kg = 8.62566 → 8.63
		{125, 1, 2, 62},          // 62.5 → 62 (even)
		{135, 1, 2, 68},          // 67.5 → 68 (even)
		{-125, 1, 2, -62},        // symmetric for negatives
		{-135, 1, 2, -68},        //
		{1, 1, 3, 0},             // 0.333 → 0
		{2, 1, 3, 1},             // 0.667 → 1
		{1130, 1300, 11300, 130}, // tax inside 11.30 at 13% = 1.30 exactly
		{1000, 900, 10900, 83},   // 82.57 → 83
		{math.MaxInt64, 2, 2, math.MaxInt64},
	}
	for _, tt := range tests {
		got, ok := MulDiv(tt.x, tt.num, tt.den)
		if !ok || got != tt.want {
			t.Errorf("MulDiv(%d, %d, %d) = %d, %v; want %d", tt.x, tt.num, tt.den, got, ok, tt.want)
		}
	}
	if _, ok := MulDiv(math.MaxInt64, 2, 1); ok {
		t.Error("MulDiv overflow not reported")
	}
	if _, ok := MulDiv(1, 1, 0); ok {
		t.Error("MulDiv by zero not reported")
	}
}

func TestRoundToIncrement(t *testing.T) {
	tests := []struct {
		minor, inc, want int64
	}{
		{1234, 0, 1234},
		{1234, 1, 1234},
		{1232, 5, 1230},
		{1233, 5, 1235},
		{1237, 5, 1235},
		{1238, 5, 1240},
		{1234, 10, 1230},
		{1235, 10, 1240}, // a half rounds up, as cash does
		{1250, 100, 1300},
		{1249, 100, 1200},
		{-1235, 10, -1240},
		{0, 10, 0},
	}
	for _, tt := range tests {
		if got := RoundToIncrement(New(tt.minor, CNY), tt.inc).Minor(); got != tt.want {
			t.Errorf("RoundToIncrement(%d, %d) = %d, want %d", tt.minor, tt.inc, got, tt.want)
		}
	}
}

func TestTruncateToIncrement(t *testing.T) {
	tests := []struct {
		minor, inc, want int64
	}{
		{3518, 0, 3518},
		{3518, 1, 3518},
		{3518, 10, 3510},  // 抹零 to the jiao
		{3518, 100, 3500}, // to the yuan
		{3599, 100, 3500},
		{3519, 5, 3515},
		{3510, 10, 3510},
		{9, 10, 0},
		{-3518, 10, -3510}, // towards zero
		{0, 100, 0},
	}
	for _, tt := range tests {
		if got := TruncateToIncrement(New(tt.minor, CNY), tt.inc).Minor(); got != tt.want {
			t.Errorf("TruncateToIncrement(%d, %d) = %d, want %d", tt.minor, tt.inc, got, tt.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	a, b := New(1250, CNY), New(300, CNY)
	if got := a.Add(b).Minor(); got != 1550 {
		t.Errorf("Add = %d", got)
	}
	if got := a.Sub(b).Minor(); got != 950 {
		t.Errorf("Sub = %d", got)
	}
	if a.Cmp(b) != 1 || b.Cmp(a) != -1 || a.Cmp(a) != 0 {
		t.Error("Cmp wrong")
	}
	if got := Zero(CNY).Add(a); got != a {
		t.Errorf("Zero+a = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("adding CNY to USD did not panic")
		}
	}()
	a.Add(New(1, USD))
}

// Each currency the till knows carries its ISO 4217 numeric code, which GS1 prices (AI 393n) and EMVCo
// QR codes (field 53) name currencies by.
func TestNumericCodes(t *testing.T) {
	for code, want := range map[string]string{"CNY": "156", "USD": "840", "EUR": "978", "GBP": "826", "HKD": "344", "JPY": "392"} {
		if c, err := Lookup(code); err != nil || c.Numeric != want {
			t.Errorf("Lookup(%s) = %+v, %v; want numeric %s", code, c, err, want)
		}
	}
	if len(byCode) != 6 {
		t.Errorf("%d currencies: give the new ones their numeric codes here", len(byCode))
	}
}

func TestLookup(t *testing.T) {
	if c, err := Lookup("cny"); err != nil || c != CNY {
		t.Errorf("Lookup(cny) = %v, %v", c, err)
	}
	if _, err := Lookup("XXX"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("Lookup(XXX) error = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"12", "12.50", "-0.05", ".", "1e3", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, CNY)
		if err != nil {
			return
		}
		// What parses must print back to a value that parses to the same amount.
		b, err := Parse(a.Decimal(), CNY)
		if err != nil || b != a {
			t.Fatalf("round trip %q → %q → %v, %v", s, a.Decimal(), b, err)
		}
	})
}

func TestParseAndFormatFixed(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   int64
		out    string // FormatFixed(want, places)
		err    error
	}{
		{"0.455", 3, 455, "0.455", nil},
		{"2", 3, 2000, "2.000", nil},
		{"8.25", 2, 825, "8.25", nil},
		{"-1.5", 2, -150, "-1.50", nil},
		{"1250", 0, 1250, "1250", nil},
		{"0.0005", 3, 0, "", ErrPrecision},
		{"1,5", 2, 0, "", ErrSyntax},
		{"9999999999999999999", 0, 0, "", ErrOverflow},
	}
	for _, tt := range tests {
		got, err := ParseFixed(tt.in, tt.places)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("ParseFixed(%q, %d) = %d, %v; want %d, %v", tt.in, tt.places, got, err, tt.want, tt.err)
		}
		if err == nil && FormatFixed(got, tt.places) != tt.out {
			t.Errorf("FormatFixed(%d, %d) = %q, want %q", got, tt.places, FormatFixed(got, tt.places), tt.out)
		}
	}
	if got := FormatFixed(math.MinInt64, 2); got != "-92233720368547758.08" {
		t.Errorf("FormatFixed(MinInt64) = %q", got)
	}
	if CNY.MinorPerMajor() != 100 || JPY.MinorPerMajor() != 1 {
		t.Error("MinorPerMajor wrong")
	}
}

func TestMulDivFloor(t *testing.T) {
	for _, tt := range []struct{ x, num, den, want int64 }{
		{1999, 1, 100, 19}, {2000, 1, 100, 20}, {-1, 1, 2, -1}, {-7, 1, 2, -4}, {7, 1, -2, -4}, {-8, 1, 2, -4},
		{math.MaxInt64, 3, 3, math.MaxInt64}, // the product overflows int64; the result does not
	} {
		if got, ok := MulDivFloor(tt.x, tt.num, tt.den); !ok || got != tt.want {
			t.Errorf("MulDivFloor(%d, %d, %d) = %d, %v; want %d", tt.x, tt.num, tt.den, got, ok, tt.want)
		}
	}
	if _, ok := MulDivFloor(1, 1, 0); ok {
		t.Error("division by zero")
	}
	if _, ok := MulDivFloor(math.MaxInt64, 2, 1); ok {
		t.Error("an overflowing result")
	}
}
