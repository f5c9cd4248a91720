package store

import (
	"cmp"
	"context"
	"database/sql"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// mixedHistory writes three days of a till's work through the use cases, at random minutes (seeded): two
// cashiers selling cash and card, pieces and weighed lines, discounts, member sales, refunds, top-ups,
// voids and no-sales. It returns the first and last moment.
func mixedHistory(t *testing.T, s *Store) (time.Time, time.Time) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(26, 2026))
	start := time.Date(2026, 3, 27, 6, 58, 41, 250_000_000, time.Local) // Europe's clocks change on the 29th
	at := start
	now := func() time.Time { return at }
	staffed := staffTills(t, s, now)
	tills := []*app.Checkout{staffed["Wang"], staffed["Li"]}
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	member := newMember(t, s, "李娜", "139-0000-0001")
	codes := []string{"5449000000996", "6924743915763", "6924743915770", "0.455*2000101000006", "1.2*2000101000006"}
	var sold []*app.Sale
	for at.Before(start.Add(72 * time.Hour)) {
		at = at.Add(time.Duration(1+rng.IntN(50))*time.Minute + time.Duration(rng.IntN(60_000_000))*time.Microsecond)
		co := tills[rng.IntN(len(tills))]
		switch r := rng.IntN(20); {
		case r < 14:
			for range 1 + rng.IntN(4) {
				if _, err := co.Scan(ctx, codes[rng.IntN(len(codes))]); err != nil {
					t.Fatal(err)
				}
			}
			if rng.IntN(3) == 0 && co == tills[0] { // Wang: over a cashier's limit
				if err := co.SetDiscount(0, app.Discount{PercentBP: 1000}); err != nil {
					t.Fatal(err)
				}
			}
			if rng.IntN(3) == 0 {
				if err := co.SetMember(member); err != nil {
					t.Fatal(err)
				}
			}
			if rng.IntN(2) == 0 {
				_, err = co.PayCash(co.CashDue().Add(cny(int64(rng.IntN(3000)))))
			} else {
				_, err = co.PayCard(co.Due(), "A1", "4242")
			}
			if err != nil {
				t.Fatal(err)
			}
			sale, err := co.Complete(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sold = append(sold, sale)
		case r < 16 && len(sold) > 0:
			stored, err := s.SaleByReceipt(ctx, sold[rng.IntN(len(sold))].ReceiptNo)
			if err != nil {
				t.Fatal(err)
			}
			kind := app.TenderCash
			if rng.IntN(2) == 0 {
				kind = app.TenderCard
			}
			// a line refunded already is refused: that changes nothing, which is what the totals must show too
			co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: stored.Lines[0].Qty}}, app.RefundTo{Kind: kind}, "")
		case r < 18:
			tu, err := app.NewTopUp(set, member, cny(int64(5000+rng.IntN(5000))), app.Tender{Kind: app.TenderCash}, "Li", at)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.CommitTopUp(ctx, tu); err != nil {
				t.Fatal(err)
			}
		case r < 19:
			if _, err := co.Scan(ctx, codes[0]); err != nil {
				t.Fatal(err)
			}
			if err := co.Void(ctx); err != nil {
				t.Fatal(err)
			}
		default:
			if err := tills[0].NoSale(ctx, "change"); err != nil { // Wang: a cashier may not
				t.Fatal(err)
			}
		}
	}
	if len(sold) < 50 {
		t.Fatalf("only %d sales", len(sold))
	}
	return start, at
}

