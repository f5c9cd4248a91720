package app

import (
	"context"
	"fmt"
	"time"

	"checkout/app/money"
)

// ParkedCart is a cart put aside (the shopper went back for something) so the till can serve the next
// one. Its lines keep the prices they had when parked.
type ParkedCart struct {
	ID       string
	Till     string
	ParkedAt time.Time
	Lines    []Line
	Total    money.Amount
	// Member is the number of the member put on the sale, if any.
	Member string
	// Coupons are the coupon codes presented for the sale; a resumed cart is priced with them again.
	Coupons []string
	// Tenders are the payments taken: only an open cart left by a crash has any (Park refuses a cart with
	// payments), and it is then parked for a supervisor, who alone may resume it (with its payments).
	Tenders []Tender
}

// ParkedCarts keeps parked carts across restarts; the store implements it.
type ParkedCarts interface {
	Park(ctx context.Context, p ParkedCart) error
	// ParkedAt lists the till's parked carts, oldest first.
	ParkedAt(ctx context.Context, till string) ([]ParkedCart, error)
	// Unpark removes the parked cart and returns it, or an error wrapping ErrNotParked.
	Unpark(ctx context.Context, id string) (ParkedCart, error)
}

// Park puts the sale in progress aside and starts a new one. A cart with payments taken cannot be parked:
// its money belongs to a sale that must complete or be refunded. With the shop's carts (SetShopCarts),
// the cart is offered to the shop's other tills too, unless the till is offline. An offer that fails
// leaves the cart parked here alone until OfferParked (after the till's next sync) offers it again.
func (c *Checkout) Park(ctx context.Context, parked ParkedCarts) (ParkedCart, error) {
	if c.cart.Len() == 0 {
		return ParkedCart{}, ErrEmptyCart
	}
	if err := c.mutable(); err != nil {
		return ParkedCart{}, err
	}
	p := ParkedCart{ID: c.saleID, Till: c.settings.Till, ParkedAt: c.now(), Lines: c.cart.Lines(), Total: c.cart.Totals().Total,
		Member: c.memberNumber(), Coupons: c.cart.Coupons()}
	c.keeper.settle()
	if err := parked.Park(ctx, p); err != nil {
		c.kept()
		return ParkedCart{}, fmt.Errorf("park: %w", err)
	}
	c.reset()
	_ = c.offer(ctx, p) // best effort: OfferParked tries again
	return p, nil
}

// Resume brings a parked cart back as the sale in progress; the till's cart must be empty. Lines are
// re-priced at the parked prices, with the shop's current tax rates. A cart parked with payments taken
// (an open cart a crash left, see ResumeOpen) comes back with them, and only for someone who may
// abandon a paid sale (PermVoidPaid): they complete it, or void or refund what was paid. The member
// put on the sale comes back from members; memberLost when they cannot (then their card is scanned again).
// With the shop's carts (SetShopCarts) the cart is claimed at the head office first, so no other till can
// take it after; one another till took first is gone from here (a *CartTakenError says where). Without the
// head office it is resumed, and withdrawn there after the till's next sync (OfferParked).
func (c *Checkout) Resume(ctx context.Context, parked ParkedCarts, id string, members MemberFinder) (memberLost bool, err error) {
	if c.cart.Len() > 0 || len(c.tenders) > 0 {
		return false, fmt.Errorf("%w: park or finish the sale in progress first", ErrCartNotEmpty)
	}
	if err := c.claimOwn(ctx, parked, id); err != nil {
		return false, fmt.Errorf("resume %s: %w", id, err)
	}
	p, err := parked.Unpark(ctx, id)
	if err != nil {
		return false, err
	}
	if len(p.Tenders) > 0 {
		if _, err = c.session.Allow(PermVoidPaid); err == nil {
			err = c.restore(p)
		}
	} else {
		err = c.restore(p)
	}
	if err != nil {
		// The cart is lost to the till only if it cannot be put back: park it again unchanged.
		if perr := parked.Park(ctx, p); perr != nil {
			return false, fmt.Errorf("resume %s: %w (and parking it again failed: %v)", id, err, perr)
		}
		return false, fmt.Errorf("resume %s: %w", id, err)
	}
	memberLost = !c.restoreMember(ctx, p.Member, members)
	c.kept()
	return memberLost, nil
}

// restoreMember puts the member numbered number back on a resumed sale; false when there was one and
// they could not be (no member desk, or no longer found).
func (c *Checkout) restoreMember(ctx context.Context, number string, members MemberFinder) bool {
	if number == "" {
		return true
	}
	if members == nil {
		return false
	}
	m, err := members.MemberByNumber(ctx, number)
	return err == nil && c.SetMember(m) == nil
}

// restore makes p the sale in progress, under its ID, with its payments.
func (c *Checkout) restore(p ParkedCart) error {
	cart, err := c.build(p)
	if err != nil {
		return err
	}
	c.cart, c.saleID, c.openedAt = cart, p.ID, p.ParkedAt
	c.tenders = append([]Tender(nil), p.Tenders...)
	return nil
}

// build returns p's lines as a cart priced by the shop's rules, with its coupons: one whose promotion is
// no longer on is left off (the promotions are judged as they are now, at the time the sale began).
func (c *Checkout) build(p ParkedCart) (*Cart, error) {
	cart := NewCart(c.settings)
	cart.SetDeals(c.freshDeals(), p.ParkedAt) // the promotions as they are, judged when the sale began
	for _, l := range p.Lines {
		i, err := cart.add(l.Product, l.Qty, l.Label)
		if err == nil && !l.Discount.IsZero() {
			err = cart.SetDiscount(i, l.Discount)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, code := range p.Coupons {
		_ = cart.AddCoupon(code)
	}
	return cart, nil
}
