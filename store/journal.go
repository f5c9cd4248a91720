package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/document"
)

// genesisHash is the prev_hash of the first journal row.
var genesisHash = strings.Repeat("0", 64)

// journalHash chains one row to the one before it: HMAC-SHA256 with the journal's key, or plain SHA-256
// for a journal not keyed (key nil). Every field is length-prefixed so that no two different rows hash
// the same input.
func journalHash(key []byte, prevHash string, seq int64, at, kind, payload string) string {
	h := sha256.New()
	if key != nil {
		h = hmac.New(sha256.New, key)
	}
	for _, field := range []string{prevHash, strconv.FormatInt(seq, 10), at, kind, payload} {
		fmt.Fprintf(h, "%d:%s;", len(field), field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// JournalKeyID names a journal key without revealing it: the first 16 hex digits of an HMAC with it.
func JournalKeyID(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("checkout journal key id"))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// Errors of a keyed journal.
var (
	// ErrJournalKeyNeeded: the journal is keyed, and the store was opened without the key: it reads, but
	// writes nothing to the journal and cannot verify it.
	ErrJournalKeyNeeded = errors.New("the journal is keyed: the till's key (till.key beside the database) is needed")
	// ErrWrongJournalKey: the key given is not the one the journal was keyed with.
	ErrWrongJournalKey = errors.New("the journal was keyed with another till.key: put back this till's own till.key")
	// ErrJournalNotKeyed: the till's key existed before this open, yet its journal is not keyed: it was
	// made again without the key.
	ErrJournalNotKeyed = errors.New("the journal is not keyed although the till's key existed: it may have been rewritten (checkout verify-journal)")
)

// keyedEntry is what the journal records when its chain was keyed: the key's ID, and whether the plain
// chain before verified. A chain keyed over a break is never laundered: verify-journal reports it.
type keyedEntry struct {
	KeyID      string `json:"key_id"`
	Rows       int64  `json:"rows"`
	PlainChain string `json:"plain_chain"`
}

// keyJournal brings the journal under the store's key. A journal keyed already must be keyed with this
// key. A journal not keyed is keyed now when it is empty or when the key was made by this start (the
// till's first start with keys): every row's hash is made again with the key, in one transaction, after
// checking its plain chain, and a "journal_keyed" entry records the result. Opened without a key, a keyed
// journal is read-only for the journal.
func (s *Store) keyJournal(ctx context.Context, keyNow bool) error {
	var keyID sql.NullString
	if err := s.w.QueryRowContext(ctx, `SELECT key_id FROM journal_key`).Scan(&keyID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch {
	case keyID.Valid && s.journalKey == nil:
		s.keyed = true
		return nil
	case keyID.Valid && keyID.String != JournalKeyID(s.journalKey):
		return ErrWrongJournalKey
	case keyID.Valid:
		s.keyed = true
		return nil
	case s.journalKey == nil:
		return nil
	}
	var rows int64
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM journal`).Scan(&rows); err != nil {
		return err
	}
	if rows > 0 && !keyNow {
		return ErrJournalNotKeyed
	}
	plain := "verified"
	if n, err := s.verifyChain(ctx, s.w, nil); err != nil {
		plain = fmt.Sprintf("broken after %d rows: %v", n, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS journal_append_only_update`); err != nil {
			return err
		}
		rs, err := tx.QueryContext(ctx, `SELECT seq, at, kind, payload FROM journal ORDER BY seq`)
		if err != nil {
			return err
		}
		type row struct {
			seq               int64
			at, kind, payload string
		}
		var all []row
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.seq, &r.at, &r.kind, &r.payload); err != nil {
				rs.Close()
				return err
			}
			all = append(all, r)
		}
		rs.Close()
		prev := genesisHash
		for _, r := range all {
			hash := journalHash(s.journalKey, prev, r.seq, r.at, r.kind, r.payload)
			if _, err := tx.ExecContext(ctx, `UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, hash, r.seq); err != nil {
				return err
			}
			prev = hash
		}
		if _, err := tx.ExecContext(ctx, `CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
			BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO journal_key (id, key_id, keyed_at) VALUES (1, ?, ?)`,
			JournalKeyID(s.journalKey), timestamp(time.Now())); err != nil {
			return err
		}
		s.keyed = true
		if rows == 0 {
			return nil // a new journal: keyed from its first row
		}
		return s.appendJournal(ctx, tx, time.Now(), "journal_keyed", keyedEntry{KeyID: JournalKeyID(s.journalKey), Rows: rows, PlainChain: plain})
	})
	if err != nil {
		s.keyed = false
		return fmt.Errorf("key the journal: %w", err)
	}
	return nil
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
	if s.keyed && s.journalKey == nil {
		return 0, ErrJournalKeyNeeded
	}
	seq, prev, err := s.journalHead(ctx, tx)
	if err != nil {
		return 0, err
	}
	seq++
	ts := timestamp(at)
	_, err = tx.StmtContext(ctx, s.q.insertJournal).ExecContext(ctx, seq, ts, kind, payload, prev, journalHash(s.journalKey, prev, seq, ts, kind, payload))
	if err != nil {
		return 0, fmt.Errorf("journal %s: %w", kind, err)
	}
	if slices.Contains(reportedJournalKinds, kind) {
		if err := s.addReportFacts(ctx, tx, "journal", seq); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// journalHead returns the journal's last row as tx sees it: its sequence number and hash, or 0 and the
// genesis hash when the journal is empty.
func (s *Store) journalHead(ctx context.Context, tx *sql.Tx) (seq int64, hash string, err error) {
	err = tx.StmtContext(ctx, s.q.journalHead).QueryRowContext(ctx).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, genesisHash, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("journal head: %w", err)
	}
	return seq, hash, nil
}

// nextSeq returns the sequence number of the next journal row in tx. The rows an entry binds name it
// before the entry is appended: the store has one writer connection, so no other entry comes between.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	seq, _, err := s.journalHead(ctx, tx)
	return seq + 1, err
}

// JournalError names the first journal row that does not verify.
type JournalError struct {
	Seq    int64
	Reason string
}

func (e *JournalError) Error() string { return fmt.Sprintf("journal row %d: %s", e.Seq, e.Reason) }

// checkLink checks journal row seq, read after n verified rows ending in hash prev.
func checkLink(key []byte, n int64, prev string, seq int64, at, kind, payload, prevHash, hash string) error {
	switch {
	case seq != n+1:
		return &JournalError{Seq: seq, Reason: fmt.Sprintf("expected row %d here: rows missing", n+1)}
	case prevHash != prev:
		return &JournalError{Seq: seq, Reason: "previous hash does not match the row before it"}
	case journalHash(key, prevHash, seq, at, kind, payload) != hash:
		return &JournalError{Seq: seq, Reason: "contents do not match the row's hash"}
	}
	return nil
}

// chainKey is the key the journal's rows are hashed with: nil while it is not keyed.
func (s *Store) chainKey() []byte {
	if !s.keyed {
		return nil
	}
	return s.journalKey
}

// verifyChain checks the hash chain alone (with key, or plain for nil), from the first row to the last,
// on q, and returns how many rows verified.
func (s *Store) verifyChain(ctx context.Context, q querier, key []byte) (int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, at, kind, payload, prev_hash, hash FROM journal ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	prev := genesisHash
	for rows.Next() {
		var seq int64
		var at, kind, payload, prevHash, hash string
		if err := rows.Scan(&seq, &at, &kind, &payload, &prevHash, &hash); err != nil {
			return n, err
		}
		if err := checkLink(key, n, prev, seq, at, kind, payload, prevHash, hash); err != nil {
			return n, err
		}
		prev = hash
		n++
	}
	return n, rows.Err()
}

// VerifyJournal recomputes the hash chain from the first row and, for every sale, refund, Z report and shift close,
// rebuilds its document from its stored rows and compares it with the hash the journal holds. Then it checks
// the rows bound to the journal (verifyBindings): every member ledger row, stock move, cash move, top-up, shift
// and Z report names the entry that wrote it and is what that entry says, and each Z report's figures are the
// sales and refunds of its period; that every receipt number a counter passed has its document (verifyNumbers);
// and that the report totals are what the rows add up to (verifyReportTotals).
// It returns how many rows verified, or an error naming the first row (*JournalError) or document that was
// changed, removed or added.
func (s *Store) VerifyJournal(ctx context.Context) (int64, error) {
	if s.keyed && s.journalKey == nil {
		return 0, ErrJournalKeyNeeded
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, at, kind, payload, prev_hash, hash FROM journal ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	prev := genesisHash
	journaled := map[string]bool{} // the IDs of the documents with a journal entry
	b := newBindings()
	var sales []saleCheck
	// fail reports err at row n+1, unless a sale before it, still to be checked, fails first.
	fail := func(err error) (int64, error) {
		var je *JournalError
		if serr := s.checkSales(ctx, b, journaled, &sales); errors.As(serr, &je) {
			return je.Seq - 1, serr
		} else if serr != nil {
			return n, serr
		}
		return n, err
	}
	for rows.Next() {
		var seq int64
		var at, kind, payload, prevHash, hash string
		if err := rows.Scan(&seq, &at, &kind, &payload, &prevHash, &hash); err != nil {
			return n, err
		}
		if err := checkLink(s.chainKey(), n, prev, seq, at, kind, payload, prevHash, hash); err != nil {
			return fail(err)
		}
		if kind == "sale" {
			var e document.SaleEntry
			if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
				return fail(&JournalError{Seq: seq, Reason: "unreadable sale entry"})
			}
			if sales = append(sales, saleCheck{seq, e}); len(sales) == saleBatch {
				if n, err := fail(nil); err != nil {
					return n, err
				}
			}
		} else if err := s.verifyEntry(ctx, b, journaled, seq, kind, payload); err != nil {
			return fail(&JournalError{Seq: seq, Reason: err.Error()})
		}
		prev = hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	rows.Close()
	if n, err := fail(nil); err != nil {
		return n, err
	}
	if err := s.verifyEverySaleJournaled(ctx, journaled); err != nil {
		return n, err
	}
	if err := s.verifyBindings(ctx, b, n); err != nil {
		return n, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return n, err
	}
	if err := s.verifyNumbers(ctx, set.Till); err != nil {
		return n, err
	}
	return n, s.verifyReportTotals(ctx)
}

// verifyEntry checks one journal entry against the rows it names, and notes in b what the rows bound to it
// must be and in journaled the document it is of.
func (s *Store) verifyEntry(ctx context.Context, b *bindings, journaled map[string]bool, seq int64, kind, payload string) error {
	switch kind {
	case "journal_keyed":
		var e keyedEntry
		if err := json.Unmarshal([]byte(payload), &e); err != nil || e.PlainChain != "verified" {
			return errors.New("the journal was keyed over a chain that did not verify: " + e.PlainChain)
		}
	case "journal_bound":
		return b.start(seq, payload)
	case "refund":
		r, err := s.verifyRefund(ctx, payload)
		if err != nil {
			return err
		}
		journaled[r.ID] = true
		b.wantLedger(seq, "refund "+r.ReceiptNo, refundLedger(r))
	case "zreport", "shift_close":
		verify := s.verifyZReport
		if kind == "shift_close" {
			verify = s.verifyShiftClose
		}
		id, err := verify(ctx, payload)
		if err != nil {
			return err
		}
		journaled[id] = true
		b.docs[seq] = &boundEntry{kind: kind, payload: payload}
	case "topup":
		var e document.TopUpEntry
		if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
			return errors.New("unreadable top-up entry")
		}
		journaled[e.ID] = true
		b.docs[seq] = &boundEntry{kind: kind, payload: payload}
	case "shift_open", "cash_in", "cash_out":
		b.docs[seq] = &boundEntry{kind: kind, payload: payload}
	case "stock":
		var e document.Stock
		if err := json.Unmarshal([]byte(payload), &e); err != nil {
			return errors.New("unreadable stock entry")
		}
		b.stock[seq] = groupWant{what: "this stock entry", digest: e.DocSHA256, rows: e.Moves}
	case "catalog_sync", "moved_shop":
		var e struct {
			Ledger string `json:"ledger_sha256"`
		}
		if err := json.Unmarshal([]byte(payload), &e); err != nil {
			return fmt.Errorf("unreadable %s entry", kind)
		}
		if e.Ledger != "" {
			b.ledger[seq] = groupWant{what: "this " + kind + " entry", digest: e.Ledger, rows: -1}
		}
	}
	return nil
}

// saleCheck is a sale's journal entry, to be checked against the sale's rows with others (checkSales).
type saleCheck struct {
	seq   int64
	entry document.SaleEntry
}

// saleBatch is how many sales checkSales reads at once: three queries a batch, where reading them one
// by one took four a sale.
const saleBatch = 500

// checkSales checks that each sale the entries waiting name still has exactly the rows it was committed
// with, in journal order, and notes what its member ledger rows must be; it empties waiting.
func (s *Store) checkSales(ctx context.Context, b *bindings, journaled map[string]bool, waiting *[]saleCheck) error {
	batch := *waiting
	*waiting = batch[:0]
	if len(batch) == 0 {
		return nil
	}
	ids := make([]any, len(batch))
	for i, c := range batch {
		ids[i] = c.entry.ID
	}
	sales, err := s.readSales(ctx, `uuid IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return err
	}
	byID := make(map[string]*app.Sale, len(sales))
	for _, sale := range sales {
		byID[sale.ID] = sale
	}
	for _, c := range batch {
		sale := byID[c.entry.ID]
		switch {
		case sale == nil:
			return &JournalError{Seq: c.seq, Reason: fmt.Sprintf("sale %s is missing from the sales table", c.entry.ReceiptNo)}
		case saleDocHash(sale) != c.entry.DocSHA256:
			return &JournalError{Seq: c.seq, Reason: fmt.Sprintf("sale %s: its stored rows differ from what was journaled", c.entry.ReceiptNo)}
		}
		journaled[sale.ID] = true
		b.wantLedger(c.seq, "sale "+sale.ReceiptNo, saleLedger(sale))
	}
	return nil
}

// verifyEverySaleJournaled finds sales, refunds, top-ups and Z reports that were added behind the journal's back.
func (s *Store) verifyEverySaleJournaled(ctx context.Context, journaled map[string]bool) error {
	rows, err := s.r.QueryContext(ctx, `SELECT uuid, receipt_no FROM sales UNION ALL SELECT uuid, receipt_no FROM refunds
		UNION ALL SELECT uuid, receipt_no FROM topups UNION ALL SELECT uuid, z_no FROM zreports`)
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
