package app

import (
	"context"
	"errors"
	"testing"

	"checkout/app/signature"
)

// soldSale rings up codes, pays by card for cardMinor and the rest in cash, and returns the stored sale.
func soldSale(t *testing.T, c *Checkout, cardMinor int64, codes ...string) *Sale {
	t.Helper()
	ctx := context.Background()
	for _, code := range codes {
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if cardMinor > 0 {
		if _, err := c.PayCard(cny(cardMinor), "777001", "1234"); err != nil {
			t.Fatal(err)
		}
	}
	if c.CashDue().Minor() > 0 {
		if _, err := c.PayCash(c.CashDue()); err != nil {
			t.Fatal(err)
		}
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sale
}

func TestRefundPartsAddUpToWhatWasPaid(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	// Seven of a 6.50 item with a line discount of 0.01: 45.49 does not split into sevenths, so the parts
	// round and the last one takes what is left.
	for _, code := range []string{"7*6900000000021"} {
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetDiscount(0, Discount{Amount: cny(1)}); err != nil {
		t.Fatal(err)
	}
	sale := soldSale(t, c, 0)
	if sale.Totals.Total.Minor() != 4549 {
		t.Fatalf("sale total %v", sale.Totals.Total)
	}
	var earlier []Refund
	var given int64
	for _, qty := range []Quantity{Pieces(2), Pieces(3), Pieces(2)} {
		r, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{LineNo: 1, Qty: qty}}, RefundTo{Kind: TenderCash}, "customer returned")
		if err != nil {
			t.Fatal(err)
		}
		earlier = append(earlier, *r)
		given += r.Total.Minor()
	}
	if given != sale.Totals.Total.Minor() {
		t.Fatalf("three partial refunds gave back %d of %d paid", given, sale.Totals.Total.Minor())
	}
	if _, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{LineNo: 1, Qty: Pieces(1)}}, RefundTo{Kind: TenderCash}, ""); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("a fourth refund of a fully refunded line = %v", err)
	}
	if len(log.refunds) != 3 || log.refunds[0].ReceiptNo != "T01-R000001" || log.refunds[0].SaleReceipt != sale.ReceiptNo {
		t.Fatalf("stored refunds %+v", log.refunds)
	}
}

func TestRefundRules(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	sale := soldSale(t, c, 500, "6900000000014", "6900000000021") // 3.00 + 6.50: 5.00 card, 4.50 cash
	for _, tt := range []struct {
		name  string
		picks []RefundPick
		to    RefundTo
		want  error
	}{
		{"no line", nil, RefundTo{Kind: TenderCash}, ErrNoSuchLine},
		{"line 3 of 2", []RefundPick{{3, Pieces(1)}}, RefundTo{Kind: TenderCash}, ErrNoSuchLine},
		{"more than sold", []RefundPick{{1, Pieces(2)}}, RefundTo{Kind: TenderCash}, ErrRefundTooLarge},
		{"zero", []RefundPick{{1, 0}}, RefundTo{Kind: TenderCash}, ErrInvalidQuantity},
		{"same line twice", []RefundPick{{1, Pieces(1)}, {1, Pieces(1)}}, RefundTo{Kind: TenderCash}, ErrInvalidQuantity},
		{"card without approval", []RefundPick{{1, Pieces(1)}}, RefundTo{Kind: TenderCard}, ErrInvalidCardDetails},
		{"card more than it paid", []RefundPick{{1, Pieces(1)}, {2, Pieces(1)}}, RefundTo{Kind: TenderCard, Approval: "R1"}, ErrRefundTooLarge},
		{"to a wallet", []RefundPick{{1, Pieces(1)}}, RefundTo{Kind: TenderWallet}, ErrRefundTender},
	} {
		if _, err := c.RefundSale(ctx, sale, nil, tt.picks, tt.to, ""); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if len(log.refunds) != 0 {
		t.Fatalf("refused refunds were stored: %+v", log.refunds)
	}
	r, err := c.RefundSale(ctx, sale, nil, []RefundPick{{1, Pieces(1)}}, RefundTo{Kind: TenderCard, Approval: "r9"}, "")
	if err != nil || r.Tender.Kind != TenderCard || r.Tender.CardLast4 != "1234" || r.Tender.Approval != "R9" || r.Total.Minor() != 300 {
		t.Fatalf("card refund %+v, %v", r, err)
	}
	// The card paid 5.00 and has had 3.00 back: line 2 (6.50) cannot go to it, but can go in cash.
	earlier := []Refund{*r}
	if _, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{2, Pieces(1)}}, RefundTo{Kind: TenderCard, Approval: "R10"}, ""); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("second card refund = %v", err)
	}
	if _, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{2, Pieces(1)}}, RefundTo{Kind: TenderCash}, ""); err != nil {
		t.Fatal(err)
	}
}

