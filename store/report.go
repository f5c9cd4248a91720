package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

// querier is what the report queries need: a read snapshot (*sql.Tx on the readers) or the Z report's
// write transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DaySummary sums up what the till took in [from, to): aggregate queries over the period's sales (found
// through sales_completed_at), their lines and tenders, refunds, voids, top-ups and the figures by
// cashier, all in one read
// snapshot so the figures agree with each other. Hours are counted in from's location.
func (s *Store) DaySummary(ctx context.Context, from, to time.Time) (app.DaySummary, error) {
	if err := app.CheckPeriod(from, to); err != nil {
		return app.DaySummary{}, err
	}
	var sum app.DaySummary
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		var err error
		sum, err = s.summary(ctx, tx, from, to)
		return err
	})
	return sum, err
}

// readSnapshot runs fn in one read transaction on the readers.
func (s *Store) readSnapshot(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// tenderTotals fills sum's tenders, refunds and top-ups by tender kind over its period with q: all that
// the cash a drawer should hold is reckoned from (DaySummary.CashExpected).
func (s *Store) tenderTotals(ctx context.Context, q querier, sum *app.DaySummary) error {
	f, t := timestamp(sum.From), timestamp(sum.To)
	m := func(minor int64) money.Amount { return money.New(minor, sum.Currency) }
	tenders := func(dst *[]app.TenderTotal) func(*sql.Rows) error {
		return func(rows *sql.Rows) error {
			var kind string
			var n, amount int64
			if err := rows.Scan(&kind, &n, &amount); err != nil {
				return err
			}
			*dst = append(*dst, app.TenderTotal{Kind: app.TenderKind(kind), Count: n, Amount: m(amount)})
			return nil
		}
	}
	if err := each(ctx, q, tenders(&sum.Tenders), `SELECT t.kind, count(*), sum(t.amount)
		FROM sales s JOIN tenders t ON t.sale_id = s.id WHERE s.completed_at >= ? AND s.completed_at < ?
		GROUP BY t.kind ORDER BY t.kind`, f, t); err != nil {
		return fmt.Errorf("tenders: %w", err)
	}
	if err := each(ctx, q, tenders(&sum.RefundsByKind), `SELECT tender_kind, count(*), sum(tender_amount)
		FROM refunds WHERE at >= ? AND at < ? GROUP BY tender_kind ORDER BY tender_kind`, f, t); err != nil {
		return fmt.Errorf("refunds: %w", err)
	}
	for _, r := range sum.RefundsByKind {
		sum.Refunds += r.Count
		sum.RefundTotal = sum.RefundTotal.Add(r.Amount)
	}
	if err := each(ctx, q, tenders(&sum.TopUpsByKind), `SELECT tender_kind, count(*), sum(amount)
		FROM topups WHERE at >= ? AND at < ? GROUP BY tender_kind ORDER BY tender_kind`, f, t); err != nil {
		return fmt.Errorf("top-ups: %w", err)
	}
	for _, r := range sum.TopUpsByKind {
		sum.TopUps += r.Count
		sum.TopUpTotal = sum.TopUpTotal.Add(r.Amount)
	}
	return nil
}

// summary computes a DaySummary of [from, to) with q.
func (s *Store) summary(ctx context.Context, q querier, from, to time.Time) (app.DaySummary, error) {
	c := s.currency()
	sum := app.NewDaySummary(from, to, c)
	f, t := timestamp(from), timestamp(to)
	m := func(minor int64) money.Amount { return money.New(minor, c) }

	// Sales by UTC hour: each hour is then put in its local hour, which a fixed offset in SQL would get
	// wrong on a daylight-saving day.
	err := each(ctx, q, func(rows *sql.Rows) error {
		var hour string
		var n, total, items, disc, tax, rounding, members, memberTotal int64
		if err := rows.Scan(&hour, &n, &total, &items, &disc, &tax, &rounding, &members, &memberTotal); err != nil {
			return err
		}
		at, err := time.Parse("2006-01-02T15", hour)
		if err != nil {
			return fmt.Errorf("sale time %q: %w", hour, err)
		}
		h := &sum.ByHour[at.In(from.Location()).Hour()]
		h.Sales += n
		h.Revenue = h.Revenue.Add(m(total))
		if d := sum.Day(at); d != nil {
			d.Sales += n
			d.Revenue = d.Revenue.Add(m(total))
		}
		sum.Sales += n
		sum.Revenue, sum.Discounts, sum.Tax = sum.Revenue.Add(m(total)), sum.Discounts.Add(m(disc)), sum.Tax.Add(m(tax))
		sum.Rounding = sum.Rounding.Add(m(rounding))
		sum.Items += items
		sum.MemberSales += members
		sum.MemberRevenue = sum.MemberRevenue.Add(m(memberTotal))
		return nil
	}, `SELECT substr(completed_at, 1, 13), count(*), sum(total), sum(item_count), sum(discount), sum(tax), sum(rounding),
		count(member_id), coalesce(sum(CASE WHEN member_id IS NOT NULL THEN total END), 0)
		FROM sales WHERE completed_at >= ? AND completed_at < ? GROUP BY 1`, f, t)
	if err != nil {
		return sum, fmt.Errorf("sales: %w", err)
	}

	if err := s.tenderTotals(ctx, q, &sum); err != nil {
		return sum, err
	}
	if sum.ByCashier, err = s.cashierTotals(ctx, q, from, to); err != nil {
		return sum, err
	}
	for _, c := range sum.ByCashier {
		sum.Voids += c.Voids
	}

	if err := each(ctx, q, func(rows *sql.Rows) error {
		var r app.RateTax
		var tax int64
		if err := rows.Scan(&r.RateBP, &tax); err != nil {
			return err
		}
		r.Tax = m(tax)
		sum.TaxByRate = append(sum.TaxByRate, r)
		return nil
	}, `SELECT l.tax_rate_bp, sum(l.tax) FROM sales s JOIN sale_lines l ON l.sale_id = s.id
		WHERE s.completed_at >= ? AND s.completed_at < ? GROUP BY l.tax_rate_bp ORDER BY l.tax_rate_bp`, f, t); err != nil {
		return sum, fmt.Errorf("tax: %w", err)
	}
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var ct app.CategoryTotal
		var qty, total, costed, cost int64
		if err := rows.Scan(&ct.Category, &ct.CategoryZH, &qty, &total, &costed, &cost); err != nil {
			return err
		}
		ct.Qty, ct.Revenue = app.Quantity(qty), m(total)
		sum.ByCategory = append(sum.ByCategory, ct)
		sum.CostedRevenue, sum.Cost = sum.CostedRevenue.Add(m(costed)), sum.Cost.Add(m(cost))
		return nil
	}, `SELECT p.category, max(p.category_zh), sum(l.qty), sum(l.total),
		coalesce(sum(CASE WHEN p.cost > 0 THEN l.total - CASE s.tax_mode WHEN 'inclusive' THEN l.tax ELSE 0 END END), 0),
		coalesce(sum(CASE WHEN p.cost > 0 THEN (p.cost * l.qty + 500) / 1000 END), 0)
		FROM sales s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id
		WHERE s.completed_at >= ? AND s.completed_at < ? GROUP BY p.category`, f, t); err != nil {
		return sum, fmt.Errorf("categories: %w", err)
	}
	slices.SortFunc(sum.ByCategory, func(a, b app.CategoryTotal) int {
		return cmp.Or(b.Revenue.Cmp(a.Revenue), cmp.Compare(a.Category, b.Category))
	})
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var p app.ProductTotal
		var unit string
		var qty, total int64
		if err := rows.Scan(&p.ProductID, &p.SKU, &p.Name, &p.NameZH, &unit, &qty, &total); err != nil {
			return err
		}
		p.Unit, p.Qty, p.Revenue = app.Unit(unit), app.Quantity(qty), m(total)
		sum.TopProducts = append(sum.TopProducts, p)
		return nil
	}, `SELECT l.product_id, max(l.sku), max(l.name), max(l.name_zh), max(l.unit), sum(l.qty), sum(l.total) AS revenue
		FROM sales s JOIN sale_lines l ON l.sale_id = s.id
		WHERE s.completed_at >= ? AND s.completed_at < ?
		GROUP BY l.product_id ORDER BY revenue DESC, l.product_id LIMIT ?`, f, t, app.TopProductsLimit); err != nil {
		return sum, fmt.Errorf("top products: %w", err)
	}
	return sum, nil
}

