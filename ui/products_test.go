package ui_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// categoryEntry returns the product editor's category field.
func categoryEntry(t *testing.T, w fyne.Window) *widget.SelectEntry {
	t.Helper()
	var found *widget.SelectEntry
	visit(w, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.SelectEntry); ok && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatal("no category field in the product editor")
	}
	return found
}

// The owner types a category and its Chinese name into the product editor; both are stored, the list
// shows the category in the UI language, and the editor opens on them again.
func TestProductEditorChineseCategory(t *testing.T) {
	till, st := newTill(t, withStock, func(s *setup) { s.opt.Language = "zh-Hans" })
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()

	typeIn(w, "xj") // pinyin initials of 香蕉: the banana, sold by weight
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Edit PRO-001", "Category in Chinese")
	category := categoryEntry(t, w)
	w.Canvas().Focus(category)
	typeIn(w, "produce")
	retype(t, w, "Category in Chinese", "生鲜果蔬")
	press(w, fyne.KeyReturn)
	if shows(w, "Edit PRO-001") {
		t.Fatalf("the editor stayed open: %v", screen(w))
	}
	p := product(t, st, "2000101000006")
	if p.Category != "produce" || p.CategoryZH != "生鲜果蔬" || p.Unit != app.UnitKg || p.Price != cny(698) {
		t.Fatalf("saved %+v", p)
	}
	// The list is in Chinese: the Chinese category, not the English one.
	press(w, fyne.KeyEscape) // clear the search: the whole list
	mustShow(t, w, "生鲜果蔬", "香蕉")
	if slices.Contains(screen(w), "produce") {
		t.Errorf("the Chinese list shows the English category: %v", screen(w))
	}

	// The editor shows both again; clearing the Chinese name leaves the English one to show.
	typeIn(w, "xj")
	press(w, fyne.KeyReturn)
	if got := entry(t, w, "Category in Chinese").Text; got != "生鲜果蔬" || categoryEntry(t, w).Text != "produce" {
		t.Fatalf("the editor opened on %q / %q", categoryEntry(t, w).Text, got)
	}
	retype(t, w, "Category in Chinese", "")
	press(w, fyne.KeyReturn)
	if p := product(t, st, "2000101000006"); p.CategoryZH != "" || p.Category != "produce" {
		t.Fatalf("after clearing: %+v", p)
	}
	press(w, fyne.KeyEscape)
	mustShow(t, w, "produce")

	// A NUL typed into it is refused with the reason, and nothing is saved.
	typeIn(w, "xj")
	press(w, fyne.KeyReturn)
	retype(t, w, "Category in Chinese", "生鲜\x00果蔬")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Not saved: category_zh: control character U+0000")
	if p := product(t, st, "2000101000006"); p.CategoryZH != "" {
		t.Fatalf("a refused form stored %q", p.CategoryZH)
	}
}

