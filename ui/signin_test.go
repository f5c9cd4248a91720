package ui_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/store"
	"checkout/ui"
)

// The first run asks for the shop's name and city, then the owner's name and PIN twice, and opens the
// sale screen signed in as them, the shop named on the customer display. Neither name may be left empty.
func TestFirstRunCreatesTheOwner(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, _ := st.Settings(ctx)
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	keys = &keyboard{at: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), step: humanKeyGap}
	setSetting := func(key, value string) error {
		_, err := st.SetSetting(ctx, key, value, time.Now())
		return err
	}
	till := ui.NewTill(fyne.CurrentApp(), co, ui.Services{Staff: app.NewAuth(st, set.Till, testPINs(t), time.Now)},
		ui.Options{Language: "en", KeyClock: keys.now, After: keys.after, Background: func(f func()) { f() }, SetSetting: setSetting})
	w := till.Window()
	mustShow(t, w, "Welcome: create the owner's account", "Shop name (on receipts and the payment QR code)")
	// The city left out: nothing is stored.
	for _, step := range []string{"林记便利店", "", "Olivia", "1234", "1234"} {
		typeIn(w, step)
		press(w, fyne.KeyReturn)
	}
	mustShow(t, w, "Type the shop's name and city")
	if users, _ := st.Users(ctx); len(users) != 0 || co.Session() != nil {
		t.Fatalf("the owner was created without the shop's city: %+v", users)
	}
	// Focus is on the city now; the PINs were cleared.
	typeIn(w, "上海")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // the owner's name is still there
	for _, step := range []string{"1234", "4321"} {
		typeIn(w, step)
		press(w, fyne.KeyReturn)
	}
	mustShow(t, w, "The two PINs differ. Type them again.")
	if co.Session() != nil {
		t.Fatal("signed in with PINs that differ")
	}
	for _, step := range []string{"1234", "1234"} {
		typeIn(w, step)
		press(w, fyne.KeyReturn)
	}
	mustShow(t, w, "Signed in as Olivia (owner).")
	if u, err := st.UserByName(ctx, "olivia"); err != nil || u.Role != app.RoleOwner || u.PINHash == "1234" {
		t.Errorf("the owner is stored as %+v, %v", u, err)
	}
	stored, _ := st.Settings(ctx)
	if stored.Shop.Name != "林记便利店" || stored.Shop.City != "上海" || co.Settings().Shop != stored.Shop {
		t.Errorf("the shop is stored as %+v, the sale has %+v", stored.Shop, co.Settings().Shop)
	}
	if shown := strings.Join(ui.Texts(till.Display().Window()), " "); !strings.Contains(shown, "林记便利店") {
		t.Errorf("the customer display does not name the shop: %s", shown)
	}
}

// withStaff adds a supervisor (Wang, 2222) and a cashier (Li, 3333) and locks the till.
func withStaff(t *testing.T, till *ui.Till, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	owner := app.SystemSession("Olivia")
	auth := app.NewAuth(st, "T01", testPINs(t), time.Now)
	if _, err := auth.AddUser(ctx, owner, "Wang", app.RoleSupervisor, "2222"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.AddUser(ctx, owner, "Li", app.RoleCashier, "3333"); err != nil {
		t.Fatal(err)
	}
	till.Lock()
}

// signInAs signs name in with pin on the locked till's window w.
func signInAs(t *testing.T, w fyne.Window, name, pin string) {
	t.Helper()
	retype(t, w, "Name", name)
	press(w, fyne.KeyReturn)
	typeIn(w, pin)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Signed in as "+name)
}

// A cashier signs in with her PIN; a discount above the limit asks for a supervisor, whose PIN applies it.
func TestCashierDiscountNeedsASupervisorsPIN(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	withStaff(t, till, st)
	mustShow(t, w, "Sign in", "Li (cashier)", "Wang (supervisor)")
	retype(t, w, "Name", "Li") // the name field holds the last user's name
	press(w, fyne.KeyReturn)
	typeIn(w, "9999")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Wrong PIN. Try again.")
	typeIn(w, "3333")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Signed in as Li (cashier).")

	scan(w, "6924743915763")
	press(w, fyne.KeyF5)
	typeIn(w, "50%")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Supervisor approval", "A discount above the limit needs a supervisor.")
	typeIn(w, "1111")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Wrong PIN. Try again.")
	typeIn(w, "2222")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "¥3.25") // half of the ¥6.50 chips
	if shows(w, "Supervisor approval") {
		t.Error("the approval dialog stayed open")
	}

	// Esc out of an approval changes nothing.
	press(w, fyne.KeyF5)
	typeIn(w, "=0.50")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "A price change needs a supervisor.")
	press(w, fyne.KeyEscape)
	if shows(w, "price was") {
		t.Errorf("a price override went through without approval: %v", screen(w))
	}
	// With Wang's PIN the price changes, and the line says what it was.
	press(w, fyne.KeyF5)
	typeIn(w, "=0.50")
	press(w, fyne.KeyReturn)
	typeIn(w, "2222")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Lay's chips 70g (price was ¥6.50)", "*¥0.50")
}

