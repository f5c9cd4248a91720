package ui_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/store"
	"checkout/ui"
)

// shiftTill is a till that keeps shifts in its store, with the owner, Olivia, signed in.
func shiftTill(t *testing.T) (*ui.Till, *store.Store) {
	t.Helper()
	return newTill(t, func(s *setup) { s.svc.Shifts = app.NewShiftDesk(s.set, s.st, time.Now) })
}

func TestShiftOpenCashOutAndClose(t *testing.T) {
	till, st := shiftTill(t)
	w := till.Window()
	ctx := context.Background()

	// No shift is open: the till asks for the float before the first sale.
	mustShow(t, w, "Open shift", "Count the cash in the drawer")
	typeIn(w, "abc")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Invalid amount.")
	till.Window().Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
	typeIn(w, "500")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Shift 1 opened with a float of ¥500.00.")
	sh, err := st.CurrentShift(ctx, time.Now())
	if err != nil || sh.Float != cny(50000) || sh.User != "Olivia" {
		t.Fatalf("open shift %+v, %v", sh, err)
	}

	// A cash sale: 6.50 paid with 10.00, the drawer keeps 6.50.
	scan(w, "6924743915763")
	press(w, fyne.KeyF12)
	typeIn(w, "10")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥3.50")

	// F1 → 2 Cash out: 200 to the safe (reason 2).
	press(w, fyne.KeyF1)
	mustShow(t, w, "Till menu", "1  Cash in", "2  Cash out", "3  Close shift")
	typeIn(w, "2")
	mustShow(t, w, "Cash out", "2  Safe drop")
	typeIn(w, "200")
	press(w, fyne.KeyReturn) // no reason yet
	mustShow(t, w, "Choose a reason from the list, or type one.")
	typeIn(w, "2")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Cash out: ¥200.00 (Safe drop). The drawer should hold ¥306.50.")

	// F1, ↓ ↓ Enter: close the shift. The count is blind: nothing says what to expect until F12.
	press(w, fyne.KeyF1)
	press(w, fyne.KeyDown)
	press(w, fyne.KeyDown)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Close shift", "¥100 ×", "¥0.5 ×", "Counted: ¥0.00")
	typeIn(w, "3") // 3 × 100
	press(w, fyne.KeyTab)
	press(w, fyne.KeyTab)
	press(w, fyne.KeyTab)
	press(w, fyne.KeyTab)
	typeIn(w, "1") // 1 × 5
	press(w, fyne.KeyDown)
	typeIn(w, "1") // 1 × 1
	press(w, fyne.KeyDown)
	typeIn(w, "x")
	mustShow(t, w, "Check the count")
	press(w, fyne.KeyBackspace)
	typeIn(w, "1") // 1 × 0.5
	mustShow(t, w, "Counted: ¥306.50")
	if shows(w, "Expected") {
		t.Error("the expected figure showed before the count was done")
	}
	press(w, fyne.KeyUp)
	press(w, fyne.KeyBackspace) // one yuan fewer: short by 1.00
	mustShow(t, w, "Counted: ¥305.50")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Expected ¥306.50 · counted ¥305.50 · short ¥1.00", "Close the shift with this count?")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Shift 1 closed: expected ¥306.50, counted ¥305.50, short ¥1.00.")

	closed, err := st.ShiftsClosedBetween(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || len(closed) != 1 || closed[0].OverShort != cny(-100) || closed[0].ClosedBy != "Olivia" || closed[0].CashOut != cny(20000) {
		t.Fatalf("closed shifts %+v, %v", closed, err)
	}
	if _, err := st.CurrentShift(ctx, time.Now()); !errors.Is(err, app.ErrNoShift) {
		t.Errorf("a shift is still open: %v", err)
	}
	x, err := st.XReport(ctx, time.Now())
	if err != nil || x.Drawer.Counted != cny(30550) || x.Drawer.OverShort != cny(-100) || x.Drawer.Open {
		t.Errorf("X report drawer %+v, %v", x.Drawer, err)
	}
	if _, err := st.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}

	// With no shift open, the menu offers to open the next.
	press(w, fyne.KeyF1)
	mustShow(t, w, "1  Open shift")
	press(w, fyne.KeyEscape)
	if shows(w, "1  Open shift") {
		t.Error("Esc did not close the till menu")
	}
}

func TestShiftCashInWithOwnReasonAndEscapes(t *testing.T) {
	till, st := shiftTill(t)
	w := till.Window()
	press(w, fyne.KeyEscape) // the float can wait
	if shows(w, "Open shift") {
		t.Fatal("Esc did not close the float dialog")
	}
	press(w, fyne.KeyF1)
	typeIn(w, "1") // Open shift
	typeIn(w, "0")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Shift 1 opened with a float of ¥0.00.")

	press(w, fyne.KeyF1)
	typeIn(w, "1") // Cash in
	typeIn(w, "50")
	press(w, fyne.KeyDown)
	typeIn(w, "6")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Choose a reason from the list, or type one.") // "Other" needs the words
	press(w, fyne.KeyBackspace)
	typeIn(w, "coins from the bank")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Cash in: ¥50.00 (coins from the bank). The drawer should hold ¥50.00.")

	// Esc at the count's review goes back to counting; Esc again leaves the shift open.
	press(w, fyne.KeyF1)
	typeIn(w, "3")
	typeIn(w, "1")
	press(w, fyne.KeyF12)
	mustShow(t, w, "over ¥50.00")
	typeIn(w, "9") // the count cannot change under the expected figure
	mustShow(t, w, "Counted: ¥100.00")
	press(w, fyne.KeyEscape)
	if shows(w, "Expected") {
		t.Error("Esc did not go back to the count")
	}
	press(w, fyne.KeyEscape)
	if _, err := st.CurrentShift(context.Background(), time.Now()); err != nil {
		t.Errorf("the shift closed on Esc: %v", err)
	}
}
