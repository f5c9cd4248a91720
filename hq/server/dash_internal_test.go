package server

import (
	"testing"

	"checkout/app/money"
)

func TestAmountOf(t *testing.T) {
	for _, tt := range []struct {
		sum  string
		cur  money.Currency
		want int64
		bad  bool
	}{
		{"12.5000", money.CNY, 1250, false},
		{"0", money.CNY, 0, false},
		{"-3.1000", money.CNY, -310, false},
		{"1200.0000", money.JPY, 1200, false},
		{"12.3450", money.CNY, 0, true}, // more decimals than the currency: refused, never rounded
		{"x", money.CNY, 0, true},
	} {
		a, err := amountOf(tt.sum, tt.cur)
		if (err != nil) != tt.bad || err == nil && a.Minor() != tt.want {
			t.Errorf("amountOf(%q, %s) = %v, %v", tt.sum, tt.cur.Code, a, err)
		}
	}
}

func TestChange(t *testing.T) {
	p := &dashPage{Lang: "en"}
	y := func(minor int64) money.Amount { return money.New(minor, money.CNY) }
	for _, tt := range []struct {
		now, before any
		want        change
	}{
		{y(11000), y(10000), change{"▲ +10.0%", "up"}},
		{y(9000), y(10000), change{"▼ -10.0%", "down"}},
		{int64(3), int64(3), change{"±0%", "same"}},
		{int64(3), int64(0), change{"new", "up"}},
		{int64(2), int64(3), change{"▼ -33.3%", "down"}},
		{int64(10001), int64(10000), change{"±0%", "same"}}, // under a tenth of a percent
	} {
		if got := p.Change(tt.now, tt.before); got != tt.want {
			t.Errorf("Change(%v, %v) = %v, want %v", tt.now, tt.before, got, tt.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/dash/shops/north?date=2026-01-02": "/dash/shops/north?date=2026-01-02",
		"":                                  "/dash/",
		"https://evil.example/dash/":        "/dash/",
		"//evil.example/dash/":              "/dash/",
		"/v1/shops/x/upload":                "/dash/",
		"/dash":                             "/dash/",
		"javascript:alert(1)":               "/dash/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !checkPassword(h, "correct horse battery") || checkPassword(h, "correct horse batterY") {
		t.Error("the hash does not tell the password")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=4194304,t=2,p=2$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5"} {
		if checkPassword(bad, "") {
			t.Errorf("%q taken", bad)
		}
	}
}

func TestNiceTop(t *testing.T) {
	for top, want := range map[int64]int64{0: 1, 1: 1, 100: 1, 101: 2, 9900: 100, 10001: 200, 45000: 500, 123456: 2000} {
		if got := niceTop(top, money.CNY); got != want {
			t.Errorf("niceTop(%d) = %d, want %d", top, got, want)
		}
	}
}
