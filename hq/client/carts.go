package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/api"
)

// OfferCart offers a parked cart of the till to the shop's other tills.
func (c *Client) OfferCart(ctx context.Context, cart document.Cart) error {
	var reply json.RawMessage
	return c.post(ctx, api.CartsPath(c.cfg.Shop), cart, &reply)
}

// ShopCarts lists the carts other tills of the shop parked lately and nobody claimed, newest first (see
// api.CartsListed). Each is checked as the head office checked it (another till's cart is a claim, not a
// fact): one that fails is left out.
func (c *Client) ShopCarts(ctx context.Context) ([]document.Cart, error) {
	var reply api.Carts
	if err := c.do(ctx, http.MethodGet, api.CartsPath(c.cfg.Shop), nil, &reply); err != nil {
		return nil, err
	}
	out := make([]document.Cart, 0, len(reply.Carts))
	for _, body := range reply.Carts {
		if cart, err := document.CheckCart(body); err == nil {
			out = append(out, *cart)
		}
	}
	return out, nil
}

// ClaimCart claims the shop's parked cart id for the till: an *api.Error with code "taken" (naming the
// till in ClaimedBy) when another till has it, "not_found" when the head office never had it.
func (c *Client) ClaimCart(ctx context.Context, id string) error {
	var reply json.RawMessage
	return c.post(ctx, api.ClaimPath(c.cfg.Shop, id), struct{}{}, &reply)
}

// Carts is the shop's parked carts at the head office, as the checkout uses them (app.ShopCarts). Each
// call is bounded by Timeout (3 s when zero): a cashier waits no longer before the till goes on alone.
type Carts struct {
	Client   *Client
	Currency money.Currency // the shop's
	Timeout  time.Duration
}

var _ app.ShopCarts = (*Carts)(nil)

func (s *Carts) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	d := s.Timeout
	if d == 0 {
		d = 3 * time.Second
	}
	return context.WithTimeout(ctx, d)
}

// Offer offers p to the shop's other tills: a *app.CartTakenError when another till claimed it already.
func (s *Carts) Offer(ctx context.Context, p app.ParkedCart) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return claimError(s.Client.OfferCart(ctx, CartDocument(p)), p.ID)
}

// Offered lists the carts other tills offered and nobody claimed; one in another currency than the
// shop's is left out.
func (s *Carts) Offered(ctx context.Context) ([]app.ParkedCart, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	carts, err := s.Client.ShopCarts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]app.ParkedCart, 0, len(carts))
	for _, c := range carts {
		if p, err := ParkedCart(c, s.Currency); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// Claim claims the cart id for this till.
func (s *Carts) Claim(ctx context.Context, id string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return claimError(s.Client.ClaimCart(ctx, id), id)
}

// claimError is the head office's refusal of a claim or an offer of cart id as the checkout knows it.
func claimError(err error, id string) error {
	var e *api.Error
	switch {
	case errors.As(err, &e) && e.Code == "taken":
		return &app.CartTakenError{Till: e.ClaimedBy}
	case errors.As(err, &e) && e.Code == "not_found":
		return fmt.Errorf("%w: %s", app.ErrNotParked, id)
	}
	return err
}

// CartDocument is a parked cart as the head office keeps it. Its payments, if any, are not in it: a cart
// with payments taken is never offered.
func CartDocument(p app.ParkedCart) document.Cart {
	d := document.Cart{ID: p.ID, Till: p.Till, ParkedAt: p.ParkedAt.UTC().Format(document.CartTime), Currency: p.Total.Currency().Code,
		Total: p.Total.Decimal(), Member: p.Member, Lines: make([]document.CartLine, 0, len(p.Lines))}
	for _, l := range p.Lines {
		cl := document.CartLine{SKU: l.Product.SKU, Name: l.Product.Name, NameZH: l.Product.NameZH, Unit: string(l.Product.Unit),
			PriceUnit: string(l.Product.PriceUnit), Price: l.Product.Price.Decimal(), DiscountBP: l.Discount.PercentBP}
		if l.Product.Unit == app.UnitKg {
			cl.Qty = money.FormatFixed(int64(l.Qty), 3)
		} else {
			cl.Qty = money.FormatFixed(int64(l.Qty)/1000, 0)
		}
		if l.Label != nil {
			cl.Label = l.Label.Decimal()
		}
		if !l.Discount.Amount.IsZero() {
			cl.Discount = l.Discount.Amount.Decimal()
		}
		d.Lines = append(d.Lines, cl)
	}
	return d
}

// ParkedCart reads a cart the head office kept (checked by document.CheckCart) in the shop's currency cur.
// Its products carry only what the cart says of them: the till finds them in its own catalog by SKU.
func ParkedCart(d document.Cart, cur money.Currency) (app.ParkedCart, error) {
	if d.Currency != cur.Code {
		return app.ParkedCart{}, fmt.Errorf("cart %s: currency %s, the shop's is %s", d.ID, d.Currency, cur.Code)
	}
	at, err := time.Parse(document.CartTime, d.ParkedAt)
	if err != nil {
		return app.ParkedCart{}, fmt.Errorf("cart %s: %w", d.ID, err)
	}
	amount := func(s string) money.Amount {
		if s == "" {
			return money.New(0, cur)
		}
		a, perr := money.Parse(s, cur)
		err = errors.Join(err, perr)
		return a
	}
	p := app.ParkedCart{ID: d.ID, Till: d.Till, ParkedAt: at, Total: amount(d.Total), Member: d.Member}
	for _, cl := range d.Lines {
		qty, qerr := money.ParseFixed(cl.Qty, 3) // pieces are whole: "2" reads as 2.000 pieces
		err = errors.Join(err, qerr)
		l := app.Line{Product: app.Product{SKU: cl.SKU, Name: cl.Name, NameZH: cl.NameZH, Unit: app.Unit(cl.Unit),
			PriceUnit: app.PriceUnit(cl.PriceUnit), Price: amount(cl.Price), Active: true}, Qty: app.Quantity(qty), Discount: app.Discount{Amount: amount(cl.Discount), PercentBP: cl.DiscountBP}}
		if cl.Label != "" {
			v := amount(cl.Label)
			l.Label = &v
		}
		p.Lines = append(p.Lines, l)
	}
	if err != nil {
		return app.ParkedCart{}, fmt.Errorf("cart %s: %w", d.ID, err)
	}
	return p, nil
}
