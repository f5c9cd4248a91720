package alipay

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

const (
	paysCode     = "28763443825664394"  // the shopper pays at once
	brokeCode    = "28763443825660000"  // too little balance
	confirmsCode = "287634438256641111" // the shopper confirms on the phone
)

func charge(ref, code string, fen int64) app.ChargeRequest {
	return app.ChargeRequest{Reference: ref, Amount: money.New(fen, money.CNY), Code: code, Wallet: "alipay"}
}

var quick = app.PaymentWait{Poll: 10 * time.Millisecond, Timeout: 2 * time.Second, Call: 2 * time.Second}

// noCode fails the test if an error carries a pay code whole.
func noCode(t *testing.T, err error, codes ...string) {
	t.Helper()
	for _, code := range codes {
		if err != nil && strings.Contains(err.Error(), code) {
			t.Errorf("the pay code is in the error: %v", err)
		}
	}
}

func TestChargePaidAtOnce(t *testing.T) {
	f, c := newFake(t)
	r, err := c.Charge(context.Background(), charge("ceb674db54ed4af1-1", paysCode, 8888))
	if err != nil || r.Status != app.PaymentPaid || r.TransactionID == "" {
		t.Fatalf("Charge = %+v, %v", r, err)
	}
	o := f.order("ceb674db54ed4af1_1")
	if o.tradeNo != r.TransactionID || o.fen != 8888 || o.charges != 1 {
		t.Errorf("order %+v for %+v", o, r)
	}
	// The same reference again returns the same order and charges nothing more.
	r2, err := c.Charge(context.Background(), charge("ceb674db54ed4af1-1", paysCode, 8888))
	if err != nil || r2 != r || f.order("ceb674db54ed4af1_1").charges != 1 {
		t.Errorf("a repeated charge = %+v, %v; charged %d times", r2, err, f.order("ceb674db54ed4af1_1").charges)
	}
}

func TestChargeConfirmedOnThePhone(t *testing.T) {
	f, c := newFake(t)
	f.ConfirmsAt = 3
	ctx := context.Background()
	if r, err := c.Charge(ctx, charge("a1-1", confirmsCode, 1250)); err != nil || r.Status != app.PaymentPending {
		t.Fatalf("10003 = %+v, %v, want pending", r, err)
	}
	if r, err := c.Query(ctx, "a1-1"); err != nil || r.Status != app.PaymentPending {
		t.Fatalf("WAIT_BUYER_PAY = %+v, %v, want pending", r, err)
	}
	var waits int
	wait := quick
	wait.Waiting = func(app.PaymentStatus, error) { waits++ }
	r, err := app.CollectPayment(ctx, c, charge("a2-1", confirmsCode, 1250), wait)
	if err != nil || r.Status != app.PaymentPaid || r.TransactionID != f.order("a2_1").tradeNo {
		t.Fatalf("CollectPayment = %+v, %v", r, err)
	}
	if waits < 2 || f.order("a2_1").charges != 1 {
		t.Errorf("waited %d times, charged %d times", waits, f.order("a2_1").charges)
	}
}

func TestChargeDeclined(t *testing.T) {
	f, c := newFake(t)
	r, err := c.Charge(context.Background(), charge("b1-1", brokeCode, 100))
	if err != nil || r.Status != app.PaymentDeclined || !strings.Contains(r.Message, "ACQ.BUYER_BALANCE_NOT_ENOUGH") {
		t.Fatalf("Charge = %+v, %v", r, err)
	}
	_, err = app.CollectPayment(context.Background(), c, charge("b2-1", brokeCode, 100), quick)
	if !errors.Is(err, app.ErrPaymentDeclined) || f.count("alipay.trade.query") != 0 {
		t.Errorf("CollectPayment = %v after %d queries", err, f.count("alipay.trade.query"))
	}
}

