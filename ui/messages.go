package ui

import (
	"fyne.io/fyne/v2/lang"

	"checkout/app"
)

// errorMessage turns an error into what the cashier reads. Domain errors map by code to a translated
// sentence; anything else is a fault of the till, shown with its detail so support can act on it.
func errorMessage(err error) string {
	switch app.ErrorCode(err) {
	case "":
		return lang.L("The till could not do that: {{.Detail}}", map[string]any{"Detail": err.Error()})
	case app.ErrInvalidBarcode.Code:
		return lang.L("That is not a barcode. Scan again or type the digits.")
	case app.ErrUnknownBarcode.Code:
		return lang.L("Unknown barcode: nothing was added.")
	case app.ErrInactiveProduct.Code:
		return lang.L("This product is not for sale.")
	case app.ErrUnknownTaxClass.Code:
		return lang.L("This product has no valid tax class. Ask the owner to fix it.")
	case app.ErrWeightRequired.Code:
		return lang.L("Enter the weight in kilograms.")
	case app.ErrInvalidQuantity.Code:
		return lang.L("Invalid quantity.")
	case app.ErrNoSuchLine.Code:
		return lang.L("Select a line first.")
	case app.ErrInvalidDiscount.Code:
		return lang.L("Invalid discount.")
	case app.ErrEmptyCart.Code:
		return lang.L("The cart is empty.")
	case app.ErrInvalidAmount.Code:
		return lang.L("Invalid amount.")
	case app.ErrUnderpaid.Code:
		return lang.L("Not enough: the amount tendered is less than the amount due.")
	case app.ErrNotPaid.Code:
		return lang.L("The sale is not fully paid.")
	case app.ErrPaymentStarted.Code:
		return lang.L("Payment has started: the cart cannot change.")
	}
	return err.Error()
}
