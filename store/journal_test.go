package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"checkout/app"
)

var (
	tillJournalKey  = bytes.Repeat([]byte{0x5a}, 32)
	otherJournalKey = bytes.Repeat([]byte{0xa5}, 32)
)

// openKeyed opens the database at path with the till's journal key, as the till does.
func openKeyed(t testing.TB, path string, keyNow bool) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, WithJournalKey(tillJournalKey, keyNow))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A till's first start with its key keys the journal it has: every row's hash made again with the key,
// and an entry saying the plain chain verified. From then on the journal needs that key, and no other,
// to be written or verified.
func TestJournalIsKeyedOnceAndNeedsItsKey(t *testing.T) {
	s, path := openTestStore(t) // a till from before keys
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	sellCash(t, s, "6924743915763")
	s.Close()

	if _, err := Open(ctx, path, WithJournalKey(tillJournalKey, false)); !errors.Is(err, ErrJournalNotKeyed) {
		t.Fatalf("a key made before, over a journal not keyed: %v", err)
	}
	k := openKeyed(t, path, true)
	if n, err := k.VerifyJournal(ctx); err != nil || n != 3 {
		t.Fatalf("keyed journal: %d rows, %v", n, err)
	}
	var kind, payload string
	if err := k.r.QueryRow(`SELECT kind, payload FROM journal WHERE seq = 3`).Scan(&kind, &payload); err != nil ||
		kind != "journal_keyed" || !strings.Contains(payload, `"plain_chain":"verified"`) {
		t.Fatalf("row 3: %s %s, %v", kind, payload, err)
	}
	sellCash(t, k, "5449000000996")
	k.Close()

	if _, err := Open(ctx, path, WithJournalKey(otherJournalKey, true)); !errors.Is(err, ErrWrongJournalKey) {
		t.Fatalf("another till's key: %v", err)
	}
	plain, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.VerifyJournal(ctx); !errors.Is(err, ErrJournalKeyNeeded) {
		t.Fatalf("verify without the key: %v", err)
	}
	co := newCheckout(t, plain)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.SettleCash(ctx, co.CashDue()); !errors.Is(err, ErrJournalKeyNeeded) {
		t.Fatalf("a sale without the key: %v", err)
	}
	if n := count(t, plain, "sales"); n != 3 {
		t.Fatalf("%d sales stored, want the refused one not among them", n)
	}
}

// The attack that passed verify-journal on a plain SHA-256 chain: delete a mid-day cash sale (its lines,
// tenders, outbox and journal rows), renumber the later journal rows and chain them again. On a keyed
// journal the tamperer cannot make the hashes without the key: the first row chained again is named.
func TestJournalCannotBeChainedAgainWithoutTheKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	s := openKeyed(t, path, true)
	ctx := context.Background()
	if _, err := s.AddProducts(ctx, testCatalog); err != nil {
		t.Fatal(err)
	}
	var sales []*app.Sale
	for range 4 {
		sales = append(sales, sellCash(t, s, "5449000000996"))
	}
	victim := sales[1]
	for _, q := range []string{`DROP TRIGGER journal_append_only_update`, `DROP TRIGGER journal_append_only_delete`, `PRAGMA foreign_keys = OFF`,
		`DELETE FROM sale_lines WHERE sale_id = 2`, `DELETE FROM tenders WHERE sale_id = 2`, `DELETE FROM sales WHERE id = 2`,
		`DELETE FROM outbox WHERE id = '` + victim.ID + `'`, `DELETE FROM journal WHERE seq = 2`, `UPDATE journal SET seq = seq - 1 WHERE seq > 2`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rechainPlain(t, s)
	_, err := s.VerifyJournal(ctx)
	var je *JournalError
	if !errors.As(err, &je) || je.Seq != 1 {
		t.Fatalf("verify after the re-chain: %v", err)
	}
}

// A journal whose plain chain was broken before the till first opened with its key is keyed (the till
// must sell), but never laundered: the break is recorded, and verify-journal reports it ever after.
func TestKeyingABrokenChainIsReported(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	sellCash(t, s, "5449000000996")
	for _, q := range []string{`DROP TRIGGER journal_append_only_update`, `UPDATE journal SET payload = replace(payload, '"total":"3.00"', '"total":"0.30"') WHERE seq = 1`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	k := openKeyed(t, path, true)
	_, err := k.VerifyJournal(ctx)
	var je *JournalError
	if !errors.As(err, &je) || je.Seq != 3 || !strings.Contains(err.Error(), "keyed over a chain that did not verify") {
		t.Fatalf("verify a journal keyed over a break: %v", err)
	}
	sellCash(t, k, "5449000000996") // it sells
}

// rechainPlain is the tamperer's script: it chains the journal again with plain SHA-256 over the same
// fields, as the journal was before keys.
func rechainPlain(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.w.Query(`SELECT seq, at, kind, payload FROM journal ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var rechain []string
	prev := genesisHash
	for rows.Next() {
		var seq int64
		var at, kind, payload string
		if err := rows.Scan(&seq, &at, &kind, &payload); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, f := range []string{prev, strconv.FormatInt(seq, 10), at, kind, payload} {
			fmt.Fprintf(h, "%d:%s;", len(f), f)
		}
		hash := hex.EncodeToString(h.Sum(nil))
		rechain = append(rechain, fmt.Sprintf(`UPDATE journal SET prev_hash = '%s', hash = '%s' WHERE seq = %d`, prev, hash, seq))
		prev = hash
	}
	rows.Close()
	for _, q := range rechain {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}
