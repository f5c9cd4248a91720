package promo

import "math/bits"

// knapsack answers "what is the least the item deals can give up of their best saving and still give up
// at least need", for a 满减 tier that the best item deals would drop the basket below. That is a subset
// sum, so it is answered with the sets of amounts each part of the basket can give up, as bitsets of
// 0…width-1: only a give-up below width can pay for itself with a tier's saving, so the sets stay as
// small as the tiers' savings whatever the basket's size. A line outside every component gives up, per
// unit, nothing (its best deal), the difference to a smaller deal, or its best deal entirely; a component
// gives up, at each step of component.f's search, what a choice short of the best there costs. Prefix sets
// over the parts answer any need, and walking them back gives a choice that gives up exactly that.
type knapsack struct {
	lines []line
	comps []*component
	width int64
	parts []part              // the lines outside components, then the components
	pre   []bitset            // pre[k]: what the first k parts can give up together
	units map[int][]bitset    // per line: what its first m units can give up, for m = 0..n
	sets  []map[string]bitset // per component: what each state of component.f can give up
}

// part is a line outside every component (comp < 0) or a component (line < 0).
type part struct{ line, comp int }

func newKnapsack(lines []line, comps []*component, width int64) *knapsack {
	k := &knapsack{lines: lines, comps: comps, width: width, units: map[int][]bitset{}}
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

// least returns the least amount of at least need the item deals can give up, or -1 when every amount
// they can give up that is at least need is width or more.
func (k *knapsack) least(need int64) int64 { return k.pre[len(k.pre)-1].lowestAtLeast(need, k.width) }

// solve returns a choice of item deals that gives up exactly d of their best saving; d came from least.
func (k *knapsack) solve(d int64) solution {
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
		share := k.share(reach, k.pre[pi], d)
		if p.line >= 0 {
			k.splitUnits(p.line, k.lines[p.line].n, share, &sol)
		} else {
			k.walk(p.comp, 0, append([]int64(nil), k.comps[p.comp].n...), share, &sol)
		}
		d -= share
	}
	return sol
}

// share returns the least x in reach with d-x in rest.
func (k *knapsack) share(reach, rest bitset, d int64) int64 {
	share := int64(-1)
	reach.each(func(x int64) {
		if share < 0 && x <= d && rest.has(d-x) {
			share = x
		}
	})
	if share < 0 {
		panic("promo: a reachable give-up cannot be retraced") // the sets and the walk disagree: a bug
	}
	return share
}

// giveUps lists what one unit of line li gives up for each of its deals (in opts order) and for none.
func (k *knapsack) giveUps(li int) []int64 {
	l := &k.lines[li]
	g := make([]int64, 0, len(l.opts)+1)
	for _, o := range l.opts {
		g = append(g, l.best()-o.save)
	}
	return append(g, l.best())
}

// unitSums returns what m units of line li can give up together.
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
		for _, g := range k.giveUps(li) {
			next.orShift(last, g)
		}
		sums = append(sums, next)
	}
	k.units[li] = sums
	return sums[m]
}

// splitUnits records how m units of line li give up exactly d: unit by unit, the best deal first.
func (k *knapsack) splitUnits(li int, m, d int64, sol *solution) {
	gs := k.giveUps(li)
	for ; m > 0; m-- {
		prev := k.unitSums(li, m-1)
		for gi, g := range gs {
			if g <= d && prev.has(d-g) {
				if gi < len(k.lines[li].opts) {
					sol.take[li][gi]++
				}
				d -= g
				break
			}
		}
	}
}

// f is what component ci's remaining units can give up of their best, component.f(j, counts): rule j
// taking no more units gives up f(j) − f(j+1) and then what that state gives up; one more way p of rule
// j gives up f(j) − p.save − f(j, counts−p) and what that state gives up.
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
		here := c.f(j, counts)
		if g := here - c.f(j+1, counts); g < k.width {
			s.orShift(k.f(ci, j+1, counts), g)
		}
		for _, p := range c.rules[j].pats {
			if fits(p, counts) {
				take(p, counts, 1)
				if g := here - p.save - c.f(j, counts); g < k.width {
					s.orShift(k.f(ci, j, counts), g)
				}
				take(p, counts, -1)
			}
		}
	}
	k.sets[ci][key] = s
	return s
}

// leftover returns what the first n lines' remaining units can give up of their per-unit deals.
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

// walk records a way for the component's remaining units to give up exactly d.
func (k *knapsack) walk(ci, j int, counts []int64, d int64, sol *solution) {
	c := k.comps[ci]
	for j < len(c.rules) {
		here := c.f(j, counts)
		if g := here - c.f(j+1, counts); g <= d && k.f(ci, j+1, counts).has(d-g) {
			j++
			d -= g
			continue
		}
		found := false
		for _, p := range c.rules[j].pats {
			if !fits(p, counts) {
				continue
			}
			take(p, counts, 1)
			if g := here - p.save - c.f(j, counts); g <= d && k.f(ci, j, counts).has(d-g) {
				sol.apps = append(sol.apps, c.application(c.rules[j].rule, p))
				d -= g
				found = true
				break
			}
			take(p, counts, -1)
		}
		if !found {
			panic("promo: a reachable give-up cannot be retraced")
		}
	}
	for i := len(counts) - 1; i >= 0; i-- {
		if counts[i] == 0 {
			continue
		}
		share := k.share(k.unitSums(c.lines[i], counts[i]), k.leftover(c, counts, i), d)
		k.splitUnits(c.lines[i], counts[i], share, sol)
		d -= share
	}
}

// bitset is a set of amounts 0…width-1 (bits past width in the last word may be set; they are never asked for).
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

// lowestAtLeast returns the least member in [x, width), or -1.
func (b bitset) lowestAtLeast(x, width int64) int64 {
	if x < 0 {
		x = 0
	}
	for i := x / 64; i < int64(len(b)); i++ {
		w := b[i]
		if i == x/64 {
			w &^= 1<<(x%64) - 1
		}
		if w != 0 {
			if v := i*64 + int64(bits.TrailingZeros64(w)); v < width {
				return v
			}
			return -1
		}
	}
	return -1
}
