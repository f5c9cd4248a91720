package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
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
