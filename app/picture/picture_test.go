package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadScalesDownAndRefusesWhatIsNotAPicture(t *testing.T) {
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.png")
	writePNG(t, wide, 400, 100)
	img, err := Load(wide, 200)
	if err != nil || img.Bounds().Dx() != 200 || img.Bounds().Dy() != 50 {
		t.Fatalf("wide: %v, %v", img.Bounds(), err)
	}
	small := filepath.Join(dir, "small.png")
	writePNG(t, small, 30, 60)
	if img, err := Load(small, 200); err != nil || img.Bounds().Dx() != 30 {
		t.Fatalf("small: %v, %v", img, err)
	}
	garbage := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(garbage, []byte("not a picture at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(garbage, 200); !errors.Is(err, ErrNotPicture) {
		t.Errorf("garbage: %v", err)
	}
	if err := Check(garbage); !errors.Is(err, ErrNotPicture) {
		t.Errorf("check garbage: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.png"), 200); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if err := Check(dir); !errors.Is(err, ErrNotPicture) {
		t.Errorf("a folder: %v", err)
	}
	huge := filepath.Join(dir, "huge.png")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := Check(huge); !errors.Is(err, ErrNotPicture) {
		t.Errorf("over 20 MB: %v", err)
	}
}

// A small file that claims more pixels than a till should decode is refused from its header.
func TestLoadRefusesADecompressionBomb(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.png")
	writePNG(t, path, 1, 1)
	data, _ := os.ReadFile(path)
	// IHDR's width and height are the 4 bytes each after "IHDR"; the CRC is not checked by DecodeConfig.
	i := bytes.Index(data, []byte("IHDR")) + 4
	copy(data[i:], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20}) // 20000 × 20000
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, 100); !errors.Is(err, ErrNotPicture) {
		t.Fatalf("bomb: %v", err)
	}
}

func TestSlidesAreThePicturesByName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.JPG", "a.png", "c.jpeg", "notes.txt", "d.gif"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "e.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := Slides(dir)
	want := []string{filepath.Join(dir, "a.png"), filepath.Join(dir, "b.JPG"), filepath.Join(dir, "c.jpeg")}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("Slides = %v, %v", got, err)
	}
	if _, err := Slides(filepath.Join(dir, "none")); err == nil {
		t.Error("a missing folder lists no error")
	}
}
