package ui_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/store"
	"checkout/ui"
)

// A wedge scanner types into whatever field has focus; the till tells its burst from typing and sells it.
func TestWedgeScanInADialogFieldSellsAndLeavesTheFieldAlone(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()

	press(w, fyne.KeyF3)
	typeIn(w, "wat")
	mustShow(t, w, "Find a product", "Nongfu Spring water 550ml  ·  DRK-002")
	wedgeScan(w, "5449000000996")
	if shows(w, "Find a product") {
		t.Error("the search stayed open after a scan")
	}
	mustShow(t, w, "Coca-Cola 330ml can", "¥3.00")

	// In the quantity dialog the scan is not a quantity.
	press(w, fyne.KeyF2)
	mustShow(t, w, "Quantity of Coca-Cola 330ml can")
	wedgeScan(w, "6924743915763")
	mustShow(t, w, "Lay's chips 70g", "¥9.50")
	if shows(w, "Quantity of") || shows(w, "Invalid quantity.") {
		t.Error("the scan was taken as a quantity")
	}

	// Typed at a person's speed, six letters and Enter are a search, not a scan.
	press(w, fyne.KeyF3)
	typeIn(w, "Banana")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Weight of Banana (kg)")
}

// A scan that starts with '+' (HIBC codes do) must not open payment: keys bound to actions act only
// when no scan follows them.
func TestWedgeScanNeverTriggersKeyActions(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	wedgeScan(w, "+A123BJC5D6E71")
	keys.pause()
	if shows(w, "Take payment") {
		t.Fatal("a scanned '+' opened payment")
	}
	mustShow(t, w, "Unknown barcode: nothing was added.")
	wedgeScan(w, "*12345678")
	keys.pause()
	if shows(w, "Quantity of") {
		t.Fatal("a scanned '*' opened the quantity dialog")
	}
	// Typed by a person, '+' still pays.
	typeIn(w, "+")
	mustShow(t, w, "Take payment")

	// During payment a scan is refused in the dialog, not typed as an amount.
	wedgeScan(w, "6924743915763")
	mustShow(t, w, "Take payment", "Payment has started: the cart cannot change.")
	if shows(w, "6924743915763") {
		t.Error("the scan landed in the amount field")
	}
}

func TestScannedLabelsAndCodesThatAreNotProducts(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()

	weighed := "200010101234"
	weighed += string(barcode.CheckDigit(weighed))
	wedgeScan(w, weighed) // banana, 1.234 kg × ¥6.98
	mustShow(t, w, "1.234 kg", "¥8.61")

	wedgeScan(w, "]C10105449000000996"+"17200101"+"10LOT7")
	mustShow(t, w, "Coca-Cola 330ml can expired on 2020-01-01. Check it before selling.", "¥11.61")

	for code, message := range map[string]string{
		"134567890123456789": "This is a customer's payment code. Scan it when taking payment.",
		"M00012345":          "This is a member card, not a product.",
		"T01-000007":         "This is a receipt, not a product.",
		"5449000000997":      "Wrong check digit: the barcode was misread or mistyped. Scan again.",
	} {
		wedgeScan(w, code)
		mustShow(t, w, message, "¥11.61")
	}
}

