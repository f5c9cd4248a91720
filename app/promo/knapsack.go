package promo

import "math/bits"

// knapsack answers "what is the most the item deals can save without saving more than limit", for a 满减
// tier that the best item deals would drop the basket below. That is a subset-sum question, so it is
// answered with the sets of savings each part of the basket can reach, as bitsets up to the largest limit
// asked: a line outside every component reaches the sums of its units' per-unit deals (any unit may also
// take none, or a smaller deal); a component, what its multi-unit ways add to those. Prefix sets over the
// parts then give the answer for any limit, and walking them back gives a choice that reaches it.
type knapsack struct {
	lines []line
	comps []*component
	width int64               // bits per set: 0..limit
	parts []part              // the lines outside components, then the components
	pre   []bitset            // pre[k]: the sums the first k parts reach
	units map[int][]bitset    // per line: the sums of its first m units, for m = 0..n
	sets  []map[string]bitset // per component: f of the memo, as sets
}

// part is a line outside every component (comp < 0) or a component (line < 0).
type part struct{ line, comp int }

func newKnapsack(lines []line, comps []*component, limit int64) *knapsack {
	k := &knapsack{lines: lines, comps: comps, width: limit + 1, units: map[int][]bitset{}}
	k.sets = make([]map[string]bitset, len(comps))
	for i := range comps {
		k.sets[i] = map[string]bitset{}
	}
	acc := k.empty()
	acc.set(0)
	k.pre = append(k.pre, acc)
	add := func(p part, reach bitset) {
		next := k.empty()
		reach.each(func(v int64) { next.orShift(acc, v) })
		acc = next
		k.parts = append(k.parts, p)
		k.pre = append(k.pre, acc)
	}
	for li, l := range lines {
		if l.comp < 0 && len(l.opts) > 0 {
			add(part{li, -1}, k.unitSums(li, l.n))
		}
	}
	for ci, c := range comps {
		add(part{-1, ci}, k.f(ci, 0, append([]int64(nil), c.n...)))
	}
	return k
}

func (k *knapsack) empty() bitset { return make(bitset, (k.width+63)/64) }

// best returns the most the item deals can save without saving more than limit.
func (k *knapsack) best(limit int64) int64 { return k.pre[len(k.pre)-1].highestAtMost(limit) }

// solve returns a choice of item deals that saves exactly v, which best returned.
func (k *knapsack) solve(v int64) solution {
	sol := solution{take: make([][]int64, len(k.lines))}
	for i := range k.lines {
		sol.take[i] = make([]int64, len(k.lines[i].opts))
	}
	for pi := len(k.parts) - 1; pi >= 0; pi-- {
		p := k.parts[pi]
		var reach bitset
		if p.line >= 0 {
			reach = k.unitSums(p.line, k.lines[p.line].n)
		} else {
			reach = k.f(p.comp, 0, append([]int64(nil), k.comps[p.comp].n...))
		}
		// The smallest share this part can take that the parts before it can complete.
		share := int64(-1)
		reach.each(func(x int64) {
			if share < 0 && x <= v && k.pre[pi].has(v-x) {
				share = x
			}
		})
		if p.line >= 0 {
			k.splitUnits(p.line, k.lines[p.line].n, share, &sol)
		} else {
			k.walk(p.comp, 0, append([]int64(nil), k.comps[p.comp].n...), share, &sol)
		}
		v -= share
	}
	return sol
}

// unitSums returns the sums m units of line li reach, each taking one of its per-unit deals or none.
func (k *knapsack) unitSums(li int, m int64) bitset {
	sums := k.units[li]
	if sums == nil {
		first := k.empty()
		first.set(0)
		sums = []bitset{first}
	}
	for int64(len(sums)) <= m {
		last := sums[len(sums)-1]
		next := k.empty()
		next.orShift(last, 0)
		for _, o := range k.lines[li].opts {
			next.orShift(last, o.save)
		}
		sums = append(sums, next)
	}
	k.units[li] = sums
	return sums[m]
}

