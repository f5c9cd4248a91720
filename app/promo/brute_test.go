package promo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// bruteUnit is one unit of a basket, as the brute force sees it.
type bruteUnit struct {
	item  int
	price int64
	it    Item
}

// bruteBest enumerates every assignment of units to rule applications (each unit: no deal, a per-unit
// deal, or one place in one application of a multi-unit deal) and returns the largest total saving with
// the basket rule. It shares nothing with the optimiser but the rules' meaning.
func bruteBest(rules []Rule, items []Item, ctx Context) int64 {
	var units []bruteUnit
	var gross int64
	for i, it := range items {
		gross += it.Gross
		if it.NoItemDeals || it.Gross <= 0 {
			continue
		}
		if it.Weighed {
			units = append(units, bruteUnit{i, it.Gross, it})
			continue
		}
		for range it.Qty {
			units = append(units, bruteUnit{i, it.UnitPrice, it})
		}
	}
	takes := func(t Target, it Item) bool {
		if t.All {
			return true
		}
		for _, p := range t.Products {
			if p == it.Product {
				return true
			}
		}
		for _, c := range t.Categories {
			if c == it.Category {
				return true
			}
		}
		return false
	}
	halfEven := func(x, bp int64) int64 {
		q, r := x*bp/10000, x*bp%10000
		if 2*r > 10000 || (2*r == 10000 && q%2 == 1) {
			q++
		}
		return q
	}
	reach := map[int64]bool{}
	used := make([]bool, len(units))
	var rec func(save int64)
	rec = func(save int64) {
		u := -1
		for i := range units {
			if !used[i] {
				u = i
				break
			}
		}
		if u < 0 {
			reach[save] = true
			return
		}
		unit := units[u]
		used[u] = true
		rec(save)
		for _, r := range rules {
			var s int64
			switch r.Kind {
			case PercentOff:
				if takes(r.Target, unit.it) {
					s = halfEven(unit.price, r.PercentBP)
				}
			case AmountOff:
				if takes(r.Target, unit.it) && !unit.it.Weighed {
					s = min(r.Amount, unit.price)
				}
			case MemberPrice:
				if takes(r.Target, unit.it) && ctx.Member && (r.MemberTier == "" || r.MemberTier == ctx.MemberTier) {
					if unit.it.Weighed {
						if unit.it.Grams > 0 {
							q, rem := r.Price*unit.it.Grams/1000, r.Price*unit.it.Grams%1000
							if 2*rem > 1000 || (2*rem == 1000 && q%2 == 1) {
								q++
							}
							s = unit.price - q
						}
					} else {
						s = unit.price - r.Price
					}
				}
			}
			if s > 0 {
				rec(save + s)
			}
		}
		// Multi-unit applications with u as their first unit: choose the others among the free units.
		for _, r := range rules {
			if unit.it.Weighed {
				break
			}
			var groups []Target
			switch r.Kind {
			case FixedPrice:
				for range r.Qty {
					groups = append(groups, r.Target)
				}
			case BuyGet:
				for range r.Qty + r.Free {
					groups = append(groups, r.Target)
				}
			case Bundle:
				groups = r.Groups
			default:
				continue
			}
			// Fill the places in order; the unit u takes one place, the others are free units after u.
			var chosen []int
			var fill func(place int, uPlaced bool, after int)
			fill = func(place int, uPlaced bool, after int) {
				if place == len(groups) {
					if !uPlaced {
						return
					}
					var sum int64
					var prices []int64
					for _, c := range chosen {
						sum += units[c].price
						prices = append(prices, units[c].price)
					}
					var s int64
					switch r.Kind {
					case FixedPrice, Bundle:
						s = sum - r.Price
					case BuyGet:
						for i := range prices {
							for j := i + 1; j < len(prices); j++ {
								if prices[j] < prices[i] {
									prices[i], prices[j] = prices[j], prices[i]
								}
							}
						}
						for _, p := range prices[:r.Free] {
							s += halfEven(p, r.PercentBP)
						}
					}
					if s > 0 {
						for _, c := range chosen {
							used[c] = true
						}
						rec(save + s)
						for _, c := range chosen {
							if c != u {
								used[c] = false
							}
						}
					}
					return
				}
				if !uPlaced && takes(groups[place], unit.it) {
					chosen = append(chosen, u)
					fill(place+1, true, after)
					chosen = chosen[:len(chosen)-1]
				}
				// Identical places (fixed price, buy-get) are filled in unit order to enumerate sets once.
				start := u + 1
				if r.Kind != Bundle {
					start = after
				}
				for c := start; c < len(units); c++ {
					if used[c] || units[c].it.Weighed || !takes(groups[place], units[c].it) || contains(chosen, c) {
						continue
					}
					chosen = append(chosen, c)
					fill(place+1, uPlaced, c+1)
					chosen = chosen[:len(chosen)-1]
				}
			}
			fill(0, false, u+1)
		}
		used[u] = false
	}
	rec(0)
	var best int64
	for s := range reach {
		var off int64
		for _, r := range rules {
			if r.Kind != BasketSpend {
				continue
			}
			for _, t := range r.Tiers {
				if gross-s >= t.Threshold {
					off = max(off, t.Off)
				}
			}
		}
		best = max(best, s+off)
	}
	return best
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// randomBasket returns a basket of at most 6 units (some weighed, some priced by hand) and at most 5 rules
// of random kinds over a few products and two categories, with 满减 tiers near the basket's spend.
func randomBasket(rng *rand.Rand) ([]Rule, []Item, Context) {
	var items []Item
	units := 0
	for units < 6 && (len(items) == 0 || rng.IntN(4) > 0) {
		it := Item{Product: int64(1 + rng.IntN(4)), Category: []string{"fruit", "drink"}[rng.IntN(2)]}
		if rng.IntN(5) == 0 {
			it.Weighed, it.Qty, it.Grams = true, 1, int64(100+rng.IntN(2000))
			it.Gross = int64(50 + rng.IntN(2000))
			it.UnitPrice = it.Gross
		} else {
			it.Qty = int64(1 + rng.IntN(min(3, 6-units)))
			it.UnitPrice = int64(50 + rng.IntN(950))
			it.Gross = it.Qty * it.UnitPrice
		}
		it.NoItemDeals = rng.IntN(8) == 0
		units += int(it.Qty)
		items = append(items, it)
	}
	var gross int64
	for _, it := range items {
		gross += it.Gross
	}
	target := func() Target {
		switch rng.IntN(4) {
		case 0:
			return Target{All: true}
		case 1:
			return Target{Categories: []string{[]string{"fruit", "drink"}[rng.IntN(2)]}}
		default:
			return Target{Products: []int64{int64(1 + rng.IntN(4)), int64(1 + rng.IntN(4))}}
		}
	}
	var rules []Rule
	for id := range 1 + rng.IntN(5) {
		r := Rule{ID: int64(id + 1), Name: fmt.Sprintf("r%d", id+1), Target: target()}
		switch rng.IntN(7) {
		case 0:
			r.Kind, r.PercentBP = PercentOff, int64(1+rng.IntN(5000))
		case 1:
			r.Kind, r.Amount = AmountOff, int64(1+rng.IntN(300))
		case 2:
			r.Kind, r.Price, r.MemberTier = MemberPrice, int64(rng.IntN(900)), []string{"", "gold"}[rng.IntN(2)]
		case 3:
			r.Kind, r.Qty, r.Price = FixedPrice, int64(1+rng.IntN(3)), int64(rng.IntN(1500))
		case 4:
			r.Kind, r.Qty, r.Free = BuyGet, int64(1+rng.IntN(2)), int64(1+rng.IntN(2))
			r.PercentBP = []int64{10000, 5000, int64(1 + rng.IntN(10000))}[rng.IntN(3)]
		case 5:
			r.Kind, r.Target, r.Price = Bundle, Target{}, int64(rng.IntN(1500))
			r.Groups = []Target{target(), target()}
			if rng.IntN(3) == 0 {
				r.Groups = append(r.Groups, target())
			}
		case 6:
			r.Kind, r.Target = BasketSpend, Target{}
			t := max(1, gross-int64(rng.IntN(int(gross/2+1))))
			r.Tiers = []Tier{{t, 1 + int64(rng.IntN(int(min(t, 400))))}}
			if rng.IntN(2) == 0 && t+1 <= gross {
				r.Tiers = append(r.Tiers, Tier{t + 1 + int64(rng.IntN(int(gross-t))), r.Tiers[0].Off + 1 + int64(rng.IntN(300))})
				r.Tiers[1].Off = min(r.Tiers[1].Off, r.Tiers[1].Threshold)
			}
		}
		rules = append(rules, r)
	}
	ctx := Context{Now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), Member: rng.IntN(2) == 0, MemberTier: []string{"", "gold"}[rng.IntN(2)]}
	return rules, items, ctx
}