// The till locks itself after the shop's idle time; the same cashier's PIN lets her back to her sale.
func TestIdleTillLocks(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	withStaff(t, till, st)
	signInAs(t, w, "Li", "3333")
	scan(w, "6924743915763")
	keys.at = keys.at.Add(4 * time.Minute)
	keys.pause()
	if shows(w, "Sign in") {
		t.Fatal("locked before the idle time")
	}
	keys.at = keys.at.Add(2 * time.Minute)
	keys.pause()
	mustShow(t, w, "Sign in", "A sale of 1 lines is waiting.")
	scan(w, "6924743915763") // scans while locked sell nothing
	retype(t, w, "Name", "Wang")
	press(w, fyne.KeyReturn)
	typeIn(w, "2222")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Signed in as Wang (supervisor).")
	mustShow(t, w, "Lay's chips 70g", "¥6.50")
}

// The owner adds a cashier on the users page (F1 in the back office), makes her inactive, and she can
// no longer sign in; a cashier on the same page is asked for an owner.
func TestOwnerManagesUsers(t *testing.T) {
	till, st, w := openBackOffice(t)
	ctx := context.Background()
	press(w, fyne.KeyF1)
	mustShow(t, w, "Users (F1)", "Name", "Role")
	typeIn(w, "Li")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "A new user: role and PIN, then F12.")
	w.Canvas().Focus(entry(t, w, "New PIN (empty: keep)"))
	typeIn(w, "12")
	press(w, fyne.KeyF12)
	mustShow(t, w, "A PIN is 4 to 6 digits.")
	typeIn(w, "34")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Li saved as cashier.", "Li                       cashier                 active")
	if u, err := st.UserByName(ctx, "Li"); err != nil || u.Role != app.RoleCashier || !u.Active {
		t.Fatalf("Li is stored as %+v, %v", u, err)
	}
	press(w, fyne.KeyF9)
	mustShow(t, w, "Li changed.", "inactive")
	auth := app.NewAuth(st, "T01", testPINs(t), time.Now)
	if _, err := auth.SignIn(ctx, "Li", "1234"); err == nil {
		t.Error("an inactive user signed in")
	}
	press(w, fyne.KeyF9)
	mustShow(t, w, "active")

	// Li, a cashier, may not add users: the page asks for someone who may.
	till.Lock()
	if till.BackOffice() != nil {
		t.Error("the back office stayed open while the till is locked")
	}
	tw := till.Window()
	signInAs(t, tw, "Li", "1234")
	press(tw, fyne.KeyF4)
	w = till.BackOffice().Window()
	press(w, fyne.KeyF1)
	typeIn(w, "Zhao")
	press(w, fyne.KeyReturn)
	w.Canvas().Focus(entry(t, w, "New PIN (empty: keep)"))
	typeIn(w, "5555")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Managing users needs a supervisor.", "Supervisor approval")
	if _, err := st.UserByName(ctx, "Zhao"); err == nil {
		t.Error("a cashier added a user")
	}
}

func TestKioskIsFullScreen(t *testing.T) {
	till, _ := newTill(t)
	till.Kiosk()
	if !till.Window().FullScreen() || !till.Display().Window().FullScreen() {
		t.Error("kiosk mode left a window in a frame")
	}
}

