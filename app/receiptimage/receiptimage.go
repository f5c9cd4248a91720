// Package receiptimage draws a laid-out receipt (app.Receipt.Layout) as the printer would print it, for
// the on-screen preview and a PNG a shop without a printer can show or send: the same rows, the same
// columns (12 × 24 dots per character, a Chinese one 24 wide), the same QR code of the receipt number.
package receiptimage

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"checkout/app"
)

// The printer's standard font (Font A) cell, in dots at 203 dpi, and the QR module size it prints.
const (
	cellW     = 12
	cellH     = 24
	qrModule  = 6
	margin    = 16
	fontPx    = 20 // Go Mono at 20 px advances 12 px: one cell
	cjkFontPx = 22
)

// Fonts are the TrueType/OpenType fonts to draw with. Latin nil uses Go Mono; CJK nil draws a Chinese
// character the Latin font lacks as an outlined box (the receipt still lines up).
type Fonts struct {
	Latin []byte
	CJK   []byte
	// LoadCJK, when CJK is nil, reads the Chinese font when the first Chinese character is drawn: a
	// CJK font is megabytes, which a till that never shows a receipt image need not keep (issue 26).
	// A font it cannot give or that does not parse draws boxes, as a nil CJK does.
	LoadCJK func() ([]byte, error)
}

// Renderer draws receipts; make it once with New and reuse it.
type Renderer struct {
	latin, cjk font.Face
	loadCJK    func() ([]byte, error)
	cjkOnce    sync.Once
}

// New loads the fonts.
func New(f Fonts) (*Renderer, error) {
	if f.Latin == nil {
		f.Latin = gomono.TTF
	}
	r := &Renderer{loadCJK: f.LoadCJK}
	var err error
	if r.latin, err = face(f.Latin, fontPx); err != nil {
		return nil, fmt.Errorf("receipt latin font: %w", err)
	}
	if f.CJK != nil {
		if r.cjk, err = face(f.CJK, cjkFontPx); err != nil {
			return nil, fmt.Errorf("receipt Chinese font: %w", err)
		}
	}
	return r, nil
}

// cjkFace is the Chinese font, loaded by the first call when New was given LoadCJK.
func (r *Renderer) cjkFace() font.Face {
	r.cjkOnce.Do(func() {
		if r.cjk != nil || r.loadCJK == nil {
			return
		}
		if b, err := r.loadCJK(); err == nil {
			r.cjk, _ = face(b, cjkFontPx)
		}
	})
	return r.cjk
}

func face(ttf []byte, px float64) (font.Face, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull})
}

