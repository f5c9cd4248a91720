package app

import (
	"context"
	"errors"
	"testing"
)

type parkingLot map[string]ParkedCart

func (p parkingLot) Park(_ context.Context, c ParkedCart) error { p[c.ID] = c; return nil }
func (p parkingLot) ParkedAt(context.Context, string) ([]ParkedCart, error) {
	var out []ParkedCart
	for _, c := range p {
		out = append(out, c)
	}
	return out, nil
}
func (p parkingLot) Unpark(_ context.Context, id string) (ParkedCart, error) {
	c, ok := p[id]
	if !ok {
		return c, ErrNotParked
	}
	delete(p, id)
	return c, nil
}

func TestParkRefusesAPaidOrEmptyCart(t *testing.T) {
	ctx := context.Background()
	lot := parkingLot{}
	c, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c.Park(ctx, lot); !errors.Is(err, ErrEmptyCart) {
		t.Errorf("park an empty cart = %v", err)
	}
	if _, err := c.Scan(ctx, "2*6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCard(cny(100), "AB12", "9999"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Park(ctx, lot); !errors.Is(err, ErrPaymentStarted) || len(lot) != 0 {
		t.Errorf("park a part-paid cart = %v", err)
	}
}

// A parked sale resumed on a till that has sold nothing since it started takes the promotions as they
// are: resuming reads them, as beginning a sale does.
func TestResumedCartTakesThePromotions(t *testing.T) {
	ctx := context.Background()
	lot := parkingLot{}
	parker, _ := newTestCheckout(t, DefaultSettings())
	if _, err := parker.Scan(ctx, "2*6900000000014"); err != nil {
		t.Fatal(err)
	}
	p, err := parker.Park(ctx, lot)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newTestCheckout(t, DefaultSettings()) // a till just started: no sale has read the promotions
	c.SetDealsSource(&dealsNow{deals(t, secondHalf)})
	if _, err := c.Resume(ctx, lot, p.ID, nil); err != nil {
		t.Fatal(err)
	}
	if l := c.Lines()[0]; l.Promotion != cny(150) {
		t.Fatalf("resumed line %+v: no promotion", l)
	}
}
