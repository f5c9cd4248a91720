package ui_test

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	f := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// labelColor is the colour Fyne draws a label of that importance in.
func labelColor(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

// Every label and text on the sale screen and the customer display, in every importance the till uses
// and in both theme variants, has a contrast of at least 4.5:1 against the window, field and dialog
// backgrounds: hints, the status bar and the VAT breakdown included.
func TestTextContrastIsReadable(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	th := fyne.CurrentApp().Settings().Theme()
	var names []fyne.ThemeColorName
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			names = append(names, labelColor(v.Importance))
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(w.Content())
	walk(till.Display().Window().Content())
	if len(names) < 10 {
		t.Fatalf("found only %d labels", len(names))
	}
	// The importances the screens set later (messages, warnings, the backups), and an entry's placeholder.
	names = append(names, theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess, theme.ColorNamePrimary,
		theme.ColorNameDisabled, theme.ColorNamePlaceHolder, theme.ColorNameForeground)
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground} {
			for _, name := range names {
				if c := contrast(th.Color(name, variant), th.Color(bg, variant)); c < 4.5 {
					t.Errorf("variant %d: %s on %s is %.2f:1, under 4.5:1", variant, name, bg, c)
				}
			}
		}
	}
	// Buttons: their labels on their own colours.
	for _, variant := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		for fg, bg := range map[fyne.ThemeColorName]fyne.ThemeColorName{
			theme.ColorNameForegroundOnPrimary: theme.ColorNamePrimary, theme.ColorNameForeground: theme.ColorNameButton} {
			if c := contrast(th.Color(fg, variant), th.Color(bg, variant)); c < 4.5 {
				t.Errorf("variant %d: %s on %s is %.2f:1, under 4.5:1", variant, fg, bg, c)
			}
		}
	}
}

// Every button on the sale screen and in the payment dialog is a touch target, 48 px high or more, and
// Pay is the tallest on the sale screen; the payment dialog has a tile for each way to pay.
func TestButtonsAreTouchTargets(t *testing.T) {
	till, _ := newTill(t, withGateway)
	w := till.Window()
	w.Resize(fyne.NewSize(1024, 768))
	scan(w, "5449000000996")
	buttons := buttonsUnder
	var pay float32
	sale := buttons(w.Content())
	for _, b := range sale {
		if h := b.Size().Height; h < 48 {
			t.Errorf("sale screen button %q is %.0f px high", b.Text, h)
		}
		if strings.HasPrefix(b.Text, "Pay") {
			pay = b.Size().Height
		}
	}
	if len(sale) < 8 || pay < 72 {
		t.Fatalf("%d buttons on the sale screen, Pay %.0f px high", len(sale), pay)
	}
	press(w, fyne.KeyF12)
	overlay := w.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no payment dialog")
	}
	tiles := map[string]bool{}
	for _, b := range buttons(overlay) {
		if h := b.Size().Height; h < 48 && b.Text != "" {
			t.Errorf("payment dialog button %q is %.0f px high", b.Text, h)
		}
		tiles[b.Text] = true
	}
	for _, want := range []string{"Cash (Enter)", "Part in cash (F4)", "Card (F6)", "QR code (F7)", "Pay code (F5)"} {
		if !tiles[want] {
			t.Errorf("no %q tile in the payment dialog: %v", want, tiles)
		}
	}
}

// The owner's day page is used by touch too: its period, stepping, PDF and report buttons are 48 px high.
func TestDayPageButtonsAreTouchTargets(t *testing.T) {
	till, _ := newTill(t, withStock, withReports)
	press(till.Window(), fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	o.Resize(fyne.NewSize(1366, 768))
	n := 0
	for _, b := range buttonsUnder(o.Content()) {
		if !b.Visible() || b.Size().Height == 0 {
			continue
		}
		n++
		if h := b.Size().Height; h < 48 {
			t.Errorf("day page button %q is %.0f px high", b.Text, h)
		}
	}
	if n < 8 {
		t.Errorf("only %d buttons on the day page", n)
	}
}

// With the on-screen keypad (a touch screen), the amount tendered and a quantity are typed by touch.
func TestKeypadTypesByTouch(t *testing.T) {
	till, st := newTill(t, func(s *setup) { s.opt.Keypad = true })
	w := till.Window()
	scan(w, "6924743915763") // chips ¥6.50
	typeIn(w, "*")
	mustShow(t, w, "Quantity of Lay's chips 70g")
	overlay := func() fyne.CanvasObject { return w.Canvas().Overlays().Top() }
	tap := func(label string) {
		t.Helper()
		for _, b := range buttonsUnder(overlay()) {
			if b.Text == label {
				test.Tap(b)
				return
			}
		}
		t.Fatalf("no key %q", label)
	}
	tap("⌫")
	tap("2")
	tap("OK (Enter)")
	mustShow(t, w, "¥13.00", "2 (1 lines)")
	press(w, fyne.KeyF12)
	tap("2")
	tap("0")
	mustShow(t, w, "Change: ¥7.00")
	tap("OK (Enter)")
	mustShow(t, w, "Paid. Change ¥7.00 · receipt T01-000001")
	if sale := storedSale(t, st, "T01-000001"); sale.Tenders[0].Tendered.Minor() != 2000 {
		t.Fatalf("tendered %v", sale.Tenders[0].Tendered)
	}
}

// buttonsUnder lists the buttons under root.
func buttonsUnder(root fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			out = append(out, v)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return out
}
