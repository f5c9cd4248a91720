package scanner

import (
	"testing"

	"go.bug.st/serial/enumerator"
)

func TestMatchScannersByVendor(t *testing.T) {
	ports := []*enumerator.PortDetails{
		{Name: "/dev/ttyS0"}, // a motherboard port: not USB
		{Name: "/dev/ttyACM0", IsUSB: true, VID: "0C2E", PID: "0B61"}, // Honeywell, upper-case hex
		{Name: "/dev/ttyUSB0", IsUSB: true, VID: "0403", PID: "6001"}, // FTDI bridge: could be a scale
		{Name: "/dev/ttyACM1", IsUSB: true, VID: "05f9", PID: "4204"}, // Datalogic
		nil,
	}
	got := matchScanners(ports)
	if len(got) != 2 || got[0].Port != "/dev/ttyACM0" || got[0].Name != "Honeywell /dev/ttyACM0" || got[1].Port != "/dev/ttyACM1" {
		t.Fatalf("matched %+v", got)
	}
}

func TestDiscoverWithoutScanners(t *testing.T) {
	if _, err := Discover(); err != nil {
		t.Fatalf("Discover on a machine with no scanners: %v", err)
	}
}
