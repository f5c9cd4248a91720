package wechatpay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func cny(fen int64) money.Amount { return money.New(fen, money.CNY) }

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.recallWait = 5 * time.Millisecond
	return c
}

// fast is a CollectPayment wait measured in milliseconds.
var fast = app.PaymentWait{Poll: 10 * time.Millisecond, Timeout: 300 * time.Millisecond, Call: 2 * time.Second}

func charge(ref, code string, fen int64) app.ChargeRequest {
	return app.ChargeRequest{Reference: ref, Amount: cny(fen), Code: code, Wallet: "wechat"}
}

func TestChargePaidAtOnce(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	res, err := c.Charge(context.Background(), charge("ceb674db54ed4af1-1", codePays, 300))
	if err != nil || res.Status != app.PaymentPaid || res.TransactionID == "" {
		t.Fatalf("Charge = %+v, %v", res, err)
	}
	o := f.order("ceb674db54ed4af1-1")
	if o.fee != 300 || o.authCode != codePays || o.txID != res.TransactionID || f.n(&f.charges) != 1 {
		t.Errorf("the fake has %+v, %d charges", o, f.n(&f.charges))
	}
	// The same reference again is ORDERPAID: the client reads the order, and nothing is charged again.
	res, err = c.Charge(context.Background(), charge("ceb674db54ed4af1-1", codePays, 300))
	if err != nil || res.Status != app.PaymentPaid || res.TransactionID != o.txID || f.n(&f.charges) != 1 {
		t.Errorf("a repeated charge = %+v, %v; %d charges", res, err, f.n(&f.charges))
	}
	if got, err := c.Query(context.Background(), "ceb674db54ed4af1-1"); err != nil || got.Status != app.PaymentPaid || got.TransactionID != o.txID {
		t.Errorf("Query = %+v, %v", got, err)
	}
}

func TestCollectWhileShopperConfirms(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	var waits []app.PaymentStatus
	wait := fast
	wait.Timeout = 5 * time.Second
	wait.Waiting = func(s app.PaymentStatus, err error) {
		if err != nil {
			t.Errorf("waiting with an error: %v", err)
		}
		waits = append(waits, s)
	}
	res, err := app.CollectPayment(context.Background(), c, charge("ref-confirms-1", codeConfirms, 1234), wait)
	if err != nil || res.Status != app.PaymentPaid || res.TransactionID == "" {
		t.Fatalf("CollectPayment = %+v, %v", res, err)
	}
	// micropay: USERPAYING; orderquery: USERPAYING; orderquery: SUCCESS.
	if len(waits) != 2 || waits[0] != app.PaymentPending || waits[1] != app.PaymentPending {
		t.Errorf("waiting told %v, want pending twice", waits)
	}
	if f.count("/pay/orderquery") != 2 || f.count("/secapi/pay/reverse") != 0 || f.n(&f.charges) != 1 {
		t.Errorf("queries %d, reversals %d, charges %d", f.count("/pay/orderquery"), f.count("/secapi/pay/reverse"), f.n(&f.charges))
	}
}

func TestChargeDeclined(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	res, err := c.Charge(context.Background(), charge("ref-poor-1", codeNotEnough, 500))
	if err != nil || res.Status != app.PaymentDeclined || !strings.Contains(res.Message, "余额不足") || !strings.Contains(res.Message, "NOTENOUGH") {
		t.Fatalf("Charge = %+v, %v", res, err)
	}
	res, err = c.Charge(context.Background(), charge("ref-expired-1", codeExpired, 500))
	if err != nil || res.Status != app.PaymentDeclined || !strings.Contains(res.Message, "AUTHCODEEXPIRE") {
		t.Errorf("an expired code: %+v, %v", res, err)
	}
	_, err = app.CollectPayment(context.Background(), c, charge("ref-poor-2", codeNotEnough, 500), fast)
	if !errors.Is(err, app.ErrPaymentDeclined) || f.count("/pay/orderquery") != 0 {
		t.Errorf("CollectPayment = %v after %d queries", err, f.count("/pay/orderquery"))
	}
	if f.n(&f.charges) != 0 {
		t.Errorf("%d charges", f.n(&f.charges))
	}
}

