package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"checkout/app"
)

var _ app.ReprintLog = (*Store)(nil)

// reprintDoc is a reprinted receipt, as the journal records it.
type reprintDoc struct {
	ReceiptNo string `json:"receipt_no"`
	SaleID    string `json:"sale_id"`
	Till      string `json:"till"`
	Cashier   string `json:"cashier"`
}

// RecordReprint journals a receipt printed again ("reprint"), naming the sale it is of.
func (s *Store) RecordReprint(ctx context.Context, r app.Reprint) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var saleID string
		err := tx.QueryRowContext(ctx, `SELECT uuid FROM sales WHERE receipt_no = ?`, r.ReceiptNo).Scan(&saleID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reprint %s: %w", r.ReceiptNo, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, r.At, "reprint", reprintDoc{ReceiptNo: r.ReceiptNo, SaleID: saleID, Till: r.Till, Cashier: r.Cashier})
	})
}
