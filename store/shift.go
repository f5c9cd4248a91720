package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

var _ app.ShiftBook = (*Store)(nil)

func newShiftCloseEntry(sh *app.Shift, closeID string) document.ShiftClose {
	counted := make([]document.DenominationCount, len(sh.Counted))
	for i, c := range sh.Counted {
		counted[i] = document.DenominationCount{Minor: c.Minor, Count: c.Count}
	}
	return document.ShiftClose{ID: sh.ID, CloseID: closeID, Till: sh.Till, Number: sh.Number, User: sh.User,
		OpenedAt: timestamp(sh.OpenedAt), ClosedAt: timestamp(sh.ClosedAt), ClosedBy: sh.ClosedBy,
		Currency: sh.Float.Currency().Code, Float: sh.Float.Decimal(), CashSales: sh.CashSales.Decimal(),
		CashIn: sh.CashIn.Decimal(), CashOut: sh.CashOut.Decimal(), Expected: sh.Expected.Decimal(), Counted: counted,
		CountedTotal: sh.CountedTotal.Decimal(), OverShort: sh.OverShort.Decimal()}
}

func newShiftOpenEntry(sh *app.Shift) document.ShiftOpen {
	return document.ShiftOpen{ID: sh.ID, Till: sh.Till, Number: sh.Number, User: sh.User, OpenedAt: timestamp(sh.OpenedAt),
		Currency: sh.Float.Currency().Code, Float: sh.Float.Decimal()}
}

// checkCurrency refuses an amount in another currency than the shop's.
func (s *Store) checkCurrency(a money.Amount) error {
	if c := a.Currency(); c != s.currency() {
		return fmt.Errorf("%w: %s is not in %s", app.ErrInvalidAmount, a, s.currency().Code)
	}
	return nil
}

// stored returns t as the rows and the journal keep it: UTC, to the microsecond.
func stored(t time.Time) time.Time {
	u, _ := parseTimestamp(timestamp(t))
	return u
}

// OpenShift opens the till's next shift with float in the drawer, stored and journaled (shift_open) in
// one transaction. A second open shift is refused with app.ErrShiftOpen.
func (s *Store) OpenShift(ctx context.Context, at time.Time, user string, float money.Amount) (*app.Shift, error) {
	if err := app.CheckFloat(float); err != nil {
		return nil, err
	}
	if err := s.checkCurrency(float); err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	c := s.currency()
	sh := &app.Shift{ID: app.NewID(), Till: set.Till, User: user, OpenedAt: stored(at), Float: float,
		CashSales: money.Zero(c), CashIn: money.Zero(c), CashOut: money.Zero(c)}
	sh.Reckon()
	err = s.write(ctx, func(tx *sql.Tx) error {
		var open int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM shifts WHERE till = ? AND closed_at IS NULL`, sh.Till).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return app.ErrShiftOpen
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM shifts WHERE till = ?`, sh.Till).Scan(&sh.Number); err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO shifts (uuid, till, number, user, opened_at, currency, float, journal_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sh.ID, sh.Till, sh.Number, sh.User, timestamp(sh.OpenedAt), c.Code, float.Minor(), seq)
		if isConstraint(err) {
			return app.ErrShiftOpen // the partial unique index: one open shift per till
		}
		if err != nil {
			return fmt.Errorf("insert shift: %w", err)
		}
		return s.journalAndSend(ctx, tx, at, "shift_open", sh.ID, newShiftOpenEntry(sh))
	})
	if err != nil {
		return nil, fmt.Errorf("open shift: %w", err)
	}
	return sh, nil
}

// CurrentShift returns the till's open shift with what its drawer should hold at at, or app.ErrNoShift.
func (s *Store) CurrentShift(ctx context.Context, at time.Time) (*app.Shift, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var sh *app.Shift
	err = s.readSnapshot(ctx, func(tx *sql.Tx) error {
		sh, _, err = s.openShift(ctx, tx, set.Till, at)
		return err
	})
	return sh, err
}

