package reportpdf

import "strings"

// Text is set run by run in the font that has the run's characters, measured with the embedded fonts'
// metrics, so a column of figures is aligned by its glyphs' widths, Chinese or not, never by spaces.

// run is a stretch of text set in one font.
type run struct{ font, text string }

// runs splits s into runs: what the Latin font draws in it, the rest in the Chinese font.
func (p *page) runs(s string) []run {
	var out []run
	for _, r := range s {
		font := cjkFont
		if p.hasLatin && (p.latin.has(r) || !p.cjk.has(r)) {
			font = latinFont
		}
		if n := len(out); n > 0 && out[n-1].font == font {
			out[n-1].text += string(r)
		} else {
			out = append(out, run{font, string(r)})
		}
	}
	return out
}

// face is the font a run is set in: the Latin font's bold face for bold Latin text when there is one.
func (p *page) face(font string) string {
	if p.bold && font == latinFont && p.hasLatinBold {
		return latinBoldFont
	}
	return font
}

// fakeBold tells whether a run in font is made bold by stroking its outline: the Chinese font has no bold
// face (Droid Sans Fallback has none), nor has the Latin one when no bold face was given.
func (p *page) fakeBold(font string) bool {
	return p.bold && p.face(font) == font
}

// setSize sets the font size, in points, of the text that follows.
func (p *page) setSize(size float64) {
	p.size = size
	p.pdf.SetFont(cjkFont, "", size)
}

// setBold sets whether the text that follows is bold.
func (p *page) setBold(bold bool) { p.bold = bold }

// setColor sets the colour of the text that follows.
func (p *page) setColor(c rgb) { p.color = c }

// measure is the width of s in millimetres at the current size and weight.
func (p *page) measure(s string) float64 {
	total := 0.0
	for _, r := range p.runs(s) {
		p.pdf.SetFont(p.face(r.font), "", p.size)
		total += p.pdf.GetStringWidth(r.text)
	}
	return total
}

// box is where a piece of text was set: its glyphs' extent on a page, and the table cell it fills
// (table "" for text outside tables; row −1 for a header). Tests check the layout with them.
type box struct {
	page        int
	x, y, w, h  float64
	text        string
	table       string
	row, column int
}

// draw sets s in the box x, y, w, h (millimetres), aligned "L", "R" or "C" and centred vertically, without
// moving the cursor or breaking the page.
func (p *page) draw(x, y, w, h float64, s, align string) {
	if s == "" {
		return
	}
	pdf := p.pdf
	total := p.measure(s)
	at := x
	switch align {
	case "R":
		at = x + w - total
	case "C":
		at = x + (w-total)/2
	}
	p.boxes = append(p.boxes, box{page: pdf.PageNo(), x: at, y: y, w: total, h: h, text: s, table: p.cell.table, row: p.cell.row, column: p.cell.column})
	pdf.SetTextColor(p.color.r, p.color.g, p.color.b)
	for _, r := range p.runs(s) {
		pdf.SetFont(p.face(r.font), "", p.size)
		rw := pdf.GetStringWidth(r.text)
		if p.fakeBold(r.font) {
			// The standard fake bold: fill the glyphs and stroke their outline in the same colour.
			pdf.SetDrawColor(p.color.r, p.color.g, p.color.b)
			pdf.SetLineWidth(p.size * 0.035 * ptMM)
			pdf.SetTextRenderingMode(2)
		}
		pdf.SetXY(at, y)
		pdf.CellFormat(rw, h, r.text, "", 0, "L", false, 0, "")
		if p.fakeBold(r.font) {
			pdf.SetTextRenderingMode(0)
		}
		at += rw
	}
	pdf.SetTextColor(0, 0, 0)
}

// text sets s in a cell w wide (0: to the right margin) and h high at the cursor, aligned "L", "R" or
// "C", then moves right of the cell (ln 0) or to the start of the next line (ln 1). A line that does not
// fit starts a new page.
func (p *page) text(w, h float64, s, align string, ln int) {
	pdf := p.pdf
	x, y := pdf.GetXY()
	if _, ph := pdf.GetPageSize(); y+h > ph-margin {
		pdf.AddPage()
		y = pdf.GetY()
	}
	if w == 0 {
		pw, _ := pdf.GetPageSize()
		w = pw - margin - x
	}
	p.draw(x, y, w, h, s, align)
	if ln == 1 {
		pdf.SetXY(margin, y+h)
	} else {
		pdf.SetXY(x+w, y)
	}
}

// wrap breaks s into lines no wider than w at its spaces (Chinese, which has none, between any two
// characters); a word wider than w gets a line of its own.
func (p *page) wrap(s string, w float64) []string {
	if p.measure(s) <= w {
		return []string{s}
	}
	var words []string
	if strings.Contains(s, " ") {
		words = strings.Fields(s)
	} else {
		for _, r := range s {
			words = append(words, string(r))
		}
	}
	sep := " "
	if !strings.Contains(s, " ") {
		sep = ""
	}
	var lines []string
	line := ""
	for _, word := range words {
		try := word
		if line != "" {
			try = line + sep + word
		}
		if line != "" && p.measure(try) > w {
			lines = append(lines, line)
			line = word
			continue
		}
		line = try
	}
	return append(lines, line)
}

// widestWord is the width of the widest word of s: the narrowest s wraps to.
func (p *page) widestWord(s string) float64 {
	if !strings.Contains(s, " ") {
		widest := 0.0
		for _, r := range s {
			widest = max(widest, p.measure(string(r)))
		}
		if len([]rune(s)) <= 4 {
			return p.measure(s) // a short Chinese label stays whole
		}
		return widest * 2
	}
	widest := 0.0
	for _, word := range strings.Fields(s) {
		widest = max(widest, p.measure(word))
	}
	return widest
}
