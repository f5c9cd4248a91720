package app

import (
	"errors"
	"strings"
	"testing"

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