// Under English the list shows the English category of a product that has both, and the Chinese one of
// a product that has only that.
func TestProductListCategoryInEnglish(t *testing.T) {
	till, st := newTill(t, withStock)
	ctx := context.Background()
	for code, names := range map[string][2]string{"5449000000996": {"drinks", "饮料"}, "6924743915763": {"", "零食"}} {
		e, err := st.ProductDetail(ctx, product(t, st, code).ID)
		if err != nil {
			t.Fatal(err)
		}
		e.Product.Category, e.Product.CategoryZH = names[0], names[1]
		if _, err := st.SaveProduct(ctx, e, "owner", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()
	mustShow(t, w, "drinks", "零食")
	if slices.Contains(screen(w), "饮料") {
		t.Errorf("the English list shows a Chinese category: %v", screen(w))
	}
}

// fakeLabels is a label printer that keeps what it is asked to print, saving a picture (saved set) or
// failing (err set) as told.
type fakeLabels struct {
	printed []app.CatalogEntry
	since   []time.Time // the days PrintChanged was asked for
	changed int         // how many products it says changed
	saved   string
	err     error
}

func (f *fakeLabels) PrintChanged(since time.Time) (int, string, error) {
	f.since = append(f.since, since)
	return f.changed, f.saved, f.err
}

func (f *fakeLabels) PrintLabel(e app.CatalogEntry) (string, error) {
	f.printed = append(f.printed, e)
	return f.saved, f.err
}

// The labels for price changes since a day typed (today when none) are asked for, and the page says how
// many went where; a day that is not one asks again.
func TestProductsPageLabelsForPriceChanges(t *testing.T) {
	labels := &fakeLabels{changed: 12}
	till, _ := newTill(t, withStock, func(s *setup) { s.opt.Labels = labels })
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()
	retype(t, w, "YYYY-MM-DD (empty: today)", "12/01/2026")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Type the day as YYYY-MM-DD")
	if len(labels.since) != 0 {
		t.Fatalf("asked for %v", labels.since)
	}
	retype(t, w, "YYYY-MM-DD (empty: today)", "2026-12-01")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "12 shelf labels for the prices changed since 2026-12-01 are printing.")
	if len(labels.since) != 1 || labels.since[0].Format(time.DateOnly) != "2026-12-01" {
		t.Fatalf("asked for %v", labels.since)
	}
	labels.changed, labels.saved = 0, ""
	test.Tap(findButton(t, w, "Labels for price changes since"))
	mustShow(t, w, "No price has changed since 2026-12-01.")
}

// F9 on the products page prints the selected product's shelf label, with its barcodes, and says
// where it went: printing, saved as a picture, or why not.
func TestProductsPageShelfLabel(t *testing.T) {
	labels := &fakeLabels{}
	till, _ := newTill(t, withStock, func(s *setup) { s.opt.Labels = labels })
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()
	mustShow(t, w, "Shelf label (F9)")

	press(w, fyne.KeyF9) // nothing selected: nothing printed
	if len(labels.printed) != 0 {
		t.Fatalf("printed %+v with nothing selected", labels.printed)
	}
	typeIn(w, "DRK-001")
	press(w, fyne.KeyDown)
	press(w, fyne.KeyF9)
	if len(labels.printed) != 1 || labels.printed[0].Product.SKU != "DRK-001" || !slices.Contains(labels.printed[0].Barcodes, "5449000000996") {
		t.Fatalf("printed %+v", labels.printed)
	}
	mustShow(t, w, "DRK-001's shelf label is printing.")

	labels.saved = "/tmp/labels/DRK-001.png"
	press(w, fyne.KeyF9)
	mustShow(t, w, "DRK-001's shelf label is saved as /tmp/labels/DRK-001.png")

	labels.saved, labels.err = "", errors.New("label printer tcp://10.0.0.9:9100: connection refused")
	press(w, fyne.KeyF9)
	mustShow(t, w, "The shelf label was not printed: label printer tcp://10.0.0.9:9100: connection refused")

	// A printer that takes nothing: the page says what to look at.
	labels.err = fmt.Errorf("label printer /dev/ttyUSB1: label 1 of 1: took nothing for 5s: %w", app.ErrPrinterOffline)
	press(w, fyne.KeyF9)
	mustShow(t, w, "The label printer takes nothing: is it switched on, connected and loaded with labels?")
}

// Without a label printer service the page has no label action, and F9 does nothing.
func TestProductsPageWithoutLabels(t *testing.T) {
	till, _ := newTill(t, withStock)
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()
	typeIn(w, "DRK-001")
	press(w, fyne.KeyDown)
	press(w, fyne.KeyF9)
	if shows(w, "Shelf label") || shows(w, "shelf label") {
		t.Errorf("a till without labels shows them: %v", screen(w))
	}
}

// The product editor offers the price units: the banana becomes priced per 斤, the list says so, and the
// editor opens on it again.
func TestProductEditorPricePerJin(t *testing.T) {
	till, st := newTill(t, withStock)
	press(till.Window(), fyne.KeyF4)
	w := till.BackOffice().Window()
	unitSelect := func() *widget.Select {
		var found *widget.Select
		visit(w, func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, "jin") {
				found = s
			}
		})
		if found == nil {
			t.Fatal("no unit with jin in the product editor")
		}
		return found
	}
	typeIn(w, "banana")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Edit PRO-001")
	if u := unitSelect(); u.Selected != "kg" || !slices.Equal(u.Options, []string{"piece", "kg", "jin", "100g"}) {
		t.Fatalf("unit %q of %v", u.Selected, u.Options)
	}
	unitSelect().SetSelected("jin")
	press(w, fyne.KeyReturn)
	if p := product(t, st, "2000101000006"); p.Unit != app.UnitKg || p.PriceUnit != app.PerJin || p.Price != cny(698) {
		t.Fatalf("saved %+v", p)
	}
	press(w, fyne.KeyEscape)
	mustShow(t, w, "¥6.98/jin")
	typeIn(w, "banana")
	press(w, fyne.KeyReturn)
	if u := unitSelect(); u.Selected != "jin" {
		t.Errorf("the editor opened on %q", u.Selected)
	}
}
