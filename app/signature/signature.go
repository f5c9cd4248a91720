// Package signature holds a shopper's signature as the till keeps it: the pen's strokes in a normalized
// box, as compact JSON, with a SHA-256 digest that documents and the journal name it by, and drawn from
// the strokes as a black-on-white image for the receipt printer and the screen. It is pure Go.
//
// The strokes are the signature; the picture is derived from them. Rendering is deterministic (integer
// geometry only), so the same strokes always give the same picture, and the picture needs no storing.
package signature

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// Box is the side of the normalized square the strokes are kept in: every coordinate is 0..Box.
const Box = 1000

// Limits on what is kept: a signature is a few dozen strokes of a few hundred points; more is not a
// signature (a finger resting on the glass) and would bloat the database.
const (
	MaxStrokes = 100
	MaxPoints  = 4000 // over all strokes
)

// Point is a pen position in the box, [x, y], y down.
type Point [2]int

// UnmarshalJSON reads [x, y]: exactly two integers (encoding/json would drop a third into a [2]int).
func (p *Point) UnmarshalJSON(b []byte) error {
	var xy []int
	if err := json.Unmarshal(b, &xy); err != nil {
		return err
	}
	if len(xy) != 2 {
		return fmt.Errorf("point %s: not [x,y]", b)
	}
	*p = Point{xy[0], xy[1]}
	return nil
}

// Stroke is the pen's path from touching the pad to lifting off it: one point is a dot.
type Stroke []Point

// Signature is a signature's strokes, in the order drawn. A nil or empty Signature is no signature.
type Signature []Stroke

// ErrInvalid says stored or received strokes are not a signature.
var ErrInvalid = errors.New("signature: invalid strokes")

// Empty reports whether s holds nothing signed.
func (s Signature) Empty() bool { return len(s) == 0 }

// Normalize maps strokes drawn on a pad w×h (in the pad's own units, y down) into the box, keeping the
// aspect: the pad's longer side spans 0..Box. Points off the pad are clamped to its edge, a point equal
// to the one before it is dropped, and strokes that end up empty are left out.
func Normalize(strokes [][][2]float32, w, h float32) Signature {
	side := max(w, h)
	if side <= 0 {
		return nil
	}
	var s Signature
	for _, in := range strokes {
		var st Stroke
		for _, p := range in {
			q := Point{scale(p[0], w, side), scale(p[1], h, side)}
			if len(st) > 0 && st[len(st)-1] == q {
				continue
			}
			st = append(st, q)
		}
		if len(st) > 0 {
			s = append(s, st)
		}
	}
	return s
}

// scale maps v on a pad side long (clamped to 0..limit) into the box, rounding to the nearest unit.
func scale(v, limit, side float32) int {
	v = min(max(v, 0), limit)
	return int(v*Box/side + 0.5)
}

// Validate reports whether s is a signature that may be kept: at least one stroke, none empty, every
// point in the box, within MaxStrokes and MaxPoints.
func (s Signature) Validate() error {
	if len(s) == 0 {
		return fmt.Errorf("%w: nothing signed", ErrInvalid)
	}
	if len(s) > MaxStrokes {
		return fmt.Errorf("%w: %d strokes, at most %d", ErrInvalid, len(s), MaxStrokes)
	}
	n := 0
	for i, st := range s {
		if len(st) == 0 {
			return fmt.Errorf("%w: stroke %d is empty", ErrInvalid, i+1)
		}
		for _, p := range st {
			if p[0] < 0 || p[0] > Box || p[1] < 0 || p[1] > Box {
				return fmt.Errorf("%w: point %v outside 0..%d", ErrInvalid, p, Box)
			}
		}
		n += len(st)
	}
	if n > MaxPoints {
		return fmt.Errorf("%w: %d points, at most %d", ErrInvalid, n, MaxPoints)
	}
	return nil
}

// JSON is s as stored and digested: a list of strokes, each a list of [x,y], without spaces:
// [[[10,20],[30,40]],[[500,500]]].
func (s Signature) JSON() []byte {
	if s == nil {
		s = Signature{}
	}
	b, _ := json.Marshal(s) // ints in slices: cannot fail
	return b
}

