package promo

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
)

// line is an item that can take item deals, as units of one price.
type line struct {
	item  int
	n     int64 // units
	price int64 // of one unit
	opts  []opt // per-unit deals, saving descending then rule ascending, one per saving
	comp  int   // the component of multi-unit deals it belongs to, -1 for none
}

// opt is a per-unit deal's saving on one unit of a line.
type opt struct {
	rule int
	save int64
}

func (l *line) best() int64 {
	if len(l.opts) == 0 {
		return 0
	}
	return l.opts[0].save
}

// solution is a choice of item deals: how many units of each line take each of its per-unit deals, and
// the multi-unit deals applied.
type solution struct {
	take [][]int64 // per line, per opt
	apps []application
}

// application is one use of a multi-unit deal: the units it takes of each line, and what it saves.
type application struct {
	rule int
	use  []lineUse
	save int64
}

type lineUse struct {
	line int
	n    int64
}

// InternalError is the engine finding its own workings inconsistent (a bug, not bad input): Price priced
// nothing rather than guess. The caller prices the basket without promotions.
type InternalError struct {
	Value any    // what the engine's assertion said
	Stack []byte // where it was, for the log
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("promo: internal inconsistency: %v", e.Value)
}

// Price picks the item deals and the basket rule that save the shopper the most, and says how much each
// rule saves on each item. Its only error is an *InternalError, with no savings: the engine's internal
// assertions (a choice that cannot be retraced, …) end there instead of taking the till down mid-sale.
func (s *Set) Price(items []Item, ctx Context) (res Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = Result{}, &InternalError{Value: v, Stack: debug.Stack()}
		}
	}()
	return s.price(items, ctx), nil
}

func (s *Set) price(items []Item, ctx Context) Result {
	rules := s.candidates(items, ctx)
	var perUnit, multi, basket []int
	for _, i := range rules {
		switch s.rules[i].Kind {
		case PercentOff, AmountOff, MemberPrice:
			perUnit = append(perUnit, i)
		case FixedPrice, BuyGet, Bundle:
			multi = append(multi, i)
		case BasketSpend:
			basket = append(basket, i)
		}
	}
	var gross int64
	var lines []line
	for i, it := range items {
		gross += it.Gross
		// A piece line whose Gross is not UnitPrice × Qty takes no item deal: its units' prices do not add
		// up to the line, and a line must never save more than its Gross.
		if it.NoItemDeals || it.Gross <= 0 || it.Qty <= 0 || (!it.Weighed && (it.UnitPrice <= 0 || it.UnitPrice*it.Qty != it.Gross)) {
			continue
		}
		l := line{item: i, n: it.Qty, price: it.UnitPrice, comp: -1}
		if it.Weighed {
			l.n, l.price = 1, it.Gross
		}
		for _, r := range perUnit {
			if !s.targets[r][0].takes(it) {
				continue
			}
			if save := s.unitSaving(r, it, l.price); save > 0 {
				l.opts = append(l.opts, opt{r, save})
			}
		}
		// Best first; of equal savings only the lowest rule is kept: it wins every tie.
		slices.SortStableFunc(l.opts, func(a, b opt) int { return cmpInt(b.save, a.save) })
		l.opts = slices.CompactFunc(l.opts, func(a, b opt) bool { return a.save == b.save })
		lines = append(lines, l)
	}
	comps := s.components(lines, items, multi)
	if s.testHookComponents != nil {
		s.testHookComponents(comps)
	}

	// The best choice of item deals, ignoring the basket rules.
	sol := solution{take: make([][]int64, len(lines))}
	var itemSave int64
	for i := range lines {
		sol.take[i] = make([]int64, len(lines[i].opts))
		if lines[i].comp < 0 && len(lines[i].opts) > 0 {
			sol.take[i][0] = lines[i].n
			itemSave += lines[i].n * lines[i].opts[0].save
		}
	}
	for _, c := range comps {
		itemSave += c.maximise(lines, &sol)
	}
	bestRule, bestOff := s.basketOff(basket, gross-itemSave)
	total := itemSave + bestOff

	// A 满减 tier the best item deals drop the basket below may be worth more than what they save over
	// a smaller choice. Giving up D of the best item savings meets the tier when D ≥ need, and pays when
	// D < below; the least D ≥ need the basket can give up answers it.
	if len(basket) > 0 {
		type ask struct{ need, below int64 }
		var asks []ask
		var width int64
		var drops []int64 // prefix sums of the units' best deals, least first: a give-up known to be possible
		for _, r := range basket {
			for _, t := range s.rules[r].Tiers {
				if limit := gross - t.Threshold; limit >= 0 && limit < itemSave && limit+t.Off > total {
					a := ask{itemSave - limit, itemSave + t.Off - total}
					if drops == nil {
						drops = unitDrops(lines)
					}
					// The least give-up is at most the first run of dropped deals that reaches need.
					if i, _ := slices.BinarySearch(drops, a.need); i < len(drops) {
						a.below = min(a.below, drops[i]+1)
					}
					a.below = min(a.below, maxGiveUp)
					asks = append(asks, a)
					width = max(width, a.below)
				}
			}
		}
		if len(asks) > 0 {
			best := itemSave
			k := newKnapsack(s, lines, items, comps, width)
			for _, a := range asks {
				d := k.least(a.need)
				if d < 0 || d >= a.below {
					continue
				}
				got := best - d
				if r, off := s.basketOff(basket, gross-got); got+off > total {
					total, bestRule, bestOff = got+off, r, off
					sol = k.solve(d)
				}
			}
		}
	}
	return s.allocate(items, lines, sol, bestRule, bestOff)
}

