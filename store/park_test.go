package store

import (
	"context"
	"errors"
	"testing"

	"checkout/app"
)

func TestParkAndResumeAcrossRestart(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	co := newCheckout(t, s)
	till := co.Settings().Till
	for _, code := range []string{"3*5449000000996", "0.455*2000101000006"} {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := co.SetDiscount(0, app.Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	before := co.Totals()
	parked, err := co.Park(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if co.Totals().Lines != 0 {
		t.Fatal("parking left the cart full")
	}
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	list, err := s2.ParkedAt(ctx, till)
	if err != nil || len(list) != 1 || list[0].ID != parked.ID || list[0].Total != before.Total {
		t.Fatalf("parked after restart: %+v, %v", list, err)
	}
	co2 := newCheckout(t, s2)
	if _, err := co2.Resume(ctx, s2, parked.ID, nil); err != nil {
		t.Fatal(err)
	}
	if after := co2.Totals(); after.Total != before.Total || after.Discount != before.Discount || after.Lines != 2 {
		t.Fatalf("resumed totals %+v, parked %+v", after, before)
	}
	if _, err := co2.Resume(ctx, s2, parked.ID, nil); !errors.Is(err, app.ErrCartNotEmpty) {
		t.Errorf("resume into a full cart = %v", err)
	}
	if _, err := s2.Unpark(ctx, parked.ID); !errors.Is(err, app.ErrNotParked) {
		t.Errorf("a resumed cart is still parked: %v", err)
	}
	if _, err := co2.PayCash(co2.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := co2.Complete(ctx)
	if err != nil || sale.ID != parked.ID {
		t.Fatalf("the resumed cart sold as %+v, %v", sale, err)
	}
}

// A cart parked at another till finds its products here by SKU; an SKU this till does not have is
// ErrCartProduct.
func TestProductBySKU(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	p, err := s.ProductBySKU(ctx, "DRK-001")
	if err != nil || p.SKU != "DRK-001" || p.ID == 0 || p.Price.IsZero() {
		t.Fatalf("%+v, %v", p, err)
	}
	if _, err := s.ProductBySKU(ctx, "NOPE-001"); !errors.Is(err, app.ErrCartProduct) {
		t.Fatalf("unknown SKU: %v", err)
	}
}
