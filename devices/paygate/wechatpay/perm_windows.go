//go:build windows

package wechatpay

import "io/fs"

// checkPrivate does nothing on Windows, whose file modes do not say who can read a file (ACLs do).
func checkPrivate(string, fs.FileInfo) error { return nil }
