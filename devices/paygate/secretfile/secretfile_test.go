package secretfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A secret is read when only its owner can read it; a file others can read, a missing file and a huge
// one are refused, each naming the file and not its contents.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got, err := Read(write("ok.pem", []byte("SECRET"), 0o600)); err != nil || string(got) != "SECRET" {
		t.Fatalf("an owner-only file: %q, %v", got, err)
	}
	if runtime.GOOS != "windows" {
		open := write("open.pem", []byte("SECRET"), 0o644)
		if _, err := Read(open); !errors.Is(err, ErrReadable) || !strings.Contains(err.Error(), open) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("a file others can read: %v", err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	huge := write("huge.pem", make([]byte, MaxSize+1), 0o600)
	if _, err := Read(huge); err == nil || !strings.Contains(err.Error(), huge) {
		t.Errorf("a huge file: %v", err)
	}
}
