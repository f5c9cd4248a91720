package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"checkout/app"
	"checkout/till"
)

// exportPLU writes the PLU file of the shop's label-printing scales (app.PLUFile): its weighed products
// that have a scale code under one of the shop's barcode layouts, priced per kilogram. A file is written
// whole or not at all (a temporary file renamed), so the scale software never loads half a catalog.
func exportPLU(ctx context.Context, st *till.Store, c *call) error {
	if len(c.args) != 1 {
		return errors.New("export-plu takes FILE (- for standard output)")
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	layouts := set.BarcodeRules().Layouts
	write := func(w io.Writer) (written, without int, err error) {
		f, err := app.NewPLUFile(w)
		if err != nil {
			return 0, 0, err
		}
		err = st.EachWeighedProduct(ctx, func(e app.CatalogEntry) error {
			plus, err := app.PLUsOf(e, layouts)
			if len(plus) == 0 && err == nil {
				without++
			}
			for _, p := range plus {
				if err == nil {
					err = f.Write(p)
				}
			}
			return err
		})
		if err == nil {
			err = f.Flush()
		}
		return f.Len(), without, err
	}
	if c.args[0] == "-" {
		_, _, err := write(c.stdout)
		return wrapPLU(err)
	}
	name := c.args[0]
	tmp, err := os.CreateTemp(filepath.Dir(name), ".export-plu-*")
	if err != nil {
		return wrapPLU(err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed; a failed export leaves nothing
	bw := bufio.NewWriter(tmp)
	n, without, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644) // as os.Create would leave it: the scale software may run as another user
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return wrapPLU(err)
	}
	fmt.Fprintf(c.stdout, "exported %d PLUs to %s\n", n, name)
	if without > 0 {
		fmt.Fprintf(c.stdout, "%d weighed products have no scale code (a barcode of prefix 20–29 with zeros for the weight or price) and are not in it\n", without)
	}
	return nil
}

func wrapPLU(err error) error {
	if err != nil {
		return fmt.Errorf("export-plu: %w", err)
	}
	return nil
}
