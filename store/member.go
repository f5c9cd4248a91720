package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/app/signature"
)

// memberColumns ends with the head office's last word on the member and the prepaid value this till took
// from them since (for the offline limit).
const memberColumns = `m.id, m.number, m.name, m.phone, m.tier, m.birthday, m.notes, m.points, m.balance, m.pin_hash,
	m.failed_pins, m.locked_until, m.hq_balance,
	(SELECT -coalesce(sum(l.amount), 0) FROM member_ledger l WHERE l.member_id = m.id AND l.id > m.hq_ledger_id AND l.kind = 'pay')`

func (s *Store) scanMember(row interface{ Scan(...any) error }) (app.Member, error) {
	var m app.Member
	var balance, spent int64
	var hq sql.NullInt64
	var locked string
	err := row.Scan(&m.ID, &m.Number, &m.Name, &m.Phone, &m.Tier, &m.Birthday, &m.Notes, &m.Points, &balance, &m.PINHash,
		&m.FailedPINs, &locked, &hq, &spent)
	m.LockedUntil = parseLock(locked)
	m.Balance = money.New(balance, s.currency())
	m.HQKnown, m.HQBalance = hq.Valid, money.New(hq.Int64, s.currency())
	m.SpentSinceHQ = money.New(spent, s.currency())
	return m, err
}

// member reads one member matching where, with their cards.
func (s *Store) member(ctx context.Context, what, where string, args ...any) (app.Member, error) {
	m, err := s.scanMember(s.r.QueryRowContext(ctx, `SELECT `+memberColumns+` FROM members m WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Member{}, fmt.Errorf("%w: %s", app.ErrUnknownMember, what)
	}
	if err != nil {
		return app.Member{}, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT token, label, blocked_at IS NOT NULL FROM member_cards WHERE member_id = ? ORDER BY added_at`, m.ID)
	if err != nil {
		return app.Member{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var c app.MemberCard
		if err := rows.Scan(&c.Token, &c.Label, &c.Blocked); err != nil {
			return app.Member{}, err
		}
		m.Cards = append(m.Cards, c)
	}
	return m, rows.Err()
}

// MemberByCard finds the member a card belongs to.
func (s *Store) MemberByCard(ctx context.Context, token string) (app.Member, error) {
	var id int64
	var blocked bool
	err := s.r.QueryRowContext(ctx, `SELECT member_id, blocked_at IS NOT NULL FROM member_cards WHERE token = ?`, token).Scan(&id, &blocked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return app.Member{}, fmt.Errorf("%w: card %s", app.ErrUnknownMember, token)
	case err != nil:
		return app.Member{}, err
	case blocked:
		return app.Member{}, app.ErrCardBlocked
	}
	return s.member(ctx, "card", `m.id = ?`, id)
}

// MemberByNumber finds a member by the number on their barcode card.
func (s *Store) MemberByNumber(ctx context.Context, number string) (app.Member, error) {
	return s.member(ctx, number, `m.number = ?`, app.NormalizeMemberNumber(number))
}

// FindMembers finds members whose phone contains query's digits, whose name contains query, or whose
// number is query; at most limit.
func (s *Store) FindMembers(ctx context.Context, query string, limit int) ([]app.Member, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, nil
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	return s.members(ctx, `WHERE m.number = ? OR m.phone LIKE ? ESCAPE '\' OR m.name LIKE ? ESCAPE '\'
		ORDER BY m.number = ? DESC, m.name LIMIT ?`, strings.ToUpper(q), like, like, strings.ToUpper(q), limit)
}

// members reads the members a query's WHERE, ORDER BY and LIMIT clauses (rest) pick, in that order.
func (s *Store) members(ctx context.Context, rest string, args ...any) ([]app.Member, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+memberColumns+` FROM members m `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Member
	for rows.Next() {
		m, err := s.scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveMember creates the member, numbering them after the highest number so far, or updates their details.
func (s *Store) SaveMember(ctx context.Context, m app.Member, at time.Time) (app.Member, error) {
	m, err := app.CheckMember(m)
	if err != nil {
		return app.Member{}, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return app.Member{}, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if m.ID != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE members SET name = ?, phone = ?, tier = ?, birthday = ?, notes = ? WHERE id = ?`,
				m.Name, m.Phone, m.Tier, m.Birthday, m.Notes, m.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("%w: member %d", app.ErrUnknownMember, m.ID)
			}
			return nil
		}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM members`).Scan(&next); err != nil {
			return err
		}
		m.Number = fmt.Sprintf("%s%06d", strings.ToUpper(set.MemberPrefix), next)
		var consentAt any
		if !m.Consent.Empty() {
			consentAt = timestamp(at)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO members (id, number, name, phone, tier, birthday, notes, created_at, consent, consent_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, next, m.Number, m.Name, m.Phone, m.Tier, m.Birthday, m.Notes, timestamp(at),
			signatureColumn(m.Consent), consentAt).Scan(&m.ID)
	})
	if err != nil {
		return app.Member{}, err
	}
	return s.member(ctx, m.Number, `m.id = ?`, m.ID)
}

// MemberConsent returns the consent member id signed when first stored, and when; empty for none.
func (s *Store) MemberConsent(ctx context.Context, id int64) (signature.Signature, time.Time, error) {
	var strokes, at sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT consent, consent_at FROM members WHERE id = ?`, id).Scan(&strokes, &at); err != nil {
		return nil, time.Time{}, err
	}
	sig, err := storedSignature(strokes)
	if err != nil || sig.Empty() {
		return nil, time.Time{}, err
	}
	when, err := parseTimestamp(at.String)
	return sig, when, err
}

// AddCard gives a member a card.
func (s *Store) AddCard(ctx context.Context, memberID int64, card app.MemberCard, at time.Time) error {
	if strings.TrimSpace(card.Token) == "" {
		return fmt.Errorf("%w: a card with no identifier", app.ErrInvalidMember)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT m.number FROM member_cards c JOIN members m ON m.id = c.member_id WHERE c.token = ?`,
			card.Token).Scan(&owner)
		if err == nil {
			return fmt.Errorf("%w: %s", app.ErrCardInUse, owner)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO member_cards (token, member_id, label, added_at) VALUES (?, ?, ?, ?)`,
			card.Token, memberID, card.Label, timestamp(at))
		if isConstraint(err) {
			return fmt.Errorf("%w: member %d", app.ErrUnknownMember, memberID)
		}
		return err
	})
}

// BlockCard blocks a lost card; blocking a blocked card changes nothing.
func (s *Store) BlockCard(ctx context.Context, token string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE member_cards SET blocked_at = coalesce(blocked_at, ?) WHERE token = ?`, timestamp(at), token)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: card %s", app.ErrUnknownMember, token)
		}
		return nil
	})
}

