package app

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
)

// CSVWriter writes CSV that spreadsheets open safely, for every CSV the till writes. A text cell that
// starts with =, +, -, @, tab or CR, which Excel, LibreOffice or Sheets would run as a formula (OWASP's
// "CSV injection": a product named =HYPERLINK(…) in an export the owner opens), is written with a
// leading ' (csvText). Cells of the columns named as numbers are written as they are while they are
// numbers, so an amount of -1.50 stays an amount.
type CSVWriter struct {
	w      *csv.Writer
	number []bool // by column: holds numbers
	row    []string
}

// NewCSVWriter writes header to w and returns the writer of the rows under it; numbers names the columns
// that hold numbers.
func NewCSVWriter(w io.Writer, header []string, numbers ...string) (*CSVWriter, error) {
	c := &CSVWriter{w: csv.NewWriter(w), number: make([]bool, len(header))}
	for i, h := range header {
		c.number[i] = slices.Contains(numbers, h)
	}
	return c, c.Write(header...)
}

// Write writes one row, a cell for each column of the header.
func (c *CSVWriter) Write(cells ...string) error {
	c.row = c.row[:0]
	for i, cell := range cells {
		if i >= len(c.number) || !c.number[i] || !isNumber(cell) {
			cell = csvText(cell)
		}
		c.row = append(c.row, cell)
	}
	return c.w.Write(c.row)
}

// Flush writes out what is buffered and returns the first error of any write.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// formulaStart holds the first characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"

// csvText is s as a text cell no spreadsheet runs: a ' before it when it starts a formula, or when it
// is already a ' (or several) before one, so that csvUntext gives s back. "=1+1" is written '=1+1,
// "'=1+1" gets a second ' in front, and "'tis" stays as it is.
func csvText(s string) string {
	if startsFormula(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// csvUntext undoes csvText for a cell read from a catalog file, so an exported catalog imports back
// unchanged: one ' is taken off a cell that is ' (or several) before a formula's first character.
func csvUntext(s string) string {
	if strings.HasPrefix(s, "'") && startsFormula(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

func startsFormula(s string) bool { return s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 }

// isNumber reports whether s is a plain decimal such as 3, -1.50 or 12.50%: what a spreadsheet reads as
// a number and never as a formula.
func isNumber(s string) bool {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "-"), "%")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}
