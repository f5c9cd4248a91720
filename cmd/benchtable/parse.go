package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A bench is one benchmark at one GOMAXPROCS, with its runs (one per -count) in order.
type bench struct {
	name  string // as go test prints it, without the -cpu suffix: BenchmarkSignIn/peppered
	procs int    // GOMAXPROCS: the name's -N suffix, 1 without one (go test leaves it off at 1)
	runs  []run
}

// A run is one result line: the iteration count and each metric by its unit, in the order printed.
type run struct {
	iterations int
	units      []string
	values     map[string]float64
}

// parse reads go test -bench output: result lines, whatever else the tests print between them, and a
// result line split in two when a benchmark's fixtures print to stderr after go test printed its name
// (the numbers then follow on a line of their own).
func parse(r io.Reader) ([]*bench, error) {
	var benches []*bench
	index := map[string]*bench{}
	pending := "" // a benchmark name printed without its numbers yet
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 && endsBench[fields[0]] {
			pending = ""
			continue
		}
		name := pending
		if len(fields) > 0 && strings.HasPrefix(fields[0], "Benchmark") {
			name, fields = fields[0], fields[1:]
		}
		ru, ok := parseRun(fields)
		switch {
		case ok && name != "":
			pending = ""
			base, procs := splitProcs(name)
			key := fmt.Sprintf("%s\x00%d", base, procs)
			b := index[key]
			if b == nil {
				b = &bench{name: base, procs: procs}
				index[key] = b
				benches = append(benches, b)
			}
			b.runs = append(b.runs, ru)
		case name != pending:
			pending = name
		}
	}
	return benches, sc.Err()
}

// endsBench holds the first words of lines that end a benchmark's output without a result: a failure,
// the package's verdict, the next package's header.
var endsBench = map[string]bool{"---": true, "PASS": true, "FAIL": true, "ok": true, "pkg:": true}

// parseRun reads "20  1234 ns/op  1.5 p50-ms …": an iteration count, then value and unit pairs.
func parseRun(fields []string) (run, bool) {
	if len(fields) < 3 || len(fields)%2 == 0 {
		return run{}, false
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 0 {
		return run{}, false
	}
	ru := run{iterations: n, values: map[string]float64{}}
	for i := 1; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return run{}, false
		}
		unit := fields[i+1]
		if _, dup := ru.values[unit]; !dup {
			ru.units = append(ru.units, unit)
		}
		ru.values[unit] = v
	}
	return ru, true
}

// splitProcs splits go test's GOMAXPROCS suffix off a benchmark's name: BenchmarkSignIn-2 → 2.
func splitProcs(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name, 1
	}
	procs, err := strconv.Atoi(name[i+1:])
	if err != nil || procs <= 0 || strings.ContainsRune(name[i+1:], '+') {
		return name, 1
	}
	return name[:i], procs
}
