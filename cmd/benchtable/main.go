// Command benchtable prints the figures of go test -bench output (make bench's) as one table: each
// figure's median over its runs (-count) with their range, its target, and whether it was met. A figure
// is judged only when every run of it started on an idle machine (see package idle).
//
// Usage: benchtable [FILE ...]   (standard input without a file)
package main

import (
	"fmt"
	"io"
	"os"

	"checkout/cmd/benchtable/idle"
)

func main() {
	if err := table(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func table(files []string, stdin io.Reader, stdout io.Writer) error {
	var readers []io.Reader
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	if len(files) == 0 {
		readers = append(readers, stdin)
	}
	benches, err := parse(io.MultiReader(readers...))
	if err != nil {
		return err
	}
	if len(benches) == 0 {
		return fmt.Errorf("no benchmark results in %v", files)
	}
	fmt.Fprintf(stdout, "\nThe figures: median of the runs, their range in brackets; judged only when every run started at a 1-minute load ≤ %.1f.\n", idle.MaxLoad)
	return write(stdout, rows(figures, benches))
}
