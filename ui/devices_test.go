package ui

import "testing"

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
