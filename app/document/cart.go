package document

import (
	"fmt"
	"time"
)

// Cart is a parked cart a till offers the other tills of its shop through the head office, so a shopper
// who moved to another counter is served from where they were. It is not a journal document (nothing
// was sold yet, and a cart is claimed, which changes it): the head office keeps it apart and checks it
// like a document, with CheckCart, for what a till says is a claim, not a fact. A cart with payments
// taken never leaves its till, so it has none.
type Cart struct {
	ID       string     `json:"id"`
	Till     string     `json:"till"`
	ParkedAt string     `json:"parked_at"`
	Currency string     `json:"currency"`
	Total    string     `json:"total"`            // what the cart came to when parked, for the list
	Member   string     `json:"member,omitempty"` // the number of the member on the sale
	Lines    []CartLine `json:"lines"`
}

// CartLine is one line of a parked cart: the product by its SKU (the shop's tills share the catalog),
// the price it was parked at, and what the cashier set.
type CartLine struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	NameZH     string `json:"name_zh,omitempty"`
	Qty        string `json:"qty"` // as the cashier reads it: whole pieces, or kilograms to the gram
	Unit       string `json:"unit"`
	Price      string `json:"price"`                // the unit price it was parked at
	PriceUnit  string `json:"price_unit,omitempty"` // what Price is for when not the unit: jin, 100g
	Label      string `json:"label,omitempty"`      // the amount of a price label, when the line was scanned from one
	Discount   string `json:"discount,omitempty"`
	DiscountBP int64  `json:"discount_bp,omitempty"`
}

// MaxCartLines bounds the lines of a parked cart.
const MaxCartLines = 1000

// CheckCart reads body as a parked cart and checks it is well formed: its identity, time and currency,
// between 1 and MaxCartLines lines, each with a quantity and amounts in range and text without control
// characters. It returns the cart, or an error wrapping ErrInvalid that says what is wrong.
func CheckCart(body []byte) (*Cart, error) {
	var c checker
	cart := c.cart(decode[Cart](&c, body))
	if c.err != nil {
		return nil, fmt.Errorf("%w: cart: %v", ErrInvalid, c.err)
	}
	return cart, nil
}

func (c *checker) cart(p *Cart) *Cart {
	if p == nil {
		return nil
	}
	c.id("id", p.ID)
	c.till(p.Till)
	if at := c.time("parked_at", p.ParkedAt); c.ok() && (at.Year() < 2000 || at.Year() > 9999) {
		c.fail("parked_at %s", p.ParkedAt)
	}
	c.currency(p.Currency)
	c.nonNegative("total", p.Total)
	if p.Member != "" {
		c.member(&Member{Number: p.Member}, 1)
	}
	if len(p.Lines) == 0 || len(p.Lines) > MaxCartLines {
		c.fail("%d lines", len(p.Lines))
	}
	for i, l := range p.Lines {
		if !c.ok() {
			break
		}
		field := fmt.Sprintf("line %d", i+1)
		c.text(field+" sku", l.SKU)
		if !skuPattern.MatchString(l.SKU) {
			c.fail("%s sku %q", field, l.SKU)
		}
		c.text(field+" name", l.Name)
		c.text(field+" name_zh", l.NameZH)
		c.qty(l.Qty, l.Unit)
		c.priceUnit(field, l.PriceUnit, l.Unit)
		c.nonNegative(field+" price", l.Price)
		if l.Label != "" {
			c.nonNegative(field+" label", l.Label)
		}
		if l.Discount != "" {
			c.nonNegative(field+" discount", l.Discount)
		}
		if l.DiscountBP < 0 || l.DiscountBP > 10_000 {
			c.fail("%s discount_bp %d", field, l.DiscountBP)
		}
	}
	return p
}

// CartTime is how a cart's parked_at is written.
const CartTime = time.RFC3339Nano
