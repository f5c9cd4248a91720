package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// expected is what a period's report must say, summed in the test from the sales, refunds and top-ups
// as the till returned them, not from the database.
type expected struct {
	sales, items, members                         int64
	revenue, tax, discounts, memberRevenue        int64
	tenders, tenderCounts                         map[app.TenderKind]int64
	taxByRate, byCategory, byProduct              map[string]int64
	refunds, refundTotal, cashRefunds, cashTopUps int64
}

func newExpected() *expected {
	return &expected{tenders: map[app.TenderKind]int64{}, tenderCounts: map[app.TenderKind]int64{}, taxByRate: map[string]int64{},
		byCategory: map[string]int64{}, byProduct: map[string]int64{}}
}

var testCategories = map[string]string{"DRK-001": "drinks", "SNK-001": "snacks", "PRO-001": "produce"}

func (e *expected) sale(s *app.Sale) {
	e.sales++
	e.items += s.Totals.ItemCount
	e.revenue += s.Totals.Total.Minor()
	e.tax += s.Totals.Tax.Minor()
	e.discounts += s.Totals.Discount.Minor()
	if s.Member != nil {
		e.members++
		e.memberRevenue += s.Totals.Total.Minor()
	}
	for _, t := range s.Tenders {
		e.tenders[t.Kind] += t.Amount.Minor()
		e.tenderCounts[t.Kind]++
	}
	for _, l := range s.Lines {
		e.taxByRate[money.FormatFixed(l.TaxRateBP, 0)] += l.Tax.Minor()
		e.byCategory[testCategories[l.Product.SKU]] += l.Total.Minor()
		e.byProduct[l.Product.SKU] += l.Total.Minor()
	}
}

func (e *expected) refund(r *app.Refund) {
	e.refunds++
	e.refundTotal += r.Tender.Amount.Minor()
	if r.Tender.Kind == app.TenderCash {
		e.cashRefunds += r.Tender.Amount.Minor()
	}
}

// check compares a report's figures with what the test summed.
func (e *expected) check(t *testing.T, name string, got app.DaySummary, voids int64) {
	t.Helper()
	cashExpected := e.tenders[app.TenderCash] + e.cashTopUps - e.cashRefunds
	for _, f := range []struct {
		what      string
		got, want int64
	}{
		{"sales", got.Sales, e.sales}, {"revenue", got.Revenue.Minor(), e.revenue}, {"items", got.Items, e.items},
		{"tax", got.Tax.Minor(), e.tax}, {"discounts", got.Discounts.Minor(), e.discounts},
		{"member sales", got.MemberSales, e.members}, {"member revenue", got.MemberRevenue.Minor(), e.memberRevenue},
		{"refunds", got.Refunds, e.refunds}, {"refund total", got.RefundTotal.Minor(), e.refundTotal},
		{"voids", got.Voids, voids}, {"cash expected", got.CashExpected().Minor(), cashExpected},
		{"tender kinds", int64(len(got.Tenders)), int64(len(e.tenders))},
		{"categories", int64(len(got.ByCategory)), int64(len(e.byCategory))},
	} {
		if f.got != f.want {
			t.Errorf("%s: %s = %d, want %d", name, f.what, f.got, f.want)
		}
	}
	for kind, amount := range e.tenders {
		if tt := got.Tender(kind); tt.Amount.Minor() != amount || tt.Count != e.tenderCounts[kind] {
			t.Errorf("%s: %s tenders = %d × %s, want %d × %d", name, kind, tt.Count, tt.Amount, e.tenderCounts[kind], amount)
		}
	}
	var taxSum, hourSales, hourRevenue int64
	for _, r := range got.TaxByRate {
		taxSum += r.Tax.Minor()
		if want := e.taxByRate[money.FormatFixed(r.RateBP, 0)]; r.Tax.Minor() != want {
			t.Errorf("%s: tax at %d bp = %s, want %d", name, r.RateBP, r.Tax, want)
		}
	}
	for _, h := range got.ByHour {
		hourSales += h.Sales
		hourRevenue += h.Revenue.Minor()
	}
	if taxSum != e.tax || hourSales != e.sales || hourRevenue != e.revenue {
		t.Errorf("%s: tax by rate sums to %d (want %d), hours to %d sales, %d (want %d, %d)", name, taxSum, e.tax, hourSales,
			hourRevenue, e.sales, e.revenue)
	}
	for _, c := range got.ByCategory {
		if c.Revenue.Minor() != e.byCategory[c.Category] {
			t.Errorf("%s: category %q = %s, want %d", name, c.Category, c.Revenue, e.byCategory[c.Category])
		}
	}
	for i, p := range got.TopProducts {
		if p.Revenue.Minor() != e.byProduct[p.SKU] || (i > 0 && got.TopProducts[i-1].Revenue.Cmp(p.Revenue) < 0) {
			t.Errorf("%s: top product %d %s = %s, want %d, by revenue", name, i+1, p.SKU, p.Revenue, e.byProduct[p.SKU])
		}
	}
}

