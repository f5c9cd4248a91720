package app

import (
	"errors"
	"testing"
	"time"

	"checkout/app/money"
)

func TestPointsEarned(t *testing.T) {
	c := money.CNY
	line := func(category string, total int64) Line {
		return Line{Product: Product{Category: category}, Total: money.New(total, c)}
	}
	l := Loyalty{PointsPerUnit: 1000, PointValue: 1, Exclude: []string{"tobacco"}, Tiers: map[string]int64{"gold": 150}}
	for _, tt := range []struct {
		name    string
		l       Loyalty
		tier    string
		lines   []Line
		tenders []Tender
		want    int64
	}{
		{"a point per whole yuan, rounded down", l, "", []Line{line("drinks", 1999)}, nil, 19},
		{"tobacco earns nothing", l, "", []Line{line("drinks", 1000), line("tobacco", 5000)}, nil, 10},
		{"gold earns half as much again", l, "gold", []Line{line("drinks", 1999)}, nil, 29},
		{"an unknown tier earns the standard rate", l, "silver", []Line{line("drinks", 1000)}, nil, 10},
		{"points paid earn nothing", l, "", []Line{line("drinks", 1000)}, []Tender{{Kind: TenderPoints, Amount: money.New(250, c)}}, 7},
		{"prepaid and cash earn", l, "", []Line{line("drinks", 1000)}, []Tender{{Kind: TenderPrepaid, Amount: money.New(500, c)}}, 10},
		{"half a point per yuan", Loyalty{PointsPerUnit: 500}, "", []Line{line("drinks", 1999)}, nil, 9},
		{"nothing eligible", l, "", []Line{line("tobacco", 1000)}, nil, 0},
		{"no lines", l, "", nil, nil, 0},
	} {
		if got := PointsEarned(tt.l, tt.tier, tt.lines, tt.tenders); got != tt.want {
			t.Errorf("%s: %d points, want %d", tt.name, got, tt.want)
		}
	}
}

func TestTopUpBonusAndChecks(t *testing.T) {
	s := DefaultSettings()
	if err := s.Set("topup_bonus", "500:80, 100:10"); err != nil {
		t.Fatal(err)
	}
	if got := s.Value("topup_bonus"); got != "100.00:10.00,500.00:80.00" {
		t.Errorf("topup_bonus reads back as %q", got)
	}
	m := Member{ID: 1, Number: "M000001"}
	for amount, bonus := range map[int64]int64{9999: 0, 10000: 1000, 49999: 1000, 50000: 8000} {
		tu, err := NewTopUp(s, m, money.New(amount, money.CNY), Tender{Kind: TenderCash}, "", time.Time{})
		if err != nil || tu.Bonus.Minor() != bonus {
			t.Errorf("top-up %d: bonus %v, %v", amount, tu, err)
		}
	}
	cash, err := NewTopUp(s, m, money.New(10000, money.CNY), Tender{Kind: TenderCash, Tendered: money.New(20000, money.CNY)}, "", time.Time{})
	if err != nil || cash.PaidBy.Change.Minor() != 10000 {
		t.Errorf("cash top-up with change: %+v, %v", cash, err)
	}
	for name, tt := range map[string]struct {
		m      Member
		amount int64
		by     Tender
		want   error
	}{
		"no member":         {Member{}, 10000, Tender{Kind: TenderCash}, ErrNoMember},
		"nothing":           {m, 0, Tender{Kind: TenderCash}, ErrInvalidAmount},
		"paid by prepaid":   {m, 100, Tender{Kind: TenderPrepaid}, ErrInvalidAmount},
		"card with change":  {m, 100, Tender{Kind: TenderCard, Approval: "A1B2", CardLast4: "4242", Tendered: money.New(200, money.CNY)}, ErrOverpaid},
		"card, no approval": {m, 100, Tender{Kind: TenderCard, CardLast4: "4242"}, ErrInvalidCardDetails},
		"card, bad last 4":  {m, 100, Tender{Kind: TenderCard, Approval: "A1B2", CardLast4: "42"}, ErrInvalidCardDetails},
		"too little cash":   {m, 100, Tender{Kind: TenderCash, Tendered: money.New(50, money.CNY)}, ErrUnderpaid},
	} {
		if _, err := NewTopUp(s, tt.m, money.New(tt.amount, money.CNY), tt.by, "", time.Time{}); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", name, err, tt.want)
		}
	}
}
