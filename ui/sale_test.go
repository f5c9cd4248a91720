package ui_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/store"
	"checkout/ui"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

var shelf = []app.CatalogEntry{
	{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", NameZH: "可口可乐 330ml罐装", Price: cny(300), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}},
	{Product: app.Product{SKU: "SNK-001", Name: "Lay's chips 70g", NameZH: "乐事薯片 70g", Price: cny(650), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915763"}},
	{Product: app.Product{SKU: "DRK-002", Name: "Nongfu Spring water 550ml", NameZH: "农夫山泉 550ml", Price: cny(200), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6921168509256"}},
	{Product: app.Product{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000101000006"}},
}

// testPepper is the tests' till.key pepper.
const testPepper = "the tests' till.key pepper, 32 bytes"

// testPINs are the PINs of the tests' till: every Auth a test makes must pepper with the same key.
func testPINs(t testing.TB) *app.PINs {
	t.Helper()
	pins, err := app.NewPINs([]byte(testPepper), app.DefaultSecurity())
	if err != nil {
		t.Fatal(err)
	}
	return pins
}

// setup is what newTill builds a till from, for a test's options to change first: its store and the
// shop's settings in it, the services the till has and the screens' options.
type setup struct {
	st    *store.Store
	set   app.Settings
	svc   ui.Services
	opt   ui.Options
	guard bool // the guard watches the sale (app.Guard, default rules)
	// accountUses is the head office the guard asks which tills used a member's account; nil: none.
	accountUses app.AccountUses
	promotions  bool // sales apply the store's promotions (app.Checkout.SetDealsSource)
}

// newTill starts the sale screen on a fresh temp-file store holding shelf, selling, parking and signing
// staff in; options add services or change options.
func newTill(t *testing.T, options ...func(*setup)) (*ui.Till, *store.Store) {
	t.Helper()
	return newShopTill(t, nil, options...)
}

// newShopTill is newTill for a shop with the settings given as key, value pairs.
func newShopTill(t *testing.T, settings [][2]string, options ...func(*setup)) (*ui.Till, *store.Store) {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.AddProducts(ctx, shelf); err != nil {
		t.Fatal(err)
	}
	if err := st.SearchIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	for _, kv := range settings {
		if _, err := st.SetSetting(ctx, kv[0], kv[1], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	// The owner is signed in (without a PIN check, which costs an argon2 hash); signin_test.go signs in for real.
	co.SetSession(app.SystemSession("Olivia"))
	keys = &keyboard{at: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), step: humanKeyGap}
	s := &setup{st: st, set: set,
		svc: ui.Services{Selling: st, Staff: app.NewAuth(st, set.Till, testPINs(t), time.Now)},
		opt: ui.Options{Language: "en", DeviceStatus: "Scanner: keyboard", KeyClock: keys.now, After: keys.after,
			Background: func(f func()) { f() }}} // slow work runs in place: the test goroutine stays the UI's
	for _, o := range options {
		o(s)
	}
	if s.promotions {
		co.SetDealsSource(st)
	}
	if s.guard {
		co.SetGuard(app.NewGuard(app.DefaultGuardRules(), set.Till, st, time.Now))
		co.SetAccountUses(s.accountUses)
	}
	till := ui.NewTill(fyne.CurrentApp(), co, s.svc, s.opt)
	return till, st
}

// withStock gives the till the back office's products and stock (F4), on its store.
func withStock(s *setup) { s.svc.Stock = app.NewStockroom(s.set, s.st, time.Now) }

// withPromotions gives the back office its promotions page, and the sales the promotions saved there.
func withPromotions(s *setup) {
	s.promotions = true
	s.svc.Promotions = app.NewPromotionDesk(s.set, s.st, s.st, app.NewStockroom(s.set, s.st, time.Now).FindProduct, time.Now)
}

// withReports gives the back office the day page, reading the store unguarded.
func withReports(s *setup) { s.svc.Reports = s.st }

// humanKeyGap is how fast the tests' cashier types; scannerKeyGap how fast a wedge scanner does.
const (
	humanKeyGap   = 150 * time.Millisecond
	scannerKeyGap = 2 * time.Millisecond
)

// keyboard is the till's key clock in tests: each reading advances it by step. Timers wait until the
// typist pauses, on the test's goroutine.
type keyboard struct {
	at     time.Time
	step   time.Duration
	timers []func()
}

// keys is the keyboard of the till the running test made.
var keys *keyboard

func (k *keyboard) now() time.Time {
	k.at = k.at.Add(k.step)
	return k.at
}

func (k *keyboard) after(_ time.Duration, f func()) { k.timers = append(k.timers, f) }

// pause lets time pass with no key: held keys act.
func (k *keyboard) pause() {
	k.at = k.at.Add(time.Second)
	timers := k.timers
	k.timers = nil
	for _, f := range timers {
		f()
	}
}

// visit calls f on every visible object drawn in w, dialogs included, in drawing order.
func visit(w fyne.Window, f func(fyne.CanvasObject)) { ui.Visit(w, f) }

// screen returns every piece of text drawn in w, dialogs included, in drawing order.
func screen(w fyne.Window) []string { return ui.Texts(w) }

// findButton returns the button labelled text that w shows.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	visit(w, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen: %s", text, strings.Join(screen(w), " | "))
	}
	return found
}

// shows reports whether some text drawn in w contains want.
func shows(w fyne.Window, want string) bool {
	return slices.ContainsFunc(screen(w), func(s string) bool { return strings.Contains(s, want) })
}

func mustShow(t *testing.T, w fyne.Window, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !shows(w, want) {
			t.Errorf("screen does not show %q; it shows:\n%s", want, strings.Join(screen(w), " | "))
		}
	}
}

// typeIn types text into whatever has focus, as a person would, then pauses.
func typeIn(w fyne.Window, text string) {
	for _, r := range text {
		typeRune(w, r)
	}
	keys.pause()
}

// typeRune types r as the desktop driver delivers it: a key press to TypedKey (Shift first where the US
// layout needs it), then the character to TypedRune.
func typeRune(w fyne.Window, r rune) {
	name, shifted := fyne.KeyName(strings.ToUpper(string(r))), unicode.IsUpper(r)
	switch r {
	case '+':
		name, shifted = fyne.KeyEqual, true
	case '*':
		name, shifted = fyne.Key8, true
	}
	if shifted {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: name})
	w.Canvas().Focused().TypedRune(r)
}

// wedgeScan types code and Enter into whatever has focus at a keyboard-wedge scanner's speed.
func wedgeScan(w fyne.Window, code string) {
	keys.step = scannerKeyGap
	defer func() { keys.step = humanKeyGap }()
	for _, r := range code {
		typeRune(w, r)
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// press sends a key to whatever has focus.
func press(w fyne.Window, key fyne.KeyName) {
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: key})
}

func scan(w fyne.Window, code string) {
	typeIn(w, code)
	press(w, fyne.KeyReturn)
}

func TestSaleScreenSellsForCash(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	mustShow(t, w, "Till T01", "Scanner: keyboard", "¥0.00")

	scan(w, "5449000000996") // cola ¥3.00
	scan(w, "6924743915763") // chips ¥6.50
	scan(w, "6921168509256") // water ¥2.00
	mustShow(t, w, "Coca-Cola 330ml can", "Lay's chips 70g", "Nongfu Spring water 550ml", "¥11.50")
	mustShow(t, till.Display().Window(), "Your items", "Coca-Cola 330ml can  × 1", "Lay's chips 70g  × 1", "Total ¥11.50", "Items: 3")

	// Select the chips (one line up from the water) and make it three: type 3, press F2.
	press(w, fyne.KeyUp)
	typeIn(w, "3")
	press(w, fyne.KeyF2)
	mustShow(t, w, "¥19.50", "¥24.50") // chips line 3 × 6.50; total 3 + 19.50 + 2
	if shows(w, "¥11.50") {
		t.Error("old total still shown after the quantity change")
	}

	press(w, fyne.KeyF12)
	mustShow(t, w, "Take payment", "Amount due (cash)", "Exact ¥24.50", "¥30.00", "¥50.00")
	typeIn(w, "50")
	mustShow(t, w, "Change: ¥25.50")
	press(w, fyne.KeyReturn)

	mustShow(t, w, "Paid. Change ¥25.50 · receipt T01-000001")
	if shows(w, "Take payment") {
		t.Error("payment dialog still open after paying")
	}
	// The change is the largest thing on both screens until the next sale starts.
	mustShow(t, till.Display().Window(), "Thank you!", "Your change ¥25.50", "Paid ¥24.50")
	mustShow(t, w, "Change", "¥25.50")
	for _, win := range []fyne.Window{w, till.Display().Window()} {
		if text, _ := ui.LargestText(win); !strings.Contains(text, "¥25.50") {
			t.Errorf("the largest thing on %q is %q, not the change", win.Title(), text)
		}
	}

	sale, err := st.SaleByReceipt(context.Background(), "T01-000001")
	if err != nil {
		t.Fatal(err)
	}
	if sale.Totals.Total != cny(2450) || sale.Change() != cny(2550) || len(sale.Lines) != 3 || sale.Lines[1].Qty != app.Pieces(3) {
		t.Errorf("stored sale: total %v change %v lines %+v", sale.Totals.Total, sale.Change(), sale.Lines)
	}
	// The screen is ready for the next shopper.
	mustShow(t, w, "¥0.00")
	scan(w, "5449000000996")
	mustShow(t, w, "Coca-Cola 330ml can", "¥3.00")
	if shows(w, "¥25.50") {
		t.Error("the change stayed after the next scan")
	}
}

func TestUnknownBarcodeShowsMessageAndAddsNothing(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "4006381333931")
	mustShow(t, w, "Unknown barcode: nothing was added.", "¥3.00")
	if shows(w, "¥6.00") {
		t.Error("the unknown code changed the total")
	}
	scan(w, "abc\x07")
	mustShow(t, w, "That is not a barcode.")
	press(w, fyne.KeyEscape)
	if shows(w, "That is not a barcode.") {
		t.Error("Esc did not clear the message")
	}
}

func TestWeighedProductAsksForWeight(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "2000101000006")
	mustShow(t, w, "Weight of Banana (kg)")
	typeIn(w, "abc")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Invalid quantity.")
	press(w, fyne.KeyEscape) // leave the weight dialog: nothing added
	mustShow(t, w, "¥0.00")

	scan(w, "2000101000006")
	typeIn(w, "0.455")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "0.455 kg", "¥6.98/kg", "¥3.18") // 6.98 × 0.455 = 3.1759

	// "QTY*CODE" typed in the scan field skips the dialog.
	scan(w, "1.2*2000101000006")
	mustShow(t, w, "1.200 kg", "¥8.38", "¥11.56")
	mustShow(t, till.Display().Window(), "Banana  × 0.455 kg", "Banana  × 1.200 kg", "Total ¥11.56")
}

// A product priced per 斤 is weighed in 斤 and priced per 斤 on the sale screen and the customer display;
// one priced per 100 g in grams.
func TestProductPricedPerJinSoldInJin(t *testing.T) {
	till, st := newTill(t)
	if _, err := st.AddProducts(context.Background(), []app.CatalogEntry{
		{Product: app.Product{SKU: "RIC-001", Name: "Rice", Price: money.New(699, money.CNY), Unit: app.UnitKg, PriceUnit: app.PerJin,
			TaxClass: "reduced", Active: true}, Barcodes: []string{"2000202000004"}},
		{Product: app.Product{SKU: "DEL-001", Name: "Olives", Price: money.New(150, money.CNY), Unit: app.UnitKg, PriceUnit: app.Per100g,
			TaxClass: "reduced", Active: true}, Barcodes: []string{"2000303000002"}},
	}); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	scan(w, "2000202000004")
	mustShow(t, w, "Weight of Rice (jin)")
	typeIn(w, "0.333") // 166.5 g: not a whole gram
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Invalid quantity.")
	press(w, fyne.KeyEscape)
	scan(w, "2000202000004")
	typeIn(w, "1.5")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "1.5 jin", "¥6.99/jin", "¥10.48") // 750 g: 6.99 × 1.5 = 10.485, half to even
	scan(w, "250*2000303000002")
	mustShow(t, w, "250 g", "¥1.50/100g", "¥3.75", "¥14.23")
	mustShow(t, till.Display().Window(), "Rice  × 1.5 jin  ¥6.99/jin", "Olives  × 250 g  ¥1.50/100g", "Total ¥14.23")
}

