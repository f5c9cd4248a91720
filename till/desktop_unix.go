//go:build unix

package till

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// runtimeDir returns a folder for XDG_RUNTIME_DIR when the session has none: checkout-runtime-UID in the
// temporary folder, made 0700 and used only if it is this user's own real folder (not a link, not
// someone else's planted there first).
func runtimeDir() (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("checkout-runtime-%d", os.Getuid()))
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return "", err
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || !ok || int(st.Uid) != os.Getuid() || info.Mode().Perm() != 0o700 {
		return "", fmt.Errorf("%s is not this user's private folder", dir)
	}
	return dir, nil
}
