package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
)

// An encrypted backup is the checked copy Backup makes, sealed with a passphrase in age's format (its
// key from scrypt), so it can leave the shop.

// MinPassphrase is the shortest passphrase an encrypted backup takes: the file leaves the shop, and
// scrypt only slows guessing down.
const MinPassphrase = 12

// BackupSealed makes a backup as Backup does and seals it with passphrase into path. The plain copy stays
// on the till's own disk, in a private temporary folder; only the sealed file goes to path, written and
// checked beside it (WriteNew) before it takes its name.
func (s *Store) BackupSealed(ctx context.Context, path, passphrase string) (Check, error) {
	if len([]rune(passphrase)) < MinPassphrase {
		return Check{}, fmt.Errorf("backup: a passphrase of at least %d characters, please", MinPassphrase)
	}
	tmp, err := os.MkdirTemp("", "checkout-backup-")
	if err != nil {
		return Check{}, err
	}
	defer os.RemoveAll(tmp)
	plain := filepath.Join(tmp, "backup.db")
	c, err := s.Backup(ctx, plain)
	if err != nil {
		return Check{}, err
	}
	if err := WriteNew(path, func(sealed string) error { return sealFile(plain, sealed, passphrase) }); err != nil {
		return Check{}, fmt.Errorf("backup: %w", err)
	}
	return c, nil
}

// sealFile encrypts from into the empty file to with the passphrase (age's format, its key from scrypt),
// then opens it again to check that it gives back from's bytes.
func sealFile(from, to, passphrase string) error {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	plain := sha256.New()
	w, err := age.Encrypt(out, r)
	if err == nil {
		_, err = io.Copy(w, io.TeeReader(in, plain))
	}
	if err == nil {
		err = w.Close()
	}
	if err := errors.Join(err, out.Sync(), out.Close()); err != nil {
		return err
	}
	opened := sha256.New()
	if err := decrypt(to, opened, passphrase); err != nil {
		return fmt.Errorf("the sealed copy does not open: %w", err)
	}
	if !bytes.Equal(opened.Sum(nil), plain.Sum(nil)) {
		return errors.New("the sealed copy does not give back the database")
	}
	return nil
}

// sealedHeader starts every age file.
const sealedHeader = "age-encryption.org/v1\n"

// IsSealed reports whether path is an encrypted backup.
func IsSealed(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(sealedHeader))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == sealedHeader, nil
}

// OpenSealed decrypts an encrypted backup into a new file, readable by the till's user only; a wrong
// passphrase or a changed file is an error, and nothing of it is left behind.
func OpenSealed(from, to, passphrase string) error {
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := errors.Join(decrypt(from, out, passphrase), out.Close()); err != nil {
		os.Remove(to)
		return err
	}
	return nil
}

// decrypt writes what the encrypted backup from holds to w.
func decrypt(from string, w io.Writer, passphrase string) error {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	r, err := age.Decrypt(in, id)
	if err != nil {
		return fmt.Errorf("cannot open %s: wrong passphrase, or not a backup (%w)", from, err)
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("%s was changed or cut short: %w", from, err)
	}
	return nil
}

// SealNew writes data sealed with passphrase into the new file path, checked as an encrypted backup is;
// the plain bytes touch only a private temporary file on the till's own disk.
func SealNew(path string, data []byte, passphrase string) error {
	if len([]rune(passphrase)) < MinPassphrase {
		return fmt.Errorf("a passphrase of at least %d characters, please", MinPassphrase)
	}
	tmp, err := os.MkdirTemp("", "checkout-seal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	plain := filepath.Join(tmp, "plain")
	if err := os.WriteFile(plain, data, 0o600); err != nil {
		return err
	}
	return WriteNew(path, func(sealed string) error { return sealFile(plain, sealed, passphrase) })
}

// OpenSealedBytes returns what the sealed file at path holds; a wrong passphrase or a changed file is an
// error.
func OpenSealedBytes(path, passphrase string) ([]byte, error) {
	var b bytes.Buffer
	if err := decrypt(path, &b, passphrase); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
