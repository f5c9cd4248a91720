package app

import (
	"errors"
	"testing"

	"checkout/app/barcode"
	"checkout/app/magstripe"
)

// What the till reads in each kind of input, in one table: the screens route by Kind and nothing else.
func TestClassify(t *testing.T) {
	key := []byte("the till's card key")
	c := NewClassifier(DefaultSettings(), key)
	swipe := ";1234567890123?"
	card, _ := magstripe.Parse(swipe)
	gift := ";9826150911219687=1249?"
	giftCard, _ := magstripe.Parse(";9826150911219687?") // the same card, swiped without the issuer's data
	loyaltyCard, _ := magstripe.Parse(";6012345678901234?")
	for _, tc := range []struct {
		input   string
		kind    InputKind
		qty     string
		receipt string
		card    MemberCard
		err     error
	}{
		{"6900000000014", InputProduct, "", "", MemberCard{}, nil},
		{" 3*6900000000014\r\n", InputProduct, "3", "", MemberCard{}, nil},
		{"0.455*2000101000006", InputProduct, "0.455", "", MemberCard{}, nil},
		{"2000101007500", InputProduct, "", "", MemberCard{}, nil}, // a weighed label
		{"6900000000015", InputProduct, "", "", MemberCard{}, ErrInvalidBarcode},
		{"abc\x07", InputProduct, "", "", MemberCard{}, ErrInvalidBarcode},
		{"M000042", InputMember, "", "", MemberCard{}, nil},
		{"T01-000123", InputReceipt, "", "T01-000123", MemberCard{}, nil},
		{"134567890123456789", InputPayCode, "", "", MemberCard{}, nil},
		{"286543210987654321", InputPayCode, "", "", MemberCard{}, nil},
		{swipe, InputCard, "", "", MemberCard{Token: card.Token(key), Label: card.Masked()}, nil},
		{";E?", InputCard, "", "", MemberCard{}, ErrSwipeUnreadable},
		// A gift or loyalty card with its issuer's data after '=' is the card of its number alone.
		{gift, InputCard, "", "", MemberCard{Token: giftCard.Token(key), Label: "982615******9687"}, nil},
		{";6012345678901234=ABCD?", InputCard, "", "", MemberCard{Token: loyaltyCard.Token(key), Label: "601234******1234"}, nil},
		// A payment card's track read wrong is still refused.
		{";4111111111111111=4949101?", InputCard, "", "", MemberCard{}, ErrSwipeUnreadable},
		{";9826150911219687=ab?", InputCard, "", "", MemberCard{}, ErrSwipeUnreadable},
	} {
		in := c.Classify(tc.input)
		if in.Kind != tc.kind || in.Qty != tc.qty || in.Receipt != tc.receipt || in.Card != tc.card || !errors.Is(in.Err, tc.err) ||
			(tc.err == nil && in.Err != nil) {
			t.Errorf("Classify(%q) = %+v", tc.input, in)
		}
	}
	// An 18-digit 26… code with a good GS1 check digit reads both as a scale label and as an Alipay pay
	// code: a product to Classify (Checkout.Scan asks the catalog), a pay code to ClassifyPayment.
	both := "261234567890123450"
	if in := c.Classify(both); in.Kind != InputProduct || in.Err != nil || in.Code.Kind != barcode.Variable || in.Code.Wallet != "alipay" {
		t.Errorf("Classify(%q) = %+v", both, in)
	}
	if in := c.ClassifyPayment(both); in.Kind != InputPayCode || in.Err != nil || in.Code.Kind != barcode.PayCode ||
		in.Code.Wallet != "alipay" || in.Code.Data != both || in.Text != both {
		t.Errorf("ClassifyPayment(%q) = %+v", both, in)
	}
	for _, other := range []string{"6900000000014", "134567890123456789", "261234567890123455", "2*261234567890123450", "M000042", swipe} {
		if got, want := c.ClassifyPayment(other), c.Classify(other); got.Kind != want.Kind || got.Code.Kind != want.Code.Kind || got.Card != want.Card {
			t.Errorf("ClassifyPayment(%q) = %+v, Classify says %+v", other, got, want)
		}
	}
	if in := NewClassifier(DefaultSettings(), nil).Classify(swipe); in.Kind != InputCard || !errors.Is(in.Err, ErrNoCardKey) || in.Card.Token != "" {
		t.Errorf("a swipe at a till without a card key: %+v", in)
	}
	for input, want := range map[string]string{"T01-000123": "T01-000123", " t02-000009 ": "T02-000009", "x": "X"} {
		if got := c.ReceiptNo(input); got != want {
			t.Errorf("ReceiptNo(%q) = %q, want %q", input, got, want)
		}
	}
}

// Whatever is typed or scanned, Classify says some kind, and a swiped card's number never leaves it.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"6900000000014", "3*6900000000014", "M000042", "T01-000123", "134567890123456789",
		";1234567890123?", "%B4111111111111111^DOE/JOHN^30121011000000000000000000000?", "*", ";E?"} {
		f.Add(s)
	}
	c := NewClassifier(DefaultSettings(), []byte("the till's card key"))
	f.Fuzz(func(t *testing.T, s string) {
		in := c.Classify(s)
		if in.Kind < InputProduct || in.Kind > InputCard {
			t.Fatalf("Classify(%q): kind %d", s, in.Kind)
		}
		if card, err := magstripe.Parse(s); err == nil && in.Kind == InputCard && len(card.Last4()) == 4 &&
			(in.Card.Token == "" || in.Card.Label == in.Text) {
			t.Fatalf("Classify(%q) = %+v", s, in)
		}
	})
}
