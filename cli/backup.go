package cli

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
func backupCommand(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	encrypt := fs.Bool("encrypt", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New("backup takes [-encrypt] FILE (with -encrypt, the passphrase is read from standard input)")
	}
	path := fs.Arg(0)
	if !*encrypt {
		checked, err := st.Backup(ctx, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up to %s: %d sales, %d journal rows verified%s\n", path, checked.Sales, checked.JournalRows, lastSale(checked.LastSale))
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists: choose a new file name", path)
	}
	passphrase, err := readPassphrase(c.stdin)
	if err != nil {
		return err
	}
	checked, err := st.BackupSealed(ctx, path, passphrase)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up to %s, encrypted: %d sales, %d journal rows verified%s\n", path, checked.Sales, checked.JournalRows, lastSale(checked.LastSale))
	return nil
}

// restoreCommand replaces the database with a checked backup; an encrypted one is opened with the
// passphrase from standard input first.
func restoreCommand(ctx context.Context, c *call) error {
	cfg, args, stdout := c.cfg, c.args, c.stdout
	if len(args) != 1 {
		return errors.New("restore takes FILE (an encrypted backup's passphrase is read from standard input)")
	}
	// Not through withStore: the database to replace must not be open, by this process either.
	checked, kept, err := till.Restore(ctx, cfg.DBPath, args[0], func() (string, error) { return readPassphrase(c.stdin) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s: %d sales, %d journal rows verified%s\n", cfg.DBPath, args[0], checked.Sales, checked.JournalRows, lastSale(checked.LastSale))
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
func readPassphrase(stdin io.Reader) (string, error) {
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
