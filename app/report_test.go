package app

import (
	"context"
	"sync"
	"testing"
	"time"

	"checkout/app/money"
)

func TestDaySummaryRatios(t *testing.T) {
	c := money.CNY
	tests := []struct {
		name                          string
		sales, revenue, items         int64
		members, memberRevenue        int64
		avg, perBasket, share, rshare int64
	}{
		{"no sales", 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{"exact", 4, 1000, 10, 1, 100, 250, 250, 2500, 1000},
		{"half rounds to even, down", 4, 10, 1, 1, 5, 2, 25, 2500, 5000}, // 2.5 → 2; 0.25 items → 25
		{"half rounds to even, up", 4, 14, 3, 3, 7, 4, 75, 7500, 5000},   // 3.5 → 4
		{"thirds", 3, 1000, 10, 1, 333, 333, 333, 3333, 3330},            // 333.33 → 333
		{"two thirds", 3, 2000, 2, 2, 1999, 667, 67, 6667, 9995},         // 666.67 → 667
	}
	for _, tt := range tests {
		s := NewDaySummary(time.Time{}, time.Time{}, c)
		s.Sales, s.Revenue, s.Items = tt.sales, money.New(tt.revenue, c), tt.items
		s.MemberSales, s.MemberRevenue = tt.members, money.New(tt.memberRevenue, c)
		if got := s.AverageBasket(); got != money.New(tt.avg, c) {
			t.Errorf("%s: average basket = %s, want %d", tt.name, got, tt.avg)
		}
		if got := s.ItemsPerBasket(); got != tt.perBasket {
			t.Errorf("%s: items per basket = %d, want %d", tt.name, got, tt.perBasket)
		}
		if got := s.MemberShareBP(); got != tt.share {
			t.Errorf("%s: member share = %d, want %d", tt.name, got, tt.share)
		}
		if got := s.MemberRevenueShareBP(); got != tt.rshare {
			t.Errorf("%s: member revenue share = %d, want %d", tt.name, got, tt.rshare)
		}
	}
}

func TestCashExpected(t *testing.T) {
	c := money.CNY
	s := NewDaySummary(time.Time{}, time.Time{}, c)
	s.Tenders = []TenderTotal{{TenderCard, 3, money.New(9000, c)}, {TenderCash, 2, money.New(1950, c)}}
	s.TopUpsByKind = []TenderTotal{{TenderCash, 1, money.New(10000, c)}, {TenderCard, 1, money.New(5000, c)}}
	s.RefundsByKind = []TenderTotal{{TenderCash, 1, money.New(300, c)}, {TenderCard, 1, money.New(650, c)}}
	if got := s.CashExpected(); got != money.New(1950+10000-300, c) {
		t.Errorf("cash expected = %s", got)
	}
	if got := s.Tender(TenderWallet); got.Count != 0 || got.Amount != money.Zero(c) {
		t.Errorf("no wallet tenders = %+v", got)
	}
}

func TestCompare(t *testing.T) {
	c := money.CNY
	now, then := NewDaySummary(time.Time{}, time.Time{}, c), NewDaySummary(time.Time{}, time.Time{}, c)
	now.Sales, now.Revenue = 9, money.New(11250, c)
	then.Sales, then.Revenue = 8, money.New(10000, c)
	cmp := now.Compare(then)
	if cmp.Revenue != (Change{Now: 11250, Then: 10000, Delta: 1250, PercentBP: 1250, HasPercent: true}) {
		t.Errorf("revenue %+v", cmp.Revenue)
	}
	if cmp.Sales.PercentBP != 1250 || cmp.AverageBasket.Now != 1250 || cmp.AverageBasket.Then != 1250 || cmp.AverageBasket.Delta != 0 {
		t.Errorf("sales %+v, basket %+v", cmp.Sales, cmp.AverageBasket)
	}
	if got := then.Compare(NewDaySummary(time.Time{}, time.Time{}, c)).Revenue; got.HasPercent || got.Delta != 10000 {
		t.Errorf("against an empty day: %+v", got)
	}
	if got := NewChange(-5, 3); got.PercentBP != -26667 { // −8/3 = −266.67%
		t.Errorf("fall: %+v", got)
	}
}

func TestComparedPeriodAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	// Sunday 2024-03-31 is 23 hours long in Berlin; the Sunday before is 24.
	from, to := DayBounds(time.Date(2024, 3, 31, 15, 0, 0, 0, berlin))
	if to.Sub(from) != 23*time.Hour {
		t.Fatalf("DST day is %v long", to.Sub(from))
	}
	pf, pt := ComparedPeriod(from, to)
	if pf != time.Date(2024, 3, 24, 0, 0, 0, 0, berlin) || pt != time.Date(2024, 3, 25, 0, 0, 0, 0, berlin) {
		t.Errorf("last week = [%v, %v)", pf, pt)
	}
	// A week and a month around the same Sunday: Monday to Monday, the 1st to the 1st, each compared with
	// the week and the month before, midnight to midnight across the change.
	wf, wt := PeriodWeek.Bounds(time.Date(2024, 3, 31, 23, 59, 0, 0, berlin))
	if wf != time.Date(2024, 3, 25, 0, 0, 0, 0, berlin) || wt != time.Date(2024, 4, 1, 0, 0, 0, 0, berlin) {
		t.Errorf("week = [%v, %v)", wf, wt)
	}
	if pf, pt := ComparedPeriod(wf, wt); pf != time.Date(2024, 3, 18, 0, 0, 0, 0, berlin) || pt != wf {
		t.Errorf("the week before = [%v, %v)", pf, pt)
	}
	mf, mt := PeriodMonth.Bounds(time.Date(2024, 3, 31, 0, 0, 0, 0, berlin))
	if mf != time.Date(2024, 3, 1, 0, 0, 0, 0, berlin) || mt != time.Date(2024, 4, 1, 0, 0, 0, 0, berlin) {
		t.Errorf("month = [%v, %v)", mf, mt)
	}
	if pf, pt := ComparedPeriod(mf, mt); pf != time.Date(2024, 2, 1, 0, 0, 0, 0, berlin) || pt != mf {
		t.Errorf("the month before = [%v, %v)", pf, pt)
	}
	if next := PeriodMonth.Step(time.Date(2024, 1, 1, 0, 0, 0, 0, berlin), 1); next != time.Date(2024, 2, 1, 0, 0, 0, 0, berlin) {
		t.Errorf("the month after January starts %v", next)
	}
	// A Monday is its own week's first day.
	if wf, _ := PeriodWeek.Bounds(time.Date(2024, 3, 25, 8, 0, 0, 0, berlin)); wf != time.Date(2024, 3, 25, 0, 0, 0, 0, berlin) {
		t.Errorf("Monday's week starts %v", wf)
	}
	if ZNo("T01", 7) != "T01-Z0007" {
		t.Errorf("Z number %s", ZNo("T01", 7))
	}
}

