package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The files the store makes are readable by the till's user only from the moment they exist, and a new
// file appears whole or not at all.

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

// WriteNew makes the file path, which must not exist, with write: write fills a temporary file beside it
// (in the same folder, so the rename is atomic; empty and 0600 from the start, so no one else can read it
// even half written), which is then synced and renamed to path. If write or anything after it fails, the
// temporary file and any SQLite side files of it are removed: nothing is left behind.
func WriteNew(path string, write func(tmp string) error) (err error) {
	exists := func() error {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s exists: choose a new file name", path)
		}
		return nil
	}
	if err := exists(); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			for _, side := range []string{"", "-journal", "-wal", "-shm"} {
				os.Remove(tmp + side)
			}
		}
	}()
	if err := f.Close(); err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := exists(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// The rename is durable once the folder is synced; not every system can (Windows), and the file
	// itself is whole either way.
	_ = syncFile(dir)
	return nil
}

// syncFile flushes path (a file or a folder) to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
