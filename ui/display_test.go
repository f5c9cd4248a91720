package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"checkout/app"
)

// tea has a Chinese name, for the displays in Chinese.
var tea = app.Product{ID: 3, SKU: "DRK-101", Name: "Jasmine green tea 500ml", NameZH: "茉莉清茶 500毫升", Price: cny(450), Unit: app.UnitPiece,
	TaxClass: "standard", Active: true}

var chips = app.Product{ID: 4, SKU: "SNK-001", Name: "Lay's chips 70g", NameZH: "乐事薯片 70克", Price: cny(650), Unit: app.UnitPiece,
	TaxClass: "standard", Active: true}

// fakeTicker stands for Options.Ticker: the test moves time on by firing the tickers it started.
type fakeTicker struct {
	every   []time.Duration
	fs      []func()
	stopped []bool
}

func (f *fakeTicker) start(d time.Duration, fn func()) (stop func()) {
	i := len(f.fs)
	f.every, f.fs, f.stopped = append(f.every, d), append(f.fs, fn), append(f.stopped, false)
	return func() { f.stopped[i] = true }
}

// tick fires the running tickers of interval d once.
func (f *fakeTicker) tick(d time.Duration) {
	for i, n := 0, len(f.fs); i < n; i++ {
		if !f.stopped[i] && f.every[i] == d {
			f.fs[i]()
		}
	}
}

// running counts the tickers of interval d not stopped.
func (f *fakeTicker) running(d time.Duration) int {
	n := 0
	for i := range f.fs {
		if !f.stopped[i] && f.every[i] == d {
			n++
		}
	}
	return n
}

// newTestDisplay builds a customer display over h's checkout in language, with set's display settings,
// loading pictures in place and ticking through ticks.
func newTestDisplay(h *harness, language string, set app.Display, ticks *fakeTicker) *CustomerDisplay {
	settings := h.co.Settings()
	settings.Display = set
	if settings.Display.SlideEvery == 0 {
		settings.Display.SlideEvery = app.DefaultSlide
	}
	d := newCustomerDisplay(fyne.CurrentApp(), language, settings)
	d.startPictures(func(f func()) { f() }, ticks.start)
	return d
}

