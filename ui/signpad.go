package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"checkout/app/signature"
)

// SignaturePad is where the shopper signs with a finger (or the mouse): each drag is a stroke, drawn as
// it goes and smoothed as it will print. Signature reads what was signed into the normalized box.
type SignaturePad struct {
	widget.BaseWidget
	strokes [][][2]float32 // in the pad's own units, as drawn
	drawing bool           // a drag is under way: its moves go on the last stroke
	// OnChanged runs after every change, with whether the pad is now empty.
	OnChanged func(empty bool)
}

var (
	_ fyne.Draggable = (*SignaturePad)(nil)
	_ fyne.Tappable  = (*SignaturePad)(nil)
)

// NewSignaturePad returns an empty pad.
func NewSignaturePad() *SignaturePad {
	p := &SignaturePad{}
	p.ExtendBaseWidget(p)
	return p
}

// Dragged draws: the first move of a drag starts a stroke where the finger went down.
func (p *SignaturePad) Dragged(e *fyne.DragEvent) {
	at := [2]float32{e.Position.X, e.Position.Y}
	if !p.drawing {
		p.drawing = true
		from := [2]float32{e.Position.X - e.Dragged.DX, e.Position.Y - e.Dragged.DY}
		p.strokes = append(p.strokes, [][2]float32{from})
	}
	last := len(p.strokes) - 1
	p.strokes[last] = append(p.strokes[last], at)
	p.changed()
}

// DragEnd lifts the pen: the next drag is a new stroke. The pad's owner hears of it (OnChanged), as the
// press took the keys' focus.
func (p *SignaturePad) DragEnd() {
	p.drawing = false
	p.changed()
}

// Tapped puts a dot, the dot over an i.
func (p *SignaturePad) Tapped(e *fyne.PointEvent) {
	p.strokes = append(p.strokes, [][2]float32{{e.Position.X, e.Position.Y}})
	p.changed()
}

// Clear wipes the pad to sign again.
func (p *SignaturePad) Clear() {
	p.strokes, p.drawing = nil, false
	p.changed()
}

// Empty reports whether nothing is signed.
func (p *SignaturePad) Empty() bool { return p.Signature().Empty() }

// Signature is what is signed, in the normalized box.
func (p *SignaturePad) Signature() signature.Signature {
	size := p.Size()
	return signature.Normalize(p.strokes, size.Width, size.Height)
}

func (p *SignaturePad) changed() {
	p.Refresh()
	if p.OnChanged != nil {
		p.OnChanged(p.Empty())
	}
}

// CreateRenderer draws the pad: white paper, a line to sign on, the strokes.
func (p *SignaturePad) CreateRenderer() fyne.WidgetRenderer {
	r := &signPadRenderer{pad: p, paper: canvas.NewRectangle(color.White), baseline: canvas.NewLine(color.Gray{Y: 0xA0})}
	r.paper.StrokeColor, r.paper.StrokeWidth = color.Gray{Y: 0x80}, 1
	r.Refresh()
	return r
}

type signPadRenderer struct {
	pad      *SignaturePad
	paper    *canvas.Rectangle
	baseline *canvas.Line
	ink      []fyne.CanvasObject
}

// padMinSize is room for a signature at a comfortable finger's size, 3 : 1 like the printed one.
var padMinSize = fyne.NewSize(540, 180)

func (r *signPadRenderer) MinSize() fyne.Size { return padMinSize }

func (r *signPadRenderer) Layout(size fyne.Size) {
	r.paper.Resize(size)
	r.baseline.Position1 = fyne.NewPos(size.Width*0.05, size.Height*0.8)
	r.baseline.Position2 = fyne.NewPos(size.Width*0.95, size.Height*0.8)
	r.Refresh()
}

// Refresh draws the strokes as they will print: normalized, smoothed, and mapped back onto the pad.
func (r *signPadRenderer) Refresh() {
	size := r.pad.Size()
	side := max(size.Width, size.Height) / signature.Box
	r.ink = nil
	for _, st := range r.pad.Signature() {
		st = signature.Smooth(st)
		at := func(q signature.Point) fyne.Position { return fyne.NewPos(float32(q[0])*side, float32(q[1])*side) }
		if len(st) == 1 {
			st = append(st, st[0]) // a dot: a segment of no length, drawn as the pen's round end
		}
		for i := 1; i < len(st); i++ {
			l := canvas.NewLine(color.Black)
			l.StrokeWidth = 3
			l.Position1, l.Position2 = at(st[i-1]), at(st[i])
			r.ink = append(r.ink, l)
		}
	}
	r.paper.Refresh()
	r.baseline.Refresh()
	canvas.Refresh(r.pad)
}

func (r *signPadRenderer) Objects() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{r.paper, r.baseline}, r.ink...)
}

func (r *signPadRenderer) Destroy() {}
