package paygate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

var secret = []byte("shop-secret")

// provider is a fake payment provider that keeps the contract: signed requests only, orders idempotent
// by reference. A pay code's last four digits choose its behaviour.
type provider struct {
	mu      sync.Mutex
	orders  map[string]*orderBody
	charges map[string]int // reference → charges acted on
	queries map[string]int
	refunds map[string]int64 // refund reference → amount (all against the one 3.00 order the test refunds)
	slow    time.Duration
}

func newProvider(t *testing.T) (*provider, *httptest.Server) {
	p := &provider{orders: map[string]*orderBody{}, charges: map[string]int{}, queries: map[string]int{}}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-Merchant-ID") != "M1" || r.Header.Get("X-Signature") != Sign(secret, r.Method, r.URL.EscapedPath(), body) {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(orderBody{Message: "bad signature"})
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	reply := func(status int, o orderBody) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(o)
	}
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && path == "/v1/charges":
		var c chargeBody
		if err := json.Unmarshal(body, &c); err != nil || c.AmountMinor <= 0 {
			reply(http.StatusBadRequest, orderBody{Message: "bad request"})
			return
		}
		if o, ok := p.orders[c.Reference]; ok {
			reply(http.StatusConflict, *o)
			return
		}
		p.charges[c.Reference]++
		o := &orderBody{Reference: c.Reference, Status: "paid", TransactionID: "TX-" + c.Reference}
		p.orders[c.Reference] = o
		switch c.PayCode[len(c.PayCode)-4:] {
		case "0000":
			o.Status, o.TransactionID, o.Message = "declined", "", "insufficient balance"
		case "1111":
			o.Status, o.TransactionID = "pending", ""
		case "2222": // the order is made and paid, but the reply comes too late
			p.mu.Unlock()
			time.Sleep(p.slow)
			p.mu.Lock()
		case "5000":
			delete(p.orders, c.Reference)
			w.WriteHeader(http.StatusInternalServerError)
			return
		case "6666":
			w.Write([]byte("<html>gateway error</html>"))
			return
		case "7777":
			reply(http.StatusOK, orderBody{Reference: "someone-else", Status: "paid", TransactionID: "TX"})
			return
		}
		reply(http.StatusOK, *o)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/v1/charges/"):
		ref := strings.TrimPrefix(path, "/v1/charges/")
		o, ok := p.orders[ref]
		if !ok {
			reply(http.StatusNotFound, orderBody{Message: "no such order"})
			return
		}
		p.queries[ref]++
		if o.Status == "pending" && p.queries[ref] >= 2 { // the shopper confirms on the phone
			o.Status, o.TransactionID = "paid", "TX-"+ref
		}
		reply(http.StatusOK, *o)
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/refunds"):
		ref := strings.TrimSuffix(strings.TrimPrefix(path, "/v1/charges/"), "/refunds")
		var rb refundBody
		o, ok := p.orders[ref]
		if json.Unmarshal(body, &rb) != nil || !ok || o.Status != "paid" {
			reply(http.StatusUnprocessableEntity, orderBody{Message: "nothing to refund"})
			return
		}
		if p.refunds == nil {
			p.refunds = map[string]int64{}
		}
		if _, done := p.refunds[rb.RefundReference]; !done {
			var left int64 = 300
			for _, a := range p.refunds {
				left -= a
			}
			if rb.AmountMinor > left {
				reply(http.StatusUnprocessableEntity, orderBody{Message: "more than is left"})
				return
			}
			p.refunds[rb.RefundReference] = rb.AmountMinor
		}
		reply(http.StatusOK, orderBody{Reference: ref, Status: "refunded"})
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/reverse"):
		ref := strings.TrimSuffix(strings.TrimPrefix(path, "/v1/charges/"), "/reverse")
		o, ok := p.orders[ref]
		if !ok {
			reply(http.StatusNotFound, orderBody{Message: "no such order"})
			return
		}
		o.Status, o.TransactionID = "reversed", ""
		reply(http.StatusOK, orderBody{Reference: ref, Status: "reversed"})
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func charge(ref, code string) app.ChargeRequest {
	return app.ChargeRequest{Reference: ref, Amount: money.New(300, money.CNY), Code: code, Wallet: "wechat"}
}

var quick = app.PaymentWait{Poll: 5 * time.Millisecond, Timeout: 500 * time.Millisecond, Call: time.Second}

