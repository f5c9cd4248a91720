package main

import (
	"fmt"
	"slices"
	"strings"

	"checkout/cmd/benchtable/idle"
)

// A figure is one row of the table: a benchmark's metric as p50 (or its one value), the tail percentiles
// beside it, and the targets it is judged by.
type figure struct {
	words   string   // what the figure is, in words
	bench   string   // the benchmark, as go test names it without the -cpu suffix
	p50     string   // the unit of the metric in the p50 column
	tail    []string // the units of the metrics in the p95/p99 column
	targets []target // all must be met; none: the figure is printed without a verdict
}

// A target is a limit on one metric's median over the runs.
type target struct {
	metric string
	op     op
	limit  float64 // in seconds for a time metric, else in the metric's unit
}

type op int

const (
	below   op = iota // <
	atMost            // ≤
	atLeast           // ≥, for rates
)

func (o op) String() string { return [...]string{"<", "≤", "≥"}[o] }

func (t target) met(v float64) bool {
	switch t.op {
	case below:
		return v < t.limit
	case atMost:
		return v <= t.limit
	default:
		return v >= t.limit
	}
}

// A stat is a metric over a benchmark's runs: the median and the smallest and largest value.
type stat struct {
	median, min, max float64
	n                int
}

// summarize returns the metric's stat over the runs that reported it (n 0: none did). Time metrics are
// in seconds.
func summarize(runs []run, unit string) stat {
	var vs []float64
	for _, r := range runs {
		if v, ok := r.values[unit]; ok {
			vs = append(vs, v*seconds(unit))
		}
	}
	if len(vs) == 0 {
		return stat{}
	}
	slices.Sort(vs)
	m := vs[len(vs)/2]
	if len(vs)%2 == 0 {
		m = (vs[len(vs)/2-1] + m) / 2
	}
	return stat{median: m, min: vs[0], max: vs[len(vs)-1], n: len(vs)}
}

// verdict judges a figure from its benchmark's runs: "met", "not met: …", or "not judged: …" when a run
// started on a busy machine (idle.MaxLoad) or did not say how busy (a benchmark without idle.Wait). A
// figure without targets has none.
func verdict(f figure, runs []run) string {
	if len(f.targets) == 0 {
		return ""
	}
	if len(runs) == 0 {
		return "not run"
	}
	busiest := 0.0
	for _, r := range runs {
		load, ok := r.values[idle.Metric]
		if !ok {
			return "not judged: load unknown"
		}
		busiest = max(busiest, load)
	}
	if busiest > idle.MaxLoad {
		return fmt.Sprintf("not judged: load %.2f", busiest)
	}
	var missed []string
	for _, t := range f.targets {
		s := summarize(runs, t.metric)
		if s.n == 0 {
			return "not judged: no " + t.metric
		}
		if !t.met(s.median) {
			missed = append(missed, strings.TrimSpace(label(t.metric)+" "+formatValue(t.metric, s.median)))
		}
	}
	if len(missed) > 0 {
		return "not met: " + strings.Join(missed, ", ")
	}
	return "met"
}
