package cli

import (
	"errors"
	"runtime"
)

// errNoDisplay is the till started where there is no desktop to show its windows on (a server, an SSH
// session): said plainly, where Fyne's driver would panic with a stack trace.
var errNoDisplay = errors.New("no display: the till's windows need a desktop session (DISPLAY or WAYLAND_DISPLAY is not set); the commands work without one (checkout -h)")

// checkDisplay returns errNoDisplay on a Unix desktop system (X11 or Wayland) with neither set; Windows and
// macOS always have their own.
func checkDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios", "js", "wasip1":
		return nil
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return errNoDisplay
	}
	return nil
}
