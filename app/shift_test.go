package app

import (
	"errors"
	"testing"
	"time"

	"checkout/app/money"
)

func TestCountedTotal(t *testing.T) {
	cny := money.CNY
	for _, c := range []struct {
		name   string
		counts []DenominationCount
		want   int64
		err    error
	}{
		{"none", nil, 0, nil},
		{"notes and coins", []DenominationCount{{10000, 3}, {5000, 1}, {100, 12}, {50, 4}, {10, 7}}, 30000 + 5000 + 1200 + 200 + 70, nil},
		{"zero of a kind", []DenominationCount{{2000, 0}, {500, 2}}, 1000, nil},
		{"not a yuan denomination", []DenominationCount{{2500, 1}}, 0, ErrInvalidCount},
		{"counted twice", []DenominationCount{{100, 1}, {100, 2}}, 0, ErrInvalidCount},
		{"negative", []DenominationCount{{100, -1}}, 0, ErrInvalidCount},
		{"at the limit", []DenominationCount{{10000, money.MaxMinor / 10000}}, money.MaxMinor, nil},
		{"over the limit", []DenominationCount{{10000, money.MaxMinor/10000 + 1}}, 0, ErrInvalidCount},
		{"sum over the limit", []DenominationCount{{10000, money.MaxMinor / 10000}, {10, 1}}, 0, ErrInvalidCount},
		{"would overflow int64", []DenominationCount{{10000, 1 << 62}}, 0, ErrInvalidCount},
	} {
		got, err := CountedTotal(c.counts, cny)
		if !errors.Is(err, c.err) || (err == nil && got != money.New(c.want, cny)) {
			t.Errorf("%s: CountedTotal = %v, %v; want %d, %v", c.name, got, err, c.want, c.err)
		}
	}
	// A currency with no list is counted as one total, in minor units.
	if got, err := CountedTotal([]DenominationCount{{1, 12345}}, money.JPY); err != nil || got.Minor() != 12345 {
		t.Errorf("JPY total = %v, %v", got, err)
	}
	if ds := Denominations(money.JPY); len(ds) != 1 || !ds[0].Total || ds[0].Label(money.JPY) != "total" {
		t.Errorf("JPY denominations = %+v", ds)
	}
}

func TestDenominations(t *testing.T) {
	var labels []string
	for _, d := range Denominations(money.CNY) {
		labels = append(labels, d.Label(money.CNY))
	}
	if got := labels; len(got) != 8 || got[0] != "100" || got[5] != "1" || got[6] != "0.5" || got[7] != "0.1" {
		t.Errorf("CNY = %v", got)
	}
	for _, c := range []money.Currency{money.USD, money.EUR} {
		ds := Denominations(c)
		for i := 1; i < len(ds); i++ {
			if ds[i].Minor >= ds[i-1].Minor {
				t.Errorf("%s denominations not largest first: %+v", c.Code, ds)
			}
		}
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]DenominationCount{"100x3": {10000, 3}, "0.5X4": {50, 4}, " 1x12 ": {100, 12}, "123.45": {1, 12345}} {
		if got, err := ParseCount(in, money.CNY); err != nil || got != want {
			t.Errorf("ParseCount(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x3", "100x", "100x1.5", "0.005x1", "abc", "-5"} {
		if _, err := ParseCount(in, money.CNY); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("ParseCount(%q) = %v", in, err)
		}
	}
}

func TestShiftOverShort(t *testing.T) {
	c := money.CNY
	m := func(minor int64) money.Amount { return money.New(minor, c) }
	sh := Shift{OpenedAt: time.Now(), Float: m(50000), CashSales: m(12350), CashIn: m(10000), CashOut: m(20000)}
	sh.Reckon()
	if sh.Expected != m(52350) || !sh.OverShort.IsZero() {
		t.Fatalf("open: expected %s, over/short %s", sh.Expected, sh.OverShort)
	}
	sh.ClosedAt, sh.CountedTotal = time.Now(), m(52300)
	sh.Reckon()
	if sh.OverShort != m(-50) {
		t.Errorf("short by 0.50: over/short = %s", sh.OverShort)
	}
	sh.CountedTotal = m(52400)
	sh.Reckon()
	if sh.OverShort != m(50) {
		t.Errorf("over by 0.50: over/short = %s", sh.OverShort)
	}
	d := NewDrawer([]Shift{sh, sh}, &Shift{Expected: m(100)}, c)
	if d.Shifts != 2 || d.Floats != m(100000) || d.OverShort != m(100) || d.Counted != m(104800) || !d.Open || d.OpenExpected != m(100) {
		t.Errorf("drawer = %+v", d)
	}
}

func TestCashMoveCheck(t *testing.T) {
	ok := CashMove{Kind: CashOut, Amount: money.New(100, money.CNY), Reason: "safe_drop"}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m   CashMove
		err error
	}{
		{CashMove{Kind: CashIn, Amount: money.New(0, money.CNY), Reason: "change"}, ErrInvalidAmount},
		{CashMove{Kind: CashIn, Amount: money.New(-5, money.CNY), Reason: "change"}, ErrInvalidAmount},
		{CashMove{Kind: "sideways", Amount: money.New(5, money.CNY), Reason: "change"}, ErrInvalidAmount},
		{CashMove{Kind: CashIn, Amount: money.New(5, money.CNY), Reason: ""}, ErrInvalidReason},
		{CashMove{Kind: CashIn, Amount: money.New(5, money.CNY), Reason: "other"}, ErrInvalidReason},
		{CashMove{Kind: CashIn, Amount: money.New(5, money.CNY), Reason: "other:  "}, ErrInvalidReason},
		{CashMove{Kind: CashIn, Amount: money.New(5, money.CNY), Reason: "lunch"}, ErrInvalidReason},
		{CashMove{Kind: CashIn, Amount: money.New(5, money.CNY), Reason: "other: window cleaner"}, nil},
	} {
		if err := c.m.Check(); !errors.Is(err, c.err) {
			t.Errorf("%+v: Check = %v, want %v", c.m, err, c.err)
		}
	}
}
