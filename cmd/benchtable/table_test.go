package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// The table over a sample of make bench's output: a row per figure, per GOMAXPROCS, "not run" for the
// figures missing, and the metrics no figure names after them without a target.
func TestTable(t *testing.T) {
	var out bytes.Buffer
	if err := table([]string{"testdata/bench.txt"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	var lines []string // the columns joined by one space
	for _, l := range strings.Split(out.String(), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	for _, want := range []string{
		"day summary on a year of sales 12.0 ms (11.0–13.0) p95 29.5 ms (28.0–31.0); p99 40.0 ms (39.0–41.0) p95 < 30 ms not judged: load 1.30",
		"durable sale commit ÷ bare 1-row insert 1.40× (1.34–1.51) p50 ≤ 1.5× met",
		"durable sale commit (5 lines, 1 tender) 407 µs (404–469) p99 990 µs (950–1010)",
		"bare 1-row insert (the fsync floor) 302 µs (290–310) p99 417 µs (417–417)",
		"name search, 1M products 800 µs p95 4.20 ms; p99 9.80 ms p95 < 5 ms, p99 < 10 ms met",
		"catalog import peak memory (RSS) 301 MB < 300 MB not met: 301 MB",
		"sign-in (PIN, argon2id) (2 CPUs) 190 ms (180–200) < 300 ms met",
		"sign-in (PIN, argon2id) (1 CPU) 300 ms (290–310) < 300 ms not met: 300 ms",
		"day page on a year of sales p95 < 30 ms not run",
		"NameSearch prefix-p99-µs p99 9.10 ms",
		"CatalogImport check-rows/s 310,000 check-rows/s",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, out.String())
		}
	}
	// The load is in the verdicts, not a figure of its own; nor is ns/op beside a benchmark's own figures.
	if strings.Contains(out.String(), "load1") || strings.Contains(out.String(), "ns/op") {
		t.Errorf("load1 or ns/op printed as a figure:\n%s", out.String())
	}
}

func TestTableWithoutResults(t *testing.T) {
	if err := table(nil, strings.NewReader("PASS\nok checkout/store 0.1s\n"), &bytes.Buffer{}); err == nil {
		t.Error("output without a result line made a table")
	}
}
