package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"checkout/till"
)

// backupCommand copies the database to a new file while the till runs and checks the copy; -encrypt
// seals it with a passphrase read from standard input (age, scrypt), so the copy can travel.
func backupCommand(ctx context.Context, st *till.Store, args []string, stdout io.Writer) error {
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
		fmt.Fprintf(stdout, "backed up to %s: %d sales, %d journal rows verified%s\n", path, c.Sales, c.JournalRows, lastSale(c.LastSale))
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
	fmt.Fprintf(stdout, "backed up to %s, encrypted: %d sales, %d journal rows verified%s\n", path, c.Sales, c.JournalRows, lastSale(c.LastSale))
	return nil
}

// restoreCommand replaces the database with a checked backup; an encrypted one is opened with the
// passphrase from standard input first.
func restoreCommand(ctx context.Context, cfg till.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("restore takes FILE (an encrypted backup's passphrase is read from standard input)")
	}
	c, kept, err := till.Restore(ctx, cfg.DBPath, args[0], readPassphrase)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s: %d sales, %d journal rows verified%s\n", cfg.DBPath, args[0], c.Sales, c.JournalRows, lastSale(c.LastSale))
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

// lastSale is a checked backup's last sale, as the backup and restore commands print it.
func lastSale(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return ", last sale " + at.Local().Format("2006-01-02 15:04")
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
