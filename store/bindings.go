package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

// Rows that move money, points or stock name the journal entry that wrote them (journal_seq, migration
// 0024), and verify-journal checks each against its entry: what follows.

// boundRows is what the journal records of a table's rows from before rows named their entries: the
// highest id and how many there were. Only those may name none.
type boundRows struct {
	UptoID int64 `json:"upto_id"`
	Rows   int64 `json:"rows"`
}

// bindJournal journals, once, the rows from before rows named their entries, which migration 0024
// counted ("journal_bound"): in the journal those figures cannot be raised to cover a row slipped in
// later. It waits for a journal it can write (one opened with the till's key); a till that had no such
// rows needs no entry, and binds every row from its first.
func (s *Store) bindJournal(ctx context.Context) error {
	if s.keyed && s.journalKey == nil {
		return nil
	}
	var waiting int
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM journal_bound WHERE journal_seq IS NULL AND upto_id > 0`).Scan(&waiting)
	if err != nil || waiting == 0 {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before := map[string]boundRows{}
		err := each(ctx, tx, func(rows *sql.Rows) error {
			var table string
			var b boundRows
			if err := rows.Scan(&table, &b.UptoID, &b.Rows); err != nil {
				return err
			}
			before[table] = b
			return nil
		}, `SELECT tbl, upto_id, row_count FROM journal_bound`)
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE journal_bound SET journal_seq = ?`, seq); err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, time.Now(), "journal_bound", before)
	})
}

// bindings is what VerifyJournal gathers from the journal to check the rows bound to it against.
type bindings struct {
	from   int64                 // the first entry whose rows name it: the "journal_bound" entry, or 1
	before map[string]boundRows  // the rows from before, per table
	ledger map[int64]groupWant   // the member ledger rows each entry wrote
	stock  map[int64]groupWant   // the moves each stock entry wrote
	docs   map[int64]*boundEntry // the entries one row each rebuilds whole
}

// groupWant is what an entry wrote to a table: the digest of its rows, how many (-1: the entry does not
// say), and what the entry is of ("sale T01-000001").
type groupWant struct {
	what, digest string
	rows         int
}

// boundEntry is an entry whose row (top-up, shift opening or close, cash move, Z report) rebuilds it
// whole; matched says that row was found.
type boundEntry struct {
	kind, payload string
	matched       bool
}

func newBindings() *bindings {
	return &bindings{from: 1, ledger: map[int64]groupWant{}, stock: map[int64]groupWant{}, docs: map[int64]*boundEntry{}}
}

// start notes the "journal_bound" entry seq: rows name their entries from it on.
func (b *bindings) start(seq int64, payload string) error {
	if b.before != nil {
		return errors.New("a second journal_bound entry")
	}
	if err := json.Unmarshal([]byte(payload), &b.before); err != nil {
		return errors.New("unreadable journal_bound entry")
	}
	b.from = seq
	return nil
}

// wantLedger notes the member ledger rows entry seq wrote, what it is of.
func (b *bindings) wantLedger(seq int64, what string, rows []ledgerRow) {
	if len(rows) > 0 {
		b.ledger[seq] = groupWant{what: what, digest: ledgerDigest(rows), rows: len(rows)}
	}
}

// verifyBindings checks the rows bound to the journal against what b gathered from its entries up to
// last: top-ups, member ledger, stock moves, cash moves, shifts and Z reports, a query or two a table. A
// row naming a later entry was written while the journal was read, and is left for the next check.
func (s *Store) verifyBindings(ctx context.Context, b *bindings, last int64) error {
	for _, check := range []func(context.Context, *bindings, int64) error{s.verifyTopUps, s.verifyLedger, s.verifyStockMoves,
		s.verifyCashMoves, s.verifyShifts, s.verifyZReports} {
		if err := check(ctx, b, last); err != nil {
			return err
		}
	}
	return nil
}