func TestEscLeavesPaymentAndVoidClearsTheSale(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	scan(w, "6924743915763")
	typeIn(w, "+") // '+' opens payment like F12
	mustShow(t, w, "Take payment")
	typeIn(w, "5")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Not enough")
	press(w, fyne.KeyEscape)
	if shows(w, "Take payment") {
		t.Fatal("Esc did not close the payment dialog")
	}
	sum, _ := st.SummariseSales(context.Background(), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if sum.Count != 0 {
		t.Fatalf("an unpaid sale was stored: %+v", sum)
	}

	press(w, fyne.KeyF9)
	mustShow(t, w, "Void this sale?")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Sale voided.", "¥0.00")
	if n, err := st.VerifyJournal(context.Background()); err != nil || n != 1 {
		t.Errorf("void journaled %d rows, %v", n, err)
	}
}

func TestSearchAddsAProduct(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	press(w, fyne.KeyF3)
	mustShow(t, w, "Find a product")
	typeIn(w, "water")
	mustShow(t, w, "Nongfu Spring water 550ml  ·  DRK-002")
	press(w, fyne.KeyReturn)
	if shows(w, "Find a product") {
		t.Fatal("search stayed open after choosing")
	}
	mustShow(t, w, "Nongfu Spring water 550ml", "¥2.00")

	// "drk" starts two SKUs, DRK-001 (cola) and DRK-002 (water): ↓ goes to the water, ↓ stays on the last,
	// ↑ comes back to the cola.
	press(w, fyne.KeyF3)
	typeIn(w, "drk")
	press(w, fyne.KeyDown)
	press(w, fyne.KeyDown)
	press(w, fyne.KeyUp)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Coca-Cola 330ml can", "¥5.00")
	press(w, fyne.KeyF3)
	press(w, fyne.KeyEscape)
	if shows(w, "Find a product") {
		t.Error("Esc did not close the search")
	}
}

func TestDeleteRemovesSelectedLineAndDiscountApplies(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "6924743915763")
	press(w, fyne.KeyF5) // discount on the selected (last) line
	typeIn(w, "10%")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "-¥0.65", "¥5.85", "¥8.85")
	// Subtotal is before the discounts, as on the receipt: ¥9.50 − ¥0.65 = ¥8.85.
	mustShow(t, w, "¥9.50")
	press(w, fyne.KeyUp)
	press(w, fyne.KeyDelete)
	mustShow(t, w, "Line removed.", "¥5.85")
	if shows(w, "Coca-Cola 330ml can") {
		t.Error("Del did not remove the selected line")
	}
}

