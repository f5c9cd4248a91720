package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// headOffice is an app.ShopCarts in memory: who claimed which cart, and which till offered it.
type headOffice struct {
	offered map[string]string // cart → the till that offered it
	claimed map[string]string // cart → till
	claims  int
	down    bool
}

var errNoRoute = errors.New("no route to the head office")

func (h *headOffice) Offer(_ context.Context, p app.ParkedCart) error {
	if h.down {
		return errNoRoute
	}
	if by := h.claimed[p.ID]; by != "" && by != p.Till {
		return &app.CartTakenError{Till: by}
	}
	h.offered[p.ID], h.claimed[p.ID] = p.Till, ""
	return nil
}

func (h *headOffice) Offered(context.Context) ([]app.ParkedCart, error) { return nil, nil }

func (h *headOffice) Claim(_ context.Context, id string) error {
	h.claims++
	switch by := h.claimed[id]; {
	case h.down:
		return errNoRoute
	case h.offered[id] == "":
		return fmt.Errorf("%w: %s", app.ErrNotParked, id)
	case by != "" && by != h.offered[id]:
		return &app.CartTakenError{Till: by}
	}
	h.claimed[id] = h.offered[id]
	return nil
}

// A till that resumes its own offered cart while the head office cannot be told keeps the withdrawal in
// its database, across a restart, and claims the cart there after its next sync, so no other till can
// take it after. Known offline, it does not even ask. A cart another till took in between is forgotten,
// and the error says it may be sold twice; one the cashier parked again is offered again instead.
func TestResumedOfflineWithdrawnAfterSync(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	hq := &headOffice{offered: map[string]string{}, claimed: map[string]string{}}
	offline := false
	park := func(co *app.Checkout, s *Store) app.ParkedCart {
		t.Helper()
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		p, err := co.Park(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	withdrawals := func(s *Store) []string {
		t.Helper()
		ids, err := s.Withdrawals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	co := newCheckout(t, s)
	co.SetShopCarts(hq, s, s)
	co.SetOffline(func() bool { return offline })
	till := co.Settings().Till
	p := park(co, s)
	if hq.offered[p.ID] != till {
		t.Fatalf("the cart parked online is not offered: %v", hq.offered)
	}

	// The head office is unreachable, though the till does not know it yet: it asks, then resumes anyway.
	hq.down = true
	if _, err := co.Resume(ctx, s, p.ID, nil); err != nil || hq.claims != 1 {
		t.Fatalf("resume with the head office unreachable: %v after %d claims", err, hq.claims)
	}
	if got := withdrawals(s); !slices.Equal(got, []string{p.ID}) {
		t.Fatalf("to withdraw: %v, want the resumed cart", got)
	}
	if err := co.Void(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co = newCheckout(t, s)
	co.SetShopCarts(hq, s, s)
	co.SetOffline(func() bool { return offline })
	if err := app.OfferParked(ctx, hq, s, s, till); err == nil || len(withdrawals(s)) != 1 {
		t.Fatalf("withdrawing with the head office still unreachable: %v; to withdraw %v", err, withdrawals(s))
	}
	hq.down = false
	if err := app.OfferParked(ctx, hq, s, s, till); err != nil || hq.claimed[p.ID] != till || len(withdrawals(s)) != 0 {
		t.Fatalf("after the sync: %v; claimed by %q; to withdraw %v", err, hq.claimed[p.ID], withdrawals(s))
	}

	// Known offline: the head office is not asked; another till takes the cart before this till's sync.
	p = park(co, s)
	offline = true
	claims := hq.claims
	if _, err := co.Resume(ctx, s, p.ID, nil); err != nil || hq.claims != claims || len(withdrawals(s)) != 1 {
		t.Fatalf("resume known offline: %v after %d claims; to withdraw %v", err, hq.claims-claims, withdrawals(s))
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	hq.claimed[p.ID] = "T09"
	offline = false
	err = app.OfferParked(ctx, hq, s, s, till)
	var taken *app.CartTakenError
	if !errors.As(err, &taken) || taken.Till != "T09" || !strings.Contains(err.Error(), "sold twice") || len(withdrawals(s)) != 0 {
		t.Fatalf("withdrawing a cart T09 took: %v; to withdraw %v", err, withdrawals(s))
	}

	// Resumed offline and parked again: withdrawn, then offered again. Taken by another till meanwhile,
	// it was sold nowhere: it is dropped here, as any cart another till took, with no error.
	for _, by := range []string{"", "T09"} {
		p = park(co, s)
		offline = true
		if _, err := co.Resume(ctx, s, p.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := co.Park(ctx, s); err != nil {
			t.Fatal(err)
		}
		offline, hq.claimed[p.ID] = false, by
		err := app.OfferParked(ctx, hq, s, s, till)
		left, _ := s.ParkedAt(ctx, till)
		if err != nil || len(withdrawals(s)) != 0 || by == "" && (hq.claimed[p.ID] != "" || len(left) != 1) ||
			by != "" && (hq.claimed[p.ID] != by || len(left) != 0) {
			t.Fatalf("a cart parked again, taken by %q: %v; claimed by %q; parked here %d; to withdraw %v", by, err, hq.claimed[p.ID],
				len(left), withdrawals(s))
		}
		if by == "" {
			if _, err := s.Unpark(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}
