package barcode

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// withCheck appends the GS1 check digit to data, for building codes in tables.
func withCheck(data string) string { return data + string(CheckDigit(data)) }

// Reused as fuzz seeds.
var parseCases = []struct {
	name string
	raw  string
	want Code  // fields compared: Kind, GTIN, AltGTIN, Grams, HasWeight, Price, HasPrice, Batch, Serial, Expiry, Wallet, Symbology
	err  error // the sentinel a refusal wraps
}{
	{"EAN-13", "5449000000996", Code{Kind: Trade, GTIN: "05449000000996"}, nil},
	{"EAN-13 spaces", "  5449000000996\t", Code{Kind: Trade, GTIN: "05449000000996"}, nil},
	{"UPC-A", "036000291452", Code{Kind: Trade, GTIN: "00036000291452"}, nil},
	{"UPC-A as EAN-13", "0036000291452", Code{Kind: Trade, GTIN: "00036000291452"}, nil},
	{"ITF-14 case", "10012345678902", Code{Kind: Trade, GTIN: "10012345678902"}, nil},
	{"EAN-8 not UPC-E", "96385074", Code{Kind: Trade, GTIN: "00000096385074"}, nil},
	{"UPC-E", "04252614", Code{Kind: Trade, GTIN: "00042100005264"}, nil},
	{"AIM EAN-13", "]E05449000000996", Code{Kind: Trade, GTIN: "05449000000996", Symbology: EAN13}, nil},
	{"AIM EAN-8", "]E496385074", Code{Kind: Trade, GTIN: "00000096385074", Symbology: EAN8}, nil},
	{"AIM EAN-13 add-on", "]E3" + withCheck("977123456700") + "12", Code{Kind: Trade, GTIN: "0" + withCheck("977123456700"), Symbology: EANAddOn}, nil},
	{"bad check", "5449000000997", Code{}, ErrCheckDigit},
	{"bad UPC-A check", "036000291453", Code{}, ErrCheckDigit},
	{"bad 8 digits", "96385075", Code{}, ErrCheckDigit},
	{"UPC-E system 2", "24252615", Code{}, ErrCheckDigit},
	{"AIM EAN with letters", "]E0ABC", Code{}, ErrNotDigits},
	{"AIM EAN-13 too short", "]E012345", Code{}, ErrLength},
	{"empty", "   ", Code{}, ErrEmpty},
	{"AIM only", "]C0", Code{}, ErrEmpty},
	{"control byte", "54490\x0700996", Code{}, ErrNotText},
	{"full-width digits", "５４４９０００００００９９６", Code{}, ErrNotText},
	{"invalid UTF-8", "\xff\xfe", Code{}, ErrNotText},
	{"too long", string(make([]byte, 300)), Code{}, ErrLength},

	// In-store labels under DefaultLayouts.
	{"weighed banana", withCheck("200010101234"), Code{Kind: Variable, GTIN: "02000101000006", Grams: 1234, HasWeight: true}, nil},
	{"weighed template", "2000101000006", Code{Kind: Variable, GTIN: "02000101000006", HasWeight: true}, nil},
	{"priced", withCheck("220012300599"), Code{Kind: Variable, GTIN: withCheck("0220012300000"), Price: 599, HasPrice: true}, nil},
	{"priced 4-digit check", withCheck("241234592875"), Code{Kind: Variable, GTIN: withCheck("0241234500000"), Price: 2875, HasPrice: true}, nil},
	{"priced 4-digit bad check", withCheck("241234512875"), Code{}, ErrPriceCheck},
	{"priced 5-digit check", withCheck("231234614685"), Code{Kind: Variable, GTIN: withCheck("0231234000000"), Price: 14685, HasPrice: true}, nil},
	{"UPC-A number system 2", withCheck("21234592875"), Code{Kind: Variable, GTIN: withCheck("0021234500000"), Price: 2875, HasPrice: true}, nil},
	{"15 digits", withCheck("26001010139602"), Code{}, nil}, // no layout, no wallet: an internal code
	// An 18-digit 26… label with a good check digit is also an Alipay pay code's shape: Wallet says so,
	// and the till decides by context (app.Classifier).
	{"scale 18 digits", withCheck("26001010139602000"), Code{Kind: Variable, GTIN: withCheck("0260010100000"), Price: 1396, HasPrice: true, Grams: 2000, HasWeight: true, Wallet: "alipay"}, nil},
	{"unassigned prefix", withCheck("250012300599"), Code{Kind: Trade, GTIN: "0" + withCheck("250012300599")}, nil},

	// GS1 element strings.
	{"GS1-128", "]C10109501101530003172512311" + "0ABC123\x1d21XYZ",
		Code{Kind: Trade, GTIN: "09501101530003", Expiry: "251231", Batch: "ABC123", Serial: "XYZ", Symbology: GS1128}, nil},
	{"GS1 leading FNC1", "\x1d0109501101530003" + "3103001250", Code{Kind: Trade, GTIN: "09501101530003", Grams: 1250, HasWeight: true}, nil},
	{"GS1 brackets", "(01)09501101530003(3102)000125(3922)1299", Code{Kind: Trade, GTIN: "09501101530003", Grams: 1250, HasWeight: true, Price: 1299, HasPrice: true}, nil},
	{"GS1 sub-gram weight", "(01)09501101530003(3105)001235", Code{Kind: Trade, GTIN: "09501101530003", Grams: 12, HasWeight: true}, nil},
	{"GS1 price in yuan", "(01)09501101530003(3920)12", Code{Kind: Trade, GTIN: "09501101530003", Price: 1200, HasPrice: true}, nil},
	{"GS1 price to the tenth of a fen", "(01)09501101530003(3923)12340", Code{Kind: Trade, GTIN: "09501101530003", Price: 1234, HasPrice: true}, nil},
	{"GS1 price finer than fen", "(01)09501101530003(3923)12345", Code{}, ErrAIValue},
	// AI 393n: ISO 4217 numeric currency, then the price with n decimals; only the shop's currency (156).
	{"GS1 price in CNY", "(01)09501101530003(3932)1561499", Code{Kind: Trade, GTIN: "09501101530003", Price: 1499, HasPrice: true}, nil},
	{"GS1 price in CNY, whole yuan", "(01)09501101530003(3930)15612", Code{Kind: Trade, GTIN: "09501101530003", Price: 1200, HasPrice: true}, nil},
	{"GS1 price in CNY, tenth of a fen", "(01)09501101530003(3933)15612340", Code{Kind: Trade, GTIN: "09501101530003", Price: 1234, HasPrice: true}, nil},
	{"GS1 price in CNY, raw", "]C10109501101530003" + "3932" + "1561499", Code{Kind: Trade, GTIN: "09501101530003", Price: 1499, HasPrice: true, Symbology: GS1128}, nil},
	{"GS1 weight and CNY price", "\x1d0109501101530003" + "3103001250" + "3932" + "1560999", Code{Kind: Trade, GTIN: "09501101530003", Grams: 1250, HasWeight: true, Price: 999, HasPrice: true}, nil},
	{"GS1 CNY price then batch", "]C10109501101530003" + "3932" + "1561499\x1d10L7", Code{Kind: Trade, GTIN: "09501101530003", Price: 1499, HasPrice: true, Batch: "L7", Symbology: GS1128}, nil},
	{"GS1 392n and 393n agree", "(01)09501101530003(3922)1499(3932)1561499", Code{Kind: Trade, GTIN: "09501101530003", Price: 1499, HasPrice: true}, nil},
	{"GS1 392n and 393n differ", "(01)09501101530003(3922)1499(3932)1561500", Code{}, ErrAIValue},
	{"GS1 price in USD", "(01)09501101530003(3932)8401499", Code{}, ErrCurrency},
	{"GS1 price in EUR, raw", "]C10109501101530003" + "3932" + "9781499", Code{}, ErrCurrency},
	{"GS1 price in CNY finer than fen", "(01)09501101530003(3933)15612345", Code{}, ErrAIValue},
	{"GS1 price with a currency, no amount", "(01)09501101530003(3932)156", Code{}, ErrAIValue},
	{"GS1 price with half a currency", "(01)09501101530003(3932)15", Code{}, ErrAIValue},
	{"DataBar", "]e00109501101530003", Code{Kind: Trade, GTIN: "09501101530003", Symbology: DataBar}, nil},
	{"DataBar without AIM", "0109501101530003" + "17261231", Code{Kind: Trade, GTIN: "09501101530003", Expiry: "261231"}, nil},
	{"GS1 DataMatrix", "]d2010950110153000317260101\x1d10L1", Code{Kind: Trade, GTIN: "09501101530003", Expiry: "260101", Batch: "L1", Symbology: GS1Matrix}, nil},
	{"GS1 QR", "]Q3(01)09501101530003", Code{Kind: Trade, GTIN: "09501101530003", Symbology: GS1QR}, nil},
	{"GS1 bad GTIN", "]C10109501101530004", Code{}, ErrCheckDigit},
	{"GS1 no GTIN", "]C110ABC", Code{}, ErrNoGTIN},
	{"GS1 unknown AI", "]C10109501101530003\x1d8999", Code{}, ErrUnknownAI},
	{"GS1 bad date", "(01)09501101530003(17)251301", Code{}, ErrAIValue},
	{"GS1 bad day", "(01)09501101530003(17)250230", Code{}, ErrAIValue},
	{"GS1 short GTIN", "]C1010950110153", Code{}, ErrAIValue},
	{"GS1 empty batch", "]C10109501101530003" + "10\x1d21X", Code{}, ErrAIValue},
	{"GS1 weight decimals", "(01)09501101530003(3106)000001", Code{}, ErrAIValue},
	{"GS1 unclosed", "(01)09501101530003(17", Code{}, ErrAIValue},

	// Not products.
	{"WeChat pay code", "134567890123456789", Code{Kind: PayCode, Wallet: "wechat"}, nil},
	{"Alipay pay code", "2812345678901234", Code{Kind: PayCode, Wallet: "alipay"}, nil},
	{"Alipay 18 digits like a scale label", "261234567890123455", Code{Kind: PayCode, Wallet: "alipay"}, nil},
	{"UnionPay pay code", "6212345678901234567", Code{Kind: PayCode, Wallet: "unionpay"}, nil},
	{"member card", "M00012345", Code{Kind: Member}, nil},
	{"receipt", "T01-000123", Code{Kind: Receipt}, nil},
	{"internal Code 128", "]C0PRO-001", Code{Kind: Internal, Symbology: Code128}, nil},
	{"typed PLU", "4011", Code{Kind: Internal}, nil},
	{"unknown AIM", "]X9hello", Code{Kind: Internal, Symbology: OtherSymbol}, nil},
}

