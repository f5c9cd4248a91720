package app

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Limits on what a catalog check holds of a file, so that a file of any shape — one 50 MB line, one
// quoted cell over a million lines, millions of tiny bad rows — is checked in a few megabytes.
const (
	maxFieldBytes = 64 << 10 // a cell: a longer one makes its row bad
	maxRowBytes   = 1 << 20  // a row, however many lines its quoted cells span: a longer one refuses the file
	// MaxListedRows is how many bad rows a check lists, the first in file order; the rest are counted.
	MaxListedRows = 1000
)

// csvBuffer is the buffer csv reads a catalog file's text through: csv may have read this far past the
// row it returned.
const csvBuffer = 64 << 10

// catalogReader reads a catalog file's records, refusing a row longer than maxRowBytes before it reads
// more of it than that.
type catalogReader struct {
	*csv.Reader
	limit *rowLimit
	line  int // of the last record read
}

func newCatalogReader(text io.Reader) *catalogReader {
	limit := &rowLimit{r: text, until: maxRowBytes + csvBuffer}
	cr := csv.NewReader(bufio.NewReaderSize(limit, csvBuffer))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &catalogReader{Reader: cr, limit: limit}
}

// Read returns the next record, as csv.Reader does, or an error naming the row that is too long.
func (c *catalogReader) Read() ([]string, error) {
	rec, err := c.Reader.Read()
	if c.limit.over {
		// A row cut short still has the position of its first cells, unless the first is the long one.
		if len(rec) > 0 {
			line, _ := c.FieldPos(0)
			return nil, fmt.Errorf("catalog file: line %d: a row longer than %d MiB", line, maxRowBytes>>20)
		}
		return nil, fmt.Errorf("catalog file: a row after line %d is longer than %d MiB", c.line, maxRowBytes>>20)
	}
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		c.line = pe.StartLine
	} else if err == nil && len(rec) > 0 {
		c.line, _ = c.FieldPos(0)
	}
	c.limit.until = c.InputOffset() + maxRowBytes + csvBuffer
	return rec, err
}

// rowLimit reads from r until the offset until, then fails: the reader above moves until on after
// each row, so only a row longer than maxRowBytes gets there.
type rowLimit struct {
	r           io.Reader
	read, until int64
	over        bool
}

func (l *rowLimit) Read(p []byte) (int, error) {
	if l.read >= l.until {
		l.over = true
		return 0, errors.New("catalog file: a row is too long")
	}
	if int64(len(p)) > l.until-l.read {
		p = p[:l.until-l.read]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// badRows keeps the first MaxListedRows bad rows of a file in line order, and counts them all.
type badRows struct {
	rows  []RowError
	total int
}

func (b *badRows) add(r RowError) {
	b.total++
	b.rows = append(b.rows, r)
	if len(b.rows) >= 2*MaxListedRows {
		b.rows = b.sorted()
	}
}

// sorted returns the first MaxListedRows in line order.
func (b *badRows) sorted() []RowError {
	sort.SliceStable(b.rows, func(i, j int) bool { return b.rows[i].Line < b.rows[j].Line })
	return b.rows[:min(len(b.rows), MaxListedRows)]
}
