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
// (the till gives it a private folder of its own, see runtimeDir); Fyne when it finds no D-Bus session
// to follow the desktop's light or dark theme, which a till does without, and when its preferences file
// watcher reads the file Fyne itself is rewriting at quit (those reports are dropped); and Fyne when a
// new user's cache folder (~/.cache) does not exist yet, which it cannot make itself.
func quietDesktop() {
	if dir, err := os.UserCacheDir(); err == nil {
		os.MkdirAll(dir, 0o700)
	}
	if os.Getenv("XDG_RUNTIME_DIR") == "" {
		if dir, err := runtimeDir(); err == nil {
			os.Setenv("XDG_RUNTIME_DIR", dir)
		}
	}
	noDBus := false
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		_, err := exec.LookPath("dbus-launch")
		noDBus = err != nil
	}
	log.SetOutput(&fyneNoiseFilter{w: log.Writer(), noDBus: noDBus})
}

// fyneNoiseFilter passes the standard logger's lines on, except two of Fyne's three-line reports (a
// header, then "  Cause:" and "  At:" lines): that it could not watch the desktop's theme (when there is
// no D-Bus), and that its preferences file was empty (EOF) when its watcher read it, which happens when
// the watcher fires between Fyne truncating the file and rewriting it at quit. A preferences report is
// held until its cause shows which it is; any other cause passes whole.
type fyneNoiseFilter struct {
	w        io.Writer
	noDBus   bool
	mu       sync.Mutex
	held     []byte // a preferences report's header, waiting for its cause
	dropping bool   // inside a dropped report
}

func (f *fyneNoiseFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	detail := bytes.Contains(p, []byte("  Cause:")) || bytes.Contains(p, []byte("  At:"))
	if f.held != nil {
		held := f.held
		f.held = nil
		if detail && bytes.HasSuffix(bytes.TrimRight(p, "\n"), []byte("Cause: EOF")) {
			f.dropping = true
			return len(p), nil
		}
		if _, err := f.w.Write(held); err != nil {
			return 0, err
		}
	}
	switch {
	case f.dropping && detail:
		return len(p), nil
	case f.noDBus && bytes.Contains(p, []byte("Fyne error:  failed to watch theme settings")):
		f.dropping = true
		return len(p), nil
	case bytes.Contains(p, []byte("Fyne error:  Preferences load error:")):
		f.held = append([]byte(nil), p...)
		f.dropping = false
		return len(p), nil
	}
	f.dropping = false
	return f.w.Write(p)
}
