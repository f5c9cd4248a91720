package cli

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrintLabels(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	prn := filepath.Join(dir, "labels.prn")
	zpl := filepath.Join(dir, "labels.zpl")
	pngFile := filepath.Join(dir, "labels.png")
	setPrn := filepath.Join(dir, "set.prn")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	today := time.Now().Format(dateLayout)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(dateLayout)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		// Wrong command lines print nothing.
		{[]string{"print-labels", "-sku", "DRK-001"}, 1, "", "-printer"},
		{[]string{"print-labels", "-printer", "tspl:file:" + prn}, 1, "", "-since"},
		{[]string{"print-labels", "-sku", "DRK-001", "-since", today, "-printer", "tspl:file:" + prn}, 1, "", "-since"},
		{[]string{"print-labels", "-sku", "DRK-001", "-printer", "escpos:/dev/ttyUSB0"}, 1, "", "tspl:PORT or zpl:PORT"},
		{[]string{"print-labels", "-sku", "DRK-001", "-printer", "tspl:file:" + prn, "-size", "5x3"}, 1, "", "30x20 to"},
		{[]string{"print-labels", "-sku", "DRK-001", "-printer", "tspl:file:" + prn, "-dpi", "600"}, 1, "", "203 or 300"},
		{[]string{"print-labels", "-since", "yesterday", "-printer", "tspl:file:" + prn}, 1, "", "YYYY-MM-DD"},
		{[]string{"print-labels", "-sku", "NOPE-1", "-printer", "tspl:file:" + prn}, 1, "", `"NOPE-1"`},
		// Two products by SKU and barcode, to a TSPL printer and a preview.
		{[]string{"print-labels", "-sku", "DRK-001, 6900401060280", "-printer", "tspl:file:" + prn, "-preview", pngFile}, 0,
			"DRK-001      Coca-Cola 330ml can  3.00\nDRK-002      Coca-Cola 500ml bottle  3.50\npreview of 2 labels written to " + pngFile +
				"\n2 labels sent to tspl:file:" + prn + "\n", ""},
		// Nothing changed since tomorrow; today the demo catalog arrived, and one price changed.
		{[]string{"print-labels", "-since", tomorrow, "-printer", "zpl:file:" + zpl}, 0, "no labels to print", ""},
		{[]string{"set-price", "DRK-003", "3.80"}, 0, "3.50 → 3.80", ""},
		{[]string{"print-labels", "-since", today, "-printer", "zpl:file:" + zpl}, 0, "DRK-003      Sprite 500ml bottle  3.80\n", ""},
		// The labels.* settings stand in for -printer and -size.
		{[]string{"set", "labels.printer", "/dev/ttyUSB0"}, 1, "", "tspl:PORT or zpl:PORT"},
		{[]string{"set", "labels.size", "60"}, 1, "", "WIDTHxHEIGHT"},
		{[]string{"set", "labels.printer", "tspl:file:" + setPrn}, 0, "labels.printer = tspl:file:", ""},
		{[]string{"set", "labels.size", "60x40"}, 0, "labels.size = 60x40", ""},
		{[]string{"print-labels", "-sku", "DRK-004"}, 0, "1 labels sent to tspl:file:" + setPrn, ""},
	} {
		code, out, errOut := cli(append([]string{"-db", db, "-lang", "en"}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args, code, out, errOut)
		}
	}
	b, err := os.ReadFile(prn)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("SIZE 50 mm,30 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\n")) || bytes.Count(b, []byte("PRINT 1,1\r\n")) != 2 ||
		!bytes.Contains(b, []byte(`BARCODE 16,128,"EAN13",72,1,0,2,2,"544900000099"`)) {
		t.Errorf("TSPL sent:\n%q", b)
	}
	if b, err := os.ReadFile(setPrn); err != nil || !bytes.HasPrefix(b, []byte("SIZE 60 mm,40 mm\r\n")) || bytes.Count(b, []byte("PRINT 1,1")) != 1 {
		t.Errorf("the labels.printer got %q, %v", b, err)
	}
	z, err := os.ReadFile(zpl)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(z, []byte("^XA")); n < 100 || !bytes.Contains(z, []byte("^FD雪碧 500ml瓶装^FS")) {
		t.Errorf("ZPL sent %d labels", n)
	}
	f, err := os.Open(pngFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 432 || b.Dy() != 16+2*(240+16) {
		t.Errorf("preview %v", b)
	}
}