// periodBook records the periods a day page reads.
type periodBook struct {
	mu    sync.Mutex
	reads [][2]time.Time
}

func (b *periodBook) DaySummary(_ context.Context, from, to time.Time) (DaySummary, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reads = append(b.reads, [2]time.Time{from, to})
	return NewDaySummary(from, to, money.CNY), nil
}

func (b *periodBook) CashierTotals(context.Context, time.Time, time.Time) ([]CashierTotal, error) {
	return nil, nil
}

func (b *periodBook) Alarms(context.Context, time.Time, time.Time) ([]Alarm, error) { return nil, nil }

// While a period is under way its headline figures are set against the compared period up to the same
// point (a morning against last week's morning, December 1–6 against November 1–6); once it is over,
// against the whole of it.
func TestDayPageComparesSoFarWhileUnderWay(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 6, 15, 30, 0, 0, loc)
	for _, tt := range []struct {
		period Period
		at     time.Time
		soFar  [2]time.Time // zero: none
	}{
		{PeriodDay, now, [2]time.Time{time.Date(2026, 11, 29, 0, 0, 0, 0, loc), time.Date(2026, 11, 29, 15, 30, 0, 0, loc)}},
		{PeriodMonth, now, [2]time.Time{time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 11, 6, 15, 30, 0, 0, loc)}},
		{PeriodDay, now.AddDate(0, 0, -1), [2]time.Time{}},
		{PeriodWeek, now.AddDate(0, 0, -7), [2]time.Time{}},
	} {
		book := &periodBook{}
		from, to := tt.period.Bounds(tt.at)
		page, err := ReadDayPage(context.Background(), book, from, to, now)
		if err != nil {
			t.Fatal(err)
		}
		if tt.soFar[0].IsZero() {
			if page.ComparedSoFar != nil || len(book.reads) != 2 {
				t.Errorf("%v of %s, over: compared so far %v, reads %v", tt.period, tt.at, page.ComparedSoFar, book.reads)
			}
			continue
		}
		if page.ComparedSoFar == nil || !page.ComparedSoFar.From.Equal(tt.soFar[0]) || !page.ComparedSoFar.To.Equal(tt.soFar[1]) {
			t.Errorf("%v under way: compared so far %+v, want %v", tt.period, page.ComparedSoFar, tt.soFar)
		}
		if cf, ct := ComparedPeriod(from, to); !page.Compared.From.Equal(cf) || !page.Compared.To.Equal(ct) {
			t.Errorf("%v under way: the chart's compared period is [%s, %s)", tt.period, page.Compared.From, page.Compared.To)
		}
	}
}

// The compared period's matching moment: as many calendar days in at the same clock time, never past its
// end; and a period starting mid-day (an X report) still has its days from midnight.
func TestSameMomentAndDaysFromMidnight(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	mar := time.Date(2026, 3, 1, 0, 0, 0, 0, loc)
	feb := time.Date(2026, 2, 1, 0, 0, 0, 0, loc)
	if got := SameMomentIn(mar, time.Date(2026, 3, 31, 15, 30, 0, 0, loc), feb, mar); !got.Equal(mar) {
		t.Errorf("the 31st of March against February: %v", got)
	}
	if got := SameMomentIn(mar, time.Date(2026, 3, 6, 15, 30, 0, 0, loc), feb, mar); !got.Equal(time.Date(2026, 2, 6, 15, 30, 0, 0, loc)) {
		t.Errorf("the 6th of March against February: %v", got)
	}
	x := NewDaySummary(time.Date(2026, 12, 4, 22, 13, 0, 0, loc), time.Date(2026, 12, 6, 15, 0, 0, 0, loc), money.CNY)
	if len(x.ByDay) != 3 || !x.ByDay[0].Day.Equal(time.Date(2026, 12, 4, 0, 0, 0, 0, loc)) {
		t.Fatalf("days %v", x.ByDay)
	}
	if d := x.Day(time.Date(2026, 12, 5, 9, 0, 0, 0, loc)); d == nil || !d.Day.Equal(time.Date(2026, 12, 5, 0, 0, 0, 0, loc)) {
		t.Errorf("a sale on the 5th falls in %v", d)
	}
}
