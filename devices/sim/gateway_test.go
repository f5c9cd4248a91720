package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func TestSimulatedGatewayThroughCollectPayment(t *testing.T) {
	ctx := context.Background()
	g := NewGateway(20 * time.Millisecond)
	wait := app.PaymentWait{Poll: 5 * time.Millisecond, Timeout: time.Second}
	amount := money.New(300, money.CNY)
	charge := func(ref, code string) (app.PaymentResult, error) {
		return app.CollectPayment(ctx, g, app.ChargeRequest{Reference: ref, Amount: amount, Code: code}, wait)
	}
	if r, err := charge("r1", "134567890123456789"); err != nil || r.Status != app.PaymentPaid || r.TransactionID == "" {
		t.Fatalf("confirmed on the phone: %+v, %v", r, err)
	}
	if _, err := charge("r2", "134567890123450000"); !errors.Is(err, app.ErrPaymentDeclined) {
		t.Fatalf("declined code: %v", err)
	}
	if r, err := charge("r3", "134567890123459999"); err != nil || r.Status != app.PaymentPaid {
		t.Fatalf("lost reply, found paid by query: %+v, %v", r, err)
	}
	// A duplicate charge of a paid reference answers with the same order.
	first, _ := g.Query(ctx, "r1")
	again, err := g.Charge(ctx, app.ChargeRequest{Reference: "r1", Amount: amount, Code: "134567890123456789"})
	if err != nil || again != first || len(g.orders) != 3 {
		t.Fatalf("duplicate charge: %+v (first %+v), %v, %d orders", again, first, err, len(g.orders))
	}
	// Refunds: once per refund reference, never beyond what was paid.
	for _, r := range []app.RefundRequest{{Reference: "r1", RefundReference: "f1", Amount: money.New(200, money.CNY)},
		{Reference: "r1", RefundReference: "f1", Amount: money.New(200, money.CNY)}} {
		if err := g.Refund(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Refund(ctx, app.RefundRequest{Reference: "r1", RefundReference: "f2", Amount: money.New(200, money.CNY)}); err == nil {
		t.Fatal("refunded 4.00 of a 3.00 order")
	}
	if err := g.Refund(ctx, app.RefundRequest{Reference: "r2", RefundReference: "f3", Amount: money.New(100, money.CNY)}); err == nil {
		t.Fatal("refunded a declined order")
	}
	// Too slow a shopper: the till gives up and the order is reversed.
	g.Confirm = time.Hour
	if _, err := app.CollectPayment(ctx, g, app.ChargeRequest{Reference: "r4", Amount: amount, Code: "134567890123456788"},
		app.PaymentWait{Poll: time.Millisecond, Timeout: 20 * time.Millisecond}); !errors.Is(err, app.ErrPaymentReversed) {
		t.Fatalf("timeout: %v", err)
	}
	if r, _ := g.Query(ctx, "r4"); r.Status != app.PaymentDeclined {
		t.Fatalf("the reversed order is %v", r.Status)
	}
}
