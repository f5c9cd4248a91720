package magstripe

import (
	"errors"
	"strings"
	"testing"
)

// Sample swipes in the layout readers type them. The numbers are the card networks' published test
// numbers; names and discretionary data are made up.
const (
	visaTrack1 = "%B4111111111111111^DOE/JOHN                  ^30121011000000000000000000000?"
	visaTrack2 = ";4111111111111111=30121011000000000000?"
	mcTrack1   = "%B5555555555554444^CARDHOLDER/TEST^2811201123400000000?"
	mcTrack2   = ";5555555555554444=28112011234000000000?"
	amexTrack1 = "%B378282246310005^AMEX/TEST^2903101150000000000?"
	amexTrack2 = ";378282246310005=290310115000000000?"
)

type parseCase struct {
	name    string
	raw     string
	masked  string
	holder  string
	expiry  Expiry
	service string
	luhn    bool
}

var parseCases = []parseCase{
	{"visa both tracks", visaTrack1 + visaTrack2, "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"visa track 1 only", visaTrack1, "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"visa track 2 only", visaTrack2, "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"mastercard chip card", mcTrack1 + mcTrack2 + "\r", "555555******4444", "CARDHOLDER/TEST", Expiry{2028, 11}, "201", true},
	{"amex 15 digits", amexTrack1 + amexTrack2, "37828******0005", "AMEX/TEST", Expiry{2029, 3}, "101", true},
	{"LRC after each track", visaTrack1 + "X" + visaTrack2 + "5\r\n", "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"LRC that is a start sentinel", visaTrack1 + ";" + visaTrack2 + "%", "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"CR after each track", visaTrack1 + "\r" + visaTrack2 + "\r", "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"surrounding white space", "\r\n " + visaTrack2 + " \t", "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"track 1 misread, track 2 good", "%E?" + visaTrack2, "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"track 2 misread, track 1 good", visaTrack1 + ";E?", "411111******1111", "DOE/JOHN", Expiry{2030, 12}, "101", true},
	{"empty track 1", "%?" + visaTrack2, "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"track 3 ignored", visaTrack2 + ";011234567890123456789=1234?", "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"track 3 with plus sentinel", visaTrack2 + "+0112345?", "411111******1111", "", Expiry{2030, 12}, "101", true},
	{"track 1 without expiry or service code", "%B4111111111111111^DOE/JOHN^^^?", "411111******1111", "DOE/JOHN", Expiry{}, "", true},
	{"member card, bare number", ";1234567890123?", "123******0123", "", Expiry{}, "", false},
	{"member card, empty fields", ";1234567890123=?", "123******0123", "", Expiry{}, "", false},
	{"gift card with expiry only", ";6001234567=4912?", "******4567", "", Expiry{2049, 12}, "", false},
	{"19-digit gift card", ";6035710000000000003=?", "603571*********0003", "", Expiry{}, "", false},
	{"8-digit member card", ";12345678?", "****5678", "", Expiry{}, "", false},
	{"proprietary track 1 beside a member number", "%A99 CLUB 42?;1234567890123?", "123******0123", "", Expiry{}, "", false},

	// Gift and loyalty cards whose track 2 has the issuer's own data after '=', not a date: only the
	// number is used. (Their numbers are outside the card networks' ranges; some pass Luhn.)
	{"gift card, month 49 after =", ";9826150911219687=1249?", "982615******9687", "", Expiry{}, "", true},
	{"loyalty card, letters after =", ";6012345678901234=ABCD?", "601234******1234", "", Expiry{}, "", true},
	{"gift card, month 00", ";9826150911219687=0000?", "982615******9687", "", Expiry{}, "", true},
	{"gift card, two digits after =", ";9826150911219687=12?", "982615******9687", "", Expiry{}, "", true},
	{"gift card, date then letters", ";9826150911219687=4912ABC?", "982615******9687", "", Expiry{}, "", true},
	{"gift card, second separator", ";7001234567890=12=34?", "700******7890", "", Expiry{}, "", true},
	{"gift card, track 2 specials", ";9826150911219687=:<>;?", "982615******9687", "", Expiry{}, "", true},
	{"gift card with LRC and CR", ";9826150911219687=1249?5\r", "982615******9687", "", Expiry{}, "", true},
	{"gift card beside a proprietary track 1", "%A99 CLUB 42?;6012345678901234=ABCD?", "601234******1234", "", Expiry{}, "", true},
	{"gift card with a good date reads it", ";9826150911219687=4912?", "982615******9687", "", Expiry{2049, 12}, "", true},
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			if !LooksLikeSwipe(tt.raw) {
				t.Errorf("LooksLikeSwipe(%q) = false", tt.raw)
			}
			c, err := Parse(tt.raw)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.raw, err)
			}
			if got := c.Masked(); got != tt.masked {
				t.Errorf("Masked() = %q, want %q", got, tt.masked)
			}
			if c.Name != tt.holder || c.Expiry != tt.expiry || c.ServiceCode != tt.service {
				t.Errorf("got name %q expiry %v service %q, want %q %v %q", c.Name, c.Expiry, c.ServiceCode, tt.holder, tt.expiry, tt.service)
			}
			if got := c.Last4(); got != tt.masked[len(tt.masked)-4:] {
				t.Errorf("Last4() = %q", got)
			}
			if got := c.PassesLuhn(); got != tt.luhn {
				t.Errorf("PassesLuhn() = %v, want %v", got, tt.luhn)
			}
		})
	}
}

