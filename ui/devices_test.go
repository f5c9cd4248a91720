package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

// The devices screen saves the counter scale's port and protocol for the next start.
func TestDevicesScreenSavesTheScale(t *testing.T) {
	h := newHarness(t)
	saved := map[string]string{}
	h.opt.Ports = func() []string { return []string{"/dev/ttyUSB0", "/dev/ttyUSB1"} }
	h.opt.SetSetting = func(key, value string) error {
		saved[key] = value
		return nil
	}
	h.opt.ScaleProtocols = []string{"stream", "sics", "toledo8217"}
	d := newDevicesScreen(h.sh, h.co.Settings(), h.opt)
	d.open()
	h.mustShow("Scale", "No scale", "stream")
	var selects []*widget.Select
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Select:
			selects = append(selects, v)
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
	dialog := h.win.Canvas().Overlays().Top()
	walk(dialog)
	if len(selects) != 2 {
		t.Fatalf("%d selects on the devices screen, want the scale's port and protocol", len(selects))
	}
	selects[0].SetSelected("/dev/ttyUSB1")
	selects[1].SetSelected("toledo8217")
	test.Tap(findButtonIn(t, dialog, "Save the scale"))
	if saved["scale.port"] != "/dev/ttyUSB1" || saved["scale.protocol"] != "toledo8217" {
		t.Fatalf("saved %v", saved)
	}
	h.mustShow("Saved. The scale changes at the next start.")
}
