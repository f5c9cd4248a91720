package till

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	// A printer set up with a size mistyped: every label says so, none is quietly saved as a picture.
	mistyped := app.Settings{Devices: map[string]string{"labels.printer": "zpl:file:" + prn, "labels.size": "50 by 30"}}
	s, err = newShelfLabels(mistyped, dir, r, "en")
	if err == nil {
		t.Fatal("a bad labels.size passed")
	}
	if file, err := s.PrintLabel(e); err == nil || file != "" || !strings.Contains(err.Error(), "labels.") {
		t.Fatalf("a label with a bad labels.size: %q, %v", file, err)
	}
}

// The labels for price changes since a day go out together: the products the store's price history
// names, from the start of that day, and none (nothing printed) when no price changed; a day so early
// that it would label more than maxChangedLabels products is refused.
func TestShelfLabelsForPriceChanges(t *testing.T) {
	r, err := receiptimage.New(receiptimage.Fonts{})
	if err != nil {
		t.Fatal(err)
	}
	prn := filepath.Join(t.TempDir(), "labels.prn")
	s, err := newShelfLabels(app.Settings{Devices: map[string]string{"labels.printer": "tspl:file:" + prn}}, t.TempDir(), r, "en")
	if err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2026, 12, 7, 12, 0, 0, 0, time.Local)
	var asked []time.Time
	changed := []app.CatalogEntry{
		{Product: app.Product{SKU: "DRK-001", Name: "Cola", Price: money.New(300, money.CNY), Unit: app.UnitPiece}, Barcodes: []string{"5449000000996"}},
		{Product: app.Product{SKU: "SNK-001", Name: "Chips", Price: money.New(650, money.CNY), Unit: app.UnitPiece}, Barcodes: []string{"6924743915763"}},
	}
	s.changed = func(_ context.Context, since time.Time, limit int) ([]app.CatalogEntry, error) {
		asked = append(asked, since)
		return changed[:min(len(changed), limit)], nil
	}
	n, file, err := s.PrintChanged(noon)
	if err != nil || n != 2 || file != "" {
		t.Fatalf("PrintChanged = %d, %q, %v", n, file, err)
	}
	if want := time.Date(2026, 12, 7, 0, 0, 0, 0, time.Local); !asked[0].Equal(want) {
		t.Errorf("asked since %v, want the day's start", asked[0])
	}
	if b, _ := os.ReadFile(prn); strings.Count(string(b), "PRINT 1,1") != 2 {
		t.Errorf("the printer got %q", b)
	}
	changed = nil
	if n, _, err := s.PrintChanged(noon); n != 0 || err != nil {
		t.Fatalf("no change: %d, %v", n, err)
	}
	for range maxChangedLabels + 1 {
		changed = append(changed, app.CatalogEntry{Product: app.Product{SKU: "X", Name: "x", Price: money.New(1, money.CNY), Unit: app.UnitPiece}})
	}
	if _, _, err := s.PrintChanged(noon); err == nil || !strings.Contains(err.Error(), "choose a later day") {
		t.Fatalf("a year of changes: %v", err)
	}
}
