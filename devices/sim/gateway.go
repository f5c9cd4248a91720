package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// Gateway is a simulated wallet payment provider for demo mode and tests. It behaves as real providers
// do where it matters to the till: a charge is idempotent by reference, the shopper may take a while to
// confirm on the phone, and some calls go unanswered. A pay code's last four digits choose the outcome:
// 0000 is declined, 9999 times out on the charge (the order exists and is paid, as after a lost reply),
// anything else is paid after Confirm.
type Gateway struct {
	Confirm time.Duration // how long the shopper takes to confirm; the order is pending meanwhile

	mu     sync.Mutex
	orders map[string]*order
	now    func() time.Time
}

type order struct {
	amount   money.Amount
	at       time.Time
	state    app.PaymentStatus
	txn      string
	refunds  map[string]money.Amount // refund reference → amount
	refunded money.Amount
}

// ErrNoAnswer is the simulated gateway's silence.
var ErrNoAnswer = errors.New("simulated provider: no answer")

// NewGateway returns a simulated provider whose shoppers confirm after confirm.
func NewGateway(confirm time.Duration) *Gateway {
	return &Gateway{Confirm: confirm, orders: map[string]*order{}, now: time.Now}
}

func (g *Gateway) Charge(ctx context.Context, req app.ChargeRequest) (app.PaymentResult, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if o, ok := g.orders[req.Reference]; ok { // a retried charge: the same order, never a second one
		return g.result(o), nil
	}
	o := g.newOrder(req.Reference, req.Amount)
	switch {
	case strings.HasSuffix(req.Code, "0000"):
		o.state = app.PaymentDeclined
	case strings.HasSuffix(req.Code, "9999"):
		o.state = app.PaymentPaid
		return app.PaymentResult{}, ErrNoAnswer
	}
	return g.result(o), nil
}

func (g *Gateway) Query(ctx context.Context, reference string) (app.PaymentResult, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	o, ok := g.orders[reference]
	if !ok {
		return app.PaymentResult{Status: app.PaymentNotFound}, nil
	}
	return g.result(o), nil
}

func (g *Gateway) Reverse(ctx context.Context, reference string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if o, ok := g.orders[reference]; ok {
		o.state = app.PaymentDeclined
	}
	return nil
}

// Present makes a merchant-presented code for an order the simulated shopper scans and pays once
// Confirm has passed (Confirm 0: paid at the first query).
func (g *Gateway) Present(ctx context.Context, req app.PresentRequest) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.orders[req.Reference]; !ok {
		g.newOrder(req.Reference, req.Amount)
	}
	return "https://qr.simulated.invalid/pay/" + req.Reference, nil
}

// Orders is where each order stands now, by reference: what a test asks the provider.
func (g *Gateway) Orders() map[string]app.PaymentStatus {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]app.PaymentStatus{}
	for ref, o := range g.orders {
		out[ref] = g.result(o).Status
	}
	return out
}

// newOrder makes the pending order reference for amount.
func (g *Gateway) newOrder(reference string, amount money.Amount) *order {
	o := &order{amount: amount, at: g.now(), state: app.PaymentPending, txn: fmt.Sprintf("SIM%016d", len(g.orders)+1),
		refunds: map[string]money.Amount{}, refunded: money.Zero(amount.Currency())}
	g.orders[reference] = o
	return o
}

// Refund gives back part or all of a paid order, once per refund reference.
func (g *Gateway) Refund(ctx context.Context, req app.RefundRequest) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	o, ok := g.orders[req.Reference]
	if !ok || g.result(o).Status != app.PaymentPaid {
		return fmt.Errorf("simulated provider: no paid order %s", req.Reference)
	}
	if _, done := o.refunds[req.RefundReference]; done {
		return nil
	}
	if o.refunded.Add(req.Amount).Cmp(o.amount) > 0 {
		return fmt.Errorf("simulated provider: refund of %s exceeds what is left of %s", req.Amount, o.amount)
	}
	o.refunds[req.RefundReference] = req.Amount
	o.refunded = o.refunded.Add(req.Amount)
	return nil
}

// result is the order's state now: a pending order is paid once the shopper has had time to confirm.
func (g *Gateway) result(o *order) app.PaymentResult {
	if o.state == app.PaymentPending && g.now().Sub(o.at) >= g.Confirm {
		o.state = app.PaymentPaid
	}
	r := app.PaymentResult{Status: o.state}
	switch o.state {
	case app.PaymentPaid:
		r.TransactionID = o.txn
	case app.PaymentDeclined:
		r.Message = "declined by the simulated provider"
	}
	return r
}
