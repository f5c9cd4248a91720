// Package picture loads the shop's pictures for the customer display: its logo and the slides it shows
// between sales. PNG and JPEG only, through image.Decode; a file too large to be a picture, or one that
// would decode into more pixels than a till's memory should hold, is refused before it is decoded.
package picture

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG with image.Decode
	_ "image/png"  // registers PNG with image.Decode
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// MaxFileSize is the largest picture file read: 20 MB.
const MaxFileSize = 20 << 20

// maxPixels is the most pixels a picture may decode into (a 40-megapixel photo is about 160 MB in
// memory, briefly, before it is scaled down).
const maxPixels = 40_000_000

// ErrNotPicture is returned for a file that is not a PNG or JPEG picture, or one too large.
var ErrNotPicture = errors.New("not a PNG or JPEG picture")

// Check reads only the head of the picture at path: whether Load would take it.
func Check(path string) error {
	f, err := open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = config(f, path)
	return err
}

// Load reads the PNG or JPEG picture at path and returns it scaled down, keeping its proportions, so
// that neither side is longer than maxSide pixels; a smaller picture is returned as it is.
func Load(path string, maxSide int) (image.Image, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := config(f, path); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(io.LimitReader(f, MaxFileSize))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrNotPicture, err)
	}
	return Fit(img, maxSide), nil
}

// Fit returns img scaled down so that neither side is longer than maxSide, or img itself when it fits.
func Fit(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if maxSide <= 0 || (w <= maxSide && h <= maxSide) {
		return img
	}
	if w >= h {
		w, h = maxSide, max(1, h*maxSide/w)
	} else {
		w, h = max(1, w*maxSide/h), maxSide
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}

// Slides lists the pictures in dir: its .png, .jpg and .jpeg files (any case), sorted by name; other
// files and folders are left out.
func Slides(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
	}
	slices.Sort(paths)
	return paths, nil
}

func open(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, err
	case !info.Mode().IsRegular():
		f.Close()
		return nil, fmt.Errorf("%s: %w: not a file", path, ErrNotPicture)
	case info.Size() > MaxFileSize:
		f.Close()
		return nil, fmt.Errorf("%s: %w: larger than %d MB", path, ErrNotPicture, MaxFileSize>>20)
	}
	return f, nil
}

func config(r io.Reader, path string) (image.Config, error) {
	c, _, err := image.DecodeConfig(r)
	switch {
	case err != nil:
		return c, fmt.Errorf("%s: %w: %v", path, ErrNotPicture, err)
	case c.Width <= 0 || c.Height <= 0 || int64(c.Width)*int64(c.Height) > maxPixels:
		return c, fmt.Errorf("%s: %w: %d×%d pixels is too many", path, ErrNotPicture, c.Width, c.Height)
	}
	return c, nil
}
