package promo

import (
	"fmt"
	"slices"
	"time"
)

// Item is one line of the basket as pricing sees it.
type Item struct {
	Product  int64
	Category string
	Weighed  bool  // a weighed line: one unit, its whole Gross
	Qty      int64 // whole pieces (a weighed line: 1)
	// UnitPrice is the price of a piece (a weighed line: its Gross). A piece line's Gross is
	// UnitPrice × Qty; a line where it is not takes no item deal.
	UnitPrice int64
	Gross     int64 // the line before promotions
	// NoItemDeals marks a line the cashier priced or discounted by hand, or a printed price label: it
	// counts toward basket spend but takes no item deal.
	NoItemDeals bool
	// Grams is a weighed line's weight, for a member price per kilogram (0: the line takes none).
	Grams int64
}

// Context is what pricing needs to know about the sale besides its items.
type Context struct {
	Now        time.Time // on the shop's clock: windows are read in its Location
	Member     bool
	MemberTier string
	Coupons    []string
}

// Saving is one rule's saving on one item (an index into the items priced).
type Saving struct {
	Rule   int64
	Item   int
	Amount int64
}

// Result of pricing a basket: the savings by rule and item, in item order then rule ID, and their sum.
type Result struct {
	Savings []Saving
	Total   int64
}

// Set is a validated, indexed set of rules. It is read-only once made, so one Set may price many baskets
// at once.
type Set struct {
	rules      []Rule    // by ID: a lower index is a lower ID, which wins ties
	targets    [][]match // per rule: its Target, or a bundle's Groups
	byProduct  map[int64][]int
	byCategory map[string][]int
	always     []int // rules that take every item, and basket rules
	// testHookComponents, set only by tests, sees the basket's components before they are searched: a
	// test corrupts one to reach the engine's internal assertions.
	testHookComponents func([]*component)
}

// match is a Target made quick to ask.
type match struct {
	all        bool
	products   map[int64]struct{}
	categories map[string]struct{}
}

func newMatch(t Target) match {
	m := match{all: t.All, products: make(map[int64]struct{}, len(t.Products)), categories: make(map[string]struct{}, len(t.Categories))}
	for _, p := range t.Products {
		m.products[p] = struct{}{}
	}
	for _, c := range t.Categories {
		m.categories[c] = struct{}{}
	}
	return m
}

func (m match) takes(it Item) bool {
	if m.all {
		return true
	}
	if _, ok := m.products[it.Product]; ok {
		return true
	}
	_, ok := m.categories[it.Category]
	return ok
}

// NewSet validates every rule and indexes them by product and category, so that pricing reads only the
// rules that can touch the basket. The first invalid rule's error is returned (wrapping ErrInvalidRule);
// two rules with one ID are refused, since savings name their rule by ID.
func NewSet(rules []Rule) (*Set, error) {
	s := &Set{rules: slices.Clone(rules), byProduct: map[int64][]int{}, byCategory: map[string][]int{}}
	slices.SortFunc(s.rules, func(a, b Rule) int { return cmpInt(a.ID, b.ID) })
	for i, r := range s.rules {
		if err := r.Validate(); err != nil {
			return nil, err
		}
		if i > 0 && s.rules[i-1].ID == r.ID {
			return nil, fmt.Errorf("%w %d %q: the id is also rule %q's", ErrInvalidRule, r.ID, r.label(), s.rules[i-1].label())
		}
		targets := []Target{r.Target}
		switch r.Kind {
		case Bundle:
			targets = r.Groups
		case BasketSpend:
			targets = nil
			s.always = append(s.always, i)
		}
		var ms []match
		all := false
		products := map[int64]bool{}
		categories := map[string]bool{}
		for _, t := range targets {
			ms = append(ms, newMatch(t))
			all = all || t.All
			for _, p := range t.Products {
				if !products[p] {
					products[p] = true
					s.byProduct[p] = append(s.byProduct[p], i)
				}
			}
			for _, c := range t.Categories {
				if !categories[c] {
					categories[c] = true
					s.byCategory[c] = append(s.byCategory[c], i)
				}
			}
		}
		if all {
			s.always = append(s.always, i)
		}
		s.targets = append(s.targets, ms)
	}
	return s, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// candidates returns the indexes, ascending, of the rules that apply now and could touch the items.
func (s *Set) candidates(items []Item, ctx Context) []int {
	var idx []int
	idx = append(idx, s.always...)
	for _, it := range items {
		idx = append(idx, s.byProduct[it.Product]...)
		idx = append(idx, s.byCategory[it.Category]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	coupons := map[string]bool{}
	for _, c := range ctx.Coupons {
		coupons[c] = true
	}
	out := idx[:0]
	for _, i := range idx {
		r := &s.rules[i]
		if r.Coupon != "" && !coupons[r.Coupon] {
			continue
		}
		if r.Kind == MemberPrice && (!ctx.Member || (r.MemberTier != "" && r.MemberTier != ctx.MemberTier)) {
			continue
		}
		if !r.Window.Contains(ctx.Now) {
			continue
		}
		out = append(out, i)
	}
	return out
}
