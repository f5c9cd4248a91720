package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"checkout/app/document"
	"checkout/app/money"
	"checkout/app/promo"
)

// Promotion is a rule the owner set up (promo.Rule says what it gives, to what and when), and whether it
// is on. Its Rule.ID is the store's id for it: sale lines name the rule that gave them a saving by it.
type Promotion struct {
	Rule   promo.Rule
	Active bool
	// CouponLimit is how many sales may use the rule's coupon in all, at every till together; 0: no limit.
	// The head office counts the uses the tills upload and raises an alarm past it: tills sell offline, so
	// it is a claim to verify, never a refusal of a sale that took the money.
	CouponLimit int64 `json:",omitempty"`
	// CouponTillLimit is the uses each till may make of the coupon on its own count (its offline
	// allowance); 0: CouponLimit's. A till refuses the coupon once its own sales have used it that often.
	CouponTillLimit int64 `json:",omitempty"`
	// HQID is the head office's id of a promotion it sent down, 0 for the till's own: the till keeps
	// its own ids for every rule (sale lines name them) and refuses to change the head office's rules.
	HQID      int64 `json:"-"`
	UpdatedAt time.Time
	UpdatedBy string
}

// TillAllowance is how many sales of one till may use p's coupon: CouponTillLimit, else CouponLimit; 0
// for no limit.
func (p Promotion) TillAllowance() int64 {
	if p.CouponTillLimit > 0 {
		return p.CouponTillLimit
	}
	return p.CouponLimit
}

// maxCouponUses bounds a coupon's limits: a number an owner types, far below any overflow.
const maxCouponUses = 1_000_000_000

// CheckCouponLimits says what is wrong with p's coupon limits, nil when nothing is: they count uses of a
// coupon, so a rule without one has none, and no till may be allowed more than the whole.
func CheckCouponLimits(p Promotion) error {
	switch {
	case p.CouponLimit < 0 || p.CouponTillLimit < 0 || p.CouponLimit > maxCouponUses || p.CouponTillLimit > maxCouponUses:
		return fmt.Errorf("%w: coupon limits are 0 (none) to %d uses", ErrInvalidPromotion, maxCouponUses)
	case p.Rule.Coupon == "" && (p.CouponLimit > 0 || p.CouponTillLimit > 0):
		return fmt.Errorf("%w: a coupon limit without a coupon code (a limit on uses needs a coupon code)", ErrInvalidPromotion)
	case p.CouponLimit > 0 && p.CouponTillLimit > p.CouponLimit:
		return fmt.Errorf("%w: a till allowance of %d above the coupon's limit of %d", ErrInvalidPromotion, p.CouponTillLimit, p.CouponLimit)
	}
	return nil
}

// PromoSaving is what one promotion took off one line.
type PromoSaving struct {
	Rule   int64
	Name   string
	NameZH string
	Amount money.Amount
}

// DisplayName is the promotion's name in the UI language, as Product.DisplayName.
func (s PromoSaving) DisplayName(language string) string {
	return InLanguage(language, s.Name, s.NameZH)
}

// Deals are the shop's active promotions as carts apply them. A nil *Deals applies none.
type Deals struct {
	set     pricer
	rules   map[int64]promo.Rule
	coupons map[string]bool
	// allowance is the uses of a coupon one till may make (Promotion.TillAllowance), the least of its
	// rules' that have one; absent: no limit.
	allowance map[string]int64
}

// pricer prices a cart's items: the promotion engine (*promo.Set), or a test's stand-in for one that fails.
type pricer interface {
	Price(items []promo.Item, ctx promo.Context) (promo.Result, error)
}

// NewDeals indexes the active promotions of ps; a rule that does not validate is an error naming it.
func NewDeals(ps []Promotion) (*Deals, error) {
	d := &Deals{rules: map[int64]promo.Rule{}, coupons: map[string]bool{}, allowance: map[string]int64{}}
	var rules []promo.Rule
	for _, p := range ps {
		if !p.Active {
			continue
		}
		rules = append(rules, p.Rule)
		d.rules[p.Rule.ID] = p.Rule
		if c := p.Rule.Coupon; c != "" {
			d.coupons[c] = true
			if n, ok := d.allowance[c]; p.TillAllowance() > 0 && (!ok || p.TillAllowance() < n) {
				d.allowance[c] = p.TillAllowance()
			}
		}
	}
	set, err := promo.NewSet(rules)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPromotion, err)
	}
	d.set = set
	return d, nil
}

