package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// The screens' own tests: each screen is built alone, in a headless window, with fakes of the app services
// it takes, and driven with Fyne's test driver. The tests of the whole till (package ui_test) run every
// screen together over a real store.

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

var (
	cola   = app.Product{ID: 1, SKU: "DRK-001", Name: "Coca-Cola 330ml can", Price: cny(300), Unit: app.UnitPiece, TaxClass: "standard", Active: true}
	banana = app.Product{ID: 2, SKU: "PRO-001", Name: "Banana", Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}
)

// shelf is an app.Catalog over a map of barcodes.
type shelf map[string]app.Product

func (s shelf) ProductByBarcode(_ context.Context, code string) (app.Product, error) {
	if p, ok := s[strings.TrimLeft(code, "0")]; ok {
		return p, nil
	}
	return app.Product{}, fmt.Errorf("%w: %s", app.ErrUnknownBarcode, code)
}

func (s shelf) SearchProducts(_ context.Context, query string, _ int) ([]app.Product, error) {
	var found []app.Product
	for _, p := range s {
		if query != "" && strings.Contains(strings.ToLower(p.Name+" "+p.SKU), strings.ToLower(query)) {
			found = append(found, p)
		}
	}
	slices.SortFunc(found, func(a, b app.Product) int { return strings.Compare(a.SKU, b.SKU) })
	return found, nil
}

// saleLog is an app.SaleLog keeping what it was given.
type saleLog struct {
	sales   []*app.Sale
	refunds []*app.Refund
}

func (l *saleLog) CommitSale(_ context.Context, s *app.Sale) error {
	s.Number = int64(len(l.sales) + 1)
	s.ReceiptNo = app.ReceiptNo(s.Till, s.Number)
	l.sales = append(l.sales, s)
	return nil
}

func (l *saleLog) RecordVoid(context.Context, app.Void) error     { return nil }
func (l *saleLog) RecordNoSale(context.Context, app.NoSale) error { return nil }
func (l *saleLog) CommitRefund(_ context.Context, r *app.Refund) error {
	r.Number = int64(len(l.refunds) + 1)
	r.ReceiptNo = app.RefundNo(r.Till, r.Number)
	l.refunds = append(l.refunds, r)
	return nil
}

// saleNotes stands for the sale screen: it records what dialogs tell it.
type saleNotes struct {
	said     []string
	failed   []error
	selected int
	members  int       // times the member on the sale was shown
	paid     *app.Sale // the last sale shown as stored
}

func (n *saleNotes) refresh()             {}
func (n *saleNotes) selectLine(i int)     { n.selected = i }
func (n *saleNotes) showMember()          { n.members++ }
func (n *saleNotes) fail(err error)       { n.failed = append(n.failed, err) }
func (n *saleNotes) showPaid(s *app.Sale) { n.paid = s }
func (n *saleNotes) say(text string, _ widget.Importance) {
	n.said = append(n.said, text)
}

// last is the latest line said, "" for none.
func (n *saleNotes) last() string {
	if len(n.said) == 0 {
		return ""
	}
	return n.said[len(n.said)-1]
}

// harness is one screen's world: a headless window and its shell, a checkout over shelf signed in as the
// owner, and the sale screen's stand-in.
type harness struct {
	t    *testing.T
	win  fyne.Window
	sh   *shell
	co   *app.Checkout
	log  *saleLog
	sale *saleNotes
	opt  Options
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	test.NewTempApp(t)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	opt := Options{Language: "en", Now: time.Now, WedgeGap: defaultWedgeGap,
		KeyClock:   func() time.Time { at = at.Add(150 * time.Millisecond); return at }, // a person typing, never a scanner
		After:      func(time.Duration, func()) {},
		Background: func(f func()) { f() }}
	win := test.NewWindow(widget.NewLabel(""))
	log := &saleLog{}
	co, err := app.NewCheckout(app.DefaultSettings(), shelf{"5449000000996": cola, "2000101000006": banana}, log, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	co.SetSession(app.SystemSession("Olivia"))
	return &harness{t: t, win: win, sh: newShell(win, opt, app.NewClassifier(app.DefaultSettings(), nil)), co: co, log: log, sale: &saleNotes{selected: -1}, opt: opt}
}

// typeIn types text into whatever has focus.
func (h *harness) typeIn(text string) {
	test.Type(h.win.Canvas().Focused(), text)
}

// press sends a key to whatever has focus.
func (h *harness) press(key fyne.KeyName) {
	h.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: key})
}

// mustShow fails unless the window shows each of wants.
func (h *harness) mustShow(wants ...string) {
	h.t.Helper()
	mustShowIn(h.t, h.win, wants...)
}

// Visit calls f on every visible object drawn in w, dialogs included, in drawing order. It is exported for
// the tests of the whole till (package ui_test) too.
func Visit(w fyne.Window, f func(fyne.CanvasObject)) {
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		f(o)
		switch x := o.(type) {
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
}

// Texts is every piece of text drawn in win, dialogs included, in drawing order (exported as Visit is).
func Texts(win fyne.Window) []string {
	var out []string
	Visit(win, func(o fyne.CanvasObject) {
		if x, ok := o.(*canvas.Text); ok && strings.TrimSpace(x.Text) != "" {
			out = append(out, x.Text)
		}
	})
	return out
}

// LargestText returns the text drawn largest in win, among what is visible.
func LargestText(win fyne.Window) (text string, size float32) {
	Visit(win, func(o fyne.CanvasObject) {
		if x, ok := o.(*canvas.Text); ok && strings.TrimSpace(x.Text) != "" && x.TextSize > size {
			text, size = x.Text, x.TextSize
		}
	})
	return text, size
}

// GridRows returns the texts of the rows of win's data grids, heading rows included; a cell that is not
// a label (a share bar) reads "".
func GridRows(win fyne.Window) [][]string {
	var rows [][]string
	Visit(win, func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok {
			return
		}
		l, ok := c.Layout.(*gridLayout)
		if !ok || c.Hidden {
			return
		}
		cells := c.Objects[l.bands:]
		for i := 0; i+l.cols <= len(cells); i += l.cols {
			var row []string
			for _, cell := range cells[i : i+l.cols] {
				text := ""
				if label, ok := cell.(*widget.Label); ok {
					text = label.Text
				}
				row = append(row, text)
			}
			rows = append(rows, row)
		}
	})
	return rows
}

// mustShowIn fails unless win shows each of wants.
func mustShowIn(t *testing.T, win fyne.Window, wants ...string) {
	t.Helper()
	shown := Texts(win)
	for _, want := range wants {
		if !slices.ContainsFunc(shown, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("the window does not show %q; it shows:\n%s", want, strings.Join(shown, " | "))
		}
	}
}
