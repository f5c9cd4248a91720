package reportpdf

// table is a grid: a header row, rows of cells, figures right-aligned by their measured width, and the
// columns as wide as their widest cell, so nothing overlaps its neighbour in any language.
type table struct {
	name    string // names its cells' boxes, for tests
	headers []string
	right   []bool // which columns hold figures (right-aligned)
	rows    [][]string
	// total is how many rows at the end are totals: set bold under a rule.
	total int
	// grow is the column that takes the width the others leave: the names'.
	grow int
}

// headed tells whether t has a header row: not when every header is empty.
func (t table) headed() bool {
	for _, h := range t.headers {
		if h != "" {
			return true
		}
	}
	return false
}

// Table geometry: millimetres and points.
const (
	cellGap     = 3.0 // between two columns' text
	rowH        = 5.6
	headerSize  = 8.0
	bodySize    = 9.0
	minBodySize = 6.5
)

// layout fits t's columns into width w: each column as wide as its widest cell and header, the header
// wrapped at its spaces when that is what makes the table fit, the type smaller when even that does not.
// It returns the columns' widths, the body's type size and the header's lines.
func (p *page) layout(t table, w float64) (widths []float64, size float64, headers [][]string) {
	n := len(t.headers)
	for size = bodySize; ; size -= 0.5 {
		body := make([]float64, n)
		p.setSize(size)
		for _, row := range t.rows {
			for i, c := range row {
				body[i] = max(body[i], p.measure(c))
			}
		}
		p.setSize(min(headerSize, size))
		p.setBold(true)
		full, word := make([]float64, n), make([]float64, n)
		for i, h := range t.headers {
			full[i], word[i] = p.measure(h), p.widestWord(h)
		}
		p.setBold(false)
		sum := func(f func(i int) float64) float64 {
			total := cellGap * float64(n-1)
			for i := range n {
				total += f(i)
			}
			return total
		}
		wide := func(i int) float64 { return max(body[i], full[i]) }
		narrow := func(i int) float64 { return max(body[i], word[i]) }
		pick := wide
		if sum(wide) > w {
			pick = narrow
		}
		if sum(pick) <= w || size <= minBodySize {
			widths = make([]float64, n)
			for i := range n {
				widths[i] = pick(i)
			}
			// The room left goes to the names' column, so the figures sit at the right.
			widths[t.grow] += max(0, w-sum(pick))
			p.setSize(min(headerSize, size))
			p.setBold(true)
			headers = make([][]string, n)
			for i, h := range t.headers {
				headers[i] = p.wrap(h, widths[i])
			}
			p.setBold(false)
			return widths, size, headers
		}
	}
}

// table prints t across the printable width, its header again on top of each page it continues on.
func (p *page) table(t table) {
	pdf := p.pdf
	widths, size, headers := p.layout(t, p.width())
	lines := 1
	for _, h := range headers {
		lines = max(lines, len(h))
	}
	hs := min(headerSize, size)
	lineOfHeader := hs * ptMM * 1.25
	headH := float64(lines)*lineOfHeader + 2
	if !t.headed() {
		headH = 0
	}
	rh := max(rowH*size/bodySize, 4.2)
	align := func(i int) string {
		if i < len(t.right) && t.right[i] {
			return "R"
		}
		return "L"
	}
	header := func() {
		if headH == 0 {
			return
		}
		y := pdf.GetY()
		pdf.SetFillColor(241, 243, 246)
		pdf.Rect(margin, y, p.width(), headH, "F")
		p.setSize(hs)
		p.setBold(true)
		p.setColor(gray)
		x := margin
		for i, hl := range headers {
			p.cell = cellRef{t.name, -1, i}
			// Headers sit on the row's bottom line, as the figures under them do.
			top := y + headH - 1 - float64(len(hl))*lineOfHeader
			for j, l := range hl {
				p.draw(x, top+float64(j)*lineOfHeader, widths[i], lineOfHeader, l, align(i))
			}
			x += widths[i] + cellGap
		}
		p.setBold(false)
		p.setColor(black)
		pdf.SetXY(margin, y+headH)
	}
	p.room(headH + rh*float64(min(len(t.rows), 3)))
	header()
	for r, row := range t.rows {
		if _, ph := pdf.GetPageSize(); pdf.GetY()+rh > ph-margin {
			pdf.AddPage()
			header()
		}
		y := pdf.GetY()
		totalRow := r >= len(t.rows)-t.total
		if totalRow && r > 0 {
			pdf.SetDrawColor(90, 90, 90)
			pdf.SetLineWidth(0.3)
			pdf.Line(margin, y, margin+p.width(), y)
		}
		p.setSize(size)
		p.setBold(totalRow)
		x := margin
		for i, c := range row {
			p.cell = cellRef{t.name, r, i}
			p.draw(x, y, widths[i], rh, c, align(i))
			x += widths[i] + cellGap
		}
		p.setBold(false)
		if !totalRow && r+1 < len(t.rows) {
			pdf.SetDrawColor(225, 228, 232)
			pdf.SetLineWidth(0.2)
			pdf.Line(margin, y+rh, margin+p.width(), y+rh)
		}
		pdf.SetXY(margin, y+rh)
	}
	p.cell = cellRef{}
	p.setSize(fontSize)
}

// cellRef is the table cell text is being set in.
type cellRef struct {
	table       string
	row, column int
}
