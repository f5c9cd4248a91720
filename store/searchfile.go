package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// The word index: product_words in a file of its own beside the database (see migration 0020), written
// by its own connection so that a catalog import uses a second core. The readers attach it as "search",
// so queries name product_words as before.

// searchPath is where the word index of the database at path is kept, named like SQLite's -wal and -shm.
func searchPath(path string) string { return path + "-search" }

// wordIndexSchema is the word index file's schema: the generation it was built for, and product_words
// (see migrations 0007 and 0013 for what it holds and 0010 for the tuning).
const wordIndexSchema = `
CREATE TABLE search_file (generation TEXT NOT NULL) STRICT;
CREATE VIRTUAL TABLE product_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6', detail = none, content = '', contentless_delete = 1);
INSERT INTO product_words (product_words, rank) VALUES ('automerge', 16);
INSERT INTO product_words (product_words, rank) VALUES ('hashsize', 67108864);`

// wordIndex is the word index file's one writer connection and the batches of words it is committing in
// the background, one after another.
type wordIndex struct {
	db *sql.DB
	mu sync.Mutex
	// last is the last batch of words handed to the background (it runs after the one before it).
	last *wordsJob
	// errs are the background's errors not reported yet.
	errs []error
	// indexed are search_pending rows whose words the background committed: the next write to the
	// database deletes them (a commit of its own per batch kept the import waiting).
	indexed []int64
}

type wordsJob struct {
	done chan struct{}
	prev *wordsJob // nil once done
}

