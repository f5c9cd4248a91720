package barcode

import "errors"

// Errors for codes that are refused. Each rejected input wraps exactly one of them, with detail.
var (
	ErrEmpty        = errors.New("empty code")
	ErrNotText      = errors.New("not printable text")
	ErrNotDigits    = errors.New("not all digits")
	ErrLength       = errors.New("wrong length")
	ErrCheckDigit   = errors.New("wrong check digit")
	ErrNumberSystem = errors.New("UPC-E number system must be 0 or 1")
	ErrPriceCheck   = errors.New("wrong price check digit")
	ErrLayout       = errors.New("invalid variable-measure layout")
	ErrUnknownAI    = errors.New("unknown GS1 application identifier")
	ErrAIValue      = errors.New("invalid GS1 element value")
	ErrNoGTIN       = errors.New("GS1 element string without a GTIN (AI 01)")
	ErrCurrency     = errors.New("GS1 price in another currency than the shop's")
)