// memberPINDoc journals a change to a member's account PIN by staff: never the hash, only what was done.
type memberPINDoc struct {
	Member   string `json:"member"`
	PIN      string `json:"pin,omitempty"` // "set" or "removed"; "" for an unlock
	By       string `json:"by"`
	Approver string `json:"approved_by,omitempty"`
}

// SetPIN sets or removes the hash of the member's account PIN, clears its wrong PINs, and journals it.
func (s *Store) SetPIN(ctx context.Context, memberID int64, pinHash, by string, at time.Time) error {
	doc := memberPINDoc{PIN: "set", By: by}
	if pinHash == "" {
		doc.PIN = "removed"
	}
	return s.changeMemberPIN(ctx, memberID, &pinHash, "member_pin", doc, at)
}

// UnlockPIN clears the wrong PINs and lock of the member's account PIN, and journals who did it.
func (s *Store) UnlockPIN(ctx context.Context, memberID int64, by, approver string, at time.Time) error {
	return s.changeMemberPIN(ctx, memberID, nil, "member_pin_unlocked", memberPINDoc{By: by, Approver: approver}, at)
}

// changeMemberPIN clears the wrong PINs and lock of the member's account PIN, sets its hash unless that is
// nil, and journals doc as kind with the member's number, in one transaction.
func (s *Store) changeMemberPIN(ctx context.Context, memberID int64, hash *string, kind string, doc memberPINDoc, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE members SET pin_hash = coalesce(?, pin_hash), failed_pins = 0, locked_until = ''
			WHERE id = ? RETURNING number`, hash, memberID).Scan(&doc.Member)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: member %d", app.ErrUnknownMember, memberID)
		}
		if err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, at, kind, doc)
	})
}

// RecordMemberPINs stores a member's wrong-PIN count and lock, and their PIN hash if the stored one is still
// checked (see recordPINs); a new lock is journaled.
func (s *Store) RecordMemberPINs(ctx context.Context, m app.Member, checked string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.recordPINs(ctx, tx, "members", m.ID, m.PINLock, checked, m.PINHash, at, "member_locked", lockDoc{Member: m.Number})
	})
}

// ledgerRow is one change to a member's points or prepaid balance: a member_ledger row as the journal
// entry that wrote it binds it. verify-journal rebuilds a sale's, refund's or top-up's rows from its
// document, and checks a down-sync's or a move's against the digest of them its entry holds.
type ledgerRow struct {
	Member int64  `json:"member"`
	At     string `json:"at"`
	Kind   string `json:"kind"`
	Points int64  `json:"points"`
	Amount int64  `json:"amount"`
	Ref    string `json:"ref"`
	User   string `json:"user"`
}

// changes returns the rows that change something: a row of nothing is not written.
func changes(rows []ledgerRow) []ledgerRow {
	return slices.DeleteFunc(rows, func(r ledgerRow) bool { return r.Points == 0 && r.Amount == 0 })
}

// ledgerDigest is the digest of ledger rows an entry holds when its document cannot rebuild them; "" for
// none, so that an entry that wrote none reads as it did before rows were bound.
func ledgerDigest(rows []ledgerRow) string {
	if len(rows) == 0 {
		return ""
	}
	return document.Digest(rows)
}

// postMember writes ledger rows inside tx, each naming the journal entry seq that the transaction
// appends. A row that would take the points or the balance below zero fails the transaction with
// ErrInsufficientPoints or ErrInsufficientBalance.
func postMember(ctx context.Context, tx *sql.Tx, seq int64, rows []ledgerRow) error {
	for _, r := range rows {
		_, err := tx.ExecContext(ctx, `INSERT INTO member_ledger (member_id, at, kind, points, amount, ref, user, journal_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Member, r.At, r.Kind, r.Points, r.Amount, r.Ref, r.User, seq)
		switch {
		case err == nil:
		case isConstraint(err) && strings.Contains(err.Error(), "balance"):
			return fmt.Errorf("%w: %v", app.ErrInsufficientBalance, err)
		case isConstraint(err) && strings.Contains(err.Error(), "points"):
			return fmt.Errorf("%w: %v", app.ErrInsufficientPoints, err)
		default:
			return fmt.Errorf("member ledger %s: %w", r.Kind, err)
		}
	}
	return nil
}