// TestPriceMatchesBruteForce checks on thousands of small random baskets that Price finds the largest
// saving there is, and that its split is exact and never takes a line below zero.
func TestPriceMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	seeds := 20000
	if testing.Short() {
		seeds = 500
	}
	for n := range seeds {
		rules, items, ctx := randomBasket(rng)
		set, err := NewSet(rules)
		if err != nil {
			continue // a random tier pair that does not ascend
		}
		got := set.mustPrice(t, items, ctx)
		want := bruteBest(rules, items, ctx)
		if got.Total != want {
			t.Fatalf("basket %d: Price saves %d, brute force %d\nrules %+v\nitems %+v\nctx %+v\nsavings %+v", n, got.Total, want, rules, items, ctx, got.Savings)
		}
		checkSplit(t, items, got)
	}
}

// checkSplit checks that the savings sum to Total, are each above zero, and leave no line below zero.
func checkSplit(t *testing.T, items []Item, res Result) {
	t.Helper()
	var sum int64
	perItem := make([]int64, len(items))
	for _, s := range res.Savings {
		if s.Amount <= 0 {
			t.Errorf("saving %+v is not above zero", s)
		}
		sum += s.Amount
		perItem[s.Item] += s.Amount
	}
	if sum != res.Total {
		t.Errorf("savings sum to %d, Total is %d", sum, res.Total)
	}
	for i, v := range perItem {
		if v > items[i].Gross {
			t.Errorf("item %d saves %d, more than its gross %d", i, v, items[i].Gross)
		}
	}
}

