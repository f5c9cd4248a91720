package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"checkout/app/money"
	"checkout/app/promo"
)

// PromotionForm is a promotion as the owner fills it in on the back office's page, every field as typed.
// Which fields count depends on Kind, as promo.Rule's do.
type PromotionForm struct {
	ID           int64 // 0 for a new promotion
	Kind         promo.Kind
	Name, NameZH string
	// Products are barcodes or SKUs, separated by commas or spaces; Category a category as the catalog
	// names it; All takes every item. A bundle takes its Groups instead, each a field of codes like
	// Products (a blank one is skipped, at least two filled in), and a basket rule always takes the whole
	// basket: for those two kinds Products, Category and All do not count.
	Products string
	Category string
	All      bool
	Groups   []string
	// Percent ("50" or "50%"), Amount and Price (in the shop's currency), Qty and Free (whole pieces).
	Percent, Amount, Price, Qty, Free string
	// Tiers are a basket rule's "spend:save" pairs, e.g. "100:10, 200:25" (满100减10, 满200减25); the
	// other kinds ignore them, as every kind but the bundle ignores Groups.
	Tiers      string
	MemberTier string
	Coupon     string
	// CouponLimit and CouponTillLimit are the coupon's uses in all and at this till (Promotion's); empty:
	// no limit.
	CouponLimit, CouponTillLimit string
	// Days are the weekdays it runs (none: every day); Start and End "HH:MM" (both empty: all day);
	// From and To dates "YYYY-MM-DD" (To included; empty: open-ended), on the shop's clock.
	Days       [7]bool
	Start, End string
	From, To   string
	Active     bool
}

// Rule checks the form and returns the rule it describes, the products it names looked up by find, in the
// till's local time zone loc; an error wraps ErrInvalidPromotion and says which field is wrong.
func (f PromotionForm) Rule(ctx context.Context, find func(context.Context, string) (Product, error), cur money.Currency, loc *time.Location) (promo.Rule, error) {
	bad := func(format string, args ...any) (promo.Rule, error) {
		return promo.Rule{}, fmt.Errorf("%w: %s", ErrInvalidPromotion, fmt.Sprintf(format, args...))
	}
	r := promo.Rule{ID: f.ID, Kind: f.Kind, Name: strings.TrimSpace(f.Name), NameZH: strings.TrimSpace(f.NameZH),
		MemberTier: strings.TrimSpace(f.MemberTier), Coupon: strings.TrimSpace(f.Coupon)}
	target := func(codes, category string, all bool) (promo.Target, error) {
		t := promo.Target{All: all}
		for _, code := range productCodes(codes) {
			if strings.IndexFunc(code, unicode.IsControl) >= 0 || utf8.RuneCountInString(code) > maxCodeRunes {
				return t, fmt.Errorf("%w: product code %.40q: not a barcode or SKU", ErrInvalidPromotion, code)
			}
			p, err := find(ctx, code)
			if err != nil {
				return t, fmt.Errorf("%w: product %.40s: %v", ErrInvalidPromotion, code, err)
			}
			t.Products = append(t.Products, p.ID)
		}
		if c := strings.TrimSpace(category); c != "" {
			t.Categories = []string{c}
		}
		return t, nil
	}
	var err error
	// The kind says which fields count: a bundle takes its groups and nothing else, a basket rule the
	// whole basket whatever else the form holds; the other kinds take the products, the category or all.
	switch f.Kind {
	case promo.Bundle:
		if r.Groups, err = f.bundleGroups(target); err != nil {
			return promo.Rule{}, err
		}
	case promo.BasketSpend:
		r.Target = promo.Target{All: true}
		if r.Tiers, err = f.basketTiers(cur); err != nil {
			return promo.Rule{}, err
		}
	default:
		if r.Target, err = target(f.Products, f.Category, f.All); err != nil {
			return promo.Rule{}, err
		}
	}
	if s := strings.TrimSuffix(strings.TrimSpace(f.Percent), "%"); s != "" {
		if r.PercentBP, err = ParsePercent(s); err != nil {
			return bad("percent %q", f.Percent)
		}
	}
	for _, m := range []struct {
		text string
		dst  *int64
		what string
	}{{f.Amount, &r.Amount, "amount"}, {f.Price, &r.Price, "price"}} {
		if s := strings.TrimSpace(m.text); s != "" {
			a, err := money.Parse(s, cur)
			if err != nil {
				return bad("%s %q: %v", m.what, s, err)
			}
			*m.dst = a.Minor()
		}
	}
	if f.Kind == promo.Bundle && r.Price <= 0 {
		return bad("price %q: a bundle needs its price above zero, what one from each group costs together", f.Price)
	}
	for _, n := range []struct {
		text string
		dst  *int64
		what string
	}{{f.Qty, &r.Qty, "quantity"}, {f.Free, &r.Free, "free quantity"}} {
		if s := strings.TrimSpace(n.text); s != "" {
			if *n.dst, err = strconv.ParseInt(s, 10, 64); err != nil || *n.dst < 1 || *n.dst > 1000 {
				return bad("%s %q: a whole number from 1 to 1000", n.what, s)
			}
		}
	}
	for d, on := range f.Days {
		if on {
			r.Window.Days |= 1 << d
		}
	}
	if r.Window.StartMinute, err = clockMinute(f.Start); err != nil {
		return bad("start %q: %v", f.Start, err)
	}
	if r.Window.EndMinute, err = clockMinute(f.End); err != nil {
		return bad("end %q: %v", f.End, err)
	}
	if strings.TrimSpace(f.End) == "24:00" {
		r.Window.EndMinute = 24 * 60
	}
	for _, d := range []struct {
		text  string
		dst   *time.Time
		after int // days: To is the day included, so the window ends the midnight after it
	}{{f.From, &r.Window.From, 0}, {f.To, &r.Window.To, 1}} {
		if s := strings.TrimSpace(d.text); s != "" {
			day, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				return bad("date %q: YYYY-MM-DD", s)
			}
			*d.dst = day.AddDate(0, 0, d.after)
		}
	}
	check := r
	if check.ID == 0 {
		check.ID = 1 // a new rule's id is the store's to give
	}
	if err := CheckPromotion(check); err != nil {
		return promo.Rule{}, err
	}
	return r, nil
}