// Codes from serial scanners arrive on another goroutine; the status bar follows each scanner.
func TestDeviceScansAndStatus(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	mustShow(t, w, "Scanner: keyboard")

	till.SetDeviceState("/dev/ttyACM0", "connected")
	mustShow(t, w, "Scanner /dev/ttyACM0: connected")
	till.SetDeviceState("/dev/ttyACM0", "reconnecting")
	till.SetDeviceState("/dev/ttyUSB1", "connected")
	mustShow(t, w, "Scanner /dev/ttyACM0: reconnecting · Scanner /dev/ttyUSB1: connected")

	press(w, fyne.KeyF3) // a scan from a device closes the search and sells
	till.ScanFromDevice("5449000000996")
	if shows(w, "Find a product") {
		t.Error("search stayed open")
	}
	mustShow(t, w, "Coca-Cola 330ml can", "¥3.00")

	// The devices screen shows the live input and tests the scanner without selling.
	till.RecordDeviceInput("/dev/ttyACM0", "5449000000996", nil)
	till.RecordDeviceInput("/dev/ttyACM0", "", errFrame)
	till.RecordDeviceInput("/dev/ttyACM0", "134567890123456789", nil)
	press(w, fyne.KeyF10)
	mustShow(t, w, "Devices", "/dev/ttyACM0  reconnecting", "5449000000996 → trade item GTIN 05449000000996",
		"dropped: frame longer than 256 bytes", "1345…(18) → pay code wechat")
	if shows(w, "134567890123456789") {
		t.Error("a pay code was shown whole")
	}
	till.ScanFromDevice("6924743915763")
	mustShow(t, w, "6924743915763 → trade item GTIN 06924743915763", "¥3.00")
	wedgeScan(w, "]E05449000000996")
	mustShow(t, w, "5449000000996 → trade item EAN-13 GTIN 05449000000996", "¥3.00")
	press(w, fyne.KeyEscape)
	if shows(w, "Devices") || shows(w, "¥9.50") {
		t.Error("the scanner test sold something or stayed open")
	}
}

func TestSimulatedScannerInDemoMode(t *testing.T) {
	var till *ui.Till
	codes := []string{"5449000000996", "6924743915763"}
	till, _ = newTill(t, func(s *setup) {
		s.opt.SimulateScan = func() {
			till.ScanFromDevice(codes[0])
			codes = codes[1:]
		}
	})
	w := till.Window()
	press(w, fyne.KeyF11)
	mustShow(t, w, "Coca-Cola 330ml can", "¥3.00")
	press(w, fyne.KeyF10) // on the devices screen a simulated scan is a test: shown, not sold
	test.Tap(findButton(t, w, "Simulate a scan"))
	mustShow(t, w, "6924743915763 → trade item GTIN 06924743915763")
	press(w, fyne.KeyEscape)
	if shows(w, "Lay's chips 70g") {
		t.Error("a scan on the devices screen was sold")
	}

	// Without a simulated scanner F11 does nothing.
	plain, _ := newTill(t)
	press(plain.Window(), fyne.KeyF11)
	if shows(plain.Window(), "Coca-Cola") {
		t.Error("F11 sold something on a till without a simulated scanner")
	}
}

var errFrame = frameError("frame longer than 256 bytes")

type frameError string

func (e frameError) Error() string { return string(e) }

func TestDevicesScreenSavesTheScannerPorts(t *testing.T) {
	var st *store.Store
	till, st := newTill(t, func(s *setup) {
		s.opt.Ports = func() []string { return []string{"/dev/ttyACM0", "/dev/ttyUSB0"} }
		s.opt.SetSetting = func(key, value string) error {
			_, err := st.SetSetting(context.Background(), key, value, time.Now())
			return err
		}
	})
	w := till.Window()
	press(w, fyne.KeyF10)
	mustShow(t, w, "Serial ports", "/dev/ttyACM0", "/dev/ttyUSB0")
	var usb *widget.Check
	visit(w, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == "/dev/ttyUSB0" {
			usb = c
		}
	})
	if usb == nil {
		t.Fatal("no check box for /dev/ttyUSB0")
	}
	test.Tap(usb)
	test.Tap(findButton(t, w, "Save ports"))
	mustShow(t, w, "Saved. The scanners change at the next start.")
	set, err := st.Settings(context.Background())
	if err != nil || set.Device("scanner.ports") != "/dev/ttyUSB0" {
		t.Fatalf("scanner.ports = %q, %v", set.Device("scanner.ports"), err)
	}
}

