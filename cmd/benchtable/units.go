package main

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"checkout/cmd/benchtable/idle"
)

// timeScale returns how many seconds one of the unit is, when the unit is a time: ns/op, or a unit with
// a dash-separated ns, µs, ms or s part (p95-ms, sale-p50-µs, µs-idle-p50, verify-s).
func timeScale(unit string) (float64, bool) {
	if unit == "ns/op" {
		return 1e-9, true
	}
	for _, part := range strings.Split(unit, "-") {
		switch part {
		case "ns":
			return 1e-9, true
		case "µs", "us":
			return 1e-6, true
		case "ms":
			return 1e-3, true
		case "s":
			return 1, true
		}
	}
	return 1, false
}

// seconds is timeScale's factor alone: 1 for a unit that is no time.
func seconds(unit string) float64 { f, _ := timeScale(unit); return f }

var percentile = regexp.MustCompile(`(^|-)(p\d+)(-|$)`)

// label is the percentile a unit names (p95-ms → p95), or "".
func label(unit string) string {
	if m := percentile.FindStringSubmatch(unit); m != nil {
		return m[2]
	}
	return ""
}

// A display is how a metric's numbers are written: scaled, rounded and followed by a unit.
type display struct {
	factor    float64
	decimals  int
	suffix    string
	thousands bool
}

// displayFor chooses how to write the unit's values near v (seconds for a time): times in µs, ms or s
// by size, megabytes whole, ratios with ×, rates whole with thousands separators.
func displayFor(unit string, v float64) display {
	if _, ok := timeScale(unit); ok {
		switch a := math.Abs(v); {
		case a < 1e-3:
			return display{1e6, digits(a * 1e6), " µs", false}
		case a < 1:
			return display{1e3, digits(a * 1e3), " ms", false}
		default:
			return display{1, digits(a), " s", false}
		}
	}
	switch {
	case unit == idle.Metric:
		return display{1, 2, "", false}
	case strings.HasSuffix(unit, "MB"):
		return display{1, 0, " MB", false}
	case strings.Contains(unit, "ratio"):
		return display{1, 2, "×", false}
	case strings.Contains(unit, "/s"):
		return display{1, 0, " " + unit, true}
	}
	return display{1, digits(math.Abs(v)), " " + unit, false}
}

// digits gives three significant figures to numbers from 1 to 999.
func digits(v float64) int {
	switch {
	case v >= 100:
		return 0
	case v >= 10:
		return 1
	}
	return 2
}

func (d display) number(v float64) string {
	s := strconv.FormatFloat(v*d.factor, 'f', d.decimals, 64)
	if !d.thousands {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// formatValue writes one value of the unit (seconds for a time): "12.3 ms", "1.42×", "104,233 rows/s".
func formatValue(unit string, v float64) string {
	d := displayFor(unit, v)
	return d.number(v) + d.suffix
}

// formatStat writes a stat as its median and, over several runs, the range of the runs beside it in the
// median's scale: "12.3 ms (11.8–13.1)".
func formatStat(unit string, s stat) string {
	if s.n == 0 {
		return ""
	}
	d := displayFor(unit, s.median)
	out := d.number(s.median) + d.suffix
	if s.n > 1 {
		out += " (" + d.number(s.min) + "–" + d.number(s.max) + ")"
	}
	return out
}

// formatTarget writes a target as "p95 < 30 ms", "≤ 1.5×", "≥ 100,000 rows/s": limits are round
// numbers, written without trailing zeros.
func formatTarget(t target) string {
	d := displayFor(t.metric, t.limit)
	n := d.number(t.limit)
	if strings.Contains(n, ".") {
		n = strings.TrimRight(strings.TrimRight(n, "0"), ".")
	}
	s := t.op.String() + " " + n + d.suffix
	if l := label(t.metric); l != "" {
		s = l + " " + s
	}
	return s
}
