package till

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/receiptimage"
)

// With no label printer set, a label is saved as a picture in the labels folder, under a name the
// SKU cannot lead out of it; with one set, it goes to the printer.
func TestShelfLabelsSaveOrPrint(t *testing.T) {
	r, err := receiptimage.New(receiptimage.Fonts{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "labels")
	e := app.CatalogEntry{Product: app.Product{SKU: "../../etc/passwd", Name: "Cola", Price: money.New(300, money.CNY), Unit: app.UnitPiece},
		Barcodes: []string{"5449000000996"}}
	s, err := newShelfLabels(app.Settings{}, dir, r, "en")
	if err != nil {
		t.Fatal(err)
	}
	file, err := s.PrintLabel(e)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(file) != dir || !strings.HasPrefix(filepath.Base(file), "etcpasswd-") {
		t.Errorf("saved as %s", file)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != 432 {
		t.Errorf("picture %v, %v", img.Bounds(), err)
	}

	prn := filepath.Join(t.TempDir(), "labels.prn")
	set := app.Settings{Devices: map[string]string{"labels.printer": "zpl:file:" + prn, "labels.size": "60x40"}}
	if s, err = newShelfLabels(set, dir, r, "en"); err != nil {
		t.Fatal(err)
	}
	if file, err := s.PrintLabel(e); err != nil || file != "" {
		t.Fatalf("printed: %q, %v", file, err)
	}
	if b, _ := os.ReadFile(prn); !strings.HasPrefix(string(b), "^XA\n^CI28\n^PW480\n^LL320\n") {
		t.Errorf("the printer got %q", b)
	}

	if _, err := newShelfLabels(app.Settings{Devices: map[string]string{"labels.printer": "bad"}}, dir, r, "en"); err == nil {
		t.Error("a bad labels.printer passed")
	}
}
