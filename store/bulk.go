package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"checkout/app"
	"checkout/app/barcode"
)

// values returns n rows of columns placeholders for a multi-row INSERT: "(?, ?), (?, ?)".
func values(columns, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", columns), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// multiRow prepares, within one transaction, an INSERT of 1 to per rows at a time: a statement per row
// cost more in database/sql and the driver than SQLite's own work on the row.
type multiRow struct {
	tx           *sql.Tx
	head, tail   string // before VALUES, and after the rows (ON CONFLICT, RETURNING)
	columns, per int
	stmts        map[int]*sql.Stmt
	args         []any
}

func newMultiRow(tx *sql.Tx, head string, columns, per int, tail string) *multiRow {
	return &multiRow{tx: tx, head: head, tail: tail, columns: columns, per: per, stmts: map[int]*sql.Stmt{},
		args: make([]any, 0, columns*per)}
}

// stmt returns the statement inserting rows rows, prepared once.
func (m *multiRow) stmt(ctx context.Context, rows int) (*sql.Stmt, error) {
	if st := m.stmts[rows]; st != nil {
		return st, nil
	}
	st, err := m.tx.PrepareContext(ctx, m.head+" VALUES "+values(m.columns, rows)+m.tail)
	if err != nil {
		return nil, err
	}
	m.stmts[rows] = st
	return st, nil
}

func (m *multiRow) Close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// productChunk and codeChunk are how many rows one INSERT writes (products have 12 columns).
const (
	productChunk = 50
	codeChunk    = 200
)

// insertProducts inserts the entries whose SKU is new and returns their ids, 0 for those left as they
// are. An error names the product it is about.
func insertProducts(ctx context.Context, tx *sql.Tx, entries []app.CatalogEntry) ([]int64, error) {
	m := newMultiRow(tx, `INSERT INTO products (sku, name, name_zh, category, category_zh, price, unit, tax_class, active, cost,
		reorder_point, price_unit)`, 12, productChunk, ` ON CONFLICT (sku) DO NOTHING`)
	defer m.Close()
	ids := make([]int64, len(entries))
	first := map[string]int{}
	insert := func(start, end int) error {
		chunk := entries[start:end]
		m.args = m.args[:0]
		clear(first)
		for i, e := range chunk {
			p := e.Product
			m.args = append(m.args, p.SKU, p.Name, p.NameZH, p.Category, p.CategoryZH, p.Price.Minor(), string(p.Unit), p.TaxClass,
				p.Active, p.Cost.Minor(), int64(p.ReorderPoint), priceUnit(p.PriceUnit))
			if _, ok := first[p.SKU]; !ok {
				first[p.SKU] = start + i // a SKU twice in the chunk: the first is inserted
			}
		}
		st, err := m.stmt(ctx, len(chunk))
		if err != nil {
			return err
		}
		res, err := st.ExecContext(ctx, m.args...)
		if err != nil {
			return err
		}
		added, err := res.RowsAffected()
		if err != nil || added == 0 {
			return err
		}
		last, err := res.LastInsertId()
		if err != nil {
			return err
		}
		// SQLite gives a new row the id after the largest, so the rows added have the ids up to the last,
		// in order: when every entry was added, no need to read them back (RETURNING cost a tenth of an
		// import in reading rows).
		if int(added) == len(chunk) {
			for i := range chunk {
				ids[start+i] = last - added + 1 + int64(i)
			}
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, sku FROM products WHERE id > ? AND id <= ?`, last-added, last)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var sku string
			if err := rows.Scan(&id, &sku); err != nil {
				return err
			}
			ids[first[sku]] = id
		}
		return rows.Err()
	}
	for start := 0; start < len(entries); start += productChunk {
		end := min(start+productChunk, len(entries))
		if err := insert(start, end); err != nil {
			// The failed statement changed nothing: find the product it is about, one at a time.
			for i := start; i < end; i++ {
				if err := insert(i, i+1); err != nil {
					return nil, fmt.Errorf("product %s: %w", entries[i].Product.SKU, err)
				}
			}
			return nil, err
		}
	}
	return ids, nil
}

// insertBarcodes inserts the barcodes of the entries that have an id.
func insertBarcodes(ctx context.Context, tx *sql.Tx, entries []app.CatalogEntry, ids []int64) error {
	type code struct {
		entry int
		code  string
	}
	var codes []code
	for i, e := range entries {
		if ids[i] != 0 {
			for _, c := range e.Barcodes {
				codes = append(codes, code{i, c})
			}
		}
	}
	m := newMultiRow(tx, `INSERT INTO barcodes (code, product_id)`, 2, codeChunk, ``)
	defer m.Close()
	insert := func(chunk []code) error {
		m.args = m.args[:0]
		for _, c := range chunk {
			m.args = append(m.args, barcode.NormalizeGTIN(c.code), ids[c.entry])
		}
		st, err := m.stmt(ctx, len(chunk))
		if err != nil {
			return err
		}
		_, err = st.ExecContext(ctx, m.args...)
		return err
	}
	for start := 0; start < len(codes); start += codeChunk {
		chunk := codes[start:min(start+codeChunk, len(codes))]
		if err := insert(chunk); err != nil {
			// The failed statement changed nothing: find the barcode it is about, one at a time.
			for i := range chunk {
				if err := insert(chunk[i : i+1]); err != nil {
					sku := entries[chunk[i].entry].Product.SKU
					if isConstraint(err) {
						return fmt.Errorf("product %s: barcode %s is already on another product", sku, chunk[i].code)
					}
					return fmt.Errorf("product %s barcode %s: %w", sku, chunk[i].code, err)
				}
			}
			return err
		}
	}
	return nil
}

// searchRow is what product_words keeps of a product; product_trigrams reads the product's own names.
type searchRow struct {
	id    int64
	words string
}

// insertTrigrams indexes the names of the products with ids (ascending, written already: product_trigrams
// takes their names from the products table, its content) in one statement over a JSON array of them,
// as insertWords does.
func insertTrigrams(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	// CROSS JOIN keeps json_each outermost, so rows go in the ids' (ascending) order.
	_, err = tx.ExecContext(ctx, `INSERT INTO product_trigrams (rowid, name, name_zh)
		SELECT p.id, p.name, p.name_zh FROM json_each(?) j CROSS JOIN products p ON p.id = j.value`, string(list))
	return err
}

// searchWordsAsync starts computing the entries' search words on other goroutines (pinyin is Go work that
// can run beside SQLite's) and returns a function that waits for them.
func searchWordsAsync(entries []app.CatalogEntry) (wait func() []string) {
	words := make([]string, len(entries))
	var wg sync.WaitGroup
	per := max(1, (len(entries)+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0))
	for start := 0; start < len(entries); start += per {
		part := entries[start:min(start+per, len(entries))]
		wg.Go(func() {
			for i, e := range part {
				words[start+i] = searchWords(e.Product.Name, e.Product.NameZH)
			}
		})
	}
	return func() []string {
		wg.Wait()
		return words
	}
}
