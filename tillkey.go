package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"checkout/app"
	"checkout/app/tillkey"
	"checkout/store"
)

// tillKey returns the till's secret (till.key beside the database), from which the keys for each use are
// derived (tillkey.Purpose), creating it on first start. It is kept out of the database and its backups: a
// stolen copy of them cannot be searched for PINs without it.
// made says the file was made now, by this start.
func tillKey(dbPath string) (secret tillkey.Secret, made bool, err error) {
	b, made, err := keyFile(dbPath, "till.key")
	if err != nil {
		return tillkey.Secret{}, false, err
	}
	secret, err = tillkey.New(b)
	return secret, made, err
}

// tillPINs returns how the till hashes and locks PINs: the shop's policy, and the pepper from till.key.
func tillPINs(dbPath string, policy app.Security) (*app.PINs, error) {
	secret, _, err := tillKey(dbPath)
	if err != nil {
		return nil, err
	}
	return app.NewPINs(secret.Derive(tillkey.PINPepper), policy)
}

// openStore opens the till's database with its journal keyed by the key till.key gives for it. A journal
// not keyed yet is keyed when the key is made by this start (the till's first start with keys).
func openStore(ctx context.Context, dbPath string) (*store.Store, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	secret, made, err := tillKey(dbPath)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, dbPath, journalKey(secret, made))
}

// journalKey is the store option that keys the journal with secret's key for it.
func journalKey(secret tillkey.Secret, made bool) store.Option {
	return store.WithJournalKey(secret.Derive(tillkey.JournalChain), made)
}

// keyFile returns the secret kept in the file name beside the database at dbPath, creating it with
// tillkey.Size random bytes on first use, readable by the till's user only; made says it was made now.
func keyFile(dbPath, name string) (key []byte, made bool, err error) {
	path := filepath.Join(filepath.Dir(dbPath), name)
	key, err = os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key, err = newKeyFile(path)
		made = err == nil
		if errors.Is(err, os.ErrExist) { // another process of the till made it first: take theirs
			key, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", name, err)
	}
	if len(key) != tillkey.Size {
		return nil, false, fmt.Errorf("%s: %d bytes, want %d: the file is damaged or not a key of this till; put back the till's own copy",
			path, len(key), tillkey.Size)
	}
	return key, made, nil
}

// newKeyFile writes a new random key to path, which must not exist (O_EXCL: two processes starting at
// once never write two keys), mode 0600. The file and its folder are synced before the key is used: hashes
// made with it are committed to the database, and must not outlive it after a power cut.
func newKeyFile(path string) ([]byte, error) {
	key := make([]byte, tillkey.Size)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err = f.Write(key); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil { // not possible on Windows, which needs it less
		dir.Sync()
		dir.Close()
	}
	return key, nil
}