// Image draws rows cols characters wide, black on white.
func (r *Renderer) Image(rows []app.ReceiptRow, cols int) *image.RGBA {
	width := cols*cellW + 2*margin
	var parts []*image.RGBA
	height := 2 * margin
	for _, row := range rows {
		p := r.row(row, cols)
		parts = append(parts, p)
		height += p.Bounds().Dy()
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	xdraw.Draw(img, img.Bounds(), image.White, image.Point{}, xdraw.Src)
	y := margin
	for _, p := range parts {
		xdraw.Draw(img, image.Rect(margin, y, margin+p.Bounds().Dx(), y+p.Bounds().Dy()), p, image.Point{}, xdraw.Over)
		y += p.Bounds().Dy()
	}
	return img
}

// PNG draws rows as Image does and encodes them.
func (r *Renderer) PNG(rows []app.ReceiptRow, cols int) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, r.Image(rows, cols)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// row draws one row the paper's width wide.
func (r *Renderer) row(row app.ReceiptRow, cols int) *image.RGBA {
	w := cols * cellW
	switch row.Kind {
	case app.RowFeed:
		return blank(w, cellH)
	case app.RowQR:
		return r.qr(row, w)
	case app.RowImage:
		return picture(row, w)
	}
	line := r.Text(row.Text, row.Bold)
	sx, sy := 1, 1
	if row.Wide {
		sx = 2
	}
	if row.Tall {
		sy = 2
	}
	out := blank(w, cellH*sy)
	lw := min(line.Bounds().Dx()*sx, w)
	x := 0
	switch row.Align {
	case app.AlignCenter:
		x = (w - lw) / 2
	case app.AlignRight:
		x = w - lw
	}
	xdraw.NearestNeighbor.Scale(out, image.Rect(x, 0, x+line.Bounds().Dx()*sx, cellH*sy), line, line.Bounds(), xdraw.Over, nil)
	return out
}

// Text draws s on one line of the printer's cells, black on white: 12 × 24 dots a column, a Chinese
// character two. Shelf labels draw their text with it, in the cells the label printer's font has.
func (r *Renderer) Text(s string, bold bool) *image.RGBA {
	line := blank(app.ReceiptColumns(s)*cellW, cellH)
	col := 0
	for _, ch := range s {
		cw := app.ReceiptColumns(string(ch))
		r.glyph(line, ch, col*cellW, cw*cellW, bold)
		col += cw
	}
	return line
}

// glyph draws ch in the cell at x, cw dots wide: the Latin font, else the Chinese one, else a box.
func (r *Renderer) glyph(dst *image.RGBA, ch rune, x, cw int, bold bool) {
	f := r.latin
	if _, ok := f.GlyphAdvance(ch); !ok || cw > cellW {
		f = r.cjkFace()
		if f == nil {
			if _, ok := r.latin.GlyphAdvance(ch); ok {
				f = r.latin
			}
		}
	}
	if f == nil || ch == ' ' {
		if ch != ' ' {
			box(dst, image.Rect(x+2, 3, x+cw-2, cellH-3))
		}
		return
	}
	adv, _ := f.GlyphAdvance(ch)
	dx := fixed.I(x) + (fixed.I(cw)-adv)/2
	base := fixed.I(cellH) - fixed.I(cellH)/5
	d := &font.Drawer{Dst: dst, Src: image.Black, Face: f, Dot: fixed.Point26_6{X: dx, Y: base}}
	d.DrawString(string(ch))
	if bold {
		d.Dot = fixed.Point26_6{X: dx + fixed.I(1), Y: base}
		d.DrawString(string(ch))
	}
}

// qr draws a QR code of row.Text, module for module as the printer's GS ( k prints it (model 2,
// error correction M, 6-dot modules), with its quiet zone.
func (r *Renderer) qr(row app.ReceiptRow, w int) *image.RGBA {
	code, err := qrcode.New(row.Text, qrcode.Medium)
	if err != nil {
		return blank(w, cellH)
	}
	bits := code.Bitmap() // with a 4-module quiet zone
	size := len(bits) * qrModule
	out := blank(w, size)
	x0 := max((w-size)/2, 0)
	for y, line := range bits {
		for x, on := range line {
			if on {
				xdraw.Draw(out, image.Rect(x0+x*qrModule, y*qrModule, x0+(x+1)*qrModule, (y+1)*qrModule), image.Black, image.Point{}, xdraw.Src)
			}
		}
	}
	return out
}

// picture draws a row's image dot for dot in its alignment, cut to the paper's width.
func picture(row app.ReceiptRow, w int) *image.RGBA {
	if row.Image == nil {
		return blank(w, cellH)
	}
	b := row.Image.Bounds()
	out := blank(w, b.Dy())
	x := 0
	switch row.Align {
	case app.AlignCenter:
		x = max((w-b.Dx())/2, 0)
	case app.AlignRight:
		x = max(w-b.Dx(), 0)
	}
	xdraw.Draw(out, image.Rect(x, 0, x+b.Dx(), b.Dy()), row.Image, b.Min, xdraw.Src)
	return out
}

func blank(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), h))
	xdraw.Draw(img, img.Bounds(), image.White, image.Point{}, xdraw.Src)
	return img
}

func box(dst *image.RGBA, rect image.Rectangle) {
	for x := rect.Min.X; x < rect.Max.X; x++ {
		dst.Set(x, rect.Min.Y, color.Black)
		dst.Set(x, rect.Max.Y-1, color.Black)
	}
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		dst.Set(rect.Min.X, y, color.Black)
		dst.Set(rect.Max.X-1, y, color.Black)
	}
}
