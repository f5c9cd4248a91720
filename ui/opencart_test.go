package ui_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/store"
	"checkout/ui"
)

// restartable is a till whose database outlives it: each start opens the same file again, with a new
// store, checkout and screens, as the till does after a crash.
type restartable struct {
	t    *testing.T
	path string
}

// start opens the database and builds the till on it, keeping the sale in progress as the open cart.
// Nothing it opens is closed before the next start: the till before it stopped as a crash stops it.
func (r restartable) start() (*ui.Till, *app.Checkout, *app.CartKeeper, *store.Store) {
	t := r.t
	ctx := context.Background()
	st, err := store.Open(ctx, r.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	k := app.NewCartKeeper(st, set.Till, func(err error) { t.Errorf("keeping the open cart: %v", err) })
	t.Cleanup(func() { k.Close() })
	co.SetKeeper(k)
	keys = &keyboard{at: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), step: humanKeyGap}
	till := ui.NewTill(fyne.CurrentApp(), co, ui.Services{Selling: st, Staff: app.NewAuth(st, set.Till, testPINs(t), time.Now)},
		ui.Options{Language: "en", KeyClock: keys.now, After: keys.after, Background: func(f func()) { f() }})
	return till, co, k, st
}

// addStaff stores the shop's owner (Olivia, 1111) and a cashier (Li, 3333).
func addStaff(t *testing.T, st *store.Store) {
	t.Helper()
	auth := app.NewAuth(st, "T01", testPINs(t), time.Now)
	for _, u := range []struct {
		name string
		role app.Role
		pin  string
	}{{"Olivia", app.RoleOwner, "1111"}, {"Li", app.RoleCashier, "3333"}} {
		if _, err := auth.AddUser(context.Background(), app.SystemSession("Olivia"), u.name, u.role, u.pin); err != nil {
			t.Fatal(err)
		}
	}
}

// The till stops (a crash, a power cut) with two items scanned: at the next start, the cashier signs in
// and the sale is back, both lines, and she is told. Once it is paid, the start after that begins empty.
func TestTheSaleInProgressIsBackAfterARestart(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	r := restartable{t: t, path: filepath.Join(t.TempDir(), "till.db")}
	st, err := store.Open(ctx, r.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddProducts(ctx, shelf); err != nil {
		t.Fatal(err)
	}
	addStaff(t, st)
	st.Close()

	till, co, keeper, _ := r.start()
	w := till.Window()
	signInAs(t, w, "Li", "3333")
	scan(w, "5449000000996") // cola ¥3.00
	scan(w, "6924743915763") // chips ¥6.50
	mustShow(t, w, "Coca-Cola 330ml can", "Lay's chips 70g", "¥9.50")
	keeper.Flush() // a few milliseconds after the last scan, the till stops: nothing parked, nothing closed
	before := co.Lines()

	till, co, _, _ = r.start()
	w = till.Window()
	mustShow(t, w, "Sign in")
	if len(co.Lines()) != 0 {
		t.Fatal("the sale came back before anyone signed in")
	}
	signInAs(t, w, "Li", "3333")
	mustShow(t, w, "The sale in progress when the till stopped is back: 2 lines.", "Coca-Cola 330ml can", "Lay's chips 70g", "¥9.50")
	if len(co.Lines()) != len(before) {
		t.Fatalf("%d lines back", len(co.Lines()))
	}
	press(w, fyne.KeyF12)
	typeIn(w, "10")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.50 · receipt T01-000001")

	till, co, _, _ = r.start()
	w = till.Window()
	signInAs(t, w, "Li", "3333")
	if len(co.Lines()) != 0 || shows(w, "till stopped") || shows(w, "Lay's chips") {
		t.Fatalf("a paid sale came back: %d lines, %v", len(co.Lines()), screen(w))
	}
}

// A payment was taken before the till stopped: the sale is not resumed; the cashier is told it is
// parked for a supervisor.
func TestASaleWithAPaymentIsParkedForASupervisorAfterARestart(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	r := restartable{t: t, path: filepath.Join(t.TempDir(), "till.db")}
	st, err := store.Open(ctx, r.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddProducts(ctx, shelf); err != nil {
		t.Fatal(err)
	}
	addStaff(t, st)
	st.Close()

	till, co, keeper, _ := r.start()
	signInAs(t, till.Window(), "Li", "3333")
	scan(till.Window(), "6924743915763")
	if _, err := co.PayCashPart(cny(500)); err != nil {
		t.Fatal(err)
	}
	keeper.Flush()

	till, co, _, st = r.start()
	w := till.Window()
	signInAs(t, w, "Li", "3333")
	mustShow(t, w, "A payment was taken on the sale in progress when the till stopped: it is parked for a supervisor (F7).")
	if len(co.Lines()) != 0 {
		t.Fatalf("resumed without the supervisor: %d lines", len(co.Lines()))
	}
	if parked, err := st.ParkedAt(ctx, "T01"); err != nil || len(parked) != 1 || len(parked[0].Tenders) != 1 {
		t.Fatalf("parked: %+v, %v", parked, err)
	}
	press(w, fyne.KeyF7) // a cashier sees it in the list, and cannot bring it back
	mustShow(t, w, "Parked carts", "[payment taken: supervisor]  Lay's chips 70g")
	press(w, fyne.KeyReturn)
	if len(co.Lines()) != 0 || len(co.Tenders()) != 0 {
		t.Fatalf("a cashier resumed a sale with a payment: %d lines", len(co.Lines()))
	}
	press(w, fyne.KeyEscape)
	if parked, _ := st.ParkedAt(ctx, "T01"); len(parked) != 1 {
		t.Fatalf("the refused resume lost the cart: %+v", parked)
	}
}

// When the sale in progress cannot be written (a full disk), the cashier is told it is not safe against
// a crash; the sale stays on the screen.
func TestTheCashierIsToldWhenTheSaleIsNotKept(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	till.SaleNotKept(errors.New("database or disk is full"))
	mustShow(t, w, "The sale in progress could not be kept on disk (database or disk is full)", "Coca-Cola 330ml can")
}
