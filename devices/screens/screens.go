// Package screens knows where the monitors are and moves a window, so that the customer display opens on
// the shop's second monitor, or beside the till's window on one, even on a till without a window
// manager (a kiosk), where every window would otherwise open at the same place. Fyne places no window:
// this talks to X11 (Xinerama) directly, through cgo, on Linux; elsewhere Monitors and Move say they
// cannot, and the windows stay where the system puts them.
package screens

import "errors"

// Rect is a monitor's place on the desktop, in pixels.
type Rect struct{ X, Y, W, H int }

// ErrUnsupported: this system or build cannot list monitors or move windows.
var ErrUnsupported = errors.New("window placement is not supported here")

// Place returns where a window w×h should open beside one of main's size at the top-left of the first
// monitor: at the top-left of another monitor when there is one (a monitor that shows the first's top-left
// too is a mirror of it, not another), else right of the main window when it fits there, else below it,
// else over it.
func Place(monitors []Rect, mainW, mainH, w, h int) (x, y int) {
	if len(monitors) == 0 {
		return 0, 0
	}
	m := monitors[0]
	for _, o := range monitors[1:] {
		if !o.contains(m.X, m.Y) {
			return o.X, o.Y
		}
	}
	switch {
	case mainW+w <= m.W:
		return m.X + mainW, m.Y
	case mainH+h <= m.H:
		return m.X, m.Y + mainH
	}
	return m.X + max(0, m.W-w), m.Y
}

func (r Rect) contains(x, y int) bool { return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H }
