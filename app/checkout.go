package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"checkout/app/money"
)

// Checkout is the sale in progress at one till: scans go in, a committed Sale comes out. It is not safe
// for concurrent use; the UI calls it from its own goroutine.
type Checkout struct {
	settings Settings
	catalog  Catalog
	log      SaleLog
	now      func() time.Time

	cart     *Cart
	tenders  []Tender
	saleID   string
	openedAt time.Time
}

// NewCheckout returns a checkout with an empty cart. now is the clock (time.Now outside tests).
func NewCheckout(s Settings, catalog Catalog, log SaleLog, now func() time.Time) (*Checkout, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Checkout{settings: s, catalog: catalog, log: log, now: now, cart: NewCart(s)}, nil
}

// Settings returns the rules the checkout prices with.
func (c *Checkout) Settings() Settings { return c.settings }

// Added tells which line a scan went to.
type Added struct {
	Line    int
	Product Product
}

// maxCodeLen is longer than any GS1 element string a scanner sends.
const maxCodeLen = 96

// Scan adds what the cashier scanned or typed: a barcode adds one piece; "QTY*CODE" adds QTY of it
// ("3*6901234567890", or "0.455*2000101000006" for 455 g). A product sold by weight scanned without a
// weight returns its Product with an error wrapping ErrWeightRequired, and adds nothing.
func (c *Checkout) Scan(ctx context.Context, input string) (Added, error) {
	qtyText, code, hasQty := strings.Cut(strings.TrimSpace(input), "*")
	if !hasQty {
		code, qtyText = qtyText, ""
	}
	code = strings.TrimSpace(code)
	if err := checkCode(code); err != nil {
		return Added{}, err
	}
	p, err := c.catalog.ProductByBarcode(ctx, code)
	if err != nil {
		return Added{}, err
	}
	qty := Pieces(1)
	switch {
	case hasQty:
		if qty, err = ParseQuantity(qtyText, p.Unit); err != nil {
			return Added{}, err
		}
	case p.Unit == UnitKg:
		return Added{Product: p}, fmt.Errorf("%w: %s", ErrWeightRequired, p.SKU)
	}
	return c.AddProduct(p, qty)
}

func checkCode(code string) error {
	if code == "" || len(code) > maxCodeLen {
		return fmt.Errorf("%w: %d characters", ErrInvalidBarcode, len(code))
	}
	for _, r := range code {
		// GS (0x1D) separates GS1 element strings; every other control character is line noise.
		if r > unicode.MaxASCII || (r < 0x20 && r != 0x1d) || r == 0x7f {
			return fmt.Errorf("%w: %q", ErrInvalidBarcode, code)
		}
	}
	return nil
}

// AddProduct adds qty of p (a product found by search or scanned), returning its line.
func (c *Checkout) AddProduct(p Product, qty Quantity) (Added, error) {
	if err := c.mutable(); err != nil {
		return Added{}, err
	}
	i, err := c.cart.Add(p, qty)
	if err != nil {
		return Added{}, err
	}
	if c.saleID == "" {
		c.saleID, c.openedAt = NewID(), c.now()
	}
	return Added{Line: i, Product: p}, nil
}

// Search finds products by name, SKU or barcode for the cashier to pick.
func (c *Checkout) Search(ctx context.Context, query string, limit int) ([]Product, error) {
	return c.catalog.SearchProducts(ctx, query, limit)
}

// SetQuantity changes the quantity of line i (0-based).
func (c *Checkout) SetQuantity(i int, qty Quantity) error {
	if err := c.mutable(); err != nil {
		return err
	}
	return c.cart.SetQuantity(i, qty)
}

// RemoveLine deletes line i.
func (c *Checkout) RemoveLine(i int) error {
	if err := c.mutable(); err != nil {
		return err
	}
	return c.cart.Remove(i)
}

// SetDiscount discounts line i by an amount or a percentage.
func (c *Checkout) SetDiscount(i int, d Discount) error {
	if err := c.mutable(); err != nil {
		return err
	}
	return c.cart.SetDiscount(i, d)
}

func (c *Checkout) mutable() error {
	if len(c.tenders) > 0 {
		return ErrPaymentStarted
	}
	return nil
}

// Lines returns the cart's lines.
func (c *Checkout) Lines() []Line { return c.cart.Lines() }