// openWordIndex opens the word index file at path, creating it empty if it is not there, and returns
// the generation it was built for ("" for a file that has none: it is rebuilt).
func openWordIndex(ctx context.Context, path string) (*wordIndex, string, error) {
	if err := createPrivate(path); err != nil {
		return nil, "", fmt.Errorf("search index: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, "", err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	var generation string // stays "" without a schema, or for a file that is not a word index: made anew
	_ = db.QueryRowContext(ctx, `SELECT generation FROM search_file`).Scan(&generation)
	return &wordIndex{db: db}, generation, nil
}

// removeWordIndex removes the word index of the database at path, if there is one.
func removeWordIndex(path string) error {
	for _, side := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(searchPath(path) + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// createWordIndex replaces whatever is beside the database at path with an empty word index of a new
// generation.
func createWordIndex(ctx context.Context, path string) (*wordIndex, string, error) {
	if err := removeWordIndex(path); err != nil {
		return nil, "", err
	}
	path = searchPath(path)
	wi, _, err := openWordIndex(ctx, path)
	if err != nil {
		return nil, "", err
	}
	generation := rand.Text()
	err = wi.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, wordIndexSchema); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO search_file (generation) VALUES (?)`, generation)
		return err
	})
	if err != nil {
		wi.db.Close()
		return nil, "", fmt.Errorf("search index %s: %w", path, err)
	}
	return wi, generation, nil
}

func (wi *wordIndex) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return writeTx(ctx, wi.db, fn, nil)
}

// start runs fn in the background after the batches before it. An import hands a batch over and goes on
// with the next: a batch whose words take longer (FTS5 merging its segments) is made up by the next ones.
func (wi *wordIndex) start(fn func() error) {
	wi.mu.Lock()
	j := &wordsJob{done: make(chan struct{}), prev: wi.last}
	wi.last = j
	wi.mu.Unlock()
	go func() {
		defer close(j.done)
		wi.mu.Lock()
		prev := j.prev
		wi.mu.Unlock()
		if prev != nil {
			<-prev.done
			wi.mu.Lock()
			j.prev = nil // the chain ends here: batches done are not kept
			wi.mu.Unlock()
		}
		if err := fn(); err != nil {
			wi.mu.Lock()
			wi.errs = append(wi.errs, err)
			wi.mu.Unlock()
		}
	}()
}

// settle waits for every batch of words in the background and returns their errors once: the products
// they are for stay listed in search_pending, so the next start indexes them.
func (wi *wordIndex) settle() error {
	wi.wait()
	return wi.takeErrs()
}

// settleBacklog waits until at most the last batch handed over is still running, and returns the
// errors not reported yet: an import holds two batches of words at most.
func (wi *wordIndex) settleBacklog() error {
	wi.mu.Lock()
	var before *wordsJob
	if wi.last != nil {
		before = wi.last.prev
	}
	wi.mu.Unlock()
	if before != nil {
		<-before.done
	}
	return wi.takeErrs()
}

func (wi *wordIndex) takeErrs() error {
	if wi == nil {
		return nil
	}
	wi.mu.Lock()
	defer wi.mu.Unlock()
	err := errors.Join(wi.errs...)
	wi.errs = nil
	return err
}

// wait waits for the words in the background, leaving their errors to settle.
func (wi *wordIndex) wait() {
	if wi == nil {
		return
	}
	wi.mu.Lock()
	j := wi.last
	wi.mu.Unlock()
	if j != nil {
		<-j.done
	}
}

// done records that the words of search_pending's row id are committed.
func (wi *wordIndex) done(id int64) {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	wi.indexed = append(wi.indexed, id)
}

// indexedRows returns the search_pending rows recorded done so far; forget them once their deletion is
// committed.
func (wi *wordIndex) indexedRows() []int64 {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	return slices.Clone(wi.indexed)
}

func (wi *wordIndex) forget(ids []int64) {
	wi.mu.Lock()
	defer wi.mu.Unlock()
	// By value: an import and Close may both have taken the same rows.
	wi.indexed = slices.DeleteFunc(wi.indexed, func(id int64) bool { return slices.Contains(ids, id) })
}

// deletePending deletes search_pending's rows ids in tx.
func deletePending(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM search_pending WHERE rowid IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`)`, args...)
	return err
}

func (wi *wordIndex) close() error {
	return errors.Join(wi.settle(), wi.db.Close())
}

// readers opens the reader pool of the database at dsn with the word index at wordsPath (if any) attached
// as "search" on every connection, and search's SQL function has_text.
func readers(dsn, wordsPath string) *sql.DB {
	drv := &sqlite.Driver{}
	drv.MustRegisterDeterministicScalarFunction("has_text", 3, hasText)
	drv.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		if wordsPath == "" {
			return nil
		}
		_, err := c.ExecContext(context.Background(), `ATTACH DATABASE ? AS search`, []driver.NamedValue{{Ordinal: 1, Value: wordsPath}})
		return err
	})
	return sql.OpenDB(connector{drv: drv, dsn: dsn})
}

type connector struct {
	drv *sqlite.Driver
	dsn string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// writeWords replaces the words of the products with ids first to last by rows (ascending ids, the
// products already committed).
func (s *Store) writeWords(ctx context.Context, first, last int64, rows []searchRow) error {
	return s.words.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM product_words WHERE rowid BETWEEN ? AND ?`, first, last); err != nil {
			return err
		}
		return insertWords(ctx, tx, rows)
	})
}

// clearIndexed deletes the search_pending rows whose words the background committed.
func (s *Store) clearIndexed(ctx context.Context) error {
	ids := s.words.indexedRows()
	if len(ids) == 0 {
		return nil
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return deletePending(ctx, tx, ids) }); err != nil {
		return err
	}
	s.words.forget(ids)
	return nil
}

// insertWords writes rows into product_words in one statement over a JSON object id → words: a statement
// writing several rows into an FTS5 table opens a savepoint, and FTS5 flushes its pending terms to a new
// segment at each, so multi-row INSERTs of a few rows would write many small segments to merge. Ids go
// in ascending, else FTS5 flushes at each lower rowid too. json_each hands out an object's string
// members as text, where taking [id, words] pairs apart parsed each pair again per column.
func insertWords(ctx context.Context, tx *sql.Tx, rows []searchRow) error {
	if len(rows) == 0 {
		return nil
	}
	words := []byte{'{'}
	for i, r := range rows {
		if i > 0 {
			words = append(words, ',')
		}
		w, err := json.Marshal(r.words)
		if err != nil {
			return err
		}
		words = append(append(strconv.AppendInt(append(words, '"'), r.id, 10), '"', ':'), w...)
	}
	words = append(words, '}')
	_, err := tx.ExecContext(ctx, `INSERT INTO product_words (rowid, words) SELECT CAST(key AS INTEGER), value FROM json_each(?)`, string(words))
	return err
}

