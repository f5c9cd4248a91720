package app

import (
	"errors"
	"testing"

	"checkout/app/money"
)

// Signatures are off by default; each setting changes within its bounds and reads back as set, and a
// card payment is signed for from the amount set on, never at 0.
func TestSignatureSettings(t *testing.T) {
	s := DefaultSettings()
	if s.RefundSigned() || s.CardSigned(money.New(1_000_000_00, money.CNY)) || s.Value("signature.refunds") != "off" || s.Value("signature.card_over") != "0.00" {
		t.Fatalf("default %+v", s.Signatures)
	}
	for _, kv := range [][2]string{{"signature.refunds", "on"}, {"signature.card_over", "1000"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if s.Signatures != (Signatures{Refunds: true, CardOver: 100000}) || !s.RefundSigned() {
		t.Errorf("set %+v", s.Signatures)
	}
	for _, tt := range []struct {
		minor int64
		want  bool
	}{{99999, false}, {100000, true}, {250000, true}} {
		if got := s.CardSigned(money.New(tt.minor, money.CNY)); got != tt.want {
			t.Errorf("card %d signed %v", tt.minor, got)
		}
	}
	for _, bad := range [][2]string{{"signature.refunds", "yes"}, {"signature.card_over", "-1"}, {"signature.card_over", "lots"}, {"signature.pens", "1"}} {
		if err := s.Set(bad[0], bad[1]); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s=%s: %v", bad[0], bad[1], err)
		}
	}
	if again := readBack(t, s.signatureValues()); again.Signatures != s.Signatures {
		t.Errorf("read back %+v, set %+v", again.Signatures, s.Signatures)
	}
}

// The signature settings read back as set; a new member needs consent only with details and only when
// the shop asks.
func TestSignatureSettingsAllFour(t *testing.T) {
	s := DefaultSettings()
	for _, kv := range [][2]string{{"signature.refunds", "on"}, {"signature.card_over", "200"}, {"signature.topup_over", "500"},
		{"signature.member_consent", "on"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if !s.RefundSigned() || !s.CardSigned(cny(20000)) || s.CardSigned(cny(19999)) || !s.TopUpSigned(cny(50000)) || s.TopUpSigned(cny(49999)) {
		t.Errorf("signatures %+v", s.Signatures)
	}
	if !s.ConsentSigned(Member{Name: "王芳"}) || s.ConsentSigned(Member{}) || s.ConsentSigned(Member{ID: 7, Name: "王芳"}) {
		t.Error("consent asked wrongly")
	}
	for _, bad := range [][2]string{{"signature.member_consent", "yes"}, {"signature.topup_over", "-1"}} {
		if err := s.Set(bad[0], bad[1]); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s=%s: %v", bad[0], bad[1], err)
		}
	}
	if again := readBack(t, s.signatureValues()); again.Signatures != s.Signatures {
		t.Errorf("read back %+v, set %+v", again.Signatures, s.Signatures)
	}
}

// readBack sets values, as a group's Values give them, on the default settings: what reading the
// settings back gives.
func readBack(t *testing.T, values [][2]string) Settings {
	t.Helper()
	again := DefaultSettings()
	for _, kv := range values {
		if err := again.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	return again
}
