package promo

import (
	"encoding/binary"
	"slices"
)

// component is a set of lines that multi-unit deals tie together (rules sharing units), with those deals.
// Components are independent of each other: the best choice for the basket is the best choice for each.
//
// Its units are searched one at a time, dearest first, each taking its best per-unit deal or a place in a
// multi-unit deal. For the best choice, what a multi-unit deal saves depends only on counts once its units
// are grouped in price order: a fixed price saves the prices less Price per Qty units, however grouped; a
// buy-get, grouping its units dearest first Qty+Free at a time, discounts the last Free of each group, and
// no other grouping of the same units discounts more; a bundle saves the prices less Price per unit of
// each group. (A group that saves nothing is never in the best choice: leaving its units to their
// per-unit deals saves as much, and a tie goes to the per-unit deal.) So the state after a unit is a few
// counters per deal (the units in its open group, or per bundle group), not which units were taken, and
// the search is memoised on (unit, counters): polynomial in the units, exponential only in the deals that
// share one component. Choices short of the best are the enumeration's business (enumerate.go).
type component struct {
	lines []int // the basket lines, ascending
	units []cunit
	rules []crule
	width int // counters in a state
	// left[s][i] is how many of units i… could still go to counter s: a state that cannot complete its
	// open groups with the units left is dropped early.
	left [][]int64
	memo map[string]int64 // when the counters do not pack into 64 bits
	// packed memoises on the counters packed into one word, shift[s] bits up for counter s: the usual case,
	// and no key to allocate.
	packed map[packedKey]int64
	shift  []uint8
	next   [][]int64 // f's scratch state per unit: a unit's moves are tried one after another
}

type packedKey struct {
	unit  int
	state uint64
}

// cunit is one unit of a component: its line, its price, and the places it may take.
type cunit struct {
	line  int
	price int64
	moves []move
}

// move is a place in a multi-unit deal: rule (index into component.rules) and, for a bundle, group.
type move struct{ rule, group int }

// crule is a multi-unit deal of a component; its counters are state[slot : slot+groups].
type crule struct {
	rule   int // index into Set.rules
	kind   Kind
	slot   int
	groups int
	size   int64 // units in one application: Qty, Qty+Free, or a bundle's groups
	qty    int64
	price  int64
	bp     int64
}

// maxComponentDeals bounds the multi-unit deals one component searches together. Measured here with the
// machine busy, 12 deals over 20 lines price in 1.6 ms searching 4 at a time, 5.5 ms at 5, 12 ms at 6 and
// 230 ms at 8; the brute-force test proves the search exact up to 5.
const maxComponentDeals = 5

// maxDealLineUnits bounds the pieces of one line that multi-unit deals search, a unit at a time: a line of
// more (the cart takes up to 100,000) takes only per-unit deals, as a weighed line does, so a bulk
// quantity typed at the counter cannot stall the scan behind a search through every piece.
const maxDealLineUnits = 100

// noWay marks a state from which the open groups cannot be completed.
const noWay = -1 << 62

// components groups the lines that multi-unit deals can take into independent components. A deal that
// cannot be filled from the basket joins nothing.
func (s *Set) components(lines []line, items []Item, multi []int) []*component {
	parent := make([]int, len(lines))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type taking struct {
		rule   int
		groups [][]int // per target (a bundle's groups, else one): the lines it takes
		all    []int
	}
	var takings []taking
	deals := map[int]int{} // multi-unit deals per component, by its root
	for _, r := range multi {
		rule := &s.rules[r]
		tk := taking{rule: r}
		seen := map[int]bool{}
		for _, m := range s.targets[r] {
			var g []int
			for li, l := range lines {
				if !items[l.item].Weighed && l.n <= maxDealLineUnits && m.takes(items[l.item]) {
					g = append(g, li)
					if !seen[li] {
						seen[li] = true
						tk.all = append(tk.all, li)
					}
				}
			}
			tk.groups = append(tk.groups, g)
		}
		var units int64
		for _, li := range tk.all {
			units += lines[li].n
		}
		fillable := true
		switch rule.Kind {
		case FixedPrice:
			fillable = units >= rule.Qty
		case BuyGet:
			fillable = units >= rule.Qty+rule.Free
		case Bundle:
			fillable = units >= int64(len(tk.groups))
			for _, g := range tk.groups {
				fillable = fillable && len(g) > 0
			}
		}
		if !fillable {
			continue
		}
		slices.Sort(tk.all)
		// The search grows exponentially with the deals one component holds: past maxComponentDeals a
		// deal that would join them is left out of this basket (the ones before it, by rule order, stay),
		// so a scan at the counter never waits on an owner's pile of overlapping deals.
		roots := map[int]bool{}
		joined := 1
		for _, li := range tk.all {
			if r := find(li); !roots[r] {
				roots[r] = true
				joined += deals[r]
			}
		}
		if joined > maxComponentDeals {
			continue
		}
		for _, li := range tk.all[1:] {
			parent[find(li)] = find(tk.all[0])
		}
		deals[find(tk.all[0])] = joined
		takings = append(takings, tk)
	}
	byRoot := map[int]*component{}
	var comps []*component
	for _, tk := range takings {
		root := find(tk.all[0])
		c := byRoot[root]
		if c == nil {
			c = &component{memo: map[string]int64{}}
			for li := range lines {
				if find(li) == root {
					c.lines = append(c.lines, li)
					lines[li].comp = len(comps)
				}
			}
			byRoot[root] = c
			comps = append(comps, c)
		}
		rule := &s.rules[tk.rule]
		cr := crule{rule: tk.rule, kind: rule.Kind, slot: c.width, groups: len(tk.groups), qty: rule.Qty, price: rule.Price, bp: rule.PercentBP}
		switch rule.Kind {
		case FixedPrice:
			cr.size = rule.Qty
		case BuyGet:
			cr.size = rule.Qty + rule.Free
		case Bundle:
			cr.size = int64(len(tk.groups))
		}
		c.width += cr.groups
		c.rules = append(c.rules, cr)
	}
	for _, c := range comps {
		c.build(s, lines, items)
	}
	return comps
}

