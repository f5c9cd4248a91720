package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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

// README's "Code layout" has a line for every folder of the tree, and a folder for every line: testdata/
// folders and the build's outputs that .gitignore names (/bin/, /dist/, …) aside.
func TestCodeLayoutIsTheTree(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(b), "\n## Code layout\n")
	if !ok {
		t.Fatal(`README has no "## Code layout" section`)
	}
	_, layout, _ = strings.Cut(layout, "\n```\n")
	layout, _, _ = strings.Cut(layout, "\n```\n")
	described := map[string]bool{}
	for _, line := range strings.Split(layout, "\n") {
		path, _, _ := strings.Cut(line, " ")
		if dir, ok := strings.CutSuffix(path, "/"); ok {
			described[dir] = true
		} else if _, err := os.Stat(path); err != nil {
			t.Errorf("README's code layout names %s: %v", path, err)
		}
	}
	ignored := map[string]bool{".git": true}
	gitignore, _ := os.ReadFile(".gitignore")
	for _, line := range strings.Split(string(gitignore), "\n") {
		if dir, ok := strings.CutPrefix(strings.TrimSuffix(line, "/"), "/"); ok {
			ignored[dir] = true
		}
	}
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case !d.IsDir() || path == ".":
			return nil
		case ignored[path] || d.Name() == "testdata":
			return filepath.SkipDir
		case !described[path]:
			t.Errorf("README's code layout has no line for %s/", path)
		}
		delete(described, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range described {
		t.Errorf("README's code layout names %s/, which is not in the tree", dir)
	}
}
