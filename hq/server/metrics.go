package server

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The Prometheus text exposition format, version 0.0.4, written by hand: the head office needs a few
// counters, one histogram and some gauges read at scrape time, not a metrics library.

// metricsContentType is what a Prometheus server expects of a text-format scrape.
const metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// counterVec is a counter family with fixed label names; its series are made on first use (or in
// advance with add(0, …), so that a rate over them exists before the first event).
type counterVec struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	series     map[string]*series
}

type series struct {
	values []string
	n      atomic.Uint64
}

func newCounterVec(name, help string, labels ...string) *counterVec {
	return &counterVec{name: name, help: help, labels: labels, series: map[string]*series{}}
}

// add adds n to the series with the label values values (as many as the family has labels).
func (c *counterVec) add(n uint64, values ...string) {
	if len(values) != len(c.labels) {
		panic(fmt.Sprintf("metric %s: %d label values for %d labels", c.name, len(values), len(c.labels)))
	}
	key := strings.Join(values, "\xff")
	c.mu.Lock()
	s := c.series[key]
	if s == nil {
		s = &series{values: slices.Clone(values)}
		c.series[key] = s
	}
	c.mu.Unlock()
	s.n.Add(n)
}

func (c *counterVec) write(b *bytes.Buffer) {
	family(b, c.name, c.help, "counter")
	c.mu.Lock()
	keys := make([]string, 0, len(c.series))
	for k := range c.series {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	all := make([]*series, len(keys))
	for i, k := range keys {
		all[i] = c.series[k]
	}
	c.mu.Unlock()
	for _, s := range all {
		sample(b, c.name, c.labels, s.values, float64(s.n.Load()))
	}
}

// histogram is a histogram without labels: cumulative buckets by upper bound, a sum and a count.
type histogram struct {
	name, help string
	bounds     []float64 // ascending, +Inf implied
	mu         sync.Mutex
	counts     []uint64 // per bucket (not cumulative), the last for +Inf
	sum        float64
}

func newHistogram(name, help string, bounds ...float64) *histogram {
	return &histogram{name: name, help: help, bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i, _ := slices.BinarySearch(h.bounds, v) // the first bound ≥ v: le is inclusive
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.mu.Unlock()
}

func (h *histogram) write(b *bytes.Buffer) {
	h.mu.Lock()
	counts, sum := slices.Clone(h.counts), h.sum
	h.mu.Unlock()
	family(b, h.name, h.help, "histogram")
	var total uint64
	for i, n := range counts {
		total += n
		le := math.Inf(1)
		if i < len(h.bounds) {
			le = h.bounds[i]
		}
		sample(b, h.name+"_bucket", []string{"le"}, []string{formatFloat(le)}, float64(total))
	}
	sample(b, h.name+"_sum", nil, nil, sum)
	sample(b, h.name+"_count", nil, nil, float64(total))
}

// gauge writes a gauge family of one series, without labels.
func gauge(b *bytes.Buffer, name, help string, v float64) {
	family(b, name, help, "gauge")
	sample(b, name, nil, nil, v)
}

// family writes a family's HELP and TYPE lines.
func family(b *bytes.Buffer, name, help, typ string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, helpEscaper.Replace(help), name, typ)
}

// sample writes one sample line: name{label="value",…} value.
func sample(b *bytes.Buffer, name string, labels, values []string, v float64) {
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, `%s="%s"`, l, labelEscaper.Replace(values[i]))
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
