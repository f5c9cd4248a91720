package barcode

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what a scanned code is for, so the till routes it.
type Kind int

// Kinds of code. Only Trade, Variable and Internal codes are looked up as products.
const (
	Trade    Kind = iota + 1 // a GTIN, alone or in a GS1 element string
	Variable                 // an in-store weighed or priced label
	Internal                 // any other printable code: an in-house Code 128, a typed PLU
	PayCode                  // a customer's mobile-wallet pay code
	Member                   // a member card
	Receipt                  // one of this shop's receipts
)

func (k Kind) String() string {
	switch k {
	case Trade:
		return "trade item"
	case Variable:
		return "variable measure"
	case Internal:
		return "internal code"
	case PayCode:
		return "pay code"
	case Member:
		return "member card"
	case Receipt:
		return "receipt"
	}
	return "unknown"
}

// IsProduct reports whether codes of this kind name a product in the catalog.
func (k Kind) IsProduct() bool { return k == Trade || k == Variable || k == Internal }

// Code is a scanned code, read.
type Code struct {
	Symbology Symbology // from the AIM identifier, Unknown when none came
	Data      string    // the code without its AIM identifier
	Kind      Kind

	GTIN    string // GTIN-14 to look the product up by; for Variable the item's template code
	AltGTIN string // a second reading: an 8-digit code valid both as UPC-E and as EAN-8, a short UPC-E
	Item    string // Variable: the item reference
	// UPCE, for an Internal code of 6 or 7 digits, are the GTIN-14s of the UPC-As it stands for if it is a
	// UPC-E sent without its number system or check digit (ShortUPCE), the likelier first. They are tried
	// only when nothing has the code as typed: a 6- or 7-digit PLU, SKU or in-house code wins.
	UPCE []string

	Grams     int64 // net weight, when HasWeight
	HasWeight bool
	Price     int64 // in the currency's minor units, when HasPrice
	HasPrice  bool
	Count     int64  // pieces, when the code carries a count
	Batch     string // GS1 AI 10
	Serial    string // GS1 AI 21
	Expiry    string // GS1 AI 17, YYMMDD
	Elements  []Element

	// Wallet is, for a PayCode, which wallet's rule matched. On a Variable code it says that the code is
	// also that wallet's pay code (an 18-digit 26… scale label and an Alipay code look alike): which it
	// is depends on where it was scanned, and the till decides.
	Wallet string
}

// ExpiryDate returns the expiry date the code carries, read relative to now.
func (c Code) ExpiryDate(now time.Time) (time.Time, bool) {
	if c.Expiry == "" {
		return time.Time{}, false
	}
	d, err := dateOf(c.Expiry, now)
	return d, err == nil
}

// Expired reports whether the code's expiry date is before now's day.
func (c Code) Expired(now time.Time) bool {
	d, ok := c.ExpiryDate(now)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return ok && d.Before(today)
}

// PayCodeRule recognises one wallet's customer-presented pay codes by length and two-digit prefix.
// Providers change these, so they are configuration; the provider is the final judge.
type PayCodeRule struct {
	Wallet             string
	MinLen, MaxLen     int
	PrefixLo, PrefixHi string // inclusive range of the first two digits
}

// DefaultPayCodes are the rules published for the wallets Chinese shops take (PROTOCOL-NOTES).
func DefaultPayCodes() []PayCodeRule {
	return []PayCodeRule{
		{Wallet: "wechat", MinLen: 18, MaxLen: 18, PrefixLo: "10", PrefixHi: "15"},
		{Wallet: "alipay", MinLen: 16, MaxLen: 24, PrefixLo: "25", PrefixHi: "30"},
		{Wallet: "unionpay", MinLen: 19, MaxLen: 19, PrefixLo: "62", PrefixHi: "62"},
	}
}

func (r PayCodeRule) match(digits string) bool {
	return len(digits) >= r.MinLen && len(digits) <= r.MaxLen && digits[:2] >= r.PrefixLo && digits[:2] <= r.PrefixHi
}

// MaxLen is the longest code the till accepts; anything longer is line noise or a document.
const MaxLen = 256

