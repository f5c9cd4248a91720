package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"checkout/cmd/benchtable/idle"
)

// A row is one printed line of the table.
type row struct{ figure, p50, tail, target, verdict string }

// rows lays out the figures over the parsed benchmarks: each figure once per GOMAXPROCS its benchmark ran
// at ("not run" when it did not), then every metric no figure names, without a target.
func rows(figs []figure, benches []*bench) []row {
	var out []row
	claimed := map[string]bool{} // benchmark name + "\x00" + unit
	for _, f := range figs {
		units := append([]string{f.p50}, f.tail...)
		for _, t := range f.targets {
			units = append(units, t.metric)
		}
		for _, u := range units {
			claimed[f.bench+"\x00"+u] = true
		}
		var targets []string
		for _, t := range f.targets {
			targets = append(targets, formatTarget(t))
		}
		found := false
		for _, b := range benches {
			if b.name != f.bench {
				continue
			}
			found = true
			var tail []string
			for _, u := range f.tail {
				if s := formatStat(u, summarize(b.runs, u)); s != "" {
					tail = append(tail, label(u)+" "+s)
				}
			}
			out = append(out, row{f.words + cpus(benches, b), formatStat(f.p50, summarize(b.runs, f.p50)),
				strings.Join(tail, "; "), strings.Join(targets, ", "), verdict(f, b.runs)})
		}
		if !found {
			out = append(out, row{f.words, "", "", strings.Join(targets, ", "), "not run"})
		}
	}
	var others []row
	for _, b := range benches {
		for _, u := range unitsOf(b) {
			if claimed[b.name+"\x00"+u] {
				continue
			}
			r := row{figure: strings.TrimPrefix(b.name, "Benchmark") + " " + u + cpus(benches, b)}
			s := formatStat(u, summarize(b.runs, u))
			if l := label(u); l != "" && l != "p50" {
				r.tail = l + " " + s
			} else {
				r.p50 = s
			}
			others = append(others, r)
		}
	}
	if len(others) > 0 {
		out = append(out, row{figure: "other figures, no target:"})
		out = append(out, others...)
	}
	return out
}

// unitsOf lists the units a benchmark reported, first seen first: not the load (it is in the verdict),
// nor go test's own per-iteration figures when the benchmark reports figures of its own.
func unitsOf(b *bench) []string {
	var units []string
	for _, r := range b.runs {
		for _, u := range r.units {
			if !slices.Contains(units, u) && u != idle.Metric {
				units = append(units, u)
			}
		}
	}
	own := slices.DeleteFunc(slices.Clone(units), func(u string) bool { return u == "ns/op" || u == "B/op" || u == "allocs/op" })
	if len(own) > 0 {
		return own
	}
	return units
}

// cpus names the GOMAXPROCS a benchmark ran at when it ran at more than one (-cpu 2,1).
func cpus(benches []*bench, b *bench) string {
	for _, o := range benches {
		if o.name == b.name && o.procs != b.procs {
			if b.procs == 1 {
				return " (1 CPU)"
			}
			return fmt.Sprintf(" (%d CPUs)", b.procs)
		}
	}
	return ""
}

// write writes the table, its columns aligned.
func write(w io.Writer, rs []row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tp50\tp95/p99\ttarget\tverdict")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.figure, r.p50, r.tail, r.target, r.verdict)
	}
	return tw.Flush()
}
