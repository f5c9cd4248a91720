package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"checkout/app"
)

// numbered are the kinds of document with a receipt number: its counter in receipt_counters (migration
// 0024), the table whose id is the number, and how the number is printed.
var numbered = []struct {
	kind, table string
	format      func(till string, n int64) string
}{
	{"sale", "sales", app.ReceiptNo},
	{"refund", "refunds", app.RefundNo},
	{"topup", "topups", app.TopUpNo},
	{"zreport", "zreports", app.ZNo},
}

// nextNumber takes the next number of kind inside tx. The counter only grows (a trigger refuses less),
// so the number of a deleted document is never taken again; a rolled-back transaction gives it back.
func (s *Store) nextNumber(ctx context.Context, tx *sql.Tx, kind string) (int64, error) {
	var n int64
	if err := tx.StmtContext(ctx, s.q.nextNumber).QueryRowContext(ctx, kind).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s number: %w", kind, err)
	}
	return n, nil
}

// verifyNumbers checks that every number each counter has passed has its document: a deleted document,
// the last one included, is named ("T01-000042 is missing"). Every stored document has its journal
// entry (verifyEverySaleJournaled), so a number with a row has an entry too.
func (s *Store) verifyNumbers(ctx context.Context, till string) error {
	for _, k := range numbered {
		var last sql.NullInt64
		var rows, low, high int64
		err := s.r.QueryRowContext(ctx, `SELECT (SELECT last FROM receipt_counters WHERE kind = ?), count(*),
			coalesce(min(id), 1), coalesce(max(id), 0) FROM `+k.table, k.kind).Scan(&last, &rows, &low, &high)
		switch {
		case err != nil:
			return err
		case !last.Valid:
			return fmt.Errorf("the %s counter is missing from receipt_counters", k.kind)
		case low < 1:
			return fmt.Errorf("%s: a %s numbered below 1", k.format(till, low), k.kind)
		case high > last.Int64:
			return fmt.Errorf("%s is beyond the %s counter (%d): that number was never given out", k.format(till, high), k.kind, last.Int64)
		case rows == last.Int64:
			continue // last distinct numbers from 1 to last: every one
		}
		missing, err := s.firstMissing(ctx, k.table, last.Int64)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s is missing: the %s counter passed it (at %d), and it has no row", k.format(till, missing), k.kind, last.Int64)
	}
	return nil
}

// firstMissing returns the lowest number from 1 to last that table has no row with that id for.
func (s *Store) firstMissing(ctx context.Context, table string, last int64) (int64, error) {
	want := int64(1)
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if id != want {
			return errFound
		}
		want++
		return nil
	}, `SELECT id FROM `+table+` WHERE id <= ? ORDER BY id`, last)
	if err != nil && !errors.Is(err, errFound) {
		return 0, err
	}
	return want, nil
}
