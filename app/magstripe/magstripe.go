// Package magstripe parses what a keyboard-mode magnetic-stripe reader types for one swipe: ISO 7813
// track 1 and track 2 of payment cards, and the track 2 number of member, gift and loyalty cards, bare or
// followed by their issuer's own data.
//
// PCI DSS rules shape the API: the full account number (PAN) never leaves this package. A Card shows it
// masked (first 6 / last 4 at most), as its last four digits, or as a keyed hash for storage; the
// discretionary data (which holds the card verification value) is dropped while parsing.
package magstripe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors for input that is refused. Each rejected input wraps exactly one of them; the detail never
// quotes the input, so an error message cannot leak a card number into a log.
var (
	// ErrNotMagstripe: the input does not start as a swipe does (a barcode, a typed word).
	ErrNotMagstripe = errors.New("not a magnetic stripe swipe")
	// ErrBadTrack: the input starts as a swipe but a track is garbled, misread or incomplete.
	ErrBadTrack = errors.New("garbled magnetic stripe track")
)

// PAN length limits (ISO/IEC 7812).
const (
	MinPANLen = 8
	MaxPANLen = 19
)

// Expiry is a card's expiry month. The zero Expiry means the card carries none (most member cards).
type Expiry struct {
	Year  int // four digits: track data holds YY, read as 20YY
	Month int // 1–12
}

// IsZero reports whether the card carries no expiry.
func (e Expiry) IsZero() bool { return e == Expiry{} }

// String gives "2030-12", or "" when there is no expiry.
func (e Expiry) String() string {
	if e.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", e.Year, e.Month)
}

// Expired reports whether the card has expired at now: a card is valid through the last day of its
// expiry month. A card without an expiry never expires.
func (e Expiry) Expired(now time.Time) bool {
	if e.IsZero() {
		return false
	}
	return now.Year()*12+int(now.Month()) > e.Year*12+e.Month
}

// Card is one swiped card. Its number is kept unexported and is never printed: use Masked, Last4 or
// Token.
type Card struct {
	Name        string // cardholder name from track 1 as encoded ("DOE/JOHN"); "" when only track 2 was read
	Expiry      Expiry
	ServiceCode string // three digits ("101", "201" for a chip card); "" when the card has none

	// pan returns the number. It is a closure because fmt reaches unexported fields when it prints a
	// struct that holds a Card in one (Card's own Format is not called there, and a bad verb dereferences
	// pointers); a func is the one kind fmt prints only as an address.
	pan func() string
}

func (c Card) number() string {
	if c.pan == nil {
		return ""
	}
	return c.pan()
}

// Last4 returns the last four digits of the card number ("" for the zero Card).
func (c Card) Last4() string {
	n := c.number()
	return n[max(0, len(n)-4):]
}

// Masked returns the card number with all but at most the first 6 and last 4 digits replaced by '*'.
// Shorter numbers show fewer leading digits so that at least 6 stay hidden (all but the last 4 when the
// number has fewer than 10): "411111******1111", "123******0123", "****5678".
func (c Card) Masked() string {
	n := c.number()
	if n == "" {
		return ""
	}
	last := min(4, len(n))
	first := min(6, max(0, len(n)-10))
	return n[:first] + strings.Repeat("*", len(n)-first-last) + n[len(n)-last:]
}

// PassesLuhn reports whether the card number's last digit is a valid Luhn (mod 10) check digit. Payment
// cards pass; many store and gift cards do not, so this is information, not a requirement.
func (c Card) PassesLuhn() bool {
	n := c.number()
	if n == "" {
		return false
	}
	sum := 0
	for i := range len(n) {
		d := int(n[len(n)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Token returns the hex HMAC-SHA256 of the card number under key: the only identifier of a card that
// may be stored. The same card gives the same token under the same key. The zero Card gives "".
// Token panics on an empty key, which would make the token a plain, reversible hash of the number.
func (c Card) Token(key []byte) string {
	if len(key) == 0 {
		panic("magstripe: Token needs a non-empty key")
	}
	n := c.number()
	if n == "" {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(n))
	return hex.EncodeToString(mac.Sum(nil))
}

// String describes the card with its number masked.
func (c Card) String() string {
	var b strings.Builder
	b.WriteString("card ")
	b.WriteString(c.Masked())
	if c.Name != "" {
		fmt.Fprintf(&b, " %q", c.Name)
	}
	if !c.Expiry.IsZero() {
		b.WriteString(" exp ")
		b.WriteString(c.Expiry.String())
	}
	return b.String()
}

// GoString is String for %#v, so a debug print cannot show the number either.
func (c Card) GoString() string { return "magstripe.Card{" + c.String() + "}" }

// Format makes every fmt verb (%v, %+v, %d, %x, %q, …) print String, never the fields.
func (c Card) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}
