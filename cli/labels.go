package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/receiptimage"
	"checkout/app/reportpdf"
	"checkout/app/shelflabel"
	"checkout/devices/labelprinter"
	"checkout/till"
)

// maxLabels is the most labels one print-labels prints: more (a whole catalog imported since the day)
// is a roll of labels nobody meant, asked for again by -sku or a later -since.
const maxLabels = 1000

// printLabels prints shelf labels for the products -sku names, or whose price changed since -since,
// on the -printer label printer, and/or draws them into a -preview PNG.
func printLabels(ctx context.Context, st *till.Store, c *call) error {
	fs := flag.NewFlagSet("print-labels", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.String("since", "", "the products whose price changed on or after this day, YYYY-MM-DD")
	skuList := fs.String("sku", "", "the products, SKUs or barcodes, comma-separated")
	target := fs.String("printer", "", "the label printer: tspl:PORT or zpl:PORT (default: labels.printer)")
	preview := fs.String("preview", "", "draw the labels into this PNG file")
	size := fs.String("size", "", "the labels' size in mm, WIDTHxHEIGHT (default: labels.size, else 50x30)")
	dpi := fs.Int("dpi", 203, "the printer's resolution: 203 or 300")
	const how = "print-labels takes -since YYYY-MM-DD or -sku A,B,…, and -printer tspl:PORT|zpl:PORT or -preview FILE.png, or both"
	if err := fs.Parse(c.args); err != nil || fs.NArg() != 0 || (*since == "") == (*skuList == "") {
		return errors.New(how)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	// The flags stand in for the labels.* settings, which the products page prints with too.
	configured, stock, hasPrinter, err := labelprinter.Settings(set.Device)
	if err != nil {
		return err
	}
	if *target == "" && *preview == "" && hasPrinter { // -preview alone previews, printing nothing
		*target = set.Device("labels.printer")
	}
	if *target == "" && *preview == "" {
		return errors.New(how + " (or labels.printer set)")
	}
	if *size != "" {
		if stock, err = stock.ParseSize(*size); err != nil {
			return err
		}
	}
	switch *dpi {
	case 203:
	case 300:
		stock.DotsPerMM = 12
	default:
		return fmt.Errorf("-dpi %d: 203 or 300", *dpi)
	}
	printer := configured
	if *target != "" && *target != set.Device("labels.printer") {
		if printer, err = labelprinter.ParseTarget(*target); err != nil {
			return err
		}
		printer.Baud, printer.Font, printer.Timeout = labelprinter.Connection(set.Device)
	}
	entries, err := labelEntries(ctx, st, *since, *skuList)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(c.stdout, "no labels to print")
		return nil
	}
	language := lang.SystemLocale().LanguageString()
	labels := make([]shelflabel.Label, len(entries))
	for i, e := range entries {
		labels[i] = shelflabel.Lay(stock, shelflabel.ItemOf(e), language)
		fmt.Fprintf(c.stdout, "%-12s %s  %s\n", e.Product.SKU, e.Product.DisplayName(language), e.Product.Price.Decimal())
	}
	if *preview != "" {
		if err := writePreview(*preview, labels); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "preview of %d labels written to %s\n", len(labels), *preview)
	}
	if *target != "" {
		if err := labelprinter.Print(printer, labels); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%d labels sent to %s\n", len(labels), *target)
	}
	return nil
}

// labelEntries are the products to label: those -sku names, in its order, or those whose price changed
// since the local day -since starts.
func labelEntries(ctx context.Context, st *till.Store, since, skuList string) ([]app.CatalogEntry, error) {
	if since != "" {
		day, err := time.ParseInLocation(dateLayout, since, time.Local)
		if err != nil {
			return nil, fmt.Errorf("-since %q: a date as YYYY-MM-DD", since)
		}
		entries, err := st.PriceChangedSince(ctx, day, maxLabels+1)
		if err != nil {
			return nil, err
		}
		if len(entries) > maxLabels {
			return nil, fmt.Errorf("more than %d products changed price since %s: name them with -sku, or a later -since", maxLabels, since)
		}
		return entries, nil
	}
	var entries []app.CatalogEntry
	for _, code := range strings.Split(skuList, ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		p, err := findProduct(ctx, st, code)
		if err != nil {
			return nil, err
		}
		e, err := st.ProductDetail(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	if len(entries) > maxLabels {
		return nil, fmt.Errorf("-sku names %d products: at most %d a run", len(entries), maxLabels)
	}
	return entries, nil
}

// writePreview draws labels into a PNG file, Chinese in the system's CJK font where there is one.
func writePreview(file string, labels []shelflabel.Label) error {
	var fonts receiptimage.Fonts
	if path, err := reportpdf.FindFont(); err == nil {
		fonts.LoadCJK = func() ([]byte, error) { return os.ReadFile(path) }
	}
	r, err := receiptimage.New(fonts)
	if err != nil {
		return err
	}
	b, err := shelflabel.Preview(r, labels)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o644)
}
