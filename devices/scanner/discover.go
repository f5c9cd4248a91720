package scanner

import (
	"strings"

	"go.bug.st/serial/enumerator"
)

// scannerVendors are USB vendors whose CDC serial devices at a till are barcode scanners. Generic
// USB-serial bridges (FTDI, CH340, CP210x) are left out: they are as likely a scale or a printer, so those
// are picked on the devices screen or with -scanner.
var scannerVendors = map[string]string{
	"0c2e": "Honeywell",
	"0536": "Hand Held Products",
	"05e0": "Zebra (Symbol)",
	"05f9": "Datalogic",
	"1eab": "Newland",
}

// Discover lists the serial ports that belong to a known scanner vendor.
func Discover() ([]Config, error) {
	ports, err := enumerator.GetDetailedPortsList()
	if err != nil {
		return nil, err
	}
	return matchScanners(ports), nil
}

func matchScanners(ports []*enumerator.PortDetails) []Config {
	var found []Config
	for _, p := range ports {
		if p == nil || !p.IsUSB {
			continue
		}
		if vendor, ok := scannerVendors[strings.ToLower(p.VID)]; ok {
			found = append(found, Config{Name: vendor + " " + p.Name, Port: p.Name})
		}
	}
	return found
}
