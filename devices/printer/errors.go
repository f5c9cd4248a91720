package printer

import (
	"errors"

	"checkout/app"
)

// Errors a print can end in. None of them loses the sale: it is stored before anything is printed, and
// the receipt can be printed again from the till menu.
var (
	ErrPaperOut     = app.ErrPrinterPaperOut
	ErrCoverOpen    = app.ErrPrinterCoverOpen
	ErrPrinterError = app.ErrPrinterFault
	ErrOffline      = app.ErrPrinterOffline
	ErrBadStatus    = errors.New("printer: not an ESC/POS status byte")
	ErrUnsupported  = errors.New("printer: USB printers need a build with cgo (libusb)")
)
