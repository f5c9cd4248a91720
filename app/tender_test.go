package app

import (
	"context"
	"errors"
	"math"
	"testing"

	"checkout/app/money"
)

func TestCashRoundingRound(t *testing.T) {
	for _, tt := range []struct {
		r          CashRounding
		minor, got int64
	}{
		{CashRounding{}, 318, 318},
		{CashRounding{Step: 10}, 318, 320},
		{CashRounding{Step: 10, Mode: RoundNearest}, 315, 320},
		{CashRounding{Step: 10, Mode: RoundDown}, 318, 310},
		{CashRounding{Step: 100, Mode: RoundDown}, 3599, 3500},
		{CashRounding{Step: 5, Mode: RoundDown}, 319, 315},
		{CashRounding{Step: 100}, 350, 400},
	} {
		if got := tt.r.Round(cny(tt.minor)).Minor(); got != tt.got {
			t.Errorf("%+v.Round(%d) = %d, want %d", tt.r, tt.minor, got, tt.got)
		}
	}
}

// bananaCheckout is a till with cash rounding r and a banana label of ¥3.18 in the cart.
func bananaCheckout(t *testing.T, r CashRounding) (*Checkout, *ledger) {
	t.Helper()
	s := DefaultSettings()
	s.CashRounding = r
	c, log := newTestCheckout(t, s)
	if _, err := c.Scan(context.Background(), "0.455*2000101000006"); err != nil { // 6.98 × 0.455 = 3.18
		t.Fatal(err)
	}
	return c, log
}

// The counter's case: ¥3.18 at a 0.10 step, ¥1.59 asked in cash with F4, the card for the rest. Today
// the card paid 1.59, Due said 0.00, CashDue said 0.01 and the sale could not complete.
func TestSplitCashAndCardCompletesWithCashRounding(t *testing.T) {
	ctx := context.Background()
	for _, r := range []CashRounding{{Step: 5}, {Step: 10}, {Step: 100}, {Step: 10, Mode: RoundDown}, {Step: 100, Mode: RoundDown}} {
		c, log := bananaCheckout(t, r)
		if _, err := c.PayCashPart(cny(159)); !errors.Is(err, ErrCashStep) || ErrorCode(err) != "cash_step" {
			t.Fatalf("%+v: a cash part of 1.59 = %v, want ErrCashStep", r, err)
		}
		if len(c.Tenders()) != 0 || c.Due().Minor() != 318 {
			t.Fatalf("%+v: the refused part changed the sale: %v due, %d tenders", r, c.Due(), len(c.Tenders()))
		}
		part := cny(100)
		if _, err := c.PayCashPart(part); err != nil {
			t.Fatalf("%+v: a cash part of 1.00: %v", r, err)
		}
		if c.Due().Minor() != 218 {
			t.Fatalf("%+v: due after 1.00 cash = %v, want 2.18", r, c.Due())
		}
		if _, err := c.PayCard(c.Due(), "777001", "1234"); err != nil {
			t.Fatalf("%+v: card for what is due: %v", r, err)
		}
		if !c.Due().IsZero() || !c.CashDue().IsZero() {
			t.Fatalf("%+v: after the card, due %v cash due %v", r, c.Due(), c.CashDue())
		}
		sale, err := c.Complete(ctx)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		if !sale.Rounding.IsZero() || sale.Paid().Minor() != 318 || len(log.sales) != 1 {
			t.Errorf("%+v: rounding %v paid %v", r, sale.Rounding, sale.Paid())
		}
	}
}

// Cash and another tender, each way round: the rounding is that of the cash part alone.
func TestSplitTendersRoundOnlyTheCash(t *testing.T) {
	ctx := context.Background()
	others := map[string]func(c *Checkout, a money.Amount) error{
		"card": func(c *Checkout, a money.Amount) error { _, err := c.PayCard(a, "777001", "1234"); return err },
		"qr":   func(c *Checkout, a money.Amount) error { _, err := c.PayQR(a, c.PaymentReference(), "TX1"); return err },
		"wallet": func(c *Checkout, a money.Amount) error {
			gw := &scriptedGateway{charges: []PaymentResult{{Status: PaymentPaid, TransactionID: "W1"}}}
			_, err := c.PayWithCode(ctx, gw, wechatCode, a, quickWait)
			return err
		},
		"prepaid": func(c *Checkout, a money.Amount) error {
			if err := c.SetMember(Member{ID: 1, Number: "M000001", Name: "王芳", Balance: cny(100_00)}); err != nil {
				return err
			}
			_, err := c.PayPrepaid(a)
			return err
		},
	}
	for name, pay := range others {
		for _, tt := range []struct {
			r        CashRounding
			other    int64 // paid the other way first, before cash settles the rest
			cash     int64 // what cash then settles
			rounding int64
		}{
			{CashRounding{Step: 10}, 100, 220, 2},                   // 2.18 → 2.20
			{CashRounding{Step: 10, Mode: RoundDown}, 100, 210, -8}, // 抹零: 2.18 → 2.10
			{CashRounding{Step: 100}, 150, 200, 32},                 // 1.68 → 2.00
			{CashRounding{Step: 100, Mode: RoundDown}, 150, 100, -68},
			{CashRounding{Step: 5}, 1, 315, -2}, // 3.17 → 3.15
		} {
			c, _ := bananaCheckout(t, tt.r)
			if err := pay(c, cny(tt.other)); err != nil {
				t.Fatalf("%s %+v: %v", name, tt.r, err)
			}
			if c.CashDue().Minor() != tt.cash || c.Due().Minor() != 318-tt.other {
				t.Fatalf("%s %+v: cash due %v, due %v", name, tt.r, c.CashDue(), c.Due())
			}
			sale, err := c.SettleCash(ctx, c.CashDue())
			if err != nil {
				t.Fatalf("%s %+v: %v", name, tt.r, err)
			}
			if sale.Rounding.Minor() != tt.rounding || sale.Paid().Minor() != 318+tt.rounding {
				t.Errorf("%s %+v: rounding %v, paid %v", name, tt.r, sale.Rounding, sale.Paid())
			}
		}
	}
}

