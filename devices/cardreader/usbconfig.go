package cardreader

import "errors"

// USBConfig picks a USB CCID reader.
type USBConfig struct {
	// VID and PID name the reader; when both are 0 the first device with a smart-card (CCID, class
	// 0x0B) interface is used. Naming it also allows readers whose CCID interface is vendor-specific.
	VID, PID uint16
}

// ErrUSBUnsupported is OpenUSB's error in a build without cgo, which cannot reach libusb.
var ErrUSBUnsupported = errors.New("cardreader: USB card readers need a build with cgo and libusb")

// openUSBSource opens the USB CCID reader usb picks (OpenUSB) as a Source: nil, never a nil *Reader, when
// it cannot.
func openUSBSource(usb USBConfig) (Source, error) {
	r, err := OpenUSB(Config{Name: "USB"}, usb)
	if err != nil {
		return nil, err
	}
	return r, nil
}
