package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/devices/sim"
)

// The devices screen shows each device's state in the status bar as it reports.
func TestDevicesStates(t *testing.T) {
	h := newHarness(t)
	h.opt.DeviceStatus = "Scanner: keyboard"
	d := newDevicesScreen(h.sh, h.co.Settings(), h.opt)
	var status string
	d.status = func(s string) { status = s }
	if d.board.summary() != "Scanner: keyboard" {
		t.Errorf("before any device reports: %q", d.board.summary())
	}
	d.setState("/dev/ttyACM0", "Scanner /dev/ttyACM0", DeviceConnected)
	d.setState("printer", "Printer", "paper out")
	if status != "Scanner /dev/ttyACM0: connected · Printer: paper out" {
		t.Errorf("status bar: %q", status)
	}
	d.open()
	d.record("/dev/ttyACM0", "5449000000996", nil)
	h.mustShow("5449000000996 → trade item")
}

// The devices screen tests the payment provider: the simulated one answers; one whose keys cannot be
// read says why.
func TestDevicesScreenTestsThePaymentProvider(t *testing.T) {
	h := newHarness(t)
	d := newDevicesScreen(h.sh, h.co.Settings(), h.opt)
	d.payments = app.Payments{Gateway: sim.NewGateway(0)}
	d.open()
	test.Tap(findButtonIn(t, h.win.Canvas().Overlays().Top(), "Test the payment provider"))
	h.mustShow("The payment provider answered: its address, the keys and the signatures work.")
	d.view.dialog.Hide()

	d.payments = app.Payments{Unusable: errors.New("alipay-app.pem: readable by others (mode 0644): chmod 600 it")}
	d.open()
	test.Tap(findButtonIn(t, h.win.Canvas().Overlays().Top(), "Test the payment provider"))
	h.mustShow("The payment provider cannot be used", "alipay-app.pem: readable by others")
}
