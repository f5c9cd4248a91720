package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

// insertMoves writes stock movements at at inside tx, lineBatch to a statement, each naming the journal
// entry seq that the transaction appends; the ledger's trigger keeps products.on_hand.
func (s *Store) insertMoves(ctx context.Context, tx *sql.Tx, seq int64, at time.Time, moves []app.StockMove) error {
	when := timestamp(at)
	for first := 0; first < len(moves); first += lineBatch {
		batch := moves[first:min(first+lineBatch, len(moves))]
		args := make([]any, 0, 9*len(batch))
		for _, m := range batch {
			var cost any
			if m.Kind == app.MoveReceiving {
				cost = m.UnitCost.Minor()
			}
			args = append(args, m.ProductID, when, string(m.Kind), int64(m.Qty), m.Reason, m.User, m.Ref, cost, seq)
		}
		if _, err := tx.StmtContext(ctx, s.q.insertMoves[len(batch)-1]).ExecContext(ctx, args...); err != nil {
			if isConstraint(err) {
				return fmt.Errorf("%w: %v", app.ErrInvalidStockMove, err)
			}
			return fmt.Errorf("stock moves %d–%d: %w", first+1, first+len(batch), err)
		}
	}
	return nil
}

// stockDoc is the document of a stock entry's movements, which its doc_sha256 is the digest of: every
// field of every movement as text, so the unit cost is covered too.
func stockDoc(moves []app.StockMove) [][]string {
	doc := make([][]string, 0, len(moves))
	for _, m := range moves {
		doc = append(doc, []string{strconv.FormatInt(m.ProductID, 10), string(m.Kind), strconv.FormatInt(int64(m.Qty), 10),
			m.Reason, m.User, m.Ref, m.UnitCost.Decimal()})
	}
	return doc
}

// RecordStock writes moves in one transaction with one journal entry: a delivery, an adjustment or a
// count is applied whole or not at all. A receiving also sets each product's cost to what it cost now.
// The entry's document holds the moves as stored: only a receiving keeps a unit cost, in the shop's
// currency.
func (s *Store) RecordStock(ctx context.Context, at time.Time, kind app.MoveKind, ref string, moves []app.StockMove) error {
	if len(moves) == 0 {
		return fmt.Errorf("%w: no movements", app.ErrInvalidStockMove)
	}
	moves = slices.Clone(moves)
	for i, m := range moves {
		moves[i].UnitCost = money.Amount{}
		if m.Kind == app.MoveReceiving {
			moves[i].UnitCost = money.New(m.UnitCost.Minor(), s.currency())
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.insertMoves(ctx, tx, seq, at, moves); err != nil {
			return err
		}
		if kind == app.MoveReceiving {
			for _, m := range moves {
				if _, err := tx.ExecContext(ctx, `UPDATE products SET cost = ? WHERE id = ?`, m.UnitCost.Minor(), m.ProductID); err != nil {
					return err
				}
			}
		}
		entry := document.Stock{ID: app.NewID(), Kind: string(kind), Ref: ref, Moves: len(moves), DocSHA256: document.Digest(stockDoc(moves)),
			Lines: make([]document.StockLine, len(moves))}
		for i, m := range moves {
			l := document.StockLine{Qty: int64(m.Qty), Reason: m.Reason, User: m.User}
			if err := tx.QueryRowContext(ctx, `SELECT sku FROM products WHERE id = ?`, m.ProductID).Scan(&l.SKU); err != nil {
				return fmt.Errorf("stock line %d: %w", i+1, err)
			}
			if m.Kind == app.MoveReceiving {
				l.UnitCost = m.UnitCost.Decimal()
			}
			entry.Lines[i] = l
		}
		return s.journalAndSend(ctx, tx, at, "stock", entry.ID, entry)
	})
}

// StockLevels returns the stock of the products with the ids given, in that order.
func (s *Store) StockLevels(ctx context.Context, ids []int64) ([]app.StockLevel, error) {
	products, err := s.productsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	levels := make([]app.StockLevel, 0, len(products))
	for _, p := range products {
		levels = append(levels, app.StockLevel{Product: p, OnHand: p.OnHand, ReorderPoint: p.ReorderPoint})
	}
	return levels, nil
}

// LowStock lists products below zero (sold beyond the records: count them), then those at or below their
// reorder point, least stock against their point first.
// It reads the partial index products_low_stock (migration 0041), whose WHERE is this one's, not the catalog.
func (s *Store) LowStock(ctx context.Context, limit int) ([]app.StockLevel, error) {
	return s.stockLevels(ctx, lowStockWhere, limit)
}

const lowStockWhere = `(p.on_hand < 0 OR p.reorder_point > 0 AND p.on_hand <= p.reorder_point) AND p.active = 1
		ORDER BY p.on_hand < 0 DESC, CASE WHEN p.reorder_point > 0 THEN p.on_hand * 1.0 / p.reorder_point ELSE p.on_hand END, p.sku
		LIMIT ?`

func (s *Store) stockLevels(ctx context.Context, where string, args ...any) ([]app.StockLevel, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productColumns+` FROM products p WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.StockLevel
	for rows.Next() {
		p, err := scanProduct(rows, s.currency())
		if err != nil {
			return nil, err
		}
		out = append(out, app.StockLevel{Product: p, OnHand: p.OnHand, ReorderPoint: p.ReorderPoint})
	}
	return out, rows.Err()
}

// StockHistory returns a product's latest stock movements, newest first: what the ledger says happened.
func (s *Store) StockHistory(ctx context.Context, productID int64, limit int) ([]app.LedgerEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT at, kind, qty, reason, user, ref FROM stock_ledger WHERE product_id = ?
		ORDER BY at DESC LIMIT ?`, productID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.LedgerEntry
	for rows.Next() {
		var e app.LedgerEntry
		var at, kind string
		if err := rows.Scan(&at, &kind, &e.Qty, &e.Reason, &e.User, &e.Ref); err != nil {
			return nil, err
		}
		if e.At, err = parseTimestamp(at); err != nil {
			return nil, err
		}
		e.Kind = app.MoveKind(kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetReorderPoint sets the stock at or below which the product is low (0: never).
func (s *Store) SetReorderPoint(ctx context.Context, productID int64, qty app.Quantity) error {
	if qty < 0 {
		return fmt.Errorf("%w: reorder point %d", app.ErrInvalidQuantity, qty)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE products SET reorder_point = ? WHERE id = ?`, int64(qty), productID)
		return err
	})
}

// VerifyStock checks that every product's cached on-hand equals the sum of its ledger, and returns the
// first product where it does not.
func (s *Store) VerifyStock(ctx context.Context) error {
	var sku string
	var cached, ledger int64
	err := s.r.QueryRowContext(ctx, `SELECT p.sku, p.on_hand, coalesce(m.total, 0) FROM products p
		LEFT JOIN (SELECT product_id, sum(qty) AS total FROM stock_ledger GROUP BY product_id) m ON m.product_id = p.id
		WHERE p.on_hand <> coalesce(m.total, 0) LIMIT 1`).Scan(&sku, &cached, &ledger)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("stock of %s: on hand says %d, the ledger sums to %d", sku, cached, ledger)
}
