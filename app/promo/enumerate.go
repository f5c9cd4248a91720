package promo

import "slices"

// enumeration is a component searched by its applications rather than unit by unit: every way each
// multi-unit deal can be applied, with any grouping of the units, each application saving. It is what the
// 满减 check needs: there, choices short of the best count too, and among those the grouping matters (two
// buy-one-get-one-half-price pairs save differently as (8,8)(6,5) or (8,6)(8,5)) and each application must
// still save on its own. It is exponential in the lines, so it is only made for small components.
type enumeration struct {
	lines []int // the component's lines
	n     []int64
	best  []int64 // per local line: its best per-unit saving
	rules []enumRule
	memo  map[string]int64
}

// enumRule is a multi-unit deal with every way one application of it can take the component's units.
type enumRule struct {
	rule int
	pats []pattern // every way that saves
	good []pattern // those that save more than their units would by per-unit deals
}

type pattern struct {
	use  []int64 // units per local line
	save int64
}

// Limits of an enumeration: the states (counts left per line, per rule), the words of the 满减 check's
// sets over them, and the steps spent listing the ways to apply the deals. A component beyond them enters
// the 满减 check as its best choice, whose applications may be dropped.
const (
	enumerationStates = 1 << 12
	enumerationWords  = 1 << 21 // 16 MiB
	enumerationSteps  = 1 << 15
)

// enumerate returns c as an enumeration, or nil when it is too large for the check's sets of words words.
func (s *Set) enumerate(c *component, lines []line, items []Item, words int) *enumeration {
	limit := min(enumerationStates, enumerationWords/max(words, 1))
	states := len(c.rules) + 1
	for _, li := range c.lines {
		states *= int(lines[li].n + 1)
		if states > limit {
			return nil
		}
	}
	e := &enumeration{lines: c.lines, memo: map[string]int64{}}
	local := make([]int, len(lines))
	for i, li := range c.lines {
		local[li] = i
		e.n = append(e.n, lines[li].n)
		e.best = append(e.best, lines[li].best())
	}
	steps := enumerationSteps
	for _, cr := range c.rules {
		var groups [][]int
		for _, m := range s.targets[cr.rule] {
			var g []int
			for _, li := range c.lines {
				if it := items[lines[li].item]; !it.Weighed && m.takes(it) {
					g = append(g, li)
				}
			}
			groups = append(groups, g)
		}
		pats, ok := s.patterns(cr.rule, groups, lines, local, c.lines, &steps)
		if !ok {
			return nil
		}
		er := enumRule{rule: cr.rule, pats: pats}
		for _, p := range pats {
			var alone int64
			for i, u := range p.use {
				alone += u * e.best[i]
			}
			if p.save > alone {
				er.good = append(er.good, p)
			}
		}
		e.rules = append(e.rules, er)
	}
	return e
}

// patterns lists the ways one application of multi-unit rule r can take units of the lines, each once,
// with what it saves; only those that save. It gives up (false) when it has spent the steps.
func (s *Set) patterns(r int, groups [][]int, lines []line, local, compLines []int, steps *int) ([]pattern, bool) {
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
			if *steps--; *steps < 0 {
				return
			}
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
			if *steps--; *steps < 0 {
				return
			}
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
	return out, *steps >= 0
}

func (e *enumeration) key(j int, counts []int64) string {
	return string(countsKey([]byte{byte(j)}, counts))
}

func fits(p pattern, counts []int64) bool {
	for i, u := range p.use {
		if u > counts[i] {
			return false
		}
	}
	return true
}

func take(p pattern, counts []int64, sign int64) {
	for i, u := range p.use {
		counts[i] -= sign * u
	}
}

// f is the most the remaining units can save with multi-unit rules j… still to decide: either rule j
// takes no more units (f(j+1, counts)), or it is applied once more in one of its ways; units no rule
// takes keep their best per-unit deal. A way that saves no more than its units would by per-unit deals is
// never worth taking, so only the good ways are tried. Memoised on the counts left per line.
func (e *enumeration) f(j int, counts []int64) int64 {
	if j == len(e.rules) {
		var v int64
		for i, n := range counts {
			v += n * e.best[i]
		}
		return v
	}
	k := e.key(j, counts)
	if v, ok := e.memo[k]; ok {
		return v
	}
	v := e.f(j+1, counts)
	for _, p := range e.rules[j].good {
		if fits(p, counts) {
			take(p, counts, 1)
			v = max(v, p.save+e.f(j, counts))
			take(p, counts, -1)
		}
	}
	e.memo[k] = v
	return v
}

func (e *enumeration) application(rule int, p pattern) application {
	a := application{rule: rule, save: p.save}
	for i, u := range p.use {
		if u > 0 {
			a.use = append(a.use, lineUse{e.lines[i], u})
		}
	}
	return a
}
