// Package store keeps the till's data in one SQLite file (modernc.org/sqlite, no cgo) and implements the
// repository interfaces that app declares. Writes go through a single connection in WAL mode with
// synchronous=FULL, so a sale that Commit returned for survives a power cut. Beside it, a second file
// holds the products' word index, made from the first (searchfile.go).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"checkout/app"
	"checkout/app/money"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the till's database. It is safe for concurrent use.
type Store struct {
	path string
	file os.FileInfo // the database file as opened: a write checks it is still the file at path
	w    *sql.DB     // the one writer connection
	r    *sql.DB     // readers; WAL lets them run beside the writer; the word index is attached

	readMu sync.Mutex
	reads  map[string]*sql.Stmt // search's statements, prepared on r once (readQuery)

	words *wordIndex // the word index file (product_words) and its writer

	dealsMu      sync.Mutex
	deals        *app.Deals // the active promotions as of revision dealsVersion (ActiveDeals)
	dealsVersion int64

	closing context.Context // cancelled by Close: stops work in the background
	stop    context.CancelFunc

	cur atomic.Pointer[money.Currency] // the shop's currency, in which every stored price is kept

	// Statements of the sale path, prepared once on the writer connection: parsing SQL was a fifth of a
	// sale's commit time.
	q statements

	applied []int // migrations applied by this Open

	// journalKey keys the journal's hash chain (HMAC-SHA256); keyed says the journal is keyed, with it
	// or, when journalKey is nil, with a key this store was not given (it then writes no journal row).
	journalKey []byte
	keyed      bool
}

// Option sets how Open opens a store.
type Option func(*options)

type options struct {
	journalKey []byte
	keyNow     bool
}

// WithJournalKey keys the journal's hash chain with key (see keyJournal). keyNow says the key was made
// by this start, so a journal not keyed yet may be keyed now; otherwise such a journal is refused.
func WithJournalKey(key []byte, keyNow bool) Option {
	return func(o *options) { o.journalKey, o.keyNow = key, keyNow }
}

var (
	_ app.Catalog = (*Store)(nil)
	_ app.SaleLog = (*Store)(nil)
)

// Open opens (creating if needed) the database at path and brings its schema up to date, with the word
// index beside it (made and filled if it is missing).
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	return open(ctx, path, true, opts...)
}