// productCodes splits a field of barcodes or SKUs at commas (also the Chinese one), spaces and line ends.
func productCodes(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '\n' })
}

// bundleGroups reads a bundle's groups, each looked up by target: a group left blank is skipped (the form's
// last group is optional), but one typed must name a product, and at least two must be filled in.
func (f PromotionForm) bundleGroups(target func(codes, category string, all bool) (promo.Target, error)) ([]promo.Target, error) {
	var groups []promo.Target
	for i, g := range f.Groups {
		if strings.TrimSpace(g) == "" {
			continue
		}
		if len(productCodes(g)) == 0 {
			return nil, fmt.Errorf("%w: group %d %.40q: no barcode or SKU in it", ErrInvalidPromotion, i+1, g)
		}
		t, err := target(g, "", false)
		if err != nil {
			return nil, fmt.Errorf("group %d: %w", i+1, err)
		}
		groups = append(groups, t)
	}
	if len(groups) < 2 {
		return nil, fmt.Errorf("%w: a bundle needs at least two groups of products, one taken from each; %d filled in", ErrInvalidPromotion, len(groups))
	}
	return groups, nil
}

// basketTiers reads a basket rule's "spend:save" pairs (满100减10) in currency cur: at least one, each
// saving above zero and no more than its spend.
func (f PromotionForm) basketTiers(cur money.Currency) ([]promo.Tier, error) {
	var tiers []promo.Tier
	for _, pair := range strings.FieldsFunc(f.Tiers, func(c rune) bool { return c == ',' || c == '，' || c == ';' || c == '；' }) {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		if utf8.RuneCountInString(pair) > 2*maxCodeRunes {
			return nil, fmt.Errorf("%w: tier %.40q…: too long for spend:save", ErrInvalidPromotion, pair)
		}
		spend, save, ok := strings.Cut(pair, ":")
		if !ok {
			spend, save, ok = strings.Cut(pair, "：")
		}
		if !ok {
			return nil, fmt.Errorf("%w: tier %.40q: spend:save, e.g. 100:10", ErrInvalidPromotion, pair)
		}
		a, err := money.Parse(strings.TrimSpace(spend), cur)
		if err != nil {
			return nil, fmt.Errorf("%w: tier %.40q: the spend is not an amount: %v", ErrInvalidPromotion, pair, err)
		}
		b, err := money.Parse(strings.TrimSpace(save), cur)
		if err != nil {
			return nil, fmt.Errorf("%w: tier %.40q: the saving is not an amount: %v", ErrInvalidPromotion, pair, err)
		}
		switch {
		case a.Minor() <= 0 || b.Minor() <= 0:
			return nil, fmt.Errorf("%w: tier %.40q: the spend and the saving must both be above zero", ErrInvalidPromotion, pair)
		case b.Minor() > a.Minor():
			return nil, fmt.Errorf("%w: tier %.40q: saves %s, more than its spend %s", ErrInvalidPromotion, pair, b.Decimal(), a.Decimal())
		}
		tiers = append(tiers, promo.Tier{Threshold: a.Minor(), Off: b.Minor()})
	}
	if len(tiers) == 0 {
		return nil, fmt.Errorf("%w: a basket rule needs its tiers, spend:save, e.g. 100:10, 200:25", ErrInvalidPromotion)
	}
	return tiers, nil
}

