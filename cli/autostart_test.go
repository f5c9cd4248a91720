package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostart(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if code, out, errOut := cli("autostart", "on"); code != 0 || !strings.Contains(out, "starts full screen at login") {
		t.Fatalf("autostart on = %d %q %q", code, out, errOut)
	}
	entry := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", "checkout.desktop")
	body, err := os.ReadFile(entry)
	if err != nil || !strings.Contains(string(body), "Exec=\"") || !strings.Contains(string(body), "\" -kiosk\n") {
		t.Errorf("autostart entry %q, %v", body, err)
	}
	if code, _, _ := cli("autostart", "off"); code != 0 {
		t.Error("autostart off failed")
	}
	if _, err := os.Stat(entry); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("autostart off left %s", entry)
	}
	if code, _, errOut := cli("autostart", "maybe"); code != 1 || !strings.Contains(errOut, "on or off") {
		t.Errorf("autostart maybe = %d %q", code, errOut)
	}
}
