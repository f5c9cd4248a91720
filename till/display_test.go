package till

import (
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"checkout/app"
)

// The display's logo and slideshow are checked when set: a wrong path or a file that is no picture is
// refused with the reason, before it is saved.
func TestCheckDisplaySettings(t *testing.T) {
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo.png")
	f, err := os.Create(logo)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	garbage := filepath.Join(dir, "garbage.jpg")
	if err := os.WriteFile(garbage, []byte("GIF89a"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ok := range [][2]string{{"display.logo", logo}, {"display.logo", ""}, {"display.slideshow", dir}, {"display.slideshow", ""}} {
		if err := CheckSetting(ok[0], ok[1]); err != nil {
			t.Errorf("%s %q: %v", ok[0], ok[1], err)
		}
	}
	empty := t.TempDir()
	for _, bad := range [][2]string{{"display.logo", garbage}, {"display.logo", filepath.Join(dir, "none.png")}, {"display.logo", dir},
		{"display.slideshow", empty}, {"display.slideshow", filepath.Join(dir, "none")}} {
		if err := CheckSetting(bad[0], bad[1]); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("%s %q: %v", bad[0], bad[1], err)
		}
	}
}
