package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
)

func TestSecondCurrency(t *testing.T) {
	s := DefaultSettings()
	if _, ok := s.InSecondCurrency(cny(1250)); ok {
		t.Fatal("a shop without a second currency converted")
	}
	for _, kv := range [][2]string{{"second_currency", "USD"}, {"second_rate", "0.1380"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	// ¥12.50 × 0.1380 = $1.725: half to even gives $1.72.
	if got, ok := s.InSecondCurrency(cny(1250)); !ok || got.Minor() != 172 || got.Currency() != money.USD {
		t.Errorf("¥12.50 in USD = %v, %v", got, ok)
	}
	if err := s.Set("second_currency", "JPY"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("second_rate", "21.5"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.InSecondCurrency(cny(1250)); got.Minor() != 269 { // 268.75 yen
		t.Errorf("¥12.50 in JPY = %v", got)
	}
	for _, bad := range [][2]string{{"second_rate", "-1"}, {"second_rate", "abc"}, {"second_currency", "XXX"}, {"shop_name", strings.Repeat("店", 26)}, {"qr_mcc", "54"}, {"shop_country", "China"}, {"payment_url", "http://pay.example.com"}} {
		if err := s.Set(bad[0], bad[1]); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("Set(%q, %q) = %v", bad[0], bad[1], err)
		}
	}
	if err := s.Set("second_currency", "none"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.InSecondCurrency(cny(1250)); ok {
		t.Error("second currency still shown after none")
	}
}

func TestSecuritySettings(t *testing.T) {
	s := DefaultSettings()
	for _, kv := range [][2]string{{"discount_limit", "12.5"}, {"idle_lock_minutes", "0"}, {"pin_tries", "3"}, {"pin_lock_minutes", "30"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("set %s %s: %v", kv[0], kv[1], err)
		}
		if got := s.Value(kv[0]); got != kv[1] {
			t.Errorf("%s reads back %q, want %q", kv[0], got, kv[1])
		}
	}
	if s.Security != (Security{PINTries: 3, PINLock: 30 * time.Minute, IdleLock: 0, DiscountLimitBP: 1250}) {
		t.Errorf("security = %+v", s.Security)
	}
	for _, kv := range [][2]string{{"discount_limit", "101"}, {"discount_limit", "ten"}, {"idle_lock_minutes", "-1"}} {
		before := s
		if err := s.Set(kv[0], kv[1]); !errors.Is(err, ErrInvalidSetting) || s.Security != before.Security {
			t.Errorf("set %s %q = %v, security %+v", kv[0], kv[1], err, s.Security)
		}
	}
}

// The attack: an owner's slip, or someone at the CLI, turns the PIN lock off by setting a lock time of 0
// or 1,000 tries. Settings that would switch the protection off, or nearly, are refused and change
// nothing; the bounds themselves are taken.
func TestPINLockCannotBeSwitchedOff(t *testing.T) {
	s := DefaultSettings()
	for _, kv := range [][2]string{{"pin_tries", "3"}, {"pin_tries", "10"}, {"pin_lock_minutes", "1"}, {"pin_lock_minutes", "1440"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Errorf("set %s %s: %v", kv[0], kv[1], err)
		}
	}
	for _, kv := range [][2]string{{"pin_lock_minutes", "0"}, {"pin_lock_minutes", "-5"}, {"pin_lock_minutes", "1441"},
		{"pin_tries", "0"}, {"pin_tries", "1"}, {"pin_tries", "2"}, {"pin_tries", "11"}, {"pin_tries", "1000"}} {
		before := s
		if err := s.Set(kv[0], kv[1]); !errors.Is(err, ErrInvalidSetting) || s.Security != before.Security {
			t.Errorf("set %s %q = %v, security %+v", kv[0], kv[1], err, s.Security)
		}
	}
	s.Security.PINLock = 0
	if err := s.Validate(); !errors.Is(err, ErrInvalidSetting) {
		t.Errorf("Validate with no lock time: %v", err)
	}
	if _, err := NewPINs(make([]byte, 32), s.Security); !errors.Is(err, ErrInvalidSetting) {
		t.Errorf("NewPINs with no lock time: %v", err)
	}
}

func TestLineLimitSetting(t *testing.T) {
	s := DefaultSettings()
	if s.Value("line_limit") != "10000.00" {
		t.Fatalf("default line_limit %q", s.Value("line_limit"))
	}
	if err := s.Set("line_limit", "0"); err != nil || s.LineLimit != 0 {
		t.Fatalf("no limit: %v %d", err, s.LineLimit)
	}
	for _, bad := range []string{"-1", "abc", "1.234"} {
		if err := s.Set("line_limit", bad); err == nil {
			t.Errorf("line_limit %q taken", bad)
		}
	}
}
