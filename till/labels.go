package till

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"checkout/app"
	"checkout/app/receiptimage"
	"checkout/app/shelflabel"
	"checkout/devices/labelprinter"
)

// shelfLabels prints the product page's shelf labels (ui.LabelPrinter): on the label printer
// labels.printer names, or, with none set, as PNG pictures in a folder beside the database, for a shop
// that prints them elsewhere or wants to see one first.
type shelfLabels struct {
	// changed lists the products whose price changed since a time (store.PriceChangedSince); nil: none.
	changed  func(ctx context.Context, since time.Time, limit int) ([]app.CatalogEntry, error)
	printer  labelprinter.Config
	print    bool // labels.printer is set
	stock    shelflabel.Stock
	dir      string
	render   *receiptimage.Renderer
	language string
	bad      error // a labels.* setting it cannot use: every label fails with it
}

// newShelfLabels reads the labels.* settings. A setting it cannot use is its error, and every label's:
// a printer set up with a size mistyped must not quietly save pictures instead.
func newShelfLabels(set app.Settings, dir string, render *receiptimage.Renderer, language string) (*shelfLabels, error) {
	c, stock, ok, err := labelprinter.Settings(set.Device)
	return &shelfLabels{printer: c, print: ok, stock: stock, dir: dir, render: render, language: language, bad: err}, err
}

// PrintLabel prints e's label, or saves it as SKU-TIME.png in the folder and returns the file's path.
func (s *shelfLabels) PrintLabel(e app.CatalogEntry) (string, error) {
	// The SKU is the shop's text: only its safe characters go into a file name.
	return s.output([]app.CatalogEntry{e}, fileSafe(e.Product.SKU))
}

// maxChangedLabels bounds one run of the labels for price changes, as print-labels does: a date mistyped
// a year back must not print the whole catalog.
const maxChangedLabels = 1000

// PrintChanged prints the labels of the products whose price changed (or that were added) since the
// start of since's day, or saves them as one picture; it returns how many and the picture's path.
func (s *shelfLabels) PrintChanged(since time.Time) (int, string, error) {
	if s.changed == nil {
		return 0, "", errors.New("no price history")
	}
	day := time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, since.Location())
	entries, err := s.changed(context.Background(), day, maxChangedLabels+1)
	switch {
	case err != nil:
		return 0, "", err
	case len(entries) > maxChangedLabels:
		return 0, "", fmt.Errorf("more than %d products changed price since %s: choose a later day", maxChangedLabels, day.Format(time.DateOnly))
	case len(entries) == 0:
		return 0, "", nil
	}
	saved, err := s.output(entries, "changes-since-"+day.Format("20060102"))
	return len(entries), saved, err
}

// output prints the entries' labels, or draws them into NAME-TIME.png in the folder and returns its path.
func (s *shelfLabels) output(entries []app.CatalogEntry, name string) (string, error) {
	if s.bad != nil {
		return "", fmt.Errorf("the label settings (labels.*): %w", s.bad)
	}
	labels := make([]shelflabel.Label, len(entries))
	for i, e := range entries {
		labels[i] = shelflabel.Lay(s.stock, shelflabel.ItemOf(e), s.language)
	}
	if s.print {
		return "", labelprinter.Print(s.printer, labels)
	}
	b, err := shelflabel.Preview(s.render, labels)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return "", err
	}
	file := filepath.Join(s.dir, fmt.Sprintf("%s-%s.png", name, time.Now().Format("20060102-150405")))
	return file, os.WriteFile(file, b, 0o644)
}

// fileSafe keeps letters, digits, "-" and "_" of s: no path separator or dot-dot reaches a file name.
func fileSafe(s string) string {
	out := []rune{}
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "label"
	}
	return string(out)
}
