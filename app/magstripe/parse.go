package magstripe

import (
	"fmt"
	"strings"
)

// Track limits from ISO/IEC 7811/7813, counting sentinels and LRC.
const (
	maxTrack1Len = 79
	maxTrack2Len = 40
	maxNameLen   = 26
)

// LooksLikeSwipe reports whether s starts as a swipe does: '%' and an upper-case letter (track 1's
// format code), or ';' and a digit (track 2), or either sentinel followed by 'E' or '?' (a track the
// reader could not read, or an empty one). Leading white space is skipped. It looks at two characters
// only, so the till can tell a swipe from a barcode as soon as a key burst begins.
func LooksLikeSwipe(s string) bool {
	return startsTrack(strings.TrimLeft(s, " \t\r\n"))
}

func startsTrack(s string) bool {
	if len(s) < 2 {
		return false
	}
	switch c := s[1]; s[0] {
	case '%':
		return c >= 'A' && c <= 'Z' || c == '?'
	case ';':
		return isDigit(c) || c == 'E' || c == '?'
	}
	return false
}

// Parse reads one swipe as a keyboard-mode reader types it: track 1, track 2 or both (track 1 first),
// each as start sentinel, data and '?', optionally followed by an LRC character, with any trailing CR or
// LF. A third track after track 2 is ignored. A track the reader marks unreadable (%E? or ;E?) or empty is
// skipped when the other track was read.
//
// Input that does not start as a swipe gives ErrNotMagstripe; a swipe that cannot be read gives
// ErrBadTrack, with detail that never quotes the input.
func Parse(s string) (Card, error) {
	s = strings.Trim(s, " \t\r\n")
	if !startsTrack(s) {
		return Card{}, ErrNotMagstripe
	}
	var t1, t2 *track
	seen1, seen2, seen3 := false, false, false
	for s != "" {
		var body string
		var start byte
		switch {
		case startsTrack(s) || seen2 && s[0] == '+': // some readers start track 3 with '+'
			start = s[0]
			end := strings.IndexByte(s[1:], '?')
			if end < 0 {
				return Card{}, bad("a track has no end sentinel")
			}
			body, s = s[1:1+end], s[2+end:]
		default:
			return Card{}, bad("data outside a track")
		}
		switch {
		case start == '%' && !seen1 && !seen2:
			seen1 = true
			if len(body)+2 > maxTrack1Len {
				return Card{}, bad("track 1 is longer than %d characters", maxTrack1Len)
			}
			t, err := parseTrack1(body)
			if err != nil {
				return Card{}, err
			}
			t1 = t
		case start == ';' && !seen2:
			seen2 = true
			if len(body)+2 > maxTrack2Len {
				return Card{}, bad("track 2 is longer than %d characters", maxTrack2Len)
			}
			t, err := parseTrack2(body)
			if err != nil {
				return Card{}, err
			}
			t2 = t
		case (start == ';' || start == '+') && seen2 && !seen3:
			seen3 = true // track 3 (ISO 4909) holds nothing the till needs
		default:
			return Card{}, bad("tracks repeated or out of order")
		}
		// An LRC character may follow the end sentinel; it can be any track character, even a sentinel,
		// so it is whatever follows unless that begins the next track. Some readers also end each track
		// with CR.
		if s != "" && !startsTrack(s) && !(seen2 && s[0] == '+') && s[0] != '\r' && s[0] != '\n' {
			s = s[1:]
		}
		s = strings.TrimLeft(s, "\r\n")
	}
	return combine(t1, t2)
}

// track is what one track says; nil for an unreadable, empty or proprietary track.
type track struct {
	pan         string
	name        string
	expiry      Expiry
	serviceCode string
}

// unreadable reports a track that the reader marks as misread (E) or that is empty.
func unreadable(body string) bool { return body == "" || body == "E" }

// parseTrack1 reads the data of an ISO 7813 track 1 ("B" PAN ^ NAME ^ YYMM SSS discretionary).
func parseTrack1(body string) (*track, error) {
	if unreadable(body) {
		return nil, nil
	}
	if body[0] != 'B' {
		return nil, nil // not a bank card's format: proprietary data, only track 2 can be used
	}
	for i := range len(body) {
		if body[i] < 0x20 || body[i] > 0x7E {
			return nil, bad("track 1 has a non-printable character")
		}
	}
	fields := strings.SplitN(body[1:], "^", 3)
	if len(fields) != 3 {
		return nil, bad("track 1 lacks its field separators")
	}
	if err := checkPAN(fields[0], 1); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(fields[1])
	if len(fields[1]) > maxNameLen {
		return nil, bad("track 1 name is longer than %d characters", maxNameLen)
	}
	t := &track{pan: fields[0], name: name}
	if err := t.readExpiryAndService(fields[2], '^', 1); err != nil {
		return nil, err
	}
	return t, nil
}