// Rules say how this shop reads codes. The zero value knows GTINs and GS1 only; DefaultRules adds presets.
type Rules struct {
	Layouts      []Layout
	PayCodes     []PayCodeRule
	MemberPrefix string // member cards: this prefix and 6 to 20 digits
	Exponent     int    // the currency's minor-unit digits, for GS1 prices (AI 392n, 393n)
	// Currency is the shop's currency's ISO 4217 numeric code ("156"): a GS1 price with a currency (AI
	// 393n) in any other is refused with ErrCurrency, as is every such price when it is "".
	Currency string
}

// DefaultRules returns the presets: DefaultLayouts, DefaultPayCodes, member cards "M" + digits, yuan
// and fen.
func DefaultRules() Rules {
	return Rules{Layouts: DefaultLayouts(), PayCodes: DefaultPayCodes(), MemberPrefix: "M", Exponent: 2, Currency: "156"}
}

// Validate checks every layout.
func (r Rules) Validate() error {
	for _, l := range r.Layouts {
		if err := l.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Parse reads a code as a scanner or a cashier delivered it. A rejected code gets an error wrapping one
// of this package's sentinels; a GTIN-length code with a bad check digit is refused, never looked up.
func (r Rules) Parse(raw string) (Code, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Code{}, ErrEmpty
	}
	if len(raw) > MaxLen {
		return Code{}, fmt.Errorf("%w: %d characters, at most %d", ErrLength, len(raw), MaxLen)
	}
	if err := checkText(raw); err != nil {
		return Code{}, err
	}
	sym, data := StripAIM(raw)
	c, err := r.classify(sym, data)
	if err != nil {
		if sym != Unknown {
			return Code{}, fmt.Errorf("%s: %w", sym, err)
		}
		return Code{}, err
	}
	c.Symbology, c.Data = sym, data
	return c, nil
}

func (r Rules) classify(sym Symbology, data string) (Code, error) {
	switch {
	case data == "":
		return Code{}, ErrEmpty
	case sym.IsGS1() || strings.HasPrefix(data, GS) || strings.Contains(data, GS) || looksBracketed(data):
		return parseGS1(data, r)
	case sym == EANAddOn && isDigits(data) && (len(data) == 15 || len(data) == 18):
		data = data[:13] // a periodical's issue number rides along; the product is the EAN-13
	}
	if isDigits(data) {
		return r.digits(sym, data)
	}
	if r.MemberPrefix != "" {
		if n, ok := strings.CutPrefix(data, r.MemberPrefix); ok && isDigits(n) && len(n) >= 6 && len(n) <= 20 {
			return Code{Kind: Member}, nil
		}
	}
	if isReceiptNo(data) {
		return Code{Kind: Receipt}, nil
	}
	if sym == EAN13 || sym == EAN8 {
		return Code{}, fmt.Errorf("%q: %w", data, ErrNotDigits)
	}
	for i := range len(data) {
		if data[i] >= utf8.RuneSelf {
			// Full-width digits from an IME, or a name typed into the scan field.
			return Code{}, fmt.Errorf("%w: %q is not a barcode (non-ASCII)", ErrNotText, data)
		}
	}
	return Code{Kind: Internal}, nil
}

// digits classifies an all-digit code: GTINs and in-store labels by length and check digit, then wallets'
// pay codes, then anything else as an internal code.
func (r Rules) digits(sym Symbology, d string) (Code, error) {
	if len(d) == 6 || len(d) == 7 {
		// Without an AIM identifier 6 or 7 digits may be a UPC-E with digits dropped, or a PLU, SKU or
		// in-house code typed or printed as Code 128: the code as typed is looked up first, then its UPC-E
		// readings. With the EAN/UPC identifier (]E0) it can only be a UPC-E.
		upce := ShortUPCE(d)
		switch {
		case sym == Unknown:
			c := Code{Kind: Internal}
			for _, a := range upce {
				c.UPCE = append(c.UPCE, "00"+a)
			}
			return c, nil
		case sym == EAN13 && len(upce) > 0:
			c := Code{Kind: Trade, GTIN: "00" + upce[0]}
			if len(upce) > 1 {
				c.AltGTIN = "00" + upce[1]
			}
			return c, nil
		}
	}
	switch len(d) {
	case 8:
		return eight(sym, d)
	case 12, 13:
		if err := checkDigitOf(d); err != nil {
			return Code{}, err
		}
		if l, ok := r.layoutFor(strings.Repeat("0", 13-len(d)) + d); ok {
			return l.parse(strings.Repeat("0", 13-len(d)) + d)
		}
		return Code{Kind: Trade, GTIN: strings.Repeat("0", 14-len(d)) + d}, nil
	case 14:
		if err := checkDigitOf(d); err != nil {
			return Code{}, err
		}
		return Code{Kind: Trade, GTIN: d}, nil
	}
	if len(d) >= 16 && strings.HasPrefix(d, "01") && checkDigitOf(d[2:16]) == nil {
		// A GS1 DataBar or GS1-128 code sent without its AIM identifier and with only fixed-length elements.
		if c, err := parseGS1(d, r); err == nil {
			return c, nil
		}
	}
	// A scale label must have a good check digit; otherwise an 18-digit wallet code with the same
	// prefix is a pay code. With a good one (1 in 10 of such pay codes) it is both: the label is returned
	// with Wallet set, and the till decides by where it was scanned and what its catalog holds.
	wallet := ""
	for _, p := range r.PayCodes {
		if p.match(d) {
			wallet = p.Wallet
			break
		}
	}
	l, hasLayout := r.layoutFor(d)
	var layoutErr error
	if hasLayout {
		c, err := l.parse(d)
		if err == nil {
			c.Wallet = wallet
			return c, nil
		}
		layoutErr = err
	}
	if wallet != "" {
		return Code{Kind: PayCode, Wallet: wallet}, nil
	}
	if layoutErr != nil {
		return Code{}, layoutErr
	}
	if sym == EAN13 || sym == EAN8 {
		return Code{}, fmt.Errorf("%q: %w", d, ErrLength)
	}
	return Code{Kind: Internal}, nil
}

// eight reads an 8-digit code: EAN-8 or UPC-E, which look alike without an AIM identifier.
func eight(sym Symbology, d string) (Code, error) {
	ean8 := checkDigitOf(d)
	if sym == EAN8 {
		if ean8 != nil {
			return Code{}, ean8
		}
		return Code{Kind: Trade, GTIN: "000000" + d}, nil
	}
	upca, upce := ExpandUPCE(d)
	switch {
	case upce == nil && ean8 == nil:
		return Code{Kind: Trade, GTIN: "00" + upca, AltGTIN: "000000" + d}, nil
	case upce == nil:
		return Code{Kind: Trade, GTIN: "00" + upca}, nil
	case ean8 == nil:
		return Code{Kind: Trade, GTIN: "000000" + d}, nil
	}
	return Code{}, ean8
}

// layoutFor returns the layout with the longest prefix that fits code's length and start.
func (r Rules) layoutFor(code string) (Layout, bool) {
	var best Layout
	for _, l := range r.Layouts {
		if len(l.Pattern) == len(code) && strings.HasPrefix(code, l.Prefix) && len(l.Prefix) > len(best.Prefix) {
			best = l
		}
	}
	return best, best.Pattern != ""
}

func looksBracketed(data string) bool {
	return len(data) > 4 && data[0] == '(' && data[1] >= '0' && data[1] <= '9' && strings.Contains(data[:min(len(data), 6)], ")")
}

// isReceiptNo matches this till's receipt numbers, "T01-000123": a till of 1–8 capitals or digits, a dash,
// six or more digits.
func isReceiptNo(s string) bool {
	till, n, ok := strings.Cut(s, "-")
	if !ok || len(till) == 0 || len(till) > 8 || len(n) < 6 || !isDigits(n) {
		return false
	}
	for i := range len(till) {
		if c := till[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// checkText refuses control characters other than GS and anything that is not valid UTF-8.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: invalid UTF-8", ErrNotText)
	}
	for _, r := range s {
		if (r < 0x20 && r != 0x1d) || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("%w: control character %U", ErrNotText, r)
		}
	}
	return nil
}

// LogSafe returns what may be logged of a code: pay codes are bearer tokens, so only their prefix and
// length.
func LogSafe(raw string) string {
	if len(raw) <= 8 {
		return raw
	}
	return fmt.Sprintf("%s…(%d)", raw[:4], len(raw))
}
