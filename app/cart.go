package app

import (
	"fmt"
	"sort"
	"strings"

	"checkout/app/money"
)

// maxLineTotal bounds one line (10 billion in major units) so a cart's sums cannot overflow.
const maxLineTotal = 1_000_000_000_000

// Discount on a line: a fixed amount off, or a percentage in basis points (1000 = 10%). At most one is set.
type Discount struct {
	Amount    money.Amount
	PercentBP int64
}

// IsZero reports whether the discount takes nothing off.
func (d Discount) IsZero() bool { return d.Amount.IsZero() && d.PercentBP == 0 }

// ParseDiscount reads a discount as a cashier types it: "10%" or "12.5%" takes a percentage off, "1.50"
// an amount in currency c; "" or "0" is no discount.
func ParseDiscount(text string, c money.Currency) (Discount, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Discount{}, nil
	}
	if pct, ok := strings.CutSuffix(text, "%"); ok {
		bp, err := ParsePercent(pct)
		if err != nil {
			return Discount{}, fmt.Errorf("%w: %v", ErrInvalidDiscount, err)
		}
		if bp < 0 || bp > 10_000 {
			return Discount{}, fmt.Errorf("%w: %s is not between 0%% and 100%%", ErrInvalidDiscount, text)
		}
		return Discount{PercentBP: bp}, nil
	}
	a, err := money.Parse(text, c)
	if err != nil {
		return Discount{}, fmt.Errorf("%w: %v", ErrInvalidDiscount, err)
	}
	if a.IsNegative() {
		return Discount{}, fmt.Errorf("%w: %s is below zero", ErrInvalidDiscount, text)
	}
	if a.IsZero() {
		return Discount{}, nil
	}
	return Discount{Amount: a}, nil
}

// Line is one product in the cart with its computed money.
type Line struct {
	Product  Product
	Qty      Quantity
	Discount Discount
	// Label is the price printed on an in-store or GS1 label; when set the line charges it as Gross,
	// whatever the product's price, and its quantity cannot change.
	Label *money.Amount
	// ListPrice is the catalog's price when the cashier overrode Product.Price for this line; zero otherwise.
	ListPrice money.Amount

	Gross          money.Amount // price × quantity, rounded half to even
	DiscountAmount money.Amount // what the discount and the promotions take off, never more than Gross
	Total          money.Amount // Gross − DiscountAmount: what the shopper pays for the line
	// Promotions are the savings the shop's promotions give the line (Cart.SetDeals), and Promotion their
	// sum: the part of DiscountAmount no cashier gave.
	Promotions []PromoSaving
	Promotion  money.Amount
	TaxRateBP  int64
	Tax        money.Amount // tax contained in (inclusive) or added to (exclusive) Total
}

// Totals of a cart.
type Totals struct {
	Subtotal money.Amount // sum of line totals, after their discounts (the documents' "subtotal")
	Discount money.Amount // sum of line discounts, the promotions' included
	// Promotions is what the promotions saved: the part of Discount the shopper did not ask a cashier for.
	Promotions money.Amount
	Tax        money.Amount
	Total      money.Amount // what is due: Subtotal, plus Tax when prices exclude tax
	ItemCount  int64        // pieces, plus one per weighed line
	Lines      int
	TaxBands   []TaxBand // by rate, ascending
}

// BeforeDiscounts is what the lines come to before their discounts: what the till and the receipt call
// "Subtotal", so that Subtotal − Discount (+ Tax when prices exclude it) is the Total on every screen.
func (t Totals) BeforeDiscounts() money.Amount { return t.Subtotal.Add(t.Discount) }

// Cart holds the lines of the sale in progress. Its zero value is unusable; make it with NewCart.
type Cart struct {
	settings Settings
	lines    []Line
	deals    *Deals // nil: no promotions
	shopper  shopper
}

// NewCart returns an empty cart priced by settings.
func NewCart(s Settings) *Cart { return &Cart{settings: s} }

// Lines returns a copy of the lines.
func (c *Cart) Lines() []Line { return append([]Line(nil), c.lines...) }

// Len returns the number of lines.
func (c *Cart) Len() int { return len(c.lines) }