// clockMinute reads "HH:MM" as minutes into the day; "" is 0.
func clockMinute(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if s == "24:00" {
		return 0, nil // the caller takes it as the day's end
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("HH:MM")
	}
	return t.Hour()*60 + t.Minute(), nil
}

// PromotionDesk is the back office's promotions: listing, saving with the below-cost check, and turning
// them on and off. It implements PromotionService.
type PromotionDesk struct {
	repo     Promotions
	products ProductLister
	find     func(context.Context, string) (Product, error)
	settings Settings
	now      func() time.Time
}

// NewPromotionDesk returns the desk over repo; products and find look up what a promotion names.
func NewPromotionDesk(s Settings, repo Promotions, products ProductLister, find func(context.Context, string) (Product, error), now func() time.Time) *PromotionDesk {
	return &PromotionDesk{repo: repo, products: products, find: find, settings: s, now: now}
}

// Promotions lists every promotion, by id.
func (d *PromotionDesk) Promotions(ctx context.Context) ([]Promotion, error) {
	return d.repo.PromotionList(ctx)
}

// Save checks the form and saves the promotion on behalf of by (SavePromotion), returning it with the
// products it sells below cost.
func (d *PromotionDesk) Save(ctx context.Context, by *Session, f PromotionForm) (Promotion, []BelowCost, error) {
	r, err := f.Rule(ctx, d.find, d.settings.Currency, time.Local)
	if err != nil {
		return Promotion{}, nil, err
	}
	p := Promotion{Rule: r, Active: f.Active}
	for _, n := range []struct {
		text string
		dst  *int64
		what string
	}{{f.CouponLimit, &p.CouponLimit, "coupon uses"}, {f.CouponTillLimit, &p.CouponTillLimit, "coupon uses at this till"}} {
		if s := strings.TrimSpace(n.text); s != "" {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < 0 {
				return Promotion{}, nil, fmt.Errorf("%w: %s %q: a whole number, 0 for no limit", ErrInvalidPromotion, n.what, s)
			}
			*n.dst = v
		}
	}
	return SavePromotion(ctx, d.repo, d.products, p, by, d.now()) // which judges the limits (CheckCouponLimits)
}

// SetActive turns promotion id on or off on behalf of by.
func (d *PromotionDesk) SetActive(ctx context.Context, by *Session, id int64, active bool) error {
	ps, err := d.repo.PromotionList(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Rule.ID == id {
			p.Active = active
			_, _, err := SavePromotion(ctx, d.repo, nil, p, by, d.now())
			return err
		}
	}
	return fmt.Errorf("%w: promotion %d", ErrInvalidPromotion, id)
}
