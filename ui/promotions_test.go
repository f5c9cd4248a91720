package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/ui"
)

// openTab selects the back office's tab labelled label.
func openTab(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	var tabs *container.AppTabs
	visit(w, func(o fyne.CanvasObject) {
		if a, ok := o.(*container.AppTabs); ok {
			tabs = a
		}
	})
	for i, item := range tabs.Items {
		if item.Text == label {
			tabs.SelectIndex(i)
			return
		}
	}
	t.Fatalf("no tab %q", label)
}

// choose picks option in the select showing placeholder or a current option of the same list.
func choose(t *testing.T, w fyne.Window, option string) {
	t.Helper()
	var found *widget.Select
	visit(w, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && found == nil {
			for _, opt := range s.Options {
				if opt == option {
					found = s
				}
			}
		}
	})
	if found == nil {
		t.Fatalf("no select offers %q", option)
	}
	found.SetSelected(option)
}

func TestOwnerSetsUpAPromotionTheTillApplies(t *testing.T) {
	till, st := newTill(t, withStock, withPromotions)
	w := till.Window()
	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	openTab(t, o, "Promotions")
	mustShow(t, o, "No promotions yet")
	choose(t, o, "Buy N, get M off")
	// Only the fields a buy-get uses are on the form.
	if text := strings.Join(screen(o), "|"); strings.Contains(text, "Amount off") || strings.Contains(text, "Spend:save") {
		t.Errorf("fields a buy-get does not use show: %s", text)
	}
	retype(t, o, "e.g. Second cola half price", "Second cola half price")
	retype(t, o, "例如 可乐第二件半价", "可乐第二件半价")
	retype(t, o, "Barcodes or SKUs, separated by commas", "5449000000996")
	retype(t, o, "e.g. 3", "1")
	retype(t, o, "e.g. 1", "1")
	retype(t, o, "e.g. 50%", "50")
	press(o, fyne.KeyF12)
	mustShow(t, o, "Promotion 1 saved: Second cola half price. Sales from now on apply it.")
	mustShow(t, o, "Buy N, get M off")

	scan(w, "5449000000996")
	scan(w, "5449000000996")
	mustShow(t, w, "Second cola half price", "¥4.50")
	// The shopper sees the saving by name, and what they saved.
	mustShow(t, till.Display().Window(), "Second cola half price −¥1.50", "You saved ¥1.50")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn) // ¥4.50 cash
	sale, err := st.SaleByReceipt(context.Background(), "T01-000001")
	if err != nil {
		t.Fatal(err)
	}
	if p := sale.Lines[0].Promotions; len(p) != 1 || p[0].NameZH != "可乐第二件半价" || p[0].Amount != cny(150) {
		t.Fatalf("stored promotions %+v", p)
	}

	// Turned off, the next sale pays full price.
	retype(t, o, "Promotion number", "1")
	press(o, fyne.KeyF9)
	mustShow(t, o, "Promotion 1 is off.")
	scan(w, "5449000000996")
	scan(w, "5449000000996")
	mustShow(t, w, "¥6.00")
	if n, err := st.VerifyJournal(context.Background()); err != nil || n < 3 {
		t.Fatalf("journal: %d rows, %v", n, err)
	}
}

// slowWork holds the till's background work until the test runs it, as a slow till finishes it later.
type slowWork struct{ queue []func() }

func (s *slowWork) start(f func()) { s.queue = append(s.queue, f) }

// finish runs the work held, and the work it starts, in the order it was started.
func (s *slowWork) finish() {
	for len(s.queue) > 0 {
		f := s.queue[0]
		s.queue = s.queue[1:]
		f()
	}
}

// button returns the window's button labelled text.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	visit(w, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q: %v", text, screen(w))
	}
	return found
}

