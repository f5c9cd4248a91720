package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/store"
)

// importBatch is how many products one import transaction adds: a failed or stopped import keeps the
// batches before it, and running it again skips the SKUs already in (resumable, never half a batch).
const importBatch = 10_000

// importCatalog checks a catalog file and, with -apply, adds its good rows. Without -apply it is a dry
// run: every bad row is listed with its line and reason and nothing changes. With bad rows, -apply adds
// only the good ones; it never adds half a file silently.
func importCatalog(ctx context.Context, st *store.Store, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import-catalog", flag.ContinueOnError)
	apply := fs.Bool("apply", false, "add the good rows (without it: check only)")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New("import-catalog takes [-apply] FILE (UTF-8 or GB18030 CSV; see README)")
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	// First pass: check every row, against the file and against the catalog already there.
	var bad []app.RowError
	var good int
	var codes []string
	var codeLines []int
	err = scanFile(fs.Arg(0), set, func(e app.CatalogEntry, line int) error {
		good++
		for _, c := range e.Barcodes {
			codes, codeLines = append(codes, c), append(codeLines, line)
		}
		return nil
	}, func(r app.RowError) { bad = append(bad, r) })
	if err != nil {
		return err
	}
	inUse, err := st.BarcodesInUse(ctx, codes)
	if err != nil {
		return err
	}
	skipLines := map[int]bool{}
	for i, c := range codes {
		if sku, ok := inUse[barcode.NormalizeGTIN(c)]; ok {
			bad = append(bad, app.RowError{Line: codeLines[i], Reason: fmt.Sprintf("barcode %s is already on product %s", c, sku)})
			if !skipLines[codeLines[i]] {
				skipLines[codeLines[i]] = true
				good--
			}
		}
	}
	for _, r := range bad {
		fmt.Fprintf(stdout, "line %d: %s\n", r.Line, r.Reason)
	}
	fmt.Fprintf(stdout, "%d good rows, %d bad\n", good, len(bad))
	if !*apply {
		if len(bad) > 0 {
			return fmt.Errorf("nothing imported: fix the bad rows, or run with -apply to import the %d good ones", good)
		}
		fmt.Fprintln(stdout, "nothing imported (a check): run with -apply to import")
		return nil
	}
	// Second pass: add the good rows in batches; products whose SKU is already there are kept as they are.
	added := 0
	batch := make([]app.CatalogEntry, 0, importBatch)
	flush := func() error {
		n, err := st.AddProducts(ctx, batch)
		added += n
		batch = batch[:0]
		return err
	}
	err = scanFile(fs.Arg(0), set, func(e app.CatalogEntry, line int) error {
		if skipLines[line] {
			return nil
		}
		batch = append(batch, e)
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	}, func(app.RowError) {})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	fmt.Fprintf(stdout, "imported %d products (%d already there were kept)\n", added, good-added)
	if err != nil {
		return fmt.Errorf("import stopped after %d products: %w (run it again to continue)", added, err)
	}
	return nil
}

// scanFile reads a catalog file with app.ScanCatalogCSV, telling entry each good row's line.
func scanFile(path string, set app.Settings, entry func(app.CatalogEntry, int) error, reject func(app.RowError)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return app.ScanCatalogCSV(bufio.NewReaderSize(f, 1<<20), set, entry, reject)
}

// exportCatalog writes the catalog as UTF-8 CSV to the file named, or to stdout.
func exportCatalog(ctx context.Context, st *store.Store, args []string, stdout io.Writer) error {
	if len(args) > 1 {
		return errors.New("export-catalog takes [FILE]")
	}
	if len(args) == 0 || args[0] == "-" {
		_, err := st.ExportCatalog(ctx, stdout)
		return err
	}
	f, err := os.Create(args[0])
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	n, err := st.ExportCatalog(ctx, bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", args[0], err)
	}
	fmt.Fprintf(stdout, "exported %d products to %s\n", n, args[0])
	return nil
}
