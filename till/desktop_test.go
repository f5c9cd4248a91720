package till

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Fyne's report that it could not watch the desktop's theme (three lines) is dropped when there is no
// D-Bus; so is its report of reading a half-written preferences file at quit. Every other line passes,
// the one after a dropped report too, and a preferences report with another cause is kept whole.
func TestFyneNoiseFilterDropsOnlyHarmlessReports(t *testing.T) {
	var out bytes.Buffer
	l := log.New(&fyneNoiseFilter{w: &out, noDBus: true}, "", log.LstdFlags)
	l.Println("scanner connected")
	l.Println("Fyne error: ", "failed to watch theme settings")
	l.Println("  Cause:", `exec: "dbus-launch": executable file not found in $PATH`)
	l.Printf("  At: %s:%d", "app_xdg.go", 152)
	l.Println("Fyne error: ", "something else")
	l.Println("  Cause:", "a real one")
	l.Println("Fyne error: ", "Preferences load error:")
	l.Println("  Cause:", "EOF")
	l.Printf("  At: %s:%d", "preferences.go", 105)
	l.Println("printer ready")
	l.Println("Fyne error: ", "Preferences load error:")
	l.Println("  Cause:", "invalid character 'x' looking for beginning of value")
	l.Printf("  At: %s:%d", "preferences.go", 105)
	got := out.String()
	for _, gone := range []string{"theme", "dbus-launch", "EOF"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q passed", gone)
		}
	}
	for _, kept := range []string{"scanner connected", "something else", "a real one", "printer ready",
		"Preferences load error:", "invalid character", "preferences.go:105"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was dropped", kept)
		}
	}
	if strings.Count(got, "\n") != 7 {
		t.Errorf("filtered log:\n%s", got)
	}

	// With a D-Bus session the theme report means something and passes.
	out.Reset()
	l = log.New(&fyneNoiseFilter{w: &out}, "", 0)
	l.Println("Fyne error: ", "failed to watch theme settings")
	if !strings.Contains(out.String(), "theme") {
		t.Errorf("theme report dropped with D-Bus: %q", out.String())
	}
}

// The runtime folder the till makes for itself is its user's own, 0700; one someone else planted (here: a
// link to another folder) is refused.
func TestRuntimeDirIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no XDG runtime folder on Windows")
	}
	t.Setenv("TMPDIR", t.TempDir())
	dir, err := runtimeDir()
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v, %v", dir, info, err)
	}
	if again, err := runtimeDir(); err != nil || again != dir {
		t.Fatalf("second start: %s, %v", again, err)
	}
	t.Setenv("TMPDIR", t.TempDir())
	target := t.TempDir()
	if err := os.Symlink(target, filepath.Join(os.TempDir(), filepath.Base(dir))); err != nil {
		t.Fatal(err)
	}
	if _, err := runtimeDir(); err == nil {
		t.Fatal("a link planted in the temporary folder was taken as the runtime folder")
	}
}