func TestOtherCurrencyRefusedBeforeAnyRequest(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	usd, _ := money.Lookup("USD")
	res, err := c.Charge(context.Background(), app.ChargeRequest{Reference: "ref-usd-1", Amount: money.New(300, usd), Code: codePays})
	if err != nil || res.Status != app.PaymentDeclined || !strings.Contains(res.Message, "CNY") {
		t.Errorf("Charge in USD = %+v, %v", res, err)
	}
	if err := c.Refund(context.Background(), app.RefundRequest{Reference: "ref-usd-1", RefundReference: "r1", Amount: money.New(1, usd)}); !errors.Is(err, ErrCurrency) {
		t.Errorf("Refund in USD = %v", err)
	}
	if _, err := c.Present(context.Background(), app.PresentRequest{Reference: "ref-usd-2", Amount: money.New(1, usd)}); !errors.Is(err, ErrCurrency) {
		t.Errorf("Present in USD = %v", err)
	}
	if f.total() != 0 {
		t.Errorf("%d requests reached WeChat Pay", f.total())
	}
}

func TestConnectionCutAfterWeChatCharged(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	f.fault("/pay/micropay", "cut")
	if _, err := c.Charge(context.Background(), charge("ref-cut-1", codePays, 300)); !errors.Is(err, ErrUnknownOutcome) {
		t.Fatalf("Charge over a cut connection = %v, want ErrUnknownOutcome", err)
	}
	f.fault("/pay/micropay", "cut")
	res, err := app.CollectPayment(context.Background(), c, charge("ref-cut-2", codePays, 300), fast)
	if err != nil || res.Status != app.PaymentPaid || res.TransactionID != f.order("ref-cut-2").txID {
		t.Fatalf("CollectPayment = %+v, %v", res, err)
	}
	if f.n(&f.charges) != 2 || f.count("/pay/micropay") != 2 || f.count("/secapi/pay/reverse") != 0 {
		t.Errorf("charges %d, micropays %d, reversals %d: want one charge per reference", f.n(&f.charges), f.count("/pay/micropay"), f.count("/secapi/pay/reverse"))
	}
}

func TestReplyWithBadSignatureIsUnknown(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	f.fault("/pay/micropay", "badsign")
	res, err := c.Charge(context.Background(), charge("ref-forged-1", codePays, 300))
	if !errors.Is(err, ErrUnknownOutcome) || res.Status == app.PaymentPaid {
		t.Fatalf("Charge with a forged reply = %+v, %v", res, err)
	}
	// The query, signed properly, finds the order WeChat did make.
	f.fault("/pay/micropay", "badsign")
	res, err = app.CollectPayment(context.Background(), c, charge("ref-forged-2", codePays, 300), fast)
	if err != nil || res.Status != app.PaymentPaid || f.count("/pay/orderquery") != 1 {
		t.Errorf("CollectPayment = %+v, %v after %d queries", res, err, f.count("/pay/orderquery"))
	}
	// A forged "paid" from a query is not believed either.
	f.fault("/pay/orderquery", "badsign")
	if res, err := c.Query(context.Background(), "ref-forged-2"); !errors.Is(err, ErrUnknownOutcome) || res.Status == app.PaymentPaid {
		t.Errorf("Query with a forged reply = %+v, %v", res, err)
	}
}

func TestReturnCodeFailIsUnknown(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	f.fault("/pay/micropay", "returnfail")
	if _, err := c.Charge(context.Background(), charge("ref-busy-1", codePays, 300)); !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("return_code FAIL = %v, want ErrUnknownOutcome", err)
	}
	// return_code FAIL means WeChat did not take the request in: the query finds no order, so nothing
	// was paid and CollectPayment says declined without reversing.
	f.fault("/pay/micropay", "returnfail")
	_, err := app.CollectPayment(context.Background(), c, charge("ref-busy-2", codePays, 300), fast)
	if !errors.Is(err, app.ErrPaymentDeclined) || f.n(&f.charges) != 0 {
		t.Errorf("CollectPayment = %v, %d charges", err, f.n(&f.charges))
	}

	// A client with the wrong key: the fake refuses every request (return_code FAIL), and no error
	// shows the key or the pay code.
	wrong := cfg
	wrong.APIKey = []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
	cw := newClient(t, wrong)
	_, err = cw.Charge(context.Background(), charge("ref-badkey-1", codePays, 300))
	if !errors.Is(err, ErrUnknownOutcome) || f.n(&f.badSigns) != 1 {
		t.Fatalf("a wrongly signed charge = %v; %d refused signatures", err, f.n(&f.badSigns))
	}
	for _, secret := range []string{string(wrong.APIKey), testAPIKey, codePays} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows a secret", err)
		}
	}
}

