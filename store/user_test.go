package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/cmd/benchtable/idle"
)

// testPINs are the PINs of the tests' till: every Auth a test makes must pepper with the same key.
func testPINs(t testing.TB) *app.PINs {
	t.Helper()
	pins, err := app.NewPINs([]byte("the tests' till.key pepper, 32 bytes"), app.DefaultSecurity())
	if err != nil {
		t.Fatal(err)
	}
	return pins
}

// legacyHash3333 is PIN 3333 as the till stored it before till.key: argon2id, 19 MiB, 2 passes, no pepper.
const legacyHash3333 = "$argon2id$v=19$m=19456,t=2,p=1$Bb1DQN7gLKk4iKqr/wVW9A$wiTjHA0rzx3PxSthv+DYOBPhmPlHEu6c1UlOhahbOaU"

// staff makes the shop's owner (first run), a supervisor and a cashier, with real argon2id PINs.
func staff(t testing.TB, s *Store, now func() time.Time) (*app.Auth, *app.Session) {
	t.Helper()
	ctx := context.Background()
	auth := app.NewAuth(s, "T01", testPINs(t), now)
	owner, err := auth.CreateOwner(ctx, "Olivia", "1111")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.CreateOwner(ctx, "Mallory", "6666"); !errors.Is(err, app.ErrOwnerExists) {
		t.Errorf("a second first-run owner: %v", err)
	}
	for _, u := range []struct {
		name string
		role app.Role
		pin  string
	}{{"Wang", app.RoleSupervisor, "2222"}, {"Li", app.RoleCashier, "3333"}} {
		if _, err := auth.AddUser(ctx, owner, u.name, u.role, u.pin); err != nil {
			t.Fatal(err)
		}
	}
	return auth, owner
}

// journalOf returns the payloads of the journal's rows of kind, oldest first.
func journalOf(t *testing.T, s *Store, kind string) []map[string]any {
	t.Helper()
	rows, err := s.r.Query(`SELECT payload FROM journal WHERE kind = ? ORDER BY seq`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var p string
		var m map[string]any
		if err := rows.Scan(&p); err != nil || json.Unmarshal([]byte(p), &m) != nil {
			t.Fatal(p, err)
		}
		out = append(out, m)
	}
	return out
}

