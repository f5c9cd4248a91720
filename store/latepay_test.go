package store

import (
	"context"
	"testing"
	"time"

	"checkout/app"
	"checkout/devices/sim"
)

// An order the till gave up on and the shopper paid after all is reversed at the next sweep and the
// refund journaled; one never paid stops being watched at the end of its watch; the watch survives a
// restart of the store.
func TestLatePaymentsAreReversed(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	gw := sim.NewGateway(0) // a presented code is paid as soon as it is asked about
	at := time.Now()
	for _, ref := range []string{"late-paid-1", "never-paid-1"} {
		if _, err := gw.Present(ctx, app.PresentRequest{Reference: ref, Amount: cny(1424)}); err != nil {
			t.Fatal(err)
		}
		p := app.Payments{Gateway: gw, Late: s}
		if err := p.Abandon(ctx, ref, cny(1424), at); err != nil {
			t.Fatal(err)
		}
	}
	if err := gw.Reverse(ctx, "never-paid-1"); err != nil { // closed by the provider
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if watched, _ := s.WatchedPayments(ctx); len(watched) != 2 || watched[0].Amount != cny(1424) {
		t.Fatalf("watched after a restart: %+v", watched)
	}
	refunded, err := app.SweepLatePayments(ctx, gw, s, at.Add(time.Minute))
	if err != nil || len(refunded) != 1 || refunded[0].Reference != "late-paid-1" {
		t.Fatalf("refunded %+v, %v", refunded, err)
	}
	if got := gw.Orders()["late-paid-1"]; got != app.PaymentDeclined {
		t.Errorf("the late payment is %v at the provider, not reversed", got)
	}
	if watched, _ := s.WatchedPayments(ctx); len(watched) != 0 {
		t.Errorf("still watched: %+v", watched)
	}
	if n := len(journalOf(t, s, "late_payment_refunded")); n != 1 {
		t.Errorf("%d refunds journaled", n)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Errorf("the journal: %v", err)
	}
}

// An order not scanned stays watched until its watch ends, then goes without a journal entry.
func TestLatePaymentWatchEnds(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	gw := sim.NewGateway(time.Hour)
	at := time.Now()
	if _, err := gw.Present(ctx, app.PresentRequest{Reference: "unscanned-1", Amount: cny(500)}); err != nil {
		t.Fatal(err)
	}
	if err := (app.Payments{Late: s}).Abandon(ctx, "unscanned-1", cny(500), at); err != nil {
		t.Fatal(err)
	}
	if refunded, err := app.SweepLatePayments(ctx, gw, s, at.Add(time.Hour)); err != nil || len(refunded) != 0 {
		t.Fatalf("%+v, %v", refunded, err)
	}
	if watched, _ := s.WatchedPayments(ctx); len(watched) != 1 {
		t.Fatal("an order in its watch time stopped being watched")
	}
	if _, err := app.SweepLatePayments(ctx, gw, s, at.Add(app.LateWatch)); err != nil {
		t.Fatal(err)
	}
	if watched, _ := s.WatchedPayments(ctx); len(watched) != 0 || len(journalOf(t, s, "late_payment_refunded")) != 0 {
		t.Errorf("after its watch: %+v", watched)
	}
	if got := gw.Orders()["unscanned-1"]; got != app.PaymentDeclined {
		t.Errorf("an order still payable when its watch ended: %v", got)
	}
}
