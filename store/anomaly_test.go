package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// TestCashierTotalsAndAnomalies runs four days and a today of two cashiers through the real use cases:
// Wang (supervisor) never refunded and refunds three of today's six sales; Li (cashier) discounts a
// third of her sales as usual, voids two sales today (one after payment, which Wang approves) and asks
// for that approval. The per-cashier figures must equal what the test added up itself, and only Wang's
// refunds are an anomaly.
func TestCashierTotalsAndAnomalies(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.Local)
	at := today
	now := func() time.Time { return at }
	till := staffTills(t, s, now)
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// want[day] holds what each cashier did on that day, added up here from what the use cases returned.
	want := map[time.Time]map[string]*app.CashierTotal{}
	row := func(name string) *app.CashierTotal {
		day, _ := app.DayBounds(at)
		if want[day] == nil {
			want[day] = map[string]*app.CashierTotal{}
		}
		if want[day][name] == nil {
			r := app.NewCashierTotal(name, set.Currency)
			want[day][name] = &r
		}
		return want[day][name]
	}
	tick := func() { at = at.Add(time.Minute) }
	sell := func(name string, discount bool) *app.Sale {
		t.Helper()
		tick()
		co := till[name]
		if _, err := co.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
		if discount {
			if err := co.SetDiscount(0, app.Discount{PercentBP: 1000}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := co.PayCash(co.CashDue()); err != nil {
			t.Fatal(err)
		}
		sale, err := co.Complete(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := row(name)
		r.Sales++
		r.Revenue = r.Revenue.Add(sale.Totals.Total)
		if !sale.Totals.Discount.IsZero() {
			r.Discounted++
			r.DiscountTotal = r.DiscountTotal.Add(sale.Totals.Discount)
		}
		return sale
	}
	refund := func(name string, sale *app.Sale) {
		t.Helper()
		tick()
		stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := till[name].RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}},
			app.RefundTo{Kind: app.TenderCash}, "changed mind")
		if err != nil {
			t.Fatal(err)
		}
		r := row(name)
		r.Refunds++
		r.RefundTotal = r.RefundTotal.Add(ref.Tender.Amount)
	}

	for d := -4; d <= 0; d++ {
		at = today.AddDate(0, 0, d).Add(9 * time.Hour)
		var wang []*app.Sale
		for i := range 6 {
			wang = append(wang, sell("Wang", false))
			sell("Li", i%3 == 0 || (d == 0 && i == 1)) // 2 of 6 discounted; 3 of 6 today
		}
		if d == 0 {
			for _, sale := range wang[:3] {
				refund("Wang", sale)
			}
		}
	}
	// Today Li abandons a sale before payment, then one after taking some cash, which Wang approves.
	li := till["Li"]
	tick()
	if _, err := li.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if err := li.Void(ctx); err != nil {
		t.Fatal(err)
	}
	row("Li").Voids++
	tick()
	if _, err := li.Scan(ctx, "6924743915763"); err != nil {
		t.Fatal(err)
	}
	if _, err := li.PayCashPart(cny(100)); err != nil {
		t.Fatal(err)
	}
	if err := li.Void(ctx); !errors.Is(err, app.ErrNotPermitted) {
		t.Fatalf("a cashier voided a paid sale alone: %v", err)
	}
	if err := li.Session().Approve(ctx, "Wang", "2222", app.PermVoidPaid, "void"); err != nil {
		t.Fatal(err)
	}
	row("Li").Approvals++
	if err := li.Void(ctx); err != nil {
		t.Fatal(err)
	}
	row("Li").Voids++
	row("Li").VoidsPaid++
	tick()
	if err := till["Wang"].NoSale(ctx, "change for a note"); err != nil {
		t.Fatal(err)
	}
	row("Wang").NoSales++

	check := func(what string, got []app.CashierTotal, want map[string]app.CashierTotal) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d cashiers %+v, want %+v", what, len(got), got, want)
		}
		for i, g := range got {
			if g != want[g.Cashier] {
				t.Errorf("%s: %+v\nwant %+v", what, g, want[g.Cashier])
			}
			if i > 0 && got[i-1].Cashier > g.Cashier {
				t.Errorf("%s: %q before %q", what, got[i-1].Cashier, g.Cashier)
			}
		}
	}
	_, end := app.DayBounds(today)
	sum, err := s.DaySummary(ctx, today, end)
	if err != nil {
		t.Fatal(err)
	}
	day := map[string]app.CashierTotal{}
	for name, r := range want[today] {
		day[name] = *r
	}
	check("today", sum.ByCashier, day)
	if sum.Voids != 2 || sum.Refunds != 3 || sum.Sales != 12 {
		t.Errorf("today: %d voids, %d refunds, %d sales", sum.Voids, sum.Refunds, sum.Sales)
	}

	history := map[string]app.CashierTotal{}
	for d, names := range want {
		if !d.Before(today) {
			continue
		}
		for name, r := range names {
			h, ok := history[name]
			if !ok {
				h = app.NewCashierTotal(name, set.Currency)
			}
			h.Sales, h.Revenue, h.Discounted = h.Sales+r.Sales, h.Revenue.Add(r.Revenue), h.Discounted+r.Discounted
			h.DiscountTotal = h.DiscountTotal.Add(r.DiscountTotal)
			history[name] = h
		}
	}
	usual, err := s.CashierTotals(ctx, today.AddDate(0, 0, -4), today)
	if err != nil {
		t.Fatal(err)
	}
	check("the four days before", usual, history)

	anomalies, err := s.Anomalies(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	wantA := app.Anomaly{Cashier: "Wang", Kind: app.AnomalyRefunds, Count: 3, Sales: 6, Rate: 5000, UsualSales: 24}
	if len(anomalies) != 1 || anomalies[0] != wantA {
		t.Errorf("anomalies %+v, want only %+v", anomalies, wantA)
	}
	// The day page reads the same three things at once.
	from, to := app.DayBounds(today)
	page, err := s.DayPage(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	lastWeek, err := s.DaySummary(ctx, from.AddDate(0, 0, -7), to.AddDate(0, 0, -7))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(page.Day, sum) || !reflect.DeepEqual(page.Compared, lastWeek) || !reflect.DeepEqual(page.Anomalies, anomalies) {
		t.Errorf("day page %+v\nwant day %+v, last week %+v, anomalies %+v", page, sum, lastWeek, anomalies)
	}

	// The Z report (since the first sale: all five days) keeps the figures by cashier, and the journal still verifies.
	z, err := s.CloseDay(ctx, end, "Olivia")
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	if err := s.r.QueryRow(`SELECT summary FROM zreports WHERE uuid = ?`, z.ID).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, `"cashier":"Li","sales":30`) || !strings.Contains(doc, `"voids_after_payment":1`) {
		t.Errorf("the Z report's document has no figures by cashier: %s", doc)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

// A period without a cashier leaves the Z report's document as it was before cashiers were counted.
func TestSummaryDocWithoutCashiers(t *testing.T) {
	b, err := json.Marshal(newSummaryDoc(app.NewDaySummary(time.Now(), time.Now().Add(time.Hour), money.CNY)))
	if err != nil || strings.Contains(string(b), "by_cashier") {
		t.Errorf("empty summary document %s, %v", b, err)
	}
}

// staffTills makes the staff (staff) and returns a checkout on s for each of Wang (supervisor) and Li
// (cashier), signed in, on the clock now.
func staffTills(t *testing.T, s *Store, now func() time.Time) map[string]*app.Checkout {
	t.Helper()
	ctx := context.Background()
	auth, _ := staff(t, s, now)
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tills := map[string]*app.Checkout{}
	for _, u := range []struct{ name, pin string }{{"Wang", "2222"}, {"Li", "3333"}} {
		session, err := auth.SignIn(ctx, u.name, u.pin)
		if err != nil {
			t.Fatal(err)
		}
		co, err := app.NewCheckout(set, s, s, now)
		if err != nil {
			t.Fatal(err)
		}
		co.SetSession(session)
		tills[u.name] = co
	}
	return tills
}
