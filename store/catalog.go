package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
)

const productColumns = `p.id, p.sku, p.name, p.name_zh, p.category, p.category_zh, p.price, p.unit, p.tax_class,
	p.active, p.cost, p.reorder_point, p.on_hand, p.price_unit`

func scanProduct(row interface{ Scan(...any) error }, c money.Currency) (app.Product, error) {
	var p app.Product
	var price, cost int64
	var unit string
	var per sql.NullString
	err := row.Scan(&p.ID, &p.SKU, &p.Name, &p.NameZH, &p.Category, &p.CategoryZH, &price, &unit, &p.TaxClass, &p.Active,
		&cost, &p.ReorderPoint, &p.OnHand, &per)
	p.Price, p.Cost, p.Unit, p.PriceUnit = money.New(price, c), money.New(cost, c), app.Unit(unit), app.PriceUnit(per.String)
	return p, err
}

// priceUnit is a price unit as the price_unit columns hold it: NULL for per the unit.
func priceUnit(pu app.PriceUnit) any {
	if pu == app.PerUnit {
		return nil
	}
	return string(pu)
}

// ProductByBarcode returns the product a barcode is on, matching a GTIN in any of its lengths. An unknown
// code wraps app.ErrUnknownBarcode.
func (s *Store) ProductByBarcode(ctx context.Context, code string) (app.Product, error) {
	code = barcode.NormalizeGTIN(code)
	row := s.r.QueryRowContext(ctx, `SELECT `+productColumns+` FROM barcodes b JOIN products p ON p.id = b.product_id
		WHERE b.code = ?`, code)
	p, err := scanProduct(row, s.currency())
	if errors.Is(err, sql.ErrNoRows) {
		return app.Product{}, fmt.Errorf("%w: %s", app.ErrUnknownBarcode, code)
	}
	return p, err
}

// ProductBySKU returns the product with the SKU: how a cart parked at another till of the shop finds its
// products here. An unknown SKU wraps app.ErrCartProduct.
func (s *Store) ProductBySKU(ctx context.Context, sku string) (app.Product, error) {
	p, err := scanProduct(s.r.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products p WHERE p.sku = ?`, sku), s.currency())
	if errors.Is(err, sql.ErrNoRows) {
		return app.Product{}, fmt.Errorf("%w: %s", app.ErrCartProduct, sku)
	}
	return p, err
}

var _ app.ProductsBySKU = (*Store)(nil)

// CountProducts returns how many products the catalog has.
func (s *Store) CountProducts(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM products`).Scan(&n)
	return n, err
}

// AddProducts adds catalog entries whose SKU is new, with their barcodes, in one transaction, and
// returns how many it added. Entries whose SKU is already there are left as they are. A barcode already
// on another product fails the whole call and adds nothing. The products' words are committed to the
// word index in the background, beside the next call's products; a search waits for them.
func (s *Store) AddProducts(ctx context.Context, entries []app.CatalogEntry) (int, error) {
	return s.addProducts(ctx, entries, false)
}

// AddProductsTrigramsLater is AddProducts leaving the products' trigrams (substring search) to a pass
// over bulkTrigramRows products at a time, the last by SearchIndexed: for an import of many batches.
func (s *Store) AddProductsTrigramsLater(ctx context.Context, entries []app.CatalogEntry) (int, error) {
	return s.addProducts(ctx, entries, true)
}

