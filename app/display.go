package app

import (
	"fmt"
	"strconv"
	"time"
)

// Display is what the customer display shows besides the sale: the shop's logo, and the slides it cycles
// through while no sale is in progress (shops advertise with them).
type Display struct {
	// Logo is a PNG or JPEG file, shown on the idle screen and small in the header while selling; "" for none.
	Logo string
	// Slideshow is a folder whose PNG and JPEG files are shown in name order between sales; "" for none.
	Slideshow string
	// SlideEvery is how long each slide stays, from MinSlide to MaxSlide.
	SlideEvery time.Duration
}

// The bounds of Display.SlideEvery.
const (
	MinSlide     = 2 * time.Second
	MaxSlide     = 600 * time.Second
	DefaultSlide = 8 * time.Second
)

// DefaultDisplay has no logo and no slides, and would show each slide for 8 seconds.
func DefaultDisplay() Display { return Display{SlideEvery: DefaultSlide} }

// setDisplay applies a display.* setting to s; ok is false for a key that is not one. Whether the files
// are there and are pictures is checked where they are read (the till's wiring, the display): a missing
// logo shows no logo, it never stops the till.
func (s *Settings) setDisplay(key, value string) (ok bool, err error) {
	switch key {
	case "display.logo":
		s.Display.Logo = value
	case "display.slideshow":
		s.Display.Slideshow = value
	case "display.slideshow_seconds":
		n, err := strconv.Atoi(value)
		if err != nil || time.Duration(n)*time.Second < MinSlide || time.Duration(n)*time.Second > MaxSlide {
			return true, fmt.Errorf("%w: display.slideshow_seconds %q: seconds each slide shows, %d to %d",
				ErrInvalidSetting, value, int(MinSlide/time.Second), int(MaxSlide/time.Second))
		}
		s.Display.SlideEvery = time.Duration(n) * time.Second
	default:
		return false, nil
	}
	return true, nil
}

func (s Settings) displayValues() [][2]string {
	return [][2]string{{"display.logo", s.Display.Logo}, {"display.slideshow", s.Display.Slideshow},
		{"display.slideshow_seconds", strconv.Itoa(int(s.Display.SlideEvery / time.Second))}}
}
