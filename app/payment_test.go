package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app/money"
)

// scriptedGateway answers from scripts and records every call, as a provider would see them.
type scriptedGateway struct {
	mu      sync.Mutex
	charges []PaymentResult // the answer to each Charge in turn; an errTimeout entry stands for silence
	queries []PaymentResult // the answer to each Query in turn; the last repeats
	reverse []error         // the answer to each Reverse in turn; the last repeats
	calls   []string
	charged map[string]int // reference → charges the provider acted on
}

// errTimeout marks a scripted answer that never arrives.
var errTimeout = errors.New("timeout")

// silent is a scripted result meaning "no answer".
var silent = PaymentResult{Message: "silent"}

func (g *scriptedGateway) next(list *[]PaymentResult) (PaymentResult, error) {
	r := (*list)[0]
	if len(*list) > 1 {
		*list = (*list)[1:]
	}
	if r == silent {
		return PaymentResult{}, errTimeout
	}
	return r, nil
}

func (g *scriptedGateway) Charge(_ context.Context, req ChargeRequest) (PaymentResult, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, "charge "+req.Reference+" "+req.Amount.Decimal()+" "+req.Wallet)
	if g.charged == nil {
		g.charged = map[string]int{}
	}
	g.charged[req.Reference]++
	return g.next(&g.charges)
}

func (g *scriptedGateway) Query(_ context.Context, ref string) (PaymentResult, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, "query "+ref)
	return g.next(&g.queries)
}

func (g *scriptedGateway) Reverse(_ context.Context, ref string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, "reverse "+ref)
	err := g.reverse[0]
	if len(g.reverse) > 1 {
		g.reverse = g.reverse[1:]
	}
	return err
}

func (g *scriptedGateway) kinds() string {
	var k []string
	for _, c := range g.calls {
		k = append(k, strings.Fields(c)[0])
	}
	return strings.Join(k, ",")
}

const wechatCode = "134567890123456789"

var quickWait = PaymentWait{Poll: time.Millisecond, Timeout: 50 * time.Millisecond, Call: time.Second}

func TestPayWithCodeOutcomes(t *testing.T) {
	paid := PaymentResult{Status: PaymentPaid, TransactionID: "4200001234"}
	pending := PaymentResult{Status: PaymentPending}
	declined := PaymentResult{Status: PaymentDeclined, Message: "insufficient balance"}
	for _, tt := range []struct {
		name    string
		gw      *scriptedGateway
		want    error // nil: paid
		calls   string
		waiting bool
	}{
		{"paid at once", &scriptedGateway{charges: []PaymentResult{paid}}, nil, "charge", false},
		{"declined", &scriptedGateway{charges: []PaymentResult{declined}}, ErrPaymentDeclined, "charge", false},
		{"shopper confirms on the phone", &scriptedGateway{charges: []PaymentResult{pending}, queries: []PaymentResult{pending, pending, paid}},
			nil, "charge,query,query,query", true},
		{"timeout, query finds it paid", &scriptedGateway{charges: []PaymentResult{silent}, queries: []PaymentResult{paid}},
			nil, "charge,query", true},
		{"timeout, the charge never arrived", &scriptedGateway{charges: []PaymentResult{silent}, queries: []PaymentResult{{Status: PaymentNotFound}}},
			ErrPaymentDeclined, "charge,query", true},
		{"pending past the timeout is reversed", &scriptedGateway{charges: []PaymentResult{pending}, queries: []PaymentResult{pending}, reverse: []error{nil}},
			ErrPaymentReversed, "", true},
		{"silent throughout, reversal on the second try", &scriptedGateway{charges: []PaymentResult{silent}, queries: []PaymentResult{silent}, reverse: []error{errTimeout, nil}},
			ErrPaymentReversed, "", true},
		{"even the reversal unanswered", &scriptedGateway{charges: []PaymentResult{silent}, queries: []PaymentResult{silent}, reverse: []error{errTimeout}},
			ErrPaymentUnknown, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c, log := newTestCheckout(t, DefaultSettings())
			if _, err := c.Scan(ctx, "6900000000014"); err != nil {
				t.Fatal(err)
			}
			wait := quickWait
			waited := false
			wait.Waiting = func(PaymentStatus, error) { waited = true }
			tender, err := c.PayWithCode(ctx, tt.gw, wechatCode, cny(300), wait)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("PayWithCode = %+v, %v; want %v (calls %v)", tender, err, tt.want, tt.gw.calls)
			}
			if tt.calls != "" && tt.gw.kinds() != tt.calls {
				t.Errorf("calls %v, want %s", tt.gw.calls, tt.calls)
			}
			if waited != tt.waiting {
				t.Errorf("Waiting called: %v, want %v", waited, tt.waiting)
			}
			if tt.want != nil {
				if !strings.HasSuffix(tt.gw.kinds(), "reverse") && errors.Is(tt.want, ErrPaymentReversed) {
					t.Errorf("not reversed: %v", tt.gw.calls)
				}
				if _, err := c.Complete(ctx); !errors.Is(err, ErrNotPaid) {
					t.Fatalf("a failed payment let the sale complete: %v", err)
				}
				return
			}
			if tender.Kind != TenderWallet || tender.Wallet != "wechat" || tender.Approval != "4200001234" || tender.Reference == "" {
				t.Errorf("tender %+v", tender)
			}
			if tt.gw.charged[tender.Reference] != 1 {
				t.Errorf("reference %s charged %d times", tender.Reference, tt.gw.charged[tender.Reference])
			}
			sale, err := c.Complete(ctx)
			if err != nil || len(log.sales) != 1 || sale.Tenders[0].Approval != "4200001234" {
				t.Fatalf("Complete = %+v, %v", sale, err)
			}
		})
	}
}

