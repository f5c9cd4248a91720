package store

import (
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath returns where the till keeps its database when no -db flag is given: the user's data
// folder ($XDG_DATA_HOME or ~/.local/share on Linux, %LOCALAPPDATA% on Windows, Application Support on
// macOS), in a "checkout" folder.
func DefaultPath() (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "checkout", "checkout.db"), nil
}

func dataDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "darwin", "ios":
		return os.UserConfigDir() // ~/Library/Application Support
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}