// unmatched names the first entry of one of kinds (up to last) that no row named: its row is missing.
// (Shift closes and Z reports without their row are found by their entries' own checks.)
func (b *bindings) unmatched(last int64, kinds ...string) error {
	seq := firstSince(b, b.docs, last, func(e *boundEntry) bool { return !e.matched && slices.Contains(kinds, e.kind) })
	if seq != 0 {
		return &JournalError{Seq: seq, Reason: fmt.Sprintf("no row names this %s entry: its row is missing", b.docs[seq].kind)}
	}
	return nil
}

// unbound checks a row of table that names no journal entry: only rows from before rows named their
// entries may.
func (b *bindings) unbound(table string, id int64) error {
	if id > b.before[table].UptoID {
		return fmt.Errorf("%s row %d names no journal entry: it was written behind the journal's back", table, id)
	}
	return nil
}

// notItsEntry says that a row of table names journal row seq, which did not write it.
func (s *Store) notItsEntry(ctx context.Context, b *bindings, table string, id, seq int64) error {
	if seq < b.from {
		return &JournalError{Seq: seq, Reason: fmt.Sprintf("%s row %d names this entry, from before rows named their entries", table, id)}
	}
	var kind string
	if err := s.r.QueryRowContext(ctx, `SELECT kind FROM journal WHERE seq = ?`, seq).Scan(&kind); err != nil {
		return fmt.Errorf("%s row %d names journal row %d, which is not there", table, id, seq)
	}
	return &JournalError{Seq: seq, Reason: fmt.Sprintf("%s row %d names this %s entry, which wrote no such row", table, id, kind)}
}

// checkRow checks a row of table against the entry seq it names (or none): the entry must be of kind and
// say exactly what rebuilt, the entry as the row rebuilds it.
func (s *Store) checkRow(ctx context.Context, b *bindings, table string, id int64, seq sql.NullInt64, kind string, rebuilt any) error {
	if !seq.Valid {
		return b.unbound(table, id)
	}
	e := b.docs[seq.Int64]
	if e == nil || e.kind != kind || seq.Int64 < b.from {
		return s.notItsEntry(ctx, b, table, id, seq.Int64)
	}
	got, err := json.Marshal(rebuilt)
	if err != nil {
		return err
	}
	if string(got) != e.payload {
		return &JournalError{Seq: seq.Int64, Reason: fmt.Sprintf("%s row %d differs from what this entry says", table, id)}
	}
	e.matched = true
	return nil
}

// checkGroup checks the rows of table (ids, with the digest got) that name entry seq against what it wrote.
func checkGroup(table string, seq int64, ids []int64, got string, want groupWant) error {
	reason := ""
	switch {
	case got == want.digest:
		return nil
	case want.rows >= 0 && len(ids) > want.rows:
		reason = fmt.Sprintf("%s row %d is not one of the %d rows %s wrote", table, ids[want.rows], want.rows, want.what)
	case want.rows >= 0 && len(ids) < want.rows:
		reason = fmt.Sprintf("%d of the %d %s rows %s wrote are missing", want.rows-len(ids), want.rows, table, want.what)
	default:
		reason = fmt.Sprintf("%s rows %d to %d are not the rows %s wrote", table, ids[0], ids[len(ids)-1], want.what)
	}
	return &JournalError{Seq: seq, Reason: reason}
}