func TestPayWithCodeRefusesWhatIsNotAPayCode(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	gw := &scriptedGateway{charges: []PaymentResult{{Status: PaymentPaid}}}
	for _, code := range []string{"6900000000014", "12345", "M0000123"} {
		if _, err := c.PayWithCode(ctx, gw, code, cny(300), quickWait); !errors.Is(err, ErrNotAPayCode) {
			t.Errorf("PayWithCode(%q) = %v, want ErrNotAPayCode", code, err)
		}
	}
	if _, err := c.PayWithCode(ctx, gw, wechatCode, cny(301), quickWait); !errors.Is(err, ErrOverpaid) {
		t.Errorf("a wallet paying more than due = %v", err)
	}
	if len(gw.calls) != 0 {
		t.Errorf("refused payments reached the provider: %v", gw.calls)
	}
}

func TestPaymentReferencesAreUniquePerAttempt(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	declined := &scriptedGateway{charges: []PaymentResult{{Status: PaymentDeclined}}}
	paid := &scriptedGateway{charges: []PaymentResult{{Status: PaymentPaid, TransactionID: "T2"}}}
	if _, err := c.PayWithCode(ctx, declined, wechatCode, cny(300), quickWait); !errors.Is(err, ErrPaymentDeclined) {
		t.Fatal(err)
	}
	tender, err := c.PayWithCode(ctx, paid, wechatCode, cny(300), quickWait)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.Fields(declined.calls[0])[1]
	if first == tender.Reference || len(tender.Reference) > 25 {
		t.Errorf("references %q then %q: a retry after a decline needs a new one, ≤ 25 characters", first, tender.Reference)
	}
	// A QR confirmation arriving twice for one reference is taken once.
	c2, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c2.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	ref := c2.PaymentReference()
	if _, err := c2.PayQR(cny(300), ref, "T9"); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.PayQR(cny(300), ref, "T9"); err == nil {
		t.Fatal("a duplicate confirmation was taken twice")
	}
	if c2.Due().Minor() != 300 {
		t.Errorf("due after one QR payment of two items: %v", c2.Due())
	}
}

