package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The trading tables, documents and sales, are partitioned by UTC month (migration 0012): a partition per
// month (documents_y2026m01) and a DEFAULT partition for any other time. The head office makes the
// current month's and the next few months' partitions at start and every few hours after, from its own
// clock: never for a time a till sent, so a till's clock (1970, 2099, or a hostile one) puts rows in
// DEFAULT and cannot make partitions. Months before a given one can be archived to a file and dropped.

// MonthsAhead is how many months after the current one have partitions made in advance.
const MonthsAhead = 3

// partitionLock is the advisory lock (with key 2) that makes and archives partitions one at a time.
const partitionLock = 0x70617274 // "part"

// monthTable matches a month's partition of a trading table: documents_y2026m01.
var monthTable = regexp.MustCompile(`^(documents|sales)_y([0-9]{4})m([0-9]{2})$`)

// EnsurePartitions makes the partitions of the month of now (UTC) and the MonthsAhead months after it,
// where they are missing, moving any rows of those months out of DEFAULT.
func (s *Server) EnsurePartitions(ctx context.Context, now time.Time) error {
	month := monthOf(now)
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(2, $1)`, partitionLock); err != nil {
			return err
		}
		for i := range MonthsAhead + 1 {
			if _, err := tx.Exec(ctx, `SELECT trading_month($1)`, month.AddDate(0, i, 0)); err != nil {
				return fmt.Errorf("partitions of %s: %w", month.AddDate(0, i, 0).Format("2006-01"), err)
			}
		}
		return nil
	})
}

// KeepPartitions makes the coming months' partitions every six hours until ctx ends, logging failures:
// rows of a month without its partition are not lost, they wait in DEFAULT and move at the next try.
func (s *Server) KeepPartitions(ctx context.Context) {
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.EnsurePartitions(ctx, time.Now()); err != nil && ctx.Err() == nil {
				s.log.Error("partitions", "err", err)
			}
		}
	}
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// Partition is one table of a trading table's partitions.
type Partition struct {
	Table    string    // documents or sales
	Name     string    // documents_y2026m01, documents_default
	Month    time.Time // its UTC month; zero for DEFAULT
	Attached bool      // false: detached by an archive that stopped before dropping it
	Rows     int64
	Estimate bool  // Rows is the statistics' estimate (a table of millions is not counted)
	Bytes    int64 // on disk, indexes and TOAST included
}

// Partitions lists the trading tables' partitions, and month tables detached but not yet archived, by
// table and month (DEFAULT first).
func (s *Server) Partitions(ctx context.Context) ([]Partition, error) {
	rows, err := s.db.Query(ctx, `SELECT c.relname, c.relispartition, c.reltuples::bigint, pg_total_relation_size(c.oid)
		FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
			AND (c.relispartition AND (SELECT inhparent FROM pg_inherits WHERE inhrelid = c.oid) IN ('documents'::regclass, 'sales'::regclass)
				OR c.relname ~ '^(documents|sales)_y[0-9]{4}m[0-9]{2}$')
		ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Partition, error) {
		var p Partition
		err := row.Scan(&p.Name, &p.Attached, &p.Rows, &p.Bytes)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	for i := range ps {
		p := &ps[i]
		p.Table, _, _ = strings.Cut(p.Name, "_")
		if m := monthTable.FindStringSubmatch(p.Name); m != nil {
			p.Month, _ = time.Parse("2006-01", m[2]+"-"+m[3])
		}
		if p.Estimate = p.Rows >= 1_000_000; !p.Estimate {
			if err := s.db.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{p.Name}.Sanitize()).Scan(&p.Rows); err != nil {
				return nil, err
			}
		}
	}
	return ps, nil
}