// Add puts qty of p in the cart and returns the index of its line. A piece product already in the cart
// has its line incremented; each weighing of a product sold by weight is a line of its own.
func (c *Cart) Add(p Product, qty Quantity) (int, error) { return c.add(p, qty, nil) }

// add is Add with an optional label price. A labelled line is never merged: each label is its own item.
func (c *Cart) add(p Product, qty Quantity, label *money.Amount) (int, error) {
	if !p.Active {
		return -1, fmt.Errorf("%w: %s", ErrInactiveProduct, p.SKU)
	}
	if label != nil && (label.Currency() != c.settings.Currency || label.IsNegative()) {
		return -1, fmt.Errorf("%w: label price %s", ErrInvalidAmount, label)
	}
	if p.Unit == UnitPiece && label == nil {
		for i, l := range c.lines {
			if l.Product.ID == p.ID && l.Product.Unit == UnitPiece && l.Label == nil && !l.Overridden() {
				return i, c.SetQuantity(i, l.Qty+qty)
			}
		}
	}
	line, err := c.price(Line{Product: p, Qty: qty, Label: label})
	if err != nil {
		return -1, err
	}
	c.lines = append(c.lines, line)
	c.promote()
	return len(c.lines) - 1, nil
}

// SetQuantity changes the quantity of line i.
func (c *Cart) SetQuantity(i int, qty Quantity) error {
	if i < 0 || i >= len(c.lines) {
		return fmt.Errorf("%w: %d", ErrNoSuchLine, i+1)
	}
	l := c.lines[i]
	if l.Product.Unit == UnitPiece && qty%1000 != 0 {
		return fmt.Errorf("%w: pieces are whole", ErrInvalidQuantity)
	}
	if l.Label != nil && qty != l.Qty {
		return fmt.Errorf("%w: the label sets this line's quantity; remove it and scan again", ErrInvalidQuantity)
	}
	l.Qty = qty
	return c.reprice(i, l)
}

// Remove deletes line i.
func (c *Cart) Remove(i int) error {
	if i < 0 || i >= len(c.lines) {
		return fmt.Errorf("%w: %d", ErrNoSuchLine, i+1)
	}
	c.lines = append(c.lines[:i], c.lines[i+1:]...)
	c.promote()
	return nil
}

// SetDiscount gives line i a discount; the zero Discount removes it. An amount above the line's gross,
// a negative amount or a percentage outside 0–100% is refused.
func (c *Cart) SetDiscount(i int, d Discount) error {
	if i < 0 || i >= len(c.lines) {
		return fmt.Errorf("%w: %d", ErrNoSuchLine, i+1)
	}
	l := c.lines[i]
	switch {
	case !d.Amount.IsZero() && d.PercentBP != 0:
		return fmt.Errorf("%w: amount or percentage, not both", ErrInvalidDiscount)
	case d.Amount.IsNegative() || d.PercentBP < 0 || d.PercentBP > 10000:
		return fmt.Errorf("%w: out of range", ErrInvalidDiscount)
	case !d.Amount.IsZero() && d.Amount.Currency() != c.settings.Currency:
		return fmt.Errorf("%w: currency %s", ErrInvalidDiscount, d.Amount.Currency().Code)
	case d.Amount.Minor() > l.Gross.Minor():
		return fmt.Errorf("%w: %s is more than the line's %s", ErrInvalidDiscount, d.Amount, l.Gross)
	}
	l.Discount = d
	return c.reprice(i, l)
}

// Overridden reports whether the cashier changed the line's price.
func (l Line) Overridden() bool { return l.ListPrice.Currency().Code != "" }

// SetPrice sells line i at price instead of the catalog's price.
func (c *Cart) SetPrice(i int, price money.Amount) error {
	if i < 0 || i >= len(c.lines) {
		return fmt.Errorf("%w: %d", ErrNoSuchLine, i+1)
	}
	l := c.lines[i]
	switch {
	case l.Label != nil:
		return fmt.Errorf("%w: the label sets this line's price", ErrInvalidAmount)
	case price.Currency() != c.settings.Currency || price.IsNegative():
		return fmt.Errorf("%w: price %s", ErrInvalidAmount, price)
	}
	if !l.Overridden() {
		l.ListPrice = l.Product.Price
	}
	l.Product.Price = price
	return c.reprice(i, l)
}

