package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
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

// DaySummary sums up what the till took in [from, to): its sales, tenders, refunds, voids, top-ups, tax,
// categories, top products and the figures by cashier, from the report totals (summary), in one read
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
	return eachFigure(ctx, q, sum.From, sum.To, []string{"tender", "refund", "topup"}, func(_, kind, key string, f figures) error {
		addTenderFigure(sum, kind, key, f)
		return nil
	})
}

// addTenderFigure adds a tender, refund or top-up total to sum, and reports whether kind was one of them.
func addTenderFigure(sum *app.DaySummary, kind, key string, f figures) bool {
	t := app.TenderTotal{Kind: app.TenderKind(key), Count: f.n, Amount: money.New(f.amount, sum.Currency)}
	switch kind {
	case "tender":
		sum.Tenders = append(sum.Tenders, t)
	case "refund":
		sum.RefundsByKind = append(sum.RefundsByKind, t)
		sum.Refunds += t.Count
		sum.RefundTotal = sum.RefundTotal.Add(t.Amount)
	case "topup":
		sum.TopUpsByKind = append(sum.TopUpsByKind, t)
		sum.TopUps += t.Count
		sum.TopUpTotal = sum.TopUpTotal.Add(t.Amount)
	default:
		return false
	}
	return true
}

// summary computes a DaySummary of [from, to) with q from the report totals (eachFigure): one grouped
// read for the figures, one for the top products, and the categories' Chinese names.
func (s *Store) summary(ctx context.Context, q querier, from, to time.Time) (app.DaySummary, error) {
	c := s.currency()
	sum := app.NewDaySummary(from, to, c)
	m := func(minor int64) money.Amount { return money.New(minor, c) }
	cashiers := newCashierRows(c)
	err := eachFigure(ctx, q, from, to, nil, func(hour, kind, key string, f figures) error {
		switch kind {
		case "sales":
			// Each UTC hour goes to its local hour, which a fixed offset in SQL would get wrong on a
			// daylight-saving day.
			at, err := time.Parse("2006-01-02T15", hour)
			if err != nil {
				return fmt.Errorf("sale time %q: %w", hour, err)
			}
			h := &sum.ByHour[at.In(from.Location()).Hour()]
			h.Sales += f.n
			h.Revenue = h.Revenue.Add(m(f.amount))
			if d := sum.Day(at); d != nil {
				d.Sales += f.n
				d.Revenue = d.Revenue.Add(m(f.amount))
			}
			sum.Sales += f.n
			sum.Revenue, sum.Discounts, sum.Tax = sum.Revenue.Add(m(f.amount)), sum.Discounts.Add(m(f.discount)), sum.Tax.Add(m(f.tax))
			sum.Rounding = sum.Rounding.Add(m(f.rounding))
			sum.Items += f.qty
			sum.MemberSales += f.nSubset
			sum.MemberRevenue = sum.MemberRevenue.Add(m(f.amountSubset))
		case "tax":
			rate, err := strconv.ParseInt(key, 10, 64)
			if err != nil {
				return fmt.Errorf("tax rate %q: %w", key, err)
			}
			sum.TaxByRate = append(sum.TaxByRate, app.RateTax{RateBP: rate, Tax: m(f.tax)})
		case "category":
			sum.ByCategory = append(sum.ByCategory, app.CategoryTotal{Category: key, Qty: app.Quantity(f.qty), Revenue: m(f.amount)})
			sum.CostedRevenue, sum.Cost = sum.CostedRevenue.Add(m(f.amountSubset)), sum.Cost.Add(m(f.cost))
		default:
			if !addTenderFigure(&sum, kind, key, f) {
				cashiers.add(kind, key, f)
			}
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("report totals: %w", err)
	}
	sum.ByCashier = cashiers.sorted()
	for _, c := range sum.ByCashier {
		sum.Voids += c.Voids
	}
	slices.SortFunc(sum.TaxByRate, func(a, b app.RateTax) int { return cmp.Compare(a.RateBP, b.RateBP) })
	for i := range sum.ByCategory {
		ct := &sum.ByCategory[i]
		if err := q.QueryRowContext(ctx, `SELECT coalesce(max(category_zh), '') FROM products WHERE category = ?`,
			ct.Category).Scan(&ct.CategoryZH); err != nil {
			return sum, fmt.Errorf("category %q: %w", ct.Category, err)
		}
	}
	slices.SortFunc(sum.ByCategory, func(a, b app.CategoryTotal) int {
		return cmp.Or(b.Revenue.Cmp(a.Revenue), cmp.Compare(a.Category, b.Category))
	})
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var p app.ProductTotal
		var unit string
		var per sql.NullString
		var qty, total int64
		if err := rows.Scan(&p.ProductID, &p.SKU, &p.Name, &p.NameZH, &unit, &qty, &total, &per); err != nil {
			return err
		}
		p.Unit, p.PriceUnit, p.Qty, p.Revenue = app.Unit(unit), app.PriceUnit(per.String), app.Quantity(qty), m(total)
		sum.TopProducts = append(sum.TopProducts, p)
		return nil
	}, topProductsQuery, append(splitPeriod(from, to).args(), app.TopProductsLimit)...); err != nil {
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
		l.unit_price, l.total, l.tax, (SELECT group_concat(kind, '+') FROM tenders WHERE sale_id = s.id), l.price_unit
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
		var tenders, per sql.NullString
		if err := rows.Scan(&l.ReceiptNo, &at, &cur, &l.SKU, &l.Name, &unit, &qty, &price, &total, &tax, &tenders, &per); err != nil {
			return err
		}
		if l.At, err = parseTimestamp(at); err != nil {
			return err
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return err
		}
		l.Unit, l.PriceUnit, l.Qty, l.Tenders = app.Unit(unit), app.PriceUnit(per.String), app.Quantity(qty), tenders.String
		l.UnitPrice, l.Total, l.Tax = money.New(price, c), money.New(total, c), money.New(tax, c)
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}
