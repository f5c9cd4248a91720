package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
)

// ProductDetail returns a product with its barcodes as printed (EAN-13, UPC-A, … rather than GTIN-14).
func (s *Store) ProductDetail(ctx context.Context, id int64) (app.CatalogEntry, error) {
	var codes sql.NullString
	p, err := scanProduct(scanWith(s.r.QueryRowContext(ctx, `SELECT `+productColumns+`,
		(SELECT group_concat(code, '|') FROM barcodes WHERE product_id = p.id) FROM products p WHERE p.id = ?`, id), &codes), s.currency())
	if errors.Is(err, sql.ErrNoRows) {
		return app.CatalogEntry{}, fmt.Errorf("%w: product %d", ErrNotFound, id)
	}
	if err != nil {
		return app.CatalogEntry{}, err
	}
	e := app.CatalogEntry{Product: p}
	for _, c := range strings.Split(codes.String, "|") {
		if c != "" {
			e.Barcodes = append(e.Barcodes, barcode.DisplayGTIN(c))
		}
	}
	return e, nil
}

// Categories lists the categories products are in, in order.
func (s *Store) Categories(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT category FROM products WHERE category <> '' ORDER BY category`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveProduct creates e's product (ID 0) or replaces all its fields and barcodes, and its trigrams, in
// one transaction; a new or changed price is journaled with the old and the new. Its words follow in the
// word index. Stock is never set here: it moves only through the ledger. A SKU or barcode that another
// product has fails with app.ErrInvalidProduct and changes nothing.
func (s *Store) SaveProduct(ctx context.Context, e app.CatalogEntry, user string, at time.Time) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.saveProduct(ctx, tx, e, user, at)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, s.catchUpWords(ctx)
}

// saveProduct is SaveProduct inside tx: the down-sync applies the head office's products with it.
func (s *Store) saveProduct(ctx context.Context, tx *sql.Tx, e app.CatalogEntry, user string, at time.Time) (int64, error) {
	p := e.Product
	if p.Price.Currency() != s.currency() {
		return 0, fmt.Errorf("%w: price %s", app.ErrInvalidAmount, p.Price)
	}
	id := p.ID
	err := func() error {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ? AND id <> ?`, p.SKU, id).Scan(&other)
		if err == nil {
			return fmt.Errorf("%w: SKU %s is already another product's", app.ErrInvalidProduct, p.SKU)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		old, oldPer := sql.NullInt64{}, sql.NullString{}
		trigramsLater := false
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO products (sku, name, name_zh, category, category_zh, price, unit, tax_class, active,
				cost, reorder_point, price_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.SKU, p.Name, p.NameZH, p.Category,
				p.CategoryZH, p.Price.Minor(), string(p.Unit), p.TaxClass, p.Active, p.Cost.Minor(), int64(p.ReorderPoint),
				priceUnit(p.PriceUnit)).Scan(&id)
			if err != nil {
				return err
			}
		} else {
			if err := tx.QueryRowContext(ctx, `SELECT price, price_unit FROM products WHERE id = ?`, id).Scan(&old, &oldPer); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: product %d", ErrNotFound, id)
			} else if err != nil {
				return err
			}
			if trigramsLater, err = trigramsPending(ctx, tx, id); err != nil {
				return err
			}
			// Search rows go before the names change: product_trigrams finds the terms to delete in the
			// product's names as they are.
			tables := []string{"barcodes WHERE product_id", "product_trigrams WHERE rowid"}
			if trigramsLater {
				tables = tables[:1]
			}
			for _, table := range tables {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` = ?`, id); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `UPDATE products SET sku = ?, name = ?, name_zh = ?, category = ?, category_zh = ?, price = ?,
				unit = ?, tax_class = ?, active = ?, cost = ?, reorder_point = ?, price_unit = ? WHERE id = ?`, p.SKU, p.Name, p.NameZH,
				p.Category, p.CategoryZH, p.Price.Minor(), string(p.Unit), p.TaxClass, p.Active, p.Cost.Minor(), int64(p.ReorderPoint),
				priceUnit(p.PriceUnit), id)
			if err != nil {
				return err
			}
		}
		for _, code := range e.Barcodes {
			var owner string
			err := tx.QueryRowContext(ctx, `SELECT p.sku FROM barcodes b JOIN products p ON p.id = b.product_id WHERE b.code = ?`,
				barcode.NormalizeGTIN(code)).Scan(&owner)
			if err == nil {
				return fmt.Errorf("%w: barcode %s is already on product %s", app.ErrInvalidProduct, code, owner)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO barcodes (code, product_id) VALUES (?, ?)`, barcode.NormalizeGTIN(code), id); err != nil {
				return err
			}
		}
		// A product whose trigrams are pending has them indexed from its names as they are then.
		if !trigramsLater {
			if err := insertTrigrams(ctx, tx, []int64{id}); err != nil {
				return err
			}
		}
		if _, err := markPending(ctx, tx, id, id); err != nil {
			return err
		}
		if old.Valid && old.Int64 == p.Price.Minor() && app.PriceUnit(oldPer.String) == p.PriceUnit {
			return nil
		}
		if err := recordPrice(ctx, tx, id, at, old, p.Price.Minor(), user); err != nil {
			return err
		}
		oldPrice := ""
		if old.Valid {
			oldPrice = money.New(old.Int64, p.Price.Currency()).Decimal()
		}
		return s.appendJournal(ctx, tx, at, "price", priceEntry{SKU: p.SKU, Old: oldPrice, New: p.Price.Decimal(),
			Currency: p.Price.Currency().Code, User: user, OldPer: oldPer.String, NewPer: string(p.PriceUnit)})
	}()
	if err != nil {
		return 0, err
	}
	return id, nil
}

// SearchCatalog is SearchProducts for the product manager: inactive products are found too.
func (s *Store) SearchCatalog(ctx context.Context, query string, limit int) ([]app.Product, error) {
	return s.search(ctx, query, limit, false)
}
