package till

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"checkout/app/tillkey"
	"checkout/store"
)

// Store is the till's database opened with the key its secret files give the journal, and those files
// beside it. Commands and the running till reach the database only through it: till is the one package
// that imports store.
type Store struct {
	*store.Store
	Secrets Secrets
	// Version is this program's release, which the till names to its head office in every request
	// (client.Config.Version); "" names none.
	Version string
}

// DefaultDBPath is where the till keeps its database when no -db flag is given (store.DefaultPath).
func DefaultDBPath() (string, error) { return store.DefaultPath() }

// OpenStore opens the till's database with its journal keyed by the key till.key gives for it. A journal
// not keyed yet is keyed when the key is made by this start (the till's first start with keys).
func OpenStore(ctx context.Context, dbPath string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	secrets := SecretsOf(dbPath)
	secret, made, err := secrets.TillKey()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dbPath, journalKey(secret, made))
	if err != nil {
		return nil, err
	}
	return &Store{Store: st, Secrets: secrets}, nil
}

// journalKey is the store option that keys the journal with secret's key for it.
func journalKey(secret tillkey.Secret, made bool) store.Option {
	return store.WithJournalKey(secret.Derive(tillkey.JournalChain), made)
}

// Restore puts the backup from back in place of the database at dbPath once a copy of it passes every
// check, keeping the database it replaces beside it (store.Restore). An encrypted backup is opened first
// with the passphrase passphrase gives, asked only then. The backup's journal is keyed with this till's
// key, kept beside the database and never in a backup: on a new machine, till.key must be put in place
// first.
func Restore(ctx context.Context, dbPath, from string, passphrase func() (string, error)) (c store.Check, kept string, err error) {
	sealed, err := store.IsSealed(from)
	if err != nil {
		return store.Check{}, "", err
	}
	if sealed {
		pass, err := passphrase()
		if err != nil {
			return store.Check{}, "", err
		}
		tmp, err := os.MkdirTemp("", "checkout-restore-")
		if err != nil {
			return store.Check{}, "", err
		}
		defer os.RemoveAll(tmp)
		plain := filepath.Join(tmp, "backup.db")
		if err := store.OpenSealed(from, plain, pass); err != nil {
			return store.Check{}, "", fmt.Errorf("restore refused: %w", err)
		}
		from = plain
	}
	secret, err := SecretsOf(dbPath).restoreKey()
	if err != nil {
		return store.Check{}, "", err
	}
	return store.Restore(ctx, from, dbPath, journalKey(secret, false))
}
