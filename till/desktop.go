package till

import (
	"bytes"
	"io"
	"log"
	"os"
	"os/exec"
	"sync"
)

// quietDesktop keeps a till started on a plain X session (a kiosk without a desktop) from greeting the
// cashier with errors that are not: Wayland's client library complains when XDG_RUNTIME_DIR is unset
// (the till gives it a private folder of its own, see runtimeDir), and Fyne when it finds no D-Bus session
// to follow the desktop's light or dark theme, which a till does without (those lines are dropped); and
// Fyne when a new user's cache folder (~/.cache) does not exist yet, which it cannot make itself.
func quietDesktop() {
	if dir, err := os.UserCacheDir(); err == nil {
		os.MkdirAll(dir, 0o700)
	}
	if os.Getenv("XDG_RUNTIME_DIR") == "" {
		if dir, err := runtimeDir(); err == nil {
			os.Setenv("XDG_RUNTIME_DIR", dir)
		}
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if _, err := exec.LookPath("dbus-launch"); err != nil {
			log.SetOutput(&themeWatchFilter{w: log.Writer()})
		}
	}
}

// themeWatchFilter passes the standard logger's lines on, except Fyne's report that it could not watch
// the desktop's theme: that line and the cause and place lines Fyne writes after it.
type themeWatchFilter struct {
	w        io.Writer
	mu       sync.Mutex
	dropping bool
}

func (f *themeWatchFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case bytes.Contains(p, []byte("Fyne error:  failed to watch theme settings")):
		f.dropping = true
		return len(p), nil
	case f.dropping && (bytes.Contains(p, []byte("  Cause:")) || bytes.Contains(p, []byte("  At:"))):
		return len(p), nil
	}
	f.dropping = false
	return f.w.Write(p)
}
