package promo

import (
	"math/bits"
	"slices"
)

// knapsack answers "what is the least the item deals can give up of their best saving and still give up
// at least need", for a 满减 tier that the best item deals would drop the basket below. That is a subset
// sum, so it is answered with the set of amounts the basket can give up, as bitsets of 0…width-1: only a
// give-up below width can pay for itself with a tier's saving, so the sets stay as small as the tiers'
// savings whatever the basket's size. The set is built part by part (the components, then the units of
// lines), and unit by unit within a part, so each step shifts a set by a handful of amounts and never adds
// two large sets. A unit gives up nothing (its best deal), the difference to a smaller deal, or its best
// deal entirely; a component, at each step of enumeration.f's search, what a choice short of the best
// there costs. Walking the steps back gives a choice that gives up exactly the amount found.
type knapsack struct {
	lines []line
	comps []*component
	width int64
	parts []part              // the components, then units of lines
	pre   []bitset            // pre[k]: what the parts before k can give up together; pre[len(parts)]: all
	sets  []map[string]bitset // per component: its part's pre plus what each state of enumeration.f can give up
	slab  []uint64            // where sets are cut from: one allocation for many
	spare bitset              // units' scratch
	enums []*enumeration      // per component: nil when too large to enumerate
	kept  []application       // applications of those that are never worth dropping
}

// part is n units of a line (line ≥ 0), an enumerated component (comp ≥ 0), or one application of a
// component too large to enumerate (app set), which may be dropped for its units' per-unit deals.
type part struct {
	line, comp int
	n          int64
	app        *application
	drop       int64 // what dropping app gives up
}

func newKnapsack(s *Set, lines []line, items []Item, comps []*component, width int64) *knapsack {
	k := &knapsack{lines: lines, comps: comps, width: width, sets: make([]map[string]bitset, len(comps))}
	// One cut for the prefix sets, the scratch and the first: what the check needs without enumerations.
	sets := len(comps) + 3
	for _, l := range lines {
		if l.comp < 0 && len(l.opts) > 0 {
			sets++
		}
	}
	k.slab = make([]uint64, sets*int((width+63)/64))
	acc := k.empty()
	acc.set(0)
	k.pre = append(k.pre, acc)
	var units []part
	for li, l := range lines {
		if l.comp < 0 && len(l.opts) > 0 {
			units = append(units, part{line: li, comp: -1, n: l.n})
		}
	}
	for ci, c := range comps {
		k.sets[ci] = map[string]bitset{}
		e := s.enumerate(c, lines, items, len(acc))
		k.enums = append(k.enums, e)
		if e != nil {
			k.parts = append(k.parts, part{line: -1, comp: ci})
			acc = k.f(len(k.parts)-1, ci, 0, slices.Clone(e.n))
			k.pre = append(k.pre, acc)
			continue
		}
		// Too large to enumerate: its best choice, where each application may be dropped for its units'
		// best per-unit deals and each unit outside them may take a smaller deal or none.
		best := solution{take: make([][]int64, len(lines))}
		for _, li := range c.lines {
			best.take[li] = make([]int64, len(lines[li].opts))
		}
		c.maximise(lines, &best)
		for ai := range best.apps {
			a := &best.apps[ai]
			g := a.save
			for _, u := range a.use {
				g -= u.n * lines[u.line].best()
			}
			if g >= 0 && g < width {
				k.parts = append(k.parts, part{line: -1, comp: -1, app: a, drop: g})
				next := k.clone(acc)
				next.orShift(acc, g, acc.top())
				acc = next
				k.pre = append(k.pre, acc)
			} else {
				k.kept = append(k.kept, *a)
			}
		}
		for _, li := range c.lines {
			if len(best.take[li]) > 0 && best.take[li][0] > 0 {
				units = append(units, part{line: li, comp: -1, n: best.take[li][0]})
			}
		}
	}
	// The lines whose deals give up least first: the set stays narrow for longest, and each step costs
	// only up to its highest member.
	slices.SortStableFunc(units, func(a, b part) int { return cmpInt(lines[a.line].best(), lines[b.line].best()) })
	for _, p := range units {
		k.parts = append(k.parts, p)
		acc = k.units(k.clone(acc), p.line, p.n, nil)
		k.pre = append(k.pre, acc)
	}
	return k
}

// empty returns an empty set, cut from the slab.
func (k *knapsack) empty() bitset {
	n := int((k.width + 63) / 64)
	if len(k.slab) < n {
		k.slab = make([]uint64, 16*n)
	}
	b := bitset(k.slab[:n:n])
	k.slab = k.slab[n:]
	return b
}

func (k *knapsack) clone(b bitset) bitset {
	c := k.empty()
	copy(c, b)
	return c
}

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
		switch {
		case p.line >= 0:
			d = k.unwindUnits(k.pre[pi], []int{p.line}, []int64{p.n}, d, &sol)
		case p.comp >= 0:
			d = k.walk(pi, p.comp, slices.Clone(k.enums[p.comp].n), d, &sol)
		case k.pre[pi].has(d):
			sol.apps = append(sol.apps, *p.app)
		default:
			d -= p.drop
			for _, u := range p.app.use {
				if len(k.lines[u.line].opts) > 0 {
					sol.take[u.line][0] += u.n
				}
			}
		}
	}
	if d != 0 {
		panic("promo: a give-up was not retraced to zero") // the sets and the walk disagree: a bug
	}
	sol.apps = append(sol.apps, k.kept...)
	return sol
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