// IsCoupon reports whether code is the coupon code of an active promotion.
func (d *Deals) IsCoupon(code string) bool { return d != nil && d.coupons[strings.TrimSpace(code)] }

// Errors of promotions.
var (
	ErrInvalidPromotion = &Error{"invalid_promotion", "invalid promotion"}
	ErrUnknownCoupon    = &Error{"unknown_coupon", "no promotion takes that coupon"}
	ErrCouponUsed       = &Error{"coupon_used", "that coupon is on this sale already"}
	ErrHQPromotion      = &Error{"hq_promotion", "that promotion is the head office's: change it there"}
	ErrCouponSpent      = &Error{"coupon_spent", "that coupon has been used as often as this till may accept it"}
)

// shopper is who a cart is priced for and when: the promotions' windows are judged at the time the sale
// began, so a total never changes under the cashier's hands as a happy hour ends, and a parked or resumed
// sale prices as it did.
type shopper struct {
	at         time.Time
	member     bool
	memberTier string
	coupons    []string
}

// SetDeals makes the cart apply d (nil: none) to a sale begun at at, repricing its lines.
func (c *Cart) SetDeals(d *Deals, at time.Time) {
	c.deals, c.shopper.at = d, at
	c.promote()
}

// setMember prices the cart for a member of tier (their member prices), repricing its lines.
func (c *Cart) setMember(tier string) {
	c.shopper.member, c.shopper.memberTier = true, tier
	c.promote()
}

// AddCoupon presents a coupon code for the sale; an unknown code or one already presented is refused.
func (c *Cart) AddCoupon(code string) error {
	code = strings.TrimSpace(code)
	switch {
	case !c.deals.IsCoupon(code):
		return ErrUnknownCoupon
	case slices.Contains(c.shopper.coupons, code):
		return ErrCouponUsed
	}
	c.shopper.coupons = append(c.shopper.coupons, code)
	c.promote()
	return nil
}

// Coupons returns the coupon codes presented for the sale.
func (c *Cart) Coupons() []string { return slices.Clone(c.shopper.coupons) }

// promote applies the promotions to the lines as they are: the best combination for the shopper
// (promo.Set.Price), each line's savings added to its discount. A line the cashier discounted or priced
// by hand, or a printed label's, takes no item deal; it still counts toward a basket's spend. When the
// engine fails (an internal inconsistency: a bug), the cart is priced without promotions and the failure
// logged: the sale goes on at full price rather than the till going down.
func (c *Cart) promote() {
	if c.deals == nil && !c.promoted() {
		return
	}
	items := make([]promo.Item, len(c.lines))
	for i := range c.lines {
		l := &c.lines[i]
		l.Promotions = nil
		items[i] = promo.Item{Product: l.Product.ID, Category: l.Product.Category, Gross: l.Gross.Minor() - l.manualOff(),
			NoItemDeals: l.Label != nil || l.Overridden() || !l.Discount.IsZero()}
		if l.Product.Unit == UnitPiece && l.Label == nil {
			items[i].Qty, items[i].UnitPrice = int64(l.Qty)/1000, l.Product.Price.Minor()
		} else {
			items[i].Weighed, items[i].Qty, items[i].UnitPrice = true, 1, items[i].Gross
			if l.Product.Unit == UnitKg && l.Label == nil {
				// A member price is per the unit the product is priced in (kg, 斤, 100 g); the engine prices
				// per thousand of what it is given, so it gets the weight in thousandths of that unit (exact:
				// every price unit divides a kilogram).
				items[i].Grams = int64(l.Qty) * 1000 / l.Product.PricedPer()
			}
		}
	}
	if c.deals != nil {
		res, err := c.deals.set.Price(items, promo.Context{Now: c.shopper.at, Member: c.shopper.member,
			MemberTier: c.shopper.memberTier, Coupons: c.shopper.coupons})
		if err != nil {
			attrs := []any{"err", err, "lines", len(items)}
			var ie *promo.InternalError
			if errors.As(err, &ie) {
				attrs = append(attrs, "stack", string(ie.Stack))
			}
			slog.Error("promotions left out: the cart is priced without them", attrs...)
			res = promo.Result{}
		}
		cur := c.settings.Currency
		for _, s := range res.Savings {
			if s.Amount == 0 {
				continue
			}
			r := c.deals.rules[s.Rule]
			l := &c.lines[s.Item]
			l.Promotions = append(l.Promotions, PromoSaving{Rule: s.Rule, Name: r.Name, NameZH: r.NameZH, Amount: money.New(s.Amount, cur)})
		}
	}
	for i, l := range c.lines {
		// Repricing a line that priced before cannot fail: only its promotions changed.
		c.lines[i], _ = c.price(l)
	}
}