func TestReplyForAnotherOrderIsNotTrusted(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	f.fault("/pay/micropay", "wrongref")
	if res, err := c.Charge(context.Background(), charge("ref-mine-1", codePays, 300)); err == nil || res.Status == app.PaymentPaid {
		t.Errorf("Charge answered for another order = %+v, %v", res, err)
	}
	f.fault("/pay/orderquery", "wrongref")
	if res, err := c.Query(context.Background(), "ref-mine-1"); !errors.Is(err, ErrUnknownOutcome) || res.Status == app.PaymentPaid {
		t.Errorf("Query answered for another order = %+v, %v", res, err)
	}
	if res, err := c.Query(context.Background(), "ref-mine-1"); err != nil || res.Status != app.PaymentPaid {
		t.Errorf("Query = %+v, %v", res, err)
	}
	if res, err := c.Query(context.Background(), "ref-never-sent"); err != nil || res.Status != app.PaymentNotFound {
		t.Errorf("Query of an order WeChat does not have = %+v, %v", res, err)
	}
}

func TestTimeoutWhileUserPayingReverses(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	f.fault("/secapi/pay/reverse", "recall") // the first reversal: SYSTEMERROR, recall=Y
	_, err := app.CollectPayment(context.Background(), c, charge("ref-slow-1", codeNeverPays, 300), fast)
	if !errors.Is(err, app.ErrPaymentReversed) {
		t.Fatalf("CollectPayment = %v, want ErrPaymentReversed", err)
	}
	if o := f.order("ref-slow-1"); o.state != "REVOKED" || f.count("/secapi/pay/reverse") != 2 || f.n(&f.noCert) != 0 {
		t.Errorf("order %s after %d reversals (%d without a certificate)", o.state, f.count("/secapi/pay/reverse"), f.n(&f.noCert))
	}
	if res, err := c.Query(context.Background(), "ref-slow-1"); err != nil || res.Status != app.PaymentDeclined {
		t.Errorf("Query of a reversed order = %+v, %v", res, err)
	}
	if err := c.Reverse(context.Background(), "ref-unknown-1"); err != nil {
		t.Errorf("reversing an order WeChat does not have: %v", err)
	}
	for range maxRecalls {
		f.fault("/secapi/pay/reverse", "recall")
	}
	if err := c.Reverse(context.Background(), "ref-slow-1"); !errors.Is(err, ErrUnknownOutcome) {
		t.Errorf("a reversal WeChat keeps asking to repeat: %v", err)
	}
}

func TestReverseAndRefundNeedTheClientCertificate(t *testing.T) {
	f, cfg := newFake(t)
	// Without a certificate the fake refuses a /secapi/ request.
	plain := &http.Client{Transport: transport(nil, cfg.RootCAs, nil)}
	resp, err := plain.Post(cfg.BaseURL+"/secapi/pay/reverse", "text/xml", bytes.NewReader(encodeXML(map[string]string{"out_trade_no": "x"})))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if f.n(&f.noCert) != 1 {
		t.Errorf("a reversal without a certificate was not refused")
	}
	// A client configured without one sends nothing.
	noCert := cfg
	noCert.ClientCert = nil
	c := newClient(t, noCert)
	if err := c.Reverse(context.Background(), "ref-1"); !errors.Is(err, ErrNoClientCert) {
		t.Errorf("Reverse without a certificate = %v", err)
	}
	if err := c.Refund(context.Background(), app.RefundRequest{Reference: "ref-1", RefundReference: "r-1", Amount: cny(1)}); !errors.Is(err, ErrNoClientCert) {
		t.Errorf("Refund without a certificate = %v", err)
	}
	if f.count("/secapi/pay/reverse")+f.count("/secapi/pay/refund") != 0 {
		t.Error("a request went out")
	}
}