// The connection drops after Alipay took the money: the till hears nothing, queries, finds the order
// paid, and never charges twice.
func TestLostReplyFoundPaidByQuery(t *testing.T) {
	f, c := newFake(t)
	f.answer("alipay.trade.pay", replyCut)
	if _, err := c.Charge(context.Background(), charge("c0-1", paysCode, 300)); !errors.Is(err, ErrUnknownOutcome) || f.order("c0_1").charges != 1 {
		t.Fatalf("Charge cut after the commit = %v (charged %d times), want an unknown outcome", err, f.order("c0_1").charges)
	}
	f.answer("alipay.trade.pay", replyCut)
	r, err := app.CollectPayment(context.Background(), c, charge("c1-1", paysCode, 300), quick)
	if err != nil || r.Status != app.PaymentPaid || r.TransactionID != f.order("c1_1").tradeNo {
		t.Fatalf("CollectPayment = %+v, %v", r, err)
	}
	if f.count("alipay.trade.pay") != 2 || f.order("c1_1").charges != 1 || f.count("alipay.trade.cancel") != 0 {
		t.Errorf("pay sent %d times, charged %d times, cancelled %d times",
			f.count("alipay.trade.pay"), f.order("c1_1").charges, f.count("alipay.trade.cancel"))
	}
}

// Replies the till cannot trust are unknown outcomes, never payments or declines; the query settles
// them: paid when Alipay took the money (its reply was spoiled), not found when it did nothing.
func TestUntrustworthyReplies(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]struct {
		mode      replyMode
		committed bool
	}{
		"bad signature":   {replyBadSign, true},
		"no signature":    {replyNoSign, true},
		"another order":   {replyWrongOrder, true},
		"system error":    {replySystemErr, false},
		"service is busy": {replyBusy, false},
	} {
		t.Run(name, func(t *testing.T) {
			f, client := newFake(t)
			f.answer("alipay.trade.pay", c.mode)
			_, err := client.Charge(ctx, charge("d1-1", paysCode, 300))
			if !errors.Is(err, ErrUnknownOutcome) {
				t.Fatalf("Charge = %v, want an unknown outcome", err)
			}
			noCode(t, err, paysCode)
			f.answer("alipay.trade.query", c.mode)
			if _, err := client.Query(ctx, "d1-1"); !errors.Is(err, ErrUnknownOutcome) {
				t.Fatalf("Query = %v, want an unknown outcome", err)
			}
			// In a sale: the spoiled charge reply, then a properly signed query reply settles it.
			f.answer("alipay.trade.pay", c.mode)
			r, err := app.CollectPayment(ctx, client, charge("d2-1", paysCode, 300), quick)
			o := f.order("d2_1")
			switch {
			case c.committed && (err != nil || r.Status != app.PaymentPaid || r.TransactionID != o.tradeNo || o.charges != 1):
				t.Errorf("CollectPayment = %+v, %v; charged %d times", r, err, o.charges)
			case !c.committed && (!errors.Is(err, app.ErrPaymentDeclined) || r.Status != app.PaymentNotFound || o.charges != 0):
				t.Errorf("CollectPayment = %+v, %v; charged %d times", r, err, o.charges)
			}
		})
	}
}

// The shopper never confirms: the till gives up, cancels, and Alipay closes the order.
func TestTimeoutCancels(t *testing.T) {
	f, c := newFake(t)
	f.ConfirmsAt = 0
	wait := app.PaymentWait{Poll: 10 * time.Millisecond, Timeout: 150 * time.Millisecond, Call: time.Second}
	_, err := app.CollectPayment(context.Background(), c, charge("e1-1", confirmsCode, 500), wait)
	if !errors.Is(err, app.ErrPaymentReversed) {
		t.Fatalf("CollectPayment = %v, want reversed", err)
	}
	o := f.order("e1_1")
	if o.cancels != 1 || o.status != "TRADE_CLOSED" || o.cancelled != "close" {
		t.Errorf("order after the timeout: %+v", o)
	}
	if r, err := c.Query(context.Background(), "e1-1"); err != nil || r.Status != app.PaymentDeclined {
		t.Errorf("Query of the closed order = %+v, %v", r, err)
	}
	// Cancelling an order Alipay never had is done; so is cancelling one twice.
	if err := c.Reverse(context.Background(), "never-1"); err != nil {
		t.Errorf("Reverse of an unknown order = %v", err)
	}
	if err := c.Reverse(context.Background(), "e1-1"); err != nil {
		t.Errorf("second Reverse = %v", err)
	}
	// Alipay down: the cancel is not done, and the caller is told.
	f.answer("alipay.trade.cancel", replySystemErr)
	if err := c.Reverse(context.Background(), "e1-1"); !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("Reverse on ACQ.SYSTEM_ERROR = %v", err)
	}
}

