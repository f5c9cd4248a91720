package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

// boundTill is a keyed till in a temporary folder that has written a row of every bound kind: a top-up,
// a shift opened with cash put in, a member sale paid partly from their balance, a cash sale, a delivery,
// an adjustment, a Z report and a last cash sale after it.
func boundTill(t *testing.T) (*Store, app.Member) {
	t.Helper()
	ctx := context.Background()
	s := openKeyed(t, filepath.Join(t.TempDir(), "till.db"), true)
	if _, err := s.AddProducts(ctx, testCatalog); err != nil {
		t.Fatal(err)
	}
	m := newMember(t, s, "Wang Fang", "13800138000")
	topUp(t, s, m, 10000)
	if _, err := s.OpenShift(ctx, time.Now(), "li", cny(20000)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashIn, cny(5000), "change"); err != nil {
		t.Fatal(err)
	}
	co := newCheckout(t, s)
	if _, err := co.Scan(ctx, "6924743915763"); err != nil {
		t.Fatal(err)
	}
	m, _ = s.MemberByNumber(ctx, m.Number)
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(cny(500)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	sellCash(t, s, "5449000000996")
	inv := app.NewInventory(s, time.Now)
	cola := productBySKU(t, s, "DRK-001")
	if err := inv.Receive(ctx, "Acme", app.SystemSession("owner"), []app.ReceiveLine{{Product: cola, Qty: app.Pieces(24), UnitCost: cny(120)}}); err != nil {
		t.Fatal(err)
	}
	if err := inv.Adjust(ctx, cola, app.Pieces(-1), "damage", app.SystemSession("owner")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, time.Now(), "owner"); err != nil {
		t.Fatal(err)
	}
	sellCash(t, s, "5449000000996", "5449000000996")
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("the untouched till: %d rows verified, %v", n, err)
	}
	return s, m
}

