//go:build !windows

package wechatpay

import (
	"fmt"
	"io/fs"
)

// checkPrivate refuses a file whose mode lets its group or others read (or write) it.
func checkPrivate(file string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o; chmod 600 it", ErrKeyFileOpen, file, perm)
	}
	return nil
}