// openShift reads the till's open shift with q and reckons its drawer at at: the cash figures of its
// period are the same DaySummary the reports sum, and the cash moves its own. It returns the row's id.
func (s *Store) openShift(ctx context.Context, q querier, till string, at time.Time) (*app.Shift, int64, error) {
	rows, err := s.readShifts(ctx, q, `WHERE till = ? AND closed_at IS NULL`, till)
	if err != nil {
		return nil, 0, err
	}
	if len(rows) == 0 {
		return nil, 0, app.ErrNoShift
	}
	sh, id := &rows[0].shift, rows[0].id
	c := sh.Float.Currency()
	if c != s.currency() {
		// The shop's currency changed under an open shift: its drawer cannot be reckoned in either.
		return nil, 0, fmt.Errorf("shift %d was opened in %s; the shop now counts in %s", sh.Number, c.Code, s.currency().Code)
	}
	var in, out int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(CASE WHEN kind = 'in' THEN amount END), 0),
		coalesce(sum(CASE WHEN kind = 'out' THEN amount END), 0) FROM cash_moves WHERE shift_id = ?`, id).Scan(&in, &out); err != nil {
		return nil, 0, fmt.Errorf("cash moves: %w", err)
	}
	sh.CashIn, sh.CashOut = money.New(in, c), money.New(out, c)
	sh.CashSales = money.Zero(c)
	if sh.OpenedAt.Before(at) {
		// Only the tenders: the whole day's summary cost eleven queries, in CloseShift inside the write lock.
		sum := app.NewDaySummary(sh.OpenedAt, at, c)
		if err := s.tenderTotals(ctx, q, &sum); err != nil {
			return nil, 0, err
		}
		sh.CashSales = sum.CashExpected()
	}
	sh.Reckon()
	return sh, id, nil
}

// MoveCash records cash put into (app.CashIn) or taken out of (app.CashOut) the open shift's drawer,
// stored and journaled (cash_in, cash_out) in one transaction.
func (s *Store) MoveCash(ctx context.Context, at time.Time, user string, kind app.CashMoveKind, amount money.Amount, reason string) (*app.CashMove, error) {
	m := &app.CashMove{ID: app.NewID(), Kind: kind, Amount: amount, Reason: reason, User: user, At: stored(at)}
	if err := m.Check(); err != nil {
		return nil, err
	}
	if err := s.checkCurrency(amount); err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var shiftID int64
		err := tx.QueryRowContext(ctx, `SELECT id, uuid FROM shifts WHERE till = ? AND closed_at IS NULL`, set.Till).Scan(&shiftID, &m.ShiftID)
		if errors.Is(err, sql.ErrNoRows) {
			return app.ErrNoShift
		}
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cash_moves (uuid, shift_id, kind, amount, reason, user, at, journal_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, shiftID, string(kind), amount.Minor(), reason, user, timestamp(m.At), seq); err != nil {
			return fmt.Errorf("insert cash move: %w", err)
		}
		return s.journalAndSend(ctx, tx, at, "cash_"+string(kind), m.ID, newCashMoveEntry(m))
	})
	if err != nil {
		return nil, fmt.Errorf("cash %s: %w", kind, err)
	}
	return m, nil
}

// newCashMoveEntry is a cash move's journal entry (kind "cash_in" or "cash_out").
func newCashMoveEntry(m *app.CashMove) document.CashMove {
	return document.CashMove{ID: m.ID, ShiftID: m.ShiftID, Amount: m.Amount.Decimal(), Currency: m.Amount.Currency().Code,
		Reason: m.Reason, User: m.User, At: timestamp(m.At)}
}

// CloseShift closes the open shift with its drawer counted. What the drawer should hold is reckoned
// inside the closing transaction, so no sale can fall between the figures and the close; the row, its
// journal entry (shift_close) and its outbox row are written together.
func (s *Store) CloseShift(ctx context.Context, at time.Time, user string, counts []app.DenominationCount) (*app.Shift, error) {
	counted, err := app.CountedTotal(counts, s.currency())
	if err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var sh *app.Shift
	err = s.write(ctx, func(tx *sql.Tx) error {
		open, id, err := s.openShift(ctx, tx, set.Till, at)
		if err != nil {
			return err
		}
		open.ClosedAt, open.ClosedBy, open.CountedTotal = stored(at), user, counted
		open.Counted = append([]app.DenominationCount{}, counts...)
		if open.ClosedAt.Before(open.OpenedAt) {
			return fmt.Errorf("%w: the shift opened after that", app.ErrInvalidCount)
		}
		open.Reckon()
		doc, err := json.Marshal(open.Counted)
		if err != nil {
			return err
		}
		closeID := app.NewID()
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET close_uuid = ?, closed_at = ?, closed_by = ?, cash_sales = ?, cash_in = ?,
			cash_out = ?, expected = ?, counted = ?, counted_total = ?, over_short = ?, close_journal_seq = ? WHERE id = ?`,
			closeID, timestamp(open.ClosedAt), user, open.CashSales.Minor(), open.CashIn.Minor(), open.CashOut.Minor(),
			open.Expected.Minor(), string(doc), counted.Minor(), open.OverShort.Minor(), seq, id); err != nil {
			return fmt.Errorf("close shift: %w", err)
		}
		sh = open
		return s.journalAndSend(ctx, tx, at, "shift_close", closeID, newShiftCloseEntry(open, closeID))
	})
	if err != nil {
		return nil, fmt.Errorf("close shift: %w", err)
	}
	return sh, nil
}

