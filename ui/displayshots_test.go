package ui

import (
	"context"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/assets"
)

// TestDisplayScreenshots draws the customer display's states at the two screen sizes it must fit, in
// English and Chinese, to PNG files in $DISPLAY_SHOTS, for a person to look at. Skipped without it.
func TestDisplayScreenshots(t *testing.T) {
	dir := os.Getenv("DISPLAY_SHOTS")
	if dir == "" {
		t.Skip("DISPLAY_SHOTS=DIR draws the customer display to PNG files in DIR")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pictures := t.TempDir()
	logo := filepath.Join(pictures, "logo.png")
	writeLogo(t, logo)
	slides := filepath.Join(pictures, "slides")
	if err := os.Mkdir(slides, 0o755); err != nil {
		t.Fatal(err)
	}
	writePicture(t, filepath.Join(slides, "1.png"), 1280, 720, color.NRGBA{R: 0xe0, G: 0x6c, B: 0x1f, A: 0xff})
	for _, language := range []string{"en", "zh-Hans"} {
		t.Setenv("LANGUAGE", language)
		t.Setenv("LC_ALL", map[string]string{"en": "en_US.UTF-8", "zh-Hans": "zh_CN.UTF-8"}[language])
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			t.Fatal(err)
		}
		for _, size := range []fyne.Size{fyne.NewSize(1024, 600), fyne.NewSize(800, 480)} {
			shoot := func(name string, d *CustomerDisplay) {
				t.Helper()
				d.win.Resize(size)
				d.content.Refresh()
				path := filepath.Join(dir, language+"-"+name+"-"+sizeName(size)+".png")
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := png.Encode(f, d.win.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
			}
			h := newHarness(t)
			ticks := &fakeTicker{}
			set := h.co.Settings()
			set.Shop.Name = "Lin's Corner Shop"
			if err := set.Set("second_currency", "USD"); err != nil {
				t.Fatal(err)
			}
			if err := set.Set("second_rate", "0.1380"); err != nil {
				t.Fatal(err)
			}
			newDisplay := func(pictures app.Display) *CustomerDisplay {
				pictures.SlideEvery = 8 * time.Second
				s := set
				s.Display = pictures
				d := newCustomerDisplay(fyne.CurrentApp(), language, s)
				d.startPictures(func(f func()) { f() }, ticks.start)
				return d
			}
			shoot("idle", newDisplay(app.Display{}))
			shoot("idle-logo", newDisplay(app.Display{Logo: logo}))
			shoot("idle-slideshow", newDisplay(app.Display{Logo: logo, Slideshow: slides}))

			d := newDisplay(app.Display{Logo: logo})
			fillCart(t, h, d)
			d.showMember(&app.Member{Points: 120, Balance: cny(5000)})
			shoot("cart", d)
			if err := d.showQR("00020101021226330014com.example.pay0111SHOP12345675204541153031565406"+h.co.Totals().Total.Decimal()+"5802CN5917Lin's Corner Shop6007Beijing6304ABCD",
				h.co.Totals().Total); err != nil {
				t.Fatal(err)
			}
			shoot("qr", d)
			d.waitingForPhone(h.co.Totals().Total)
			shoot("wallet-waiting", d)
			d.showDue(h.co.Lines(), h.co.Totals(), []app.Tender{{Kind: app.TenderCash, Amount: cny(500)}}, cny(825))
			shoot("due", d)
			d.declined()
			shoot("declined", d)
			sale, err := h.co.SettleCash(context.Background(), cny(5000))
			if err != nil {
				t.Fatal(err)
			}
			d.showCart(nil, app.Totals{})
			d.thankYou(sale)
			shoot("change", d)
		}
	}
}

func sizeName(s fyne.Size) string {
	return map[float32]string{1024: "1024x600", 800: "800x480"}[s.Width]
}

// writeLogo writes a small two-colour logo, wider than high, as shops' logos are.
func writeLogo(t *testing.T, path string) {
	t.Helper()
	writePicture(t, path, 360, 120, color.NRGBA{R: 0x1f, G: 0x8a, B: 0x4c, A: 0xff})
}