// Every protected action is refused for a cashier, changing nothing; a supervisor's PIN lets exactly one
// through, and the approval is journaled with both names. The owner needs no one.
func TestCashierNeedsApprovalForEveryProtectedAction(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, _ := staff(t, s, time.Now)
	li, err := auth.SignIn(ctx, "li", "3333") // names ignore case
	if err != nil || li.User().Role != app.RoleCashier {
		t.Fatalf("cashier sign-in: %+v, %v", li.User(), err)
	}
	paid := sellCash(t, s, "5449000000996", "6924743915763")
	cola, _ := s.ProductByBarcode(ctx, "5449000000996")
	set, _ := s.Settings(ctx)
	reports := app.GuardedReports{Book: s, Session: func() *app.Session { return li }}
	inv := app.NewInventory(s, time.Now)
	form := app.FormOf(app.CatalogEntry{Product: cola, Barcodes: []string{"5449000000996"}})
	form.Price = "9.99"

	// A checkout of Li's with a line in the cart, for the sale-screen actions.
	co := newCheckout(t, s)
	co.SetSession(li)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	actions := []struct {
		perm app.Permission
		do   func() error
	}{
		{app.PermDiscount, func() error { return co.SetDiscount(0, app.Discount{PercentBP: 5000}) }},
		{app.PermPriceOverride, func() error { return co.OverridePrice(0, cny(100)) }},
		{app.PermNoSale, func() error { return co.NoSale(ctx, "change for a note") }},
		{app.PermRefund, func() error {
			_, err := co.RefundSale(ctx, paid, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "")
			return err
		}},
		{app.PermCatalogEdit, func() error {
			_, err := app.SaveProduct(ctx, s, set, form, li, time.Now())
			return err
		}},
		{app.PermCatalogEdit, func() error { return inv.Adjust(ctx, cola, app.Pieces(-1), "damage", li) }},
		{app.PermReports, func() error { _, err := reports.DaySummary(ctx, time.Now().Add(-time.Hour), time.Now()); return err }},
		{app.PermUsers, func() error { _, err := auth.AddUser(ctx, li, "Zhao", app.RoleCashier, "4444"); return err }},
	}
	journalBefore := count(t, s, "journal")
	for _, a := range actions {
		var pe *app.PermissionError
		if err := a.do(); !errors.As(err, &pe) || pe.Permission != a.perm {
			t.Errorf("%s by a cashier without approval = %v", a.perm, err)
		}
	}
	// Refused, nothing changed: no journal row, the cart as it was, no refund, the price as it was.
	if n := count(t, s, "journal"); n != journalBefore {
		t.Errorf("refused actions wrote %d journal rows", n-journalBefore)
	}
	if l := co.Lines()[0]; !l.DiscountAmount.IsZero() || l.Product.Price != cola.Price || l.Overridden() {
		t.Errorf("a refused discount or price stayed on the line: %+v", l)
	}
	if count(t, s, "refunds") != 0 {
		t.Error("a refused refund was stored")
	}
	if p, _ := s.ProductByBarcode(ctx, "5449000000996"); p.Price != cola.Price {
		t.Errorf("a refused price change was saved: %s", p.Price)
	}

	// Approvals: a wrong PIN, a cashier, and a supervisor for user management are refused.
	if err := li.Approve(ctx, "Wang", "9999", app.PermDiscount, "discount"); !errors.Is(err, app.ErrWrongPIN) {
		t.Errorf("approval with a wrong PIN = %v", err)
	}
	if err := li.Approve(ctx, "Li", "3333", app.PermDiscount, "discount"); !errors.Is(err, app.ErrCannotApprove) {
		t.Errorf("a cashier approving herself = %v", err)
	}
	if err := li.Approve(ctx, "Wang", "2222", app.PermUsers, "add user"); !errors.Is(err, app.ErrCannotApprove) {
		t.Errorf("a supervisor approving user management = %v", err)
	}
	for _, a := range actions {
		approver, pin := "Wang", "2222"
		if a.perm == app.PermUsers {
			approver, pin = "Olivia", "1111"
		}
		if err := li.Approve(ctx, approver, pin, a.perm, string(a.perm)); err != nil {
			t.Fatalf("%s approval: %v", a.perm, err)
		}
		if err := a.do(); err != nil {
			t.Errorf("%s with approval: %v", a.perm, err)
		}
	}
	// Each approval was for one action (reports last the session): a second discount needs another.
	if _, err := co.Scan(ctx, "6924743915763"); err != nil {
		t.Fatal(err)
	}
	if err := co.SetDiscount(1, app.Discount{PercentBP: 5000}); !errors.Is(err, app.ErrNotPermitted) {
		t.Errorf("a second discount on one approval = %v", err)
	}
	if err := co.SetDiscount(1, app.Discount{PercentBP: 1000}); err != nil {
		t.Errorf("a discount within the 10%% limit needs no one: %v", err)
	}
	if _, err := reports.XReport(ctx, time.Now()); err != nil {
		t.Errorf("reports after an approval: %v", err)
	}
	overrides := journalOf(t, s, "override")
	if len(overrides) != len(actions) {
		t.Fatalf("%d overrides journaled, want %d", len(overrides), len(actions))
	}
	for i, o := range overrides {
		want := "Wang"
		if actions[i].perm == app.PermUsers {
			want = "Olivia"
		}
		if o["user"] != "Li" || o["approved_by"] != want || o["permission"] != string(actions[i].perm) {
			t.Errorf("override %d journaled as %v", i, o)
		}
	}
	// What was done names who did it and who approved.
	refunds, _ := s.RefundsOfSale(ctx, paid.ID)
	if len(refunds) != 1 || refunds[0].Cashier != "Li" || refunds[0].ApprovedBy != "Wang" {
		t.Errorf("the refund is stored as %+v", refunds)
	}
	if ns := journalOf(t, s, "no_sale"); len(ns) != 1 || ns[0]["cashier"] != "Li" || ns[0]["approved_by"] != "Wang" {
		t.Errorf("no sale journaled as %v", ns)
	}
	if _, err := s.UserByName(ctx, "zhao"); err != nil {
		t.Errorf("the approved new user: %v", err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

// A cashier's void of a sale with cash already taken needs a supervisor; the void names both.
func TestVoidAfterPaymentNeedsASupervisor(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, _ := staff(t, s, time.Now)
	li, _ := auth.SignIn(ctx, "Li", "3333")
	co := newCheckout(t, s)
	co.SetSession(li)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if err := co.Void(ctx); err != nil {
		t.Fatalf("voiding an unpaid sale needs no one: %v", err)
	}
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCashPart(cny(100)); err != nil {
		t.Fatal(err)
	}
	if err := co.Void(ctx); !errors.Is(err, app.ErrNotPermitted) || len(co.Tenders()) != 1 {
		t.Fatalf("a cashier's void after payment = %v, tenders %d", err, len(co.Tenders()))
	}
	if err := li.Approve(ctx, "Wang", "2222", app.PermVoidPaid, "void"); err != nil {
		t.Fatal(err)
	}
	if err := co.Void(ctx); err != nil {
		t.Fatal(err)
	}
	voids := journalOf(t, s, "void")
	if len(voids) != 2 || voids[0]["cashier"] != "Li" || voids[0]["approved_by"] != nil || voids[1]["approved_by"] != "Wang" {
		t.Errorf("voids journaled as %v", voids)
	}
	// The sale Li completes names her.
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	sale, err := co.SettleCash(ctx, co.CashDue())
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if stored.Cashier != "Li" {
		t.Errorf("the sale's cashier is %q", stored.Cashier)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

// Five wrong PINs in a row lock a user for the shop's lock time, journaled; the right PIN is refused
// meanwhile and works after it; a right PIN clears the count.
func TestWrongPINsLockTheUser(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	auth, owner := staff(t, s, func() time.Time { return now })
	for i := 0; i < 4; i++ {
		if _, err := auth.SignIn(ctx, "Li", "0000"); !errors.Is(err, app.ErrWrongPIN) {
			t.Fatalf("wrong PIN %d = %v", i+1, err)
		}
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
		t.Fatalf("the right PIN after 4 wrong ones: %v", err)
	}
	for i := 0; i < 4; i++ {
		_, _ = auth.SignIn(ctx, "Li", "0000")
	}
	var locked *app.LockedError
	if _, err := auth.SignIn(ctx, "Li", "0000"); !errors.As(err, &locked) || !locked.Until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("the fifth wrong PIN in a row = %v", err)
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); !errors.Is(err, app.ErrUserLocked) {
		t.Errorf("the right PIN while locked = %v", err)
	}
	if j := journalOf(t, s, "user_locked"); len(j) != 1 || j[0]["name"] != "Li" {
		t.Errorf("lock journaled as %v", j)
	}
	now = now.Add(15 * time.Minute)
	if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
		t.Errorf("after the lock time: %v", err)
	}
	// The owner can unlock sooner; an unknown name looks like a wrong PIN.
	for i := 0; i < 5; i++ {
		_, _ = auth.SignIn(ctx, "Li", "0000")
	}
	if _, err := auth.ChangeUser(ctx, owner, "Li", app.UserChange{Unlock: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
		t.Errorf("after the owner unlocked: %v", err)
	}
	if _, err := auth.SignIn(ctx, "Nobody", "3333"); !errors.Is(err, app.ErrWrongPIN) {
		t.Errorf("an unknown user = %v", err)
	}
	// The shop keeps an active owner; inactive users cannot sign in; users are never deleted.
	cashier := app.RoleCashier
	if _, err := auth.ChangeUser(ctx, owner, "Olivia", app.UserChange{Role: &cashier}); !errors.Is(err, app.ErrLastOwner) {
		t.Errorf("demoting the only owner = %v", err)
	}
	off := false
	if _, err := auth.ChangeUser(ctx, owner, "Li", app.UserChange{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); !errors.Is(err, app.ErrUserInactive) {
		t.Errorf("an inactive user signing in = %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM users WHERE name = 'Li'`); err == nil {
		t.Error("a user was deleted")
	}
	noPINHashJournaled(t, s)
}

// noPINHashJournaled fails t if any journal entry holds a PIN hash.
func noPINHashJournaled(t *testing.T, s *Store) {
	t.Helper()
	var hashes int
	if err := s.r.QueryRow(`SELECT count(*) FROM journal WHERE payload LIKE '%argon2%'`).Scan(&hashes); err != nil || hashes != 0 {
		t.Errorf("%d journal entries hold a PIN hash (%v)", hashes, err)
	}
}

// The owner turns two-factor sign-in on: from then on the back office (reports, catalog, users) waits for
// a code from the app in each session, a code is taken once, wrong codes lock like wrong PINs, and the
// secret is in the database only sealed. The owner can turn it off for anyone.
func TestTwoFactorGuardsTheBackOffice(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	auth, owner := staff(t, s, clock)
	if _, _, err := auth.StartTwoFactor(owner); !errors.Is(err, app.ErrNoSealKey) {
		t.Errorf("two-factor without a seal key = %v", err)
	}
	if err := auth.SetSealKey([]byte("the till's card.key")); err != nil {
		t.Fatal(err)
	}
	li, _ := auth.SignIn(ctx, "Li", "3333")
	if _, _, err := auth.StartTwoFactor(li); !errors.Is(err, app.ErrNotPermitted) {
		t.Errorf("a cashier turning two-factor on = %v", err)
	}
	secret, uri, err := auth.StartTwoFactor(owner)
	if err != nil || !strings.Contains(uri, secret) {
		t.Fatal(uri, err)
	}
	if err := auth.EnableTwoFactor(ctx, owner, secret, "000000"); !errors.Is(err, app.ErrWrongCode) {
		t.Errorf("enabling with a wrong code = %v", err)
	}
	code, _ := app.TOTPCode(secret, now)
	if err := auth.EnableTwoFactor(ctx, owner, secret, code); err != nil {
		t.Fatal(err)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM users WHERE totp_secret LIKE '%`+secret+`%'`); n != 0 {
		t.Error("the two-factor secret is in the database in the clear")
	}

	// A new session of the owner: the sale screen works, the back office waits for the code.
	now = now.Add(time.Minute)
	olivia, err := auth.SignIn(ctx, "Olivia", "1111")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := olivia.Allow(app.PermRefund); err != nil {
		t.Errorf("a refund needs no code: %v", err)
	}
	for _, p := range []app.Permission{app.PermReports, app.PermCatalogEdit, app.PermUsers} {
		if _, err := olivia.Allow(p); !errors.Is(err, app.ErrSecondFactor) {
			t.Errorf("%s before the code = %v", p, err)
		}
	}
	if err := olivia.VerifySecondFactor(ctx, code); !errors.Is(err, app.ErrWrongCode) {
		t.Errorf("the enrolment code again = %v", err)
	}
	code, _ = app.TOTPCode(secret, now)
	if err := olivia.VerifySecondFactor(ctx, code); err != nil {
		t.Fatal(err)
	}
	if _, err := olivia.Allow(app.PermReports); err != nil {
		t.Errorf("reports after the code: %v", err)
	}
	// Five wrong codes lock the owner out like five wrong PINs.
	other, _ := auth.SignIn(ctx, "Olivia", "1111")
	for i := 0; i < 5; i++ {
		_ = other.VerifySecondFactor(ctx, "123456")
	}
	if _, err := auth.SignIn(ctx, "Olivia", "1111"); !errors.Is(err, app.ErrUserLocked) {
		t.Errorf("after five wrong codes = %v", err)
	}
	if j := journalOf(t, s, "user_change"); len(j) == 0 || j[len(j)-1]["two_factor"] != true {
		t.Errorf("enabling two-factor journaled as %v", j)
	}
	if err := auth.DisableTwoFactor(ctx, olivia, "Olivia"); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.UserByName(ctx, "Olivia"); u.TwoFactor() {
		t.Error("two-factor still on")
	}
}

func queryCount(t *testing.T, s *Store, query string) int64 {
	t.Helper()
	var n int64
	if err := s.r.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A PIN hashed before till.key (no pepper, 19 MiB) still signs in, and that sign-in stores it again in the
// current recipe; from then on it checks only with this till's key. The upgrade never overwrites a PIN
// changed meanwhile.
func TestOldPINHashIsUpgradedAtSignIn(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, owner := staff(t, s, time.Now)
	if _, err := s.w.ExecContext(ctx, `UPDATE users SET pin_hash = ? WHERE name = 'Li'`, legacyHash3333); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.SignIn(ctx, "Li", "1234"); !errors.Is(err, app.ErrWrongPIN) {
		t.Fatalf("a wrong PIN against the old hash: %v", err)
	}
	if u, _ := s.UserByName(ctx, "Li"); u.PINHash != legacyHash3333 {
		t.Fatal("a wrong PIN changed the hash")
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
		t.Fatalf("the old hash: %v", err)
	}
	u, _ := s.UserByName(ctx, "Li")
	if !strings.HasPrefix(u.PINHash, "$argon2id$v=19$m=131072,t=2,p=2,pepper=v1$") || u.FailedPINs != 0 {
		t.Fatalf("after sign-in Li's hash is %q, %d wrong PINs", u.PINHash, u.FailedPINs)
	}
	if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
		t.Errorf("the upgraded hash: %v", err)
	}
	otherKey, _ := app.NewPINs([]byte("another till's till.key pepper, 32 bytes"), app.DefaultSecurity())
	if _, err := app.NewAuth(s, "T01", otherKey, time.Now).SignIn(ctx, "Li", "3333"); !errors.Is(err, app.ErrWrongPIN) {
		t.Errorf("the upgraded hash with another till's key: %v", err)
	}

	// The race the upgrade must lose: Li's old hash was checked, then the owner set a new PIN, then the
	// upgrade of the old one is stored.
	if _, err := s.w.ExecContext(ctx, `UPDATE users SET pin_hash = ? WHERE name = 'Li'`, legacyHash3333); err != nil {
		t.Fatal(err)
	}
	checked, _ := s.UserByName(ctx, "Li")
	pin := "4444"
	if _, err := auth.ChangeUser(ctx, owner, "Li", app.UserChange{PIN: &pin}); err != nil {
		t.Fatal(err)
	}
	changed, _ := s.UserByName(ctx, "Li")
	checked.PINHash = u.PINHash // 3333 in the current recipe
	if err := s.RecordPINs(ctx, checked, legacyHash3333, time.Now()); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.UserByName(ctx, "Li"); after.PINHash != changed.PINHash {
		t.Error("the upgrade of the old PIN overwrote the new one")
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

// BenchmarkSignIn is a sign-in as the till does it: the user read from the database and the PIN checked
// (app/pin.go's pinRecipeNow has the figures); "upgrade" is the first sign-in with a hash from before
// till.key, which checks the old hash and stores the new one. -cpu 2,1 gives both cores and one.
func BenchmarkSignIn(b *testing.B) {
	s, _ := openTestStore(b)
	ctx := context.Background()
	auth, _ := staff(b, s, time.Now)
	b.Run("peppered", func(b *testing.B) {
		idle.Wait(b)
		for b.Loop() {
			if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("upgrade", func(b *testing.B) {
		idle.Wait(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := s.w.ExecContext(ctx, `UPDATE users SET pin_hash = ? WHERE name = 'Li'`, legacyHash3333); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := auth.SignIn(ctx, "Li", "3333"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A till upgraded with the PIN lock set all but off (pin_tries 40, pin_lock_minutes 0: both taken before)
// opens with the nearest values now allowed rather than refusing to start, and such values are refused
// from then on.
func TestWeakPINSettingsAreRaisedOnUpgrade(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	// Back to the schema before 0021, with the settings it let through.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 21;
		ALTER TABLE members DROP COLUMN failed_pins; ALTER TABLE members DROP COLUMN locked_until;
		INSERT INTO settings (key, value) VALUES ('pin_tries', '40'), ('pin_lock_minutes', '0')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	set, err := s.Settings(ctx)
	if err != nil || set.Security.PINTries != 10 || set.Security.PINLock != time.Minute {
		t.Errorf("after the upgrade: %+v, %v", set.Security, err)
	}
	for _, kv := range [][2]string{{"pin_lock_minutes", "0"}, {"pin_tries", "11"}} {
		if _, err := s.SetSetting(ctx, kv[0], kv[1], time.Now()); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("set %s %s: %v", kv[0], kv[1], err)
		}
	}
}
