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
