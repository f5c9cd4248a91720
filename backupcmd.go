package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"checkout/app/tillkey"
	"checkout/store"
)

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
	c, err := st.BackupSealed(ctx, path, passphrase)
	if err != nil {
		return err
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
	sealed, err := store.IsSealed(from)
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
		if err := store.OpenSealed(from, plain, passphrase); err != nil {
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