// ring scans codes on a fresh checkout.
func ring(t *testing.T, s *Store, codes ...string) *app.Checkout {
	t.Helper()
	co := newCheckout(t, s)
	for _, code := range codes {
		if _, err := co.Scan(context.Background(), code); err != nil {
			t.Fatalf("scan %s: %v", code, err)
		}
	}
	return co
}

func complete(t *testing.T, co *app.Checkout) *app.Sale {
	t.Helper()
	sale, err := co.Complete(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sale
}

func TestZReportTotalsAreTheDaysSales(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	day := newExpected()

	// A member tops up 100.00 in cash: it is cash in the drawer, not a sale.
	m := newMember(t, s, "Wang Fang", "13800138000")
	topUp(t, s, m, 10000)
	day.cashTopUps += 10000
	m, _ = s.MemberByNumber(ctx, m.Number)

	// Cash with change: 9.50 paid with 20.00; the drawer keeps 9.50.
	co := ring(t, s, "5449000000996", "6924743915763")
	if _, err := co.PayCash(cny(2000)); err != nil {
		t.Fatal(err)
	}
	first := complete(t, co)
	day.sale(first)
	// Card.
	co = ring(t, s, "6924743915763", "6924743915770")
	if _, err := co.PayCard(co.Due(), "A1B2C3", "4242"); err != nil {
		t.Fatal(err)
	}
	day.sale(complete(t, co))
	// A member's sale, part prepaid, the rest cash with change.
	co = ring(t, s, "5449000000996", "5449000000996", "5449000000996")
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(cny(500)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(cny(1000)); err != nil {
		t.Fatal(err)
	}
	day.sale(complete(t, co))
	// A free sale: discounted to nothing, completed with no tender.
	co = ring(t, s, "5449000000996")
	if err := co.SetDiscount(0, app.Discount{PercentBP: 10_000}); err != nil {
		t.Fatal(err)
	}
	day.sale(complete(t, co))
	// Weighed, reduced rate, exact cash.
	day.sale(sellCash(t, s, "0.455*2000101000006"))
	// A can from the first sale comes back in cash.
	stored, err := s.SaleByReceipt(ctx, first.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	r, err := newCheckout(t, s).RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}},
		app.RefundTo{Kind: app.TenderCash}, "dented")
	if err != nil {
		t.Fatal(err)
	}
	day.refund(r)
	// A sale abandoned at the till.
	co = ring(t, s, "5449000000996")
	if err := co.Void(ctx); err != nil {
		t.Fatal(err)
	}

	x, err := s.XReport(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	day.check(t, "X report", x, 1)
	z1, err := s.CloseDay(ctx, time.Now(), "owner")
	if err != nil {
		t.Fatal(err)
	}
	if z1.No != "T01-Z0001" || z1.Number != 1 || z1.User != "owner" {
		t.Errorf("first Z: %s (%d) by %q", z1.No, z1.Number, z1.User)
	}
	day.check(t, "first Z", z1.Summary, 1)
	if z1.Summary.Discounts.Minor() != 300 || z1.Summary.Tender(app.TenderPrepaid).Amount != cny(500) {
		t.Errorf("first Z: discounts %s, prepaid %s", z1.Summary.Discounts, z1.Summary.Tender(app.TenderPrepaid).Amount)
	}
	if z1.Summary.MemberShareBP() != 2000 { // one sale in five
		t.Errorf("member share = %d bp", z1.Summary.MemberShareBP())
	}

	// Nothing has happened since: an X report now is empty, and starts where the Z ended.
	x, err = s.XReport(ctx, time.Now())
	if err != nil || x.Sales != 0 || !x.From.Equal(z1.At.UTC().Truncate(time.Microsecond)) {
		t.Errorf("X report after the Z: %d sales from %v (Z ended %v), %v", x.Sales, x.From, z1.At, err)
	}

	later := newExpected()
	co = ring(t, s, "6924743915763")
	if _, err := co.PayCard(co.Due(), "ZZ99", "1111"); err != nil {
		t.Fatal(err)
	}
	later.sale(complete(t, co))
	z2, err := s.CloseDay(ctx, time.Now(), "owner")
	if err != nil {
		t.Fatal(err)
	}
	if z2.No != "T01-Z0002" || !z2.Summary.From.Equal(z1.At.UTC().Truncate(time.Microsecond)) {
		t.Errorf("second Z: %s from %v, first ended %v", z2.No, z2.Summary.From, z1.At)
	}
	later.check(t, "second Z", z2.Summary, 0)

	if _, err := s.CloseDay(ctx, z1.At, "owner"); !errors.Is(err, app.ErrZBeforePrevious) {
		t.Errorf("a Z ending before the last one = %v", err)
	}

	// The whole day, both Z periods, as the dashboard asks for it.
	sum, err := s.DaySummary(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || sum.Sales != 6 || sum.Revenue.Minor() != day.revenue+later.revenue {
		t.Errorf("day summary: %d sales, %s, %v", sum.Sales, sum.Revenue, err)
	}

	if n := count(t, s, "outbox WHERE kind = 'zreport'"); n != 2 {
		t.Errorf("outbox Z rows = %d", n)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("journal: %d rows, %v", n, err)
	}
	for _, q := range []string{`UPDATE zreports SET revenue = 0`, `DELETE FROM zreports WHERE id = 1`} {
		if _, err := s.w.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v", q, err)
		}
	}
	// Someone with sqlite3 drops the trigger and lowers the first Z's cash.
	if _, err := s.w.Exec(`DROP TRIGGER zreports_append_only_update; UPDATE zreports SET cash_expected = cash_expected - 1000 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "T01-Z0001") {
		t.Fatalf("VerifyJournal after tampering with a Z report = %v", err)
	}
}

// A Z report carries its own journal row, the journal's head when it was made: what it prints. Stored,
// it reads that row back as the journal holds it, later rows notwithstanding.
func TestZReportCarriesTheJournalHead(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	z, err := s.CloseDay(ctx, time.Now(), "owner")
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	var hash string
	if err := s.r.QueryRow(`SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	if want := (app.ChainHead{Seq: seq, Hash: hash}); z.Head != want || seq != 2 || z.Head.String() != fmt.Sprintf("2 · %s", hash[:16]) {
		t.Fatalf("Z head %+v, the journal's %+v", z.Head, want)
	}
	sellCash(t, s, "5449000000996")
	stored, err := s.ZReportByNo(ctx, z.No)
	if err != nil || stored.Head != z.Head {
		t.Errorf("stored Z head %+v, %v; printed %+v", stored.Head, err, z.Head)
	}
}

func TestZReportAddedBehindTheJournalIsFound(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	if _, err := s.w.Exec(`DROP TRIGGER zreports_bound; INSERT INTO zreports (id, uuid, till, z_no, from_at, to_at, currency, sales,
		revenue, tax, refunds, refund_total, voids, cash_expected, summary) VALUES (1, 'x', 'T01', 'T01-Z0001', '', '', 'CNY', 0, 0, 0, 0, 0, 0, 0, '{}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "T01-Z0001 has no journal entry") {
		t.Fatalf("VerifyJournal = %v", err)
	}
}

func TestEmptyTillZReportAndExport(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	z, err := s.CloseDay(ctx, time.Now(), "")
	if err != nil || z.Summary.Sales != 0 || !z.Summary.Revenue.IsZero() || z.Summary.AverageBasket() != cny(0) {
		t.Fatalf("Z of an empty till: %+v, %v", z, err)
	}
	sale := sellCash(t, s, "5449000000996", "0.455*2000101000006")
	var lines []app.SoldLine
	err = s.EachSoldLine(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), func(l app.SoldLine) error {
		lines = append(lines, l)
		return nil
	})
	if err != nil || len(lines) != 2 || lines[0].ReceiptNo != sale.ReceiptNo || lines[1].Qty != app.Grams(455) ||
		lines[0].Tenders != "cash" || lines[1].Total != sale.Lines[1].Total {
		t.Fatalf("exported %+v, %v", lines, err)
	}
	if _, err := s.DaySummary(ctx, time.Now(), time.Now().Add(-time.Second)); err == nil {
		t.Error("a period that ends before it starts was summed")
	}
}

// The summary carries what the owner's page shows in Chinese (the categories' and products' zh names),
// the margin of the lines whose product has a cost, and each day of a longer period.
func TestSummaryCategoryZHMarginAndDays(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET category_zh = '零食', cost = 433 WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET cost = 0`+` WHERE sku <> 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	chips := sellCash(t, s, "6924743915763", "6924743915770") // two bags at 6.50, cost 4.33
	sellCash(t, s, "0.455*2000101000006")                     // bananas: no cost, left out of the margin

	now := time.Now()
	from, _ := app.DayBounds(now)
	from = from.AddDate(0, 0, -2)
	to := from.AddDate(0, 0, 4)
	sum, err := s.DaySummary(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var snacks *app.CategoryTotal
	for i := range sum.ByCategory {
		if sum.ByCategory[i].Category == "snacks" {
			snacks = &sum.ByCategory[i]
		}
	}
	if snacks == nil || snacks.CategoryZH != "零食" {
		t.Fatalf("snacks category: %+v", sum.ByCategory)
	}
	var zh string
	for _, p := range sum.TopProducts {
		if p.SKU == "SNK-001" {
			zh = p.NameZH
		}
	}
	if zh != "乐事原味薯片 70g" {
		t.Errorf("top product zh name %q", zh)
	}
	var net int64
	for _, l := range chips.Lines {
		net += l.Total.Minor() - l.Tax.Minor() // the test shop's prices include tax
	}
	if sum.CostedRevenue.Minor() != net || sum.Cost.Minor() != 866 {
		t.Errorf("costed revenue %s cost %s, want %d and 8.66", sum.CostedRevenue, sum.Cost, net)
	}
	margin, bp, known := sum.Margin()
	if !known || margin.Minor() != net-866 || bp != app.ShareBP(net-866, net) {
		t.Errorf("margin %s (%d bp, known %v)", margin, bp, known)
	}
	if len(sum.ByDay) != 4 {
		t.Fatalf("%d days in a four-day period", len(sum.ByDay))
	}
	for i, d := range sum.ByDay {
		want := int64(0)
		if i == 2 {
			want = 2
		}
		if d.Sales != want || !d.Day.Equal(from.AddDate(0, 0, i)) {
			t.Errorf("day %d: %s with %d sales, want %d", i, d.Day, d.Sales, want)
		}
	}
	if sum.ByDay[2].Revenue != sum.Revenue {
		t.Errorf("today's revenue %s, the period's %s", sum.ByDay[2].Revenue, sum.Revenue)
	}
}