func TestFailedCommitNeverSaysPaid(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	st.Close() // the disk is gone
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Take payment", "The sale is NOT saved. Press Enter to try again.")
	if shows(w, "Paid.") || shows(till.Display().Window(), "Thank you!") {
		t.Error("a sale that was not stored was shown as paid")
	}
	// The cashier can still see the sale: nothing was cleared.
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Coca-Cola 330ml can", "¥3.00")
}

func TestStarKeySetsQuantityInADialog(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "6924743915763")
	typeIn(w, "*") // on an empty scan field: the quantity of the selected line
	mustShow(t, w, "Quantity of Lay's chips 70g")
	typeIn(w, "4") // replaces the selected current value
	press(w, fyne.KeyReturn)
	mustShow(t, w, "¥26.00", "4 (1 lines)")
	if shows(w, "Quantity of") {
		t.Error("quantity dialog stayed open")
	}
	typeIn(w, "*")
	typeIn(w, "0")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Quantity of", "Invalid quantity.")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "¥26.00")
}

// A line over the shop's line limit (a quantity or price typed wrong) is confirmed: at the scan, Esc
// takes it off and Enter keeps it; in the quantity dialog the same quantity twice keeps it.
func TestLineOverTheLimitIsConfirmed(t *testing.T) {
	till, _ := newShopTill(t, [][2]string{{"line_limit", "50"}})
	w := till.Window()
	typeIn(w, "20*6924743915763") // 20 bags of chips at ¥6.50: ¥130.00
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Lay's chips 70g comes to ¥130.00 on one line, more than ¥50.00. Keep it?")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Lay's chips 70g taken off the sale.", "0 (0 lines)")

	typeIn(w, "20*6924743915763")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // yes: a party's order
	mustShow(t, w, "¥130.00", "20 (1 lines)")

	scan(w, "5449000000996") // cola ¥3.00: under the limit, no question
	if shows(w, "Keep it?") {
		t.Fatal("a line under the limit was questioned")
	}
	typeIn(w, "*")
	typeIn(w, "40") // ¥120.00
	press(w, fyne.KeyReturn)
	mustShow(t, w, "That line comes to more than the shop's limit for one line (line_limit). Enter again to keep it.")
	mustShow(t, w, "¥133.00") // not changed yet
	press(w, fyne.KeyReturn)
	mustShow(t, w, "¥250.00", "60 (2 lines)")
}

