package app

import (
	"fmt"

	"checkout/app/money"
)

// TenderKind is how a shopper pays.
type TenderKind string

// Tender kinds.
const (
	TenderCash TenderKind = "cash"
	// TenderCard is a bank card on the shop's own card terminal: the till knows the approval code and the
	// card's last four digits, never the card number.
	TenderCard TenderKind = "card"
	// TenderQR is the shop's merchant-presented QR code, scanned by the shopper's phone.
	TenderQR TenderKind = "qr"
	// TenderWallet is the shopper's wallet pay code, scanned by the till and charged through the gateway.
	TenderWallet TenderKind = "wallet"
)

// Tender is one payment towards a sale.
type Tender struct {
	Kind     TenderKind
	Amount   money.Amount // what it pays of the sale
	Tendered money.Amount // what the shopper handed over
	Change   money.Amount // Tendered − Amount, handed back; only cash has change
	// Reference is the till's reference for a QR or wallet payment, unique per attempt: the provider
	// charges it at most once.
	Reference string
	// Approval is the card terminal's approval code or the provider's transaction ID.
	Approval  string
	CardLast4 string
	Wallet    string // "wechat", "alipay", "unionpay"; for wallet pay codes
	Points    int64  // the member's points a points tender spent
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

func maxChangeMinor(c money.Currency) int64 { return maxChange * c.MinorPerMajor() }

// ChangeFor returns the change for tendered cash against due, or an error wrapping ErrUnderpaid.
func ChangeFor(due, tendered money.Amount) (money.Amount, error) {
	if tendered.Cmp(due) < 0 {
		return money.Amount{}, fmt.Errorf("%w: %s short", ErrUnderpaid, due.Sub(tendered))
	}
	return tendered.Sub(due), nil
}

// noteSteps are the cash amounts, in major units, a shopper commonly hands over above the amount due.
var noteSteps = []int64{1, 5, 10, 20, 50, 100}

// SuggestedTenders returns the amounts a cashier most likely receives for due, smallest first: the exact
// amount, then the next round note amounts above it (¥35.18 → 35.18, 36, 40, 50, 100). At most five.
func SuggestedTenders(due money.Amount) []money.Amount {
	if due.Minor() <= 0 {
		return nil
	}
	unit := due.Currency().MinorPerMajor()
	out := []money.Amount{due}
	for _, step := range noteSteps {
		s := step * unit
		next := (due.Minor()/s + 1) * s
		if due.Minor()%s == 0 {
			next = due.Minor() + s
		}
		if last := out[len(out)-1].Minor(); next > last && next <= 20*max(due.Minor(), 100*unit) {
			out = append(out, money.New(next, due.Currency()))
		}
		if len(out) == 5 {
			break
		}
	}
	return out
}
