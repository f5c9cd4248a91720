//go:build !cgo

package printer

// openUSB fails in a build without cgo: there is no libusb to reach the printer with.
func openUSB(vid, pid uint16) (Conn, error) { return nil, ErrUnsupported }