func (s *Store) addProducts(ctx context.Context, entries []app.CatalogEntry, trigramsLater bool) (int, error) {
	wait := searchWordsAsync(entries)
	defer wait() // the caller may reuse entries once this returns
	var added []int64
	var rows []searchRow
	var pending int64
	indexed := s.words.indexedRows()
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := deletePending(ctx, tx, indexed); err != nil {
			return err
		}
		ids, err := insertProducts(ctx, tx, entries)
		if err != nil {
			return err
		}
		if err := insertBarcodes(ctx, tx, entries, ids); err != nil {
			return err
		}
		for _, id := range ids {
			if id != 0 {
				added = append(added, id)
			}
		}
		if len(added) == 0 {
			return nil
		}
		if err := recordImportedPrices(ctx, tx, added[0], added[len(added)-1], time.Now()); err != nil {
			return err
		}
		// Trigrams last: every statement that may abort opens a savepoint, and FTS5 flushes its pending
		// terms to a new segment at each savepoint, so interleaving them with the inserts above wrote a
		// segment per product and spent most of the import merging them.
		if trigramsLater {
			if err := markTrigramsPending(ctx, tx, added[0], added[len(added)-1]); err != nil {
				return err
			}
			behind, err := trigramRowsPending(ctx, tx)
			if err != nil {
				return err
			}
			if behind >= bulkTrigramRows {
				if err := indexTrigrams(ctx, tx); err != nil {
					return fmt.Errorf("search index: %w", err)
				}
			}
		} else if err := insertTrigrams(ctx, tx, added); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		pending, err = markPending(ctx, tx, added[0], added[len(added)-1])
		if err != nil {
			return err
		}
		words := wait()
		rows = make([]searchRow, 0, len(added))
		for i, id := range ids {
			if id != 0 {
				rows = append(rows, searchRow{id: id, words: words[i]})
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.words.forget(indexed)
	if len(added) == 0 {
		return 0, nil
	}
	// Two batches of words in the background at most; one that failed leaves its products pending.
	if err := s.words.settleBacklog(); err != nil {
		return len(added), wordsBehind(err)
	}
	first, last := added[0], added[len(added)-1]
	s.words.start(func() error {
		if err := s.writeWords(context.Background(), first, last, rows); err != nil {
			return err
		}
		s.words.done(pending)
		return nil
	})
	return len(added), nil
}

// SearchIndexed waits until the products added are found by every search (their words are committed,
// the trigrams AddProductsTrigramsLater left are indexed) and returns what stopped the last batch's words;
// those products are indexed at the next start.
func (s *Store) SearchIndexed(ctx context.Context) error {
	if s.words == nil {
		return nil
	}
	// Trigrams first: the last batches' words are written beside them, on the word index's connection.
	trigramsErr := s.indexPendingTrigrams(ctx)
	err := s.words.settle()
	if err != nil {
		err = wordsBehind(err)
	}
	return errors.Join(trigramsErr, err, s.clearIndexed(ctx))
}

// BarcodesInUse returns which of codes are already on a product, code → that product's SKU. Codes are
// compared in their stored GTIN-14 form.
func (s *Store) BarcodesInUse(ctx context.Context, codes []string) (map[string]string, error) {
	inUse := map[string]string{}
	for first := 0; first < len(codes); first += 500 {
		batch := codes[first:min(first+500, len(codes))]
		args := make([]any, len(batch))
		for i, c := range batch {
			args[i] = barcode.NormalizeGTIN(c)
		}
		rows, err := s.r.QueryContext(ctx, `SELECT b.code, p.sku FROM barcodes b JOIN products p ON p.id = b.product_id
			WHERE b.code IN (?`+strings.Repeat(`, ?`, len(batch)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var code, sku string
			if err := rows.Scan(&code, &sku); err != nil {
				rows.Close()
				return nil, err
			}
			inUse[code] = sku
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return inUse, nil
}

// EachWeighedProduct calls fn for every active product sold by weight with its barcodes, in SKU order:
// what label-printing scales are loaded with (app.PLUsOf). It reads as it goes, one product in memory.
func (s *Store) EachWeighedProduct(ctx context.Context, fn func(app.CatalogEntry) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+`, (SELECT group_concat(code, '|') FROM barcodes WHERE product_id = p.id)
		FROM products p WHERE p.unit = 'kg' AND p.active = 1 ORDER BY p.sku`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var codes sql.NullString
		p, err := scanProduct(scanWith(rows, &codes), s.currency())
		if err != nil {
			return err
		}
		e := app.CatalogEntry{Product: p}
		if codes.String != "" {
			e.Barcodes = strings.Split(codes.String, "|")
			slices.Sort(e.Barcodes) // group_concat's order is not defined: the file's is
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportCatalog writes the whole catalog as CSV in app.CatalogColumns order, a product a row, streaming
// so a million products never sit in memory.
func (s *Store) ExportCatalog(ctx context.Context, w io.Writer) (int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+`, (SELECT group_concat(code, '|') FROM barcodes WHERE product_id = p.id)
		FROM products p ORDER BY p.sku`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cw, err := app.NewCSVWriter(w, app.CatalogColumns(), "price", "cost", "reorder_point")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var codes sql.NullString
		p, err := scanProduct(scanWith(rows, &codes), s.currency())
		if err != nil {
			return n, err
		}
		var out []string
		for _, c := range strings.Split(codes.String, "|") {
			if c != "" {
				out = append(out, barcode.DisplayGTIN(c))
			}
		}
		active := "yes"
		if !p.Active {
			active = "no"
		}
		if err := cw.Write(p.SKU, strings.Join(out, "|"), p.Name, p.NameZH, p.Category, p.CategoryZH, p.UnitCode(),
			p.Price.Decimal(), p.Cost.Decimal(), p.ReorderPoint.Format(p.Unit), p.TaxClass, active); err != nil {
			return n, err
		}
		n++
	}
	if err := cw.Flush(); err != nil {
		return n, err
	}
	return n, rows.Err()
}

// scanWith scans a row's product columns and then extra columns into dest.
func scanWith(row interface{ Scan(...any) error }, extra ...any) interface{ Scan(...any) error } {
	return scanFunc(func(dest ...any) error { return row.Scan(append(dest, extra...)...) })
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// ProductPage returns up to limit products after the SKU after (all when after is ""), in SKU order: a
// page of the product list, read by key so page 1,000 costs what page 1 does.
func (s *Store) ProductPage(ctx context.Context, after string, limit int) ([]app.Product, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+` FROM products p WHERE p.sku > ? ORDER BY p.sku LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Product
	for rows.Next() {
		p, err := scanProduct(rows, s.currency())
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// priceEntry is what the journal records of a price change.
type priceEntry struct {
	SKU      string `json:"sku"`
	Old      string `json:"old"`
	New      string `json:"new"`
	Currency string `json:"currency"`
	User     string `json:"user,omitempty"`
	// OldPer and NewPer are what the prices are for when not the unit (jin, 100g), so the entry says
	// 6.98/斤; ¥6.98/kg to ¥6.98/斤 doubles the price per kilogram, so a change of price unit alone is
	// journaled as a price change.
	OldPer string `json:"old_per,omitempty"`
	NewPer string `json:"new_per,omitempty"`
}

// SetPrice changes a product's price and journals the old and new price in the same transaction.
func (s *Store) SetPrice(ctx context.Context, productID int64, price money.Amount, user string, at time.Time) error {
	if price.IsNegative() || price.Currency() != s.currency() {
		return fmt.Errorf("%w: price %s", app.ErrInvalidAmount, price)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var sku string
		var old int64
		var per sql.NullString // unchanged: the new price is for what the old one was
		err := tx.QueryRowContext(ctx, `SELECT sku, price, price_unit FROM products WHERE id = ?`, productID).Scan(&sku, &old, &per)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: product %d", ErrNotFound, productID)
		}
		if err != nil {
			return err
		}
		if old == price.Minor() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE products SET price = ? WHERE id = ?`, price.Minor(), productID); err != nil {
			return err
		}
		if err := recordPrice(ctx, tx, productID, at, sql.NullInt64{Int64: old, Valid: true}, price.Minor(), user); err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, at, "price", priceEntry{SKU: sku, Old: money.New(old, price.Currency()).Decimal(),
			New: price.Decimal(), Currency: price.Currency().Code, User: user, OldPer: per.String, NewPer: per.String})
	})
}
