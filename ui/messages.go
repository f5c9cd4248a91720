package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/barcode"
)

// labels names tenders, wallets, anomalies and cashiers in the UI language, as the PDF report does.
func labels() app.Labels { return app.Labels{Translate: lang.L} }

// errorMessage turns an error into what the cashier reads. Domain errors map by code to a translated
// sentence; anything else is a fault of the till, shown with its detail so support can act on it.
func errorMessage(err error) string {
	var held *app.SaleHeldError
	var step *app.CashStepError
	var taken *app.CartTakenError
	switch {
	case errors.As(err, &taken):
		return lang.L("Till {{.Till}} has taken this cart.", map[string]any{"Till": taken.Till})
	case errors.Is(err, errPINsDiffer):
		return lang.L("The two PINs differ. Type them again.")
	case errors.Is(err, errShopUnnamed):
		return lang.L("Type the shop's name and city: they head the receipts and the payment QR code.")
	case errors.As(err, &held):
		return lang.L("{{.Name}}'s sale is on the till: only they or a supervisor may go on with it.", map[string]any{"Name": held.Cashier})
	case errors.As(err, &step):
		return lang.L("Cash is taken in steps of {{.Step}}: {{.Amount}} cannot change hands.",
			map[string]any{"Step": step.Step.Decimal(), "Amount": step.Amount.Decimal()})
	}
	switch app.ErrorCode(err) {
	case "":
		return lang.L("The till could not do that: {{.Detail}}", map[string]any{"Detail": err.Error()})
	case app.ErrInvalidBarcode.Code:
		return barcodeMessage(err)
	case app.ErrPayCodeScanned.Code:
		return lang.L("This is a customer's payment code. Scan it when taking payment.")
	case app.ErrMemberScanned.Code:
		return lang.L("This is a member card, not a product.")
	case app.ErrReceiptScanned.Code:
		return lang.L("This is a receipt, not a product.")
	case app.ErrLabelMismatch.Code:
		return lang.L("The label does not fit how this product is sold. Ask the owner to check the product.")
	case app.ErrUnknownBarcode.Code:
		return lang.L("Unknown barcode: nothing was added.")
	case app.ErrInactiveProduct.Code:
		return lang.L("This product is not for sale.")
	case app.ErrUnknownTaxClass.Code:
		return lang.L("This product has no valid tax class. Ask the owner to fix it.")
	case app.ErrWeightRequired.Code:
		return lang.L("Enter the weight in kilograms.")
	case app.ErrScaleMoving.Code:
		return lang.L("The scale is still moving: wait until it settles.")
	case app.ErrScaleEmpty.Code:
		return lang.L("The scale reads zero: put the goods on it.")
	case app.ErrScaleNegative.Code:
		return lang.L("The scale reads below zero: empty it and set it to zero.")
	case app.ErrScaleOverload.Code:
		return lang.L("Too heavy for the scale.")
	case app.ErrScaleNoWeight.Code:
		return lang.L("The scale sends no weight yet.")
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
	case app.ErrOverpaid.Code:
		return lang.L("Only cash can pay more than is due.")
	case app.ErrInvalidCardDetails.Code:
		return lang.L("Check the approval code (letters and digits) and the last four digits of the card.")
	case app.ErrSwipeUnreadable.Code:
		return lang.L("The card could not be read. Swipe it again, steadily.")
	case app.ErrNoCardKey.Code:
		return lang.L("This till cannot take swiped cards.")
	case app.ErrNoMerchantQR.Code:
		return lang.L("No payment QR code is set up.")
	case app.ErrNoLinesPicked.Code:
		return lang.L("Type the lines to refund (e.g. 1, 3x2), or * for everything left.")
	case app.ErrLineRefunded.Code:
		return lang.L("That line has been refunded in full already: nothing of it is left to refund.")
	case app.ErrNothingLeftToRefund.Code:
		return lang.L("Everything on this sale has been refunded already.")
	case app.ErrLineOverLimit.Code:
		return lang.L("That line comes to more than the shop's limit for one line (line_limit). Enter again to keep it.")
	case app.ErrQRShopDetails.Code:
		return lang.L("The payment QR code needs the shop's name and city: set shop_name and shop_city first.")
	case app.ErrNoPayCodes.Code:
		return lang.L("No payment provider is set up for pay codes.")
	case app.ErrNotAPayCode.Code:
		return lang.L("That is not a customer's payment code.")
	case app.ErrPaymentDeclined.Code:
		return lang.L("The payment was declined. Ask the customer for another way to pay.")
	case app.ErrPaymentReversed.Code:
		return lang.L("The payment provider did not answer in time, so the payment was cancelled. Try again or take another way to pay.")
	case app.ErrPaymentUnknown.Code:
		return lang.L("The payment's outcome is unknown. Check with the payment provider before taking payment again.")
	case app.ErrRefundTooLarge.Code:
		return lang.L("That is more than is left to refund of this sale.")
	case app.ErrUnsigned.Code:
		return lang.L("The shopper must sign for this refund.")
	case app.ErrRefundTender.Code:
		return lang.L("This refund cannot go back that way: the sale was not paid like that. Refund in cash.")
	case app.ErrRefundFailed.Code:
		return lang.L("The payment provider did not confirm the refund. Nothing was refunded; try again or refund in cash.")
	case app.ErrCartNotEmpty.Code:
		return lang.L("Park or finish the sale in progress first.")
	case app.ErrNotParked.Code:
		return lang.L("That cart is no longer parked.")
	case app.ErrCartProduct.Code:
		return lang.L("A product of this cart is not in this till's catalog: resume it at the till that parked it.")
	case app.ErrOffline.Code:
		return lang.L("The head office is out of reach.")
	case app.ErrInvalidPromotion.Code:
		_, detail, _ := strings.Cut(err.Error(), ": ")
		return lang.L("Check the promotion: {{.Detail}}", map[string]any{"Detail": detail})
	case app.ErrUnknownCoupon.Code:
		return lang.L("No promotion takes this coupon.")
	case app.ErrCouponUsed.Code:
		return lang.L("This coupon is on the sale already.")
	case app.ErrCouponSpent.Code:
		return lang.L("This coupon has been used as often as this till may accept it.")
	case app.ErrHQPromotion.Code:
		return lang.L("This promotion comes from the head office: change it there.")
	case app.ErrInvalidMember.Code:
		_, detail, _ := strings.Cut(err.Error(), ": ")
		return lang.L("Check the member's details: {{.Detail}}", map[string]any{"Detail": detail})
	case app.ErrUnknownMember.Code:
		return lang.L("No member has this card or number.")
	case app.ErrNoMember.Code:
		return lang.L("Put a member on the sale first (F6, or tap their card).")
	case app.ErrCardBlocked.Code:
		return lang.L("This member card is blocked (reported lost). Find the member by phone instead.")
	case app.ErrCardInUse.Code:
		return lang.L("This card already belongs to a member.")
	case app.ErrInsufficientBalance.Code:
		return lang.L("The prepaid balance is too low for that.")
	case app.ErrOfflineLimit.Code:
		return lang.L("The till is offline: this card may not spend more here until the head office is back.")
	case app.ErrInsufficientPoints.Code:
		return lang.L("The member does not have that many points.")
	case app.ErrInvalidPIN.Code:
		return lang.L("A PIN is 4 to 6 digits.")
	case app.ErrPINRequired.Code:
		return lang.L("The member's PIN is needed to pay from their account.")
	case app.ErrWrongPIN.Code:
		return lang.L("Wrong PIN. Try again.")
	case app.ErrPINLocked.Code:
		var locked *app.LockedError
		if errors.As(err, &locked) {
			return lang.L("Too many wrong PINs: the account is locked until {{.Time}}; a supervisor can unlock it (member dialog, F9). Take another way to pay meanwhile.",
				map[string]any{"Time": locked.Until.Local().Format("15:04")})
		}
	case app.ErrInvalidStockMove.Code:
		return lang.L("That stock movement is not valid: {{.Detail}}", map[string]any{"Detail": err.Error()})
	case app.ErrUserLocked.Code:
		var locked *app.LockedError
		if errors.As(err, &locked) {
			return lang.L("Too many wrong PINs: locked until {{.Time}}. A supervisor can unlock it sooner.",
				map[string]any{"Time": locked.Until.Local().Format("15:04")})
		}
	case app.ErrWrongCode.Code:
		return lang.L("Wrong code. Type the 6 digits the app shows now.")
	case app.ErrSecondFactor.Code:
		return lang.L("The back office needs the code from your authenticator app: open it again (F4).")
	case app.ErrNoSealKey.Code:
		return lang.L("Two-factor sign-in is not set up on this till.")
	case app.ErrDatabaseBusy.Code:
		return lang.L("Another program is holding the till's database. Close it (a backup tool, sqlite3).")
	case app.ErrDatabaseGone.Code:
		return lang.L("The till's database file was deleted or replaced. Call support: restart the till after the file is back.")
	case app.ErrDiskWrite.Code:
		return lang.L("The till could not write to its disk: is it full? Free some space.")
	case app.ErrUserInactive.Code:
		return lang.L("This user can no longer sign in.")
	case app.ErrNotPermitted.Code:
		var pe *app.PermissionError
		if errors.As(err, &pe) {
			return lang.L("{{.Action}} needs a supervisor.", map[string]any{"Action": permissionName(pe.Permission)})
		}
	case app.ErrCannotApprove.Code:
		return lang.L("That user may not approve this.")
	case app.ErrNotSignedIn.Code:
		return lang.L("Nobody is signed in.")
	case app.ErrUserExists.Code:
		return lang.L("A user with that name exists.")
	case app.ErrInvalidUser.Code:
		return lang.L("A name is 1 to 40 characters; the role is cashier, supervisor or owner.")
	case app.ErrLastOwner.Code:
		return lang.L("The shop must keep one active owner.")
	case app.ErrPaidElectronically.Code:
		return lang.L("A card, QR or wallet payment was taken: refund it before voiding the sale.")
	}
	return err.Error()
}

// barcodeMessage says why a code was refused, so the cashier knows whether scanning again can help.
func barcodeMessage(err error) string {
	switch {
	case errors.Is(err, barcode.ErrCheckDigit):
		return lang.L("Wrong check digit: the barcode was misread or mistyped. Scan again.")
	case errors.Is(err, barcode.ErrPriceCheck):
		return lang.L("The price on this label fails its check digit. Scan again or weigh the item.")
	case errors.Is(err, barcode.ErrUnknownAI), errors.Is(err, barcode.ErrAIValue), errors.Is(err, barcode.ErrNoGTIN),
		errors.Is(err, barcode.ErrCurrency):
		return lang.L("This GS1 code cannot be read: {{.Detail}}", map[string]any{"Detail": err.Error()})
	}
	return lang.L("That is not a barcode. Scan again or type the digits.")
}
