package app

import "errors"

// Error is a domain error with a stable code that the UI maps to a translated message.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Sentinel errors for bad input. Wrap them with detail (fmt.Errorf("...: %w", ErrX)); compare with errors.Is.
var (
	ErrInvalidBarcode      = &Error{"invalid_barcode", "not a barcode"}
	ErrUnknownBarcode      = &Error{"unknown_barcode", "unknown barcode"}
	ErrInactiveProduct     = &Error{"inactive_product", "product is not for sale"}
	ErrUnknownTaxClass     = &Error{"unknown_tax_class", "product has an unknown tax class"}
	ErrWeightRequired      = &Error{"weight_required", "weighed product needs a weight"}
	ErrInvalidQuantity     = &Error{"invalid_quantity", "invalid quantity"}
	ErrLineOverLimit       = &Error{"line_over_limit", "the line comes to more than the shop's limit for one line"}
	ErrNoSuchLine          = &Error{"no_such_line", "no such line"}
	ErrInvalidDiscount     = &Error{"invalid_discount", "invalid discount"}
	ErrEmptyCart           = &Error{"empty_cart", "the cart is empty"}
	ErrInvalidAmount       = &Error{"invalid_amount", "invalid amount"}
	ErrUnderpaid           = &Error{"underpaid", "amount tendered is less than due"}
	ErrNotPaid             = &Error{"not_paid", "the sale is not fully paid"}
	ErrCashStep            = &Error{"cash_step", "cash is taken in whole steps of the shop's cash rounding"}
	ErrPaymentStarted      = &Error{"payment_started", "payment has started: the cart cannot change"}
	ErrInvalidSetting      = &Error{"invalid_setting", "invalid setting"}
	ErrPayCodeScanned      = &Error{"pay_code_scanned", "a customer's payment code is not a product"}
	ErrMemberScanned       = &Error{"member_scanned", "a member card is not a product"}
	ErrReceiptScanned      = &Error{"receipt_scanned", "a receipt is not a product"}
	ErrLabelMismatch       = &Error{"label_mismatch", "the label's measure does not fit how the product is sold"}
	ErrOverpaid            = &Error{"overpaid", "only cash can pay more than is due"}
	ErrInvalidCardDetails  = &Error{"invalid_card_details", "invalid card approval code or last four digits"}
	ErrNotAPayCode         = &Error{"not_a_pay_code", "not a wallet payment code"}
	ErrPaymentDeclined     = &Error{"payment_declined", "the payment was declined"}
	ErrPaymentReversed     = &Error{"payment_reversed", "no answer from the payment provider: the payment was cancelled"}
	ErrPaidElectronically  = &Error{"paid_electronically", "a card, QR or wallet payment was taken: it must be refunded first"}
	ErrRefundTooLarge      = &Error{"refund_too_large", "a refund cannot give back more than was sold and paid"}
	ErrRefundFailed        = &Error{"refund_failed", "the payment provider did not confirm the refund"}
	ErrRefundTender        = &Error{"refund_tender", "the refund cannot go back that way"}
	ErrUnsigned            = &Error{"unsigned", "the shopper has not signed"}
	ErrCartNotEmpty        = &Error{"cart_not_empty", "the cart is not empty"}
	ErrNotParked           = &Error{"not_parked", "no such parked cart"}
	ErrCartTaken           = &Error{"cart_taken", "another till took this parked cart"}
	ErrCartProduct         = &Error{"cart_product", "a product of the parked cart is not in this till's catalog"}
	ErrOffline             = &Error{"offline", "the head office is out of reach"}
	ErrInvalidStockMove    = &Error{"invalid_stock_move", "invalid stock movement"}
	ErrInvalidProduct      = &Error{"invalid_product", "invalid product"}
	ErrInvalidMember       = &Error{"invalid_member", "invalid member details"}
	ErrUnknownMember       = &Error{"unknown_member", "no such member"}
	ErrNoMember            = &Error{"no_member", "no member is on this sale"}
	ErrCardBlocked         = &Error{"card_blocked", "this member card is blocked"}
	ErrCardInUse           = &Error{"card_in_use", "this card already belongs to a member"}
	ErrInsufficientBalance = &Error{"insufficient_balance", "the prepaid balance is too low"}
	ErrInsufficientPoints  = &Error{"insufficient_points", "not enough points"}
	ErrOfflineLimit        = &Error{"offline_limit", "the till is offline: the card may spend no more here until it reaches the head office"}
	ErrInvalidPIN          = &Error{"invalid_pin", "invalid PIN"}
	ErrPINRequired         = &Error{"pin_required", "the member's PIN is needed to pay from their account"}
	ErrWrongPIN            = &Error{"wrong_pin", "wrong PIN"}
	ErrPINLocked           = &Error{"pin_locked", "too many wrong PINs: the account is locked for a while"}
	ErrDiskWrite           = &Error{"disk_write", "the till could not write to its disk (full?): nothing was saved"}
	ErrDatabaseBusy        = &Error{"database_busy", "another program is holding the till's database: nothing was saved"}
	ErrDatabaseGone        = &Error{"database_gone", "the till's database file was deleted or replaced: nothing was saved"}
	ErrPaymentUnknown      = &Error{"payment_unknown", "the payment's outcome is unknown: check with the provider before taking it again"}
)

// ErrorCode returns the code of the first *Error in err's chain, or "" for other errors (storage, I/O).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