// summaryFromRows is what a period's summary must say, computed from the rows alone with the queries the
// reports ran before the totals existed: the reference the totals are checked against.
func summaryFromRows(t *testing.T, s *Store, from, to time.Time) app.DaySummary {
	t.Helper()
	ctx := context.Background()
	c := s.currency()
	m := func(minor int64) money.Amount { return money.New(minor, c) }
	sum := app.NewDaySummary(from, to, c)
	f, tt := timestamp(from), timestamp(to)
	query := func(scan func(*sql.Rows) error, q string) {
		t.Helper()
		if err := each(ctx, s.r, scan, q, f, tt); err != nil {
			t.Fatalf("%.40s: %v", strings.TrimSpace(q), err)
		}
	}
	query(func(rows *sql.Rows) error {
		var hour string
		var n, total, items, disc, tax, rounding, members, memberTotal int64
		if err := rows.Scan(&hour, &n, &total, &items, &disc, &tax, &rounding, &members, &memberTotal); err != nil {
			return err
		}
		at, _ := time.Parse("2006-01-02T15", hour)
		h := &sum.ByHour[at.In(from.Location()).Hour()]
		h.Sales, h.Revenue = h.Sales+n, h.Revenue.Add(m(total))
		if d := sum.Day(at); d != nil {
			d.Sales, d.Revenue = d.Sales+n, d.Revenue.Add(m(total))
		}
		sum.Sales += n
		sum.Revenue, sum.Discounts, sum.Tax = sum.Revenue.Add(m(total)), sum.Discounts.Add(m(disc)), sum.Tax.Add(m(tax))
		sum.Rounding, sum.Items = sum.Rounding.Add(m(rounding)), sum.Items+items
		sum.MemberSales, sum.MemberRevenue = sum.MemberSales+members, sum.MemberRevenue.Add(m(memberTotal))
		return nil
	}, `SELECT substr(completed_at, 1, 13), count(*), sum(total), sum(item_count), sum(discount), sum(tax), sum(rounding),
		count(member_id), coalesce(sum(CASE WHEN member_id IS NOT NULL THEN total END), 0)
		FROM sales WHERE completed_at >= ?1 AND completed_at < ?2 GROUP BY 1`)
	tenders := func(dst *[]app.TenderTotal, count *int64, total *money.Amount) func(*sql.Rows) error {
		return func(rows *sql.Rows) error {
			var kind string
			var n, amount int64
			if err := rows.Scan(&kind, &n, &amount); err != nil {
				return err
			}
			*dst = append(*dst, app.TenderTotal{Kind: app.TenderKind(kind), Count: n, Amount: m(amount)})
			if count != nil {
				*count, *total = *count+n, total.Add(m(amount))
			}
			return nil
		}
	}
	query(tenders(&sum.Tenders, nil, nil), `SELECT t.kind, count(*), sum(t.amount) FROM sales s JOIN tenders t ON t.sale_id = s.id
		WHERE s.completed_at >= ?1 AND s.completed_at < ?2 GROUP BY t.kind ORDER BY t.kind`)
	query(tenders(&sum.RefundsByKind, &sum.Refunds, &sum.RefundTotal), `SELECT tender_kind, count(*), sum(tender_amount)
		FROM refunds WHERE at >= ?1 AND at < ?2 GROUP BY tender_kind ORDER BY tender_kind`)
	query(tenders(&sum.TopUpsByKind, &sum.TopUps, &sum.TopUpTotal), `SELECT tender_kind, count(*), sum(amount)
		FROM topups WHERE at >= ?1 AND at < ?2 GROUP BY tender_kind ORDER BY tender_kind`)
	query(func(rows *sql.Rows) error {
		var r app.RateTax
		var tax int64
		err := rows.Scan(&r.RateBP, &tax)
		r.Tax = m(tax)
		sum.TaxByRate = append(sum.TaxByRate, r)
		return err
	}, `SELECT l.tax_rate_bp, sum(l.tax) FROM sales s JOIN sale_lines l ON l.sale_id = s.id
		WHERE s.completed_at >= ?1 AND s.completed_at < ?2 GROUP BY l.tax_rate_bp ORDER BY l.tax_rate_bp`)
	query(func(rows *sql.Rows) error {
		var ct app.CategoryTotal
		var qty, total, costed, cost int64
		err := rows.Scan(&ct.Category, &ct.CategoryZH, &qty, &total, &costed, &cost)
		ct.Qty, ct.Revenue = app.Quantity(qty), m(total)
		sum.ByCategory = append(sum.ByCategory, ct)
		sum.CostedRevenue, sum.Cost = sum.CostedRevenue.Add(m(costed)), sum.Cost.Add(m(cost))
		return err
	}, `SELECT l.category, (SELECT coalesce(max(category_zh), '') FROM products WHERE category = l.category), sum(l.qty), sum(l.total),
		coalesce(sum(CASE WHEN l.unit_cost > 0 THEN l.total - CASE s.tax_mode WHEN 'inclusive' THEN l.tax ELSE 0 END END), 0),
		coalesce(sum(CASE WHEN l.unit_cost > 0 THEN (l.unit_cost * l.qty + 500) / 1000 END), 0)
		FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.completed_at >= ?1 AND s.completed_at < ?2 GROUP BY l.category`)
	slices.SortFunc(sum.ByCategory, func(a, b app.CategoryTotal) int {
		return cmp.Or(b.Revenue.Cmp(a.Revenue), cmp.Compare(a.Category, b.Category))
	})
	query(func(rows *sql.Rows) error {
		var p app.ProductTotal
		var unit string
		var qty, total int64
		err := rows.Scan(&p.ProductID, &p.SKU, &p.Name, &p.NameZH, &unit, &qty, &total)
		p.Unit, p.Qty, p.Revenue = app.Unit(unit), app.Quantity(qty), m(total)
		sum.TopProducts = append(sum.TopProducts, p)
		return err
	}, `SELECT l.product_id, p.sku, p.name, p.name_zh, p.unit, sum(l.qty), sum(l.total) AS revenue
		FROM sales s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id
		WHERE s.completed_at >= ?1 AND s.completed_at < ?2 GROUP BY l.product_id ORDER BY revenue DESC, l.product_id LIMIT 10`)

	byName := map[string]*app.CashierTotal{}
	row := func(name string) *app.CashierTotal {
		if byName[name] == nil {
			r := app.NewCashierTotal(name, c)
			byName[name] = &r
		}
		return byName[name]
	}
	query(func(rows *sql.Rows) error {
		var name string
		var n, total, discounted, discount int64
		err := rows.Scan(&name, &n, &total, &discounted, &discount)
		r := row(name)
		r.Sales, r.Revenue, r.Discounted, r.DiscountTotal = n, m(total), discounted, m(discount)
		return err
	}, `SELECT cashier, count(*), sum(total), count(CASE WHEN discount <> 0 THEN 1 END), sum(discount)
		FROM sales WHERE completed_at >= ?1 AND completed_at < ?2 GROUP BY cashier`)
	query(func(rows *sql.Rows) error {
		var name string
		var n, total int64
		err := rows.Scan(&name, &n, &total)
		r := row(name)
		r.Refunds, r.RefundTotal = n, m(total)
		return err
	}, `SELECT cashier, count(*), sum(tender_amount) FROM refunds WHERE at >= ?1 AND at < ?2 GROUP BY cashier`)
	query(func(rows *sql.Rows) error {
		var name string
		var n, paid int64
		err := rows.Scan(&name, &n, &paid)
		r := row(name)
		r.Voids, r.VoidsPaid = n, paid
		sum.Voids += n
		return err
	}, `SELECT coalesce(payload ->> 'cashier', ''), count(*), count(CASE WHEN payload ->> 'approved_by' <> '' THEN 1 END)
		FROM journal WHERE kind = 'void' AND at >= ?1 AND at < ?2 GROUP BY 1`)
	query(func(rows *sql.Rows) error {
		var kind, name string
		var n int64
		err := rows.Scan(&kind, &name, &n)
		if kind == "override" {
			row(name).Approvals = n
		} else {
			row(name).NoSales = n
		}
		return err
	}, `SELECT kind, coalesce(CASE kind WHEN 'override' THEN payload ->> 'user' ELSE payload ->> 'cashier' END, ''), count(*)
		FROM journal WHERE kind IN ('no_sale', 'override') AND at >= ?1 AND at < ?2 GROUP BY 1, 2`)
	sum.ByCashier = []app.CashierTotal{}
	for _, r := range byName {
		sum.ByCashier = append(sum.ByCashier, *r)
	}
	app.SortCashiers(sum.ByCashier)
	return sum
}

