// Package emvqr reads and writes EMVCo merchant-presented QR payloads (EMV QRCPS-MPM): the text inside
// the payment QR code a shop shows and a customer's wallet scans. A payload is a list of data objects —
// two-digit ID, two-digit length, value — ending with a CRC16/CCITT-FALSE over everything before it.
// Lengths count characters, not bytes, so a Chinese merchant name in template 64 is measured right.
package emvqr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"checkout/app/money"
)

// Errors: every rejection wraps one of these.
var (
	ErrLength    = errors.New("emvqr: bad length")
	ErrCRC       = errors.New("emvqr: CRC does not match")
	ErrMissing   = errors.New("emvqr: mandatory field missing")
	ErrOrder     = errors.New("emvqr: field out of place")
	ErrDuplicate = errors.New("emvqr: field repeated")
	ErrTemplate  = errors.New("emvqr: template does not parse")
	ErrAmount    = errors.New("emvqr: bad amount")
	ErrTooLong   = errors.New("emvqr: value too long")
	ErrID        = errors.New("emvqr: bad field ID")
)

// Object is one data object: a two-digit ID and its value.
type Object struct {
	ID    string
	Value string
}

// Decode splits one level of objects. It does not look inside templates.
func Decode(s string) ([]Object, error) {
	var objs []Object
	seen := map[string]bool{}
	for s != "" {
		if len(s) < 4 || !digits(s[:4]) {
			return nil, fmt.Errorf("%w: %q is not an ID and a length", ErrLength, truncate(s, 4))
		}
		id, n := s[:2], int(s[2]-'0')*10+int(s[3]-'0')
		rest := s[4:]
		value, ok := cutRunes(rest, n)
		if !ok {
			return nil, fmt.Errorf("%w: field %s says %d characters, %d left", ErrLength, id, n, utf8.RuneCountInString(rest))
		}
		if seen[id] {
			return nil, fmt.Errorf("%w: %s", ErrDuplicate, id)
		}
		seen[id] = true
		objs = append(objs, Object{ID: id, Value: value})
		s = rest[len(value):]
	}
	return objs, nil
}

// Encode joins objects, refusing a value over 99 characters or an ID that is not two digits.
func Encode(objs []Object) (string, error) {
	var b strings.Builder
	for _, o := range objs {
		n := utf8.RuneCountInString(o.Value)
		switch {
		case len(o.ID) != 2 || !digits(o.ID):
			return "", fmt.Errorf("%w: %q", ErrID, o.ID)
		case n > 99:
			return "", fmt.Errorf("%w: field %s has %d characters, at most 99", ErrTooLong, o.ID, n)
		}
		fmt.Fprintf(&b, "%s%02d%s", o.ID, n, o.Value)
	}
	return b.String(), nil
}

