package hqtest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a Chromium (Debian's chromium package) for a browser test. Without one
// the test is skipped, unless CI is set: there a skipped browser test would hide a broken set-up, so it
// fails (the Makefile's TEST_PACKAGES install chromium).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHECKOUT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium: in CI the browser tests must run (apt-get install chromium)")
	}
	noteSkipped(t)
	t.Skip("no chromium: skipping the browser test (apt-get install chromium, or set CHECKOUT_CHROMIUM)")
	return ""
}