// The totals give the same summary as the rows for any period: whole days, a few minutes inside one hour,
// periods starting and ending mid-hour and to the microsecond, the daylight-saving night, all three days.
func TestReportTotalsAgreeWithTheRows(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	first, last := mixedHistory(t, s)
	if err := s.verifyReportTotals(ctx); err != nil {
		t.Fatal(err)
	}
	day, _ := app.DayBounds(first)
	periods := [][2]time.Time{{first.Add(-time.Hour), last.Add(time.Hour)}, {day, day.AddDate(0, 0, 1)}, {day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)},
		{day.Add(10*time.Hour + 7*time.Minute), day.Add(10*time.Hour + 59*time.Minute)}, {first, last}, {first.Add(time.Microsecond), last}}
	rng := rand.New(rand.NewPCG(1, 2))
	span := last.Sub(first)
	for range 60 {
		from := first.Add(time.Duration(rng.Int64N(int64(span))))
		periods = append(periods, [2]time.Time{from, from.Add(time.Duration(rng.Int64N(int64(30 * time.Hour))))})
	}
	var sales int64
	for _, p := range periods {
		got, err := s.DaySummary(ctx, p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		want := summaryFromRows(t, s, p[0], p[1])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("[%s, %s):\n got %+v\nwant %+v", p[0].Format(time.RFC3339Nano), p[1].Format(time.RFC3339Nano), got, want)
		}
		cashiers, err := s.CashierTotals(ctx, p[0], p[1])
		if err != nil || !reflect.DeepEqual(cashiers, want.ByCashier) {
			t.Fatalf("cashier totals of [%s, %s): %+v, want %+v (%v)", p[0], p[1], cashiers, want.ByCashier, err)
		}
		sales += got.Sales
	}
	whole, _ := s.DaySummary(ctx, periods[0][0], periods[0][1])
	if whole.Refunds == 0 || whole.TopUps == 0 || whole.Voids == 0 || whole.MemberSales == 0 || whole.Discounts.IsZero() ||
		len(whole.Tenders) < 2 || len(whole.ByCashier) < 2 || whole.ByCashier[0].NoSales+whole.ByCashier[1].NoSales == 0 {
		t.Fatalf("the history lacks something the totals keep: %+v", whole)
	}
	if sales == 0 {
		t.Fatal("no period held a sale")
	}
}