func TestQueryUnknownOrder(t *testing.T) {
	_, c := newFake(t)
	if r, err := c.Query(context.Background(), "nobody-1"); err != nil || r.Status != app.PaymentNotFound {
		t.Fatalf("Query = %+v, %v", r, err)
	}
}

func TestPartialRefunds(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	if _, err := c.Charge(ctx, charge("f1-1", paysCode, 300)); err != nil {
		t.Fatal(err)
	}
	refund := func(id string, fen int64) error {
		return c.Refund(ctx, app.RefundRequest{Reference: "f1-1", RefundReference: id, Amount: money.New(fen, money.CNY)})
	}
	for _, id := range []string{"5f0c-aa01", "5f0c-aa02", "5f0c-aa01"} { // the first one retried
		if err := refund(id, 100); err != nil {
			t.Fatalf("refund %s: %v", id, err)
		}
	}
	o := f.order("f1_1")
	if o.refunded != 200 || len(o.refunds) != 2 || o.refunds["5f0c_aa01"] != 100 {
		t.Errorf("refunded %d in %v, want 2.00 in two refunds", o.refunded, o.refunds)
	}
	err := refund("5f0c-aa03", 200) // 1.00 is left
	if !errors.Is(err, ErrRefused) || errors.Is(err, ErrUnknownOutcome) || !strings.Contains(err.Error(), "ACQ.REASON_TRADE_REFUND_FEE_ERR") {
		t.Errorf("refund beyond the order = %v, want a refusal", err)
	}
	if f.order("f1_1").refunded != 200 {
		t.Errorf("refunded %d", f.order("f1_1").refunded)
	}
	f.answer("alipay.trade.refund", replyCut)
	if err := refund("5f0c-aa04", 100); !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("refund with a lost reply = %v", err)
	}
	if err := refund("5f0c-aa04", 100); err != nil || f.order("f1_1").refunded != 300 {
		t.Errorf("retried refund = %v; refunded %d, want 3.00", err, f.order("f1_1").refunded)
	}
	if err := c.Refund(ctx, app.RefundRequest{Reference: "nobody-1", RefundReference: "r-1", Amount: money.New(100, money.CNY)}); !errors.Is(err, ErrRefused) {
		t.Errorf("refund of an unknown order = %v", err)
	}
}

func TestPresentThenPaid(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	code, err := c.Present(ctx, app.PresentRequest{Reference: "g1-1", Amount: money.New(1999, money.CNY), Subject: "Corner Shop / receipt T01-000042"})
	if err != nil || !strings.HasPrefix(code, "https://qr.alipay.com/") {
		t.Fatalf("Present = %q, %v", code, err)
	}
	if strings.HasPrefix(code, "000201") {
		t.Errorf("an EMVCo payload, not Alipay's qr_code: %q", code)
	}
	// Until the shopper scans the code, Alipay has no order to show.
	if r, err := c.Query(ctx, "g1-1"); err != nil || r.Status != app.PaymentNotFound {
		t.Errorf("Query before the scan = %+v, %v", r, err)
	}
	f.scan("g1_1", false)
	if r, err := c.Query(ctx, "g1-1"); err != nil || r.Status != app.PaymentPending {
		t.Errorf("Query after the scan = %+v, %v", r, err)
	}
	f.scan("g1_1", true)
	r, err := c.Query(ctx, "g1-1")
	if err != nil || r.Status != app.PaymentPaid || r.TransactionID != f.order("g1_1").tradeNo {
		t.Errorf("Query once paid = %+v, %v", r, err)
	}
}

