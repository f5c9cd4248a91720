package shelflabel

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	xdraw "golang.org/x/image/draw"

	"checkout/app/receiptimage"
)

// Image draws the label dot for dot as the printer prints it: its text in the receipt renderer's cells
// (the same 12 × 24 grid the layout measures), its barcode's bars module for module with the digits
// below.
func (l Label) Image(r *receiptimage.Renderer) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, l.Stock.Width(), l.Stock.Height()))
	xdraw.Draw(img, img.Bounds(), image.White, image.Point{}, xdraw.Src)
	for _, e := range l.Elements {
		switch e.Kind {
		case KindText:
			line := r.Text(e.Text, false)
			b := line.Bounds()
			xdraw.NearestNeighbor.Scale(img, image.Rect(e.X, e.Y, e.X+b.Dx()*e.Scale, e.Y+b.Dy()*e.Scale), line, b, xdraw.Over, nil)
		case KindBarcode:
			bars, err := Bars(e.Symbology, e.Text)
			if err != nil {
				continue // Lay makes only codes that encode; a hand-made bad one prints nothing here either
			}
			x0 := e.X + quiet(e.Symbology)*e.Module
			for i, on := range bars {
				if on {
					xdraw.Draw(img, image.Rect(x0+i*e.Module, e.Y, x0+(i+1)*e.Module, e.Y+e.Height), image.Black, image.Point{}, xdraw.Src)
				}
			}
			digits := r.Text(e.Text, false)
			w := len(bars) * e.Module
			dx := x0 + max((w-digits.Bounds().Dx())/2, 0)
			xdraw.Draw(img, image.Rect(dx, e.Y+e.Height, dx+digits.Bounds().Dx(), e.Y+e.Height+CellH), digits, image.Point{}, xdraw.Over)
		}
	}
	return img
}

// quiet is the quiet zone left of a barcode's first bar, in modules, as modules counts it.
func quiet(s Symbology) int {
	switch s {
	case EAN13:
		return 11
	case EAN8:
		return 7
	}
	return 10
}

// Bars is a barcode's modules, black true, without quiet zones.
func Bars(s Symbology, data string) ([]bool, error) {
	var w gozxing.Writer
	var f gozxing.BarcodeFormat
	switch s {
	case EAN13:
		w, f = oned.NewEAN13Writer(), gozxing.BarcodeFormat_EAN_13
	case EAN8:
		w, f = oned.NewEAN8Writer(), gozxing.BarcodeFormat_EAN_8
	case Code128:
		w, f = oned.NewCode128Writer(), gozxing.BarcodeFormat_CODE_128
	default:
		return nil, fmt.Errorf("no barcode")
	}
	m, err := w.Encode(data, f, 0, 1, map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_MARGIN: 0})
	if err != nil {
		return nil, err
	}
	out := make([]bool, m.GetWidth())
	for x := range out {
		out[x] = m.Get(x, 0)
	}
	return out, nil
}

// Preview draws labels one under another, each framed in grey as it sits on the roll, and encodes them
// as PNG.
func Preview(r *receiptimage.Renderer, labels []Label) ([]byte, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("no labels to preview")
	}
	const gap = 16
	w, h := 0, gap
	for _, l := range labels {
		w = max(w, l.Stock.Width()+2*gap)
		h += l.Stock.Height() + gap
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.Draw(out, out.Bounds(), &image.Uniform{color.Gray{0xd0}}, image.Point{}, xdraw.Src)
	y := gap
	for _, l := range labels {
		img := l.Image(r)
		xdraw.Draw(out, img.Bounds().Add(image.Pt(gap, y)), img, image.Point{}, xdraw.Src)
		y += img.Bounds().Dy() + gap
	}
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