// Parse reads strokes written by JSON and validates them: what a signature from outside goes through.
func Parse(b []byte) (Signature, error) {
	s, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Decode reads strokes written by JSON without the limits Validate sets: what reading a stored
// signature goes through, so that a limit tightened later never makes a stored sale unreadable.
func Decode(b []byte) (Signature, error) {
	var s Signature
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return s, nil
}

// Digest is the SHA-256 of s's JSON in lower-case hex: what documents and the journal name it by.
func (s Signature) Digest() string {
	sum := sha256.Sum256(s.JSON())
	return hex.EncodeToString(sum[:])
}

// Smooth rounds a stroke's corners by Chaikin's corner cutting, twice: each segment's inner quarter
// points replace its corners, the ends staying where the pen touched and lifted. A stroke of one or two
// points is returned as it is.
func Smooth(st Stroke) Stroke {
	for range 2 {
		if len(st) < 3 {
			return st
		}
		out := make(Stroke, 0, 2*len(st))
		out = append(out, st[0])
		for i := 0; i+1 < len(st); i++ {
			a, b := st[i], st[i+1]
			out = append(out, Point{div4(3*a[0] + b[0]), div4(3*a[1] + b[1])}, Point{div4(a[0] + 3*b[0]), div4(a[1] + 3*b[1])})
		}
		out = append(out, st[len(st)-1])
		st = out
	}
	return st
}

// div4 is v/4 rounded half up, for the non-negative coordinates of the box.
func div4(v int) int { return (v + 2) / 4 }

// Render draws s black on white, width pixels wide: the ink's bounding box fitted with a margin into at
// most width × width/2, keeping the aspect, centered across. Strokes are smoothed (Smooth) and drawn
// with a round pen width/128 pixels across (3 at 384, a thermal printer's 58 mm or the signature's
// width on 80 mm paper). An empty signature draws a blank width × width/4.
func Render(s Signature, width int) *image.Gray {
	width = max(width, 16)
	margin, pen := width/32, max(width/128, 1)
	maxH := width / 2
	img := func(h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, width, h))
		for i := range g.Pix {
			g.Pix[i] = 0xFF
		}
		return g
	}
	if s.Empty() {
		return img(width / 4)
	}
	x0, y0, x1, y1 := Box, Box, 0, 0
	for _, st := range s {
		for _, p := range st {
			x0, y0, x1, y1 = min(x0, p[0]), min(y0, p[1]), max(x1, p[0]), max(y1, p[1])
		}
	}
	bw, bh := max(x1-x0, 1), max(y1-y0, 1)
	// The scale is num/den pixels per box unit, the smaller of what fits across and what fits down.
	num, den := width-2*margin, bw
	if (maxH-2*margin)*bw < num*bh {
		num, den = maxH-2*margin, bh
	}
	h := min(bh*num/den+2*margin, maxH)
	g := img(h)
	ox := (width - bw*num/den) / 2
	at := func(p Point) (int, int) { return ox + (p[0]-x0)*num/den, margin + (p[1]-y0)*num/den }
	for _, st := range s {
		st = Smooth(st)
		px, py := at(st[0])
		dot(g, px, py, pen)
		for _, p := range st[1:] {
			qx, qy := at(p)
			line(g, px, py, qx, qy, pen)
			px, py = qx, qy
		}
	}
	return g
}

// line draws from (x0,y0) to (x1,y1) with Bresenham's steps, a pen-wide dot at each.
func line(g *image.Gray, x0, y0, x1, y1, pen int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		dot(g, x0, y0, pen)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

// dot inks a round dot pen pixels across centered on (x, y).
func dot(g *image.Gray, x, y, pen int) {
	r := pen / 2
	for yy := y - r; yy <= y+r; yy++ {
		for xx := x - r; xx <= x+r; xx++ {
			if (xx-x)*(xx-x)+(yy-y)*(yy-y) <= r*r+r && image.Pt(xx, yy).In(g.Rect) {
				g.Pix[g.PixOffset(xx, yy)] = 0
			}
		}
	}
}

func abs(v int) int { return max(v, -v) }

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// PNG is Render(s, width) as a two-colour (1 bit per pixel) PNG.
func PNG(s Signature, width int) ([]byte, error) {
	g := Render(s, width)
	p := image.NewPaletted(g.Rect, color.Palette{color.Black, color.White})
	for i, v := range g.Pix {
		if v >= 0x80 {
			p.Pix[i] = 1
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
