package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"checkout/app/barcode"
	"checkout/app/money"
	"checkout/app/signature"
)

// Checkout is the sale in progress at one till: scans go in, a committed Sale comes out. It is not safe
// for concurrent use; the UI calls it from its own goroutine.
type Checkout struct {
	settings Settings
	catalog  Catalog
	log      SaleLog
	now      func() time.Time
	input    Classifier // without a card key: a swipe is no product either way

	cart     *Cart
	tenders  []Tender
	attempts int // QR and wallet payment attempts, numbering their references
	saleID   string
	openedAt time.Time
	member   *Member  // the member the sale is for, if any
	pinOK    bool     // the member's PIN was entered for this sale
	session  *Session // who is signed in: sales name them, and sensitive actions check their role
	offline  func() bool
	keeper   *CartKeeper // writes the sale in progress as the till's open cart; nil: not kept
	guard    *Guard      // stops what nobody should do alone; nil: nothing is
	// accountGuarded is the member whose account the guard let pay this sale (guardAccount).
	accountGuarded string
	shop           ShopCarts // the shop's parked carts at the head office; nil: parked carts stay at the till
	products       ProductsBySKU
	withdraw       CartWithdrawals // the till's own carts it resumed without the head office being told
	// signature is the shopper's for the sale in progress (SignSale); nil until they sign.
	signature signature.Signature
	deals     *Deals        // the shop's active promotions as the last sale began; nil: none
	dealsFrom DealsSource   // where they come from; nil: they are what SetDeals gave
	coupons   CouponCounter // this till's uses of each coupon; nil: allowances are not counted
}

// NewCheckout returns a checkout with an empty cart. now is the clock (time.Now outside tests).
func NewCheckout(s Settings, catalog Catalog, log SaleLog, now func() time.Time) (*Checkout, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Checkout{settings: s, catalog: catalog, log: log, now: now, input: NewClassifier(s, nil), cart: NewCart(s)}, nil
}

// SetDeals makes the checkout apply the shop's active promotions d (nil: none) from the next sale on; a
// sale in progress keeps the ones it began with.
func (c *Checkout) SetDeals(d *Deals) { c.deals = d }

// DealsSource gives the shop's active promotions as they are now; the store implements it, reading them
// again only when one has changed (the back office, a command, the head office's down-sync).
type DealsSource interface {
	ActiveDeals(ctx context.Context) (*Deals, error)
}

// SetDealsSource has each new sale apply the promotions src gives as it begins.
func (c *Checkout) SetDealsSource(src DealsSource) { c.dealsFrom = src }

// freshDeals are the promotions a sale beginning now applies. When they cannot be read the last ones
// read stay: a damaged promotion must not stop the till selling.
func (c *Checkout) freshDeals() *Deals {
	if c.dealsFrom != nil {
		if d, err := c.dealsFrom.ActiveDeals(context.Background()); err == nil {
			c.deals = d
		}
	}
	return c.deals
}

// beginSale prices the sale about to begin with the promotions as they are now, judged at this moment.
func (c *Checkout) beginSale() { c.cart.SetDeals(c.freshDeals(), c.now()) }

// newCart returns an empty cart that will apply the promotions.
func (c *Checkout) newCart() *Cart {
	cart := NewCart(c.settings)
	cart.deals = c.deals
	return cart
}

// SetSession makes s the signed-in user for what follows; nil signs out (sensitive actions are refused).
func (c *Checkout) SetSession(s *Session) { c.session = s }

// TakeOver makes s, who just signed in, the user for what follows, as SetSession does, unless the cart
// holds another user's sale: only they or someone who may abandon a paid sale (a supervisor) may go on
// with it, and anyone else gets a *SaleHeldError.
func (c *Checkout) TakeOver(s *Session) error {
	if prev := c.session; len(c.cart.Lines()) > 0 && prev != nil && !strings.EqualFold(prev.Name(), s.Name()) &&
		!s.User().Role.Can(PermVoidPaid) {
		return &SaleHeldError{Cashier: prev.Name()}
	}
	c.session = s
	return nil
}

// SaleHeldError: another cashier's sale is in the cart; only they or a supervisor may take it over.
type SaleHeldError struct{ Cashier string }

func (e *SaleHeldError) Error() string { return e.Cashier + "'s sale is waiting" }

