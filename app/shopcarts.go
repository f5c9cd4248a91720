package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// A parked cart can be resumed on any till of the shop: the till offers it to the head office when it
// parks it, the other tills list the shop's carts, and resuming one claims it at the head office, so
// only one till can take it. Offline, a till resumes only its own parked carts.

// ShopCarts is the head office's list of the shop's parked carts; hq/client implements it. Its calls are
// short: a till that cannot reach the head office soon goes on without it.
type ShopCarts interface {
	// Offer makes p, parked at this till, available to the shop's other tills. Offering it again is
	// harmless; once another till claimed it, the error wraps a *CartTakenError.
	Offer(ctx context.Context, p ParkedCart) error
	// Offered lists the carts other tills of the shop parked lately and nobody claimed, newest first.
	Offered(ctx context.Context) ([]ParkedCart, error)
	// Claim makes the cart id this till's: nil when it is (or was already), an error wrapping a
	// *CartTakenError when another till has it, ErrNotParked when the head office never had it.
	Claim(ctx context.Context, id string) error
}

// CartWithdrawals keeps, across restarts, the carts this till offered and then resumed itself while the
// head office could not be told: it still offers them to the shop's other tills, and another till could
// sell them again, until OfferParked claims them there. The store implements it.
type CartWithdrawals interface {
	// Withdraw records that the cart id, resumed at at, is to be withdrawn; again is harmless.
	Withdraw(ctx context.Context, id string, at time.Time) error
	// Withdrawals lists the carts to withdraw, oldest first.
	Withdrawals(ctx context.Context) ([]string, error)
	// Withdrawn forgets the cart id: the head office was told, or nothing more can be done.
	Withdrawn(ctx context.Context, id string) error
}

// ProductsBySKU finds a product of the till's catalog by its SKU, or an error wrapping ErrCartProduct.
type ProductsBySKU interface {
	ProductBySKU(ctx context.Context, sku string) (Product, error)
}

// CartTakenError is a parked cart another till claimed first.
type CartTakenError struct{ Till string }

func (e *CartTakenError) Error() string { return "the parked cart was taken by till " + e.Till }

// Unwrap makes a CartTakenError an ErrCartTaken.
func (e *CartTakenError) Unwrap() error { return ErrCartTaken }

// SetShopCarts shares the till's parked carts with the shop's other tills through shop, their products
// found in products, the till's own carts it resumed while the head office could not be told kept in
// withdraw (OfferParked tells it later); a nil shop: parked carts stay at the till.
func (c *Checkout) SetShopCarts(shop ShopCarts, products ProductsBySKU, withdraw CartWithdrawals) {
	c.shop, c.products, c.withdraw = shop, products, withdraw
}

// offer offers a cart just parked to the shop, unless the till is offline: then it stays the till's
// alone until OfferParked offers it again.
func (c *Checkout) offer(ctx context.Context, p ParkedCart) error {
	if c.shop == nil || len(p.Tenders) > 0 || c.offline != nil && c.offline() {
		return nil
	}
	return c.shop.Offer(ctx, p)
}

