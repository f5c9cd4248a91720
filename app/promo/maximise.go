package promo

// maximise finds the component's best choice of deals, adds it to sol and returns what it saves.
//
// f(j, counts) is the most the remaining units can save with multi-unit rules j… still to decide: either
// rule j takes no more units (f(j+1, counts)), or it is applied once more in one of its ways. Units no rule
// takes keep their best per-unit deal. A way that saves no more than its units would by their per-unit
// deals is never worth taking, so only the good ways are tried. The units of a line are interchangeable,
// so the state is the count left of each line and the memo keeps it small.
func (c *component) maximise(lines []line, sol *solution) int64 {
	counts := append([]int64(nil), c.n...)
	v := c.f(0, counts)
	c.walk(0, counts, lines, sol)
	return v
}

func (c *component) key(j int, counts []int64) string {
	return string(countsKey([]byte{byte(j)}, counts))
}

func (c *component) leftover(counts []int64) int64 {
	var v int64
	for i, n := range counts {
		v += n * c.best[i]
	}
	return v
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

func (c *component) f(j int, counts []int64) int64 {
	if j == len(c.rules) {
		return c.leftover(counts)
	}
	k := c.key(j, counts)
	if v, ok := c.memo[k]; ok {
		return v
	}
	v := c.f(j+1, counts)
	for _, p := range c.rules[j].good {
		if fits(p, counts) {
			take(p, counts, 1)
			v = max(v, p.save+c.f(j, counts))
			take(p, counts, -1)
		}
	}
	c.memo[k] = v
	return v
}

// walk records in sol the choice f found: the first of the equal best, so ties fall the same way each time.
func (c *component) walk(j int, counts []int64, lines []line, sol *solution) {
	for j < len(c.rules) {
		want := c.f(j, counts)
		if c.f(j+1, counts) == want {
			j++
			continue
		}
		found := false
		for _, p := range c.rules[j].good {
			if fits(p, counts) {
				take(p, counts, 1)
				if p.save+c.f(j, counts) == want {
					sol.apps = append(sol.apps, c.application(c.rules[j].rule, p))
					found = true
					break
				}
				take(p, counts, -1)
			}
		}
		if !found {
			panic("promo: the best choice cannot be retraced") // f and walk disagree: a bug, not bad input
		}
	}
	for i, n := range counts {
		if n > 0 && c.best[i] > 0 {
			sol.take[c.lines[i]][0] += n
		}
	}
}

func (c *component) application(rule int, p pattern) application {
	a := application{rule: rule, save: p.save}
	for i, u := range p.use {
		if u > 0 {
			a.use = append(a.use, lineUse{c.lines[i], u})
		}
	}
	return a
}