func TestPartialRefunds(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	ctx := context.Background()
	if res, err := c.Charge(ctx, charge("ref-sale-1", codePays, 300)); err != nil || res.Status != app.PaymentPaid {
		t.Fatal(res, err)
	}
	refund := func(rno string, fen int64) error {
		return c.Refund(ctx, app.RefundRequest{Reference: "ref-sale-1", RefundReference: rno, Amount: cny(fen)})
	}
	if err := refund("5f0e6a2c-refund-a", 100); err != nil {
		t.Fatal(err)
	}
	if err := refund("5f0e6a2c-refund-b", 100); err != nil {
		t.Fatal(err)
	}
	if err := refund("5f0e6a2c-refund-a", 100); err != nil { // a retry after a lost reply
		t.Fatal(err)
	}
	if o := f.order("ref-sale-1"); o.refunded() != 200 || len(o.refunds) != 2 {
		t.Errorf("refunded %d in %d refunds, want 200 in 2", o.refunded(), len(o.refunds))
	}
	if err := refund("5f0e6a2c-refund-c", 200); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "超过") {
		t.Errorf("refunding 2.00 of the 1.00 left = %v, want ErrRefused", err)
	}
	if err := refund("5f0e6a2c-refund-d", 301); !errors.Is(err, ErrRefused) {
		t.Errorf("refunding more than the order = %v, want ErrRefused", err)
	}
	if err := c.Refund(ctx, app.RefundRequest{Reference: "ref-never-paid", RefundReference: "r-x", Amount: cny(1)}); !errors.Is(err, ErrRefused) {
		t.Errorf("refunding an order WeChat does not have = %v", err)
	}
	if o := f.order("ref-sale-1"); o.refunded() != 200 {
		t.Errorf("refunded %d after the refusals", o.refunded())
	}
	// The order is still paid, for a query.
	if res, err := c.Query(ctx, "ref-sale-1"); err != nil || res.Status != app.PaymentPaid {
		t.Errorf("Query of a partly refunded order = %+v, %v", res, err)
	}
}

func TestPresentNative(t *testing.T) {
	f, cfg := newFake(t)
	c := newClient(t, cfg)
	ctx := context.Background()
	url, err := c.Present(ctx, app.PresentRequest{Reference: "ref-qr-1", Amount: cny(880), Subject: "测试店 T01-000042"})
	if err != nil || !strings.HasPrefix(url, "weixin://wxpay/bizpayurl?pr=") {
		t.Fatalf("Present = %q, %v", url, err)
	}
	if res, err := c.Query(ctx, "ref-qr-1"); err != nil || res.Status != app.PaymentPending {
		t.Errorf("Query before the shopper scans = %+v, %v", res, err)
	}
	if !f.scan(url) {
		t.Fatal("the shopper could not pay the code")
	}
	if res, err := c.Query(ctx, "ref-qr-1"); err != nil || res.Status != app.PaymentPaid || res.TransactionID != f.order("ref-qr-1").txID {
		t.Errorf("Query after the shopper paid = %+v, %v", res, err)
	}

	// A code the shopper gives up on is closed, not reversed; a code paid meanwhile is refunded whole.
	url2, err := c.Present(ctx, app.PresentRequest{Reference: "ref-qr-2", Amount: cny(500)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Reverse(ctx, "ref-qr-2"); err != nil || f.order("ref-qr-2").state != "CLOSED" {
		t.Errorf("Reverse of a presented order = %v, state %s", err, f.order("ref-qr-2").state)
	}
	if f.scan(url2) {
		t.Error("a closed code could still be paid")
	}
	if err := c.Reverse(ctx, "ref-qr-1"); err != nil || f.order("ref-qr-1").refunded() != 880 {
		t.Errorf("Reverse of a paid presented order = %v, refunded %d", err, f.order("ref-qr-1").refunded())
	}
	if f.count("/secapi/pay/reverse") != 0 {
		t.Error("a Native order went to secapi/pay/reverse")
	}

	noNotify := cfg
	noNotify.NotifyURL = ""
	if _, err := newClient(t, noNotify).Present(ctx, app.PresentRequest{Reference: "ref-qr-3", Amount: cny(1)}); err == nil {
		t.Error("Present without a notify URL")
	}
}

func TestNewChecksConfig(t *testing.T) {
	ok := Config{AppID: testAppID, MchID: testMchID, APIKey: []byte(testAPIKey), Body: "shop"}
	c, err := New(ok)
	if err != nil || c.base != ProductionURL || c.secure != nil {
		t.Fatalf("New = %+v, %v", c, err)
	}
	for name, mutate := range map[string]func(*Config){
		"short key":  func(c *Config) { c.APIKey = []byte("short") },
		"no mch_id":  func(c *Config) { c.MchID = "" },
		"no body":    func(c *Config) { c.Body = " " },
		"plain http": func(c *Config) { c.BaseURL = "http://api.mch.weixin.qq.com" },
	} {
		cfg := ok
		mutate(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		} else if strings.Contains(err.Error(), testAPIKey) {
			t.Errorf("%s: error shows the key: %v", name, err)
		}
	}
}