func TestAmountsAndReferences(t *testing.T) {
	for fen, want := range map[int64]string{1: "0.01", 10: "0.10", 100: "1.00", 8888: "88.88", 10000000000: "100000000.00"} {
		if got, err := yuan(money.New(fen, money.CNY)); err != nil || got != want {
			t.Errorf("yuan(%d) = %q, %v, want %q", fen, got, err, want)
		}
	}
	for _, fen := range []int64{0, -100, 10000000001} {
		if got, err := yuan(money.New(fen, money.CNY)); err == nil {
			t.Errorf("yuan(%d) = %q", fen, got)
		}
	}
	f, c := newFake(t)
	ctx := context.Background()
	_, err := c.Charge(ctx, app.ChargeRequest{Reference: "h1-1", Amount: money.New(300, money.USD), Code: paysCode})
	if !errors.Is(err, ErrCurrency) || !strings.Contains(err.Error(), "USD") {
		t.Errorf("a USD charge = %v", err)
	}
	if err := c.Refund(ctx, app.RefundRequest{Reference: "h1-1", RefundReference: "x", Amount: money.New(300, money.HKD)}); !errors.Is(err, ErrCurrency) {
		t.Errorf("an HKD refund = %v", err)
	}
	if _, err := c.Present(ctx, app.PresentRequest{Reference: "h1-1", Amount: money.New(300, money.JPY)}); !errors.Is(err, ErrCurrency) {
		t.Errorf("a JPY code = %v", err)
	}
	for _, ref := range []string{"", "a_b", "a b", strings.Repeat("x", 65), "订单1"} {
		if _, err := c.Query(ctx, ref); !errors.Is(err, ErrReference) {
			t.Errorf("Query(%q) = %v", ref, err)
		}
	}
	if n := f.count("alipay.trade.pay") + f.count("alipay.trade.query") + f.count("alipay.trade.refund") + f.count("alipay.trade.precreate"); n != 0 {
		t.Errorf("%d requests for refused input", n)
	}
}

func TestWrongMerchantKeyIsRefused(t *testing.T) {
	f, c := newFake(t)
	other := testKey(t) // not the key the fake knows for the merchant
	c.cfg.PrivateKey = other
	r, err := c.Charge(context.Background(), charge("i1-1", paysCode, 300))
	if err != nil || r.Status != app.PaymentDeclined || !strings.Contains(r.Message, "isv.invalid-signature") {
		t.Errorf("Charge signed with another key = %+v, %v", r, err)
	}
	f.mu.Lock()
	bad := f.badSigned
	f.mu.Unlock()
	if bad != 1 || f.order("i1_1").charges != 0 {
		t.Errorf("bad signatures %d, charges %d", bad, f.order("i1_1").charges)
	}
}

func TestLostConnectionAndTimeout(t *testing.T) {
	merchant, alipayKey := testKeys()
	c, err := New(Config{AppID: testAppID, Gateway: "https://127.0.0.1:1/gateway.do", PrivateKey: merchant,
		AlipayPublicKey: &alipayKey.PublicKey, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Charge(context.Background(), charge("j1-1", paysCode, 300))
	if !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("Charge with Alipay unreachable = %v", err)
	}
	noCode(t, err, paysCode)
}

func TestNewChecksConfig(t *testing.T) {
	merchant, alipayKey := testKeys()
	good := Config{AppID: testAppID, Gateway: SandboxGateway, PrivateKey: merchant, AlipayPublicKey: &alipayKey.PublicKey}
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*Config){
		"no app ID":     func(c *Config) { c.AppID = "" },
		"plain http":    func(c *Config) { c.Gateway = "http://openapi.alipay.com/gateway.do" },
		"no gateway":    func(c *Config) { c.Gateway = "" },
		"no key":        func(c *Config) { c.PrivateKey = nil },
		"no Alipay key": func(c *Config) { c.AlipayPublicKey = nil },
		"1024-bit key":  func(c *Config) { c.PrivateKey = small },
	} {
		cfg := good
		mod(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
