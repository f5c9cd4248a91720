package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app"
)

// The report totals (migration 0042): report_hours and product_hours hold what the reports add up per UTC
// hour, added to in the transaction of every sale, refund, top-up, void, no-sale and approval
// (addReportFacts). A
// period reads its whole hours from them and its partial first and last hours from the rows
// (report_facts, product_facts), so a day costs a few hundred rows whatever the history, and a period
// that ends at 21:37 is still exact to the microsecond.

// hourKey is the UTC hour holding t as the totals key it: the first 13 characters of a stored timestamp.
func hourKey(t time.Time) string { return t.UTC().Format("2006-01-02T15") }

// periodParts splits [from, to) into its whole UTC hours [wholeFrom, wholeTo) (as hour keys; empty when
// there are none) and the partial hours before and after them (empty ranges when there are none).
type periodParts struct {
	wholeFrom, wholeTo string
	before, after      [2]string // timestamps
}

func splitPeriod(from, to time.Time) periodParts {
	first := from.UTC().Truncate(time.Hour)
	if first.Before(from) {
		first = first.Add(time.Hour)
	}
	last := to.UTC().Truncate(time.Hour)
	if !first.Before(last) { // no whole hour inside: all of it from the rows
		return periodParts{before: [2]string{timestamp(from), timestamp(to)}}
	}
	return periodParts{wholeFrom: hourKey(first), wholeTo: hourKey(last),
		before: [2]string{timestamp(from), timestamp(first)}, after: [2]string{timestamp(last), timestamp(to)}}
}

func (p periodParts) args() []any {
	return []any{p.wholeFrom, p.wholeTo, p.before[0], p.before[1], p.after[0], p.after[1]}
}

// figures is one report_hours row's numbers; what each holds depends on its kind (see migration 0042).
type figures struct {
	n, nSubset, qty, amount, amountSubset, discount, tax, rounding, cost int64
}

const figureSums = `sum(n), sum(n_subset), sum(qty), sum(amount), sum(amount_subset), sum(discount), sum(tax), sum(rounding), sum(cost)`

// eachFigure calls fn with the totals of [from, to) by kind and key, of the given kinds only (all when
// none are given): the sales kind by UTC hour (its hour key), every other kind over the whole period
// (hour ""). Rows come ordered by hour, kind and key.
func eachFigure(ctx context.Context, q querier, from, to time.Time, kinds []string, fn func(hour, kind, key string, f figures) error) error {
	filter := ""
	if len(kinds) > 0 {
		filter = ` AND kind IN ('` + strings.Join(kinds, `', '`) + `')`
	}
	columns := `kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost`
	return each(ctx, q, func(rows *sql.Rows) error {
		var hour, kind, key string
		var f figures
		if err := rows.Scan(&hour, &kind, &key, &f.n, &f.nSubset, &f.qty, &f.amount, &f.amountSubset, &f.discount, &f.tax,
			&f.rounding, &f.cost); err != nil {
			return err
		}
		return fn(hour, kind, key, f)
	}, `SELECT CASE kind WHEN 'sales' THEN hour ELSE '' END, kind, key, `+figureSums+` FROM (
			SELECT hour, `+columns+` FROM report_hours WHERE hour >= ?1 AND hour < ?2`+filter+`
			UNION ALL SELECT substr(at, 1, 13), `+columns+` FROM report_facts WHERE at >= ?3 AND at < ?4`+filter+`
			UNION ALL SELECT substr(at, 1, 13), `+columns+` FROM report_facts WHERE at >= ?5 AND at < ?6`+filter+`)
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, splitPeriod(from, to).args()...)
}

// topProductsQuery returns the products that took the most in the period (its parts' arguments, then the
// limit): id, SKU, names and unit as the catalog has them now, quantity and revenue, price unit.
const topProductsQuery = `SELECT t.product_id, p.sku, p.name, p.name_zh, p.unit, t.qty, t.revenue, p.price_unit FROM (
		SELECT product_id, sum(qty) AS qty, sum(total) AS revenue FROM (
			SELECT product_id, qty, total FROM product_hours WHERE hour >= ?1 AND hour < ?2
			UNION ALL SELECT product_id, qty, total FROM product_facts WHERE at >= ?3 AND at < ?4
			UNION ALL SELECT product_id, qty, total FROM product_facts WHERE at >= ?5 AND at < ?6)
		GROUP BY product_id ORDER BY revenue DESC, product_id LIMIT ?7) t
	JOIN products p ON p.id = t.product_id ORDER BY t.revenue DESC, t.product_id`

// RebuildReportTotals recomputes the report totals from the rows (`checkout rebuild-reports`), in one
// transaction, and returns how many hour rows it wrote. Reports are right without it: it is there for
// a database whose totals verify-journal found differing, or one a tool wrote into around the triggers.
func (s *Store) RebuildReportTotals(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = rebuildReportTotals(ctx, tx)
		return err
	})
	return n, err
}

func rebuildReportTotals(ctx context.Context, tx *sql.Tx) (int64, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM report_hours; DELETE FROM product_hours`); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax,
		rounding, cost) `+reportTotalsFromRows)
	if err != nil {
		return 0, fmt.Errorf("rebuild report totals: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO product_hours (hour, product_id, qty, total) `+productTotalsFromRows); err != nil {
		return 0, fmt.Errorf("rebuild product totals: %w", err)
	}
	return res.RowsAffected()
}

