package receiptimage

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/reportpdf"
)

func sale(t *testing.T, receiptNo string) *app.Sale {
	t.Helper()
	c := app.NewCart(app.DefaultSettings())
	price := money.New(350, money.CNY)
	if _, err := c.Add(app.Product{ID: 1, Name: "Coca-Cola 330ml", NameZH: "可口可乐", Price: price, Unit: app.UnitPiece,
		TaxClass: "standard", Active: true}, 2000); err != nil {
		t.Fatal(err)
	}
	tot := c.Totals()
	cash := money.New(1000, money.CNY)
	return &app.Sale{ReceiptNo: receiptNo, Currency: money.CNY, TaxMode: app.TaxInclusive, Lines: c.Lines(), Totals: tot,
		CompletedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local),
		Tenders:     []app.Tender{{Kind: app.TenderCash, Amount: tot.Total, Tendered: cash, Change: cash.Sub(tot.Total)}}}
}

// decodeQR finds and reads the QR code anywhere in the receipt image, as a phone camera or a 2D scanner
// pointed at the screen would.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestPNGDecodesBackToTheReceiptNumber(t *testing.T) {
	var fonts Fonts
	if path, err := reportpdf.FindFont(); err == nil { // draw the Chinese with a real font where there is one
		fonts.CJK, _ = os.ReadFile(path)
	}
	r, err := New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, receiptNo string
		cols            int
	}{
		{"en", "T01-000042", 32},
		{"zh-Hans", "T02-001234", 48},
		{"en", "SHOP7-999999", 48},
	} {
		rec := app.Receipt{Sale: sale(t, tt.receiptNo), Lang: tt.lang, Shop: app.Shop{Name: "林记 Corner Shop"}, Copy: tt.lang == "zh-Hans"}
		b, err := r.PNG(rec.Layout(tt.cols), tt.cols)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w != tt.cols*cellW+2*margin {
			t.Errorf("%d columns drawn %d px wide", tt.cols, w)
		}
		if got := decodeQR(t, img); got != tt.receiptNo {
			t.Errorf("%s receipt's QR code reads %q, want %q", tt.lang, got, tt.receiptNo)
		}
	}
}

func TestRowsLineUpInColumns(t *testing.T) {
	r, err := New(Fonts{})
	if err != nil {
		t.Fatal(err)
	}
	// A right-aligned amount ends at the paper's right edge, whatever the characters before it.
	rows := []app.ReceiptRow{{Text: "合计", Align: app.AlignRight}, {Text: "ab", Align: app.AlignRight}}
	img := r.Image(rows, 10)
	inked := func(y0 int) (minX, maxX int) {
		minX, maxX = 1<<30, -1
		for y := y0; y < y0+cellH; y++ {
			for x := 0; x < img.Bounds().Dx(); x++ {
				if c := img.RGBAAt(x, y); c.R < 128 {
					minX, maxX = min(minX, x), max(maxX, x)
				}
			}
		}
		return minX, maxX
	}
	_, right1 := inked(margin)
	_, right2 := inked(margin + cellH)
	edge := margin + 10*cellW
	if right1 >= edge || right2 >= edge || right1 < edge-cellW || right2 < edge-cellW {
		t.Errorf("right ends at %d and %d, want both in the last cell before %d", right1, right2, edge)
	}
}

// A picture row (a signature) is drawn dot for dot, centered on the paper, as the printer's raster does.
func TestPictureRowCentered(t *testing.T) {
	r, err := New(Fonts{})
	if err != nil {
		t.Fatal(err)
	}
	pic := image.NewGray(image.Rect(0, 0, 4, 2)) // all black
	img := r.Image([]app.ReceiptRow{{Kind: app.RowImage, Align: app.AlignCenter, Image: pic}}, 2)
	w := 2 * cellW
	if img.Bounds().Dy() != 2+2*margin {
		t.Fatalf("height %d", img.Bounds().Dy())
	}
	for x := 0; x < w; x++ {
		black := img.RGBAAt(margin+x, margin).R < 128
		if want := x >= (w-4)/2 && x < (w-4)/2+4; black != want {
			t.Errorf("x %d black %v", x, black)
		}
	}
}

// A Chinese font given as LoadCJK is read once, when the first Chinese character is drawn, and draws
// what the font given as CJK draws.
func TestLoadCJKOnFirstChineseCharacter(t *testing.T) {
	path, err := reportpdf.FindFont()
	if err != nil {
		t.Skip(err)
	}
	ttf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loads := 0
	lazy, err := New(Fonts{LoadCJK: func() ([]byte, error) { loads++; return ttf, nil }})
	if err != nil {
		t.Fatal(err)
	}
	eager, err := New(Fonts{CJK: ttf})
	if err != nil {
		t.Fatal(err)
	}
	latin := []app.ReceiptRow{{Text: "Cola 3.50"}}
	lazy.Image(latin, 32)
	if loads != 0 {
		t.Fatalf("a Latin receipt read the Chinese font %d times", loads)
	}
	chinese := []app.ReceiptRow{{Text: "可口可乐 3.50"}, {Text: "绿茶"}}
	got, want := lazy.Image(chinese, 32), eager.Image(chinese, 32)
	lazy.Image(chinese, 32)
	if loads != 1 {
		t.Errorf("the Chinese font was read %d times, want once", loads)
	}
	if !bytes.Equal(got.Pix, want.Pix) {
		t.Error("the font read on first use draws differently from the one given")
	}
}