func TestSplitTender(t *testing.T) {
	ctx := context.Background()
	s := DefaultSettings()
	s.CashRounding.Step = 10
	c, log := newTestCheckout(t, s)
	for _, code := range []string{"6900000000014", "0.455*2000101000006"} { // 3.00 + 3.18 = 6.18
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PayCashPart(cny(200)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCard(cny(500), "123456", "4242"); !errors.Is(err, ErrOverpaid) {
		t.Fatalf("card over what is due = %v", err)
	}
	for _, bad := range [][2]string{{"", "4242"}, {"12 34", "4242"}, {"123456", "424"}, {"123456", "4242424242424242"}} {
		if _, err := c.PayCard(cny(100), bad[0], bad[1]); !errors.Is(err, ErrInvalidCardDetails) {
			t.Errorf("PayCard(%q, %q) = %v", bad[0], bad[1], err)
		}
	}
	if _, err := c.PayCard(cny(300), "a1b2c3", "4242"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(ctx); !errors.Is(err, ErrNotPaid) {
		t.Fatalf("completed with 1.18 still due: %v", err)
	}
	if err := c.Void(ctx); !errors.Is(err, ErrPaidElectronically) || len(log.voids) != 0 {
		t.Fatalf("voided a sale the card has paid part of: %v", err)
	}
	// 1.18 left: cash rounds it to 1.20; 2.00 handed over gives 0.80 change.
	if due, cash := c.Due(), c.CashDue(); due.Minor() != 118 || cash.Minor() != 120 {
		t.Fatalf("due %v, cash due %v", due, cash)
	}
	tender, err := c.PayCash(cny(200))
	if err != nil || tender.Change.Minor() != 80 {
		t.Fatalf("PayCash = %+v, %v", tender, err)
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sale.Tenders) != 3 || sale.Tenders[1].Approval != "A1B2C3" || sale.Tenders[1].CardLast4 != "4242" ||
		sale.Paid().Minor() != 620 || sale.Rounding.Minor() != 2 || len(log.sales) != 1 {
		t.Errorf("sale tenders %+v paid %v rounding %v", sale.Tenders, sale.Paid(), sale.Rounding)
	}
}

// A shop without a QR code or a pay-code provider refuses each with its error; with them, each works.
func TestPayments(t *testing.T) {
	var none Payments
	if _, err := none.MerchantQR(cny(100), "ref"); !errors.Is(err, ErrNoMerchantQR) || !errors.Is(none.CheckQR(), ErrNoMerchantQR) {
		t.Errorf("no QR code: %v", err)
	}
	if _, err := none.Collect(context.Background(), ChargeRequest{}, nil); !errors.Is(err, ErrNoPayCodes) {
		t.Errorf("no provider: %v", err)
	}
	if _, err := none.Refunder(); !errors.Is(err, ErrRefundTender) {
		t.Errorf("no refunder: %v", err)
	}
	some := Payments{QR: func(a money.Amount, ref string) (string, error) { return ref + " " + a.Decimal(), nil }}
	if payload, err := some.MerchantQR(cny(250), "r1"); err != nil || payload != "r1 2.50" {
		t.Errorf("QR payload %q, %v", payload, err)
	}
}

// presenting is a provider that makes merchant-presented codes: err fails the code, else it is shown.
type presenting struct {
	*scriptedGateway
	err error
}

func (p presenting) Present(_ context.Context, req PresentRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, "present "+req.Reference+" "+req.Amount.Decimal())
	if p.err != nil {
		return "", p.err
	}
	return "https://qr.example/" + req.Reference, nil
}

// A merchant-presented code is followed by query: an order the provider does not know yet (not scanned)
// is waited for; paid completes; a shopper who never pays, Esc, or a code that cannot be made ends with
// the order reversed; a reversal that never answers leaves the outcome unknown, never paid.
func TestCollectPresented(t *testing.T) {
	notFound := PaymentResult{Status: PaymentNotFound}
	pending := PaymentResult{Status: PaymentPending}
	paid := PaymentResult{Status: PaymentPaid, TransactionID: "2026120622001"}
	req := PresentRequest{Reference: "ref-1", Amount: cny(1424), Subject: "Lin's · T01-000001"}
	for _, tt := range []struct {
		name    string
		queries []PaymentResult
		reverse []error
		present error
		cancel  bool
		want    error // nil: paid
		calls   string
	}{
		{"scanned and paid", []PaymentResult{notFound, notFound, pending, paid}, []error{nil}, nil, false, nil,
			"present,query,query,query,query"},
		{"never paid", []PaymentResult{notFound}, []error{nil}, nil, false, ErrPaymentReversed, ""},
		{"declined", []PaymentResult{pending, {Status: PaymentDeclined, Message: "closed"}}, []error{nil}, nil, false, ErrPaymentDeclined,
			"present,query,query"},
		{"Esc", []PaymentResult{pending}, []error{nil}, nil, true, ErrPaymentReversed, "present,reverse"},
		{"no code", []PaymentResult{pending}, []error{nil}, errTimeout, false, ErrPaymentReversed, "present,reverse"},
		{"no code and no reversal", []PaymentResult{pending}, []error{errTimeout}, errTimeout, false, ErrPaymentUnknown,
			"present,reverse,reverse,reverse"},
		{"silent to the end", []PaymentResult{silent}, []error{errTimeout}, nil, false, ErrPaymentUnknown, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gw := &scriptedGateway{queries: tt.queries, reverse: tt.reverse}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var shown string
			res, err := CollectPresented(ctx, gw, presenting{gw, tt.present}, req, quickWait, func(code string) error {
				shown = code
				if tt.cancel {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, tt.want) || (tt.want == nil) != (res.Status == PaymentPaid) {
				t.Fatalf("result %+v, %v; want %v", res, err, tt.want)
			}
			if tt.present == nil && shown != "https://qr.example/ref-1" {
				t.Errorf("shown %q", shown)
			}
			if tt.calls != "" && gw.kinds() != tt.calls {
				t.Errorf("calls %s, want %s", gw.kinds(), tt.calls)
			}
			if tt.want == nil && strings.Contains(gw.kinds(), "reverse") {
				t.Error("a paid order was reversed")
			}
			if errors.Is(tt.want, ErrPaymentReversed) && !strings.HasSuffix(gw.kinds(), "reverse") {
				t.Errorf("not reversed: %s", gw.kinds())
			}
		})
	}
}
