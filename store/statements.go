package store

import (
	"context"
	"database/sql"
	"errors"
)

// lineBatch is how many sale lines one INSERT writes: one statement for a typical basket, not one per line.
const lineBatch = 8

// statements are the writes of the sale path, prepared once on the writer connection. A transaction
// uses them through tx.StmtContext, which reuses the preparation on that same connection.
type statements struct {
	nextNumber, insertSale, insertTender, journalHead, insertJournal, insertOutbox, dropEndedCart *sql.Stmt
	addReportFacts                                                                                *sql.Stmt
	// insertLines[n-1] inserts n lines; insertMoves[n-1] n stock movements; addSaleFacts[n-1] adds n report
	// rows, addSaleProducts[n-1] n products (addSaleFactsQuery).
	insertLines, insertMoves, addSaleFacts, addSaleProducts [lineBatch]*sql.Stmt
}

const moveColumns = `(product_id, at, kind, qty, reason, user, ref, unit_cost, journal_seq)`

// lineColumns are a sale line's columns; the last two, its category and unit cost, the insert takes from the
// product as the catalog has it at the sale (the report totals keep them).
const lineColumns = `(sale_id, line_no, product_id, sku, name, name_zh, qty, unit, unit_price, gross, discount, total,
	tax_class, tax_rate_bp, tax, promotions, price_unit, category, unit_cost)`

func (q *statements) prepare(ctx context.Context, db *sql.DB) error {
	queries := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&q.nextNumber, `UPDATE receipt_counters SET last = last + 1 WHERE kind = ? RETURNING last`},
		{&q.insertSale, `INSERT INTO sales (id, uuid, till, receipt_no, opened_at, completed_at, currency,
			tax_mode, subtotal, discount, tax, total, rounding, item_count, cashier, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&q.insertTender, `INSERT INTO tenders (sale_id, seq, kind, amount, tendered, change, reference, approval, card_last4, wallet)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&q.journalHead, `SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1`},
		{&q.insertJournal, `INSERT INTO journal (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)`},
		{&q.insertOutbox, `INSERT INTO outbox (id, kind, journal_seq, created_at) VALUES (?, ?, ?, ?)`},
		{&q.dropEndedCart, `DELETE FROM parked_carts WHERE id = ? AND open = 1`},
		{&q.addReportFacts, addReportFactsQuery},
	}
	for n := 1; n <= lineBatch; n++ {
		queries = append(queries, struct {
			dst   **sql.Stmt
			query string
		}{&q.insertLines[n-1], `INSERT INTO sale_lines ` + lineColumns + ` SELECT v.*, p.category, p.cost FROM (VALUES ` +
			values(17, n) + `) v LEFT JOIN products p ON p.id = v.column3 RETURNING line_no, category, unit_cost`},
			struct {
				dst   **sql.Stmt
				query string
			}{&q.insertMoves[n-1], `INSERT INTO stock_moves ` + moveColumns + ` VALUES ` + values(9, n)},
			struct {
				dst   **sql.Stmt
				query string
			}{&q.addSaleFacts[n-1], addSaleFactsQuery(n)},
			struct {
				dst   **sql.Stmt
				query string
			}{&q.addSaleProducts[n-1], addSaleProductsQuery(n)})
	}
	for _, p := range queries {
		st, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			q.close()
			return err
		}
		*p.dst = st
	}
	return nil
}

func (q *statements) close() error {
	all := append([]*sql.Stmt{q.nextNumber, q.insertSale, q.insertTender, q.journalHead, q.insertJournal, q.insertOutbox, q.dropEndedCart,
		q.addReportFacts},
		q.insertLines[:]...)
	all = append(all, q.insertMoves[:]...)
	all = append(all, q.addSaleFacts[:]...)
	all = append(all, q.addSaleProducts[:]...)
	var errs []error
	for _, st := range all {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