// fillCart puts three lines in h's cart (¥14.00), the first with ¥0.75 off, and shows them on d.
func fillCart(t *testing.T, h *harness, d *CustomerDisplay) {
	t.Helper()
	for _, p := range []app.Product{cola, tea, chips} {
		if _, err := h.co.AddProduct(p, 1000); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.co.SetDiscount(0, app.Discount{Amount: cny(75)}); err != nil {
		t.Fatal(err)
	}
	d.showCart(h.co.Lines(), h.co.Totals())
}

// writePicture writes a w×h picture of one colour as PNG or, for a .jpg path, JPEG.
func writePicture(t *testing.T, path string, w, h int, c color.Color) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	var err error
	if filepath.Ext(path) == ".jpg" {
		err = jpeg.Encode(&buf, img, nil)
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkInside fails when a visible object of d's window, or a text's drawing, reaches into the margin.
func checkInside(t *testing.T, d *CustomerDisplay, state string, margin float32) {
	t.Helper()
	size := d.win.Canvas().Size()
	Visit(d.win, func(o fyne.CanvasObject) {
		if o == d.content {
			return
		}
		p, s := o.Position(), o.Size()
		if x, ok := o.(*canvas.Text); ok {
			if x.Text == "" {
				return
			}
			if m := fyne.MeasureText(x.Text, x.TextSize, x.TextStyle); m.Width > s.Width+0.5 {
				t.Errorf("%s at %v: %q is %.0f wide in a box of %.0f", state, size, x.Text, m.Width, s.Width)
			}
		}
		if p.X < margin || p.Y < margin || p.X+s.Width > size.Width-margin+0.01 || p.Y+s.Height > size.Height-margin+0.01 {
			t.Errorf("%s at %v: %T %v+%v is not %.0f inside the edge", state, size, o, p, s, margin)
		}
	})
}

// shownText returns the visible text of d that reads text, or nil.
func shownText(d *CustomerDisplay, text string) *canvas.Text {
	var found *canvas.Text
	Visit(d.win, func(o fyne.CanvasObject) {
		if x, ok := o.(*canvas.Text); ok && x.Text == text {
			found = x
		}
	})
	return found
}

// The display reads at arm's length on the till's 1024×600 screen (lines at 24 or more, the total at
// 64) and stays whole, still readable, on an 800×480 one: every state keeps inside a margin.
func TestDisplaySizesOnSmallScreens(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo.png")
	writePicture(t, logo, 300, 100, color.NRGBA{R: 200, A: 255})
	for _, c := range []struct {
		size              fyne.Size
		line, total, edge float32
	}{{fyne.NewSize(1024, 600), 24, 64, 20}, {fyne.NewSize(800, 480), 20, 52, 16}} {
		d := newTestDisplay(h, "en", app.Display{Logo: logo}, &fakeTicker{})
		if m := d.win.Content().MinSize(); m.Width > 800 || m.Height > 480 {
			t.Fatalf("the display needs at least %v: more than an 800×480 screen", m)
		}
		d.win.Resize(c.size)
		checkInside(t, d, "idle", c.edge)
		if !d.logo.Visible() || d.logo.Size().Height < 100 {
			t.Errorf("at %v the idle screen's logo is %v", c.size, d.logo.Size())
		}
		fillCart(t, h, d)
		d.showMember(&app.Member{Points: 120, Balance: cny(5000)})
		checkInside(t, d, "cart", c.edge)
		for _, text := range []string{"Coca-Cola 330ml can  × 1", "¥2.25", "Jasmine green tea 500ml  × 1", "¥4.50", "Lay's chips 70g  × 1"} {
			if x := shownText(d, text); x == nil || x.TextSize < c.line {
				t.Errorf("at %v the line text %q is %v, under %v", c.size, text, x, c.line)
			}
		}
		if x := shownText(d, "Total ¥13.25"); x == nil || x.TextSize < c.total {
			t.Errorf("at %v the total is %+v, under %v", c.size, x, c.total)
		}
		if !d.logo.Visible() || d.logo.Size().Height > 60 {
			t.Errorf("at %v the logo in the header is %v", c.size, d.logo.Size())
		}
		if err := d.showQR("00020101021226", h.co.Totals().Total); err != nil {
			t.Fatal(err)
		}
		checkInside(t, d, "QR", c.edge)
		if side := d.qr.Size().Width; side < 200 || int(side)%d.qrSide != 0 {
			t.Errorf("at %v the QR code is %v across, for %d modules", c.size, side, d.qrSide)
		}
		d.waitingForPhone(h.co.Totals().Total)
		checkInside(t, d, "waiting", c.edge)
		mustShowIn(t, d.win, "Confirm the payment on your phone", "¥13.25")
		if d.greeting.TextSize < c.line { // what the shopper must do is not squeezed by the member line
			t.Errorf("at %v the request to confirm is %v", c.size, d.greeting.TextSize)
		}
		sale, err := h.co.SettleCash(context.Background(), cny(5000))
		if err != nil {
			t.Fatal(err)
		}
		d.showCart(nil, app.Totals{}) // as the sale screen's refresh does before
		d.thankYou(sale)
		checkInside(t, d, "change", c.edge)
		change := shownText(d, "Your change ¥36.75")
		if change == nil || change.TextSize < c.total {
			t.Fatalf("at %v the change is %+v", c.size, change)
		}
		Visit(d.win, func(o fyne.CanvasObject) {
			if x, ok := o.(*canvas.Text); ok && x != change && x.TextSize >= change.TextSize {
				t.Errorf("at %v %q is as large as the change", c.size, x.Text)
			}
		})
	}
}

// A long sale shows its latest lines, and says how many earlier ones are off the screen.
func TestDisplayShowsTheLatestLines(t *testing.T) {
	h := newHarness(t)
	d := newTestDisplay(h, "en", app.Display{}, &fakeTicker{})
	d.win.Resize(fyne.NewSize(800, 480))
	for i := range 30 {
		p := cola
		p.ID, p.SKU, p.Name = int64(100+i), fmt.Sprint("X-", i), fmt.Sprintf("Item %02d", i)
		if _, err := h.co.AddProduct(p, 1000); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.co.AddProduct(tea, 2000); err != nil {
		t.Fatal(err)
	}
	d.showCart(h.co.Lines(), h.co.Totals())
	checkInside(t, d, "long sale", 16)
	mustShowIn(t, d.win, "Jasmine green tea 500ml  × 2", "more lines above", "Total ¥99.00")
}

// A discounted line shows what it took off, under the line, with the price before it; what the sale saved
// is beside the total, in English and in Chinese.
func TestDisplayShowsDiscounts(t *testing.T) {
	h := newHarness(t)
	d := newTestDisplay(h, "en", app.Display{}, &fakeTicker{})
	fillCart(t, h, d)
	mustShowIn(t, d.win, "Discount −¥0.75", "¥3.00", "¥2.25", "You saved ¥0.75", "Total ¥13.25")
	if was := shownText(d, "¥3.00"); was == nil || d.rows[0].strike.Position().X < was.Position().X || !d.rows[0].strike.Visible() {
		t.Error("the price before the discount is not struck through")
	}
	if d.rows[1].discount.Visible() || d.rows[1].strike.Visible() {
		t.Error("a line without a discount shows one")
	}
	zh := newTestDisplay(h, "zh-Hans", app.Display{}, &fakeTicker{})
	zh.showCart(h.co.Lines(), h.co.Totals())
	mustShowIn(t, zh.win, "茉莉清茶 500毫升  × 1", "−¥0.75")
	if err := h.co.Void(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.co.AddProduct(cola, 1000); err != nil {
		t.Fatal(err)
	}
	d.showCart(h.co.Lines(), h.co.Totals())
	if displays(d, "saved") || displays(d, "Discount") {
		t.Error("a sale without discounts says it saved something")
	}
}

// The shop's logo shows large on the idle screen and small in the header while selling; a logo that is
// missing or not a picture shows nothing and breaks nothing.
func TestDisplayLogo(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	good, garbage := filepath.Join(dir, "logo.png"), filepath.Join(dir, "garbage.png")
	writePicture(t, good, 1200, 400, color.NRGBA{B: 200, A: 255})
	if err := os.WriteFile(garbage, []byte("\x89PNG but not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newTestDisplay(h, "en", app.Display{Logo: good}, &fakeTicker{})
	if d.logo.Image == nil || d.logo.Image.Bounds().Dx() > logoPixels {
		t.Fatalf("the logo was not loaded, or not scaled down: %v", d.logo.Image)
	}
	if !d.logo.Visible() {
		t.Error("the idle screen has no logo")
	}
	fillCart(t, h, d)
	if !d.logo.Visible() {
		t.Error("the header has no logo while selling")
	}
	for _, bad := range []string{garbage, filepath.Join(dir, "missing.png"), dir} {
		d := newTestDisplay(h, "en", app.Display{Logo: bad}, &fakeTicker{})
		d.showCart(h.co.Lines(), h.co.Totals())
		d.showCart(nil, app.Totals{})
		if d.logo.Image != nil || d.logo.Visible() {
			t.Errorf("logo %s: shown", bad)
		}
		mustShowIn(t, d.win, "Welcome")
	}
}

// Between sales the display cycles through the slideshow folder's pictures in name order; a scanned line
// stops it, and it comes back a while after the thank-you screen.
func TestDisplaySlideshow(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	red, green, blue := color.NRGBA{R: 255, A: 255}, color.NRGBA{G: 255, A: 255}, color.NRGBA{B: 255, A: 255}
	writePicture(t, filepath.Join(dir, "b-green.png"), 40, 20, green)
	writePicture(t, filepath.Join(dir, "a-red.png"), 40, 20, red)
	writePicture(t, filepath.Join(dir, "c-blue.jpg"), 40, 20, blue)
	if err := os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("not a slide"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d-broken.png"), []byte("broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	ticks := &fakeTicker{}
	every := 5 * time.Second
	d := newTestDisplay(h, "en", app.Display{Slideshow: dir, SlideEvery: every}, ticks)
	slide := func() string {
		t.Helper()
		if d.slide.Image == nil || !d.slide.Visible() {
			return "none"
		}
		r, g, b, _ := d.slide.Image.At(10, 10).RGBA()
		switch {
		case r > 0xc000 && g < 0x4000 && b < 0x4000:
			return "red"
		case g > 0xc000 && r < 0x4000 && b < 0x4000:
			return "green"
		case b > 0xc000 && r < 0x4000 && g < 0x4000:
			return "blue"
		}
		return "other"
	}
	var seen []string
	for range 5 {
		seen = append(seen, slide())
		ticks.tick(every)
	}
	// The broken picture leaves the one before it on show.
	if want := []string{"red", "green", "blue", "blue", "red"}; !slices.Equal(seen, want) {
		t.Fatalf("slides %v, want %v", seen, want)
	}
	checkInside(t, d, "slideshow", 20)

	fillCart(t, h, d)
	if slide() != "none" || ticks.running(every) != 0 {
		t.Fatalf("a scanned line left the slideshow running: %s, %d", slide(), ticks.running(every))
	}
	ticks.tick(every)
	if slide() != "none" {
		t.Fatal("a late tick brought a slide back during the sale")
	}
	sale, err := h.co.SettleCash(context.Background(), cny(1400))
	if err != nil {
		t.Fatal(err)
	}
	d.showCart(nil, app.Totals{})
	d.thankYou(sale)
	if slide() != "none" {
		t.Fatal("the slideshow hides the change")
	}
	mustShowIn(t, d.win, "Your change ¥0.75")
	ticks.tick(displayHold)
	if slide() == "none" || ticks.running(every) != 1 || displays(d, "change") {
		t.Fatalf("after the thank-you screen: slide %s, %d tickers, %v", slide(), ticks.running(every), Texts(d.win))
	}
	if ticks.running(displayHold) != 0 {
		t.Error("the wait for the idle screen kept running")
	}
}

// displays reports whether a visible text of d contains want.
func displays(d *CustomerDisplay, want string) bool {
	return slices.ContainsFunc(Texts(d.win), func(s string) bool { return strings.Contains(s, want) })
}