// OfferParked withdraws from the shop the carts till resumed while the head office could not be told
// (see withdrawLater), then offers the parked carts of till to the shop again (carts parked while the till
// was offline, or whose offer's reply was lost), and drops those another till has taken meanwhile, so the
// cashier no longer sees them. It touches no checkout, so the till's sync goroutine runs it after each
// sync.
func OfferParked(ctx context.Context, shop ShopCarts, parked ParkedCarts, withdraw CartWithdrawals, till string) error {
	carts, err := parked.ParkedAt(ctx, till)
	if err != nil {
		return err
	}
	errs := []error{withdrawResumed(ctx, shop, withdraw, carts)}
	for _, p := range carts {
		if len(p.Tenders) > 0 {
			continue
		}
		err := shop.Offer(ctx, p)
		var taken *CartTakenError
		if errors.As(err, &taken) {
			if _, err = parked.Unpark(ctx, p.ID); errors.Is(err, ErrNotParked) {
				err = nil
			}
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// withdrawResumed claims at the head office the carts withdraw holds, so no other till can take them
// any more. A cart another till took meanwhile was sold there too, or may yet be: the error says so, and
// the cart is forgotten, since nothing more can be done from here. One the cashier parked here again
// since is offered again after this, which frees it, or drops it here when another till took it.
func withdrawResumed(ctx context.Context, shop ShopCarts, withdraw CartWithdrawals, parked []ParkedCart) error {
	ids, err := withdraw.Withdrawals(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		err := shop.Claim(ctx, id)
		var taken *CartTakenError
		switch {
		case errors.As(err, &taken) && slices.ContainsFunc(parked, func(p ParkedCart) bool { return p.ID == id }):
			// Not sold here: the offer drops it.
		case errors.As(err, &taken):
			errs = append(errs, fmt.Errorf("cart %s was resumed here while the head office was out of reach, and till %s took it too: "+
				"its goods may be sold twice (%w)", id, taken.Till, err))
		case err != nil && !errors.Is(err, ErrNotParked):
			errs = append(errs, fmt.Errorf("withdraw cart %s: %w", id, err)) // kept: the next sync tries again
			continue
		}
		if err := withdraw.Withdrawn(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ShopParked lists the parked carts other tills of the shop offered and nobody claimed, or none and an
// error when the head office cannot be asked (the till then lists its own only): at once when the till
// knows it is offline. shared is false for a till that does not share parked carts.
func (c *Checkout) ShopParked(ctx context.Context) (carts []ParkedCart, shared bool, err error) {
	if c.shop == nil {
		return nil, false, nil
	}
	if c.offline != nil && c.offline() {
		return nil, true, ErrOffline
	}
	carts, err = c.shop.Offered(ctx)
	return carts, true, err
}

// claimOwn claims at the head office a cart this till parked before it resumes it, so no other till can
// take it after. A cart another till took first is that till's: it is dropped here, and the error says
// which till has it. When the head office never had the cart, the till resumes it. When it cannot be
// asked (at once when the till knows it is offline), the till resumes its own cart anyway and withdraws
// it later (withdrawLater).
func (c *Checkout) claimOwn(ctx context.Context, parked ParkedCarts, id string) error {
	if c.shop == nil {
		return nil
	}
	if c.offline != nil && c.offline() {
		return c.withdrawLater(ctx, id)
	}
	err := c.shop.Claim(ctx, id)
	var taken *CartTakenError
	switch {
	case err == nil || errors.Is(err, ErrNotParked):
		return nil
	case !errors.As(err, &taken):
		return c.withdrawLater(ctx, id)
	}
	if _, uerr := parked.Unpark(ctx, id); uerr != nil && !errors.Is(uerr, ErrNotParked) {
		return errors.Join(err, uerr)
	}
	return err
}

// withdrawLater records that the cart id, resumed here while the head office could not be told, is to
// be withdrawn by OfferParked after the till's next sync. Until then the head office still offers it, and
// another till that takes it meanwhile sells it a second time: the shortest window this till can leave.
// Unrecorded, the window would stay open for good, so a cart that cannot be recorded is not resumed.
func (c *Checkout) withdrawLater(ctx context.Context, id string) error {
	if err := c.withdraw.Withdraw(ctx, id, c.now()); err != nil {
		return fmt.Errorf("keep the cart's withdrawal for the head office: %w", err)
	}
	return nil
}

// ResumeFromShop makes p, a cart another till of the shop parked (from ShopParked), the sale in progress:
// its products from this till's catalog by SKU, at the prices they were parked at, its member from
// members. It is built first, so nothing is claimed that cannot be resumed (a product this till does not
// have refuses it, wrapping ErrCartProduct); then it is claimed at the head office, and a cart another
// till claimed first is refused with a *CartTakenError. It becomes a sale of this till under an ID of its
// own. memberLost as for Resume.
func (c *Checkout) ResumeFromShop(ctx context.Context, p ParkedCart, members MemberFinder) (memberLost bool, err error) {
	if c.cart.Len() > 0 || len(c.tenders) > 0 {
		return false, fmt.Errorf("%w: park or finish the sale in progress first", ErrCartNotEmpty)
	}
	if c.shop == nil || c.products == nil {
		return false, fmt.Errorf("%w: %s (this till does not share parked carts)", ErrNotParked, p.ID)
	}
	if len(p.Tenders) > 0 {
		return false, fmt.Errorf("%w: a cart with payments taken stays at its till", ErrPaymentStarted)
	}
	local := ParkedCart{ID: NewID(), Till: c.settings.Till, ParkedAt: p.ParkedAt, Member: p.Member, Lines: make([]Line, 0, len(p.Lines))}
	for _, l := range p.Lines {
		product, err := c.products.ProductBySKU(ctx, l.Product.SKU)
		if err != nil {
			return false, fmt.Errorf("resume %s: %w", p.ID, err)
		}
		if product.Price.Currency() != l.Product.Price.Currency() {
			return false, fmt.Errorf("resume %s: %w: %s in %s", p.ID, ErrInvalidAmount, l.Product.SKU, l.Product.Price.Currency().Code)
		}
		product.Price = l.Product.Price // as parked, like a cart parked here
		local.Lines = append(local.Lines, Line{Product: product, Qty: l.Qty, Label: l.Label, Discount: l.Discount})
	}
	cart, err := c.build(local)
	if err != nil {
		return false, fmt.Errorf("resume %s: %w", p.ID, err)
	}
	if err := c.shop.Claim(ctx, p.ID); err != nil {
		return false, fmt.Errorf("resume %s: %w", p.ID, err)
	}
	c.cart, c.saleID, c.openedAt, c.tenders = cart, local.ID, c.now(), nil
	memberLost = !c.restoreMember(ctx, p.Member, members)
	c.kept()
	return memberLost, nil
}
