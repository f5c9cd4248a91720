package app

import "checkout/app/money"

// TenderKind is how a shopper pays.
type TenderKind string

// Tender kinds. Card, QR and prepaid arrive with the payments work.
const (
	TenderCash TenderKind = "cash"
)

// Tender is one payment towards a sale.
type Tender struct {
	Kind     TenderKind
	Amount   money.Amount // what it pays of the sale
	Tendered money.Amount // what the shopper handed over
	Change   money.Amount // Tendered − Amount, handed back
}

// CashDue returns what a shopper paying total in cash hands over after the shop's cash rounding, and the
// rounding itself (due − total, negative when rounded down). Only cash is rounded: a card pays total.
func CashDue(total money.Amount, increment int64) (due, rounding money.Amount) {
	due = money.RoundToIncrement(total, increment)
	return due, due.Sub(total)
}

// maxChange is the most change the till hands back, in major units: a tendered amount beyond it is
// almost certainly a barcode or a slip of the finger in the amount field.
const maxChange = 10_000

func maxChangeMinor(c money.Currency) int64 {
	m := int64(maxChange)
	for range c.Exponent {
		m *= 10
	}
	return m
}