// build lists the component's units, dearest first, with the places each may take.
func (c *component) build(s *Set, lines []line, items []Item) {
	for _, li := range c.lines {
		it := items[lines[li].item]
		var moves []move
		for ri, cr := range c.rules {
			for g, m := range s.targets[cr.rule] {
				if m.takes(it) {
					moves = append(moves, move{ri, g})
				}
			}
		}
		for range lines[li].n {
			c.units = append(c.units, cunit{line: li, price: lines[li].price, moves: moves})
		}
	}
	slices.SortStableFunc(c.units, func(a, b cunit) int { return cmpInt(b.price, a.price) })
	c.left = make([][]int64, c.width)
	for si := range c.left {
		c.left[si] = make([]int64, len(c.units)+1)
	}
	for i := len(c.units) - 1; i >= 0; i-- {
		for si := range c.left {
			c.left[si][i] = c.left[si][i+1]
		}
		for _, m := range c.units[i].moves {
			c.left[c.rules[m.rule].slot+m.group][i]++
		}
	}
	// A counter never exceeds its group's size less one, or a bundle group's units.
	var bits uint
	for _, cr := range c.rules {
		for g := range cr.groups {
			most := cr.size - 1
			if cr.kind == Bundle {
				most = c.left[cr.slot+g][0]
			}
			c.shift = append(c.shift, uint8(bits))
			for ; most > 0; most >>= 1 {
				bits++
			}
		}
	}
	if bits <= 64 {
		c.packed = map[packedKey]int64{}
	}
}

// pack returns st packed into one word; only when c.packed is in use.
func (c *component) pack(st []int64) uint64 {
	var w uint64
	for s, n := range st {
		w |= uint64(n) << c.shift[s]
	}
	return w
}

// step returns the state after unit u takes place m in state st (st is not changed), what that saves,
// and whether the open groups can still be completed by the units after position i.
func (c *component) step(st []int64, i int, m move) ([]int64, int64, bool) {
	return c.stepInto(make([]int64, len(st)), st, i, m)
}

// stepInto is step writing the state into next, which it returns.
func (c *component) stepInto(next, st []int64, i int, m move) ([]int64, int64, bool) {
	cr := &c.rules[m.rule]
	copy(next, st)
	p := c.units[i].price
	var val int64
	switch cr.kind {
	case FixedPrice:
		next[cr.slot]++
		val = p
		if next[cr.slot] == cr.size {
			next[cr.slot] = 0
			val -= cr.price
		}
	case BuyGet:
		if st[cr.slot] >= cr.qty {
			val = percentOf(p, cr.bp)
		}
		next[cr.slot] = (st[cr.slot] + 1) % cr.size
	case Bundle:
		next[cr.slot+m.group]++
		val = p
		full := true
		for g := range cr.groups {
			full = full && next[cr.slot+g] > 0
		}
		if full {
			for g := range cr.groups {
				next[cr.slot+g]--
			}
			val -= cr.price
		}
	}
	return next, val, c.completable(next, i+1)
}

// completable reports whether units i… can still close every open group of state st.
func (c *component) completable(st []int64, i int) bool {
	for _, cr := range c.rules {
		switch cr.kind {
		case FixedPrice, BuyGet:
			if n := st[cr.slot]; n > 0 && cr.size-n > c.left[cr.slot][i] {
				return false
			}
		case Bundle:
			var most int64
			for g := range cr.groups {
				most = max(most, st[cr.slot+g])
			}
			for g := range cr.groups {
				if most-st[cr.slot+g] > c.left[cr.slot+g][i] {
					return false
				}
			}
		}
	}
	return true
}

func (c *component) key(i int, st []int64) string {
	return string(countsKey(binary.AppendUvarint(nil, uint64(i)), st))
}

// countsKey appends a compact key for a vector of counts.
func countsKey(b []byte, counts []int64) []byte {
	for _, n := range counts {
		b = binary.AppendUvarint(b, uint64(n))
	}
	return b
}

func closed(st []int64) bool {
	for _, n := range st {
		if n != 0 {
			return false
		}
	}
	return true
}
