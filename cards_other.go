//go:build !windows

package main

import (
	"checkout/app"
	"checkout/devices/cardreader"
)

// cardModes are the values cardreader.mode takes on this system.
func cardModes() []string { return []string{"usb", "sim"} }

// cardSettings are the cardreader.* settings on this system.
func cardSettings() []string { return []string{"cardreader.vid", "cardreader.pid", "cardreader.mode"} }

// openCardHardware opens the real card reader: on Linux and the BSDs a USB CCID reader through libusb.
func openCardHardware(_ app.Settings, usb cardreader.USBConfig) (cardSource, error) {
	r, err := cardreader.OpenUSB(cardreader.Config{Name: "USB"}, usb)
	if err != nil {
		return nil, err
	}
	return r, nil
}
