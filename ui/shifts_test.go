package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/app/money"
)

// shiftDesk is an app.ShiftService in memory, recording who did what.
type shiftDesk struct {
	open *app.Shift
	done []string // "what user amount"
}

func (d *shiftDesk) CurrentShift(context.Context) (*app.Shift, error) {
	if d.open == nil {
		return nil, app.ErrNoShift
	}
	sh := *d.open
	return &sh, nil
}

func (d *shiftDesk) OpenShift(_ context.Context, s *app.Session, float money.Amount) (*app.Shift, error) {
	d.open = &app.Shift{Number: 3, User: s.Name(), Float: float, CashIn: cny(0), CashOut: cny(0), CashSales: cny(0)}
	d.open.Reckon()
	d.done = append(d.done, "open "+s.Name()+" "+float.Decimal())
	return d.CurrentShift(context.Background())
}

func (d *shiftDesk) MoveCash(_ context.Context, s *app.Session, kind app.CashMoveKind, amount money.Amount, reason string) (*app.CashMove, error) {
	if err := (app.CashMove{Kind: kind, Amount: amount, Reason: reason}).Check(); err != nil {
		return nil, err
	}
	d.open.CashOut = d.open.CashOut.Add(amount)
	d.open.Reckon()
	d.done = append(d.done, "cash_"+string(kind)+" "+s.Name()+" "+amount.Decimal()+" "+reason)
	return &app.CashMove{Kind: kind, Amount: amount, Reason: reason}, nil
}

func (d *shiftDesk) ReviewClose(_ context.Context, counts []app.DenominationCount) (*app.Shift, error) {
	sh, _ := d.CurrentShift(context.Background())
	sh.CountedTotal, _ = app.CountedTotal(counts, money.CNY)
	sh.ClosedAt = sh.OpenedAt.Add(1)
	sh.Reckon()
	return sh, nil
}

func (d *shiftDesk) CloseShift(ctx context.Context, s *app.Session, counts []app.DenominationCount) (*app.Shift, error) {
	sh, _ := d.ReviewClose(ctx, counts)
	d.open = nil
	d.done = append(d.done, "close "+s.Name()+" "+sh.CountedTotal.Decimal())
	return sh, nil
}

// The shift dialogs open a shift with its float, take cash out for a reason from the list, and close the
// shift on a blind count, each through the shift service in the signed-in user's name.
func TestShiftsOpenMoveAndClose(t *testing.T) {
	h := newHarness(t)
	desk := &shiftDesk{}
	s := &shifts{sh: h.sh, co: h.co, sale: h.sale, shifts: desk, language: "en"}

	s.start()
	h.mustShow("Open shift", "Count the cash in the drawer")
	h.typeIn("abc")
	h.press(fyne.KeyReturn)
	h.mustShow("Invalid amount.")
	if len(desk.done) != 0 {
		t.Fatalf("a float of abc reached the service: %v", desk.done)
	}
	h.win.Canvas().Focused().(*KeyEntry).SetText("500")
	h.press(fyne.KeyReturn)
	if h.sale.last() != "Shift 3 opened with a float of ¥500.00." || h.sh.busy() {
		t.Fatalf("after opening: %q, dialog open %v", h.sale.last(), h.sh.busy())
	}
	if actions := s.actions(); len(actions) != 3 || actions[1].label != "Cash out" {
		t.Fatalf("the menu's shift items with a shift open: %v", actions)
	}

	s.moveCash(app.CashOut)
	h.mustShow("Cash out", "2  Safe drop")
	h.typeIn("200")
	h.press(fyne.KeyTab)
	h.typeIn("2")
	h.press(fyne.KeyF12)
	if h.sale.last() != "Cash out: ¥200.00 (Safe drop). The drawer should hold ¥300.00." {
		t.Fatalf("after the cash out: %q", h.sale.last())
	}

	s.closeShift()
	h.mustShow("Count the drawer")
	h.typeIn("3") // three ¥100 notes
	h.press(fyne.KeyF12)
	h.mustShow("Expected ¥300.00 · counted ¥300.00 · no difference")
	h.press(fyne.KeyReturn)
	want := []string{"open Olivia 500.00", "cash_out Olivia 200.00 safe_drop", "close Olivia 300.00"}
	if len(desk.done) != len(want) || desk.done[0] != want[0] || desk.done[1] != want[1] || desk.done[2] != want[2] {
		t.Errorf("the service was asked %v, want %v", desk.done, want)
	}
	if a := s.actions(); len(a) != 1 || a[0].label != "Open shift" {
		t.Errorf("the menu's shift items with none open: %v", a)
	}
}
