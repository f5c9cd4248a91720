//go:build !unix

package till

import "errors"

// runtimeDir: XDG_RUNTIME_DIR means nothing outside Unix desktops.
func runtimeDir() (string, error) { return "", errors.New("no XDG runtime folder here") }
