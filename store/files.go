package store

import (
	"errors"
	"io/fs"
	"os"
)

// The files the store makes are readable by the till's user only from the moment they exist.

// createPrivate makes an empty file at path that only the till's user can read, unless one is there.
// SQLite would make a new database 0644 (less the umask); it makes a database's -wal, -shm and -journal
// with the database file's mode, so they are private too.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