// ArchiveBefore moves the trading tables' months before the UTC month before out of the database into a
// new file at path, in three steps: it detaches their partitions (they leave documents and sales, with
// their rows); writes each to a temporary file beside path as plain SQL, as pg_dump writes data (CREATE
// TABLE with the columns and checks, then COPY ... FROM stdin with the rows), syncs it, reads it back and
// counts every table's rows against the database, and links it to path (never replacing a file); and only
// then drops the detached tables. A run that stopped after detaching is finished by the next: month
// tables left detached before before are archived with the others. DEFAULT's rows stay. The month in
// progress cannot be archived. It returns what it archived; none, and no file, when nothing is before.
func (s *Server) ArchiveBefore(ctx context.Context, before time.Time, path string, now time.Time) ([]Partition, error) {
	if !before.Equal(monthOf(before)) {
		return nil, fmt.Errorf("archive: %v is not the start of a UTC month", before)
	}
	if before.After(monthOf(now)) {
		return nil, fmt.Errorf("archive: %s is after the month in progress", before.Format("2006-01"))
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("archive: %s exists: name a new file", path)
	}
	conn, err := s.db.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(2, $1)`, partitionLock); err != nil {
		return nil, err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock(2, $1)`, partitionLock)

	// 1. Detach the months' partitions (a short lock on documents and sales, in one transaction).
	ps, err := s.Partitions(ctx)
	if err != nil {
		return nil, err
	}
	var old []Partition
	for _, p := range ps {
		if !p.Month.IsZero() && p.Month.Before(before) {
			old = append(old, p)
		}
	}
	if len(old) == 0 {
		return nil, nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, p := range old {
			if p.Attached {
				if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{p.Table}.Sanitize()+` DETACH PARTITION `+pgx.Identifier{p.Name}.Sanitize()); err != nil {
					return fmt.Errorf("detach %s: %w", p.Name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}

	// 2. Write them out, sync, read back.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	want := map[string]int64{}
	w := bufio.NewWriterSize(tmp, 1<<20)
	fmt.Fprintf(w, "-- checkout-hq archive of the head office's documents and sales before %s (UTC months), written %s.\n",
		before.Format("2006-01"), now.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "-- Plain SQL as pg_dump writes data: each month's table, then its rows in COPY text format.\n")
	fmt.Fprintf(w, "-- Restore with: psql -v ON_ERROR_STOP=1 -1 -f FILE DATABASE-URL\n")
	fmt.Fprintf(w, "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n")
	for i := range old {
		p := &old[i]
		n, err := writeTable(ctx, conn.Conn(), w, p.Name)
		if err != nil {
			return nil, fmt.Errorf("archive %s: %w", p.Name, err)
		}
		p.Rows, p.Estimate, p.Attached, want[p.Name] = n, false, false, n
	}
	fmt.Fprintf(w, "\n%s %d tables\n", archiveEnd, len(old))
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	got, err := ReadArchive(tmp)
	if err != nil {
		return nil, fmt.Errorf("archive: reading back %s: %w", tmp.Name(), err)
	}
	for name, n := range want {
		if got[name] != n {
			return nil, fmt.Errorf("archive: reading back %s: %d rows of %s, the database has %d: nothing dropped", tmp.Name(), got[name], name, n)
		}
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil { // fails if path exists since
		return nil, fmt.Errorf("archive: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}

	// 3. Drop what the file now holds.
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, p := range old {
			if _, err := tx.Exec(ctx, `DROP TABLE `+pgx.Identifier{p.Name}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: %s is written; dropping the archived tables: %w (archive again to a new file)", path, err)
	}
	return old, nil
}

// archiveEnd starts an archive's last line: a file without it was cut short.
const archiveEnd = "-- end of checkout-hq archive:"

// writeTable writes a detached month table as plain SQL: CREATE TABLE with its columns and checks, COPY
// FROM stdin with its rows. It returns the rows written.
func writeTable(ctx context.Context, conn *pgx.Conn, w *bufio.Writer, name string) (int64, error) {
	rows, err := conn.Query(ctx, `SELECT quote_ident(attname), format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, name)
	if err != nil {
		return 0, err
	}
	var cols, defs []string
	for rows.Next() {
		var col, typ string
		var notNull bool
		if err := rows.Scan(&col, &typ, &notNull); err != nil {
			return 0, err
		}
		def := col + " " + typ
		if notNull {
			def += " NOT NULL"
		}
		cols, defs = append(cols, col), append(defs, def)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows, err = conn.Query(ctx, `SELECT 'CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'c' ORDER BY conname`, name)
	if err != nil {
		return 0, err
	}
	checks, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	var count int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{name}.Sanitize()).Scan(&count); err != nil {
		return 0, err
	}
	id := pgx.Identifier{name}.Sanitize()
	fmt.Fprintf(w, "\n-- %s: %d rows\nCREATE TABLE %s (\n    %s\n);\n", name, count, id, strings.Join(append(defs, checks...), ",\n    "))
	fmt.Fprintf(w, "COPY %s (%s) FROM stdin;\n", id, strings.Join(cols, ", "))
	if _, err := conn.PgConn().CopyTo(ctx, w, fmt.Sprintf("COPY %s (%s) TO STDOUT", id, strings.Join(cols, ", "))); err != nil {
		return 0, err
	}
	_, err = w.WriteString("\\.\n")
	return count, err
}

// ReadArchive reads an archive ArchiveBefore wrote and returns the rows of each table in it; a file cut
// short or garbled is an error.
func ReadArchive(r io.Reader) (map[string]int64, error) {
	got := map[string]int64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<30) // a row is one line, however long its document
	table, ended := "", false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case table != "" && line == `\.`:
			table = ""
		case table != "":
			got[table]++
		case strings.HasPrefix(line, "COPY ") && strings.HasSuffix(line, " FROM stdin;"):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "COPY "), " ")
			table = strings.Trim(name, `"`)
			got[table] += 0
		case strings.HasPrefix(line, archiveEnd):
			ended = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if table != "" || !ended {
		return nil, errors.New("cut short: no end line")
	}
	return got, nil
}

// syncDir syncs a directory, so a file linked into it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