// each runs query and calls scan for every row.
func each(ctx context.Context, q querier, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// XReport returns the figures since the last Z report (or since the first recorded sale) up to at, as a
// Z report would close them, without storing anything.
func (s *Store) XReport(ctx context.Context, at time.Time) (app.DaySummary, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return app.DaySummary{}, err
	}
	var sum app.DaySummary
	err = s.readSnapshot(ctx, func(tx *sql.Tx) error {
		from, err := s.zStart(ctx, tx, at)
		if err != nil {
			return err
		}
		sum, err = s.summary(ctx, tx, from, at)
		if err != nil {
			return err
		}
		sum.Drawer, err = s.drawer(ctx, tx, set.Till, from, at)
		return err
	})
	return sum, err
}

// zStart returns where the next Z report starts: the last one's end, or the first sale, refund, void,
// top-up or shift, or at when there has been none. It is in at's location.
func (s *Store) zStart(ctx context.Context, q querier, at time.Time) (time.Time, error) {
	var end sql.NullString
	err := q.QueryRowContext(ctx, `SELECT to_at FROM zreports ORDER BY id DESC LIMIT 1`).Scan(&end)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("last Z report: %w", err)
	}
	if !end.Valid {
		err = q.QueryRowContext(ctx, `SELECT min(first) FROM (
			SELECT min(completed_at) AS first FROM sales UNION ALL SELECT min(at) FROM refunds
			UNION ALL SELECT min(at) FROM journal WHERE kind = 'void' UNION ALL SELECT min(at) FROM topups
			UNION ALL SELECT min(opened_at) FROM shifts)`).Scan(&end)
		if err != nil {
			return time.Time{}, fmt.Errorf("first sale: %w", err)
		}
	}
	if !end.Valid {
		return at, nil
	}
	from, err := parseTimestamp(end.String)
	if err != nil {
		return time.Time{}, err
	}
	if at.Before(from) {
		return time.Time{}, fmt.Errorf("%w: it ended at %s", app.ErrZBeforePrevious, from.In(at.Location()).Format(time.DateTime))
	}
	return from.In(at.Location()), nil
}

