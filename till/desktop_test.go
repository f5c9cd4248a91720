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

// Fyne's report that it could not watch the desktop's theme (three lines) is dropped; every other line
// passes, the one after it too.
func TestThemeWatchFilterDropsOnlyTheThemeReport(t *testing.T) {
	var out bytes.Buffer
	l := log.New(&themeWatchFilter{w: &out}, "", log.LstdFlags)
	l.Println("scanner connected")
	l.Println("Fyne error: ", "failed to watch theme settings")
	l.Println("  Cause:", `exec: "dbus-launch": executable file not found in $PATH`)
	l.Printf("  At: %s:%d", "app_xdg.go", 152)
	l.Println("Fyne error: ", "something else")
	l.Println("  Cause:", "a real one")
	got := out.String()
	if strings.Contains(got, "theme") || strings.Contains(got, "dbus-launch") || strings.Count(got, "\n") != 3 ||
		!strings.Contains(got, "scanner connected") || !strings.Contains(got, "something else") || !strings.Contains(got, "a real one") {
		t.Fatalf("filtered log:\n%s", got)
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
