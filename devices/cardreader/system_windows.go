//go:build windows

package cardreader

// modes are the values cardreader.mode takes on this system: pcsc (the default) or usb.
func modes() []string { return []string{"pcsc", "usb", "sim"} }

// settingKeys are the cardreader.* settings on this system.
func settingKeys() []string {
	return []string{"cardreader.vid", "cardreader.pid", "cardreader.mode", "cardreader.pcsc"}
}

// OpenSystem opens the real card reader the way this system reaches it. On Windows that is the smart
// card service (PC/SC), whose CCID driver owns the readers; the cardreader.pcsc setting (get reads it)
// names one (part of its name, e.g. PICC), else the first is used. With cardreader.mode usb it is a USB
// CCID reader through libusb instead, usb picking which, for a reader that was given the WinUSB driver.
func OpenSystem(get func(key string) string, usb USBConfig) (Source, error) {
	if get("cardreader.mode") == "usb" {
		return openUSBSource(usb)
	}
	r, err := OpenWinSCard(PCSCConfig{Name: "PC/SC", Reader: get("cardreader.pcsc")})
	if err != nil {
		return nil, err
	}
	return r, nil
}