func TestCashRefundIsRoundedLikeCash(t *testing.T) {
	ctx := context.Background()
	s := DefaultSettings()
	s.CashRounding.Step = 10
	c, _ := newTestCheckout(t, s)
	sale := soldSale(t, c, 0, "0.455*2000101000006") // 3.18, paid 3.20 in cash
	r, err := c.RefundSale(ctx, sale, nil, []RefundPick{{1, Grams(455)}}, RefundTo{Kind: TenderCash}, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Minor() != 318 || r.Tender.Amount.Minor() != 320 || r.Rounding.Minor() != 2 {
		t.Fatalf("refund total %v handed %v rounding %v", r.Total, r.Tender.Amount, r.Rounding)
	}
}

func TestParsePicks(t *testing.T) {
	c, _ := newTestCheckout(t, DefaultSettings())
	sale := soldSale(t, c, 0, "3*6900000000014", "6900000000021", "0.455*2000101000006")
	r := RefundableOf(sale, nil)
	for _, tt := range []struct {
		text string
		want []RefundPick
		err  error
	}{
		{"", nil, ErrNoLinesPicked},
		{" ， ", nil, ErrNoLinesPicked},
		{"*", []RefundPick{{1, Pieces(3)}, {2, Pieces(1)}, {3, Grams(455)}}, nil},
		{" 全部 ", []RefundPick{{1, Pieces(3)}, {2, Pieces(1)}, {3, Grams(455)}}, nil},
		{"ALL", []RefundPick{{1, Pieces(3)}, {2, Pieces(1)}, {3, Grams(455)}}, nil},
		{"2", []RefundPick{{2, Pieces(1)}}, nil},
		{"1x2, 3*0.2", []RefundPick{{1, Pieces(2)}, {3, Grams(200)}}, nil},
		{"1X1，2", []RefundPick{{1, Pieces(1)}, {2, Pieces(1)}}, nil},
		{"4", nil, ErrNoSuchLine},
		{"a", nil, ErrNoSuchLine},
		{"1x1.5", nil, ErrInvalidQuantity},
	} {
		got, err := r.ParsePicks(tt.text)
		if !errors.Is(err, tt.err) || len(got) != len(tt.want) {
			t.Errorf("ParsePicks(%q) = %v, %v; want %v, %v", tt.text, got, err, tt.want, tt.err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ParsePicks(%q)[%d] = %v, want %v", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}

// walletRefunds records refunds as a provider sees them.
type walletRefunds struct {
	calls []RefundRequest
	fail  error
}

func (w *walletRefunds) Refund(_ context.Context, req RefundRequest) error {
	w.calls = append(w.calls, req)
	return w.fail
}

func TestRefundToTheWallet(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	gw := &scriptedGateway{charges: []PaymentResult{{Status: PaymentPaid, TransactionID: "T1"}}}
	paid, err := c.PayWithCode(ctx, gw, wechatCode, cny(300), quickWait)
	if err != nil {
		t.Fatal(err)
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &walletRefunds{fail: errors.New("provider busy")}
	to := RefundTo{Kind: TenderWallet, Refunder: w}
	if _, err := c.RefundSale(ctx, sale, nil, []RefundPick{{1, Pieces(1)}}, to, ""); !errors.Is(err, ErrRefundFailed) || len(log.refunds) != 0 {
		t.Fatalf("a refund the provider refused = %v, stored %d", err, len(log.refunds))
	}
	w.fail = nil
	r, err := c.PrepareRefund(sale, nil, []RefundPick{{1, Pieces(1)}}, to, "")
	if err != nil {
		t.Fatal(err)
	}
	log.failing = true // the provider refunds, then the store fails: the retry must not refund again
	if err := c.CompleteRefund(ctx, r, to); err == nil {
		t.Fatal("CompleteRefund reported success while the store failed")
	}
	log.failing = false
	if err := c.CompleteRefund(ctx, r, to); err != nil {
		t.Fatal(err)
	}
	last := w.calls[len(w.calls)-1]
	if last.Reference != paid.Reference || last.RefundReference != r.ID || w.calls[len(w.calls)-2].RefundReference != r.ID ||
		last.Amount.Minor() != 300 || r.Tender.Wallet != "wechat" || len(log.refunds) != 1 {
		t.Fatalf("provider saw %+v; refund %+v", w.calls, r)
	}
	if _, err := c.RefundSale(ctx, sale, []Refund{*r}, []RefundPick{{1, Pieces(1)}}, to, ""); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("second refund of the same can = %v", err)
	}
}

// A rounded cash sale's refunds give back what the shopper paid for the lines: their value and their
// share of the rounding, in cash rounded to the step, and all of them together exactly what was paid.
func TestRefundsShareTheSaleRounding(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		r        CashRounding
		paid     int64    // cola 3.00 + banana 3.18 = 6.18, paid in cash
		first    int      // the line refunded first
		backs    [2]int64 // what each refund gives back
		rounding int64
	}{
		{"nearest, cola first", CashRounding{Step: 10}, 620, 1, [2]int64{300, 320}, 2},
		{"nearest, banana first", CashRounding{Step: 10}, 620, 2, [2]int64{320, 300}, 2},
		{"抹零, banana first", CashRounding{Step: 10, Mode: RoundDown}, 610, 2, [2]int64{310, 300}, -8},
		{"抹零 to the yuan, cola first", CashRounding{Step: 100, Mode: RoundDown}, 600, 1, [2]int64{300, 300}, -18},
		{"抹零 to the yuan, banana first", CashRounding{Step: 100, Mode: RoundDown}, 600, 2, [2]int64{300, 300}, -18},
	} {
		s := DefaultSettings()
		s.CashRounding = tt.r
		c, _ := newTestCheckout(t, s)
		sale := soldSale(t, c, 0, "6900000000014", "0.455*2000101000006")
		if sale.Paid().Minor() != tt.paid || sale.Rounding.Minor() != tt.rounding {
			t.Fatalf("%s: paid %v rounding %v", tt.name, sale.Paid(), sale.Rounding)
		}
		var earlier []Refund
		var back int64
		for i, line := range []int{tt.first, 3 - tt.first} {
			r, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{line, sale.Lines[line-1].Qty}}, RefundTo{Kind: TenderCash}, "")
			if err != nil {
				t.Fatalf("%s: refund %d: %v", tt.name, i+1, err)
			}
			if r.Tender.Amount.Minor() != tt.backs[i] || r.Rounding != r.Tender.Amount.Sub(r.Total) {
				t.Errorf("%s: refund %d of line %d gives back %v (rounding %v), want %d", tt.name, i+1, line, r.Tender.Amount, r.Rounding, tt.backs[i])
			}
			earlier = append(earlier, *r)
			back += r.Tender.Amount.Minor()
		}
		if back != tt.paid {
			t.Errorf("%s: refunds gave back %d of %d paid", tt.name, back, tt.paid)
		}
	}
}

// A card refund takes back the lines' share of the cash rounding only as far as the card paid; the
// rest is owed to the next refund, and everything still comes back.
func TestCardRefundOfARoundedSaleCarriesTheRest(t *testing.T) {
	ctx := context.Background()
	s := DefaultSettings()
	s.CashRounding.Step = 10
	c, _ := newTestCheckout(t, s)
	sale := soldSale(t, c, 300, "6900000000014", "0.455*2000101000006") // card 3.00, cash 3.18 → 3.20
	if sale.Paid().Minor() != 620 {
		t.Fatalf("paid %v", sale.Paid())
	}
	if _, err := c.RefundSale(ctx, sale, nil, []RefundPick{{2, Grams(455)}}, RefundTo{Kind: TenderCard, Approval: "R1"}, ""); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("3.18 of bananas to a card that paid 3.00 = %v", err)
	}
	first, err := c.RefundSale(ctx, sale, nil, []RefundPick{{1, Pieces(1)}}, RefundTo{Kind: TenderCard, Approval: "R1"}, "")
	if err != nil || first.Tender.Amount.Minor() != 300 { // owed 3.01, the card took 3.00
		t.Fatalf("cola to the card: %+v, %v", first, err)
	}
	second, err := c.RefundSale(ctx, sale, []Refund{*first}, []RefundPick{{2, Grams(455)}}, RefundTo{Kind: TenderCash}, "")
	if err != nil || second.Tender.Amount.Minor() != 320 {
		t.Fatalf("bananas in cash: %+v, %v", second, err)
	}
}

// Points the sale earned go back with its refunds, all of them once everything is refunded, however the
// parts fall.
func TestRefundsTakeBackExactlyThePointsEarned(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	if err := c.SetMember(Member{ID: 1, Number: "M000001"}); err != nil {
		t.Fatal(err)
	}
	sale := soldSale(t, c, 0, "7*6900000000021") // 45.50: 45 points, not a whole number per piece
	if sale.Member == nil || sale.Member.PointsEarned != 45 {
		t.Fatalf("member on sale %+v", sale.Member)
	}
	var earlier []Refund
	var back int64
	for i := 0; i < 7; i++ {
		r, err := c.RefundSale(ctx, sale, earlier, []RefundPick{{1, Pieces(1)}}, RefundTo{Kind: TenderCash}, "")
		if err != nil {
			t.Fatal(err)
		}
		earlier = append(earlier, *r)
		back -= r.Member.PointsEarned
	}
	if back != 45 {
		t.Errorf("refunds took back %d of 45 points", back)
	}
}

// With signature.refunds on, a refund the shopper has not signed for is refused before any money moves
// — the wallet provider is not asked — and nothing is stored; signed, it goes through with its signature.
func TestRefundWaitsForTheShoppersSignature(t *testing.T) {
	ctx := context.Background()
	set := DefaultSettings()
	if err := set.Set("signature.refunds", "on"); err != nil {
		t.Fatal(err)
	}
	c, log := newTestCheckout(t, set)
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	gw := &scriptedGateway{charges: []PaymentResult{{Status: PaymentPaid, TransactionID: "T1"}}}
	if _, err := c.PayWithCode(ctx, gw, wechatCode, cny(300), quickWait); err != nil {
		t.Fatal(err)
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &walletRefunds{}
	to := RefundTo{Kind: TenderWallet, Refunder: w}
	r, err := c.PrepareRefund(sale, nil, []RefundPick{{1, Pieces(1)}}, to, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CompleteRefund(ctx, r, to); !errors.Is(err, ErrUnsigned) || len(w.calls) != 0 || len(log.refunds) != 0 {
		t.Fatalf("unsigned refund = %v; provider asked %d times, %d stored", err, len(w.calls), len(log.refunds))
	}
	r.Signature = signature.Signature{{{0, 0}, {1000, 300}}}
	if err := c.CompleteRefund(ctx, r, to); err != nil || len(w.calls) != 1 || len(log.refunds) != 1 {
		t.Fatalf("signed refund = %v; provider asked %d times, %d stored", err, len(w.calls), len(log.refunds))
	}
}