// SetOffline gives the checkout a way to tell whether the till is offline from its head office; while it
// is, prepaid payments are held to the offline limit (CheckOfflineSpend). nil: never offline.
func (c *Checkout) SetOffline(offline func() bool) { c.offline = offline }

// Session returns who is signed in, or nil.
func (c *Checkout) Session() *Session { return c.session }

// Settings returns the rules the checkout prices with.
func (c *Checkout) Settings() Settings { return c.settings }

// SetShop changes who the shop is (its name and city, asked at the first run) for the sales from now on.
func (c *Checkout) SetShop(s Shop) { c.settings.Shop = s }

// Added tells which line a scan went to, and what the code said.
type Added struct {
	Line    int
	Product Product
	Code    barcode.Code
	// Expired is set when the code's GS1 expiry date (AI 17) is past: the item is added, and the
	// cashier is warned.
	Expired bool
	// Coupon is the coupon code scanned, when the scan was a promotion's coupon rather than a product
	// (Line is then -1).
	Coupon string
}

// Scan adds what the cashier scanned or typed: a barcode adds one piece; "QTY*CODE" adds QTY of it
// (pieces or kilograms); a weighed or priced label adds what the label says. A product sold by weight
// without a weight returns ErrWeightRequired with the product, for the caller to ask the weight. What the
// Classifier says is not a product (a pay code, a member card, a receipt, a swipe) is never looked up; a
// code that is both a scale label and a pay code is the label if the catalog has its item, and otherwise
// ErrPayCodeScanned. An active promotion's coupon code is presented for the sale (AddCoupon), not looked up.
func (c *Checkout) Scan(ctx context.Context, input string) (Added, error) {
	if c.saleID == "" && c.cart.Len() == 0 {
		c.beginSale() // a coupon may come before the first item
	}
	if c.cart.deals.IsCoupon(input) {
		code := strings.TrimSpace(input)
		return Added{Line: -1, Coupon: code}, c.AddCoupon(code)
	}
	in := c.input.Classify(input)
	if in.Err != nil && in.Kind == InputProduct {
		return Added{}, in.Err
	}
	code := in.Code
	added := Added{Code: code, Expired: code.Expired(c.now())}
	switch in.Kind {
	case InputPayCode:
		return added, fmt.Errorf("%w: %s", ErrPayCodeScanned, barcode.LogSafe(code.Data))
	case InputMember, InputCard:
		return added, ErrMemberScanned
	case InputReceipt:
		return added, fmt.Errorf("%w: %s", ErrReceiptScanned, in.Receipt)
	}
	qtyText, hasQty := in.Qty, strings.Contains(in.Text, "*")
	p, err := c.lookup(ctx, code)
	if errors.Is(err, ErrUnknownBarcode) && code.Kind == barcode.Variable && code.Wallet != "" {
		// A code that reads as a scale label and as a pay code (Classifier.ClassifyPayment) is the label
		// only when the catalog has its item. Otherwise it is far likelier a customer's pay code than a
		// label for an item the shop does not sell, and a bearer token must not be reported as an unknown
		// product (which invites the cashier to put it in the catalog).
		return added, fmt.Errorf("%w: %s", ErrPayCodeScanned, barcode.LogSafe(code.Data))
	}
	if err != nil {
		return added, err
	}
	added.Product = p
	// A label with zero weight and price is the product's template code, as typed or printed on a shelf.
	measured := code.Grams > 0 || code.Price > 0 || code.Count > 0
	if hasQty && measured {
		return added, fmt.Errorf("%w: the label sets the quantity", ErrInvalidQuantity)
	}
	qty := Pieces(1)
	switch {
	case hasQty:
		if qty, err = ParseSold(qtyText, p); err != nil {
			return added, err
		}
	case measured:
		return c.addLabelled(added, code)
	case p.Unit == UnitKg:
		return added, fmt.Errorf("%w: %s", ErrWeightRequired, p.SKU)
	}
	added.Line, err = c.addLine(p, qty, nil)
	return added, err
}