// units adds to acc, in place, what m units of line li can give up, one unit at a time, and returns
// it; a copy of each step's set is appended to steps when steps is not nil.
func (k *knapsack) units(acc bitset, li int, m int64, steps *[]bitset) bitset {
	gs := k.giveUps(li) // gs[0] is 0: the unit keeps its best deal
	var most int64
	for _, g := range gs {
		most = max(most, g)
	}
	if k.spare == nil {
		k.spare = k.empty()
	}
	before := k.spare
	top := acc.top()
	for range m {
		if most > 0 && top >= 0 {
			copy(before, acc[:min(top/64+2, int64(len(acc)))]) // the word above top too: zero, over what an earlier use left
			for _, g := range gs {
				if g > 0 && g < k.width {
					acc.orShift(before, g, top)
				}
			}
			top = min(top+most, k.width-1+63)
		}
		if steps != nil {
			*steps = append(*steps, k.clone(acc))
		}
	}
	return acc
}

// unwindUnits takes back, from the last unit to the first, the units of lines (m[i] of lines[i]) that
// were added to from: it records each unit's choice in sol and returns what is left of d for from.
func (k *knapsack) unwindUnits(from bitset, lines []int, m []int64, d int64, sol *solution) int64 {
	steps := []bitset{from}
	for i, li := range lines {
		k.units(k.clone(steps[len(steps)-1]), li, m[i], &steps)
	}
	s := len(steps) - 1
	for i := len(lines) - 1; i >= 0; i-- {
		gs := k.giveUps(lines[i])
		for range m[i] {
			s--
			found := false
			for gi, g := range gs {
				if g <= d && steps[s].has(d-g) {
					if gi < len(k.lines[lines[i]].opts) {
						sol.take[lines[i]][gi]++
					}
					d -= g
					found = true
					break
				}
			}
			if !found {
				panic("promo: a unit's give-up cannot be retraced")
			}
		}
	}
	return d
}

// f is pre[pk] plus what enumerated component ci's remaining units can give up of their best,
// enumeration.f(j, counts): rule j taking no more units gives up f(j) − f(j+1) and then what that state
// gives up; one more way p of rule j gives up f(j) − p.save − f(j, counts−p) and what that state gives up.
func (k *knapsack) f(pk, ci, j int, counts []int64) bitset {
	e := k.enums[ci]
	key := e.key(j, counts)
	if s, ok := k.sets[ci][key]; ok {
		return s
	}
	var s bitset
	if j == len(e.rules) {
		s = k.clone(k.pre[pk])
		for i, n := range counts {
			s = k.units(s, e.lines[i], n, nil)
		}
	} else {
		s = k.empty()
		here := e.f(j, counts)
		if g := here - e.f(j+1, counts); g < k.width {
			src := k.f(pk, ci, j+1, counts)
			s.orShift(src, g, src.top())
		}
		for _, p := range e.rules[j].pats {
			if fits(p, counts) {
				take(p, counts, 1)
				if g := here - p.save - e.f(j, counts); g < k.width {
					src := k.f(pk, ci, j, counts)
					s.orShift(src, g, src.top())
				}
				take(p, counts, -1)
			}
		}
	}
	k.sets[ci][key] = s
	return s
}

// walk records a way for enumerated component ci (part pk) to give up part of d, such that what is left
// of d, which it returns, is in pre[pk].
func (k *knapsack) walk(pk, ci int, counts []int64, d int64, sol *solution) int64 {
	e := k.enums[ci]
	for j := 0; j < len(e.rules); {
		here := e.f(j, counts)
		if g := here - e.f(j+1, counts); g <= d && k.f(pk, ci, j+1, counts).has(d-g) {
			j++
			d -= g
			continue
		}
		found := false
		for _, p := range e.rules[j].pats {
			if !fits(p, counts) {
				continue
			}
			take(p, counts, 1)
			if g := here - p.save - e.f(j, counts); g <= d && k.f(pk, ci, j, counts).has(d-g) {
				sol.apps = append(sol.apps, e.application(e.rules[j].rule, p))
				d -= g
				found = true
				break
			}
			take(p, counts, -1)
		}
		if !found {
			panic("promo: a component's give-up cannot be retraced")
		}
	}
	return k.unwindUnits(k.pre[pk], e.lines, counts, d, sol)
}

// bitset is a set of amounts 0…width-1 (bits past width in the last word may be set; they are never asked for).
type bitset []uint64

func (b bitset) set(i int64)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int64) bool { return i >= 0 && i/64 < int64(len(b)) && b[i/64]&(1<<(i%64)) != 0 }

// orShift adds src+k to b, dropping what falls beyond b's words; src has no member above srcTop.
func (b bitset) orShift(src bitset, k, srcTop int64) {
	words, shift := int(k/64), uint(k%64)
	for i := min(len(b)-1, int((srcTop+k)/64)); i >= words; i-- {
		v := src[i-words] << shift
		if shift > 0 && i-words-1 >= 0 {
			v |= src[i-words-1] >> (64 - shift)
		}
		b[i] |= v
	}
}

// top returns the largest member, or -1.
func (b bitset) top() int64 {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0 {
			return int64(i)*64 + int64(63-bits.LeadingZeros64(b[i]))
		}
	}
	return -1
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