func newSummaryDoc(s app.DaySummary) document.Summary {
	d := document.Summary{From: timestamp(s.From), To: timestamp(s.To), Currency: s.Currency.Code, Sales: s.Sales,
		Revenue: s.Revenue.Decimal(), Items: s.Items, AverageBasket: s.AverageBasket().Decimal(), Discounts: s.Discounts.Decimal(),
		Tax: s.Tax.Decimal(), Rounding: s.Rounding.Decimal(), TaxByRate: map[string]string{}, Voids: s.Voids,
		CashExpected: s.CashExpected().Decimal(), MemberSales: s.MemberSales, MemberRevenue: s.MemberRevenue.Decimal(),
		Tenders: tenderDocs(s.Tenders), Refunds: tenderDocs(s.RefundsByKind), TopUps: tenderDocs(s.TopUpsByKind),
		ByCategory: [][3]string{}, TopProducts: [][4]string{}}
	for _, r := range s.TaxByRate {
		d.TaxByRate[fmt.Sprint(r.RateBP)] = r.Tax.Decimal()
	}
	if w := s.Drawer; w.Any() {
		d.Drawer = &document.Drawer{Shifts: w.Shifts, Floats: w.Floats.Decimal(), CashIn: w.CashIn.Decimal(), CashOut: w.CashOut.Decimal(),
			Expected: w.Expected.Decimal(), Counted: w.Counted.Decimal(), OverShort: w.OverShort.Decimal(), Open: w.Open,
			OpenExpected: w.OpenExpected.Decimal()}
	}
	for _, c := range s.ByCashier {
		d.ByCashier = append(d.ByCashier, document.CashierTotal{Cashier: c.Cashier, Sales: c.Sales, Revenue: c.Revenue.Decimal(),
			Refunds: c.Refunds, RefundTotal: c.RefundTotal.Decimal(), Voids: c.Voids, VoidsPaid: c.VoidsPaid, NoSales: c.NoSales,
			Discounted: c.Discounted, DiscountTotal: c.DiscountTotal.Decimal(), Approvals: c.Approvals})
	}
	for h, t := range s.ByHour {
		d.ByHourSales[h], d.ByHourRevenue[h] = t.Sales, t.Revenue.Decimal()
	}
	for _, c := range s.ByCategory {
		d.ByCategory = append(d.ByCategory, [3]string{c.Category, fmt.Sprint(int64(c.Qty)), c.Revenue.Decimal()})
	}
	for _, p := range s.TopProducts {
		d.TopProducts = append(d.TopProducts, [4]string{p.SKU, p.Name, fmt.Sprint(int64(p.Qty)), p.Revenue.Decimal()})
	}
	return d
}

func tenderDocs(ts []app.TenderTotal) []document.TenderTotal {
	out := []document.TenderTotal{}
	for _, t := range ts {
		out = append(out, document.TenderTotal{Kind: string(t.Kind), Count: t.Count, Amount: t.Amount.Decimal()})
	}
	return out
}