// saleLedger is what a sale writes to its member's ledger: what their prepaid balance and points paid,
// and the points it earned.
func saleLedger(sale *app.Sale) []ledgerRow {
	m := sale.Member
	if m == nil {
		return nil
	}
	var prepaid int64
	for _, t := range sale.Tenders {
		if t.Kind == app.TenderPrepaid {
			prepaid += t.Amount.Minor()
		}
	}
	at := timestamp(sale.CompletedAt)
	return changes([]ledgerRow{{Member: m.ID, At: at, Kind: "pay", Amount: -prepaid, Ref: sale.ReceiptNo},
		{Member: m.ID, At: at, Kind: "redeem", Points: -m.PointsRedeemed, Ref: sale.ReceiptNo},
		{Member: m.ID, At: at, Kind: "earn", Points: m.PointsEarned, Ref: sale.ReceiptNo}})
}

// chargeMember records a sale's member inside its transaction, and their ledger rows (saleLedger).
func (s *Store) chargeMember(ctx context.Context, tx *sql.Tx, sale *app.Sale) error {
	m := sale.Member
	if m == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sales SET member_id = ?, member_number = ?, points_earned = ?, points_redeemed = ? WHERE id = ?`,
		m.ID, m.Number, m.PointsEarned, m.PointsRedeemed, sale.Number); err != nil {
		return fmt.Errorf("sale member: %w", err)
	}
	seq, err := s.nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	return postMember(ctx, tx, seq, saleLedger(sale))
}

// topUpLedger is what a top-up writes to its member's ledger: the value paid and the bonus.
func topUpLedger(member int64, at, receipt, user string, amount, bonus int64) []ledgerRow {
	return changes([]ledgerRow{{Member: member, At: at, Kind: "topup", Amount: amount, Ref: receipt, User: user},
		{Member: member, At: at, Kind: "bonus", Amount: bonus, Ref: receipt, User: user}})
}

// newTopUpEntry is a top-up's journal entry, from its row's values (verify-journal rebuilds it from them).
func newTopUpEntry(id, receipt, member string, c money.Currency, amount, bonus int64, tender, user, signed string) document.TopUpEntry {
	return document.TopUpEntry{ID: id, ReceiptNo: receipt, Member: member, Amount: money.New(amount, c).Decimal(),
		Bonus: money.New(bonus, c).Decimal(), Currency: c.Code, Tender: tender, User: user, SignatureSHA256: signed}
}

// CommitTopUp stores a top-up in one transaction: its row (numbered by the top-up counter), the member's
// ledger rows (the value paid and the bonus), a journal entry and an outbox row. It sets t.Balance to the
// balance after it.
func (s *Store) CommitTopUp(ctx context.Context, t *app.TopUp) error {
	var balance int64
	var receipt string
	c := t.Amount.Currency()
	err := s.write(ctx, func(tx *sql.Tx) error {
		n, err := s.nextNumber(ctx, tx, "topup")
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		receipt = app.TopUpNo(t.Till, n)
		p := t.PaidBy
		if err := t.Signature.Validate(); err != nil && !t.Signature.Empty() {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO topups (id, uuid, till, receipt_no, member_id, at, currency, amount, bonus, tender_kind,
			tendered, change, approval, card_last4, reference, user, journal_seq, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n, t.ID, t.Till, receipt, t.Member.ID, timestamp(t.At), c.Code, t.Amount.Minor(), t.Bonus.Minor(),
			string(p.Kind), p.Tendered.Minor(), p.Change.Minor(), p.Approval, p.CardLast4, p.Reference, t.User, seq, signatureColumn(t.Signature))
		if err != nil {
			return fmt.Errorf("top-up: %w", err)
		}
		if err := s.addReportFacts(ctx, tx, "topup", n); err != nil {
			return err
		}
		if err := postMember(ctx, tx, seq, topUpLedger(t.Member.ID, timestamp(t.At), receipt, t.User, t.Amount.Minor(), t.Bonus.Minor())); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT balance FROM members WHERE id = ?`, t.Member.ID).Scan(&balance); err != nil {
			return err
		}
		return s.journalAndSend(ctx, tx, t.At, "topup", t.ID, newTopUpEntry(t.ID, receipt, t.Member.Number, c, t.Amount.Minor(),
			t.Bonus.Minor(), string(p.Kind), t.User, signatureDigest(t.Signature)))
	})
	if err != nil {
		return err
	}
	t.Balance = money.New(balance, c)
	t.Receipt = receipt
	return nil
}