// The owner turns two-factor sign-in on from the users page by scanning the QR code (here: reading the
// key off the screen) and typing a code; at the next sign-in the back office asks for a fresh code.
func TestTwoFactorSignInForTheBackOffice(t *testing.T) {
	till, st := newTill(t, withStock, func(s *setup) {
		if err := s.svc.Staff.(*app.Auth).SetSealKey([]byte("card key")); err != nil {
			t.Fatal(err)
		}
	})
	ctx := context.Background()
	auth := app.NewAuth(st, "T01", testPINs(t), time.Now)
	if _, err := auth.AddUser(ctx, app.SystemSession("setup"), "Olivia", app.RoleOwner, "1111"); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	signIn := func() {
		till.Lock()
		retype(t, w, "Name", "Olivia")
		press(w, fyne.KeyReturn)
		typeIn(w, "1111")
		press(w, fyne.KeyReturn)
		mustShow(t, w, "Signed in as Olivia (owner).")
	}
	signIn()
	press(w, fyne.KeyF4)
	ow := till.BackOffice().Window()
	press(ow, fyne.KeyF1)
	typeIn(ow, "Olivia")
	press(ow, fyne.KeyReturn)
	press(ow, fyne.KeyF11)
	var secret string
	texts := screen(ow)
	for i, s := range texts[:len(texts)-1] {
		if s == "Or type this key into the app:" {
			secret = texts[i+1]
		}
	}
	if secret == "" {
		t.Fatalf("no key on screen: %v", screen(ow))
	}
	typeIn(ow, "000000")
	press(ow, fyne.KeyReturn)
	mustShow(t, ow, "Wrong code. Type the 6 digits the app shows now.")
	code, _ := app.TOTPCode(secret, time.Now())
	typeIn(ow, code)
	press(ow, fyne.KeyReturn)
	mustShow(t, ow, "Two-factor sign-in is on: the back office asks for a code once per sign-in.", "Olivia                   owner        on")

	signIn() // locking closed the back office
	press(w, fyne.KeyF4)
	if till.BackOffice() != nil {
		t.Fatal("the back office opened without the code")
	}
	mustShow(t, w, "The code from your authenticator app for the back office:")
	typeIn(w, code) // used already
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Wrong code. Type the 6 digits the app shows now.")
	next, _ := app.TOTPCode(secret, time.Now().Add(30*time.Second))
	typeIn(w, next)
	press(w, fyne.KeyReturn)
	if till.BackOffice() == nil {
		t.Fatalf("the right code did not open the back office: %v", screen(w))
	}
}

// A supervisor's discount that would sell a line below cost is stopped by the guard: the approval
// dialog says why, another supervisor approves it by PIN, the discount applies, and the day's alarms
// name who approved it.
func TestGuardStopsASupervisorsDiscountBelowCost(t *testing.T) {
	till, st := newTill(t, withStock, withReports, func(s *setup) { s.guard = true })
	ctx := context.Background()
	w := till.Window()
	if _, err := st.AddProducts(ctx, []app.CatalogEntry{{Product: app.Product{SKU: "TEA-001", Name: "Oolong tea 500ml", NameZH: "乌龙茶 500ml",
		Price: cny(650), Cost: cny(433), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6901234567892"}}}); err != nil {
		t.Fatal(err)
	}
	withStaff(t, till, st)
	if _, err := app.NewAuth(st, "T01", testPINs(t), time.Now).AddUser(ctx, app.SystemSession("Olivia"), "Zhao", app.RoleSupervisor, "4444"); err != nil {
		t.Fatal(err)
	}
	signInAs(t, w, "Wang", "2222")
	scan(w, "6901234567892")
	press(w, fyne.KeyF5)
	typeIn(w, "50%")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Supervisor approval", "The guard stopped this: TEA-001 would sell at 3.25, below its cost")
	if shows(w, "¥3.25") {
		t.Fatal("the discount applied before it was approved")
	}
	typeIn(w, "4444") // Zhao, the one other supervisor, is offered
	press(w, fyne.KeyReturn)
	mustShow(t, w, "¥3.25") // approved, the discount is applied
	from, to := app.DayBounds(time.Now())
	alarms, err := st.Alarms(ctx, from, to)
	if err != nil || len(alarms) != 1 || alarms[0].Kind != app.AlarmBelowCost || alarms[0].Cashier != "Wang" || alarms[0].ApprovedBy != "Zhao" {
		t.Fatalf("alarms %+v, %v", alarms, err)
	}
	// The day page lists it.
	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	mustShow(t, o, "Stopped by the guard")
	found := false
	for _, r := range ui.GridRows(o) {
		found = found || (len(r) == 5 && r[1] == "Wang" && r[2] == "Below cost" && r[4] == "Zhao")
	}
	if !found {
		t.Errorf("the day page's alarms: %q", ui.GridRows(o))
	}
}
