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

// backupPassphrase keeps the passphrase the till seals its snapshots with.
func backupPassphrase(ctx context.Context, st *till.Store, c *call) error {
	if len(c.args) != 0 {
		return errors.New("backup-passphrase takes no arguments: the passphrase is read from standard input")
	}
	p, err := readPassphrase(c.stdin)
	if err != nil {
		return err
	}
	if err := st.Secrets.SetBackupPassphrase(p); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "snapshots will be sealed with it; keep it somewhere other than this till: a restore on a new machine asks for it")
	return sealKeys(ctx, st, c)
}

// sealKeys puts the till's keys in the backup folder once both it and the passphrase are set.
func sealKeys(ctx context.Context, st *till.Store, c *call) error {
	path, err := st.SealKeys(ctx)
	if err != nil {
		return err
	}
	if path != "" {
		fmt.Fprintf(c.stdout, "the till's keys are in %s, sealed with the passphrase\n", path)
	}
	return nil
}

// backupNow writes the replica and takes a snapshot at once, as the running till would.
func backupNow(ctx context.Context, st *till.Store, c *call) error {
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	b, err := till.StartBackups(st, set, nil)
	if err != nil {
		return err
	}
	if b == nil {
		return errors.New("no backup folder set (checkout set backup.target FOLDER)")
	}
	defer b.Close()
	if err := b.Sync(ctx); err != nil {
		return fmt.Errorf("replica: %w", err)
	}
	fmt.Fprintf(c.stdout, "replica written at %s\n", b.Status().Replicated.Local().Format("2006-01-02 15:04:05"))
	path, err := b.TakeSnapshot(ctx, "manual")
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "snapshot %s\n", path)
	return nil
}

// restoreFrom rebuilds the database from a backup folder or a snapshot (till.RestoreFrom).
func restoreFrom(ctx context.Context, c *call) error {
	fs := flag.NewFlagSet("restore-from", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	atText := fs.String("at", "", "")
	tillName := fs.String("till", "", "")
	usage := errors.New("restore-from takes [-at TIME] [-till T01] TARGET|SNAPSHOT (TIME as 2026-12-06 14:30, local)")
	if err := fs.Parse(c.args); err != nil || fs.NArg() != 1 {
		return usage
	}
	var at time.Time
	if *atText != "" {
		var err error
		if at, err = parseMoment(*atText); err != nil {
			return usage
		}
	}
	r, err := till.RestoreFrom(ctx, c.cfg.DBPath, fs.Arg(0), *tillName, at, func() (string, error) { return readPassphrase(c.stdin) })
	if err != nil {
		return err
	}
	when := ""
	if !r.At.IsZero() {
		when = " as it was at " + r.At.Local().Format("2006-01-02 15:04:05")
	}
	fmt.Fprintf(c.stdout, "restored %s from %s%s: %d sales, %d journal rows verified%s\n", c.cfg.DBPath, r.From, when,
		r.Check.Sales, r.Check.JournalRows, lastSale(r.Check.LastSale))
	if r.Kept != "" {
		fmt.Fprintf(c.stdout, "the database it replaced is kept as %s\n", r.Kept)
	}
	return nil
}

// parseMoment reads a local time as the owner types it: "2026-12-06 14:30", with seconds, or RFC 3339.
func parseMoment(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, s)
}
