package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"checkout/app/tillkey"
	"checkout/store"
)

// minPassphrase is the shortest passphrase an encrypted backup takes: the file leaves the shop, and
// scrypt only slows guessing down.
const minPassphrase = 12

// backupCommand copies the database to a new file while the till runs and checks the copy; -encrypt
// seals it with a passphrase read from standard input (age, scrypt), so the copy can travel.
func backupCommand(ctx context.Context, st *store.Store, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	encrypt := fs.Bool("encrypt", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New("backup takes [-encrypt] FILE (with -encrypt, the passphrase is read from standard input)")
	}
	path := fs.Arg(0)
	if !*encrypt {
		c, err := st.Backup(ctx, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up to %s: %d sales, %d journal rows verified%s\n", path, c.Sales, c.JournalRows, lastSale(c))
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists: choose a new file name", path)
	}
	passphrase, err := readPassphrase()
	if err != nil {
		return err
	}
	if len([]rune(passphrase)) < minPassphrase {
		return fmt.Errorf("backup: a passphrase of at least %d characters, please", minPassphrase)
	}
	tmp, err := os.MkdirTemp("", "checkout-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The plain copy stays on the till's own disk; only the sealed file goes to path, written and checked
	// beside it before it takes its name.
	plain := filepath.Join(tmp, "backup.db")
	c, err := st.Backup(ctx, plain)
	if err != nil {
		return err
	}
	if err := store.WriteNew(path, func(sealed string) error { return sealFile(plain, sealed, passphrase) }); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backed up to %s, encrypted: %d sales, %d journal rows verified%s\n", path, c.Sales, c.JournalRows, lastSale(c))
	return nil
}

// restoreCommand replaces the database with a checked backup; an encrypted one is opened with the
// passphrase from standard input first.
func restoreCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("restore takes FILE (an encrypted backup's passphrase is read from standard input)")
	}
	from := args[0]
	sealed, err := isSealed(from)
	if err != nil {
		return err
	}
	if sealed {
		passphrase, err := readPassphrase()
		if err != nil {
			return err
		}
		tmp, err := os.MkdirTemp("", "checkout-restore-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		plain := filepath.Join(tmp, "backup.db")
		if err := openSealed(from, plain, passphrase); err != nil {
			return fmt.Errorf("restore refused: %w", err)
		}
		from = plain
	}
	// The backup's journal is keyed with this till's key, kept beside the database and never in a backup:
	// on a new machine, put the old till's till.key in place first.
	keyPath := filepath.Join(filepath.Dir(cfg.DBPath), "till.key")
	b, err := os.ReadFile(keyPath)
	if err != nil {
		return fmt.Errorf("restore needs this till's key, %s (copy it from the old till or from where its key is kept): %w", keyPath, err)
	}
	secret, err := tillkey.New(b)
	if err != nil {
		return fmt.Errorf("%s: %w", keyPath, err)
	}
	c, kept, err := store.Restore(ctx, from, cfg.DBPath, journalKey(secret, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s: %d sales, %d journal rows verified%s\n", cfg.DBPath, args[0], c.Sales, c.JournalRows, lastSale(c))
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

func lastSale(c store.Check) string {
	if c.LastSale.IsZero() {
		return ""
	}
	return ", last sale " + c.LastSale.Local().Format("2006-01-02 15:04")
}

// readPassphrase reads a passphrase from the first line of standard input.
func readPassphrase() (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	p := strings.TrimRight(line, "\r\n")
	if p == "" {
		return "", errors.New("no passphrase on standard input")
	}
	return p, nil
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

// isSealed reports whether path is an encrypted backup.
func isSealed(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(sealedHeader))
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == sealedHeader, nil
}

// openSealed decrypts an encrypted backup into a new file; a wrong passphrase or a changed file is an
// error, and nothing of it is left behind.
func openSealed(from, to, passphrase string) error {
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
