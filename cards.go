package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// cardKeySize is the length of the key that hashes swiped card numbers.
const cardKeySize = 32

// cardKey returns the key that turns a swiped card's number into the token the store keeps
// (magstripe.Card.Token), creating it on first use. It lives in its own file beside the database, readable
// by the till's user only, so a copy of the database alone cannot be searched for card numbers.
func cardKey(dbPath string) ([]byte, error) {
	path := filepath.Join(filepath.Dir(dbPath), "card.key")
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != cardKeySize {
			return nil, fmt.Errorf("card key %s: %d bytes, want %d", path, len(key), cardKeySize)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key = make([]byte, cardKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("card key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("card key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}
