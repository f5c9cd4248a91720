package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app/document"
)

// genesisHash is the prev_hash of the first journal row.
var genesisHash = strings.Repeat("0", 64)

// journalHash chains one row to the one before it. Every field is length-prefixed so that no two
// different rows hash the same input.
func journalHash(prevHash string, seq int64, at, kind, payload string) string {
	h := sha256.New()
	for _, field := range []string{prevHash, strconv.FormatInt(seq, 10), at, kind, payload} {
		fmt.Fprintf(h, "%d:%s;", len(field), field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendJournal adds a row to the journal inside tx. payload is marshalled to canonical JSON
// (encoding/json: struct fields in declaration order, map keys sorted).
func (s *Store) appendJournal(ctx context.Context, tx *sql.Tx, at time.Time, kind string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("journal %s: %w", kind, err)
	}
	_, err = s.appendJournalJSON(ctx, tx, at, kind, string(body))
	return err
}

// appendJournalJSON adds a row with an already-encoded payload and returns its sequence number.
func (s *Store) appendJournalJSON(ctx context.Context, tx *sql.Tx, at time.Time, kind, payload string) (int64, error) {
	seq, prev := int64(0), genesisHash
	err := tx.StmtContext(ctx, s.q.journalHead).QueryRowContext(ctx).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("journal head: %w", err)
	}
	seq++
	ts := timestamp(at)
	_, err = tx.StmtContext(ctx, s.q.insertJournal).ExecContext(ctx, seq, ts, kind, payload, prev, journalHash(prev, seq, ts, kind, payload))
	if err != nil {
		return 0, fmt.Errorf("journal %s: %w", kind, err)
	}
	return seq, nil
}

// JournalError names the first journal row that does not verify.
type JournalError struct {
	Seq    int64
	Reason string
}

func (e *JournalError) Error() string { return fmt.Sprintf("journal row %d: %s", e.Seq, e.Reason) }

// VerifyJournal recomputes the hash chain from the first row and, for every sale, refund, Z report and shift close,
// rebuilds its document from its stored rows and compares it with the hash the journal holds. It returns how many rows
// verified, or an error naming the first row (*JournalError) or sale that was changed, removed or added.
func (s *Store) VerifyJournal(ctx context.Context) (int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, kind, payload, prev_hash, hash FROM journal ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	prev := genesisHash
	journaled := map[string]bool{} // sale IDs with a journal entry
	for rows.Next() {
		var seq int64
		var at, kind, payload, prevHash, hash string
		if err := rows.Scan(&seq, &at, &kind, &payload, &prevHash, &hash); err != nil {
			return n, err
		}
		switch {
		case seq != n+1:
			return n, &JournalError{Seq: seq, Reason: fmt.Sprintf("expected row %d here: rows missing", n+1)}
		case prevHash != prev:
			return n, &JournalError{Seq: seq, Reason: "previous hash does not match the row before it"}
		case journalHash(prevHash, seq, at, kind, payload) != hash:
			return n, &JournalError{Seq: seq, Reason: "contents do not match the row's hash"}
		}
		verify := map[string]func(context.Context, string) (string, error){"sale": s.verifySale, "refund": s.verifyRefund,
			"zreport": s.verifyZReport, "shift_close": s.verifyShiftClose}[kind]
		if verify != nil {
			id, err := verify(ctx, payload)
			if err != nil {
				return n, &JournalError{Seq: seq, Reason: err.Error()}
			}
			journaled[id] = true
		}
		prev = hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, s.verifyEverySaleJournaled(ctx, journaled)
}

// verifySale checks that the sale a journal entry names still has exactly the rows it was committed with.
func (s *Store) verifySale(ctx context.Context, payload string) (string, error) {
	var e document.SaleEntry
	if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
		return "", fmt.Errorf("unreadable sale entry")
	}
	sale, err := s.readSale(ctx, e.ReceiptNo, `uuid = ?`, e.ID)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("sale %s is missing from the sales table", e.ReceiptNo)
	}
	if err != nil {
		return "", err
	}
	if saleDocHash(sale) != e.DocSHA256 {
		return "", fmt.Errorf("sale %s: its stored rows differ from what was journaled", e.ReceiptNo)
	}
	return e.ID, nil
}

// verifyEverySaleJournaled finds sales, refunds and Z reports that were added behind the journal's back.
func (s *Store) verifyEverySaleJournaled(ctx context.Context, journaled map[string]bool) error {
	rows, err := s.r.QueryContext(ctx, `SELECT uuid, receipt_no FROM sales UNION ALL SELECT uuid, receipt_no FROM refunds
		UNION ALL SELECT uuid, z_no FROM zreports`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, receipt string
		if err := rows.Scan(&id, &receipt); err != nil {
			return err
		}
		if !journaled[id] {
			return fmt.Errorf("%s has no journal entry", receipt)
		}
	}
	return rows.Err()
}