// countBefore checks that table still has the rows from before rows named their entries, no more: one
// slipped in among them (at a free id below the highest) is found by the count.
func (s *Store) countBefore(ctx context.Context, b *bindings, table string) error {
	want := b.before[table]
	var n int64
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id <= ?`, want.UptoID).Scan(&n); err != nil {
		return err
	}
	if n != want.Rows {
		return fmt.Errorf("%s has %d rows up to row %d, from before rows named their entries; the journal counted %d", table, n, want.UptoID, want.Rows)
	}
	return nil
}

// verifyTopUps checks each top-up against its entry, and notes the ledger rows it wrote.
func (s *Store) verifyTopUps(ctx context.Context, b *bindings, last int64) error {
	if err := s.countBefore(ctx, b, "topups"); err != nil {
		return err
	}
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var id, member, amount, bonus int64
		var seq sql.NullInt64
		var uuid, receipt, number, at, cur, tender, user string
		var strokes sql.NullString
		if err := rows.Scan(&id, &uuid, &receipt, &member, &number, &at, &cur, &amount, &bonus, &tender, &user, &seq, &strokes); err != nil {
			return err
		}
		if seq.Int64 > last {
			return nil
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return fmt.Errorf("topups row %d: %w", id, err)
		}
		sig, err := storedSignature(strokes)
		if err != nil {
			return fmt.Errorf("topups row %d's signature: %w", id, err)
		}
		signed := signatureDigest(sig)
		if err := s.checkRow(ctx, b, "topups", id, seq, "topup", newTopUpEntry(uuid, receipt, number, c, amount, bonus, tender, user, signed)); err != nil {
			return err
		}
		if seq.Valid {
			b.wantLedger(seq.Int64, "top-up "+receipt, topUpLedger(member, at, receipt, user, amount, bonus))
		}
		return nil
	}, `SELECT t.id, t.uuid, t.receipt_no, t.member_id, coalesce(m.number, ''), t.at, t.currency, t.amount, t.bonus, t.tender_kind,
		t.user, t.journal_seq, t.signature FROM topups t LEFT JOIN members m ON m.id = t.member_id`)
	if err != nil {
		return err
	}
	return b.unmatched(last, "topup")
}

// verifyLedger checks the member ledger: each entry's rows, in order, are those it wrote (their digest),
// and no row names an entry that wrote none, or none.
func (s *Store) verifyLedger(ctx context.Context, b *bindings, last int64) error {
	return checkGroups(ctx, s, b, "member_ledger", last, b.ledger, `member_id, at, kind, points, amount, ref, user`,
		func(rows *sql.Rows, id *int64, seq *sql.NullInt64) (l ledgerRow, err error) {
			err = rows.Scan(id, seq, &l.Member, &l.At, &l.Kind, &l.Points, &l.Amount, &l.Ref, &l.User)
			return l, err
		}, ledgerDigest)
}

// verifyStockMoves checks the stock moves: each stock entry's moves rebuild its doc_sha256 (stockDoc),
// and no move names another entry, or none.
func (s *Store) verifyStockMoves(ctx context.Context, b *bindings, last int64) error {
	return checkGroups(ctx, s, b, "stock_moves", last, b.stock, `product_id, kind, qty, reason, user, ref, unit_cost`,
		func(rows *sql.Rows, id *int64, seq *sql.NullInt64) (m app.StockMove, err error) {
			var kind string
			var qty int64
			var cost sql.NullInt64
			err = rows.Scan(id, seq, &m.ProductID, &kind, &qty, &m.Reason, &m.User, &m.Ref, &cost)
			m.Kind, m.Qty = app.MoveKind(kind), app.Quantity(qty)
			if cost.Valid {
				m.UnitCost = money.New(cost.Int64, s.currency())
			}
			return m, err
		}, func(moves []app.StockMove) string { return document.Digest(stockDoc(moves)) })
}

// errFound stops a scan that found what it looked for.
var errFound = errors.New("found")

// checkGroups reads table's rows in journal order and checks each run of rows naming one entry against
// what wants says it wrote, and that every entry in wants (up to last) has its rows: scan reads a row (its
// id and journal_seq, then columns), digest gives the digest of a run. A row naming no entry must be from
// before rows named their entries (with table's count of those checked first); one naming an entry after
// last is left for the next check.
func checkGroups[T any](ctx context.Context, s *Store, b *bindings, table string, last int64, wants map[int64]groupWant, columns string,
	scan func(rows *sql.Rows, id *int64, seq *sql.NullInt64) (T, error), digest func([]T) string) error {
	if err := s.countBefore(ctx, b, table); err != nil {
		return err
	}
	var ids []int64
	var group []T
	var seq int64
	done := func() error {
		if len(ids) == 0 {
			return nil
		}
		want, ok := wants[seq]
		if !ok || seq < b.from {
			return s.notItsEntry(ctx, b, table, ids[0], seq)
		}
		delete(wants, seq)
		return checkGroup(table, seq, ids, digest(group), want)
	}
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var id int64
		var rowSeq sql.NullInt64
		row, err := scan(rows, &id, &rowSeq)
		switch {
		case err != nil:
			return err
		case !rowSeq.Valid:
			return b.unbound(table, id)
		case rowSeq.Int64 > last:
			return errFound // in journal order: the rest are later still
		case rowSeq.Int64 != seq:
			if err := done(); err != nil {
				return err
			}
			ids, group, seq = ids[:0], group[:0], rowSeq.Int64
		}
		ids, group = append(ids, id), append(group, row)
		return nil
	}, `SELECT id, journal_seq, `+columns+` FROM `+table+` ORDER BY journal_seq, id`)
	if err == nil || errors.Is(err, errFound) {
		err = done()
	}
	if err != nil {
		return err
	}
	if seq := firstSince(b, wants, last, func(groupWant) bool { return true }); seq != 0 {
		return &JournalError{Seq: seq, Reason: fmt.Sprintf("the %s rows %s wrote are missing", table, wants[seq].what)}
	}
	return nil
}

// firstSince returns the first entry of m, from the first whose rows name it to last, that is, or 0.
func firstSince[T any](b *bindings, m map[int64]T, last int64, is func(T) bool) int64 {
	first := int64(0)
	for seq, v := range m {
		if seq >= b.from && seq <= last && (first == 0 || seq < first) && is(v) {
			first = seq
		}
	}
	return first
}

// verifyCashMoves checks each cash move against its entry.
func (s *Store) verifyCashMoves(ctx context.Context, b *bindings, last int64) error {
	if err := s.countBefore(ctx, b, "cash_moves"); err != nil {
		return err
	}
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var id, amount int64
		var seq sql.NullInt64
		var kind, cur, at string
		var m app.CashMove
		if err := rows.Scan(&id, &m.ID, &m.ShiftID, &kind, &amount, &cur, &m.Reason, &m.User, &at, &seq); err != nil {
			return err
		}
		if seq.Int64 > last {
			return nil
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return fmt.Errorf("cash_moves row %d: %w", id, err)
		}
		m.Amount = money.New(amount, c)
		m.At, _ = parseTimestamp(at)
		return s.checkRow(ctx, b, "cash_moves", id, seq, "cash_"+kind, newCashMoveEntry(&m))
	}, `SELECT c.id, c.uuid, s.uuid, c.kind, c.amount, s.currency, c.reason, c.user, c.at, c.journal_seq
		FROM cash_moves c JOIN shifts s ON s.id = c.shift_id`)
	if err != nil {
		return err
	}
	return b.unmatched(last, "cash_in", "cash_out")
}

// verifyShifts checks each shift's opening, and its close, against their entries.
func (s *Store) verifyShifts(ctx context.Context, b *bindings, last int64) error {
	if err := s.countBefore(ctx, b, "shifts"); err != nil {
		return err
	}
	shifts, err := s.readShifts(ctx, s.r, "")
	if err != nil {
		return err
	}
	for _, r := range shifts {
		if r.seq.Int64 > last || r.closeSeq.Int64 > last {
			continue
		}
		if err := s.checkRow(ctx, b, "shifts", r.id, r.seq, "shift_open", newShiftOpenEntry(&r.shift)); err != nil {
			return err
		}
		if !r.shift.Open() {
			if err := s.checkRow(ctx, b, "shifts", r.id, r.closeSeq, "shift_close", newShiftCloseEntry(&r.shift, r.closeID)); err != nil {
				return err
			}
		}
	}
	return b.unmatched(last, "shift_open")
}

// verifyZReports checks each Z report against its entry, and its figures against the rows of its period:
// the count and total of the sales and of the refunds.
func (s *Store) verifyZReports(ctx context.Context, b *bindings, last int64) error {
	if err := s.countBefore(ctx, b, "zreports"); err != nil {
		return err
	}
	return each(ctx, s.r, func(rows *sql.Rows) error {
		var z document.ZReport
		var seq sql.NullInt64
		var sales, revenue, refunds, refunded int64
		if err := rows.Scan(&z.ID, &z.Number, &z.Till, &z.No, &z.From, &z.To, &z.User, &z.Currency, &z.Sales, &z.Revenue, &z.Tax,
			&z.Refunds, &z.RefundTotal, &z.Voids, &z.CashExpected, &z.Summary, &seq, &sales, &revenue, &refunds, &refunded); err != nil {
			return err
		}
		if seq.Int64 > last {
			return nil
		}
		c, err := money.Lookup(z.Currency)
		if err != nil {
			return fmt.Errorf("%s: %w", z.No, err)
		}
		entry := document.ZEntry{ID: z.ID, No: z.No, From: z.From, To: z.To, Sales: z.Sales, Revenue: money.New(z.Revenue, c).Decimal(),
			Currency: z.Currency, DocSHA256: document.Digest(z)}
		if err := s.checkRow(ctx, b, "zreports", z.Number, seq, "zreport", entry); err != nil {
			return err
		}
		held, stored := zFigures{sales, revenue, refunds, refunded}, zFigures{z.Sales, z.Revenue, z.Refunds, z.RefundTotal}
		printed, err := summaryFigures(z.Summary, c)
		switch {
		case err != nil:
			err = fmt.Errorf("%s: %w", z.No, err)
		case stored != held:
			err = fmt.Errorf("%s says %s; its period holds %s", z.No, stored.format(c), held.format(c))
		case printed != held:
			err = fmt.Errorf("%s's summary says %s; its period holds %s", z.No, printed.format(c), held.format(c))
		default:
			return nil
		}
		if seq.Valid {
			return &JournalError{Seq: seq.Int64, Reason: err.Error()}
		}
		return err
	}, `SELECT z.uuid, z.id, z.till, z.z_no, z.from_at, z.to_at, z.user, z.currency, z.sales, z.revenue, z.tax, z.refunds,
		z.refund_total, z.voids, z.cash_expected, z.summary, z.journal_seq,
		(SELECT count(*) FROM sales WHERE completed_at >= z.from_at AND completed_at < z.to_at),
		(SELECT coalesce(sum(total), 0) FROM sales WHERE completed_at >= z.from_at AND completed_at < z.to_at),
		(SELECT count(*) FROM refunds WHERE at >= z.from_at AND at < z.to_at),
		(SELECT coalesce(sum(tender_amount), 0) FROM refunds WHERE at >= z.from_at AND at < z.to_at)
		FROM zreports z ORDER BY z.id`)
}

// zFigures are a Z report's counts and totals (minor units) of sales and refunds: as it says them, or as
// the rows of its period give them.
type zFigures struct{ sales, revenue, refunds, refunded int64 }

func (f zFigures) format(c money.Currency) string {
	return fmt.Sprintf("%d sales (%s) and %d refunds (%s)", f.sales, money.New(f.revenue, c).Decimal(), f.refunds,
		money.New(f.refunded, c).Decimal())
}

// summaryFigures reads the figures from a Z report's summary, as it was printed.
func summaryFigures(summary string, c money.Currency) (zFigures, error) {
	var sum document.Summary
	if err := json.Unmarshal([]byte(summary), &sum); err != nil {
		return zFigures{}, fmt.Errorf("unreadable summary: %w", err)
	}
	f := zFigures{sales: sum.Sales}
	amounts := []string{sum.Revenue}
	for _, r := range sum.Refunds {
		f.refunds += r.Count
		amounts = append(amounts, r.Amount)
	}
	for i, a := range amounts {
		minor, err := money.ParseFixed(a, c.Exponent)
		if err != nil {
			return zFigures{}, fmt.Errorf("summary amount %q: %w", a, err)
		}
		if i == 0 {
			f.revenue = minor
		} else {
			f.refunded += minor
		}
	}
	return f, nil
}