func TestParse(t *testing.T) {
	rules := DefaultRules()
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Parse(tt.raw)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Parse(%q) error = %v, want %v", tt.raw, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.raw, err)
			}
			if tt.want.Kind == 0 {
				tt.want.Kind = Internal
			}
			got.Data, got.Item, got.Elements, got.Count = "", "", nil, 0
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.raw, got, tt.want)
			}
		})
	}
}

// An 8-digit code that is valid both ways is looked up as UPC-E first, then as EAN-8.
func TestParseAmbiguousEight(t *testing.T) {
	for n := 0; n < 10_000_000; n += 7919 {
		d := withCheck(string(rune('0'+n%2)) + pad6(n))
		upca, err := ExpandUPCE(d)
		if err != nil || ValidateGTIN(d) != nil {
			continue
		}
		c, err := DefaultRules().Parse(d)
		if err != nil || c.GTIN != "00"+upca || c.AltGTIN != "000000"+d {
			t.Fatalf("Parse(%q) = %+v, %v", d, c, err)
		}
		return
	}
	t.Fatal("no 8-digit code valid both as UPC-E and EAN-8 found")
}

func pad6(n int) string {
	s := "000000" + itoa(n%1_000_000)
	return s[len(s)-6:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// A UPC-E sent as 6 or 7 digits (the scanner set to drop the number system digit, the check digit or
// both) carries the UPC-As it may stand for, tried after the code as typed; with the EAN/UPC AIM
// identifier it can be nothing else and is a trade item.
var shortUPCECases = []struct {
	name string
	raw  string
	want Code
	err  error
}{
	// 04252614 is UPC-A 042100005264 (the textbook example).
	{"no number system", "4252614", Code{Kind: Internal, UPCE: []string{"00042100005264"}}, nil},
	{"no number system or check digit", "425261", Code{Kind: Internal, UPCE: []string{"00042100005264"}}, nil},
	// Seven digits starting 0 or 1 may be either; the reading whose check digit verifies comes first.
	{"no check digit, ambiguous", "0425261", Code{Kind: Internal, UPCE: []string{"00004252000061", "00042100005264"}}, nil},
	{"no check digit, number system 1", "1234565", Code{Kind: Internal, UPCE: []string{"00012345000065", "00123456000056"}}, nil},
	{"seven digits that are no UPC-E", "9999999", Code{Kind: Internal}, nil},
	{"six zeros", "000000", Code{Kind: Internal, UPCE: []string{"00000000000000"}}, nil},
	{"seven zeros, one reading", "0000000", Code{Kind: Internal, UPCE: []string{"00000000000000"}}, nil},
	{"typed PLU stays as it is", "4011", Code{Kind: Internal}, nil},
	{"five digits", "42526", Code{Kind: Internal}, nil},
	{"Code 128 of seven digits", "]C04252614", Code{Kind: Internal, Symbology: Code128}, nil},
	{"AIM UPC-E without number system", "]E04252614", Code{Kind: Trade, GTIN: "00042100005264", Symbology: EAN13}, nil},
	{"AIM UPC-E without check digit", "]E00425261", Code{Kind: Trade, GTIN: "00004252000061", AltGTIN: "00042100005264", Symbology: EAN13}, nil},
	{"AIM UPC-E six digits", "]E0425261", Code{Kind: Trade, GTIN: "00042100005264", Symbology: EAN13}, nil},
	{"AIM seven digits that are no UPC-E", "]E09999999", Code{}, ErrLength},
}

// A price with a currency (AI 393n) is read only when the till knows its currency's numeric code, and
// the error names both currencies.
func TestParseGS1PriceCurrency(t *testing.T) {
	const label = "(01)09501101530003(3932)8401499"
	if _, err := (Rules{Exponent: 2}).Parse("(01)09501101530003(3932)1561499"); !errors.Is(err, ErrCurrency) {
		t.Errorf("without the shop's currency: %v", err)
	}
	_, err := DefaultRules().Parse(label)
	if !errors.Is(err, ErrCurrency) || !strings.Contains(err.Error(), "840") || !strings.Contains(err.Error(), "156") {
		t.Errorf("Parse(%q) = %v, want ErrCurrency naming 840 and 156", label, err)
	}
	usd := DefaultRules()
	usd.Currency = "840"
	if c, err := usd.Parse(label); err != nil || c.Price != 1499 || !c.HasPrice {
		t.Errorf("a USD till: %+v, %v", c, err)
	}
	jpy := Rules{Exponent: 0, Currency: "392"}
	if c, err := jpy.Parse("(01)09501101530003(3930)392480"); err != nil || c.Price != 480 {
		t.Errorf("a JPY till: %+v, %v", c, err)
	}
	if _, err := jpy.Parse("(01)09501101530003(3932)39248050"); !errors.Is(err, ErrAIValue) {
		t.Errorf("sen on a JPY till: %v", err)
	}
}

func TestParseShortUPCE(t *testing.T) {
	rules := DefaultRules()
	for _, tt := range shortUPCECases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Parse(tt.raw)
			if tt.err != nil || err != nil {
				if !errors.Is(err, tt.err) || tt.err == nil {
					t.Fatalf("Parse(%q) error = %v, want %v", tt.raw, err, tt.err)
				}
				return
			}
			got.Data = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestShortUPCE(t *testing.T) {
	for n := 0; n < 1_000_000; n += 997 {
		six := pad6(n)
		full := "0" + six
		want, _ := ExpandUPCE(full + string(upcaCheck(full)))
		if got := ShortUPCE(six); len(got) != 1 || got[0] != want {
			t.Fatalf("ShortUPCE(%q) = %q, want [%s]", six, got, want)
		}
		if got := ShortUPCE(six + want[11:]); len(got) == 0 || got[0] != want {
			t.Fatalf("ShortUPCE(%q) = %q, want %s first", six+want[11:], got, want)
		}
		if got := ShortUPCE(full); !contains(got, want) {
			t.Fatalf("ShortUPCE(%q) = %q, want %s among them", full, got, want)
		}
	}
	for _, bad := range []string{"", "12345", "12345678", "12a456", "１２３４５６"} {
		if got := ShortUPCE(bad); got != nil {
			t.Errorf("ShortUPCE(%q) = %q", bad, got)
		}
	}
}

// upcaCheck returns the check digit of the UPC-A that UPC-E digits (number system and six) stand for.
func upcaCheck(upce7 string) byte {
	for c := byte('0'); c <= '9'; c++ {
		if _, err := ExpandUPCE(upce7 + string(c)); err == nil {
			return c
		}
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestExpandUPCE(t *testing.T) {
	// Each rule of the expansion by the last of the six digits.
	tests := []struct{ upce, upcaData string }{
		{"0123450", "01200000345"},
		{"0123451", "01210000345"},
		{"0123452", "01220000345"},
		{"0123453", "01230000045"},
		{"0123454", "01234000005"},
		{"0123455", "01234500005"},
		{"1123459", "11234500009"},
		{"0425261", "04210000526"}, // the common textbook example, 04252614 ↔ 042100005264
	}
	for _, tt := range tests {
		upca := withCheck(tt.upcaData)
		upce := tt.upce + upca[11:]
		got, err := ExpandUPCE(upce)
		if err != nil || got != upca {
			t.Errorf("ExpandUPCE(%q) = %q, %v; want %q", upce, got, err, upca)
		}
	}
	if got, _ := ExpandUPCE("04252614"); got != "042100005264" {
		t.Errorf("textbook UPC-E = %q", got)
	}
	for _, bad := range []struct {
		code string
		err  error
	}{{"04252615", ErrCheckDigit}, {"24252614", ErrNumberSystem}, {"0425261", ErrLength}, {"0425261x", ErrNotDigits}} {
		if _, err := ExpandUPCE(bad.code); !errors.Is(err, bad.err) {
			t.Errorf("ExpandUPCE(%q) = %v, want %v", bad.code, err, bad.err)
		}
	}
}

func TestGTIN14(t *testing.T) {
	for in, want := range map[string]string{
		"036000291452": "00036000291452", "0036000291452": "00036000291452", "96385074": "00000096385074",
		"10012345678902": "10012345678902",
	} {
		if got, err := GTIN14(in); err != nil || got != want {
			t.Errorf("GTIN14(%q) = %q, %v", in, got, err)
		}
	}
	if got := NormalizeGTIN("PRO-001"); got != "PRO-001" {
		t.Errorf("NormalizeGTIN kept %q", got)
	}
	if got := NormalizeGTIN("5449000000996"); got != "05449000000996" {
		t.Errorf("NormalizeGTIN = %q", got)
	}
}

func TestPriceCheckDigit(t *testing.T) {
	// GenSpecs §7.9.3 worked examples.
	if got := PriceCheckDigit("2875"); got != '9' {
		t.Errorf("4-digit 2875 = %c, want 9", got)
	}
	if got := PriceCheckDigit("14685"); got != '6' {
		t.Errorf("5-digit 14685 = %c, want 6", got)
	}
	// A single changed digit always changes the check digit.
	for _, f := range []string{"2875", "14685"} {
		for i := range len(f) {
			for d := byte('0'); d <= '9'; d++ {
				g := []byte(f)
				if g[i] == d {
					continue
				}
				g[i] = d
				if PriceCheckDigit(string(g)) == PriceCheckDigit(f) {
					t.Errorf("%s and %s share a check digit", f, g)
				}
			}
		}
	}
	for _, bad := range []string{"", "123", "123456", "12a4"} {
		if PriceCheckDigit(bad) != 0 {
			t.Errorf("PriceCheckDigit(%q) accepted", bad)
		}
	}
}

func TestLayoutValidate(t *testing.T) {
	for _, l := range DefaultLayouts() {
		if err := l.Validate(); err != nil {
			t.Errorf("preset: %v", err)
		}
	}
	for _, l := range []Layout{
		{"20", "PPIIIIIWWWWW"},        // no check digit
		{"20", "PPIIIIIWWWWWCC"},      // two
		{"2", "PPIIIIIWWWWWC"},        // prefix digits
		{"2x", "PPIIIIIWWWWWC"},       // prefix not digits
		{"20", "PPIIIWIIWWWWC"},       // split item
		{"20", "PPIIIIIVWWWWWWC"},     // V over a 6-digit field
		{"20", "PPXIIIIWWWWWC"},       // unknown letter
		{"20", "PP00000WWWWWC"},       // no item
		{"20", "PPIIIIIIIIIIIIIIIIC"}, // item too long
	} {
		if err := l.Validate(); !errors.Is(err, ErrLayout) {
			t.Errorf("Validate(%+v) = %v", l, err)
		}
	}
	rules := Rules{Layouts: []Layout{{"2", "PIIIIIIMMMMMC"}}} // "F WWWWWW EEEEE C" Chinese scales
	if err := rules.Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := rules.Parse(withCheck("212345601396"))
	if err != nil || c.Item != "123456" || c.Price != 1396 || c.GTIN != withCheck("0212345600000") {
		t.Errorf("one-digit flag layout: %+v, %v", c, err)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		yymmdd  string
		want    string
		expired bool
	}{
		{"261123", "2026-11-23", true},
		{"261124", "2026-11-24", false}, // good until the end of its day
		{"261100", "2026-11-30", false}, // day 00: the month's last day
		{"240229", "2024-02-29", true},
		{"991231", "1999-12-31", true},  // 73 years ahead reads as last century
		{"760101", "2076-01-01", false}, // 50 ahead stays in this one
	} {
		c := Code{Expiry: tt.yymmdd}
		d, ok := c.ExpiryDate(now)
		if !ok || d.Format(time.DateOnly) != tt.want || c.Expired(now) != tt.expired {
			t.Errorf("%s: %v %v expired=%v; want %s %v", tt.yymmdd, d.Format(time.DateOnly), ok, c.Expired(now), tt.want, tt.expired)
		}
	}
	if (Code{}).Expired(now) {
		t.Error("no expiry reads as expired")
	}
}

func TestStripAIM(t *testing.T) {
	for raw, want := range map[string]Symbology{"]E0123": EAN13, "]C1x": GS1128, "]C0x": Code128, "]I1x": ITF,
		"]d2x": GS1Matrix, "]d1x": DataMatrix, "]Q1x": QR, "]e0x": DataBar, "]Z5x": OtherSymbol} {
		if got, data := StripAIM(raw); got != want || data != raw[3:] {
			t.Errorf("StripAIM(%q) = %q, %q", raw, got, data)
		}
	}
	for _, raw := range []string{"]E", "x]E0", "]!0x", "E0123"} {
		if got, data := StripAIM(raw); got != Unknown || data != raw {
			t.Errorf("StripAIM(%q) stripped %q", raw, got)
		}
	}
}

func TestLogSafe(t *testing.T) {
	if got := LogSafe("134567890123456789"); got != "1345…(18)" {
		t.Errorf("LogSafe = %q", got)
	}
}

var sentinels = []error{ErrEmpty, ErrNotText, ErrNotDigits, ErrLength, ErrCheckDigit, ErrNumberSystem,
	ErrPriceCheck, ErrLayout, ErrUnknownAI, ErrAIValue, ErrNoGTIN, ErrCurrency}

func FuzzParse(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.raw)
	}
	for _, tt := range shortUPCECases {
		f.Add(tt.raw)
	}
	rules := DefaultRules()
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := rules.Parse(raw)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Parse(%q): error %v wraps no sentinel", raw, err)
		}
		switch c.Kind {
		case Trade, Variable:
			if ValidateGTIN(c.GTIN) != nil || len(c.GTIN) != 14 {
				t.Fatalf("Parse(%q) gave GTIN %q", raw, c.GTIN)
			}
		case Internal, PayCode, Member, Receipt:
		default:
			t.Fatalf("Parse(%q) gave kind %d", raw, c.Kind)
		}
		if c.Grams < 0 || c.Price < 0 {
			t.Fatalf("Parse(%q) gave negative measure %+v", raw, c)
		}
	})
}

func TestDisplayGTIN(t *testing.T) {
	for _, tt := range [][2]string{
		{"05449000000996", "5449000000996"}, {"00000096385074", "96385074"}, {"00036000291452", "0036000291452"},
		{"15449000000993", "15449000000993"}, {"M0001", "M0001"}, {"05449000000997", "05449000000997"},
	} {
		got := DisplayGTIN(tt[0])
		if got != tt[1] {
			t.Errorf("DisplayGTIN(%s) = %s, want %s", tt[0], got, tt[1])
		}
		if NormalizeGTIN(got) != tt[0] && ValidateGTIN(tt[0]) == nil {
			t.Errorf("DisplayGTIN(%s) does not read back", tt[0])
		}
	}
}
