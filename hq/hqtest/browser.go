package hqtest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a Chromium (Debian's chromium package; CHECKOUT_CHROMIUM names another)
// for a browser test, or skips t without one, unless CI is set (needTool).
func Chromium(t testing.TB) string {
	t.Helper()
	return needTool(t, "chromium", "the browser tests", os.Getenv("CHECKOUT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome")
}

// HAProxy returns the path of Debian's haproxy for the load-balanced head-office tests, or skips t
// without one, unless CI is set (needTool).
func HAProxy(t testing.TB) string {
	t.Helper()
	return needTool(t, "haproxy", "the load-balanced head-office tests", "haproxy", "/usr/sbin/haproxy")
}

// needTool returns the path of the first of names found (an empty name is skipped). Without any, the
// test is skipped, unless CI is set: there a skipped test would hide a broken set-up (the Makefile's
// TEST_PACKAGES install the package), so it fails.
func needTool(t testing.TB, pkg, tests string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no %s: in CI %s must run (apt-get install %s)", pkg, tests, pkg)
	}
	noteSkipped(t)
	t.Skipf("no %s: skipping %s (apt-get install %s)", pkg, tests, pkg)
	return ""
}