// markPending lists the products with ids first to last in search_pending, in the transaction that
// changes them, and returns the row's id: deleted once their words are committed.
func markPending(ctx context.Context, tx *sql.Tx, first, last int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO search_pending (first_id, last_id) VALUES (?, ?) RETURNING rowid`, first, last).Scan(&id)
	return id, err
}

// markTrigramsPending lists the products with ids first to last in search_pending as having no trigrams
// yet, in the transaction that adds them; indexPendingTrigrams indexes them.
func markTrigramsPending(ctx context.Context, tx *sql.Tx, first, last int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_pending (first_id, last_id, trigrams) VALUES (?, ?, 1)`, first, last)
	return err
}

// trigramsPending reports whether product id's trigrams are left for indexPendingTrigrams: an edit of it
// then leaves product_trigrams alone (deleting terms never indexed would corrupt it, and indexing it now
// would index it twice).
func trigramsPending(ctx context.Context, tx *sql.Tx, id int64) (bool, error) {
	var pending bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending WHERE trigrams AND ? BETWEEN first_id AND last_id)`,
		id).Scan(&pending)
	return pending, err
}

// indexPendingTrigrams indexes the trigrams of the products search_pending lists as having none, in one
// transaction, one INSERT … SELECT in id order per run of adjacent ranges: FTS5 then writes a segment per
// 64 MiB of terms (hashsize) instead of one per batch to merge, and flushes at each statement's
// savepoint, so the ranges of an import's batches are joined into one statement.
func (s *Store) indexPendingTrigrams(ctx context.Context) error {
	var behind bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_pending WHERE trigrams)`).Scan(&behind); err != nil || !behind {
		return err
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return indexTrigrams(ctx, tx) }); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// bulkTrigramRows is how many products an import in bulk leaves without trigrams at most: the batch
// that reaches it indexes them all in its transaction, so the main connection indexes trigrams while
// the word index's writes words, and the import's end has a fifth of a million-row import's left. A
// variable so that tests can reach it with fewer rows.
var bulkTrigramRows int64 = 200_000

