package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// WatchPayment keeps p under watch (app.LatePayments); watching a reference twice keeps the first.
func (s *Store) WatchPayment(ctx context.Context, p app.WatchedPayment) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO payment_watch (reference, amount, currency, created_at, until) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (reference) DO NOTHING`, p.Reference, p.Amount.Minor(), p.Amount.Currency().Code, timestamp(p.At), timestamp(p.Until))
		return err
	})
}

// WatchedPayments returns the orders under watch, oldest first.
func (s *Store) WatchedPayments(ctx context.Context) ([]app.WatchedPayment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT reference, amount, currency, created_at, until FROM payment_watch ORDER BY created_at, reference`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.WatchedPayment
	for rows.Next() {
		var w app.WatchedPayment
		var amount int64
		var code, at, until string
		if err := rows.Scan(&w.Reference, &amount, &code, &at, &until); err != nil {
			return nil, err
		}
		c, err := money.Lookup(code)
		if err != nil {
			return nil, fmt.Errorf("watched payment %s: %w", w.Reference, err)
		}
		w.Amount = money.New(amount, c)
		if w.At, err = parseTimestamp(at); err == nil {
			w.Until, err = parseTimestamp(until)
		}
		if err != nil {
			return nil, fmt.Errorf("watched payment %s: %w", w.Reference, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// latePaymentDoc is the journal's record of a late payment given back.
type latePaymentDoc struct {
	Reference string `json:"reference"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Outcome   string `json:"outcome"`
}

// EndWatch stops watching reference; a refund is journaled in the same transaction.
func (s *Store) EndWatch(ctx context.Context, reference string, outcome app.LateOutcome, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var amount int64
		var code string
		err := tx.QueryRowContext(ctx, `DELETE FROM payment_watch WHERE reference = ? RETURNING amount, currency`, reference).Scan(&amount, &code)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // ended already
		}
		if err != nil || outcome != app.LateRefunded {
			return err
		}
		c, err := money.Lookup(code)
		if err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, at, "late_payment_refunded", latePaymentDoc{Reference: reference,
			Amount: money.New(amount, c).Decimal(), Currency: code, Outcome: string(outcome)})
	})
}
