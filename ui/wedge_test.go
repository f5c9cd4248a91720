package ui_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