// What the totals are, computed from the rows: the rebuild writes it, the check compares with it.
const (
	reportFactSums        = `SELECT substr(at, 1, 13), kind, key, ` + figureSums + ` FROM report_facts`
	reportTotalsFromRows  = reportFactSums + ` GROUP BY 1, 2, 3`
	productFactSums       = `SELECT substr(at, 1, 13), product_id, sum(qty), sum(total) FROM product_facts`
	productTotalsFromRows = productFactSums + ` GROUP BY 1, 2`
)

// addReportFactsQuery adds one document's facts to the totals: report_facts of a source and ref (prepared
// with the sale path's statements).
const (
	addReportFactsQuery = `INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding,
		cost) ` + reportFactSums + ` WHERE source = ?1 AND ref = ?2 GROUP BY 1, 2, 3
		ON CONFLICT (hour, kind, key) DO UPDATE SET n = n + excluded.n, n_subset = n_subset + excluded.n_subset,
			qty = qty + excluded.qty, amount = amount + excluded.amount, amount_subset = amount_subset + excluded.amount_subset,
			discount = discount + excluded.discount, tax = tax + excluded.tax, rounding = rounding + excluded.rounding,
			cost = cost + excluded.cost`
)

// addReportFacts adds what one stored refund, top-up or journal entry adds up to (source "refund", "topup"
// or "journal", and its number or sequence number, as report_facts names them) to the report totals, inside
// the transaction that stores it, once its rows are written. Sales take addSaleFacts.
func (s *Store) addReportFacts(ctx context.Context, tx *sql.Tx, source string, ref int64) error {
	if _, err := tx.StmtContext(ctx, s.q.addReportFacts).ExecContext(ctx, source, ref); err != nil {
		return fmt.Errorf("report totals: %w", err)
	}
	return nil
}

// The upserts of a sale's report rows and products, for n rows at a time (statements.addSaleFacts and
// addSaleProducts): one statement of a few rows, not report_facts' reading back of what the sale just
// wrote. Rows sharing a key within one statement add up as any other conflict does.
func addSaleFactsQuery(n int) string {
	return `INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost)
	VALUES ` + values(12, n) + `
	ON CONFLICT (hour, kind, key) DO UPDATE SET n = n + excluded.n, n_subset = n_subset + excluded.n_subset,
		qty = qty + excluded.qty, amount = amount + excluded.amount, amount_subset = amount_subset + excluded.amount_subset,
		discount = discount + excluded.discount, tax = tax + excluded.tax, rounding = rounding + excluded.rounding,
		cost = cost + excluded.cost`
}

func addSaleProductsQuery(n int) string {
	return `INSERT INTO product_hours (hour, product_id, qty, total) VALUES ` + values(4, n) + `
	ON CONFLICT (hour, product_id) DO UPDATE SET qty = qty + excluded.qty, total = total + excluded.total`
}

// lineCost is a sale line's category and unit cost as the insert took them from the catalog.
type lineCost struct {
	category string
	unitCost int64
}

