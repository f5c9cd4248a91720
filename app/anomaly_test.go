package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app/money"
)

// ct is a cashier's row with the counts the anomaly rule reads.
func ct(name string, sales, refunds, voids, noSales, discounted int64) CashierTotal {
	c := NewCashierTotal(name, money.CNY)
	c.Sales, c.Refunds, c.Voids, c.NoSales, c.Discounted = sales, refunds, voids, noSales, discounted
	return c
}

func TestFindAnomaliesRule(t *testing.T) {
	usual := []CashierTotal{ct("Ann", 1000, 10, 20, 0, 100), ct("Bob", 19, 0, 0, 0, 0), ct("", 500, 50, 0, 0, 0)}
	// The shop's four weeks: 1519 sales, 60 refunds, 20 voids, 0 no-sales, 100 discounted.
	tests := []struct {
		name  string
		day   CashierTotal
		usual []CashierTotal
		want  []Anomaly
	}{
		{"two refunds are never an anomaly, even at 20× the usual rate", ct("Ann", 10, 2, 0, 0, 0), usual, nil},
		{"three refunds at exactly twice the usual rate", ct("Ann", 150, 3, 0, 0, 0), usual,
			[]Anomaly{{Cashier: "Ann", Kind: AnomalyRefunds, Count: 3, Sales: 150, Rate: 200, UsualCount: 10, UsualSales: 1000, UsualRate: 100}}},
		{"three refunds just under twice the usual rate", ct("Ann", 151, 3, 0, 0, 0), usual, nil},
		{"the usual rate of voids", ct("Ann", 100, 0, 2, 0, 10), usual, nil},
		{"never a no-sale before: three are flagged", ct("Ann", 100, 0, 0, 3, 0), usual,
			[]Anomaly{{Cashier: "Ann", Kind: AnomalyNoSales, Count: 3, Sales: 100, Rate: 300, UsualSales: 1000}}},
		{"several kinds at once, in order", ct("Ann", 100, 5, 0, 0, 30), usual, []Anomaly{
			{Cashier: "Ann", Kind: AnomalyRefunds, Count: 5, Sales: 100, Rate: 500, UsualCount: 10, UsualSales: 1000, UsualRate: 100},
			{Cashier: "Ann", Kind: AnomalyDiscounts, Count: 30, Sales: 100, Rate: 3000, UsualCount: 100, UsualSales: 1000, UsualRate: 1000}}},
		{"events without sales have no rate: three are flagged", ct("Ann", 0, 0, 3, 0, 0), usual,
			[]Anomaly{{Cashier: "Ann", Kind: AnomalyVoids, Count: 3, UsualCount: 20, UsualSales: 1000, UsualRate: 200}}},
		{"19 sales of history: the shop's rate stands in", ct("Bob", 100, 8, 0, 0, 0), usual,
			[]Anomaly{{Cashier: "Bob", Kind: AnomalyRefunds, Count: 8, Sales: 100, Rate: 800, UsualCount: 60, UsualSales: 1519, UsualRate: 395, Shop: true}}},
		{"at the shop's rate a new cashier is not flagged", ct("Cai", 100, 3, 0, 0, 0), []CashierTotal{ct("Ann", 100, 2, 0, 0, 0)}, nil},
		{"no history anywhere: three events are flagged", ct("Cai", 100, 3, 0, 0, 0), nil,
			[]Anomaly{{Cashier: "Cai", Kind: AnomalyRefunds, Count: 3, Sales: 100, Rate: 300, Shop: true}}},
		{"before users: never flagged", ct("", 10, 9, 9, 9, 9), usual, nil},
	}
	for _, tt := range tests {
		got := FindAnomalies([]CashierTotal{tt.day}, tt.usual)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: %+v, want %+v", tt.name, got[i], tt.want[i])
			}
		}
	}
}

func TestFindAnomaliesSortsByCashier(t *testing.T) {
	got := FindAnomalies([]CashierTotal{ct("bob", 10, 3, 0, 0, 0), ct("Ann", 10, 0, 3, 0, 0), ct("Cai", 10, 0, 0, 0, 0)}, nil)
	if len(got) != 2 || got[0].Cashier != "Ann" || got[1].Cashier != "bob" {
		t.Errorf("anomalies %+v", got)
	}
}

// book is a CashierBook that records the period asked for.
type book struct {
	from, to time.Time
	rows     []CashierTotal
	err      error
}

func (b *book) CashierTotals(_ context.Context, from, to time.Time) ([]CashierTotal, error) {
	b.from, b.to = from, to
	return b.rows, b.err
}

func TestAnomaliesLookFourWeeksBack(t *testing.T) {
	from := time.Date(2026, 3, 30, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	sum := NewDaySummary(from, from.AddDate(0, 0, 1), money.CNY)
	sum.ByCashier = []CashierTotal{ct("Ann", 100, 4, 0, 0, 0)}
	b := &book{rows: []CashierTotal{ct("Ann", 1000, 10, 0, 0, 0)}}
	got, err := Anomalies(context.Background(), b, sum)
	if err != nil || len(got) != 1 || got[0].Kind != AnomalyRefunds {
		t.Fatalf("anomalies %+v, %v", got, err)
	}
	if !b.from.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, from.Location())) || !b.to.Equal(from) {
		t.Errorf("baseline asked for %v – %v", b.from, b.to)
	}
	b.err = errors.New("disk")
	if _, err := Anomalies(context.Background(), b, sum); err == nil {
		t.Error("a failed baseline read was not reported")
	}
	g := GuardedReports{Book: nil, Session: func() *Session { return &Session{user: User{Name: "Li", Role: RoleCashier}} }}
	if _, err := g.Anomalies(context.Background(), sum); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("a cashier read the anomalies: %v", err)
	}
}