// A message is about the last action: the next one clears it, so "Unknown barcode" does not stand beside
// the sale that went on.
func TestMessagesClearOnTheNextAction(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "4006381333931") // not in the shop's catalog
	mustShow(t, w, "Unknown barcode: nothing was added.")
	typeIn(w, "5")
	if shows(w, "Unknown barcode") {
		t.Fatal("the message stayed while the next code was typed")
	}
	typeIn(w, "449000000996")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Coca-Cola 330ml can")
	scan(w, "4006381333931")
	mustShow(t, w, "Unknown barcode: nothing was added.")
	press(w, fyne.KeyDown) // any key action
	if shows(w, "Unknown barcode") {
		t.Fatal("the message stayed after the next action")
	}
}

// A sale paid exactly shows what was paid, with no "change ¥0.00", and the next scan brings the totals
// back; a declined wallet payment tells the shopper what to do, not what the cashier should.
func TestPaidScreensUntilTheNextSale(t *testing.T) {
	till, _ := newTill(t, withGateway)
	w, d := till.Window(), till.Display().Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	till.ScanFromDevice("134567890123450000") // declined by the simulated provider
	mustShow(t, d, "Payment not completed", "Please try again, or pay another way.")
	if shows(d, "Ask the customer") {
		t.Error("the cashier's instruction is on the shopper's screen")
	}
	wedgeScan(w, "134567890123456789")
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	mustShow(t, d, "Thank you!", "Paid ¥3.00")
	if shows(d, "change") || shows(d, "Change") {
		t.Error("a wallet payment shows change on the display")
	}
	mustShow(t, w, "Paid", "¥3.00")
	scan(w, "6924743915763")
	mustShow(t, w, "Total", "¥6.50")
	if shows(w, "Paid") {
		t.Error("the paid sale stayed on the screen after the next scan")
	}
}
