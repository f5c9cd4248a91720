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
