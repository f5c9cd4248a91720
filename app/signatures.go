package app

import (
	"fmt"
	"strings"

	"checkout/app/money"
)

// Signatures say when the shopper signs on the touch screen (电子签名): for a refund, confirming they got
// the money, and for a card payment at or over an amount. The signature is stored with its document.
type Signatures struct {
	Refunds   bool  // every refund is signed for
	CardOver  int64 // card payments of at least this many minor units are signed for; 0: none
	TopUpOver int64 // prepaid top-ups of at least this many minor units are signed for; 0: none
	// MemberConsent: a new member with personal details signs their consent to the shop keeping them.
	MemberConsent bool
}

// RefundSigned reports whether a refund needs the shopper's signature.
func (s Settings) RefundSigned() bool { return s.Signatures.Refunds }

// CardSigned reports whether a card payment of a needs the shopper's signature.
func (s Settings) CardSigned(a money.Amount) bool {
	return s.Signatures.CardOver > 0 && a.Minor() >= s.Signatures.CardOver
}

// ConsentSigned reports whether storing m, a new member, needs their signed consent: the shop asks, and
// m has personal details (a name or a phone number).
func (s Settings) ConsentSigned(m Member) bool {
	return s.Signatures.MemberConsent && m.ID == 0 && (strings.TrimSpace(m.Name) != "" || strings.TrimSpace(m.Phone) != "")
}

// TopUpSigned reports whether a prepaid top-up of a needs the shopper's signature.
func (s Settings) TopUpSigned(a money.Amount) bool {
	return s.Signatures.TopUpOver > 0 && a.Minor() >= s.Signatures.TopUpOver
}

// setSignatures applies a signature setting to s; ok is false for a key that is not one.
func (s *Settings) setSignatures(key, value string) (ok bool, err error) {
	switch key {
	case "signature.refunds":
		switch value {
		case "on", "off":
			s.Signatures.Refunds = value == "on"
		default:
			return true, fmt.Errorf("%w: signature.refunds %q: on or off", ErrInvalidSetting, value)
		}
	case "signature.card_over":
		a, err := money.Parse(value, s.Currency)
		if err != nil || a.Minor() < 0 {
			return true, fmt.Errorf("%w: signature.card_over %q: card payments of at least this amount are signed for, such as 1000 (0: none)", ErrInvalidSetting, value)
		}
		s.Signatures.CardOver = a.Minor()
	case "signature.member_consent":
		switch value {
		case "on", "off":
			s.Signatures.MemberConsent = value == "on"
		default:
			return true, fmt.Errorf("%w: signature.member_consent %q: on or off", ErrInvalidSetting, value)
		}
	case "signature.topup_over":
		a, err := money.Parse(value, s.Currency)
		if err != nil || a.Minor() < 0 {
			return true, fmt.Errorf("%w: signature.topup_over %q: top-ups of at least this amount are signed for, such as 500 (0: none)", ErrInvalidSetting, value)
		}
		s.Signatures.TopUpOver = a.Minor()
	default:
		return false, nil
	}
	return true, nil
}

func (s Settings) signatureValues() [][2]string {
	refunds := "off"
	if s.Signatures.Refunds {
		refunds = "on"
	}
	consent := "off"
	if s.Signatures.MemberConsent {
		consent = "on"
	}
	return [][2]string{{"signature.card_over", money.New(s.Signatures.CardOver, s.Currency).Decimal()},
		{"signature.member_consent", consent}, {"signature.refunds", refunds},
		{"signature.topup_over", money.New(s.Signatures.TopUpOver, s.Currency).Decimal()}}
}
