package main

import (
	"strings"
	"testing"
)

// runs makes one run per value of the metric, each started at the given load.
func runs(unit string, load float64, values ...float64) []run {
	var rs []run
	for _, v := range values {
		rs = append(rs, run{iterations: 1, units: []string{"load1", unit}, values: map[string]float64{"load1": load, unit: v}})
	}
	return rs
}

func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		name   string
		unit   string
		values []float64
		want   stat
	}{
		{"three runs: the middle one", "rows/s", []float64{120, 100, 150}, stat{120, 100, 150, 3}},
		{"two runs: their mean", "rows/s", []float64{100, 150}, stat{125, 100, 150, 2}},
		{"one run", "rows/s", []float64{90}, stat{90, 90, 90, 1}},
		{"milliseconds in seconds", "p95-ms", []float64{30, 10, 20}, stat{0.020, 0.010, 0.030, 3}},
		{"microseconds in seconds", "p99-µs", []float64{500}, stat{0.0005, 0.0005, 0.0005, 1}},
		{"ns/op in seconds", "ns/op", []float64{3e8}, stat{0.3, 0.3, 0.3, 1}},
	} {
		got := summarize(runs(c.unit, 0, c.values...), c.unit)
		near := func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
		if got.n != c.want.n || !near(got.median, c.want.median) || !near(got.min, c.want.min) || !near(got.max, c.want.max) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if s := summarize(runs("p50-ms", 0, 1), "p95-ms"); s.n != 0 {
		t.Errorf("a metric no run reported: %+v", s)
	}
}

func TestVerdict(t *testing.T) {
	p95 := figure{targets: []target{{"p95-ms", below, 30 * ms}}}
	ratio := figure{targets: []target{{"ratio-p50", atMost, 1.5}}}
	rate := figure{targets: []target{{"rows/s", atLeast, 100_000}}}
	search := figure{targets: []target{{"p95-µs", below, 5 * ms}, {"p99-µs", below, 10 * ms}}}
	two := func(p95, p99 float64) []run {
		return []run{{values: map[string]float64{"load1": 0.1, "p95-µs": p95, "p99-µs": p99}}}
	}
	for _, c := range []struct {
		name string
		f    figure
		runs []run
		want string
	}{
		{"below the limit", p95, runs("p95-ms", 0.2, 29.9), "met"},
		{"< : at the limit is not met", p95, runs("p95-ms", 0.2, 30), "not met: p95 30.0 ms"},
		{"the median judged, not the best run", p95, runs("p95-ms", 0.2, 20, 31, 32), "not met: p95 31.0 ms"},
		{"the median judged, not the worst run", p95, runs("p95-ms", 0.2, 20, 25, 45), "met"},
		{"≤ : at the limit is met", ratio, runs("ratio-p50", 0.1, 1.5), "met"},
		{"≤ : above it is not", ratio, runs("ratio-p50", 0.1, 1.51), "not met: p50 1.51×"},
		{"≥ : a rate at the limit is met", rate, runs("rows/s", 0.1, 100_000), "met"},
		{"≥ : a rate below it is not", rate, runs("rows/s", 0.1, 99_999), "not met: 99,999 rows/s"},
		{"every target must be met", search, two(4000, 11000), "not met: p99 11.0 ms"},
		{"both met", search, two(4000, 9000), "met"},
		{"load above 0.5: not judged, however good", p95, runs("p95-ms", 0.51, 1), "not judged: load 0.51"},
		{"load above 0.5: not judged, however bad", p95, runs("p95-ms", 1.3, 100), "not judged: load 1.30"},
		{"load at 0.5 is judged", p95, runs("p95-ms", 0.5, 1), "met"},
		{"one busy run of three is enough to refuse",
			p95, append(runs("p95-ms", 0.1, 1, 1), runs("p95-ms", 0.9, 1)...), "not judged: load 0.90"},
		{"a run that did not say its load", p95, []run{{values: map[string]float64{"p95-ms": 1}}}, "not judged: load unknown"},
		{"the metric missing", p95, runs("p50-ms", 0.1, 1), "not judged: no p95-ms"},
		{"no runs", p95, nil, "not run"},
		{"no target", figure{}, runs("p95-ms", 2, 100), ""},
	} {
		if got := verdict(c.f, c.runs); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		unit string
		s    stat
		want string
	}{
		{"p95-ms", stat{0.0123, 0.0118, 0.0131, 3}, "12.3 ms (11.8–13.1)"},
		{"p99-µs", stat{0.000412, 0.0004, 0.00045, 3}, "412 µs (400–450)"},
		{"verify-s", stat{2.5, 2.5, 2.5, 1}, "2.50 s"},
		{"rows/s", stat{1234567, 1200000, 1300000, 3}, "1,234,567 rows/s (1,200,000–1,300,000)"},
		{"peak-rss-MB", stat{251.4, 251.4, 251.4, 1}, "251 MB"},
		{"ratio-p50", stat{1.4, 1.3, 1.5, 3}, "1.40× (1.30–1.50)"},
		{"rss-MB", stat{88, 88, 88, 1}, "88 MB"},
		{"anomalies/day", stat{3.25, 3.25, 3.25, 1}, "3.25 anomalies/day"},
	} {
		if got := formatStat(c.unit, c.s); got != c.want {
			t.Errorf("formatStat(%s, %+v) = %q, want %q", c.unit, c.s, got, c.want)
		}
	}
	for _, c := range []struct {
		t    target
		want string
	}{
		{target{"p95-ms", below, 30 * ms}, "p95 < 30 ms"},
		{target{"p99-µs", below, 1 * ms}, "p99 < 1 ms"},
		{target{"ratio-p50", atMost, 1.5}, "p50 ≤ 1.5×"},
		{target{"rows/s", atLeast, 100_000}, "≥ 100,000 rows/s"},
		{target{"ns/op", below, 300 * ms}, "< 300 ms"},
	} {
		if got := formatTarget(c.t); got != c.want {
			t.Errorf("formatTarget(%+v) = %q, want %q", c.t, got, c.want)
		}
	}
	if !strings.HasPrefix(formatValue("µs-idle-p50", 0.000812), "812 µs") {
		t.Errorf("a unit that starts with its time: %q", formatValue("µs-idle-p50", 0.000812))
	}
}