// CRC16 is CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.
func CRC16(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, b := range data {
		crc ^= uint16(b) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// withCRC appends the CRC object to an encoded payload.
func withCRC(body string) string {
	body += "6304"
	return body + fmt.Sprintf("%04X", CRC16([]byte(body)))
}

// isTemplate reports whether an object's value is itself a list of objects.
func isTemplate(id string) bool {
	n, _ := strconv.Atoi(id)
	return (n >= 26 && n <= 51) || n == 62 || n == 64 || n >= 80
}

// Account is a merchant account information template (IDs 26–51): the payment network's globally unique
// identifier (sub-object 00) and the network's own fields.
type Account struct {
	ID     string
	GUID   string
	Fields []Object
}

// Payload is a parsed merchant-presented payload. Objects keeps every top-level object in order, so
// String re-encodes a parsed payload byte for byte.
type Payload struct {
	Objects []Object

	FormatIndicator   string // 00
	NonStandardFormat bool   // 00 is not "01": one national scheme emits "02"
	Dynamic           bool   // 01 is "12": one payment, with its amount
	Accounts          []Account
	MCC               string // 52
	Currency          string // 53, ISO 4217 numeric: "156"
	Amount            string // 54, decimal text; "" when the customer types it
	Country           string // 58
	Name              string // 59
	City              string // 60
	BillNumber        string // 62/01
	Reference         string // 62/05
	AltLanguage       string // 64/00
	AltName           string // 64/01
	AltCity           string // 64/02
}

// Parse reads and checks a payload: the CRC (hex compared case-insensitively), the order of 00 and 63,
// the mandatory fields, the amount, and every template down to its last character.
func Parse(s string) (Payload, error) {
	var p Payload
	objs, err := Decode(s)
	if err != nil {
		return p, err
	}
	if len(objs) == 0 || objs[0].ID != "00" {
		return p, fmt.Errorf("%w: 00 must come first", ErrOrder)
	}
	last := objs[len(objs)-1]
	if last.ID != "63" {
		return p, fmt.Errorf("%w: 63 (CRC) must come last", ErrOrder)
	}
	if len(last.Value) != 4 {
		return p, fmt.Errorf("%w: CRC has %d characters", ErrLength, len(last.Value))
	}
	body := s[:len(s)-4]
	if want := fmt.Sprintf("%04X", CRC16([]byte(body))); !strings.EqualFold(want, last.Value) {
		return p, fmt.Errorf("%w: payload says %s, computed %s", ErrCRC, last.Value, want)
	}
	p.Objects = objs
	has := map[string]bool{}
	for _, o := range objs {
		has[o.ID] = true
		var sub []Object
		if isTemplate(o.ID) {
			if sub, err = Decode(o.Value); err != nil {
				return p, fmt.Errorf("%w: %s: %w", ErrTemplate, o.ID, err)
			}
		}
		n, _ := strconv.Atoi(o.ID)
		switch {
		case o.ID == "00":
			if len(o.Value) != 2 || !digits(o.Value) {
				return p, fmt.Errorf("%w: payload format indicator %q", ErrLength, o.Value)
			}
			p.FormatIndicator, p.NonStandardFormat = o.Value, o.Value != "01"
		case o.ID == "01":
			p.Dynamic = o.Value == "12"
		case n >= 2 && n <= 51:
			has["account"] = true
			if n >= 26 {
				a := Account{ID: o.ID, Fields: sub}
				if len(sub) > 0 && sub[0].ID == "00" {
					a.GUID = sub[0].Value
				}
				p.Accounts = append(p.Accounts, a)
			}
		case o.ID == "52":
			p.MCC = o.Value
		case o.ID == "53":
			p.Currency = o.Value
		case o.ID == "54":
			if !validAmount(o.Value) {
				return p, fmt.Errorf("%w: %q", ErrAmount, o.Value)
			}
			p.Amount = o.Value
		case o.ID == "58":
			p.Country = o.Value
		case o.ID == "59":
			p.Name = o.Value
		case o.ID == "60":
			p.City = o.Value
		case o.ID == "62":
			for _, so := range sub {
				switch so.ID {
				case "01":
					p.BillNumber = so.Value
				case "05":
					p.Reference = so.Value
				}
			}
		case o.ID == "64":
			for _, so := range sub {
				switch so.ID {
				case "00":
					p.AltLanguage = so.Value
				case "01":
					p.AltName = so.Value
				case "02":
					p.AltCity = so.Value
				}
			}
		}
	}
	for _, id := range []string{"account", "52", "53", "58", "59", "60"} {
		if !has[id] {
			if id == "account" {
				id = "merchant account (02–51)"
			}
			return p, fmt.Errorf("%w: %s", ErrMissing, id)
		}
	}
	switch {
	case utf8.RuneCountInString(p.Name) > 25:
		return p, fmt.Errorf("%w: merchant name over 25 characters", ErrTooLong)
	case utf8.RuneCountInString(p.City) > 15:
		return p, fmt.Errorf("%w: merchant city over 15 characters", ErrTooLong)
	}
	return p, nil
}

// String encodes the payload's objects with a fresh CRC.
func (p Payload) String() string {
	objs := p.Objects
	if n := len(objs); n > 0 && objs[n-1].ID == "63" {
		objs = objs[:n-1]
	}
	body, err := Encode(objs)
	if err != nil {
		return ""
	}
	return withCRC(body)
}

// AmountIn returns the payload's amount in currency c, whose numeric code must be the payload's.
func (p Payload) AmountIn(c money.Currency) (money.Amount, error) {
	if num, ok := numericCode(c.Code); !ok || num != p.Currency {
		return money.Amount{}, fmt.Errorf("%w: payload currency %s is not %s", ErrAmount, p.Currency, c.Code)
	}
	if p.Amount == "" {
		return money.Amount{}, fmt.Errorf("%w: no amount", ErrAmount)
	}
	// A payload may carry fewer decimals than the currency ("23.7"), never more.
	minor, err := money.ParseFixed(p.Amount, c.Exponent)
	if err != nil {
		return money.Amount{}, fmt.Errorf("%w: %q: %v", ErrAmount, p.Amount, err)
	}
	return money.New(minor, c), nil
}

// numericCode returns the ISO 4217 numeric code of the currency the till knows by code.
func numericCode(code string) (string, bool) {
	c, err := money.Lookup(code)
	return c.Numeric, err == nil && c.Numeric != ""
}

// Merchant is what a shop's payment QR code says about it.
type Merchant struct {
	AccountID                     string // the merchant account template's ID, "26" when empty
	GUID                          string // the payment network's globally unique identifier
	MerchantID                    string // the shop's ID with that network, sub-object 01
	MCC                           string // merchant category code, "5411"
	Country                       string // "CN"
	Name                          string // ≤ 25 characters; prefer Latin letters, the local name goes in AltName
	City                          string // ≤ 15 characters
	AltLanguage, AltName, AltCity string
}

// Dynamic returns the payload for one payment of amount under reference (62/05), which the payment's
// confirmation carries back so it is matched to this sale exactly once.
func Dynamic(m Merchant, amount money.Amount, reference string) (string, error) {
	if amount.Minor() <= 0 {
		return "", fmt.Errorf("%w: %s", ErrAmount, amount)
	}
	if reference == "" {
		return "", fmt.Errorf("%w: a dynamic payload needs its reference", ErrMissing)
	}
	return build(m, "12", &amount, reference)
}

// Static returns the shop's fixed payload, the customer typing the amount.
func Static(m Merchant) (string, error) { return build(m, "11", nil, "") }

func build(m Merchant, method string, amount *money.Amount, reference string) (string, error) {
	if m.GUID == "" {
		return "", fmt.Errorf("%w: merchant account GUID", ErrMissing)
	}
	for _, f := range []struct{ id, name, value string }{{"58", "country", m.Country}, {"59", "merchant name", m.Name}, {"60", "merchant city", m.City}} {
		if strings.TrimSpace(f.value) == "" { // mandatory: a wallet may refuse a code without it
			return "", fmt.Errorf("%w: %s (%s)", ErrMissing, f.name, f.id)
		}
	}
	account := []Object{{"00", m.GUID}}
	if m.MerchantID != "" {
		account = append(account, Object{"01", m.MerchantID})
	}
	accountValue, err := Encode(account)
	if err != nil {
		return "", err
	}
	id := m.AccountID
	if id == "" {
		id = "26"
	}
	mcc := m.MCC
	if mcc == "" {
		mcc = "5411"
	}
	var currency string
	if amount != nil {
		var ok bool
		if currency, ok = numericCode(amount.Currency().Code); !ok {
			return "", fmt.Errorf("%w: no numeric code for %s", ErrAmount, amount.Currency().Code)
		}
	}
	objs := []Object{{"00", "01"}, {"01", method}, {id, accountValue}, {"52", mcc}}
	if currency == "" {
		currency = money.CNY.Numeric
	}
	objs = append(objs, Object{"53", currency})
	if amount != nil {
		objs = append(objs, Object{"54", amount.Decimal()})
	}
	objs = append(objs, Object{"58", m.Country}, Object{"59", m.Name}, Object{"60", m.City})
	if reference != "" {
		additional, err := Encode([]Object{{"05", reference}})
		if err != nil {
			return "", err
		}
		objs = append(objs, Object{"62", additional})
	}
	if m.AltName != "" {
		lang := m.AltLanguage
		if lang == "" {
			lang = "ZH"
		}
		alt := []Object{{"00", lang}, {"01", m.AltName}}
		if m.AltCity != "" {
			alt = append(alt, Object{"02", m.AltCity})
		}
		v, err := Encode(alt)
		if err != nil {
			return "", err
		}
		objs = append(objs, Object{"64", v})
	}
	body, err := Encode(objs)
	if err != nil {
		return "", err
	}
	payload := withCRC(body)
	// What the till shows must be what any wallet accepts: check it as a wallet would.
	if _, err := Parse(payload); err != nil {
		return "", err
	}
	return payload, nil
}

// validAmount: digits with at most one '.', at most 13 characters, above zero.
func validAmount(s string) bool {
	if s == "" || len(s) > 13 || strings.Count(s, ".") > 1 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	nonZero := false
	for _, r := range s {
		switch {
		case r == '.':
		case r < '0' || r > '9':
			return false
		case r != '0':
			nonZero = true
		}
	}
	return nonZero
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// cutRunes returns the first n runes of s.
func cutRunes(s string, n int) (string, bool) {
	i := 0
	for range n {
		if i >= len(s) {
			return "", false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], true
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