// lookup finds the product a code names: by its GTIN-14 (the template code of an in-store label), the
// second reading of an ambiguous 8-digit code, or an internal code as scanned. An internal code of 6 or
// 7 digits that no product has is tried as the UPC-E it may be (barcode.ShortUPCE): the code as typed
// comes first, so a shop's 6- or 7-digit PLUs and SKUs keep selling what they always did, and a UPC-E
// from a scanner set to drop its number system or check digit still finds its product.
func (c *Checkout) lookup(ctx context.Context, code barcode.Code) (Product, error) {
	if code.Kind == barcode.Internal {
		p, err := c.catalog.ProductByBarcode(ctx, code.Data)
		for _, gtin := range code.UPCE {
			if !errors.Is(err, ErrUnknownBarcode) {
				break
			}
			if q, qerr := c.catalog.ProductByBarcode(ctx, gtin); !errors.Is(qerr, ErrUnknownBarcode) {
				p, err = q, qerr
			}
		}
		return p, err // unknown: the error names the code as typed
	}
	p, err := c.catalog.ProductByBarcode(ctx, code.GTIN)
	if errors.Is(err, ErrUnknownBarcode) && code.AltGTIN != "" {
		return c.catalog.ProductByBarcode(ctx, code.AltGTIN)
	}
	return p, err
}

// addLabelled adds what a scale or GS1 label measured: a weight for a product sold by weight, a count of
// pieces, and a price that the line then charges whatever the quantity.
func (c *Checkout) addLabelled(added Added, code barcode.Code) (Added, error) {
	p := added.Product
	var qty Quantity
	switch {
	case code.HasWeight && code.Grams > 0:
		if p.Unit != UnitKg {
			return added, fmt.Errorf("%w: a weight for %s, sold by the piece", ErrLabelMismatch, p.SKU)
		}
		qty = Quantity(code.Grams)
	case code.Count > 0:
		if p.Unit != UnitPiece {
			return added, fmt.Errorf("%w: a count for %s, sold by weight", ErrLabelMismatch, p.SKU)
		}
		qty = Pieces(code.Count)
	case code.HasPrice && p.Unit == UnitKg && p.Price.Minor() > 0:
		// A price-only label on a weighed product: the weight is what that price buys.
		grams, ok := money.MulDiv(code.Price, p.PricedPer(), p.Price.Minor())
		if !ok || grams <= 0 {
			return added, fmt.Errorf("%w: %s", ErrInvalidQuantity, p.SKU)
		}
		qty = Quantity(grams)
	case code.HasPrice && p.Unit == UnitPiece:
		qty = Pieces(1)
	default:
		// A template code, weight zero: the cashier weighs it.
		return added, fmt.Errorf("%w: %s", ErrWeightRequired, p.SKU)
	}
	var label *money.Amount
	if code.HasPrice {
		a := money.New(code.Price, c.settings.Currency)
		label = &a
	}
	var err error
	added.Line, err = c.addLine(p, qty, label)
	return added, err
}

// AddProduct adds qty of p (a product found by search or scanned), returning its line.
func (c *Checkout) AddProduct(p Product, qty Quantity) (Added, error) {
	i, err := c.addLine(p, qty, nil)
	return Added{Line: i, Product: p}, err
}

// addLine puts a line in the cart, at a label's price when label is not nil; the first line opens the sale.
func (c *Checkout) addLine(p Product, qty Quantity, label *money.Amount) (int, error) {
	if err := c.mutable(); err != nil {
		return -1, err
	}
	opening := c.saleID == ""
	if opening && c.cart.shopper.at.IsZero() {
		c.beginSale()
	}
	i, err := c.cart.add(p, qty, label)
	if err != nil {
		return -1, err
	}
	if opening {
		c.saleID, c.openedAt = NewID(), c.cart.shopper.at
	}
	c.kept()
	return i, nil
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
	return c.changed(c.guardDiscount(i, func() error { return c.cart.SetQuantity(i, qty) }))
}

// OverLimit reports whether line i comes to more than the shop's line limit (Settings.LineLimit): a price
// or quantity that is likely a slip, which the cashier confirms.
func (c *Checkout) OverLimit(i int) bool {
	lines := c.cart.Lines()
	return c.settings.LineLimit > 0 && i >= 0 && i < len(lines) && lines[i].Total.Minor() > c.settings.LineLimit
}

// RemoveLine deletes line i.
func (c *Checkout) RemoveLine(i int) error {
	if err := c.mutable(); err != nil {
		return err
	}
	return c.changed(c.cart.Remove(i))
}

// SetDiscount discounts line i by an amount or a percentage.
// A discount above the shop's limit (Security.DiscountLimitBP of the line's gross) needs PermDiscount.
func (c *Checkout) SetDiscount(i int, d Discount) error {
	if err := c.mutable(); err != nil {
		return err
	}
	return c.changed(c.guardDiscount(i, func() error { return c.cart.SetDiscount(i, d) }))
}