// trigramRowsPending returns how many products search_pending lists as having no trigrams yet.
func trigramRowsPending(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(last_id - first_id + 1), 0) FROM search_pending WHERE trigrams`).Scan(&n)
	return n, err
}

// indexTrigrams is indexPendingTrigrams in tx.
func indexTrigrams(ctx context.Context, tx *sql.Tx) error {
	type span struct{ first, last int64 }
	var spans []span
	rows, err := tx.QueryContext(ctx, `SELECT first_id, last_id FROM search_pending WHERE trigrams ORDER BY first_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r span
		if err := rows.Scan(&r.first, &r.last); err != nil {
			rows.Close()
			return err
		}
		// Only ranges that touch are joined: a product between two may have its trigrams already.
		if n := len(spans); n > 0 && spans[n-1].last+1 == r.first {
			spans[n-1].last = r.last
		} else {
			spans = append(spans, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range spans {
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_trigrams (rowid, name, name_zh)
			SELECT id, name, name_zh FROM products WHERE id BETWEEN ? AND ? ORDER BY id`, r.first, r.last); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM search_pending WHERE trigrams`)
	return err
}

// indexPending brings up to date the trigrams and words of every product search_pending lists: what a
// stop between the two files' commits, or before an import's end, left behind, or a save whose words
// failed.
func (s *Store) indexPending(ctx context.Context) error {
	if err := s.indexPendingTrigrams(ctx); err != nil {
		return err
	}
	s.words.wait()
	type pending struct{ id, first, last int64 }
	var todo []pending
	rows, err := s.r.QueryContext(ctx, `SELECT rowid, first_id, last_id FROM search_pending WHERE NOT trigrams ORDER BY rowid`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.first, &p.last); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The rows done are deleted in one transaction at the end (a down-sync page leaves one a product); a
	// stop before it only has them indexed again.
	var done []int64
	for _, p := range todo {
		if err = s.indexRange(ctx, p.first, p.last); err != nil {
			err = fmt.Errorf("search index: %w", err)
			break
		}
		done = append(done, p.id)
	}
	if len(done) > 0 {
		err = errors.Join(err, s.write(ctx, func(tx *sql.Tx) error { return deletePending(ctx, tx, done) }))
	}
	return err
}

// catchUpWords writes the words of products just saved. They are saved whatever it says: on an error
// their words are written at the next start.
func (s *Store) catchUpWords(ctx context.Context) error {
	if err := errors.Join(s.words.settle(), s.indexPending(ctx)); err != nil {
		return fmt.Errorf("saved, but %w", wordsBehind(err))
	}
	return nil
}

// wordsBehind is the error of words the word index did not take: their products are in the catalog,
// listed in search_pending, and found by their words once the till starts again.
func wordsBehind(err error) error {
	return fmt.Errorf("the search index is behind until the till starts again: %w", err)
}

// indexRange writes the words of the products with ids first to last, a few thousand per transaction.
func (s *Store) indexRange(ctx context.Context, first, last int64) error {
	const per = 5000
	for from := first; from <= last; {
		rows, err := s.r.QueryContext(ctx, `SELECT id, name, name_zh FROM products WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?`,
			from, last, per)
		if err != nil {
			return err
		}
		var batch []searchRow
		for rows.Next() {
			var r searchRow
			var name, nameZH string
			if err := rows.Scan(&r.id, &name, &nameZH); err != nil {
				rows.Close()
				return err
			}
			r.words = searchWords(name, nameZH)
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		to := last
		if len(batch) == per {
			to = batch[len(batch)-1].id
		}
		if err := s.writeWords(ctx, from, to, batch); err != nil {
			return err
		}
		from = to + 1
	}
	return nil
}

// openSearchFile opens the database's word index, or makes it anew, empty, when it is missing or was
// built for another generation of the database (a restored backup, a copied file, a till from before
// migration 0020): then it returns the new index's generation, and Open has indexAll fill it.
func (s *Store) openSearchFile(ctx context.Context) (rebuilt string, err error) {
	var want string
	if err := s.w.QueryRowContext(ctx, `SELECT generation FROM search_file`).Scan(&want); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	path := searchPath(s.path)
	wi, have, err := openWordIndex(ctx, path)
	if err != nil {
		return "", err
	}
	if want != "" && have == want {
		s.words = wi
		return "", nil
	}
	wi.db.Close()
	s.words, rebuilt, err = createWordIndex(ctx, s.path)
	return rebuilt, err
}

// indexAll indexes every product's words into a new word index, then records its generation.
// It runs in the background, so the till opens at once (a million products take some 15 s): products
// added or saved meanwhile are listed in search_pending as always, and only the rows listed before it
// began are cleared with it.
func (s *Store) indexAll(ctx context.Context, generation string) error {
	var last, listed int64
	if err := s.r.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM products),
		(SELECT coalesce(max(rowid), 0) FROM search_pending WHERE NOT trigrams)`).Scan(&last, &listed); err != nil {
		return err
	}
	if err := s.indexRange(ctx, 1, last); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending WHERE rowid <= ? AND NOT trigrams`, listed); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM search_file; INSERT INTO search_file (generation) VALUES (?)`, generation)
		return err
	})
}

// VerifySearch checks the search index against the catalog: words for every product and none pending,
// and FTS5's integrity-check of both tables (product_trigrams against the products' names).
func (s *Store) VerifySearch(ctx context.Context) error {
	s.words.wait()
	var products, words, pending int64
	if err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM product_words),
		(SELECT count(*) FROM search_pending)`).Scan(&products, &words, &pending); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if words != products || pending != 0 {
		return fmt.Errorf("search index: %d products, %d with words, %d ranges pending", products, words, pending)
	}
	for db, table := range map[*sql.DB]string{s.w: "product_trigrams", s.words.db: "product_words"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			return fmt.Errorf("search index %s: %w", table, err)
		}
	}
	return nil
}