// open is Open; without words it neither opens nor makes the word index, and the store cannot search
// product words: for checking a copy of a database.
func open(ctx context.Context, path string, words bool, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w, journalKey: o.journalKey}
	s.closing, s.stop = context.WithCancel(context.Background())
	if err := s.migrate(ctx); err != nil {
		w.Close()
		if isReadOnly(err) {
			return nil, fmt.Errorf("open %s: the database file is read-only (check its permissions and the disk): %w", path, err)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if s.file, err = os.Stat(path); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.q.prepare(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	err = s.keyJournal(ctx, o.keyNow)
	if err == nil {
		err = s.bindJournal(ctx)
	}
	if err != nil {
		s.q.close()
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	rebuilt, wordsPath := "", ""
	if words {
		if rebuilt, err = s.openSearchFile(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		wordsPath = searchPath(path)
	}
	s.r = readers(dsn(path, true), wordsPath)
	s.r.SetMaxOpenConns(max(2, runtime.NumCPU()))
	set, err := s.Settings(ctx)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: settings: %w", path, err)
	}
	s.cur.Store(&set.Currency)
	if slices.ContainsFunc(s.applied, func(v int) bool { return slices.Contains(searchMigrations, v) }) {
		// product_trigrams reads the products' names in place: made again, it is filled from them.
		if _, err := w.ExecContext(ctx, `INSERT INTO product_trigrams (product_trigrams) VALUES ('rebuild')`); err != nil {
			s.Close()
			return nil, fmt.Errorf("open %s: search index: %w", path, err)
		}
	}
	switch {
	case rebuilt != "":
		s.words.start(func() error { return s.indexAll(s.closing, rebuilt) })
	case words:
		err = s.indexPending(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// searchMigrations create product_trigrams; the catalog already there is indexed once one has run.
var searchMigrations = []int{7, 13, 20}

// dsn returns the connection string. Pragmas go in the DSN so every pooled connection gets them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Take the write lock at BEGIN, so a transaction never fails half-way on a busy upgrade.
		q.Set("_txlock", "immediate")
		// Statement journals in memory: a multi-row INSERT that may fail a constraint keeps the pages it
		// changes to undo itself, in a temporary file past 64 KiB, and an import spent a tenth of its
		// products' inserts writing that file. They only undo a statement inside its transaction, so
		// what a commit promises on disk is unchanged (the WAL and synchronous=FULL see to that).
		q.Add("_pragma", "temp_store(2)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (s *Store) currency() money.Currency { return *s.cur.Load() }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database. Every committed transaction is already on disk.
func (s *Store) Close() error {
	s.stop()
	var errs []error
	// The words in the background first: an import's are committed, a rebuild stops (and starts again
	// at the next open).
	if err := s.SearchIndexed(context.Background()); err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, err)
	}
	errs = append(errs, s.q.close(), s.closeReads())
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.words != nil {
		errs = append(errs, s.words.close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// migrate applies the embedded migrations not yet recorded in schema_migrations, each in a transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	// Two branches may each add "the next" migration: a number taken twice would have its second file
	// skipped for good on every till that ran the first.
	seen := map[int]string{}
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", name)
		}
		if other, ok := seen[version]; ok {
			return fmt.Errorf("migrations %s and %s have the same number", other, name)
		}
		seen[version] = name
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		applied, err := s.apply(ctx, version, string(body))
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if applied {
			s.applied = append(s.applied, version)
		}
	}
	return nil
}

// apply runs one migration unless it has run; applied says whether it ran now.
func (s *Store) apply(ctx context.Context, version int, body string) (applied bool, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil || n > 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, timestamp(time.Now())); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// write runs fn in one write transaction and commits it. The writer connection is single and BEGINs
// IMMEDIATE, so write transactions never interleave.
// A write the disk refused is reported as app.ErrDiskWrite; the transaction is then rolled back whole.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return writeTx(ctx, s.w, fn, s.stillThere)
}

// writeTx runs fn in one transaction on db and commits it unless fn or ready (if not nil) fails.
func writeTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error, ready func() error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return writeError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return writeError(err)
	}
	if ready != nil {
		if err := ready(); err != nil {
			return err
		}
	}
	return writeError(tx.Commit())
}

// stillThere refuses to commit into a database file that was deleted or replaced while the till ran: on
// Linux the till would go on writing into the unlinked file, and every sale from then on would be gone at
// the next start.
func (s *Store) stillThere() error {
	now, err := os.Stat(s.path)
	if err != nil || !os.SameFile(now, s.file) {
		return fmt.Errorf("%w: %s", app.ErrDatabaseGone, s.path)
	}
	return nil
}

// writeError names what stopped a write: the disk (app.ErrDiskWrite), another program holding the database
// (app.ErrDatabaseBusy, after the busy timeout), or anything else as it is.
func writeError(err error) error {
	var se *sqlite.Error
	if err != nil && errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY {
		return fmt.Errorf("%w: %w", app.ErrDatabaseBusy, err)
	}
	return diskFull(err)
}

// isReadOnly reports whether SQLite refused to write because the file or its folder is read-only.
func isReadOnly(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_READONLY
}

// diskFull marks err as app.ErrDiskWrite when SQLite could not write its files: SQLITE_FULL (no space
// left), or an error writing, syncing or growing them (a file-size limit, a failing disk). SQLite does not
// say which, so the cashier is told to look at the disk.
func diskFull(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_DIR_FSYNC,
		sqlite3.SQLITE_IOERR_TRUNCATE:
		return fmt.Errorf("%w: %w", app.ErrDiskWrite, err)
	}
	return err
}

// timeLayout is fixed-width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func timestamp(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTimestamp(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// isConstraint reports whether err is SQLite refusing a row (UNIQUE, FOREIGN KEY, CHECK, NOT NULL).
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
