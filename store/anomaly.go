package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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

// cashierTotals computes the per-cashier figures of [from, to) from the report totals: four weeks of a
// busy till are a few thousand hour rows.
func (s *Store) cashierTotals(ctx context.Context, q querier, from, to time.Time) ([]app.CashierTotal, error) {
	rows := newCashierRows(s.currency())
	err := eachFigure(ctx, q, from, to, cashierKinds, func(_, kind, key string, f figures) error {
		rows.add(kind, key, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("figures by cashier: %w", err)
	}
	return rows.sorted(), nil
}

// cashierKinds are the report totals kept by cashier (migration 0042).
var cashierKinds = []string{"cashier", "cashier_refund", "void", "no_sale", "override"}

// cashierRows gathers report totals by cashier.
type cashierRows struct {
	c      money.Currency
	byName map[string]*app.CashierTotal
}

func newCashierRows(c money.Currency) cashierRows {
	return cashierRows{c: c, byName: map[string]*app.CashierTotal{}}
}

// add adds a total of one of cashierKinds to its cashier's row; other kinds are not theirs.
func (r cashierRows) add(kind, name string, f figures) {
	if !slices.Contains(cashierKinds, kind) {
		return
	}
	row, ok := r.byName[name]
	if !ok {
		ct := app.NewCashierTotal(name, r.c)
		row = &ct
		r.byName[name] = row
	}
	m := func(minor int64) money.Amount { return money.New(minor, r.c) }
	switch kind {
	case "cashier":
		row.Sales, row.Revenue, row.Discounted, row.DiscountTotal = f.n, m(f.amount), f.nSubset, m(f.discount)
	case "cashier_refund":
		row.Refunds, row.RefundTotal = f.n, m(f.amount)
	case "void":
		row.Voids, row.VoidsPaid = f.n, f.nSubset
	case "no_sale":
		row.NoSales = f.n
	case "override":
		row.Approvals = f.n
	}
}

// sorted returns the rows in app.SortCashiers order.
func (r cashierRows) sorted() []app.CashierTotal {
	out := make([]app.CashierTotal, 0, len(r.byName))
	for _, row := range r.byName {
		out = append(out, *row)
	}
	app.SortCashiers(out)
	return out
}
