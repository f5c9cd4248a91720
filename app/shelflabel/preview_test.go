package shelflabel

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/receiptimage"
	"checkout/app/reportpdf"
)

func renderer(t *testing.T) *receiptimage.Renderer {
	t.Helper()
	var fonts receiptimage.Fonts
	if path, err := reportpdf.FindFont(); err == nil {
		fonts.CJK, _ = os.ReadFile(path)
	}
	r, err := receiptimage.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// decode reads the barcode of a label's image back, as a scanner at the shelf would.
func decode(t *testing.T, img image.Image, sym Symbology) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	readers := map[Symbology]gozxing.Reader{EAN13: oned.NewEAN13Reader(), EAN8: oned.NewEAN8Reader(), Code128: oned.NewCode128Reader()}
	res, err := readers[sym].Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode %v: %v", sym, err)
	}
	return res.GetText()
}

// The preview is drawn from the layout the printer's bytes come from: a label of the stock's dots,
// with its text inked where the layout puts it and a barcode that scans back to the product's code.
func TestPreviewScansBack(t *testing.T) {
	r := renderer(t)
	cny := money.CNY
	for _, it := range []Item{
		{SKU: "COKE330", Name: "Coca-Cola 330ml", NameZH: "可口可乐", Price: money.New(350, cny), Barcode: "5449000000996"},
		{SKU: "APPLE", Name: "Apples", Price: money.New(1280, cny), Unit: app.UnitKg, Barcode: "96385074"},
		{SKU: "PLU-17", Name: "Loose tea", Price: money.New(8800, cny), Unit: app.UnitKg, Barcode: "PLU-17"},
	} {
		l := Lay(DefaultStock(), it, "zh-Hans")
		img := l.Image(r)
		if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 240 {
			t.Fatalf("%s: image %v, want 400 × 240 dots", it.SKU, b)
		}
		var bc Element
		for _, e := range l.Elements {
			if e.Kind == KindBarcode {
				bc = e
			}
			if e.Kind == KindText && dark(img, image.Rect(e.X, e.Y, e.X+app.ReceiptColumns(e.Text)*CellW*e.Scale, e.Y+CellH*e.Scale)) == 0 {
				t.Errorf("%s: text %q drew nothing", it.SKU, e.Text)
			}
		}
		if bc.Kind != KindBarcode {
			t.Fatalf("%s: no barcode laid out", it.SKU)
		}
		if got := decode(t, img, bc.Symbology); got != bc.Text {
			t.Errorf("%s: the preview's barcode reads %q, want %q", it.SKU, got, bc.Text)
		}
	}
}

func TestPreviewPNG(t *testing.T) {
	r := renderer(t)
	labels := []Label{
		Lay(DefaultStock(), Item{SKU: "A", Name: "A", Price: money.New(100, money.CNY), Barcode: "5449000000996"}, "en"),
		Lay(DefaultStock(), Item{SKU: "B", Name: "B", Price: money.New(200, money.CNY)}, "en"),
	}
	b, err := Preview(r, labels)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds(); got.Dx() != 400+32 || got.Dy() != 16+2*(240+16) {
		t.Errorf("preview %v", got)
	}
	// Each label is white paper with ink on it.
	for i := range labels {
		y := 16 + i*(240+16)
		label := image.Rect(16, y, 416, y+240)
		if n := dark(img, label); n < 500 || n > 400*240/2 {
			t.Errorf("label %d: %d dark dots", i, n)
		}
	}
	if _, err := Preview(r, nil); err == nil {
		t.Error("a preview of no labels")
	}
}

func dark(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c, _, _, _ := img.At(x, y).RGBA(); c < 0x8000 {
				n++
			}
		}
	}
	return n
}