// reprice makes l line i, priced, and applies the promotions to the cart as it then is.
func (c *Cart) reprice(i int, l Line) error {
	priced, err := c.price(l)
	if err != nil {
		return err
	}
	c.lines[i] = priced
	c.promote()
	return nil
}

// price computes a line's money from its product, quantity and discount.
func (c *Cart) price(l Line) (Line, error) {
	if err := l.Qty.check(); err != nil {
		return Line{}, fmt.Errorf("%w: %s", err, l.Qty.FormatSold(l.Product))
	}
	rate, ok := c.settings.TaxRates[l.Product.TaxClass]
	if !ok {
		return Line{}, fmt.Errorf("%w: %q (%s)", ErrUnknownTaxClass, l.Product.TaxClass, l.Product.SKU)
	}
	cur := c.settings.Currency
	gross, ok := money.MulDiv(l.Product.Price.Minor(), int64(l.Qty), l.Product.PricedPer())
	if l.Label != nil {
		gross = l.Label.Minor()
	}
	if !ok || gross > maxLineTotal || gross < 0 {
		return Line{}, fmt.Errorf("%w: line total too large", ErrInvalidQuantity)
	}
	l.Gross = money.New(gross, cur)
	manual := l.manualOff()
	var promoted int64
	for _, s := range l.Promotions {
		promoted += s.Amount.Minor()
	}
	// Savings were worked out for the line's gross less its manual discount; a quantity just cut keeps
	// the old ones until Cart.promote, and they are held within the line meanwhile.
	promoted = min(promoted, gross-manual)
	l.Promotion = money.New(promoted, cur)
	off := manual + promoted
	l.DiscountAmount = money.New(off, cur)
	l.Total = money.New(gross-off, cur)
	l.TaxRateBP = rate
	l.Tax = lineTax(l.Total, rate, c.settings.TaxMode)
	return l, nil
}

// manualOff is what the cashier's discount takes off the line's gross, in minor units. An amount
// discount given at a higher quantity is capped when the quantity drops.
func (l Line) manualOff() int64 {
	off := l.Discount.Amount.Minor()
	if l.Discount.PercentBP != 0 {
		off, _ = money.MulDiv(l.Gross.Minor(), l.Discount.PercentBP, 10000)
	}
	return min(off, l.Gross.Minor())
}

// Totals sums the cart.
func (c *Cart) Totals() Totals {
	cur := c.settings.Currency
	t := Totals{Subtotal: money.Zero(cur), Discount: money.Zero(cur), Promotions: money.Zero(cur), Tax: money.Zero(cur), Lines: len(c.lines)}
	bands := map[int64]*TaxBand{}
	for _, l := range c.lines {
		t.Subtotal = t.Subtotal.Add(l.Total)
		t.Discount = t.Discount.Add(l.DiscountAmount)
		t.Promotions = t.Promotions.Add(l.Promotion)
		t.Tax = t.Tax.Add(l.Tax)
		if l.Product.Unit == UnitPiece {
			t.ItemCount += int64(l.Qty) / 1000
		} else {
			t.ItemCount++
		}
		b := bands[l.TaxRateBP]
		if b == nil {
			b = &TaxBand{RateBP: l.TaxRateBP, Base: money.Zero(cur), Tax: money.Zero(cur)}
			bands[l.TaxRateBP] = b
		}
		base := l.Total
		if c.settings.TaxMode == TaxInclusive {
			base = base.Sub(l.Tax)
		}
		b.Base = b.Base.Add(base)
		b.Tax = b.Tax.Add(l.Tax)
	}
	t.Total = t.Subtotal
	if c.settings.TaxMode == TaxExclusive {
		t.Total = t.Total.Add(t.Tax)
	}
	for _, b := range bands {
		t.TaxBands = append(t.TaxBands, *b)
	}
	sort.Slice(t.TaxBands, func(i, j int) bool { return t.TaxBands[i].RateBP < t.TaxBands[j].RateBP })
	return t
}