// ShiftsClosedBetween returns the shifts closed in [from, to), oldest first.
func (s *Store) ShiftsClosedBetween(ctx context.Context, from, to time.Time) ([]app.Shift, error) {
	return s.closedShifts(ctx, s.r, from, to)
}

// closedShifts is ShiftsClosedBetween with q.
func (s *Store) closedShifts(ctx context.Context, q querier, from, to time.Time) ([]app.Shift, error) {
	rows, err := s.readShifts(ctx, q, `WHERE closed_at >= ? AND closed_at < ? ORDER BY closed_at, id`, timestamp(from), timestamp(to))
	if err != nil {
		return nil, err
	}
	out := make([]app.Shift, len(rows))
	for i, r := range rows {
		out[i] = r.shift
	}
	return out, nil
}

// drawer sums up the cash of the shifts closed in [from, to) and of the one still open at to, with q:
// the reconciliation X and Z reports show.
func (s *Store) drawer(ctx context.Context, q querier, till string, from, to time.Time) (app.Drawer, error) {
	closed, err := s.closedShifts(ctx, q, from, to)
	if err != nil {
		return app.Drawer{}, err
	}
	open, _, err := s.openShift(ctx, q, till, to)
	if errors.Is(err, app.ErrNoShift) {
		open, err = nil, nil
	}
	if err != nil {
		return app.Drawer{}, err
	}
	return app.NewDrawer(closed, open, s.currency()), nil
}

// shiftRow is a stored shift and its row id; closeID is its close's outbox key ("" while open); seq and
// closeSeq are the journal entries of its opening and close.
type shiftRow struct {
	shift         app.Shift
	id            int64
	closeID       string
	seq, closeSeq sql.NullInt64
}

const shiftColumns = `id, uuid, till, number, user, opened_at, currency, float, close_uuid, closed_at, closed_by, cash_sales,
	cash_in, cash_out, expected, counted, counted_total, over_short, journal_seq, close_journal_seq`

// readShifts reads the shifts that where (with args) selects.
func (s *Store) readShifts(ctx context.Context, q querier, where string, args ...any) ([]shiftRow, error) {
	var out []shiftRow
	err := each(ctx, q, func(rows *sql.Rows) error {
		var r shiftRow
		var opened, cur string
		var float int64
		var closeID, closedAt, closedBy, counted sql.NullString
		var sales, in, out2, expected, total, overShort sql.NullInt64
		if err := rows.Scan(&r.id, &r.shift.ID, &r.shift.Till, &r.shift.Number, &r.shift.User, &opened, &cur, &float, &closeID,
			&closedAt, &closedBy, &sales, &in, &out2, &expected, &counted, &total, &overShort, &r.seq, &r.closeSeq); err != nil {
			return err
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return err
		}
		sh := &r.shift
		if sh.OpenedAt, err = parseTimestamp(opened); err != nil {
			return err
		}
		sh.Float = money.New(float, c)
		if closedAt.Valid {
			if sh.ClosedAt, err = parseTimestamp(closedAt.String); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(counted.String), &sh.Counted); err != nil {
				return fmt.Errorf("shift %d count: %w", sh.Number, err)
			}
			r.closeID, sh.ClosedBy = closeID.String, closedBy.String
			sh.CashSales, sh.CashIn, sh.CashOut = money.New(sales.Int64, c), money.New(in.Int64, c), money.New(out2.Int64, c)
			sh.Expected, sh.CountedTotal, sh.OverShort = money.New(expected.Int64, c), money.New(total.Int64, c), money.New(overShort.Int64, c)
		}
		out = append(out, r)
		return nil
	}, `SELECT `+shiftColumns+` FROM shifts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	return out, nil
}

// verifyShiftClose checks that the closed shift a journal entry names is stored exactly as it was closed.
func (s *Store) verifyShiftClose(ctx context.Context, payload string) (string, error) {
	var e document.ShiftClose
	if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
		return "", fmt.Errorf("unreadable shift close entry")
	}
	rows, err := s.readShifts(ctx, s.r, `WHERE uuid = ?`, e.ID)
	if err != nil {
		return "", err
	}
	if len(rows) == 0 || rows[0].shift.Open() {
		return "", fmt.Errorf("shift %s %d is missing or not closed in the shifts table", e.Till, e.Number)
	}
	got, err := json.Marshal(newShiftCloseEntry(&rows[0].shift, rows[0].closeID))
	if err != nil {
		return "", err
	}
	if string(got) != payload {
		return "", fmt.Errorf("shift %s %d: its stored close differs from what was journaled", e.Till, e.Number)
	}
	return e.CloseID, nil
}
