package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"checkout/store"
)

// backupCommand copies the database to a new file while the till runs and checks the copy.
func backupCommand(ctx context.Context, st *store.Store, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("backup takes FILE")
	}
	c, err := st.Backup(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up to %s: %d sales, %d journal rows verified%s\n", args[0], c.Sales, c.JournalRows, lastSale(c))
	return nil
}

// restoreCommand replaces the database with a checked backup.
func restoreCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("restore takes FILE")
	}
	c, kept, err := store.Restore(ctx, args[0], cfg.DBPath)
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