// guardDiscount makes change to line i and undoes it when it leaves the line discounted beyond the
// limit and the session may not allow that. A quantity cut that makes an amount discount a bigger share
// of the line counts too.
func (c *Checkout) guardDiscount(i int, change func() error) error {
	before := c.cart.Lines()
	if err := change(); err != nil {
		return err
	}
	// The cashier's discount is what the limit and the guard judge: the promotions are the owner's.
	l := c.cart.lines[i]
	if i < len(before) && before[i].ManualDiscount() == l.ManualDiscount() && before[i].Gross == l.Gross {
		return nil // unchanged: already allowed
	}
	approver := ""
	if l.ManualDiscount().Minor()*10_000 > l.Gross.Minor()*c.settings.Security.DiscountLimitBP {
		var err error
		if approver, err = c.session.Allow(PermDiscount); err != nil {
			c.cart.lines = before
			return err
		}
	}
	if approver == "" && !l.ManualDiscount().IsZero() { // what a supervisor approved, they have looked at
		ctx := context.Background()
		err := c.guard.CheckLine(ctx, c.session, l.withoutPromotions(), false)
		if err == nil && !discounted(before) {
			err = c.guard.CheckRate(ctx, c.session, AlarmDiscounts) // the sale becomes a discounted one
		}
		if err != nil {
			c.cart.lines = before
			return err
		}
	}
	return nil
}

// discounted reports whether any of lines has a cashier's discount.
func discounted(lines []Line) bool {
	for _, l := range lines {
		if !l.ManualDiscount().IsZero() {
			return true
		}
	}
	return false
}

// SetGuard has g stop the actions that look like what nobody should do alone (see Guard); nil stops none.
func (c *Checkout) SetGuard(g *Guard) { c.guard = g }

// SetAccountUses has the guard ask the head office, through uses, which tills used a member's account
// lately (the shared-account rule); nil: the rule is not applied.
func (c *Checkout) SetAccountUses(uses AccountUses) { c.guard.SetAccountUses(uses) }

// OverridePrice sells line i at price instead of the catalog's (the catalog is not changed); it needs
// PermPriceOverride. A labelled line's price is the label's and cannot be overridden.
func (c *Checkout) OverridePrice(i int, price money.Amount) error {
	if err := c.mutable(); err != nil {
		return err
	}
	before := c.cart.Lines()
	if err := c.cart.SetPrice(i, price); err != nil {
		return err
	}
	approver, err := c.session.Allow(PermPriceOverride)
	if err == nil && approver == "" {
		err = c.guard.CheckLine(context.Background(), c.session, c.cart.lines[i].withoutPromotions(), true)
	}
	if err != nil {
		c.cart.lines = before
		return err
	}
	c.kept()
	return nil
}

