package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/barcode"
)

// recordPrice writes a product's new price into the price history (price_changes), inside the
// transaction that sets it; old is the price before, not Valid for a new product.
func recordPrice(ctx context.Context, tx *sql.Tx, productID int64, at time.Time, old sql.NullInt64, price int64, by string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO price_changes (product_id, at, old_price, new_price, changed_by) VALUES (?, ?, ?, ?, ?)`,
		productID, timestamp(at), old, price, by)
	return err
}

// recordImportedPrices enters the products an import batch added, ids first to last (every id between
// them is one of the batch's: SQLite gives new rows the ids after the largest), in the price history as
// one range (migration 0048).
func recordImportedPrices(ctx context.Context, tx *sql.Tx, first, last int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO price_change_imports (first_id, last_id, at) VALUES (?, ?, ?)`,
		first, last, timestamp(at))
	return err
}

// PriceChangedSince returns the active products whose price changed (or that were added) at or after
// since, with their barcodes as printed, in SKU order, up to limit: the shelf labels to print.
func (s *Store) PriceChangedSince(ctx context.Context, since time.Time, limit int) ([]app.CatalogEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+`, (SELECT group_concat(code, '|') FROM barcodes WHERE product_id = p.id)
		FROM products p WHERE p.id IN (SELECT product_id FROM price_changes WHERE at >= ?1
			UNION ALL SELECT n.id FROM price_change_imports r JOIN products n ON n.id BETWEEN r.first_id AND r.last_id WHERE r.at >= ?1)
		AND p.active = 1 ORDER BY p.sku LIMIT ?2`, timestamp(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.CatalogEntry
	for rows.Next() {
		var codes sql.NullString
		p, err := scanProduct(scanWith(rows, &codes), s.currency())
		if err != nil {
			return nil, err
		}
		e := app.CatalogEntry{Product: p}
		for _, c := range strings.Split(codes.String, "|") {
			if c != "" {
				e.Barcodes = append(e.Barcodes, barcode.DisplayGTIN(c))
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