// parseTrack2 reads the data of an ISO 7813 track 2 (PAN = YYMM SSS discretionary), or a member, gift or
// loyalty card's number with whatever its issuer put after it.
//
// A payment card (a number in a card network's range, paymentNumber) is read strictly: after '=' come
// the expiry and the service code, or the swipe is refused as garbled. Any other card's data after '=' is
// its issuer's own (";9826150911219687=1249?", ";6012345678901234=ABCD?"): read as expiry and service code
// when it is them, otherwise dropped, and the card is its number alone. Such data must still look like a
// track (digits, the track's specials ':' to '>', or capital letters, which some issuers' encoders and
// readers' key tables give): anything else is a garbled swipe.
func parseTrack2(body string) (*track, error) {
	if unreadable(body) {
		return nil, nil
	}
	pan, tail, hasSeparator := strings.Cut(body, "=")
	if !track2Chars(pan) {
		return nil, bad("track 2 has a character outside its character set")
	}
	if err := checkPAN(pan, 2); err != nil {
		return nil, err
	}
	t := &track{pan: pan}
	if !hasSeparator {
		return t, nil // a member or gift card: the number is all there is
	}
	err := bad("track 2 has a character outside its character set")
	if track2Chars(tail) {
		if err = t.readExpiryAndService(tail, '=', 2); err == nil {
			return t, nil
		}
	}
	if paymentNumber(pan) || !issuerChars(tail) {
		return nil, err
	}
	return &track{pan: pan}, nil
}

// track2Chars reports whether s is of track 2's character set (0x30–0x3F, '?' ending the track).
func track2Chars(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '>' {
			return false
		}
	}
	return true
}

// issuerChars reports whether s may be a gift or loyalty card's own data after '=': track 2's characters
// or capital letters.
func issuerChars(s string) bool {
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '>') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// paymentRanges are the card networks' issuer identification number ranges (ISO/IEC 7812), as prefixes
// from lo to hi of equal length: Visa; Mastercard; American Express; Diners Club; Discover; JCB; UnionPay;
// Maestro. They are deliberately wide: a number in them is read as a payment card, strictly.
var paymentRanges = []struct{ lo, hi string }{
	{"4", "4"},
	{"51", "55"}, {"2221", "2720"},
	{"34", "34"}, {"37", "37"},
	{"300", "305"}, {"36", "36"}, {"38", "39"},
	{"6011", "6011"}, {"644", "649"}, {"65", "65"},
	{"3528", "3589"},
	{"62", "62"}, {"81", "81"},
	{"50", "50"}, {"56", "58"}, {"6304", "6304"}, {"67", "67"},
}

// paymentNumber reports whether pan is in a card network's range: a payment card's number.
func paymentNumber(pan string) bool {
	for _, r := range paymentRanges {
		if len(pan) >= len(r.lo) && pan[:len(r.lo)] >= r.lo && pan[:len(r.lo)] <= r.hi {
			return true
		}
	}
	return false
}

// readExpiryAndService reads YYMM and the three-digit service code at the start of tail, either of which
// may be replaced by the field separator sep (ISO 7813's "not present") or be cut short by the end of a
// member card's data. The discretionary data after them holds the card verification value: it is
// never read or kept.
func (t *track) readExpiryAndService(tail string, sep byte, trackNo int) error {
	switch {
	case tail == "":
		return nil
	case tail[0] == sep:
		tail = tail[1:]
	case len(tail) >= 4 && allDigits(tail[:4]):
		yy := int(tail[0]-'0')*10 + int(tail[1]-'0')
		mm := int(tail[2]-'0')*10 + int(tail[3]-'0')
		if mm < 1 || mm > 12 {
			return bad("track %d expiry month is not 01–12", trackNo)
		}
		t.expiry = Expiry{Year: 2000 + yy, Month: mm}
		tail = tail[4:]
	default:
		return bad("track %d expiry is not YYMM", trackNo)
	}
	switch {
	case tail == "":
	case tail[0] == sep:
	case len(tail) >= 3 && allDigits(tail[:3]):
		t.serviceCode = tail[:3]
	default:
		return bad("track %d service code is not three digits", trackNo)
	}
	return nil
}

// combine makes a card of the tracks read, cross-checking them: differing tracks mean a misread.
func combine(t1, t2 *track) (Card, error) {
	t := t2 // track 2 is parity-checked digits: it wins where both have a field
	switch {
	case t1 == nil && t2 == nil:
		return Card{}, bad("no track could be read")
	case t2 == nil:
		t = t1
	case t1 != nil:
		if t1.pan != t2.pan {
			return Card{}, bad("track 1 and track 2 numbers differ")
		}
		if t1.expiry != t2.expiry || t1.serviceCode != t2.serviceCode {
			return Card{}, bad("track 1 and track 2 expiry or service code differ")
		}
	}
	pan := t.pan
	c := Card{Expiry: t.expiry, ServiceCode: t.serviceCode, pan: func() string { return pan }}
	if t1 != nil {
		c.Name = t1.name
	}
	return c, nil
}

func checkPAN(pan string, trackNo int) error {
	if !allDigits(pan) {
		return bad("track %d number is not all digits", trackNo)
	}
	if len(pan) < MinPANLen || len(pan) > MaxPANLen {
		return bad("track %d number has %d digits, want %d–%d", trackNo, len(pan), MinPANLen, MaxPANLen)
	}
	return nil
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadTrack}, args...)...)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
