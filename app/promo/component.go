package promo

import (
	"encoding/binary"
	"slices"
)

// component is a set of lines that multi-unit deals tie together (rules sharing units), with those deals.
// Components are independent of each other: the best choice for the basket is the best choice for each.
type component struct {
	lines []int // indexes into the basket's lines
	n     []int64
	rules []compRule
	best  []int64 // per local line: its best per-unit saving
	memo  map[string]int64
}

// compRule is a multi-unit deal with every way one application of it can take the component's units.
type compRule struct {
	rule int
	pats []pattern // every way that saves
	good []pattern // those that save more than their units would by per-unit deals
}

type pattern struct {
	use  []int64 // units per local line
	save int64
}

// components groups the lines that multi-unit deals can take into independent components and lists each
// deal's ways of applying. A deal that cannot be filled from the basket joins nothing.
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
	for _, r := range multi {
		rule := &s.rules[r]
		tk := taking{rule: r}
		seen := map[int]bool{}
		for _, m := range s.targets[r] {
			var g []int
			for li, l := range lines {
				if !items[l.item].Weighed && m.takes(items[l.item]) {
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
		for _, li := range tk.all[1:] {
			parent[find(li)] = find(tk.all[0])
		}
		takings = append(takings, tk)
	}
	byRoot := map[int]*component{}
	var comps []*component
	local := make([]int, len(lines))
	for _, tk := range takings {
		root := find(tk.all[0])
		c := byRoot[root]
		if c == nil {
			c = &component{memo: map[string]int64{}}
			for li := range lines {
				if find(li) == root {
					local[li] = len(c.lines)
					c.lines = append(c.lines, li)
					c.n = append(c.n, lines[li].n)
					c.best = append(c.best, lines[li].best())
					lines[li].comp = len(comps)
				}
			}
			byRoot[root] = c
			comps = append(comps, c)
		}
		cr := compRule{rule: tk.rule}
		for _, p := range s.patterns(tk.rule, tk.groups, lines, local, c.lines) {
			cr.pats = append(cr.pats, p)
			var alone int64
			for i, u := range p.use {
				alone += u * c.best[i]
			}
			if p.save > alone {
				cr.good = append(cr.good, p)
			}
		}
		if len(cr.pats) > 0 {
			c.rules = append(c.rules, cr)
		}
	}
	return comps
}

// patterns lists the ways one application of multi-unit rule r can take units of the lines, each once,
// with what it saves; only those that save.
func (s *Set) patterns(r int, groups [][]int, lines []line, local, compLines []int) []pattern {
	rule := &s.rules[r]
	var out []pattern
	seen := map[string]bool{}
	use := make([]int64, len(compLines))
	emit := func() {
		key := string(countsKey(nil, use))
		if seen[key] {
			return // a bundle can reach one set of units by more than one path
		}
		seen[key] = true
		var prices []int64
		for i, u := range use {
			for range u {
				prices = append(prices, lines[compLines[i]].price)
			}
		}
		var sum, save int64
		for _, p := range prices {
			sum += p
		}
		switch rule.Kind {
		case FixedPrice, Bundle:
			save = sum - rule.Price
		case BuyGet:
			slices.Sort(prices) // the cheapest units are the discounted ones
			for _, p := range prices[:rule.Free] {
				save += percentOf(p, rule.PercentBP)
			}
		}
		if save > 0 {
			out = append(out, pattern{use: slices.Clone(use), save: save})
		}
	}
	switch rule.Kind {
	case FixedPrice, BuyGet:
		size := rule.Qty
		if rule.Kind == BuyGet {
			size += rule.Free
		}
		elig := groups[0]
		var fill func(k int, left int64)
		fill = func(k int, left int64) {
			if left == 0 {
				emit()
				return
			}
			if k == len(elig) {
				return
			}
			li := elig[k]
			for u := min(left, lines[li].n); u >= 0; u-- {
				use[local[li]] = u
				fill(k+1, left-u)
			}
			use[local[li]] = 0
		}
		fill(0, size)
	case Bundle:
		var pick func(g int)
		pick = func(g int) {
			if g == len(groups) {
				emit()
				return
			}
			for _, li := range groups[g] {
				if use[local[li]] < lines[li].n {
					use[local[li]]++
					pick(g + 1)
					use[local[li]]--
				}
			}
		}
		pick(0)
	}
	return out
}

// countsKey appends a compact key for a vector of unit counts.
func countsKey(b []byte, counts []int64) []byte {
	for _, n := range counts {
		b = binary.AppendUvarint(b, uint64(n))
	}
	return b
}
