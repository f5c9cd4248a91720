package till

import (
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
	printer  labelprinter.Config
	print    bool // labels.printer is set
	stock    shelflabel.Stock
	dir      string
	render   *receiptimage.Renderer
	language string
}

// newShelfLabels reads the labels.* settings; a setting it cannot use saves pictures, and says so in the
// error of the first label.
func newShelfLabels(set app.Settings, dir string, render *receiptimage.Renderer, language string) (*shelfLabels, error) {
	c, stock, ok, err := labelprinter.Settings(set.Device)
	return &shelfLabels{printer: c, print: ok, stock: stock, dir: dir, render: render, language: language}, err
}

// PrintLabel prints e's label, or saves it as SKU-TIME.png in the folder and returns the file's path.
func (s *shelfLabels) PrintLabel(e app.CatalogEntry) (string, error) {
	l := shelflabel.Lay(s.stock, shelflabel.ItemOf(e), s.language)
	if s.print {
		return "", labelprinter.Print(s.printer, []shelflabel.Label{l})
	}
	b, err := shelflabel.Preview(s.render, []shelflabel.Label{l})
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return "", err
	}
	// The SKU is the shop's text: only its safe characters go into a file name.
	name := fmt.Sprintf("%s-%s.png", fileSafe(e.Product.SKU), time.Now().Format("20060102-150405"))
	file := filepath.Join(s.dir, name)
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