// The page asks its service off the UI goroutine: nothing is read or saved until the background work
// runs, Save and On / off are disabled while theirs runs, and pressing again meanwhile does nothing.
func TestPromotionPageWorksInTheBackground(t *testing.T) {
	work := &slowWork{}
	till, st := newTill(t, withStock, withPromotions, func(s *setup) { s.opt.Background = work.start })
	ctx := context.Background()
	press(till.Window(), fyne.KeyF4)
	o := till.BackOffice().Window()
	openTab(t, o, "Promotions")
	if shows(o, "No promotions yet") {
		t.Fatal("the list was read on the UI goroutine")
	}
	work.finish()
	mustShow(t, o, "No promotions yet")

	choose(t, o, "Percentage off")
	retype(t, o, "e.g. Second cola half price", "Cola 10%")
	retype(t, o, "Barcodes or SKUs, separated by commas", "5449000000996")
	retype(t, o, "e.g. 50%", "10")
	save := button(t, o, "Save (F12)")
	press(o, fyne.KeyF12)
	if !save.Disabled() {
		t.Error("Save is enabled while the promotion saves")
	}
	press(o, fyne.KeyF12) // a second press while the first save runs
	test.Tap(save)
	if ps, err := st.PromotionList(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("saved on the UI goroutine: %+v, %v", ps, err)
	}
	work.finish()
	if ps, err := st.PromotionList(ctx); err != nil || len(ps) != 1 {
		t.Fatalf("after one save and two more presses: %+v, %v", ps, err)
	}
	if save.Disabled() {
		t.Error("Save stays disabled after the save")
	}
	mustShow(t, o, "Promotion 1 saved: Cola 10%.", "Percentage off")

	// A form the app refuses: the error is shown, and Save works again.
	retype(t, o, "Barcodes or SKUs, separated by commas", "")
	press(o, fyne.KeyF12)
	work.finish()
	mustShow(t, o, "Check the promotion:")
	if save.Disabled() {
		t.Error("Save stays disabled after a refused save")
	}

	retype(t, o, "Promotion number", "1")
	toggle := button(t, o, "On / off (F9)")
	press(o, fyne.KeyF9)
	if !toggle.Disabled() {
		t.Error("On / off is enabled while the promotion turns off")
	}
	press(o, fyne.KeyF9) // pressed again before the first is done: ignored, not turned on again
	if ps, _ := st.PromotionList(ctx); !ps[0].Active {
		t.Fatal("turned off on the UI goroutine")
	}
	work.finish()
	mustShow(t, o, "Promotion 1 is off.")
	if ps, _ := st.PromotionList(ctx); ps[0].Active {
		t.Fatal("the promotion is still on")
	}
	if toggle.Disabled() {
		t.Error("On / off stays disabled")
	}

	// A save and a toggle at once: the list ends as both left it.
	retype(t, o, "e.g. Second cola half price", "Cola 5%")
	retype(t, o, "Barcodes or SKUs, separated by commas", "5449000000996")
	retype(t, o, "e.g. 50%", "5")
	press(o, fyne.KeyF12)
	retype(t, o, "Promotion number", "1")
	press(o, fyne.KeyF9)
	work.finish()
	mustShow(t, o, "Promotion 1 is on.", "Cola 5%")
	if ps, _ := st.PromotionList(ctx); len(ps) != 2 || !ps[0].Active || !ps[1].Active {
		t.Fatalf("after a save and a toggle: %+v", ps)
	}
}

// The page copies the bundle's and the basket rule's fields as typed; the app reads them (the product
// fields a bundle hides are not part of it).
func TestPromotionPageSavesBundleAndBasket(t *testing.T) {
	till, st := newTill(t, withStock, withPromotions)
	press(till.Window(), fyne.KeyF4)
	o := till.BackOffice().Window()
	openTab(t, o, "Promotions")
	retype(t, o, "Barcodes or SKUs, separated by commas", "5449000000996") // typed for the first kind, then hidden
	choose(t, o, "Bundle (one from each group)")
	retype(t, o, "e.g. Second cola half price", "Meal deal")
	var groups []*ui.KeyEntry
	visit(o, func(c fyne.CanvasObject) {
		if e, ok := c.(*ui.KeyEntry); ok && strings.HasPrefix(e.PlaceHolder, "Barcodes or SKUs") {
			groups = append(groups, e)
		}
	})
	if len(groups) != 3 {
		t.Fatalf("%d group fields shown", len(groups))
	}
	groups[0].SetText("5449000000996")
	groups[1].SetText("2000101000006")
	retype(t, o, "e.g. 10.00", "8")
	press(o, fyne.KeyF12)
	mustShow(t, o, "Promotion 1 saved: Meal deal.")

	choose(t, o, "Spend X, save Y")
	retype(t, o, "e.g. Second cola half price", "满减")
	retype(t, o, "e.g. 100:10, 200:25", "100:10, 200:25")
	press(o, fyne.KeyF12)
	mustShow(t, o, "Promotion 2 saved: 满减.")
	ps, err := st.PromotionList(context.Background())
	if err != nil || len(ps) != 2 {
		t.Fatalf("%+v, %v", ps, err)
	}
	if b := ps[0].Rule; len(b.Groups) != 2 || len(b.Target.Products) != 0 || b.Price != 800 {
		t.Errorf("bundle %+v", b)
	}
	if s := ps[1].Rule; !s.Target.All || len(s.Target.Products) != 0 || len(s.Tiers) != 2 || s.Tiers[1].Off != 2500 {
		t.Errorf("basket rule %+v", s)
	}
}
