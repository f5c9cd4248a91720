package printer

import "errors"

// Errors a print can end in. None of them loses the sale: it is stored before anything is printed, and
// the receipt can be printed again from the till menu.
var (
	ErrPaperOut     = errors.New("printer: paper out")
	ErrCoverOpen    = errors.New("printer: cover open")
	ErrPrinterError = errors.New("printer: error (cutter jam or overheated head)")
	ErrOffline      = errors.New("printer: offline (unplugged, switched off or unreachable)")
	ErrBadStatus    = errors.New("printer: not an ESC/POS status byte")
	ErrUnsupported  = errors.New("printer: USB printers need a build with cgo (libusb)")
)
