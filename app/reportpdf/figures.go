package reportpdf

import (
	"bytes"
	"fmt"
	"io"
	"time"
)

// Figures is a document of tables: a title, a line under it, then titled tables of figures, laid out as
// the report lays out its own (every column as wide as its widest cell, figures right-aligned, the type
// smaller rather than a column cut). The head office's dashboard exports its pages so. Its texts come
// translated already.
type Figures struct {
	Title, Subtitle string
	Sections        []Section
	// Made dates the file.
	Made time.Time
	// The fonts, as Report's.
	Font, LatinFont, BoldFont []byte
}

// Section is a titled table: its header, its rows (each as many cells as Headers), which columns hold
// figures (right-aligned), and how many rows at the end are totals (set bold under a rule). Empty, it
// says Empty instead.
type Section struct {
	Title   string
	Headers []string
	Right   []bool
	Rows    [][]string
	Totals  int
	Empty   string
}

// WriteFigures writes f as a PDF to w.
func WriteFigures(w io.Writer, f Figures) error {
	p, err := newPage(f.Font, f.LatinFont, f.BoldFont)
	if err != nil {
		return err
	}
	for _, s := range f.Sections {
		if len(s.Right) != len(s.Headers) || s.Totals < 0 || s.Totals > len(s.Rows) {
			return fmt.Errorf("section %q: %d headers, %d alignments, %d totals of %d rows", s.Title, len(s.Headers), len(s.Right),
				s.Totals, len(s.Rows))
		}
		for _, row := range s.Rows {
			if len(row) != len(s.Headers) {
				return fmt.Errorf("section %q: a row of %d cells under %d headers", s.Title, len(row), len(s.Headers))
			}
		}
	}
	pdf := p.pdf
	pdf.SetTitle(f.Title, true)
	pdf.SetCreator("checkout", true)
	pdf.SetCreationDate(f.Made)
	pdf.SetModificationDate(f.Made)
	pdf.AddPage()
	p.setSize(18)
	p.setBold(true)
	p.text(0, 10, f.Title, "L", 1)
	p.setBold(false)
	if f.Subtitle != "" {
		p.setSize(11)
		p.setColor(gray)
		for _, line := range p.wrap(f.Subtitle, p.width()) {
			p.text(0, 7, line, "L", 1)
		}
		p.setColor(black)
	}
	p.setSize(fontSize)
	for i, s := range f.Sections {
		p.section(s.Title)
		if len(s.Rows) == 0 {
			p.setColor(gray)
			p.text(0, lineH, s.Empty, "L", 1)
			p.setColor(black)
			continue
		}
		grow := 0
		for grow < len(s.Right) && s.Right[grow] {
			grow++
		}
		p.table(table{name: fmt.Sprintf("section%d", i), headers: s.Headers, right: s.Right, rows: s.Rows, total: s.Totals,
			grow: min(grow, len(s.Headers)-1)})
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("write the PDF: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