// changed keeps the sale after a change that err did not stop.
func (c *Checkout) changed(err error) error {
	if err == nil {
		c.kept()
	}
	return err
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

// Due returns what remains to pay of the sale exactly, as a card, QR, wallet, prepaid or points payment
// would pay it; zero once nothing is left, and zero too when what is left rounds to nothing in cash (a
// ¥0.04 sale at a 0.10 step): then the sale completes with that rounding, as if settled in cash. Due and
// CashDue are both zero or both not.
func (c *Checkout) Due() money.Amount {
	if c.CashDue().Minor() <= 0 {
		return money.Zero(c.settings.Currency)
	}
	return c.remaining()
}

// CashDue returns what settles the rest of the sale in cash: what remains, rounded by the shop's cash
// rounding. Cash taken before in part was a whole number of steps, so rounding what remains after it
// gives the same as rounding the cash part of the sale as a whole: only the cash is rounded.
func (c *Checkout) CashDue() money.Amount {
	rest := c.remaining()
	if rest.Minor() <= 0 {
		return money.Zero(c.settings.Currency)
	}
	return c.settings.CashRounding.Round(rest)
}

// remaining is the total less every tender so far, exactly; below zero once cash rounded up settled it.
func (c *Checkout) remaining() money.Amount {
	rest := c.cart.Totals().Total
	for _, t := range c.tenders {
		rest = rest.Sub(t.Amount)
	}
	return rest
}

// Tenders returns the payments taken so far for the sale in progress.
func (c *Checkout) Tenders() []Tender { return append([]Tender(nil), c.tenders...) }

// PayCash takes cash covering what is due; the difference is change.
func (c *Checkout) PayCash(tendered money.Amount) (Tender, error) {
	due := c.CashDue()
	if err := c.checkTender(tendered, due); err != nil {
		return Tender{}, err
	}
	switch {
	case tendered.Cmp(due) < 0:
		return Tender{}, fmt.Errorf("%w: %s tendered, %s due", ErrUnderpaid, tendered, due)
	case tendered.Sub(due).Minor() > maxChangeMinor(c.settings.Currency):
		return Tender{}, fmt.Errorf("%w: %s tendered for %s due", ErrInvalidAmount, tendered, due)
	}
	// The due is a whole number of steps; so must what the shopper hands over be, or the change is not.
	if err := c.settings.CashRounding.check(tendered); err != nil {
		return Tender{}, err
	}
	return c.take(Tender{Kind: TenderCash, Amount: due, Tendered: tendered, Change: tendered.Sub(due)}), nil
}

// PayCashPart takes cash for part of what is due, in a split payment; the rest is paid another way. The
// part must be a whole number of cash steps (ErrCashStep): cash that cannot change hands is never taken.
func (c *Checkout) PayCashPart(amount money.Amount) (Tender, error) {
	due := c.CashDue()
	if err := c.checkTender(amount, due); err != nil {
		return Tender{}, err
	}
	if amount.Cmp(due) >= 0 {
		return Tender{}, fmt.Errorf("%w: %s covers the %s due: take it as the cash payment", ErrInvalidAmount, amount, due)
	}
	if err := c.settings.CashRounding.check(amount); err != nil {
		return Tender{}, err
	}
	return c.take(Tender{Kind: TenderCash, Amount: amount, Tendered: amount, Change: money.Zero(amount.Currency())}), nil
}

// PayCard records a payment approved on the shop's card terminal. Only the approval code and the
// card's last four digits are kept. A card cannot pay more than is due.
func (c *Checkout) PayCard(amount money.Amount, approval, last4 string) (Tender, error) {
	if err := c.CheckNonCash(amount); err != nil {
		return Tender{}, err
	}
	if c.settings.CardSigned(amount) && c.signature.Empty() {
		return Tender{}, fmt.Errorf("%w: a card payment of %s", ErrUnsigned, amount)
	}
	approval, err := checkCardDetails(approval, last4)
	if err != nil {
		return Tender{}, err
	}
	return c.take(Tender{Kind: TenderCard, Amount: amount, Tendered: amount, Change: money.Zero(amount.Currency()),
		Approval: approval, CardLast4: last4}), nil
}

// SignSale keeps the shopper's signature for the sale in progress, which a card payment over
// signature.card_over needs (PayCard); it is stored with the sale.
func (c *Checkout) SignSale(s signature.Signature) error {
	if s.Empty() {
		return fmt.Errorf("%w: nothing is signed", ErrUnsigned)
	}
	if err := s.Validate(); err != nil {
		return err
	}
	c.signature = s
	return nil
}

// checkCardDetails checks a card terminal's approval code and the card's last four digits, and returns
// the code as kept (upper case).
func checkCardDetails(approval, last4 string) (string, error) {
	approval = strings.ToUpper(strings.TrimSpace(approval))
	if !validApproval(approval) {
		return "", fmt.Errorf("%w: approval code %q: 2 to 12 letters or digits", ErrInvalidCardDetails, approval)
	}
	if len(last4) != 4 || strings.Trim(last4, "0123456789") != "" {
		return "", fmt.Errorf("%w: last four digits %q", ErrInvalidCardDetails, last4)
	}
	return approval, nil
}

func validApproval(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// checkTender refuses an amount that is not a positive sum in the shop's currency, or a tender when
// nothing is due.
func (c *Checkout) checkTender(amount, due money.Amount) error {
	switch {
	case c.cart.Len() == 0:
		return ErrEmptyCart
	case amount.Currency() != c.settings.Currency:
		return fmt.Errorf("%w: currency %s", ErrInvalidAmount, amount.Currency().Code)
	case amount.Minor() <= 0:
		return fmt.Errorf("%w: %s", ErrInvalidAmount, amount)
	case due.Minor() <= 0:
		return fmt.Errorf("%w: nothing is due", ErrInvalidAmount)
	}
	return nil
}

// CheckNonCash says whether a card, QR or wallet payment of amount could be taken now: what checkTender
// refuses, and any overpayment, since only cash has change.
func (c *Checkout) CheckNonCash(amount money.Amount) error {
	due := c.Due()
	if err := c.checkTender(amount, due); err != nil {
		return err
	}
	if amount.Cmp(due) > 0 {
		return fmt.Errorf("%w: %s for %s due", ErrOverpaid, amount, due)
	}
	return nil
}

func (c *Checkout) take(t Tender) Tender {
	c.tenders = append(c.tenders, t)
	c.kept()
	return t
}

// SettleCash is the cash counter's one step: it takes tendered cash for what is due and stores the sale.
// If an earlier attempt already took the cash and only its commit failed, it does not take it again: it
// retries the commit. Errors from storing are not *Error; the sale is then still open.
func (c *Checkout) SettleCash(ctx context.Context, tendered money.Amount) (*Sale, error) {
	if c.CashDue().Minor() > 0 {
		if _, err := c.PayCash(tendered); err != nil {
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
		Cashier:     c.session.Name(),
		Signature:   c.signature,
		Coupons:     c.cart.Coupons(),
	}
	s.Rounding = s.Paid().Sub(totals.Total)
	if m := c.member; m != nil {
		_, redeemed := c.usedFromAccount()
		s.Member = &MemberOnSale{ID: m.ID, Number: m.Number, PointsRedeemed: redeemed,
			PointsEarned: PointsEarned(c.settings.Loyalty, m.Tier, s.Lines, s.Tenders)}
	}
	c.keeper.settle() // the commit deletes the open cart: no older write of it may land after
	if err := c.log.CommitSale(ctx, s); err != nil {
		c.kept()
		return nil, fmt.Errorf("store sale: %w", err)
	}
	c.reset()
	return s, nil
}

// Void abandons the sale in progress and journals it; cash taken is handed back, and a member's prepaid
// value or points, only taken when the sale commits, were never spent. A sale with a card, QR or wallet
// payment cannot be voided: that money must be refunded first. Nothing to void is not an error.
func (c *Checkout) Void(ctx context.Context) error {
	if c.cart.Len() == 0 && len(c.tenders) == 0 {
		c.reset()
		return nil
	}
	for _, t := range c.tenders {
		if t.Kind != TenderCash && t.Kind != TenderPrepaid && t.Kind != TenderPoints {
			return fmt.Errorf("%w: %s %s", ErrPaidElectronically, t.Kind, t.Amount)
		}
	}
	v := Void{SaleID: c.saleID, Till: c.settings.Till, At: c.now(), Lines: c.cart.Len(), Total: c.cart.Totals().Total,
		Cashier: c.session.Name()}
	if len(c.tenders) > 0 {
		approver, err := c.session.Allow(PermVoidPaid)
		if err == nil && approver == "" {
			err = c.guard.CheckRate(ctx, c.session, AlarmVoidsPaid)
		}
		if err != nil {
			return err
		}
		v.ApprovedBy = approver
	}
	c.keeper.settle() // the void deletes the open cart: no older write of it may land after
	if err := c.log.RecordVoid(ctx, v); err != nil {
		c.kept()
		return fmt.Errorf("record void: %w", err)
	}
	c.reset()
	return nil
}

// NoSale opens the cash drawer outside a sale; it needs PermNoSale and is journaled with who did it.
func (c *Checkout) NoSale(ctx context.Context, reason string) error {
	if len(c.tenders) > 0 {
		return ErrPaymentStarted
	}
	approver, err := c.session.Allow(PermNoSale)
	if err == nil && approver == "" {
		err = c.guard.CheckRate(ctx, c.session, AlarmNoSales)
	}
	if err != nil {
		return err
	}
	n := NoSale{Till: c.settings.Till, At: c.now(), Cashier: c.session.Name(), ApprovedBy: approver, Reason: strings.TrimSpace(reason)}
	if err := c.log.RecordNoSale(ctx, n); err != nil {
		return fmt.Errorf("record no sale: %w", err)
	}
	return nil
}

func (c *Checkout) reset() {
	c.cart = c.newCart()
	c.tenders = nil
	c.attempts = 0
	c.saleID = ""
	c.signature = nil
	c.member, c.pinOK, c.accountGuarded = nil, false, ""
}
