package ui

import (
	"image"
	"log/slog"
	"sync"
	"time"

	"checkout/app/picture"
)

// displayPictures are the customer display's logo and slideshow, and how it waits for them.
type displayPictures struct {
	// background loads a picture off the UI goroutine and hands it back through onUI; every runs f on the
	// UI goroutine every d until stopped. Tests replace both to drive the slideshow without sleeping.
	background func(func())
	every      func(d time.Duration, f func()) (stop func())

	slides []string
	at     int    // the index of the slide on show, or to show next
	asked  int    // counts slides asked for: a slow load of an earlier one is dropped
	stop   func() // stops the slideshow's ticker; nil while it does not run
	hold   func() // stops the wait before the idle screen comes back; nil while none runs
	warned map[string]bool
}

// Pictures are scaled down when loaded, so that a till with little memory keeps a small copy: a logo
// to logoPixels on its longer side, a slide to slidePixels (a full HD screen's width).
const (
	logoPixels  = 512
	slidePixels = 1920
)

func (p *displayPictures) init() {
	p.background = func(f func()) { go f() }
	p.every = tickEvery
	p.warned = map[string]bool{}
}

// tickEvery runs f on the UI goroutine every d until stop is called.
func tickEvery(d time.Duration, f func()) (stop func()) {
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				onUI(f)
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { t.Stop(); close(done) }) }
}

// warn logs a picture that cannot be shown, once for each path: the display goes on without it.
func (p *displayPictures) warn(what, path string, err error) {
	if !p.warned[path] {
		p.warned[path] = true
		slog.Warn("customer display: "+what+" not shown", "path", path, "err", err)
	}
}

// startPictures loads the shop's logo and lists its slides (display.logo, display.slideshow) with
// background, and runs the slideshow with every; either nil keeps the default (a goroutine, a
// time.Ticker). A logo or slide that cannot be read is left out, and said once in the log: the display
// never waits for a picture or stops for one.
func (d *CustomerDisplay) startPictures(background func(func()), every func(time.Duration, func()) (stop func())) {
	p := &d.pictures
	if background != nil {
		p.background = background
	}
	if every != nil {
		p.every = every
	}
	set := d.settings.Display
	if set.Logo == "" && set.Slideshow == "" {
		return
	}
	p.background(func() {
		var logo image.Image
		var logoErr, slidesErr error
		var slides []string
		if set.Logo != "" {
			logo, logoErr = picture.Load(set.Logo, logoPixels)
		}
		if set.Slideshow != "" {
			slides, slidesErr = picture.Slides(set.Slideshow)
		}
		onUI(func() {
			if logoErr != nil {
				p.warn("logo", set.Logo, logoErr)
			}
			if slidesErr != nil {
				p.warn("slideshow", set.Slideshow, slidesErr)
			}
			d.logo.Image = logo
			d.logo.Refresh()
			p.slides = slides
			d.update()
		})
	})
}

// startSlides starts the slideshow, when there is one and it is not running: the slide that is due, then
// the next every display.slideshow_seconds.
func (d *CustomerDisplay) startSlides() {
	p := &d.pictures
	if len(p.slides) == 0 || p.stop != nil {
		return
	}
	p.stop = p.every(d.settings.Display.SlideEvery, func() {
		if p.stop == nil { // a tick queued before the slideshow stopped
			return
		}
		p.at = (p.at + 1) % len(p.slides)
		d.showSlide()
	})
	d.showSlide()
}

// showSlide loads the slide due, off the UI goroutine, and shows it when it comes unless the slideshow
// stopped or moved on meanwhile. One that cannot be read leaves the one before on show.
func (d *CustomerDisplay) showSlide() {
	p := &d.pictures
	p.asked++
	asked, path := p.asked, p.slides[p.at]
	p.background(func() {
		img, err := picture.Load(path, slidePixels)
		onUI(func() {
			if err != nil {
				p.warn("slide", path, err)
				return
			}
			if asked != p.asked || p.stop == nil {
				return
			}
			d.slide.Image = img
			d.slide.Refresh()
			d.content.Refresh()
		})
	})
}

// stopSlides stops the slideshow and takes its picture off the screen: a sale is starting.
func (d *CustomerDisplay) stopSlides() {
	p := &d.pictures
	if p.stop != nil {
		p.stop()
		p.stop = nil
		p.asked++
	}
	d.slide.Image = nil
}

// holdThenIdle brings the idle screen back displayHold after a stored document was shown, when there is
// a slideshow to come back to; without one the document stays until the next sale.
func (d *CustomerDisplay) holdThenIdle() {
	p := &d.pictures
	d.stopHold()
	if len(p.slides) == 0 {
		return
	}
	p.hold = p.every(displayHold, func() {
		if p.hold == nil {
			return
		}
		d.stopHold()
		d.finished, d.memberOn = false, false
		d.showCart(nil, d.totals)
	})
}

func (d *CustomerDisplay) stopHold() {
	if p := &d.pictures; p.hold != nil {
		p.hold()
		p.hold = nil
	}
}
