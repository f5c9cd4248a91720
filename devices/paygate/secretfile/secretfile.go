// Package secretfile reads the files the payment providers' secrets live in (private keys, API keys):
// only when no one but their owner can read them, checked on the file opened (not on its name, which
// could be swapped between the check and the read), and never more than a key's size.
package secretfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
)

// ErrReadable: a secret's file can be read by the group or others of its machine.
var ErrReadable = errors.New("secret file is readable by group or others (want mode 0600)")

// MaxSize is the most a secret's file may hold: a 4096-bit key in PEM is under 4 KiB.
const MaxSize = 64 << 10

// Read returns name's contents after checking, on the open file, that only its owner can read it (on
// Windows, where file modes say nothing of who may read, the folder's permissions stand). A file larger
// than MaxSize is refused. Errors name the file and never its contents.
func Read(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if runtime.GOOS != "windows" {
		info, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			return nil, fmt.Errorf("%w: %s has mode %04o; chmod 600 %s", ErrReadable, name, perm, name)
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: more than %d bytes: not a key", name, MaxSize)
	}
	return data, nil
}
