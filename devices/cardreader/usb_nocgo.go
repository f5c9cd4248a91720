//go:build !cgo

package cardreader

// OpenUSB fails in a build without cgo: there is no libusb to reach the reader with.
func OpenUSB(Config, USBConfig) (*Reader, error) {
	return nil, ErrUSBUnsupported
}