// addSaleFacts adds a stored sale to the report totals: what report_facts and product_facts hold for it,
// summed here from the sale as it was written (costs: its lines' categories and unit costs), so that the
// hottest transaction does not read its rows back. TestReportTotalsAgreeWithTheRows and verify-journal
// hold the two to the same sums.
func (s *Store) addSaleFacts(ctx context.Context, tx *sql.Tx, sale *app.Sale, costs []lineCost) error {
	t := sale.Totals
	hour := hourKey(sale.CompletedAt)
	one := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	member := sale.Member != nil
	salesRow := figures{n: 1, nSubset: one(member), qty: t.ItemCount, amount: t.Total.Minor(), discount: t.Discount.Minor(),
		tax: t.Tax.Minor(), rounding: sale.Rounding.Minor()}
	if member {
		salesRow.amountSubset = t.Total.Minor()
	}
	type key struct{ kind, key string }
	rows := map[key]*figures{
		{"sales", ""}:             &salesRow,
		{"cashier", sale.Cashier}: {n: 1, nSubset: one(!t.Discount.IsZero()), amount: t.Total.Minor(), discount: t.Discount.Minor()},
	}
	add := func(k key, f figures) {
		r, ok := rows[k]
		if !ok {
			r = &figures{}
			rows[k] = r
		}
		r.n, r.nSubset, r.qty, r.amount = r.n+f.n, r.nSubset+f.nSubset, r.qty+f.qty, r.amount+f.amount
		r.amountSubset, r.tax, r.cost = r.amountSubset+f.amountSubset, r.tax+f.tax, r.cost+f.cost
	}
	for _, tender := range sale.Tenders {
		add(key{"tender", string(tender.Kind)}, figures{n: 1, amount: tender.Amount.Minor()})
	}
	products := make([]any, 0, 4*len(sale.Lines))
	for i, l := range sale.Lines {
		add(key{"tax", strconv.FormatInt(l.TaxRateBP, 10)}, figures{tax: l.Tax.Minor()})
		c, qty, total := costs[i], int64(l.Qty), l.Total.Minor()
		cat := figures{qty: qty, amount: total}
		if c.unitCost > 0 {
			cat.amountSubset, cat.cost = total, (c.unitCost*qty+500)/1000
			if sale.TaxMode == app.TaxInclusive {
				cat.amountSubset -= l.Tax.Minor()
			}
		}
		add(key{"category", c.category}, cat)
		products = append(products, hour, l.Product.ID, qty, total)
	}
	args := make([]any, 0, 12*len(rows))
	for k, f := range rows {
		args = append(args, hour, k.kind, k.key, f.n, f.nSubset, f.qty, f.amount, f.amountSubset, f.discount, f.tax, f.rounding, f.cost)
	}
	if err := execBatches(ctx, tx, s.q.addSaleFacts[:], 12, args); err != nil {
		return fmt.Errorf("report totals: %w", err)
	}
	if err := execBatches(ctx, tx, s.q.addSaleProducts[:], 4, products); err != nil {
		return fmt.Errorf("product totals: %w", err)
	}
	return nil
}

// execBatches runs args, rows of the given number of columns, through stmts (stmts[n-1] takes n rows),
// as many rows at a time as the longest takes.
func execBatches(ctx context.Context, tx *sql.Tx, stmts []*sql.Stmt, columns int, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/columns, len(stmts))
		if _, err := tx.StmtContext(ctx, stmts[n-1]).ExecContext(ctx, args[:n*columns]...); err != nil {
			return err
		}
		args = args[n*columns:]
	}
	return nil
}

// reportedJournalKinds are the journal entries the report totals count (report_facts).
var reportedJournalKinds = []string{"void", "no_sale", "override"}

// verifyReportTotals checks the report totals against the rows, and names the first hour that differs. The
// totals computed from the rows (a sort of every fact of the history) are made once and compared both ways.
func (s *Store) verifyReportTotals(ctx context.Context) error {
	for _, c := range []struct{ table, columns, computed string }{
		{"report_hours", "hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost", reportTotalsFromRows},
		{"product_hours", "hour, product_id, qty, total", productTotalsFromRows},
	} {
		var hour sql.NullString
		if err := s.r.QueryRowContext(ctx, `WITH computed (`+c.columns+`) AS MATERIALIZED (`+c.computed+`)
			SELECT min(hour) FROM (SELECT * FROM (SELECT * FROM computed EXCEPT SELECT `+c.columns+` FROM `+c.table+`)
				UNION ALL SELECT * FROM (SELECT `+c.columns+` FROM `+c.table+` EXCEPT SELECT * FROM computed))`).Scan(&hour); err != nil {
			return fmt.Errorf("report totals: %w", err)
		}
		if hour.Valid {
			return fmt.Errorf("the report totals of the hour from %s:00 UTC differ from the sales, refunds and top-ups stored: "+
				"run checkout rebuild-reports", strings.Replace(hour.String, "T", " ", 1))
		}
	}
	return nil
}
