//go:build windows

package main

import (
	"checkout/app"
	"checkout/devices/cardreader"
)

// cardModes are the values cardreader.mode takes on this system: pcsc (the default) or usb.
func cardModes() []string { return []string{"pcsc", "usb", "sim"} }

// cardSettings are the cardreader.* settings on this system.
func cardSettings() []string {
	return []string{"cardreader.vid", "cardreader.pid", "cardreader.mode", "cardreader.pcsc"}
}

// openCardHardware opens the real card reader. On Windows that is the smart card service (PC/SC), whose
// CCID driver owns the readers; cardreader.pcsc names one (part of its name, e.g. PICC), else the first
// is used. With cardreader.mode usb it is a USB CCID reader through libusb instead, for a reader that was
// given the WinUSB driver.
func openCardHardware(set app.Settings, usb cardreader.USBConfig) (cardSource, error) {
	if set.Device("cardreader.mode") == "usb" {
		r, err := cardreader.OpenUSB(cardreader.Config{Name: "USB"}, usb)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	r, err := cardreader.OpenWinSCard(cardreader.PCSCConfig{Name: "PC/SC", Reader: set.Device("cardreader.pcsc")})
	if err != nil {
		return nil, err
	}
	return r, nil
}