// maxGiveUp bounds the 满减 check's sets (128 KiB each): a tier worth more than 10,485.76 in minor units
// is checked only for give-ups below that.
const maxGiveUp = 1 << 20

// unitDrops returns the running sums of the best per-unit deals of the lines outside every component,
// one per unit, least first.
func unitDrops(lines []line) []int64 {
	var d []int64
	for _, l := range lines {
		if l.comp < 0 && l.best() > 0 {
			for range l.n {
				d = append(d, l.best())
			}
		}
	}
	slices.Sort(d)
	for i := 1; i < len(d); i++ {
		d[i] += d[i-1]
	}
	return append(d, 0)[:len(d)] // not nil: computed
}

// unitSaving is what per-unit rule r saves on one unit of it at price.
func (s *Set) unitSaving(r int, it Item, price int64) int64 {
	rule := &s.rules[r]
	switch rule.Kind {
	case PercentOff:
		return percentOf(price, rule.PercentBP)
	case AmountOff:
		if it.Weighed {
			return 0
		}
		return min(rule.Amount, price)
	case MemberPrice:
		if !it.Weighed {
			return price - rule.Price
		}
		// Price is per kilogram: the line at the member price, rounded as the cart rounds a line.
		if it.Grams <= 0 {
			return 0
		}
		return price - mulDiv(rule.Price, it.Grams, 1000, true)
	}
	return 0
}

// basketOff returns the basket rule that saves the most at spend and its saving: each rule's highest
// tier met, the lowest rule on a tie; -1 and 0 when none is met.
func (s *Set) basketOff(basket []int, spend int64) (int, int64) {
	best, off := -1, int64(0)
	for _, r := range basket {
		for _, t := range s.rules[r].Tiers {
			if spend >= t.Threshold && t.Off > off {
				best, off = r, t.Off
			}
		}
	}
	return best, off
}

// allocate turns a solution into savings per rule and item: per-unit deals by the units that took them,
// a multi-unit deal's saving and the basket's over the lines that took part, in proportion to what they
// bring (gross for a deal, the spend left after item deals for the basket).
func (s *Set) allocate(items []Item, lines []line, sol solution, basketRule int, basketOff int64) Result {
	per := map[[2]int]int64{} // (rule index, item) → amount
	net := make([]int64, len(items))
	for i, it := range items {
		net[i] = max(it.Gross, 0)
	}
	for i, l := range lines {
		for k, n := range sol.take[i] {
			if n > 0 {
				per[[2]int{l.opts[k].rule, l.item}] += n * l.opts[k].save
			}
		}
	}
	// Each application's saving over its own units: a refund of one line gives back what that line's
	// units saved, not a share of a deal other lines made elsewhere in the basket.
	for _, a := range sol.apps {
		weights := make([]int64, len(a.use))
		for i, u := range a.use {
			weights[i] = u.n * lines[u.line].price
		}
		for i, part := range allocate(a.save, weights) {
			if part > 0 {
				per[[2]int{a.rule, lines[a.use[i].line].item}] += part
			}
		}
	}
	for key, v := range per {
		net[key[1]] -= v
	}
	if basketRule >= 0 {
		for i, part := range allocate(basketOff, net) {
			if part > 0 {
				per[[2]int{basketRule, i}] += part
			}
		}
	}
	var res Result
	for key, v := range per {
		res.Savings = append(res.Savings, Saving{Rule: s.rules[key[0]].ID, Item: key[1], Amount: v})
		res.Total += v
	}
	sort.Slice(res.Savings, func(a, b int) bool {
		x, y := res.Savings[a], res.Savings[b]
		if x.Item != y.Item {
			return x.Item < y.Item
		}
		return x.Rule < y.Rule
	})
	return res
}
