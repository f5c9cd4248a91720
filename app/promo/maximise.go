package promo

// maximise finds the component's best choice of deals, adds it to sol and returns what it saves.
func (c *component) maximise(lines []line, sol *solution) int64 {
	st := make([]int64, c.width)
	v := c.f(lines, 0, st)
	var placed []placement
	for i := range c.units {
		want := c.f(lines, i, st)
		u := c.units[i]
		if lines[u.line].best()+c.f(lines, i+1, st) == want {
			if lines[u.line].best() > 0 {
				sol.take[u.line][0]++
			}
			continue
		}
		found := false
		for _, m := range u.moves {
			next, val, ok := c.step(st, i, m)
			if ok && val+c.f(lines, i+1, next) == want {
				placed = append(placed, placement{i, m})
				st, found = next, true
				break
			}
		}
		if !found {
			panic("promo: the best choice cannot be retraced") // f and this walk disagree: a bug, not bad input
		}
	}
	sol.apps = append(sol.apps, c.applications(placed)...)
	return v
}

// f is the most units i… can save from state st, or noWay when they cannot close its open groups. Each
// unit takes its best per-unit deal (first, so a tie keeps it) or a place in a multi-unit deal.
func (c *component) f(lines []line, i int, st []int64) int64 {
	if i == len(c.units) {
		if closed(st) {
			return 0
		}
		return noWay
	}
	var k string
	var pk packedKey
	if c.packed != nil {
		pk = packedKey{i, c.pack(st)}
		if v, ok := c.packed[pk]; ok {
			return v
		}
	} else {
		k = c.key(i, st)
		if v, ok := c.memo[k]; ok {
			return v
		}
	}
	u := c.units[i]
	v := c.f(lines, i+1, st)
	if v != noWay {
		v += lines[u.line].best()
	}
	if c.next == nil {
		c.next = make([][]int64, len(c.units))
		for j := range c.next {
			c.next[j] = make([]int64, c.width)
		}
	}
	for _, m := range u.moves {
		if next, val, ok := c.stepInto(c.next[i], st, i, m); ok {
			if w := c.f(lines, i+1, next); w != noWay && val+w > v {
				v = val + w
			}
		}
	}
	if c.packed != nil {
		c.packed[pk] = v
	} else {
		c.memo[k] = v
	}
	return v
}

// placement is a unit (by position) given a place in a multi-unit deal.
type placement struct {
	unit int
	move move
}

// applications groups the placed units, in price order, into the applications the counters closed: Qty
// or Qty+Free at a time for a fixed price or a buy-get, the n-th unit of each group for a bundle.
func (c *component) applications(placed []placement) []application {
	var apps []application
	for ri, cr := range c.rules {
		groups := make([][]int, cr.groups)
		for _, p := range placed {
			if p.move.rule == ri {
				groups[p.move.group] = append(groups[p.move.group], p.unit)
			}
		}
		var sets [][]int
		switch cr.kind {
		case FixedPrice, BuyGet:
			for at := 0; at+int(cr.size) <= len(groups[0]); at += int(cr.size) {
				sets = append(sets, groups[0][at:at+int(cr.size)])
			}
		case Bundle:
			for n := range len(groups[0]) {
				var set []int
				for g := range groups {
					set = append(set, groups[g][n])
				}
				sets = append(sets, set)
			}
		}
		for _, set := range sets {
			a := application{rule: cr.rule}
			var sum int64
			for k, ui := range set {
				u := c.units[ui]
				sum += u.price
				if cr.kind == BuyGet && int64(k) >= cr.qty {
					a.save += percentOf(u.price, cr.bp)
				}
				if n := len(a.use); n > 0 && a.use[n-1].line == u.line {
					a.use[n-1].n++
				} else {
					a.use = append(a.use, lineUse{u.line, 1})
				}
			}
			if cr.kind != BuyGet {
				a.save = sum - cr.price
			}
			apps = append(apps, a)
		}
	}
	return apps
}