// promoted reports whether any line has a promotion's saving.
func (c *Cart) promoted() bool {
	return slices.ContainsFunc(c.lines, func(l Line) bool { return len(l.Promotions) > 0 || !l.Promotion.IsZero() })
}

// ManualDiscount is what the cashier's discount takes off the line: its discount less its promotions'.
func (l Line) ManualDiscount() money.Amount { return l.DiscountAmount.Sub(l.Promotion) }

// Promotions keeps the shop's promotions; the store implements it. Saving one is journaled with who saved
// it; the head office's down-sync writes them too.
type Promotions interface {
	// SavePromotion stores p (a new one when p.Rule.ID is 0) and returns its id.
	SavePromotion(ctx context.Context, p Promotion) (int64, error)
	// PromotionList returns every promotion, active or not, by id.
	PromotionList(ctx context.Context) ([]Promotion, error)
}

// BelowCost is a product a promotion would sell below what it cost the shop.
type BelowCost struct {
	Product Product
	Lowest  money.Amount // the least one unit sells for under the promotion
}

// ProductLister finds the products a promotion's target names, for the below-cost check.
type ProductLister interface {
	ProductsByID(ctx context.Context, ids []int64) ([]Product, error)
	ProductsInCategory(ctx context.Context, category string, limit int) ([]Product, error)
}

// belowCostLimit bounds how many products of a category the check reads: a warning, not a report.
const belowCostLimit = 1000

// SavePromotion validates p, stores it on behalf of by (who needs PermCatalogEdit) and returns it with its
// id and the products it sells below cost, which the owner is shown: a warning, not a refusal (a loss
// leader is a choice). products may be nil: no check.
func SavePromotion(ctx context.Context, repo Promotions, products ProductLister, p Promotion, by *Session, at time.Time) (Promotion, []BelowCost, error) {
	if err := CheckPromotion(p.Rule); err != nil {
		return Promotion{}, nil, err
	}
	if err := CheckCouponLimits(p); err != nil {
		return Promotion{}, nil, err
	}
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return Promotion{}, nil, err
	}
	p.UpdatedAt, p.UpdatedBy = at, by.Name()
	id, err := repo.SavePromotion(ctx, p)
	if err != nil {
		return Promotion{}, nil, err
	}
	p.Rule.ID = id
	var warn []BelowCost
	if products != nil {
		if warn, err = belowCost(ctx, products, p.Rule); err != nil {
			return p, nil, err
		}
	}
	return p, warn, nil
}

// CheckPromotion says what is wrong with r, nil when nothing is: the engine's rules (promo.Rule.Validate),
// and its texts, which receipts and the customer display print, held to the catalog's rules.
func CheckPromotion(r promo.Rule) error {
	if r.ID == 0 {
		r.ID = 1 // a new rule's id is the store's to give
	}
	// The texts first: the engine's errors quote the rule's name, which must be fit to quote.
	for _, t := range []struct{ field, value string }{{"name", r.Name}, {"Chinese name", r.NameZH}, {"member tier", r.MemberTier}} {
		if err := checkText(t.field, t.value, maxNameRunes); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidPromotion, err)
		}
	}
	if r.Coupon != "" && !document.CouponOK(r.Coupon) {
		return fmt.Errorf("%w: coupon %.80q: up to %d letters, digits and signs, no spaces", ErrInvalidPromotion, r.Coupon, document.MaxCoupon)
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidPromotion, err)
	}
	return nil
}

