package store

import (
	"context"
	"database/sql"
	"errors"

	"checkout/app"
)

var _ app.OpenCarts = (*Store)(nil)

// SaveOpenCart makes p its till's open cart (a parked cart marked open, one per till), replacing the
// one before, in one small transaction. A sale that was completed (its ID is in sales) or parked (its
// row is no longer open) is left alone: a write that comes late never brings an ended sale back.
func (s *Store) SaveOpenCart(ctx context.Context, p app.ParkedCart) error {
	doc, tenders, coupons, err := parkedDocs(p)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM parked_carts WHERE till = ? AND open = 1 AND id <> ?`, p.Till, p.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO parked_carts (`+parkedColumns+`, open)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM sales WHERE uuid = ?)
			ON CONFLICT (id) DO UPDATE SET parked_at = excluded.parked_at, currency = excluded.currency, total = excluded.total,
				lines = excluded.lines, member = excluded.member, tenders = excluded.tenders, coupons = excluded.coupons WHERE open = 1`,
			p.ID, p.Till, timestamp(p.ParkedAt), p.Total.Currency().Code, p.Total.Minor(), doc, p.Member, tenders, coupons, p.ID)
		return err
	})
}

// DropOpenCart deletes the till's open cart, if it has one.
func (s *Store) DropOpenCart(ctx context.Context, till string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM parked_carts WHERE till = ? AND open = 1`, till)
		return err
	})
}

// OpenCartAt returns the till's open cart. One whose sale is stored as completed is deleted, never
// returned.
func (s *Store) OpenCartAt(ctx context.Context, till string) (p app.ParkedCart, ok bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM parked_carts WHERE till = ? AND open = 1 AND id IN (SELECT uuid FROM sales)`, till); err != nil {
			return err
		}
		p, err = scanParked(tx.QueryRowContext(ctx, `SELECT `+parkedColumns+` FROM parked_carts WHERE till = ? AND open = 1`, till))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the leftover's deletion is committed all the same
		}
		ok = err == nil
		return err
	})
	if err != nil || !ok {
		return app.ParkedCart{}, false, err
	}
	return p, true, nil
}

// HoldOpenCart turns the till's open cart into a parked cart, as it is.
func (s *Store) HoldOpenCart(ctx context.Context, till string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE parked_carts SET open = 0 WHERE till = ? AND open = 1`, till)
		return err
	})
}

// dropEndedCart deletes the open cart of the sale id, in the transaction that completes or voids it.
func (s *Store) dropEndedCart(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.StmtContext(ctx, s.q.dropEndedCart).ExecContext(ctx, id)
	return err
}
