package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	f, err := os.Open("testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	benches, err := parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range benches {
		got = append(got, fmt.Sprintf("%s@%d×%d", b.name, b.procs, len(b.runs)))
	}
	want := "BenchmarkSaleCommit@2×3 BenchmarkDaySummary@2×3 BenchmarkNameSearch@2×1 BenchmarkSignIn/peppered@2×3 " +
		"BenchmarkSignIn/peppered@1×3 BenchmarkCatalogImport@2×1"
	if strings.Join(got, " ") != want {
		t.Fatalf("parsed %v\nwant    %v", got, want)
	}
	// The -count repeats in order, custom units with µ, the split line's numbers given to its name.
	sale := benches[0]
	if v := sale.runs[1].values["sale-p50-µs"]; v != 468.7 {
		t.Errorf("second run's sale-p50-µs = %v", v)
	}
	if u := sale.runs[0].units; strings.Join(u, " ") != "ns/op bare-p99-µs bare-p50-µs load1 ratio-p50 sale-p50-µs sale-p99-µs" {
		t.Errorf("units in order: %v", u)
	}
	if day := benches[1].runs[0]; day.iterations != 200 || day.values["p95-ms"] != 29.5 || day.values["load1"] != 0.2 {
		t.Errorf("the split line: %+v", day)
	}
}

func TestParseRun(t *testing.T) {
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{"20  1234 ns/op  1.5 p50-ms", true},
		{"1  8e+09 ns/op", true},
		{"20  1234 ns/op  1.5", false},
		{"0  1234 ns/op", false},
		{"ok checkout/store 1.2s", false},
		{"bench_year_test.go:238: 365 days closed", false},
		{"", false},
	} {
		if _, ok := parseRun(strings.Fields(c.line)); ok != c.ok {
			t.Errorf("parseRun(%q) ok = %v", c.line, ok)
		}
	}
}

func TestSplitProcs(t *testing.T) {
	for _, c := range []struct {
		in    string
		name  string
		procs int
	}{
		{"BenchmarkSignIn-2", "BenchmarkSignIn", 2},
		{"BenchmarkSignIn/peppered-16", "BenchmarkSignIn/peppered", 16},
		{"BenchmarkSignIn/peppered", "BenchmarkSignIn/peppered", 1},
		{"BenchmarkScanToCart", "BenchmarkScanToCart", 1},
		{"BenchmarkDashboardDay/chain-x", "BenchmarkDashboardDay/chain-x", 1},
		{"BenchmarkX-+2", "BenchmarkX-+2", 1},
	} {
		if name, procs := splitProcs(c.in); name != c.name || procs != c.procs {
			t.Errorf("splitProcs(%q) = %q, %d", c.in, name, procs)
		}
	}
}