// CheckHQPromotion says what is wrong with a promotion the head office keeps for a shop's tills, nil when
// nothing is: the tills' rules (CheckPromotion, CheckCouponLimits), and no product named by id, since each
// till numbers its products itself (the head office knows them by SKU): its rules take categories, or
// every item. Both the head office, before it stores one, and the till, before it applies one, ask.
func CheckHQPromotion(p Promotion) error {
	if err := CheckPromotion(p.Rule); err != nil {
		return err
	}
	if err := CheckCouponLimits(p); err != nil {
		return err
	}
	for _, t := range append([]promo.Target{p.Rule.Target}, p.Rule.Groups...) {
		if len(t.Products) > 0 {
			return fmt.Errorf("%w: a head office promotion names products by the till's ids (%d…): name categories, or all items",
				ErrInvalidPromotion, t.Products[0])
		}
	}
	return nil
}

// belowCost lists the products of r's target (and bundle groups) that r sells below their cost.
func belowCost(ctx context.Context, products ProductLister, r promo.Rule) ([]BelowCost, error) {
	targets := append([]promo.Target{r.Target}, r.Groups...)
	seen := map[int64]bool{}
	var out []BelowCost
	check := func(ps []Product) {
		for _, p := range ps {
			if seen[p.ID] || p.Cost.Minor() <= 0 {
				continue
			}
			seen[p.ID] = true
			if low := r.LowestUnitPrice(p.Price.Minor()); low < p.Cost.Minor() {
				out = append(out, BelowCost{Product: p, Lowest: money.New(low, p.Price.Currency())})
			}
		}
	}
	for _, t := range targets {
		if len(t.Products) > 0 {
			ps, err := products.ProductsByID(ctx, t.Products)
			if err != nil {
				return nil, err
			}
			check(ps)
		}
		for _, cat := range t.Categories {
			ps, err := products.ProductsInCategory(ctx, cat, belowCostLimit)
			if err != nil {
				return nil, err
			}
			check(ps)
		}
	}
	return out, nil
}

// withoutPromotions is the line as the cashier's own changes left it: what the guard judges them by.
func (l Line) withoutPromotions() Line {
	l.DiscountAmount = l.ManualDiscount()
	l.Total = l.Gross.Sub(l.DiscountAmount)
	l.Promotions, l.Promotion = nil, money.Zero(l.Gross.Currency())
	return l
}

// CouponAllowance returns how many sales of one till may use the coupon code; 0 for no limit.
func (d *Deals) CouponAllowance(code string) int64 {
	if d == nil {
		return 0
	}
	return d.allowance[strings.TrimSpace(code)]
}

// CouponCounter counts this till's uses of a coupon: its completed sales that used it (a sale voided
// before it completed used nothing). The store implements it.
type CouponCounter interface {
	CouponUses(ctx context.Context, code string) (int64, error)
}

// SetCouponCounter has AddCoupon hold each coupon to this till's allowance of it, counted by cc.
func (c *Checkout) SetCouponCounter(cc CouponCounter) { c.coupons = cc }

// AddCoupon presents a shopper's coupon for the sale in progress: the promotions that need it apply from
// now on. An unknown code or one presented already is refused; so is a coupon once payment has begun,
// and one this till's sales have used as often as its allowance (ErrCouponSpent): offline, a till
// can only count its own uses, and the head office counts them all.
func (c *Checkout) AddCoupon(code string) error {
	if err := c.mutable(); err != nil {
		return err
	}
	if allowed := c.cart.deals.CouponAllowance(code); allowed > 0 && c.coupons != nil && c.cart.deals.IsCoupon(code) {
		used, err := c.coupons.CouponUses(context.Background(), strings.TrimSpace(code))
		if err != nil {
			return fmt.Errorf("count the coupon's uses: %w", err)
		}
		if used >= allowed {
			return ErrCouponSpent
		}
	}
	return c.changed(c.cart.AddCoupon(code))
}

// Coupons returns the coupons presented for the sale in progress.
func (c *Checkout) Coupons() []string { return c.cart.Coupons() }

// promotionsOf is what the promotions saved on lines: a stored sale's Totals do not keep it apart.
func promotionsOf(lines []Line, c money.Currency) money.Amount {
	sum := money.Zero(c)
	for _, l := range lines {
		sum = sum.Add(l.Promotion)
	}
	return sum
}
