//go:build !windows

package cardreader

// modes are the values cardreader.mode takes on this system.
func modes() []string { return []string{"usb", "sim"} }

// settingKeys are the cardreader.* settings on this system.
func settingKeys() []string { return []string{"cardreader.vid", "cardreader.pid", "cardreader.mode"} }

// OpenSystem opens the real card reader the way this system reaches it: on Linux and the BSDs a USB CCID
// reader through libusb, usb picking which.
func OpenSystem(_ func(key string) string, usb USBConfig) (Source, error) {
	return openUSBSource(usb)
}