// seqOf returns the journal_seq that the first row of table matching where names.
func seqOf(t *testing.T, s *Store, table, where string) int64 {
	t.Helper()
	var seq int64
	if err := s.r.QueryRow(`SELECT journal_seq FROM ` + table + ` WHERE ` + where + ` ORDER BY id LIMIT 1`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// Each way of slipping a row that moves money, points or stock past the journal, as someone with the
// database file and sqlite3 (but not till.key) would: verify-journal names the row and, when it names
// one, the journal row.
func TestRowsWrittenBehindTheJournalAreNamed(t *testing.T) {
	ctx := context.Background()
	now := timestamp(time.Now())
	attacks := []struct {
		name   string
		sql    func(s *Store) []string
		want   string // in the error
		wantJ  bool   // names the journal row seq
		seqSQL [2]string
	}{
		{"a ¥1,000 top-up written into the member ledger", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS member_ledger_bound`,
				`INSERT INTO member_ledger (member_id, at, kind, amount, ref) VALUES (1, '` + now + `', 'topup', 100000, 'T01-P000002')`}
		}, "member_ledger row 4 names no journal entry", false, [2]string{}},
		{"50,000 points under the member sale's entry", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS member_ledger_bound`, fmt.Sprintf(`INSERT INTO member_ledger (member_id, at, kind, points, ref, journal_seq)
				VALUES (1, '%s', 'earn', 50000, 'T01-000001', %d)`, now, seqOf(t, s, "member_ledger", "ref = 'T01-000001'"))}
		}, "member_ledger row 4 is not one of the 2 rows sale T01-000001 wrote", true, [2]string{"member_ledger", "ref = 'T01-000001'"}},
		{"50,000 points under a cash sale's entry", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS member_ledger_bound`, `INSERT INTO member_ledger (member_id, at, kind, points, ref, journal_seq)
				SELECT 1, at, 'earn', 50000, 'T01-000002', journal_seq FROM outbox o JOIN journal j ON j.seq = o.journal_seq
				JOIN sales s ON s.uuid = o.id WHERE s.id = 2`}
		}, "member_ledger row 4 names this sale entry, which wrote no such row", false, [2]string{}},
		{"the member sale's points raised", func(s *Store) []string {
			return []string{`DROP TRIGGER member_ledger_append_only_update`, `UPDATE member_ledger SET points = 50000 WHERE kind = 'earn'`,
				`UPDATE members SET points = 50000`}
		}, "member_ledger rows 2 to 3 are not the rows sale T01-000001 wrote", true, [2]string{"member_ledger", "ref = 'T01-000001'"}},
		{"the member sale's ledger rows deleted", func(s *Store) []string {
			return []string{`DROP TRIGGER member_ledger_append_only_delete`, `DELETE FROM member_ledger WHERE ref = 'T01-000001'`,
				`UPDATE members SET balance = 10000, points = 0`}
		}, "the member_ledger rows sale T01-000001 wrote are missing", true, [2]string{"outbox", "id = (SELECT uuid FROM sales WHERE id = 1)"}},
		{"a top-up deleted", func(s *Store) []string {
			return []string{`DELETE FROM topups`}
		}, "no row names this topup entry: its row is missing", true, [2]string{"member_ledger", "ref = 'T01-P000001'"}},
		{"a top-up's bonus raised", func(s *Store) []string {
			return []string{`UPDATE topups SET bonus = bonus + 90000`, `DROP TRIGGER member_ledger_append_only_update`,
				`UPDATE member_ledger SET amount = amount + 90000 WHERE ref = 'T01-P000001' AND kind = 'topup'`, `UPDATE members SET balance = balance + 90000`}
		}, "topups row 1 differs from what this entry says", true, [2]string{"topups", "id = 1"}},
		{"a top-up's ledger row raised, its row left", func(s *Store) []string {
			return []string{`DROP TRIGGER member_ledger_append_only_update`,
				`UPDATE member_ledger SET amount = amount + 90000 WHERE ref = 'T01-P000001'`, `UPDATE members SET balance = balance + 90000`}
		}, "member_ledger rows 1 to 1 are not the rows top-up T01-P000001 wrote", true, [2]string{"topups", "id = 1"}},
		{"+5 cola written into the stock moves", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS stock_moves_bound`,
				`INSERT INTO stock_moves (product_id, at, kind, qty, reason) VALUES (1, '` + now + `', 'adjustment', 5000, 'found')`}
		}, "stock_moves row 3 names no journal entry", false, [2]string{}},
		{"+5 cola under the delivery's entry", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS stock_moves_bound`, `INSERT INTO stock_moves (product_id, at, kind, qty, ref, unit_cost, journal_seq)
				SELECT product_id, at, kind, 5000, ref, unit_cost, journal_seq FROM stock_moves WHERE id = 1`}
		}, "stock_moves row 3 is not one of the 1 rows this stock entry wrote", true, [2]string{"stock_moves", "id = 1"}},
		{"a delivery's quantity raised", func(s *Store) []string {
			return []string{`DROP TRIGGER stock_moves_append_only_update`, `UPDATE stock_moves SET qty = 240000 WHERE id = 1`}
		}, "stock_moves rows 1 to 1 are not the rows this stock entry wrote", true, [2]string{"stock_moves", "id = 1"}},
		{"a cash move edited", func(s *Store) []string {
			return []string{`DROP TRIGGER cash_moves_append_only_update`, `UPDATE cash_moves SET amount = 500`}
		}, "cash_moves row 1 differs from what this entry says", true, [2]string{"cash_moves", "id = 1"}},
		{"a cash move written", func(s *Store) []string {
			return []string{`DROP TRIGGER IF EXISTS cash_moves_bound`, `INSERT INTO cash_moves (uuid, shift_id, kind, amount, reason, at)
				VALUES ('x', 1, 'out', 10000, 'safe_drop', '` + now + `')`}
		}, "cash_moves row 2 names no journal entry", false, [2]string{}},
		{"a shift's float lowered", func(s *Store) []string {
			return []string{`DROP TRIGGER shifts_opening_update`, `UPDATE shifts SET float = 100`}
		}, "shifts row 1 differs from what this entry says", true, [2]string{"shifts", "id = 1"}},
		{"a Z report's summary edited", func(s *Store) []string {
			return []string{`DROP TRIGGER zreports_append_only_update`,
				`UPDATE zreports SET summary = replace(summary, '"sales":2,', '"sales":1,')`}
		}, "T01-Z0001: its stored Z report differs from what was journaled", true, [2]string{"zreports", "id = 1"}},
	}
	for _, tt := range attacks {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := boundTill(t)
			var seq int64
			if tt.wantJ {
				seq = seqOf(t, s, tt.seqSQL[0], tt.seqSQL[1])
			}
			for _, q := range tt.sql(s) {
				if _, err := s.w.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			_, err := s.VerifyJournal(ctx)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("verify-journal: %v\nwant %q", err, tt.want)
			}
			var je *JournalError
			if tt.wantJ && (!errors.As(err, &je) || je.Seq != seq) {
				t.Errorf("%v does not name journal row %d", err, seq)
			}
		})
	}
}

// The triggers refuse a bound row written without its entry, or naming an entry already written.
func TestBoundRowsNeedTheirEntry(t *testing.T) {
	s, _ := boundTill(t)
	now := timestamp(time.Now())
	for _, q := range []string{
		`INSERT INTO member_ledger (member_id, at, kind, amount, ref) VALUES (1, '` + now + `', 'topup', 100000, 'x')`,
		`INSERT INTO member_ledger (member_id, at, kind, amount, ref, journal_seq) VALUES (1, '` + now + `', 'topup', 100000, 'x', 2)`,
		`INSERT INTO stock_moves (product_id, at, kind, qty) VALUES (1, '` + now + `', 'adjustment', 5000)`,
		`INSERT INTO cash_moves (uuid, shift_id, kind, amount, reason, at) VALUES ('x', 1, 'out', 10000, 'safe_drop', '` + now + `')`,
		`UPDATE receipt_counters SET last = last - 1 WHERE kind = 'sale'`,
		`DELETE FROM receipt_counters`,
		`UPDATE journal_bound SET upto_id = 99`,
	} {
		if _, err := s.w.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
}

// The attack that left no trace: delete the last sale with its lines, tenders, outbox row and journal
// row. The sales counter passed its number, so verify-journal names it, and the next sale does not take
// it again.
func TestDeletedLastSaleIsMissingAndItsNumberNeverReused(t *testing.T) {
	ctx := context.Background()
	s, _ := boundTill(t)
	last := sellCash(t, s, "5449000000996")
	if last.ReceiptNo != "T01-000004" {
		t.Fatalf("last sale %s", last.ReceiptNo)
	}
	for _, q := range []string{`DROP TRIGGER journal_append_only_delete`, `PRAGMA foreign_keys = OFF`,
		`DELETE FROM sale_lines WHERE sale_id = 4`, `DELETE FROM tenders WHERE sale_id = 4`, `DELETE FROM sales WHERE id = 4`,
		`DELETE FROM outbox WHERE id = '` + last.ID + `'`, `DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)`,
		`PRAGMA foreign_keys = ON`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "T01-000004 is missing") {
		t.Fatalf("verify-journal after the last sale went: %v", err)
	}
	if next := sellCash(t, s, "5449000000996"); next.ReceiptNo != "T01-000005" {
		t.Errorf("the next sale took %s", next.ReceiptNo)
	}
	// A mid-day number missing is named the same way.
	if _, err := s.w.Exec(`PRAGMA foreign_keys = OFF; DELETE FROM sale_lines WHERE sale_id = 2; DELETE FROM tenders WHERE sale_id = 2;
		DELETE FROM sales WHERE id = 2; PRAGMA foreign_keys = ON`); err != nil {
		t.Fatal(err)
	}
	if err := s.verifyNumbers(ctx, "T01"); err == nil || !strings.Contains(err.Error(), "T01-000002 is missing") {
		t.Errorf("a number missing in the middle: %v", err)
	}
}

// A Z report binds the day it closed: a sale taken out of its period afterwards is found by its counts
// and totals, even when the journal was re-chained before the till had a key (the original attack, on a
// plain SHA-256 chain).
func TestZReportChecksTheSalesOfItsPeriod(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t) // a till from before keys
	for range 3 {
		sellCash(t, s, "5449000000996")
	}
	if _, err := s.CloseDay(ctx, time.Now(), "owner"); err != nil {
		t.Fatal(err)
	}
	// The script: delete sale 2 and its journal row, renumber the later rows and chain them again.
	for _, q := range []string{`DROP TRIGGER journal_append_only_update`, `DROP TRIGGER journal_append_only_delete`, `PRAGMA foreign_keys = OFF`,
		`DELETE FROM sale_lines WHERE sale_id = 2`, `DELETE FROM tenders WHERE sale_id = 2`, `DELETE FROM sales WHERE id = 2`,
		`DELETE FROM journal WHERE seq = 2`, `UPDATE journal SET seq = seq - 1 WHERE seq > 2`, `UPDATE outbox SET journal_seq = journal_seq - 1 WHERE journal_seq > 2`,
		`DROP TRIGGER zreports_append_only_update`, `UPDATE zreports SET journal_seq = journal_seq - 1`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rechainPlain(t, s)
	s.Close()
	k := openKeyed(t, path, true) // keyed over a chain that verifies
	_, err := k.VerifyJournal(ctx)
	var je *JournalError
	if !errors.As(err, &je) || je.Seq != 3 || !strings.Contains(err.Error(), "T01-Z0001 says 3 sales (9.00) and 0 refunds (0.00); its period holds 2 sales (6.00)") {
		t.Fatalf("verify-journal: %v", err)
	}
}

// downgradeBindings takes a database back to the schema before migration 0024 (0025's counters stay),
// keeping its rows: what a till upgraded from an earlier version has.
func downgradeBindings(t *testing.T, s *Store) {
	t.Helper()
	var q []string
	for _, trigger := range []string{"member_ledger_bound", "stock_moves_bound", "cash_moves_bound", "topups_bound", "shifts_bound",
		"shifts_close_bound", "zreports_bound"} {
		q = append(q, "DROP TRIGGER "+trigger)
	}
	q = append(q, "DROP TABLE journal_bound", "ALTER TABLE shifts DROP COLUMN close_journal_seq",
		"DELETE FROM schema_migrations WHERE version = 24")
	for _, table := range boundTableNames {
		q = append(q, "ALTER TABLE "+table+" DROP COLUMN journal_seq")
	}
	for _, q := range q {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

var boundTableNames = []string{"member_ledger", "stock_moves", "cash_moves", "topups", "shifts", "zreports"}

// upgradedTill is boundTill as a till upgraded from before rows named their entries has it: its rows
// name none, and the migration and the journal's "journal_bound" entry counted them.
func upgradedTill(t *testing.T) *Store {
	t.Helper()
	s, _ := boundTill(t)
	path := s.Path()
	downgradeBindings(t, s)
	s.Close()
	return openKeyed(t, path, false)
}

// A till upgraded with rows already in the bound tables: those rows name no entry, and the journal
// records how many there were and up to which id. A row slipped in after them, or among them, is named;
// raising the migration's figures changes nothing, since verify-journal reads them from the journal.
func TestRowsFromBeforeBindingsAreCountedInTheJournal(t *testing.T) {
	ctx := context.Background()
	s := upgradedTill(t)
	var payload string
	if err := s.r.QueryRow(`SELECT payload FROM journal WHERE kind = 'journal_bound'`).Scan(&payload); err != nil ||
		!strings.Contains(payload, `"member_ledger":{"upto_id":3,"rows":3}`) || !strings.Contains(payload, `"stock_moves":{"upto_id":2,"rows":2}`) {
		t.Fatalf("journal_bound entry %s, %v", payload, err)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("after the upgrade: %d, %v", n, err)
	}
	if sale := sellCash(t, s, "5449000000996"); sale.ReceiptNo != "T01-000004" { // numbered on from the sales there were
		t.Errorf("the first sale after the upgrade is %s", sale.ReceiptNo)
	}
	m, _ := s.MemberByNumber(ctx, "M000001")
	topUp(t, s, m, 5000)
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("after selling on: %d, %v", n, err)
	}
	// Dropping the trigger, someone raises the migration's figures: the journal's stand.
	if _, err := s.w.Exec(`DROP TRIGGER journal_bound_kept; UPDATE journal_bound SET upto_id = 99, row_count = 99`); err != nil {
		t.Fatal(err)
	}
	now := timestamp(time.Now())
	for _, tt := range []struct{ sql, want string }{
		{`INSERT INTO member_ledger (member_id, at, kind, amount, ref) VALUES (1, '` + now + `', 'topup', 100000, 'x')`,
			"member_ledger row 5 names no journal entry"},
		{`INSERT INTO member_ledger (id, member_id, at, kind, amount, ref) VALUES (-1, 1, '` + now + `', 'topup', 100000, 'x')`,
			"member_ledger has 4 rows up to row 3, from before rows named their entries; the journal counted 3"},
	} {
		if _, err := s.w.Exec(`DROP TRIGGER IF EXISTS member_ledger_bound; ` + tt.sql); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("verify-journal: %v, want %q", err, tt.want)
		}
	}
}