// CloseDay makes the till's next Z report: the figures since the previous one (or since the first
// recorded sale) up to at, stored, journaled and queued for the head office in one transaction. The
// figures are computed inside that transaction, so no sale can fall between two Z reports. Its number
// comes from the Z counter; its Head is its own journal row, which the printed report shows.
func (s *Store) CloseDay(ctx context.Context, at time.Time, user string) (*app.ZReport, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var z *app.ZReport
	err = s.write(ctx, func(tx *sql.Tx) error {
		from, err := s.zStart(ctx, tx, at)
		if err != nil {
			return err
		}
		sum, err := s.summary(ctx, tx, from, at)
		if err != nil {
			return err
		}
		if sum.Drawer, err = s.drawer(ctx, tx, set.Till, from, at); err != nil {
			return err
		}
		n, err := s.nextNumber(ctx, tx, "zreport")
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		made := &app.ZReport{ID: app.NewID(), Till: set.Till, Number: n, No: app.ZNo(set.Till, n), At: at, User: user, Summary: sum}
		body, err := json.Marshal(newSummaryDoc(sum))
		if err != nil {
			return err
		}
		row := document.ZReport{ID: made.ID, Number: made.Number, Till: made.Till, No: made.No, From: timestamp(from), To: timestamp(at),
			User: user, Currency: sum.Currency.Code, Sales: sum.Sales, Revenue: sum.Revenue.Minor(), Tax: sum.Tax.Minor(),
			Refunds: sum.Refunds, RefundTotal: sum.RefundTotal.Minor(), Voids: sum.Voids, CashExpected: sum.CashExpected().Minor(),
			Summary: string(body)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO zreports (id, uuid, till, z_no, from_at, to_at, user, currency, sales,
			revenue, tax, refunds, refund_total, voids, cash_expected, summary, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			row.Number, row.ID, row.Till, row.No, row.From, row.To, row.User, row.Currency, row.Sales, row.Revenue, row.Tax,
			row.Refunds, row.RefundTotal, row.Voids, row.CashExpected, row.Summary, seq); err != nil {
			return fmt.Errorf("insert z report: %w", err)
		}
		if err := s.journalAndSend(ctx, tx, at, "zreport", made.ID, document.ZEntry{ID: row.ID, No: row.No, From: row.From, To: row.To,
			Sales: row.Sales, Revenue: sum.Revenue.Decimal(), Currency: row.Currency, DocSHA256: document.Digest(row)}); err != nil {
			return err
		}
		head, hash, err := s.journalHead(ctx, tx)
		made.Head = app.NewChainHead(head, hash)
		z = made
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("close day: %w", err)
	}
	return z, nil
}

// readZRow reads a stored Z report as its document: what the journal hashes and the head office gets.
func (s *Store) readZRow(ctx context.Context, id string) (document.ZReport, error) {
	var r document.ZReport
	err := s.r.QueryRowContext(ctx, `SELECT uuid, id, till, z_no, from_at, to_at, user, currency, sales, revenue, tax, refunds,
		refund_total, voids, cash_expected, summary FROM zreports WHERE uuid = ?`, id).Scan(&r.ID, &r.Number, &r.Till, &r.No,
		&r.From, &r.To, &r.User, &r.Currency, &r.Sales, &r.Revenue, &r.Tax, &r.Refunds, &r.RefundTotal, &r.Voids,
		&r.CashExpected, &r.Summary)
	return r, err
}

// verifyZReport checks that the Z report a journal entry names is stored exactly as it was made.
func (s *Store) verifyZReport(ctx context.Context, payload string) (string, error) {
	var e document.ZEntry
	if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
		return "", fmt.Errorf("unreadable z report entry")
	}
	r, err := s.readZRow(ctx, e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s is missing from the zreports table", e.No)
	}
	if err != nil {
		return "", err
	}
	if document.Digest(r) != e.DocSHA256 {
		return "", fmt.Errorf("%s: its stored Z report differs from what was journaled", e.No)
	}
	return e.ID, nil
}

// EachSoldLine calls fn for every line of the sales completed in [from, to), in the order they were
// sold, reading them as it goes: an export of a year holds one line in memory at a time.
func (s *Store) EachSoldLine(ctx context.Context, from, to time.Time, fn func(app.SoldLine) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT s.receipt_no, s.completed_at, s.currency, l.sku, l.name, l.unit, l.qty,
		l.unit_price, l.total, l.tax, (SELECT group_concat(kind, '+') FROM tenders WHERE sale_id = s.id)
		FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.completed_at >= ? AND s.completed_at < ?
		ORDER BY s.completed_at, s.id, l.line_no`, timestamp(from), timestamp(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l app.SoldLine
		var at, cur, unit string
		var qty, price, total, tax int64
		var tenders sql.NullString
		if err := rows.Scan(&l.ReceiptNo, &at, &cur, &l.SKU, &l.Name, &unit, &qty, &price, &total, &tax, &tenders); err != nil {
			return err
		}
		if l.At, err = parseTimestamp(at); err != nil {
			return err
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return err
		}
		l.Unit, l.Qty, l.Tenders = app.Unit(unit), app.Quantity(qty), tenders.String
		l.UnitPrice, l.Total, l.Tax = money.New(price, c), money.New(total, c), money.New(tax, c)
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}
