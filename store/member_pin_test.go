package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

// legacyHash2468 is PIN 2468 as the till stored it before till.key: argon2id, 19 MiB, 2 passes, no pepper.
const legacyHash2468 = "$argon2id$v=19$m=19456,t=2,p=1$s2ONCmbb9D2QCQGHJv5vMQ$gg37PObKXtc4+QIb8d5m9eynFh2/pPfpjjb9nCW2q7g"

// A member with a PIN pays from their account only after it is entered, at each sale; the right PIN
// clears the wrong ones before it, and a hash from before till.key is stored again in the current recipe.
// Setting and removing the PIN are journaled, never the hash.
func TestAccountPINGuardsPrepaid(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Wang Fang", "")
	topUp(t, s, m, 10000)
	pins := app.NewAccountPINs(s, testPINs(t), time.Now)
	olivia := app.SystemSession("Olivia")
	if err := pins.Set(ctx, olivia, m, "2468"); err != nil {
		t.Fatal(err)
	}
	m, _ = s.MemberByNumber(ctx, m.Number)
	co := newCheckout(t, s)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	_ = co.SetMember(m)
	if _, err := co.PayPrepaid(cny(300)); !errors.Is(err, app.ErrPINRequired) {
		t.Fatalf("prepaid without the PIN: %v", err)
	}
	if err := pins.Enter(ctx, co, "1357"); !errors.Is(err, app.ErrWrongPIN) {
		t.Fatalf("a wrong PIN: %v", err)
	}
	if err := pins.Enter(ctx, co, "2468"); err != nil {
		t.Fatal(err)
	}
	if stored, _ := s.MemberByNumber(ctx, m.Number); stored.FailedPINs != 0 {
		t.Errorf("the right PIN left %d wrong ones counted", stored.FailedPINs)
	}
	if _, err := co.PayPrepaid(cny(300)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}

	// The next sale asks again, here against the PIN's hash from before till.key.
	if _, err := s.w.ExecContext(ctx, `UPDATE members SET pin_hash = ? WHERE id = ?`, legacyHash2468, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	_ = co.SetMember(m)
	if _, err := co.PayPrepaid(cny(300)); !errors.Is(err, app.ErrPINRequired) {
		t.Fatalf("the next sale without the PIN: %v", err)
	}
	if err := pins.Enter(ctx, co, "2468"); err != nil {
		t.Fatalf("the old hash: %v", err)
	}
	if stored, _ := s.MemberByNumber(ctx, m.Number); !strings.HasPrefix(stored.PINHash, "$argon2id$v=19$m=131072,t=2,p=2,pepper=v1$") {
		t.Errorf("after the PIN the stored hash is %q", stored.PINHash)
	}
	if _, err := co.PayPrepaid(cny(300)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := pins.Set(ctx, olivia, m, ""); err != nil {
		t.Fatal(err)
	}
	if j := journalOf(t, s, "member_pin"); len(j) != 2 || j[0]["pin"] != "set" || j[1]["pin"] != "removed" ||
		j[1]["member"] != m.Number || j[1]["by"] != "Olivia" {
		t.Errorf("PIN changes journaled as %v", j)
	}
	noPINHashJournaled(t, s)
}

// The attack: someone with a member's card guesses the account PIN at the till. Wrong PINs count against
// the member, not the sale: a switch to another member and back, a new sale and a restart of the till
// all keep the count, and the shop's fifth wrong PIN locks the account for its lock time, journaled, over
// another restart. (A 4-digit PIN fell in 151 tries when three wrong ones locked only the sale in
// progress.) The PIN cannot be changed while locked; a cashier cannot unlock it, a supervisor can.
func TestWrongAccountPINsLockTheMember(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	m := newMember(t, s, "Wang Fang", "")
	other := newMember(t, s, "Li Lei", "")
	topUp(t, s, m, 10000)
	pins := app.NewAccountPINs(s, testPINs(t), clock)
	if err := pins.Set(ctx, app.SystemSession("Olivia"), m, "2468"); err != nil {
		t.Fatal(err)
	}
	m, _ = s.MemberByNumber(ctx, m.Number)
	var co *app.Checkout
	restart := func() {
		t.Helper()
		s.Close()
		var err error
		if s, err = Open(ctx, path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		co, pins = newCheckout(t, s), app.NewAccountPINs(s, testPINs(t), clock)
	}
	start := func() {
		t.Helper()
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if err := co.SetMember(m); err != nil {
			t.Fatal(err)
		}
	}
	enter := func(pin string, want error) {
		t.Helper()
		if err := pins.Enter(ctx, co, pin); !errors.Is(err, want) {
			t.Fatalf("PIN %s: %v, want %v", pin, err, want)
		}
	}
	co = newCheckout(t, s)
	start()
	enter("0000", app.ErrWrongPIN)
	enter("1111", app.ErrWrongPIN)
	if err := co.SetMember(other); err != nil {
		t.Fatal(err)
	}
	_ = co.SetMember(m)
	enter("2222", app.ErrWrongPIN)
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	start()
	enter("3333", app.ErrWrongPIN)
	restart()
	start()
	var locked *app.LockedError
	if err := pins.Enter(ctx, co, "4444"); !errors.As(err, &locked) || !errors.Is(err, app.ErrPINLocked) ||
		!locked.Until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("the fifth wrong PIN: %v", err)
	}
	restart()
	start()
	enter("2468", app.ErrPINLocked)
	if _, err := co.PayPrepaid(cny(300)); !errors.Is(err, app.ErrPINRequired) {
		t.Fatalf("prepaid while locked: %v", err)
	}
	if err := pins.Set(ctx, app.SystemSession("Olivia"), m, "1234"); !errors.Is(err, app.ErrPINLocked) {
		t.Fatalf("a new PIN while locked: %v", err)
	}
	if j := journalOf(t, s, "member_locked"); len(j) != 1 || j[0]["member"] != m.Number || j[0]["until"] != "2026-11-30T09:15:00.000000Z" {
		t.Errorf("lock journaled as %v", j)
	}

	// A cashier may not lift the lock; a supervisor's approval lets her, and the journal names both.
	auth, _ := staff(t, s, clock)
	li, err := auth.SignIn(ctx, "Li", "3333")
	if err != nil {
		t.Fatal(err)
	}
	if err := pins.Unlock(ctx, li, m); !errors.Is(err, app.ErrNotPermitted) {
		t.Fatalf("a cashier unlocking: %v", err)
	}
	enter("2468", app.ErrPINLocked)
	if err := li.Approve(ctx, "Wang", "2222", app.PermUnlockPIN, "unlock PIN "+m.Number); err != nil {
		t.Fatal(err)
	}
	if err := pins.Unlock(ctx, li, m); err != nil {
		t.Fatal(err)
	}
	if j := journalOf(t, s, "member_pin_unlocked"); len(j) != 1 || j[0]["member"] != m.Number || j[0]["by"] != "Li" || j[0]["approved_by"] != "Wang" {
		t.Errorf("unlock journaled as %v", j)
	}
	enter("2468", nil)
	if _, err := co.PayPrepaid(cny(300)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}

	// Locked again, the lock time passing opens it too.
	start()
	for range 4 {
		enter("0000", app.ErrWrongPIN)
	}
	enter("0000", app.ErrPINLocked)
	now = now.Add(15 * time.Minute)
	enter("2468", nil)
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}