var badCases = []struct {
	name string
	raw  string
	want error
}{
	{"empty", "", ErrNotMagstripe},
	{"EAN-13 barcode", "5449000000996", ErrNotMagstripe},
	{"bare card number", "4111111111111111", ErrNotMagstripe},
	{"lone sentinel", "%", ErrNotMagstripe},
	{"lone track 2 sentinel", ";", ErrNotMagstripe},
	{"lower-case format code", "%b4111111111111111^DOE/JOHN^3012101?", ErrNotMagstripe},
	{"letter after track 2 sentinel", ";A123?", ErrNotMagstripe},
	{"text", "hello", ErrNotMagstripe},
	{"no end sentinel", "%B4111111111111111^DOE/JOHN^3012101", ErrBadTrack},
	{"track 2 cut short", ";4111111111111111=3012", ErrBadTrack},
	{"no field separators", "%B4111111111111111DOE/JOHN3012101?", ErrBadTrack},
	{"one field separator", "%B4111111111111111^DOE/JOHN?", ErrBadTrack},
	{"letter in track 1 number", "%B41111X1111111111^DOE/JOHN^3012101?", ErrBadTrack},
	{"letter in track 2", ";4111111111111111=3012X01?", ErrBadTrack},
	{"empty number", "%B^DOE/JOHN^3012101?", ErrBadTrack},
	{"7-digit number", ";1234567?", ErrBadTrack},
	{"20-digit number", ";12345678901234567890?", ErrBadTrack},
	{"expiry month 13", ";4111111111111111=3013101?", ErrBadTrack},
	{"expiry month 00", "%B4111111111111111^DOE/JOHN^3000101?", ErrBadTrack},
	{"expiry cut short", ";4111111111111111=30?", ErrBadTrack},
	{"service code cut short", ";4111111111111111=301210?", ErrBadTrack},
	{"tracks disagree on number", visaTrack1 + mcTrack2, ErrBadTrack},
	{"tracks disagree on expiry", visaTrack1 + ";4111111111111111=30111011000000000000?", ErrBadTrack},
	{"nothing readable", "%E?;E?", ErrBadTrack},
	{"track 1 misread alone", "%E?", ErrBadTrack},
	{"proprietary track 1 alone", "%A99 CLUB 42?", ErrBadTrack},
	{"empty tracks", "%?;?", ErrBadTrack},
	{"track 1 repeated", visaTrack1 + visaTrack1, ErrBadTrack},
	{"track 1 after track 2", visaTrack2 + visaTrack1, ErrBadTrack},
	{"trailing junk", visaTrack2 + "xx", ErrBadTrack},
	{"name too long", "%B4111111111111111^ABCDEFGHIJKLMNOPQRSTUVWXYZ0^3012101?", ErrBadTrack},
	{"track 2 too long", ";4111111111111111=30121011000000000000000?", ErrBadTrack},
	{"control byte in track 1", "%B4111111111111111^DOE\x01JOHN^3012101?", ErrBadTrack},

	// Payment cards (numbers in a card network's range) are read strictly as ISO 7813 says, as before.
	{"Visa, month 49", ";4111111111111111=4949101?", ErrBadTrack},
	{"Visa, letters after =", ";4111111111111111=ABCD?", ErrBadTrack},
	{"Mastercard, month 00", ";5555555555554444=2800201?", ErrBadTrack},
	{"Mastercard 2-series, letters", ";2221000000000009=ABCD?", ErrBadTrack},
	{"Amex, expiry cut short", ";378282246310005=29?", ErrBadTrack},
	{"UnionPay, letters after =", ";6212345678901232=ABCD?", ErrBadTrack},
	{"Discover, month 13", ";6011111111111117=3013101?", ErrBadTrack},
	{"JCB, letters after =", ";3530111333300000=ABCD?", ErrBadTrack},
	// Garbled gift-card swipes are refused too.
	{"gift card, lower-case after =", ";9826150911219687=abcd?", ErrBadTrack},
	{"gift card, space after =", ";9826150911219687=12 49?", ErrBadTrack},
	{"gift card, letter in the number", ";98261509112X9687=1249?", ErrBadTrack},
	{"gift card, no end sentinel", ";9826150911219687=1249", ErrBadTrack},
	{"gift card, punctuation after =", ";9826150911219687=12/49?", ErrBadTrack},
	{"gift card, track 2 too long", ";9826150911219687=ABCDEFGHIJKLMNOPQRSTUVW?", ErrBadTrack},
}

