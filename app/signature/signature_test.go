package signature

import (
	"bytes"
	"errors"
	"image/png"
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tt := range []struct {
		name    string
		strokes [][][2]float32
		w, h    float32
		want    Signature
	}{
		{"the longer side spans the box", [][][2]float32{{{0, 0}, {300, 100}, {150, 50}}}, 300, 100,
			Signature{{{0, 0}, {1000, 333}, {500, 167}}}},
		{"a tall pad", [][][2]float32{{{100, 400}}}, 100, 400, Signature{{{250, 1000}}}},
		{"off the pad is clamped to its edge", [][][2]float32{{{-5, -5}, {400, 120}}}, 300, 100,
			Signature{{{0, 0}, {1000, 333}}}},
		{"repeated points dropped, empty strokes left out", [][][2]float32{{{3, 3}, {3, 3}, {3.1, 3}, {6, 3}}, {}, {{30, 30}}}, 300, 100,
			Signature{{{10, 10}, {20, 10}}, {{100, 100}}}},
		{"no pad", [][][2]float32{{{1, 1}}}, 0, 0, nil},
	} {
		if got := Normalize(tt.strokes, tt.w, tt.h); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestJSONDigestAndParse(t *testing.T) {
	s := Signature{{{10, 20}, {30, 40}}, {{500, 500}}}
	if got := string(s.JSON()); got != "[[[10,20],[30,40]],[[500,500]]]" {
		t.Errorf("JSON %s", got)
	}
	// sha256("[[[10,20],[30,40]],[[500,500]]]"), as `printf %s … | sha256sum` gives it.
	if got := s.Digest(); got != "f738536b9310245beffec20dd4bf344e1c7205c8b5a19597efe6a49b705d52a2" {
		t.Errorf("digest %s", got)
	}
	back, err := Parse(s.JSON())
	if err != nil || !reflect.DeepEqual(back, s) || back.Digest() != s.Digest() {
		t.Errorf("parsed back %v, %v", back, err)
	}
	if (Signature{{{1, 1}}}).Digest() == s.Digest() {
		t.Error("two signatures with one digest")
	}
	for _, bad := range []string{``, `{}`, `[]`, `[[]]`, `[[[1001,0]]]`, `[[[0,-1]]]`, `[[[1,2,3]]]`, `[[["a",1]]]`,
		"[" + strings.Repeat(`[[1,1]],`, MaxStrokes) + `[[1,1]]]`,
		"[[" + strings.Repeat(`[1,1],`, MaxPoints) + `[1,1]]]`} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%.40s…) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestSmooth(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   Stroke
		want Stroke
	}{
		{"a dot", Stroke{{5, 5}}, Stroke{{5, 5}}},
		{"a segment", Stroke{{0, 0}, {100, 0}}, Stroke{{0, 0}, {100, 0}}},
		// Once: 0,0 25,0 75,0 100,25 100,75 100,100; then again over those, quarters rounded half up.
		{"a corner", Stroke{{0, 0}, {100, 0}, {100, 100}}, Stroke{{0, 0}, {6, 0}, {19, 0}, {38, 0}, {63, 0}, {81, 6}, {94, 19},
			{100, 38}, {100, 63}, {100, 81}, {100, 94}, {100, 100}}},
	} {
		if got := Smooth(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A cross drawn at 384 pixels: monochrome, ink where the strokes are, none in the margin, the same
// picture every time.
func TestRender(t *testing.T) {
	// A horizontal stroke across the middle of a wide pad: a band of ink across the picture, inside the
	// margin, nothing else.
	s := Signature{{{0, 100}, {1000, 100}}, {{500, 0}, {500, 200}}}
	g := Render(s, 384)
	if g.Rect.Dx() != 384 || g.Rect.Dy() > 192 || g.Rect.Dy() < 48 {
		t.Fatalf("size %v", g.Rect)
	}
	black := 0
	for _, v := range g.Pix {
		switch v {
		case 0:
			black++
		case 0xFF:
		default:
			t.Fatalf("grey pixel %d: not monochrome", v)
		}
	}
	if black < 350*3 || black > 384*g.Rect.Dy()/4 {
		t.Errorf("%d black pixels", black)
	}
	for y := range g.Rect.Dy() { // the margin stays white
		for _, x := range []int{0, 383} {
			if g.GrayAt(x, y).Y == 0 {
				t.Fatalf("ink in the margin at %d,%d", x, y)
			}
		}
	}
	mid := g.Rect.Dy() / 2
	if g.GrayAt(192, mid).Y != 0 || g.GrayAt(100, mid).Y != 0 {
		t.Error("no ink where the strokes cross the middle")
	}
	if !reflect.DeepEqual(Render(s, 384).Pix, g.Pix) {
		t.Error("the same strokes drew two pictures")
	}
	if e := Render(nil, 384); e.Rect.Dx() != 384 || bytes.IndexByte(e.Pix, 0) >= 0 {
		t.Errorf("empty signature drew %v with ink", e.Rect)
	}
	if d := Render(Signature{{{500, 500}}}, 384); bytes.IndexByte(d.Pix, 0) < 0 {
		t.Error("a dot drew nothing")
	}
}

func TestPNG(t *testing.T) {
	b, err := PNG(Signature{{{0, 0}, {1000, 300}}}, 384)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 384 {
		t.Fatalf("decoded %v, %v", img, err)
	}
	if b[24] != 1 || b[25] != 3 { // IHDR bit depth 1, colour type 3 (palette): monochrome
		t.Errorf("bit depth %d colour type %d", b[24], b[25])
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`[[[10,20],[30,40]],[[500,500]]]`))
	f.Add([]byte(`[[[1001,0]]]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		again, err := Parse(s.JSON())
		if err != nil || again.Digest() != s.Digest() {
			t.Fatalf("round trip of %s: %v", b, err)
		}
	})
}
