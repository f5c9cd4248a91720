package app

import (
	"fmt"
	"strings"

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

// RoundingMode says which way cash is rounded to the shop's step.
type RoundingMode string

// Rounding modes.
const (
	// RoundNearest rounds to the nearest step, halves up: ¥3.15 → ¥3.20 at 0.10.
	RoundNearest RoundingMode = "nearest"
	// RoundDown drops the small change in the shopper's favour (抹零): ¥3.18 → ¥3.10 at 0.10.
	RoundDown RoundingMode = "down"
)

// CashRounding is how the shop rounds the cash that changes hands: only cash, never a card, QR, wallet,
// prepaid or points payment, which pay to the fen.
type CashRounding struct {
	Step int64        // in minor units: 0 or 1 (none), 5, 10 or 100
	Mode RoundingMode // "" is RoundNearest
}

// Round returns a in cash: a multiple of the step, by the mode.
func (r CashRounding) Round(a money.Amount) money.Amount {
	if r.Mode == RoundDown {
		return money.TruncateToIncrement(a, r.Step)
	}
	return money.RoundToIncrement(a, r.Step)
}

// Fits reports whether a can change hands in cash: a whole number of steps.
func (r CashRounding) Fits(a money.Amount) bool { return r.Step <= 1 || a.Minor()%r.Step == 0 }

// check refuses cash amounts that cannot change hands: every one must be a whole number of steps.
func (r CashRounding) check(amounts ...money.Amount) error {
	for _, a := range amounts {
		if !r.Fits(a) {
			return &CashStepError{Amount: a, Step: money.New(r.Step, a.Currency())}
		}
	}
	return nil
}

// CashStepError is ErrCashStep with the amount refused and the step it is not a multiple of.
type CashStepError struct{ Amount, Step money.Amount }

func (e *CashStepError) Error() string {
	return fmt.Sprintf("%s: %s is not a multiple of %s", ErrCashStep.Message, e.Amount, e.Step)
}

// Unwrap makes a CashStepError ErrCashStep to errors.Is and ErrorCode.
func (e *CashStepError) Unwrap() error { return ErrCashStep }

// CashDue returns what a shopper paying total in cash hands over after the shop's cash rounding, and the
// rounding itself (due − total, negative when rounded down). Only cash is rounded: a card pays total.
func CashDue(total money.Amount, r CashRounding) (due, rounding money.Amount) {
	due = r.Round(total)
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

// maxCashDigits is the most digits cash tendered is typed with (999,999,999 in major units): a longer run
// of digits where an amount goes is a code.
const maxCashDigits = 9

// CodeNotAmount reports whether text typed where cash tendered goes is a code (a wallet pay code, a
// product's barcode) rather than an amount: digits only, more of them than any cash tendered. A pay code
// that a busy machine's keyboard wedge did not catch as a scan lands there as typing.
func CodeNotAmount(text string) bool {
	return len(text) > maxCashDigits && strings.Trim(text, "0123456789") == ""
}

// bigTenderFactor is how many times what is due the cash tendered may be before the cashier is asked
// whether it is meant (a price typed into the wrong field, a slip on the keypad).
const bigTenderFactor = 100

// ImplausibleTender reports cash tendered more than bigTenderFactor times what is due.
func ImplausibleTender(due, tendered money.Amount) bool {
	d := due.Minor()
	return d > 0 && tendered.Minor()/bigTenderFactor >= d && tendered.Minor() > d*bigTenderFactor
}
