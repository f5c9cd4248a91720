//go:build linux && cgo

package screens

/*
#cgo LDFLAGS: -lX11 -lXinerama
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xinerama.h>

static int monitors(Display *d, int *out, int max) {
	int n = 0, event, error;
	// RandR's monitors answer as Xinerama heads without Xinerama being "active": ask for them anyway.
	if (XineramaQueryExtension(d, &event, &error)) {
		XineramaScreenInfo *s = XineramaQueryScreens(d, &n);
		if (s != NULL && n > 0) {
			for (int i = 0; i < n && i < max; i++) {
				out[4*i] = s[i].x_org; out[4*i+1] = s[i].y_org; out[4*i+2] = s[i].width; out[4*i+3] = s[i].height;
			}
			XFree(s);
			return n < max ? n : max;
		}
		if (s != NULL) XFree(s);
	}
	Screen *sc = DefaultScreenOfDisplay(d);
	out[0] = 0; out[1] = 0; out[2] = WidthOfScreen(sc); out[3] = HeightOfScreen(sc);
	return 1;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// maxMonitors is as many monitors as a till is asked about.
const maxMonitors = 8

// open connects to the X server of $DISPLAY.
func open() (*C.Display, error) {
	d := C.XOpenDisplay(nil)
	if d == nil {
		return nil, fmt.Errorf("%w: no X display", ErrUnsupported)
	}
	return d, nil
}

// Monitors lists the monitors of the X display, the first the primary.
func Monitors() ([]Rect, error) {
	d, err := open()
	if err != nil {
		return nil, err
	}
	defer C.XCloseDisplay(d)
	var buf [4 * maxMonitors]C.int
	n := int(C.monitors(d, (*C.int)(unsafe.Pointer(&buf[0])), maxMonitors))
	out := make([]Rect, n)
	for i := range out {
		out[i] = Rect{X: int(buf[4*i]), Y: int(buf[4*i+1]), W: int(buf[4*i+2]), H: int(buf[4*i+3])}
	}
	return out, nil
}

// Move moves the X11 window with the handle to x, y.
func Move(handle uintptr, x, y int) error {
	if handle == 0 {
		return fmt.Errorf("%w: not an X11 window", ErrUnsupported)
	}
	d, err := open()
	if err != nil {
		return err
	}
	defer C.XCloseDisplay(d)
	C.XMoveWindow(d, C.Window(handle), C.int(x), C.int(y))
	C.XSync(d, 0)
	return nil
}