// What another tender leaves that rounds to nothing in cash is nothing due: both say so, and the sale
// completes with that rounding, as a ¥0.04 sale does.
func TestRemainderThatRoundsAwayIsNothingDue(t *testing.T) {
	ctx := context.Background()
	c, _ := bananaCheckout(t, CashRounding{Step: 10})
	if _, err := c.PayCard(cny(314), "777001", "1234"); err != nil {
		t.Fatal(err)
	}
	if !c.Due().IsZero() || !c.CashDue().IsZero() {
		t.Fatalf("0.04 left: due %v, cash due %v", c.Due(), c.CashDue())
	}
	if _, err := c.PayCard(cny(4), "777002", "1234"); err == nil {
		t.Fatal("a card took a payment when nothing was due")
	}
	sale, err := c.Complete(ctx)
	if err != nil || sale.Rounding.Minor() != -4 {
		t.Fatalf("sale %+v, %v", sale, err)
	}

	c, _ = bananaCheckout(t, CashRounding{Step: 10})
	if _, err := c.PayCard(cny(312), "777001", "1234"); err != nil {
		t.Fatal(err)
	}
	if c.Due().Minor() != 6 || c.CashDue().Minor() != 10 { // 0.06 rounds up to 0.10 in cash
		t.Fatalf("0.06 left: due %v, cash due %v", c.Due(), c.CashDue())
	}
	if _, err := c.Complete(ctx); !errors.Is(err, ErrNotPaid) {
		t.Fatalf("completed with 0.06 due: %v", err)
	}
}

// Cash that cannot change hands is refused: a tendered amount or a top-up off the step.
func TestCashOffTheStepIsRefused(t *testing.T) {
	c, _ := bananaCheckout(t, CashRounding{Step: 10})
	if _, err := c.PayCash(cny(325)); !errors.Is(err, ErrCashStep) || len(c.Tenders()) != 0 {
		t.Fatalf("3.25 handed over at a 0.10 step = %v", err)
	}
	if _, err := c.PayCash(cny(500)); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.CashRounding = CashRounding{Step: 100, Mode: RoundDown}
	m := Member{ID: 1, Number: "M000001"}
	if _, err := NewTopUp(s, m, cny(100_50), Tender{Kind: TenderCash}, "Olivia", c.now()); !errors.Is(err, ErrCashStep) {
		t.Errorf("a cash top-up of 100.50 at a 1.00 step = %v", err)
	}
	if _, err := NewTopUp(s, m, cny(100_50), Tender{Kind: TenderCard, Approval: "777001", CardLast4: "1234"}, "Olivia", c.now()); err != nil {
		t.Errorf("a card top-up of 100.50 = %v", err)
	}
}

func TestCashRoundingModeSetting(t *testing.T) {
	s := DefaultSettings()
	if got := s.Value("cash_rounding_mode"); got != "nearest" {
		t.Errorf("default mode %q", got)
	}
	if err := s.Set("cash_rounding_mode", "Down"); err != nil || s.CashRounding.Mode != RoundDown || s.Value("cash_rounding_mode") != "down" {
		t.Errorf("set down: %v, %+v", err, s.CashRounding)
	}
	for _, bad := range []string{"up", "half-even", "0.10"} {
		if err := s.Set("cash_rounding_mode", bad); !errors.Is(err, ErrInvalidSetting) || s.CashRounding.Mode != RoundDown {
			t.Errorf("set %q = %v, left %+v", bad, err, s.CashRounding)
		}
	}
}

func TestCodeNotAmount(t *testing.T) {
	for text, want := range map[string]bool{
		"134567890123456789": true,  // a WeChat pay code
		"6924743915763":      true,  // a product's barcode
		"1000000000":         true,  // ten digits: no till takes a billion in cash
		"999999999":          false, // nine: an amount, however large
		"50":                 false,
		"58.50":              false,
		"1234567890.00":      false, // not digits only: an amount, refused elsewhere if absurd
		"":                   false,
		"12345678901x":       false,
	} {
		if got := CodeNotAmount(text); got != want {
			t.Errorf("CodeNotAmount(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestImplausibleTender(t *testing.T) {
	cny := func(m int64) money.Amount { return money.New(m, money.CNY) }
	for _, tt := range []struct {
		due, tendered int64
		want          bool
	}{
		{300, 30000, false}, // exactly 100 times
		{300, 30001, true},
		{300, 5000, false},
		{0, 1_000_000, false}, // nothing due: nothing to compare with
		{1, math.MaxInt64, true},
		{math.MaxInt64 / 50, math.MaxInt64, false}, // no overflow in the comparison
	} {
		if got := ImplausibleTender(cny(tt.due), cny(tt.tendered)); got != tt.want {
			t.Errorf("ImplausibleTender(%d, %d) = %v, want %v", tt.due, tt.tendered, got, tt.want)
		}
	}
}
