// Package idle lets a benchmark wait for a quiet machine before its timed loop and record how quiet it
// was: cmd/benchtable judges a figure only when every run of it started on an idle machine. The fixtures
// the benchmarks build themselves (a year of sales, a 1,000,000-product catalog) load the machine too,
// which is why the wait is just before the timed loop and not before go test.
package idle

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	// Metric is the unit Wait reports the 1-minute load average under.
	Metric = "load1"
	// MaxLoad is the highest 1-minute load average a run may start at and still be judged.
	MaxLoad = 0.5
	// SettleEnv names the longest wait (a Go duration, 2m when unset; 0 only records the load).
	SettleEnv = "CHECKOUT_BENCH_SETTLE"
)

// poll is how often the load is read again: the kernel recomputes it every 5 seconds and offers no way
// to be told when it falls.
const poll = 5 * time.Second

// Wait waits until the 1-minute load average is at most MaxLoad, for at most CHECKOUT_BENCH_SETTLE (2
// minutes), and reports the load it then stood at as the metric load1 of this run. Call it after the
// fixtures are built, just before b.ResetTimer or b.Loop: the timer is left alone. Without /proc/loadavg
// (not Linux) it reports nothing and the table says the load is unknown.
func Wait(b *testing.B) {
	b.Helper()
	settle := 2 * time.Minute
	if v := os.Getenv(SettleEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			b.Fatalf("%s=%q: a duration such as 2m or 0", SettleEnv, v)
		}
		settle = d
	}
	load, err := Load()
	if err != nil {
		b.Logf("load average unknown: %v", err)
		return
	}
	for deadline := time.Now().Add(settle); load > MaxLoad && time.Now().Before(deadline); {
		time.Sleep(min(poll, time.Until(deadline)))
		if load, err = Load(); err != nil {
			b.Fatal(err)
		}
	}
	// Reported when the benchmark returns: b.ResetTimer and b.Loop's start delete the metrics reported
	// before them.
	b.Cleanup(func() { b.ReportMetric(load, Metric) })
}

// Load returns the machine's 1-minute load average.
func Load() (float64, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	return parseLoadavg(string(b))
}

// parseLoadavg reads the first field of /proc/loadavg ("0.42 0.35 0.30 1/123 4567").
func parseLoadavg(s string) (float64, error) {
	first, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	v, err := strconv.ParseFloat(first, 64)
	if err != nil {
		return 0, fmt.Errorf("/proc/loadavg %q: %w", s, err)
	}
	return v, nil
}