// VerifyMembers checks that every member's cached points and balance equal the sums of their ledger.
func (s *Store) VerifyMembers(ctx context.Context) error {
	var number string
	var points, balance, lp, lb int64
	err := s.r.QueryRowContext(ctx, `SELECT m.number, m.points, m.balance, coalesce(l.points, 0), coalesce(l.amount, 0) FROM members m
		LEFT JOIN (SELECT member_id, sum(points) AS points, sum(amount) AS amount FROM member_ledger GROUP BY member_id) l ON l.member_id = m.id
		WHERE m.points <> coalesce(l.points, 0) OR m.balance <> coalesce(l.amount, 0) LIMIT 1`).Scan(&number, &points, &balance, &lp, &lb)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("member %s: points %d and balance %d, the ledger sums to %d and %d", number, points, balance, lp, lb)
}

// creditMember records a refund's member inside its transaction: prepaid value given back to their
// balance, and the points the refund takes back. Points already spent cannot be taken back, so the
// reversal stops at what the member has; the refund records what it took.
func (s *Store) creditMember(ctx context.Context, tx *sql.Tx, r *app.Refund) error {
	if r.Member == nil {
		if r.Tender.Kind == app.TenderPrepaid {
			return fmt.Errorf("%w: a prepaid refund with no member", app.ErrRefundTender)
		}
		return nil
	}
	m := new(app.MemberOnSale)
	*m = *r.Member
	r.Member = m
	var have int64
	if err := tx.QueryRowContext(ctx, `SELECT points FROM members WHERE id = ?`, m.ID).Scan(&have); err != nil {
		return fmt.Errorf("refund member %s: %w", m.Number, err)
	}
	m.PointsEarned = -min(-m.PointsEarned, have)
	if _, err := tx.ExecContext(ctx, `UPDATE refunds SET member_id = ?, member_number = ?, points_reversed = ? WHERE id = ?`,
		m.ID, m.Number, -m.PointsEarned, r.Number); err != nil {
		return err
	}
	seq, err := s.nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	return postMember(ctx, tx, seq, refundLedger(r))
}

// refundLedger is what a refund writes to its member's ledger: the prepaid value given back, and the
// points taken back.
func refundLedger(r *app.Refund) []ledgerRow {
	m := r.Member
	if m == nil {
		return nil
	}
	var prepaid int64
	if r.Tender.Kind == app.TenderPrepaid {
		prepaid = r.Tender.Amount.Minor()
	}
	at := timestamp(r.At)
	return changes([]ledgerRow{{Member: m.ID, At: at, Kind: "refund", Amount: prepaid, Ref: r.ReceiptNo},
		{Member: m.ID, At: at, Kind: "reverse", Points: m.PointsEarned, Ref: r.ReceiptNo}})
}
