package app

import (
	"fmt"
	"strings"

	"checkout/app/barcode"
	"checkout/app/magstripe"
)

// InputKind is what a scanned, typed or swiped input is: it says where the input goes.
type InputKind int

// Kinds of input.
const (
	// InputProduct is a product's code, a weighed or priced label, or QTY*CODE: Checkout.Scan sells it.
	// It is also what a code that cannot be read is classified as, with Input.Err saying why.
	InputProduct InputKind = iota + 1
	InputMember            // a member's barcode card
	InputReceipt           // one of the shop's receipts: Input.Receipt is its number
	InputPayCode           // a customer's wallet pay code: only the payment dialog takes it
	InputCard              // a magnetic-stripe card swiped on a keyboard-mode reader: Input.Card
)

// Input is a scanned, typed or swiped input as the till reads it.
type Input struct {
	Kind InputKind
	Text string       // the input without surrounding white space
	Qty  string       // the quantity typed before '*' in QTY*CODE; "" for none
	Code barcode.Code // the code read (after QTY*), for every kind but InputCard
	// Receipt is the number of the receipt scanned (InputReceipt).
	Receipt string
	// Card is a swiped card (InputCard) as the store keys it: the keyed hash of its number and the number
	// masked. The number itself goes no further.
	Card MemberCard
	// Err says why the input cannot be used: a code that is not a barcode (ErrInvalidBarcode), a swipe
	// misread (ErrSwipeUnreadable) or at a till without the key swiped cards are kept under (ErrNoCardKey).
	Err error
}

// Errors of swiped cards.
var (
	ErrSwipeUnreadable = &Error{"swipe_unreadable", "the card could not be read"}
	ErrNoCardKey       = &Error{"no_card_key", "this till cannot take swiped cards"}
)

// Classifier says what inputs are, by the shop's barcode rules and the key that swiped cards are kept
// under (card.key; nil: swipes are refused with ErrNoCardKey). It is the one place that tells a product
// from a member card, a receipt, a pay code or a swipe: the screens dispatch on its answer, and
// Checkout.Scan sells only what it calls a product.
type Classifier struct {
	rules   barcode.Rules
	cardKey []byte
}

// NewClassifier returns the classifier of a till with settings s and card key cardKey.
func NewClassifier(s Settings, cardKey []byte) Classifier {
	return Classifier{rules: s.BarcodeRules(), cardKey: cardKey}
}

// Classify says what input is. A swipe is recognised by its first two characters; anything else is read
// as a barcode, after "QTY*" when it has one.
func (c Classifier) Classify(input string) Input {
	in := Input{Text: strings.TrimSpace(input)}
	if magstripe.LooksLikeSwipe(in.Text) {
		in.Kind = InputCard
		card, err := magstripe.Parse(in.Text)
		switch {
		case err != nil:
			in.Err = fmt.Errorf("%w: %w", ErrSwipeUnreadable, err)
		case len(c.cardKey) == 0:
			in.Err = ErrNoCardKey
		default:
			in.Card = MemberCard{Token: card.Token(c.cardKey), Label: card.Masked()}
		}
		return in
	}
	qty, raw, hasQty := strings.Cut(in.Text, "*")
	if !hasQty {
		raw, qty = qty, ""
	}
	in.Qty, in.Kind = qty, InputProduct
	code, err := c.rules.Parse(raw)
	if err != nil {
		in.Err = fmt.Errorf("%w: %w", ErrInvalidBarcode, err)
		return in
	}
	in.Code = code
	switch code.Kind {
	case barcode.PayCode:
		in.Kind = InputPayCode
	case barcode.Member:
		in.Kind = InputMember
	case barcode.Receipt:
		in.Kind, in.Receipt = InputReceipt, code.Data
	}
	return in
}

// ClassifyPayment says what input is where a wallet pay code is expected (the payment dialog): as
// Classify does, except that a code that reads both as an in-store scale label and as a pay code (an
// 18-digit Alipay code starting 26 whose last digit happens to be a good GS1 check digit) is a pay code.
// Classify leaves it a product, and Checkout.Scan sells it only if the catalog has the label's item.
func (c Classifier) ClassifyPayment(input string) Input {
	in := c.Classify(input)
	if in.Kind == InputProduct && in.Err == nil && in.Qty == "" && !strings.Contains(in.Text, "*") &&
		in.Code.Kind == barcode.Variable && in.Code.Wallet != "" {
		in.Kind = InputPayCode
		in.Code = barcode.Code{Symbology: in.Code.Symbology, Data: in.Code.Data, Kind: barcode.PayCode, Wallet: in.Code.Wallet}
	}
	return in
}

// ReceiptNo is the receipt number an input names: a receipt's code as scanned, or the number as typed.
func (c Classifier) ReceiptNo(input string) string {
	if in := c.Classify(input); in.Kind == InputReceipt {
		return in.Receipt
	}
	return strings.ToUpper(strings.TrimSpace(input))
}