// splitUnits records how m units of line li reach v: unit by unit, no deal first, then the larger deals.
func (k *knapsack) splitUnits(li int, m, v int64, sol *solution) {
	for ; m > 0; m-- {
		prev := k.unitSums(li, m-1)
		if prev.has(v) {
			continue
		}
		for oi, o := range k.lines[li].opts {
			if o.save <= v && prev.has(v-o.save) {
				sol.take[li][oi]++
				v -= o.save
				break
			}
		}
	}
}

// f is component.f as a set: every saving the remaining units reach, with any way of every rule.
func (k *knapsack) f(ci, j int, counts []int64) bitset {
	c := k.comps[ci]
	key := c.key(j, counts)
	if s, ok := k.sets[ci][key]; ok {
		return s
	}
	var s bitset
	if j == len(c.rules) {
		s = k.leftover(c, counts, len(counts))
	} else {
		s = k.empty()
		s.orShift(k.f(ci, j+1, counts), 0)
		for _, p := range c.rules[j].pats {
			if fits(p, counts) {
				take(p, counts, 1)
				s.orShift(k.f(ci, j, counts), p.save)
				take(p, counts, -1)
			}
		}
	}
	k.sets[ci][key] = s
	return s
}

// leftover returns the sums the first n lines' remaining units reach by per-unit deals.
func (k *knapsack) leftover(c *component, counts []int64, n int) bitset {
	acc := k.empty()
	acc.set(0)
	for i := range n {
		next := k.empty()
		k.unitSums(c.lines[i], counts[i]).each(func(v int64) { next.orShift(acc, v) })
		acc = next
	}
	return acc
}

// walk records a way for the component's remaining units to save exactly v.
func (k *knapsack) walk(ci, j int, counts []int64, v int64, sol *solution) {
	c := k.comps[ci]
	for j < len(c.rules) {
		if k.f(ci, j+1, counts).has(v) {
			j++
			continue
		}
		found := false
		for _, p := range c.rules[j].pats {
			if fits(p, counts) && p.save <= v {
				take(p, counts, 1)
				if k.f(ci, j, counts).has(v - p.save) {
					sol.apps = append(sol.apps, c.application(c.rules[j].rule, p))
					v -= p.save
					found = true
					break
				}
				take(p, counts, -1)
			}
		}
		if !found {
			panic("promo: a reachable saving cannot be retraced")
		}
	}
	for i := len(counts) - 1; i >= 0; i-- {
		before := k.leftover(c, counts, i)
		share := int64(-1)
		k.unitSums(c.lines[i], counts[i]).each(func(x int64) {
			if share < 0 && x <= v && before.has(v-x) {
				share = x
			}
		})
		k.splitUnits(c.lines[i], counts[i], share, sol)
		v -= share
	}
}

// bitset is a set of savings 0…width-1.
type bitset []uint64

func (b bitset) set(i int64)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int64) bool { return i >= 0 && i/64 < int64(len(b)) && b[i/64]&(1<<(i%64)) != 0 }

// orShift adds src+k to b, dropping what falls beyond b's words; bits past the width are never asked for.
func (b bitset) orShift(src bitset, k int64) {
	words, shift := int(k/64), uint(k%64)
	for i := len(b) - 1; i >= words; i-- {
		v := src[i-words] << shift
		if shift > 0 && i-words-1 >= 0 {
			v |= src[i-words-1] >> (64 - shift)
		}
		b[i] |= v
	}
}

// each calls fn for every member, ascending.
func (b bitset) each(fn func(int64)) {
	for i, w := range b {
		for w != 0 {
			fn(int64(i)*64 + int64(bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}

// highestAtMost returns the largest member ≤ x, or -1.
func (b bitset) highestAtMost(x int64) int64 {
	if x < 0 {
		return -1
	}
	i := min(x/64, int64(len(b))-1)
	if i < x/64 {
		x = i*64 + 63
	}
	for ; i >= 0; i-- {
		w := b[i]
		if i == x/64 && x%64 < 63 {
			w &= 1<<(x%64+1) - 1
		}
		if w != 0 {
			return i*64 + int64(63-bits.LeadingZeros64(w))
		}
	}
	return -1
}
