package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"checkout/app"
	"checkout/till"
)

// seedDemo adds the demo catalog (till.Store.SeedDemo).
func seedDemo(ctx context.Context, st *till.Store, c *call) error {
	n, err := st.SeedDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "added %d demo products to %s\n", n, st.Path())
	return nil
}

// importCatalog checks a catalog file and, with -apply, adds its good rows (app.CheckCatalog). Without
// -apply it is a dry run: every bad row is listed with its line and reason and nothing changes. With bad
// rows, -apply adds only the good ones; it never adds half a file silently.
func importCatalog(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
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
	file, err := catalogFile(fs.Arg(0))
	if err != nil {
		return err
	}
	check, err := app.CheckCatalog(ctx, st, set, file, nil)
	if err != nil {
		return err
	}
	for _, r := range check.Bad {
		fmt.Fprintf(stdout, "line %d: %s\n", r.Line, r.Reason)
	}
	if more := check.BadRows - len(check.Bad); more > 0 {
		fmt.Fprintf(stdout, "… and %d more bad rows\n", more)
	}
	if d := check.Defaults.String(); d != "" {
		fmt.Fprintf(stdout, "%s: %d rows\n", d, check.Good)
	}
	fmt.Fprintf(stdout, "%d good rows, %d bad\n", check.Good, check.BadRows)
	if !*apply {
		if check.BadRows > 0 {
			return fmt.Errorf("nothing imported: fix the bad rows, or run with -apply to import the %d good ones", check.Good)
		}
		fmt.Fprintln(stdout, "nothing imported (a check): run with -apply to import")
		return nil
	}
	added, err := check.Apply(ctx, cliSession(), nil)
	fmt.Fprintf(stdout, "imported %d products (%d already there were kept)\n", added, check.Good-added)
	return err
}

// catalogFile is the catalog file at path, to be read in passes.
func catalogFile(path string) (app.CatalogFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		return app.CatalogFile{}, err
	}
	return app.CatalogFile{Open: func() (io.ReadCloser, error) { return os.Open(path) }, Size: info.Size()}, nil
}

// exportCatalog writes the catalog as UTF-8 CSV to the file named, or to stdout.
func exportCatalog(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
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
