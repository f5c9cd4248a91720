package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// counter is an in-memory ShopCarts: the head office's shelf of one shop's carts, seen from till.
type counter struct {
	carts   map[string]ParkedCart
	claimed map[string]string // cart → till
	till    string
	down    bool
}

func (s *counter) as(till string) *counter {
	return &counter{carts: s.carts, claimed: s.claimed, till: till}
}

var errAway = errors.New("head office unreachable")

func (s *counter) Offer(_ context.Context, p ParkedCart) error {
	if s.down {
		return errAway
	}
	if by := s.claimed[p.ID]; by != "" && by != s.till {
		return &CartTakenError{Till: by}
	}
	s.carts[p.ID], s.claimed[p.ID] = p, ""
	return nil
}

func (s *counter) Offered(context.Context) ([]ParkedCart, error) {
	if s.down {
		return nil, errAway
	}
	var out []ParkedCart
	for id, p := range s.carts {
		if s.claimed[id] == "" && p.Till != s.till {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *counter) Claim(_ context.Context, id string) error {
	switch by := s.claimed[id]; {
	case s.down:
		return errAway
	case s.carts[id].ID == "":
		return fmt.Errorf("%w: %s", ErrNotParked, id)
	case by != "" && by != s.till:
		return &CartTakenError{Till: by}
	}
	s.claimed[id] = s.till
	return nil
}

// withdrawals is a CartWithdrawals in memory.
type withdrawals map[string]time.Time

func (w withdrawals) Withdraw(_ context.Context, id string, at time.Time) error {
	w[id] = at
	return nil
}

func (w withdrawals) Withdrawals(context.Context) ([]string, error) {
	return slices.SortedFunc(maps.Keys(w), func(a, b string) int { return w[a].Compare(w[b]) }), nil
}

func (w withdrawals) Withdrawn(_ context.Context, id string) error { delete(w, id); return nil }

// skus finds testShelf's products by SKU.
type skus struct{}

func (skus) ProductBySKU(_ context.Context, sku string) (Product, error) {
	for _, p := range testShelf {
		if p.SKU == sku {
			return p, nil
		}
	}
	return Product{}, fmt.Errorf("%w: %s", ErrCartProduct, sku)
}

// A cart parked at T01 is offered to the shop; T02 resumes it at its parked prices under a sale ID of
// its own, and T01 can then no longer resume it: its copy is dropped, and the error names T02.
func TestCartMovesToAnotherTill(t *testing.T) {
	ctx := context.Background()
	hq := &counter{carts: map[string]ParkedCart{}, claimed: map[string]string{}}
	set1, set2 := DefaultSettings(), DefaultSettings()
	set1.Till, set2.Till = "T01", "T02"
	t1, _ := newTestCheckout(t, set1)
	t2, _ := newTestCheckout(t, set2)
	t1.SetShopCarts(hq.as("T01"), skus{}, withdrawals{})
	t2.SetShopCarts(hq.as("T02"), skus{}, withdrawals{})
	lot1 := parkingLot{}
	for _, code := range []string{"2*6900000000014", "0.455*2000101000006"} {
		if _, err := t1.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	p, err := t1.Park(ctx, lot1)
	if err != nil || len(hq.carts) != 1 || len(lot1) != 1 {
		t.Fatalf("park: %v; %d at the head office, %d here", err, len(hq.carts), len(lot1))
	}
	if own, shared, _ := t1.ShopParked(ctx); len(own) != 0 || !shared {
		t.Fatalf("T01 lists its own cart among the shop's: %+v", own)
	}
	offered, _, err := t2.ShopParked(ctx)
	if err != nil || len(offered) != 1 || offered[0].ID != p.ID {
		t.Fatalf("T02 sees %+v, %v", offered, err)
	}
	remote := offered[0]
	remote.Lines[0].Product.Price = cny(250) // parked at another price than the catalog's now
	remote.Lines[0].Product.ID = 999         // the other till's own product ID
	if _, err := t2.ResumeFromShop(ctx, remote, nil); err != nil {
		t.Fatal(err)
	}
	if got := t2.Lines(); len(got) != 2 || got[0].Total.Minor() != 500 || got[0].Product.ID != cola.ID || t2.saleID == p.ID || t2.saleID == "" {
		t.Fatalf("T02's cart %+v, sale %s", got, t2.saleID)
	}
	var taken *CartTakenError
	if _, err := t1.Resume(ctx, lot1, p.ID, nil); !errors.As(err, &taken) || taken.Till != "T02" || len(lot1) != 0 || len(t1.Lines()) != 0 {
		t.Fatalf("T01 resumes a cart T02 took: %v; %d left parked", err, len(lot1))
	}
	// A second till cannot take what T02 has.
	set3 := DefaultSettings()
	set3.Till = "T03"
	t3, _ := newTestCheckout(t, set3)
	t3.SetShopCarts(hq.as("T03"), skus{}, withdrawals{})
	if _, err := t3.ResumeFromShop(ctx, offered[0], nil); !errors.As(err, &taken) || taken.Till != "T02" || len(t3.Lines()) != 0 {
		t.Fatalf("T03 takes T02's cart: %v", err)
	}
}

// A cart with a product this till does not have is refused before it is claimed; offline, a till parks
// and resumes its own carts, and offers them when it is back.
func TestShopCartRefusalsAndOffline(t *testing.T) {
	ctx := context.Background()
	hq := &counter{carts: map[string]ParkedCart{}, claimed: map[string]string{}}
	set := DefaultSettings()
	set.Till = "T02"
	t2, _ := newTestCheckout(t, set)
	t2.SetShopCarts(hq.as("T02"), skus{}, withdrawals{})
	foreign := ParkedCart{ID: NewID(), Till: "T01", Lines: []Line{{Product: Product{SKU: "NOT-HERE", Price: cny(100), Unit: UnitPiece}, Qty: Pieces(1)}}}
	hq.carts[foreign.ID] = foreign
	if _, err := t2.ResumeFromShop(ctx, foreign, nil); !errors.Is(err, ErrCartProduct) || hq.claimed[foreign.ID] != "" {
		t.Fatalf("unknown product: %v, claimed by %q", err, hq.claimed[foreign.ID])
	}

	off := hq.as("T01")
	off.down = true
	set.Till = "T01"
	t1, _ := newTestCheckout(t, set)
	wd := withdrawals{}
	t1.SetShopCarts(off, skus{}, wd)
	lot := parkingLot{}
	if _, err := t1.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	p, err := t1.Park(ctx, lot)
	if err != nil || len(lot) != 1 || hq.carts[p.ID].ID != "" {
		t.Fatalf("offline park: %v, offered %v", err, hq.carts[p.ID].ID != "")
	}
	if _, _, err := t1.ShopParked(ctx); err == nil {
		t.Fatal("listing the shop's carts offline succeeded")
	}
	if _, err := t1.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	if _, err := t1.Park(ctx, lot); err != nil {
		t.Fatal(err)
	}
	if _, err := t1.Resume(ctx, lot, p.ID, nil); err != nil || len(t1.Lines()) != 1 || wd[p.ID].IsZero() {
		t.Fatalf("offline, T01 resumes its own cart: %v; to withdraw %v", err, wd)
	}
	off.down = false
	t1.SetOffline(func() bool { return true }) // known offline: the head office is not even asked
	if _, _, err := t1.ShopParked(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("listing while known offline: %v", err)
	}
	if err := OfferParked(ctx, off, lot, wd, "T01"); err != nil || len(hq.carts) != 2 || len(wd) != 0 {
		t.Fatalf("offer again: %v, %d at the head office, %d to withdraw", err, len(hq.carts), len(wd))
	}
	// T02 takes T01's cart: T01's next offer drops its copy.
	var second ParkedCart
	for _, p := range lot {
		second = p
	}
	hq.claimed[second.ID] = "T02"
	if err := OfferParked(ctx, off, lot, wd, "T01"); err != nil || len(lot) != 0 {
		t.Fatalf("offer of a taken cart: %v, %d left parked", err, len(lot))
	}
}
