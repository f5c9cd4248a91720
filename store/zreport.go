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

// StoredZ is a Z report as it was stored: its headline figures and its document, exactly as made (the
// document is JSON, money as decimal text). verify-journal proves both unchanged.
type StoredZ struct {
	No           string
	User         string
	From, To     time.Time
	Sales        int64
	Revenue      money.Amount
	Tax          money.Amount
	Refunds      int64
	RefundTotal  money.Amount
	Voids        int64
	CashExpected money.Amount
	Document     string
	// Head is the Z report's own journal row as the journal holds it now: what was printed on it, unless
	// the journal was rewritten since.
	Head app.ChainHead
}

// storedZColumns read a Z report's row and its journal row: the one it names, or for a Z report from
// before rows named their entries, its outbox row's.
const storedZColumns = `z_no, user, from_at, to_at, currency, sales, revenue, tax, refunds, refund_total, voids, cash_expected, summary,
	j.seq, j.hash FROM zreports z LEFT JOIN journal j ON j.seq = coalesce(z.journal_seq, (SELECT journal_seq FROM outbox WHERE id = z.uuid))`

func scanStoredZ(row interface{ Scan(...any) error }) (StoredZ, error) {
	var z StoredZ
	var from, to, cur string
	var revenue, tax, refundTotal, cash int64
	var seq sql.NullInt64
	var hash sql.NullString
	if err := row.Scan(&z.No, &z.User, &from, &to, &cur, &z.Sales, &revenue, &tax, &z.Refunds, &refundTotal, &z.Voids, &cash,
		&z.Document, &seq, &hash); err != nil {
		return StoredZ{}, err
	}
	if seq.Valid {
		z.Head = app.NewChainHead(seq.Int64, hash.String)
	}
	c, err := money.Lookup(cur)
	if err != nil {
		return StoredZ{}, err
	}
	z.From, _ = parseTimestamp(from)
	z.To, _ = parseTimestamp(to)
	z.Revenue, z.Tax, z.RefundTotal, z.CashExpected = money.New(revenue, c), money.New(tax, c), money.New(refundTotal, c), money.New(cash, c)
	return z, nil
}

// ZReports returns the latest limit Z reports, newest first.
func (s *Store) ZReports(ctx context.Context, limit int) ([]StoredZ, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+storedZColumns+` ORDER BY z.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredZ
	for rows.Next() {
		z, err := scanStoredZ(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// ZReportByNo reads one stored Z report by its number ("T01-Z0001").
func (s *Store) ZReportByNo(ctx context.Context, no string) (StoredZ, error) {
	z, err := scanStoredZ(s.r.QueryRowContext(ctx, `SELECT `+storedZColumns+` WHERE z.z_no = ?`, no))
	if errors.Is(err, sql.ErrNoRows) {
		return StoredZ{}, fmt.Errorf("z report %s: %w", no, ErrNotFound)
	}
	return z, err
}