// timedType types text and Enter into whatever has focus with gaps[i] on the keyboard clock after the
// i-th character (the last before Enter), as the desktop driver delivers each key.
func timedType(w fyne.Window, text string, gaps []time.Duration) {
	keys.step = 0
	defer func() { keys.step = humanKeyGap }()
	for i, r := range []rune(text) {
		typeRune(w, r)
		keys.at = keys.at.Add(gaps[i])
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// jitter returns n gaps drawn uniformly from [lo, hi].
func jitter(r *rand.Rand, n int, lo, hi time.Duration) []time.Duration {
	gaps := make([]time.Duration, n)
	for i := range gaps {
		gaps[i] = lo + time.Duration(r.Int64N(int64(hi-lo)+1))
	}
	return gaps
}

func randomDigits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// busyTillCodes returns n different codes in turn a WeChat pay code, an Alipay pay code (any length its
// rule allows), a GTIN-13 and a GTIN-8, drawn from r.
func busyTillCodes(r *rand.Rand, n int) []string {
	seen := map[string]bool{}
	var codes []string
	for len(codes) < n {
		var code string
		switch len(codes) % 4 {
		case 0: // WeChat: 18 digits starting 10–15
			code = "1" + string(byte('0'+r.IntN(6))) + randomDigits(r, 16)
		case 1: // Alipay: 16 to 24 digits starting 25–30
			code = []string{"25", "26", "27", "28", "29", "30"}[r.IntN(6)] + randomDigits(r, 14+r.IntN(9))
		case 2:
			code = "69" + randomDigits(r, 10)
			code += string(barcode.CheckDigit(code))
		default:
			code = "69" + randomDigits(r, 5)
			code += string(barcode.CheckDigit(code))
		}
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return codes
}

// Issue 22: on a busy two-core till a wedge scanner's keys reach the till 5 to 120 ms apart. Each of 200
// pay codes and GTINs, scanned into the quantity dialog (where typed digits and Enter would be a
// quantity), is taken as a scan whole: the dialog closes, the GTIN's own item is sold or the pay code is
// named, and no digit is left in a field.
func TestWedgeScansOnABusyTill(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 4))
	codes := busyTillCodes(r, 200)
	items := map[string]string{} // GTIN → its item's name
	till, _ := newTill(t, func(s *setup) {
		var entries []app.CatalogEntry
		for i, code := range codes {
			if barcode.ValidateGTIN(code) != nil {
				continue
			}
			name := fmt.Sprintf("Jitter item %03d", i)
			items[code] = name
			entries = append(entries, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("JIT-%03d", i), Name: name,
				Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{code}})
		}
		if _, err := s.st.AddProducts(context.Background(), entries); err != nil {
			t.Fatal(err)
		}
	})
	w := till.Window()
	scan(w, "5449000000996")
	whole := 0
	for i, code := range codes {
		keys.pause()
		press(w, fyne.KeyF2)
		if !shows(w, "Quantity of") {
			t.Fatalf("code %d: no quantity dialog", i)
		}
		gaps := jitter(r, len(code), 5*time.Millisecond, 120*time.Millisecond)
		timedType(w, code, gaps)
		want := items[code]
		if want == "" {
			want = "This is a customer's payment code."
		}
		field, _ := w.Canvas().Focused().(*ui.KeyEntry)
		switch {
		case shows(w, "Quantity of"):
			t.Errorf("code %d %s with gaps %v was missed: the quantity dialog is still open", i, code, gaps)
			press(w, fyne.KeyEscape)
		case !shows(w, want):
			t.Errorf("code %d %s with gaps %v was split: the screen does not show %q: %s", i, code, gaps, want, strings.Join(screen(w), " | "))
		case field == nil || field.Text != "":
			t.Errorf("code %d %s with gaps %v left text in the field", i, code, gaps)
		default:
			whole++
		}
	}
	t.Logf("%d of %d jittered scans (5–120 ms) taken whole", whole, len(codes))
	if whole != len(codes) {
		t.Fatalf("%d of %d scans were not taken whole", len(codes)-whole, len(codes))
	}
}

// A fast cashier, 60 to 200 ms between keys, types quantities, names, cash amounts and a card terminal's
// approval code: each is what was typed, never a scan, at the default setting and at the Bluetooth one.
func TestFastTypingIsNeverAScan(t *testing.T) {
	for _, gap := range []time.Duration{50 * time.Millisecond, 150 * time.Millisecond} {
		t.Run(fmt.Sprintf("wedge gap %v", gap), func(t *testing.T) { fastTyping(t, gap) })
	}
}