func TestParseRejects(t *testing.T) {
	for _, tt := range badCases {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.raw)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) = %v, %v; want %v", tt.raw, c, err, tt.want)
			}
			if LooksLikeSwipe(tt.raw) == (tt.want == ErrNotMagstripe) {
				t.Errorf("LooksLikeSwipe(%q) disagrees with %v", tt.raw, err)
			}
			if strings.Contains(err.Error(), "411111") || strings.Contains(err.Error(), "982615") {
				t.Errorf("error %q quotes the card number", err)
			}
		})
	}
}

func TestLooksLikeSwipeOnTwoCharacters(t *testing.T) {
	for s, want := range map[string]bool{"%B": true, ";4": true, "%E": true, ";E": true, ";?": true, "%?": true, "%": false, "59": false, "%1": false, ";;": false, "": false} {
		if got := LooksLikeSwipe(s); got != want {
			t.Errorf("LooksLikeSwipe(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzParse checks that any input either parses to a card whose number obeys the limits, or is refused
// with exactly one sentinel, and that the sentinel agrees with LooksLikeSwipe.
func FuzzParse(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.raw)
	}
	for _, tt := range badCases {
		f.Add(tt.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := Parse(raw)
		if err != nil {
			notSwipe, badTrack := errors.Is(err, ErrNotMagstripe), errors.Is(err, ErrBadTrack)
			if notSwipe == badTrack {
				t.Fatalf("Parse(%q): error %v wraps not exactly one sentinel", raw, err)
			}
			if notSwipe == LooksLikeSwipe(raw) {
				t.Fatalf("Parse(%q) = %v but LooksLikeSwipe says %v", raw, err, LooksLikeSwipe(raw))
			}
			return
		}
		n := c.number()
		if len(n) < MinPANLen || len(n) > MaxPANLen || !allDigits(n) {
			t.Fatalf("Parse(%q) gave a number of %d characters", raw, len(n))
		}
		m := c.Masked()
		if len(m) != len(n) || len(m)-strings.Count(m, "*") > 10 || strings.Count(m, "*") < min(6, len(n)-4) {
			t.Fatalf("Parse(%q): Masked() = %q", raw, m)
		}
		if s := c.String(); strings.Contains(s, n) && !strings.Contains(c.Name, n) {
			t.Fatalf("Parse(%q): String() %q shows the number", raw, s)
		}
		if c.Expiry.Month < 0 || c.Expiry.Month > 12 {
			t.Fatalf("Parse(%q): expiry %v", raw, c.Expiry)
		}
	})
}