func TestChargeOutcomes(t *testing.T) {
	ctx := context.Background()
	p, srv := newProvider(t)
	c := New(srv.URL, "M1", secret, time.Second)

	if r, err := c.Charge(ctx, charge("r1", "134567890123456789")); err != nil || r.Status != app.PaymentPaid || r.TransactionID != "TX-r1" {
		t.Fatalf("paid: %+v, %v", r, err)
	}
	if r, err := c.Charge(ctx, charge("r2", "134567890123450000")); err != nil || r.Status != app.PaymentDeclined || r.Message != "insufficient balance" {
		t.Fatalf("declined: %+v, %v", r, err)
	}
	// A repeated charge returns the same order (409) and charges nothing.
	if r, err := c.Charge(ctx, charge("r1", "134567890123456789")); err != nil || r.Status != app.PaymentPaid || p.charges["r1"] != 1 {
		t.Fatalf("duplicate: %+v, %v, charged %d times", r, err, p.charges["r1"])
	}
	// Shopper confirms on the phone: pending, then paid by query.
	if r, err := app.CollectPayment(ctx, c, charge("r3", "134567890123451111"), quick); err != nil || r.Status != app.PaymentPaid {
		t.Fatalf("pending then paid: %+v, %v", r, err)
	}
	if r, err := c.Query(ctx, "nobody"); err != nil || r.Status != app.PaymentNotFound {
		t.Fatalf("unknown reference: %+v, %v", r, err)
	}
	// Refunds of r1 (3.00): a refund reference counts once; more than is left is refused.
	for range 2 {
		if err := c.Refund(ctx, app.RefundRequest{Reference: "r1", RefundReference: "f1", Amount: money.New(200, money.CNY)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Refund(ctx, app.RefundRequest{Reference: "r1", RefundReference: "f2", Amount: money.New(200, money.CNY)}); err == nil || !strings.Contains(err.Error(), "more than is left") {
		t.Fatalf("refund beyond the order = %v", err)
	}
	if err := c.Reverse(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	if r, _ := c.Query(ctx, "r1"); r.Status != app.PaymentDeclined {
		t.Fatalf("after reversal: %+v", r)
	}
	if err := c.Reverse(ctx, "nobody"); err != nil {
		t.Errorf("reversing an order the provider never had: %v", err)
	}
}

func TestLostReplyIsFoundByQuery(t *testing.T) {
	ctx := context.Background()
	p, srv := newProvider(t)
	p.slow = 300 * time.Millisecond
	c := New(srv.URL, "M1", secret, 50*time.Millisecond)
	if _, err := c.Charge(ctx, charge("r9", "134567890123452222")); !errors.Is(err, ErrUnknownOutcome) {
		t.Fatalf("a charge whose reply times out = %v, want an unknown outcome", err)
	}
	r, err := app.CollectPayment(ctx, c, charge("r10", "134567890123452222"), quick)
	if err != nil || r.Status != app.PaymentPaid || r.TransactionID != "TX-r10" {
		t.Fatalf("CollectPayment after a lost reply: %+v, %v", r, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.charges["r10"] != 1 {
		t.Errorf("r10 charged %d times", p.charges["r10"])
	}
}

func TestUntrustworthyReplies(t *testing.T) {
	ctx := context.Background()
	_, srv := newProvider(t)
	c := New(srv.URL, "M1", secret, time.Second)
	for _, code := range []string{"134567890123455000", "134567890123456666", "134567890123457777"} {
		_, err := c.Charge(ctx, charge("ref-"+code[14:], code))
		if !errors.Is(err, ErrUnknownOutcome) {
			t.Errorf("pay code …%s: %v, want an unknown outcome", code[14:], err)
		}
		if err != nil && strings.Contains(err.Error(), code) {
			t.Errorf("the pay code is in the error: %v", err)
		}
	}
	wrongSecret := New(srv.URL, "M1", []byte("guess"), time.Second)
	if _, err := wrongSecret.Charge(ctx, charge("r20", "134567890123456789")); !errors.Is(err, ErrUnknownOutcome) || !strings.Contains(err.Error(), "401") {
		t.Errorf("unsigned request = %v", err)
	}
	down := New("http://127.0.0.1:1", "M1", secret, 100*time.Millisecond)
	if _, err := down.Charge(ctx, charge("r21", "134567890123456789")); !errors.Is(err, ErrUnknownOutcome) || strings.Contains(err.Error(), "134567890123456789") {
		t.Errorf("provider down = %v", err)
	}
}