// Totals returns the cart's totals.
func (c *Checkout) Totals() Totals { return c.cart.Totals() }

// CashDue returns what remains to pay in cash, after cash rounding.
func (c *Checkout) CashDue() money.Amount {
	due, _ := CashDue(c.cart.Totals().Total, c.settings.CashRounding)
	for _, t := range c.tenders {
		due = due.Sub(t.Amount)
	}
	return due
}

// Pay takes a tender of the given kind. Cash must cover what is due; the difference is change.
func (c *Checkout) Pay(kind TenderKind, tendered money.Amount) (Tender, error) {
	if c.cart.Len() == 0 {
		return Tender{}, ErrEmptyCart
	}
	if kind != TenderCash {
		return Tender{}, fmt.Errorf("%w: %s", ErrUnsupportedTender, kind)
	}
	due := c.CashDue()
	switch {
	case tendered.Currency() != c.settings.Currency:
		return Tender{}, fmt.Errorf("%w: currency %s", ErrInvalidAmount, tendered.Currency().Code)
	case tendered.Minor() <= 0:
		return Tender{}, fmt.Errorf("%w: %s", ErrInvalidAmount, tendered)
	case due.Minor() <= 0:
		return Tender{}, fmt.Errorf("%w: nothing is due", ErrInvalidAmount)
	case tendered.Cmp(due) < 0:
		return Tender{}, fmt.Errorf("%w: %s tendered, %s due", ErrUnderpaid, tendered, due)
	case tendered.Sub(due).Minor() > maxChangeMinor(c.settings.Currency):
		return Tender{}, fmt.Errorf("%w: %s tendered for %s due", ErrInvalidAmount, tendered, due)
	}
	t := Tender{Kind: kind, Amount: due, Tendered: tendered, Change: tendered.Sub(due)}
	c.tenders = append(c.tenders, t)
	return t, nil
}

// SettleCash is the cash counter's one step: it takes tendered cash for what is due and stores the sale.
// If an earlier attempt already took the cash and only its commit failed, it does not take it again: it
// retries the commit. Errors from storing are not *Error; the sale is then still open.
func (c *Checkout) SettleCash(ctx context.Context, tendered money.Amount) (*Sale, error) {
	if c.CashDue().Minor() > 0 {
		if _, err := c.Pay(TenderCash, tendered); err != nil {
			return nil, err
		}
	}
	return c.Complete(ctx)
}

// Complete commits the paid sale and starts a new one. It returns the stored sale with its receipt
// number. If storing fails, the sale stays as it is and Complete may be called again: the sale keeps its
// ID, so a retry can never store it twice.
func (c *Checkout) Complete(ctx context.Context) (*Sale, error) {
	if c.cart.Len() == 0 {
		return nil, ErrEmptyCart
	}
	// A sale whose rounded total is nothing (a free item, ¥0.04 rounded to 0.10) completes with no tender.
	if c.CashDue().Minor() > 0 {
		return nil, ErrNotPaid
	}
	totals := c.cart.Totals()
	s := &Sale{
		ID:          c.saleID,
		Till:        c.settings.Till,
		OpenedAt:    c.openedAt,
		CompletedAt: c.now(),
		Currency:    c.settings.Currency,
		TaxMode:     c.settings.TaxMode,
		Lines:       c.cart.Lines(),
		Totals:      totals,
		Tenders:     append([]Tender(nil), c.tenders...),
	}
	s.Rounding = s.Paid().Sub(totals.Total)
	if err := c.log.CommitSale(ctx, s); err != nil {
		return nil, fmt.Errorf("store sale: %w", err)
	}
	c.reset()
	return s, nil
}

// Void abandons the sale in progress and journals it. Nothing to void is not an error.
func (c *Checkout) Void(ctx context.Context) error {
	if c.cart.Len() == 0 && len(c.tenders) == 0 {
		c.reset()
		return nil
	}
	v := Void{SaleID: c.saleID, Till: c.settings.Till, At: c.now(), Lines: c.cart.Len(), Total: c.cart.Totals().Total}
	if err := c.log.RecordVoid(ctx, v); err != nil {
		return fmt.Errorf("record void: %w", err)
	}
	c.reset()
	return nil
}

func (c *Checkout) reset() {
	c.cart = NewCart(c.settings)
	c.tenders = nil
	c.saleID = ""
}
