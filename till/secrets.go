package till

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"checkout/app"
	"checkout/app/tillkey"
	"checkout/store"
)

// The till's secret files live beside its database, readable by the till's user only: never in the
// database or its backups, the settings table or the journal, which are copied and shown.
const (
	tillKeyFile = "till.key"   // the till's secret, from which the PIN pepper and the journal key are derived
	cardKeyFile = "card.key"   // keys the tokens of swiped cards and seals two-factor secrets
	tokenFile   = "sync.token" // the head office's token for this till
	caFile      = "hq-ca.pem"  // the head office's certificate authority, when enrolled with -ca
	// the passphrase the snapshots and the keys' copy in the backup folder are sealed with, so the till
	// can take them unattended; the owner keeps it elsewhere too, for the day this disk is gone
	passFile = "backup.pass"
)

// Secrets are the till's secret files, in its database's folder.
type Secrets struct{ dir string }

// SecretsOf returns the secret files of the till whose database is at dbPath.
func SecretsOf(dbPath string) Secrets { return Secrets{dir: filepath.Dir(dbPath)} }

func (s Secrets) path(name string) string { return filepath.Join(s.dir, name) }

// TillKey returns the till's secret (till.key), from which the keys for each use are derived
// (tillkey.Purpose), creating it on first start. It is kept out of the database and its backups: a stolen
// copy of them cannot be searched for PINs without it. made says the file was made now, by this start.
func (s Secrets) TillKey() (secret tillkey.Secret, made bool, err error) {
	b, made, err := s.keyFile(tillKeyFile)
	if err != nil {
		return tillkey.Secret{}, false, err
	}
	secret, err = tillkey.New(b)
	return secret, made, err
}

// restoreKey returns the till's secret for putting a backup back: the backup's journal is keyed with it,
// so it must be there already (on a new machine, copied from the old till), never made now.
func (s Secrets) restoreKey() (tillkey.Secret, error) {
	path := s.path(tillKeyFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return tillkey.Secret{}, fmt.Errorf("restore needs this till's key, %s (copy it from the old till or from where its key is kept): %w", path, err)
	}
	secret, err := tillkey.New(b)
	if err != nil {
		return tillkey.Secret{}, fmt.Errorf("%s: %w", path, err)
	}
	return secret, nil
}

// BackupPassphrase returns the passphrase the till seals its snapshots with; "" when none is set.
func (s Secrets) BackupPassphrase() (string, error) {
	b, err := os.ReadFile(s.path(passFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimRight(string(b), "\r\n"), err
}

// SetBackupPassphrase keeps the passphrase the till seals its snapshots with: one an encrypted backup
// takes (store.MinPassphrase), on one line.
func (s Secrets) SetBackupPassphrase(p string) error {
	if len([]rune(p)) < store.MinPassphrase || strings.ContainsAny(p, "\r\n\x00") {
		return fmt.Errorf("a passphrase of at least %d characters on one line, please", store.MinPassphrase)
	}
	return writePrivate(s.path(passFile), []byte(p), true)
}

// keyFiles are the secrets a backup is no use without on a new machine: the journal is keyed and the
// PINs peppered with till.key, and swiped cards are known by tokens keyed with card.key.
var keyFiles = []string{tillKeyFile, cardKeyFile}

// keysForBackup returns this till's keys as one text, "till.key HEX" a line, to be sealed into the backup
// folder; made on demand, as the till makes them.
func (s Secrets) keysForBackup() ([]byte, error) {
	var b strings.Builder
	for _, name := range keyFiles {
		key, _, err := s.keyFile(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s %s\n", name, hex.EncodeToString(key))
	}
	return []byte(b.String()), nil
}

// putBackKeys writes the keys a backup folder kept (keysForBackup) where they are missing; a key that is
// here already must be the same, or the restore stops: two tills' keys must not be mixed.
func (s Secrets) putBackKeys(text []byte) error {
	for _, line := range strings.Split(strings.TrimSpace(string(text)), "\n") {
		name, value, _ := strings.Cut(line, " ")
		key, err := hex.DecodeString(value)
		if !slices.Contains(keyFiles, name) || err != nil || len(key) != tillkey.Size {
			return errors.New("the backup's keys file is damaged")
		}
		have, err := os.ReadFile(s.path(name))
		switch {
		case err == nil && !bytes.Equal(have, key):
			return fmt.Errorf("%s here is another till's key than the backup's: move it away to restore this backup", s.path(name))
		case errors.Is(err, os.ErrNotExist):
			if err := writePrivate(s.path(name), key, false); err != nil {
				return err
			}
		case err != nil:
			return err
		}
	}
	return nil
}

// PINs returns how the till hashes and locks PINs: the shop's policy, and the pepper from till.key.
func (s Secrets) PINs(policy app.Security) (*app.PINs, error) {
	secret, _, err := s.TillKey()
	if err != nil {
		return nil, err
	}
	return app.NewPINs(secret.Derive(tillkey.PINPepper), policy)
}

// CardKey returns the key that turns a swiped card's number into the token the store keeps
// (magstripe.Card.Token), creating it on first use, so a copy of the database alone cannot be searched
// for card numbers.
func (s Secrets) CardKey() ([]byte, error) {
	key, _, err := s.keyFile(cardKeyFile)
	return key, err
}

// headOffice returns the till's head office token and the certificate authority it was enrolled with
// (nil: the system's).
func (s Secrets) headOffice() (token, caPEM []byte, err error) {
	token, err = os.ReadFile(s.path(tokenFile))
	if err != nil {
		return nil, nil, fmt.Errorf("sync: the till's token: %w (enrol again)", err)
	}
	caPEM, err = os.ReadFile(s.path(caFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	return token, caPEM, nil
}

// setHeadOffice keeps the token a head office gave the till at enrolment and the certificate authority
// to trust it by (nil: the system's, and a CA kept from before is removed).
func (s Secrets) setHeadOffice(token, caPEM []byte) error {
	if err := writePrivate(s.path(tokenFile), token, true); err != nil {
		return err
	}
	if caPEM != nil {
		return writePrivate(s.path(caFile), caPEM, true)
	}
	if err := os.Remove(s.path(caFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// keyFile returns the secret kept in the file name, creating it with tillkey.Size random bytes on first
// use; made says it was made now.
func (s Secrets) keyFile(name string) (key []byte, made bool, err error) {
	path := s.path(name)
	key, err = os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, tillkey.Size)
		if _, err = rand.Read(key); err == nil {
			// Never over another: two processes of the till starting at once must not write two keys.
			err = writePrivate(path, key, false)
		}
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

// writePrivate writes data to the file path, readable by the till's user only (0600), and syncs the file
// and its folder before it returns: a key's hashes are committed to the database, and a token replaces
// the one the head office no longer takes, so neither may be lost to a power cut after use. The data is
// written whole to a temporary file first, so path never shows half of it: with replace it then takes
// path's name; without it, it is linked to path, which must not exist yet (the error wraps os.ErrExist),
// so two processes making a key at once agree on one and neither reads the other's empty file.
func writePrivate(path string, data []byte, replace bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a rename, nothing; after a link, the temporary name
	if err = f.Chmod(0o600); err == nil {
		if _, err = f.Write(data); err == nil {
			err = f.Sync()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if replace {
			err = os.Rename(tmp, path)
		} else {
			err = os.Link(tmp, path)
		}
	}
	if err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil { // not possible on Windows, which needs it less
		dir.Sync()
		dir.Close()
	}
	return nil
}