// A line is reported under the category and at the cost it had when it was sold.
func TestReportTotalsKeepTheCategoryAndCostOfTheSale(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET cost = 433 WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	sellCash(t, s, "6924743915763")
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET cost = 900, category = 'crisps' WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	from, to := app.DayBounds(time.Now())
	sum, err := s.DaySummary(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.ByCategory) != 1 || sum.ByCategory[0].Category != "snacks" || sum.Cost.Minor() != 433 {
		t.Errorf("categories %+v, cost %s: want snacks at 4.33", sum.ByCategory, sum.Cost)
	}
	if err := s.verifyReportTotals(ctx); err != nil {
		t.Errorf("verify after the product changed: %v", err)
	}
}

// verify-journal finds totals that differ from the rows and names their hour; rebuild-reports mends them.
func TestVerifyJournalFindsReportTotalsThatDiffer(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	first, _ := mixedHistory(t, s)
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	var hour string
	if err := s.r.QueryRowContext(ctx, `SELECT hour FROM report_hours WHERE kind = 'sales' ORDER BY hour LIMIT 1 OFFSET 3`).Scan(&hour); err != nil {
		t.Fatal(err)
	}
	for _, tamper := range []string{
		`UPDATE report_hours SET amount = amount + 1 WHERE kind = 'sales' AND hour = '` + hour + `'`,
		`DELETE FROM report_hours WHERE kind = 'cashier' AND hour = '` + hour + `'`,
		`UPDATE product_hours SET qty = qty + 1000 WHERE hour = '` + hour + `'`,
		`INSERT INTO product_hours VALUES ('` + hour + `', 999, 1000, 1)`,
	} {
		if _, err := s.w.ExecContext(ctx, tamper); err != nil {
			t.Fatal(err)
		}
		_, err := s.VerifyJournal(ctx)
		if err == nil || !strings.Contains(err.Error(), strings.Replace(hour, "T", " ", 1)+":00 UTC") ||
			!strings.Contains(err.Error(), "rebuild-reports") {
			t.Errorf("after %s: verify says %v", tamper, err)
		}
		n, err := s.RebuildReportTotals(ctx)
		if err != nil || n == 0 {
			t.Fatalf("rebuild: %d rows, %v", n, err)
		}
		if _, err := s.VerifyJournal(ctx); err != nil {
			t.Errorf("after the rebuild: %v", err)
		}
	}
	// The rebuild reports what the triggers kept.
	want := summaryFromRows(t, s, first, first.Add(72*time.Hour))
	got, err := s.DaySummary(ctx, first, first.Add(72*time.Hour))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after the rebuilds: %+v, want %+v (%v)", got, want, err)
	}
}

// A till upgraded with history gets its totals from it: migration 0042 on a store that has sold.
func TestReportTotalsMigrationCountsTheHistory(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	first, last := mixedHistory(t, s)
	want := summaryFromRows(t, s, first, last)
	if _, err := s.w.ExecContext(ctx, undoReportTotals+`;
		CREATE INDEX sales_cashier_at ON sales (completed_at, cashier, discount, total)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.DaySummary(ctx, first, last)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after the migration: %+v, want %+v (%v)", got, want, err)
	}
	if err := s.verifyReportTotals(ctx); err != nil {
		t.Error(err)
	}
}