// TestUnitSearchMatchesEnumeration checks the unit-by-unit search of each component against the
// enumeration of every way to apply its deals, on baskets larger than the brute force can take (up to 16
// units over 6 lines).
func TestUnitSearchMatchesEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	compared := 0
	rounds := 1500
	if testing.Short() {
		rounds = 300
	}
	for n := range rounds {
		var rules []Rule
		var items []Item
		for range 3 {
			r, it, _ := randomBasket(rng)
			for _, x := range r {
				x.ID = int64(len(rules) + 1)
				if x.Kind != BasketSpend {
					rules = append(rules, x)
				}
			}
			items = append(items, it...)
		}
		set, err := NewSet(rules)
		if err != nil {
			continue
		}
		ctx := Context{Now: noon, Member: true}
		idx := set.candidates(items, ctx)
		var perUnit, multi []int
		for _, i := range idx {
			switch set.rules[i].Kind {
			case FixedPrice, BuyGet, Bundle:
				multi = append(multi, i)
			default:
				perUnit = append(perUnit, i)
			}
		}
		var lines []line
		for i, it := range items {
			if it.NoItemDeals {
				continue
			}
			l := line{item: i, n: it.Qty, price: it.UnitPrice, comp: -1}
			for _, r := range perUnit {
				if set.targets[r][0].takes(it) {
					if s := set.unitSaving(r, it, l.price); s > 0 {
						l.opts = append(l.opts, opt{r, s})
					}
				}
			}
			slices.SortStableFunc(l.opts, func(a, b opt) int { return cmpInt(b.save, a.save) })
			lines = append(lines, l)
		}
		for _, c := range set.components(lines, items, multi) {
			e := set.enumerate(c, lines, items, 1)
			if e == nil {
				continue
			}
			sol := solution{take: make([][]int64, len(lines))}
			for i := range lines {
				sol.take[i] = make([]int64, len(lines[i].opts))
			}
			got := c.maximise(lines, &sol)
			if want := e.f(0, slices.Clone(e.n)); got != want {
				t.Fatalf("basket %d: the unit search saves %d, the enumeration %d\nrules %+v\nitems %+v", n, got, want, rules, items)
			}
			// The choice it records saves what it says, each application on its own.
			var sum int64
			for li, takes := range sol.take {
				for k, m := range takes {
					sum += m * lines[li].opts[k].save
				}
			}
			for _, a := range sol.apps {
				if a.save <= 0 {
					t.Fatalf("basket %d: an application saves %d", n, a.save)
				}
				sum += a.save
			}
			if sum != got {
				t.Fatalf("basket %d: the recorded choice saves %d, the search %d", n, sum, got)
			}
			compared++
		}
	}
	if compared < rounds/3 {
		t.Fatalf("only %d components compared", compared)
	}
}