func fastTyping(t *testing.T, wedgeGap time.Duration) {
	r := rand.New(rand.NewPCG(22, 5))
	till, _ := newTill(t, withGateway, func(s *setup) { s.opt.WedgeGap = wedgeGap })
	w := till.Window()
	typist := func(text string) {
		keys.pause()
		timedType(w, text, jitter(r, len([]rune(text)), 60*time.Millisecond, 200*time.Millisecond))
	}
	runs, receipt := 0, 0
	for round := range 20 {
		scan(w, "5449000000996")
		press(w, fyne.KeyF2)
		typist("3") // a quantity
		mustShow(t, w, "¥9.00", "3 (1 lines)")
		press(w, fyne.KeyF3)
		typist("Banana") // a name, searched for
		mustShow(t, w, "Weight of Banana (kg)")
		press(w, fyne.KeyEscape)
		press(w, fyne.KeyF12)
		cash := []string{"100", "58.5"}[round%2]
		typist(cash) // cash tendered
		receipt++
		change := map[string]string{"100": "¥91.00", "58.5": "¥49.50"}[cash]
		mustShow(t, w, fmt.Sprintf("Paid. Change %s · receipt T01-%06d", change, receipt))

		scan(w, "6924743915763")
		press(w, fyne.KeyF12)
		press(w, fyne.KeyF6)
		mustShow(t, w, "Card payment")
		approval := []string{"884211", "A1B2C3", "Z9Y8X7"}[round%3]
		typist(approval) // the card terminal's approval code
		mustShow(t, w, "Card payment")
		typeIn(w, "4242")
		press(w, fyne.KeyReturn)
		receipt++
		mustShow(t, w, fmt.Sprintf("Paid. Change ¥0.00 · receipt T01-%06d", receipt))
		runs += 4
		if t.Failed() {
			t.Fatalf("round %d", round)
		}
	}
	t.Logf("wedge gap %v: %d typed runs (quantities, names, cash amounts, approval codes) at 60–200 ms, none a scan", wedgeGap, runs)
}

// In the payment dialog a busy till's scan of the customer's pay code, 5 to 120 ms between keys, charges
// the whole code; a typed amount is still cash.
func TestPayCodeScannedOnABusyTillPays(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 6))
	till, st := newTill(t, withGateway)
	w := till.Window()
	codes := busyTillCodes(r, 40)
	sales := 0
	for _, code := range codes {
		if barcode.ValidateGTIN(code) == nil {
			continue // pay codes only
		}
		scan(w, "5449000000996")
		press(w, fyne.KeyF12)
		keys.pause()
		timedType(w, code, jitter(r, len(code), 5*time.Millisecond, 120*time.Millisecond))
		sales++
		receipt := fmt.Sprintf("T01-%06d", sales)
		mustShow(t, w, "Paid. Change ¥0.00 · receipt "+receipt)
		sale := storedSale(t, st, receipt)
		if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet {
			t.Fatalf("%s: stored tenders %+v", code, sale.Tenders)
		}
	}
	t.Logf("%d jittered pay code scans charged", sales)
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	keys.pause()
	timedType(w, "58.5", jitter(r, 4, 60*time.Millisecond, 200*time.Millisecond))
	mustShow(t, w, fmt.Sprintf("Paid. Change ¥55.50 · receipt T01-%06d", sales+1))
}

// A code that starts with '+' (HIBC) scanned on a busy till never opens payment, however late its next
// key comes within a scanner's pace; '+' typed alone still pays.
func TestScannedPlusNeverPaysOnABusyTill(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 7))
	till, _ := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	for i := range 50 {
		keys.pause()
		code := "+A123BJC5D6E71"
		timedType(w, code, jitter(r, len(code), 5*time.Millisecond, 120*time.Millisecond))
		keys.pause()
		if shows(w, "Take payment") {
			t.Fatalf("scan %d: a scanned '+' opened payment", i)
		}
		mustShow(t, w, "Unknown barcode: nothing was added.", "¥3.00")
	}
	typeIn(w, "+")
	mustShow(t, w, "Take payment")
}
