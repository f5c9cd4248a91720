package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// autostart turns starting the till at login on or off for the user running it: an XDG autostart entry
// on Linux and the BSDs, a command file in the Startup folder on Windows. The till starts with -kiosk
// and the database it was set up with.
func autostart(_ context.Context, c *call) error {
	args, stdout := c.args, c.stdout
	if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		return errors.New("autostart takes on or off")
	}
	path, body, err := autostartEntry()
	if err != nil {
		return err
	}
	if args[0] == "off" {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		fmt.Fprintf(stdout, "the till no longer starts at login (%s removed)\n", path)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "the till starts full screen at login (%s)\n", path)
	return nil
}

// autostartEntry returns where the entry goes and what it says.
func autostartEntry() (path, body string, err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", "", err
	}
	if runtime.GOOS == "windows" {
		appData := os.Getenv("APPDATA")
		if appData == "" {
			return "", "", errors.New("APPDATA is not set: cannot find the Startup folder")
		}
		return filepath.Join(appData, "Microsoft", "Windows", "Start Menu", "Programs", "Startup", "Checkout.cmd"),
			fmt.Sprintf("@start \"\" \"%s\" -kiosk\r\n", exe), nil
	}
	config, err := os.UserConfigDir()
	if err != nil {
		return "", "", err
	}
	// Desktop entries quote arguments with double quotes and escape backslashes and quotes in them.
	quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", "$", `\$`).Replace(exe) + `"`
	return filepath.Join(config, "autostart", "checkout.desktop"), "[Desktop Entry]\nType=Application\nName=Checkout\n" +
		"Exec=" + quoted + " -kiosk\nIcon=checkout\nX-GNOME-Autostart-enabled=true\n", nil
}
