package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestDepsWithoutAptExplains(t *testing.T) {
	// A system with neither dpkg nor apt: make deps must say what to install instead of failing obscurely.
	cmd := exec.Command("/bin/bash", ".ci/apt-install", "libusb-1.0-0-dev", "pkg-config")
	cmd.Env = []string{"PATH=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "No apt-get on this system") ||
		!strings.Contains(string(out), "libusb-1.0-0-dev pkg-config") {
		t.Errorf("apt-install without apt = %v\n%s", err, out)
	}
}

// The binary reports the version of the FyneApp.toml it embeds when no release tag was linked in.
func TestVersionIsFyneAppTOMLs(t *testing.T) {
	var out bytes.Buffer
	p := program()
	p.Stdout = &out
	if code := p.Run([]string{"version"}); code != 0 {
		t.Fatalf("checkout version = %d", code)
	}
	version := strings.TrimSpace(strings.TrimPrefix(out.String(), "checkout "))
	if version == "" || !strings.Contains(fyneAppTOML, `Version = "`+version+`"`) {
		t.Errorf("checkout version printed %q: not FyneApp.toml's", out.String())
	}
}
