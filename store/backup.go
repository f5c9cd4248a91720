package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Backup writes a consistent copy of the database to path while the till goes on selling: VACUUM INTO
// reads one snapshot (WAL lets sales commit meanwhile) and writes a compact file. An existing path is
// refused, so a backup never overwrites another. The copy is written to a private temporary file beside
// path and checked like a file to restore before it takes path's name (WriteNew): a backup that fails
// leaves nothing behind.
func (s *Store) Backup(ctx context.Context, path string) (Check, error) {
	var c Check
	err := WriteNew(path, func(tmp string) error {
		if err := s.vacuumInto(ctx, tmp); err != nil {
			return err
		}
		var err error
		c, err = CheckFile(ctx, tmp, WithJournalKey(s.journalKey, false))
		return err
	})
	if err != nil {
		return Check{}, fmt.Errorf("backup: %w", err)
	}
	return c, nil
}

// vacuumInto copies the database into the empty file at path.
func (s *Store) vacuumInto(ctx context.Context, path string) error {
	// Its own connection: VACUUM INTO holds a read snapshot for as long as it copies, and the reader
	// pool's connections are query-only.
	db, err := sql.Open("sqlite", dsn(s.path, false))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return err
	}
	// The copy names no word index: whichever till opens it makes its own (see migration 0020).
	_, err = db.ExecContext(ctx, `ATTACH ? AS copy; DELETE FROM copy.search_file; DETACH copy`, path)
	return err
}

// Check is what checking a database file found: how many sales and journal rows it holds, and until when.
type Check struct {
	Sales, JournalRows int64
	LastSale           time.Time
}

// CheckFile opens a database file and checks it the way verify-journal does, on a temporary copy so the
// file itself is never changed (opening brings an older schema up to date): SQLite's integrity_check,
// the journal's hash chain with every sale, refund and Z report against it, the stock and member
// ledgers against their balances.
func CheckFile(ctx context.Context, path string, opts ...Option) (Check, error) {
	tmp, err := os.MkdirTemp("", "checkout-check-")
	if err != nil {
		return Check{}, err
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, "check.db")
	if err := copyFile(path, copyPath); err != nil {
		return Check{}, err
	}
	return checkCopy(ctx, copyPath, opts...)
}

func checkCopy(ctx context.Context, path string, opts ...Option) (Check, error) {
	if err := sqliteHeader(path); err != nil {
		return Check{}, err
	}
	s, err := open(ctx, path, false, opts...)
	if err != nil {
		return Check{}, err
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		return Check{}, err
	}
	var c Check
	if c.JournalRows, err = s.VerifyJournal(ctx); err != nil {
		return Check{}, fmt.Errorf("journal: %w", err)
	}
	if err := s.VerifyStock(ctx); err != nil {
		return Check{}, err
	}
	if err := s.VerifyMembers(ctx); err != nil {
		return Check{}, err
	}
	if err := s.VerifyOutbox(ctx); err != nil {
		return Check{}, err
	}
	var last sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT count(*), max(completed_at) FROM sales`).Scan(&c.Sales, &last); err != nil {
		return Check{}, err
	}
	if last.Valid {
		c.LastSale, _ = parseTimestamp(last.String)
	}
	return c, nil
}

// Checkpoint copies the WAL into the database file and empties it.
func (s *Store) Checkpoint(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// IntegrityCheck runs SQLite's own check of every page and index of the database.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var result string
	if err := s.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("integrity check: %s", result)
	}
	return nil
}

// VerifyOutbox finds sales and refunds with no outbox row: each is queued for the head office in the
// transaction that stores it, so one without is a sale that would never reach it.
func (s *Store) VerifyOutbox(ctx context.Context) error {
	var receipt string
	err := s.r.QueryRowContext(ctx, `SELECT receipt_no FROM sales WHERE uuid NOT IN (SELECT id FROM outbox)
		UNION ALL SELECT receipt_no FROM refunds WHERE uuid NOT IN (SELECT id FROM outbox) LIMIT 1`).Scan(&receipt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("%s has no outbox row: it would never reach the head office", receipt)
}

// sqliteHeader refuses a file that is not an SQLite database before SQLite would treat it as an empty one.
func sqliteHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("%s is not a till database", path)
	}
	return nil
}

// Restore replaces the database at target with the backup at from, after checking a copy of it as
// CheckFile does. It refuses while the till (or anything) has target open; the database it replaces is
// kept beside it as TARGET.before-restore-YYYYMMDD-HHMMSS, so a restore can be undone.
func Restore(ctx context.Context, from, target string, opts ...Option) (Check, string, error) {
	staged := target + ".restoring"
	os.Remove(staged)
	if err := copyFile(from, staged); err != nil {
		return Check{}, "", err
	}
	defer os.Remove(staged)
	c, err := checkCopy(ctx, staged, opts...)
	if err != nil {
		return Check{}, "", fmt.Errorf("restore refused: %w", err)
	}
	// checkCopy opened the staged copy, which may have brought its schema up to date: keep that copy, its
	// WAL checkpointed into it by closing.
	os.Remove(staged + "-wal")
	os.Remove(staged + "-shm")
	kept := ""
	if _, err := os.Stat(target); err == nil {
		unlock, err := lockExclusive(ctx, target)
		if err != nil {
			return Check{}, "", err
		}
		kept = target + ".before-restore-" + time.Now().Format("20060102-150405")
		err = os.Rename(target, kept)
		unlock()
		if err != nil {
			return Check{}, "", err
		}
		for _, side := range []string{"-wal", "-shm"} {
			os.Remove(target + side)
		}
		removeWordIndex(target)
	}
	if err := os.Rename(staged, target); err != nil {
		return Check{}, "", err
	}
	return c, kept, nil
}

// lockExclusive takes target's file lock in SQLite's exclusive locking mode, refusing while any other
// connection has the database open (the running till: in WAL mode every open connection keeps a shared
// lock on the file); unlock releases it.
func lockExclusive(ctx context.Context, target string) (unlock func(), err error) {
	db, err := sql.Open("sqlite", "file:"+target+"?_pragma=busy_timeout(200)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	inUse := func(err error) (func(), error) {
		db.Close()
		return nil, fmt.Errorf("restore refused: %s is in use (close the till first): %w", target, err)
	}
	// A write takes the exclusive lock, which exclusive mode keeps until the connection closes.
	if _, err := db.ExecContext(ctx, `BEGIN EXCLUSIVE; CREATE TEMP TABLE IF NOT EXISTS restore_lock (x); COMMIT`); err != nil {
		return inUse(err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA main.user_version`); err != nil {
		return inUse(err)
	}
	return func() { db.Close() }, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return errors.Join(out.Sync(), out.Close())
}
