package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/money"
)

var _ app.CashierBook = (*Store)(nil)

// CashierTotals returns each cashier's figures for [from, to), in one read snapshot: the baseline the
// anomaly list compares a day with.
func (s *Store) CashierTotals(ctx context.Context, from, to time.Time) ([]app.CashierTotal, error) {
	if err := app.CheckPeriod(from, to); err != nil {
		return nil, err
	}
	var rows []app.CashierTotal
	err := s.readSnapshot(ctx, func(tx *sql.Tx) error {
		var err error
		rows, err = s.cashierTotals(ctx, tx, from, to)
		return err
	})
	return rows, err
}

// Anomalies lists the cashiers doing something much more often than usual in sum's period.
func (s *Store) Anomalies(ctx context.Context, sum app.DaySummary) ([]app.Anomaly, error) {
	return app.Anomalies(ctx, s, sum)
}

// DayPage reads the owner's day page of [from, to) (app.ReadDayPage).
func (s *Store) DayPage(ctx context.Context, from, to time.Time) (app.DayPage, error) {
	return app.ReadDayPage(ctx, s, from, to, time.Now())
}

// cashierTotals computes the per-cashier figures of [from, to) with four grouped queries, each a range
// scan of one index: sales_cashier_at (which covers the columns read, so four weeks of sales never
// touch the table), refunds_at, and the journal's partial indexes journal_voids_at and journal_staff_at.
// Journal rows name their cashier in the payload (user for approvals): there are few of them.
func (s *Store) cashierTotals(ctx context.Context, q querier, from, to time.Time) ([]app.CashierTotal, error) {
	c := s.currency()
	f, t := timestamp(from), timestamp(to)
	m := func(minor int64) money.Amount { return money.New(minor, c) }
	byName := map[string]*app.CashierTotal{}
	row := func(name string) *app.CashierTotal {
		r, ok := byName[name]
		if !ok {
			ct := app.NewCashierTotal(name, c)
			r = &ct
			byName[name] = r
		}
		return r
	}
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var name string
		var n, total, discounted, discount int64
		if err := rows.Scan(&name, &n, &total, &discounted, &discount); err != nil {
			return err
		}
		r := row(name)
		r.Sales, r.Revenue, r.Discounted, r.DiscountTotal = n, m(total), discounted, m(discount)
		return nil
	}, `SELECT cashier, count(*), sum(total), count(CASE WHEN discount <> 0 THEN 1 END), sum(discount)
		FROM sales WHERE completed_at >= ? AND completed_at < ? GROUP BY cashier`, f, t); err != nil {
		return nil, fmt.Errorf("sales by cashier: %w", err)
	}
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var name string
		var n, total int64
		if err := rows.Scan(&name, &n, &total); err != nil {
			return err
		}
		r := row(name)
		r.Refunds, r.RefundTotal = n, m(total)
		return nil
	}, `SELECT cashier, count(*), sum(tender_amount) FROM refunds WHERE at >= ? AND at < ? GROUP BY cashier`, f, t); err != nil {
		return nil, fmt.Errorf("refunds by cashier: %w", err)
	}
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var name string
		var n, paid int64
		if err := rows.Scan(&name, &n, &paid); err != nil {
			return err
		}
		r := row(name)
		r.Voids, r.VoidsPaid = n, paid
		return nil
	}, `SELECT coalesce(payload ->> 'cashier', ''), count(*), count(CASE WHEN payload ->> 'approved_by' <> '' THEN 1 END)
		FROM journal WHERE kind = 'void' AND at >= ? AND at < ? GROUP BY 1`, f, t); err != nil {
		return nil, fmt.Errorf("voids by cashier: %w", err)
	}
	if err := each(ctx, q, func(rows *sql.Rows) error {
		var kind, name string
		var n int64
		if err := rows.Scan(&kind, &name, &n); err != nil {
			return err
		}
		if kind == "override" {
			row(name).Approvals = n
		} else {
			row(name).NoSales = n
		}
		return nil
	}, `SELECT kind, coalesce(CASE kind WHEN 'override' THEN payload ->> 'user' ELSE payload ->> 'cashier' END, ''), count(*)
		FROM journal WHERE kind IN ('no_sale', 'override') AND at >= ? AND at < ? GROUP BY 1, 2`, f, t); err != nil {
		return nil, fmt.Errorf("no-sales and approvals by cashier: %w", err)
	}
	out := make([]app.CashierTotal, 0, len(byName))
	for _, r := range byName {
		out = append(out, *r)
	}
	app.SortCashiers(out)
	return out, nil
}
