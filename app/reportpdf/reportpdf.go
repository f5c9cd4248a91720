// Package reportpdf writes the owner's report of a day or a range of days as a PDF: the headline figures
// (beside an earlier period's when given), tax, tenders, refunds, top-ups, sales by hour as a bar chart,
// categories and the top products. Text is set in the TrueType fonts the caller supplies (see LoadFonts),
// so Chinese labels and product names print.
package reportpdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-pdf/fpdf"

	"checkout/app"
	"checkout/app/money"
)

// Report is what Write prints.
type Report struct {
	Shop    string
	Summary app.DaySummary
	// Compare is the period the summary is set against (the same weekday last week); nil for none.
	Compare *app.DaySummary
	// Anomalies are the summary's (app.FindAnomalies); the section says "No anomalies" when empty.
	Anomalies []app.Anomaly
	// Z is the Z report that closed the summary's period, nil for any other report. Its number and the
	// journal's head at it are printed under the title: the paper anchors the journal.
	Z *app.ZReport
	// Language is the BCP 47 tag money is formatted for ("en", "zh-Hans").
	Language string
	// Translate turns an English label into the reader's language: Fyne's lang.L, which the caller
	// passes because app packages cannot import Fyne. Nil prints the English.
	Translate func(key string, data ...any) string
	// Font is a TrueType font (.ttf with TrueType outlines) with the Chinese glyphs; LatinFont one for the
	// characters Font lacks (Droid Sans Fallback has no digits or Latin letters), or nil when Font has
	// them all. See LoadFonts.
	Font, LatinFont []byte
}

// Page geometry in millimetres, A4 portrait.
const (
	margin    = 15.0
	lineH     = 6.0
	fontSize  = 10.0
	chartH    = 45.0
	cjkFont   = "cjk"
	latinFont = "latin"
)

// ErrNotTrueType is returned for a font fpdf cannot embed: a collection (.ttc), CFF outlines (.otf), or
// not a font at all.
var ErrNotTrueType = errors.New("the font is not a TrueType .ttf (collections .ttc and CFF .otf fonts cannot be embedded)")

// Write writes r as a PDF to w.
func Write(w io.Writer, r Report) error {
	if err := checkTrueType(r.Font); err != nil {
		return err
	}
	if r.LatinFont != nil {
		if err := checkTrueType(r.LatinFont); err != nil {
			return fmt.Errorf("the Latin font: %w", err)
		}
	}
	if err := app.CheckPeriod(r.Summary.From, r.Summary.To); err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	// text breaks pages itself, before a line rather than between the runs of one.
	pdf.SetAutoPageBreak(false, margin)
	// Text is placed run by run (see text), so cells get no padding of their own.
	pdf.SetCellMargin(0)
	p := &page{pdf: pdf, r: r, cjk: newGlyphs(r.Font)}
	pdf.AddUTF8FontFromBytes(cjkFont, "", r.Font)
	if r.LatinFont != nil {
		pdf.AddUTF8FontFromBytes(latinFont, "", r.LatinFont)
		p.latin, p.hasLatin = newGlyphs(r.LatinFont), true
	}
	if pdf.Err() {
		return fmt.Errorf("font: %w", pdf.Error())
	}
	title := p.tr("Sales report") + ": " + PeriodLabel(r.Summary.From, r.Summary.To)
	pdf.SetTitle(title, true)
	pdf.SetCreator("checkout", true)
	// A fixed creation date keeps the file the same for the same figures.
	pdf.SetCreationDate(r.Summary.To)
	pdf.SetModificationDate(r.Summary.To)
	pdf.AddPage()
	p.write()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("write the PDF: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// checkTrueType refuses what fpdf cannot embed, before fpdf meets it (it panics on some bad input).
func checkTrueType(font []byte) error {
	if len(font) < 12 {
		return ErrNotTrueType
	}
	switch string(font[:4]) {
	case "\x00\x01\x00\x00", "true":
		return nil
	}
	return ErrNotTrueType
}

// PeriodLabel names [from, to): "2026-11-24" for a day, "2026-11-01 – 2026-11-07" for whole days, else
// the times.
func PeriodLabel(from, to time.Time) string {
	if wholeDays(from, to) {
		last := to.AddDate(0, 0, -1)
		if last.Equal(from) {
			return from.Format(time.DateOnly)
		}
		return from.Format(time.DateOnly) + " – " + last.Format(time.DateOnly)
	}
	return from.Format("2006-01-02 15:04") + " – " + to.Format("2006-01-02 15:04")
}

// FileName is the file a report of [from, to) is saved as: checkout-2026-11-24.pdf for a day.
func FileName(from, to time.Time) string {
	if wholeDays(from, to) {
		last := to.AddDate(0, 0, -1)
		if last.Equal(from) {
			return "checkout-" + from.Format(time.DateOnly) + ".pdf"
		}
		return "checkout-" + from.Format(time.DateOnly) + "-to-" + last.Format(time.DateOnly) + ".pdf"
	}
	return "checkout-" + from.Format("2006-01-02-1504") + "-to-" + to.Format("2006-01-02-1504") + ".pdf"
}

// wholeDays reports whether [from, to) runs from a local midnight to a later one.
func wholeDays(from, to time.Time) bool {
	midnight := func(t time.Time) bool { d, _ := app.DayBounds(t); return d.Equal(t) }
	return midnight(from) && midnight(to) && from.Before(to)
}

// page lays the report out top to bottom.
type page struct {
	pdf        *fpdf.Fpdf
	r          Report
	cjk, latin glyphs
	hasLatin   bool
	size       float64 // the font size in points
}

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

// setSize sets the font size for the text that follows.
func (p *page) setSize(size float64) {
	p.size = size
	p.pdf.SetFont(cjkFont, "", size)
}

// text sets s in a cell w wide (0: to the right margin) and h high, aligned "L", "R" or "C", then moves
// right of the cell (ln 0) or to the start of the next line (ln 1).
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
	runs := p.runs(s)
	widths := make([]float64, len(runs))
	total := 0.0
	for i, r := range runs {
		pdf.SetFont(r.font, "", p.size)
		widths[i] = pdf.GetStringWidth(r.text)
		total += widths[i]
	}
	at := x
	switch align {
	case "R":
		at = x + w - total
	case "C":
		at = x + (w-total)/2
	}
	pdf.SetXY(at, y)
	for i, r := range runs {
		pdf.SetFont(r.font, "", p.size)
		pdf.CellFormat(widths[i], h, r.text, "", 0, "L", false, 0, "")
	}
	if ln == 1 {
		pdf.SetXY(margin, y+h)
	} else {
		pdf.SetXY(x+w, y)
	}
}

// tr translates a label. Its keys are in assets/translations, checked by the assets tests.
func (p *page) tr(key string) string {
	if p.r.Translate == nil {
		return key
	}
	return p.r.Translate(key)
}

// labels names tenders, anomalies and cashiers as the screens do, in the report's language.
func (p *page) labels() app.Labels { return app.Labels{Translate: p.r.Translate} }

func (p *page) money(a money.Amount) string { return money.Format(a, p.r.Language) }

// width is the printable width.
func (p *page) width() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - 2*margin
}

// room starts a new page unless h millimetres fit below the current line.
func (p *page) room(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-margin {
		p.pdf.AddPage()
	}
}

func (p *page) write() {
	s, pdf := p.r.Summary, p.pdf
	p.setSize(18)
	title := p.tr("Sales report")
	if p.r.Shop != "" {
		title = p.r.Shop + " · " + title
	}
	p.text(0, 10, title, "L", 1)
	p.setSize(12)
	sub := PeriodLabel(s.From, s.To)
	if p.r.Compare != nil {
		sub += "   (" + p.tr("compared with") + " " + PeriodLabel(p.r.Compare.From, p.r.Compare.To) + ")"
	}
	p.text(0, 8, sub, "L", 1)
	p.setSize(fontSize)
	if z := p.r.Z; z != nil {
		p.text(0, lineH, p.tr("Z report")+" "+z.No+"   "+p.tr("Journal head")+" "+z.Head.String(), "L", 1)
	}
	pdf.Ln(2)

	p.headline()
	p.section(p.tr("Tax"))
	for _, t := range s.TaxByRate {
		p.row(money.FormatFixed(t.RateBP, 2)+"%", p.money(t.Tax))
	}
	p.row(p.tr("Total"), p.money(s.Tax))

	p.section(p.tr("Tenders"))
	for _, t := range s.Tenders {
		p.row(fmt.Sprintf("%s × %d", p.labels().TenderKind(t.Kind), t.Count), p.money(t.Amount))
	}
	p.section(p.tr("Refunds by tender"))
	for _, t := range s.RefundsByKind {
		p.row(fmt.Sprintf("%s × %d", p.labels().TenderKind(t.Kind), t.Count), p.money(t.Amount))
	}
	p.row(p.tr("Total"), p.money(s.RefundTotal))
	p.section(p.tr("Top-ups"))
	for _, t := range s.TopUpsByKind {
		p.row(fmt.Sprintf("%s × %d", p.labels().TenderKind(t.Kind), t.Count), p.money(t.Amount))
	}
	p.row(p.tr("Total"), p.money(s.TopUpTotal))

	p.section(p.tr("Sales by hour"))
	p.hourChart()

	p.section(p.tr("By category"))
	for _, c := range s.ByCategory {
		name := c.Category
		if name == "" {
			name = "—"
		}
		p.row(name, p.money(c.Revenue))
	}
	p.section(p.tr("Top products"))
	p.topProducts()

	p.section(p.tr("By cashier"))
	p.byCashier()
	p.section(p.tr("Anomalies"))
	p.anomalies()

	p.section(p.tr("Cash expected"))
	p.row(p.tr("Cash expected"), p.money(s.CashExpected()))
}

// cells prints one line of a table: each text in its share of the width, the first aligned left and
// the rest right.
func (p *page) cells(shares []float64, texts ...string) {
	w := p.width()
	for i, t := range texts {
		align, ln := "R", 0
		if i == 0 {
			align = "L"
		}
		if i == len(texts)-1 {
			ln = 1
		}
		p.text(w*shares[i], lineH, t, align, ln)
	}
}

// byCashier lists each cashier's sales, revenue, refunds, voids (and those after payment), no-sales,
// discounted sales and approvals asked for.
func (p *page) byCashier() {
	rows := p.r.Summary.ByCashier
	if len(rows) == 0 {
		p.text(0, lineH, p.tr("No sales"), "L", 1)
		return
	}
	shares := []float64{0.18, 0.08, 0.14, 0.16, 0.07, 0.09, 0.08, 0.20}
	p.setSize(8)
	p.cells(shares, p.tr("Cashier"), p.tr("Sales"), p.tr("Revenue"), p.tr("Refunds"), p.tr("Voids"), p.tr("After payment"),
		p.tr("No-sales"), p.tr("Discounts"))
	p.setSize(fontSize)
	for _, r := range rows {
		p.cells(shares, p.labels().Cashier(r.Cashier), fmt.Sprint(r.Sales), p.money(r.Revenue),
			fmt.Sprintf("%d · %s", r.Refunds, p.money(r.RefundTotal)), fmt.Sprint(r.Voids), fmt.Sprint(r.VoidsPaid),
			fmt.Sprint(r.NoSales), fmt.Sprintf("%d · %s", r.Discounted, p.money(r.DiscountTotal)))
	}
}

// anomalies lists who did what much more often than usual: the count, the sales, the rate per 100
// sales and the usual rate (marked * when it is the shop's).
func (p *page) anomalies() {
	list := p.r.Anomalies
	if len(list) == 0 {
		p.text(0, lineH, p.tr("No anomalies"), "L", 1)
		return
	}
	shares := []float64{0.22, 0.18, 0.12, 0.12, 0.18, 0.18}
	p.setSize(8)
	p.cells(shares, p.tr("Cashier"), p.tr("What"), p.tr("Times"), p.tr("Sales"), p.tr("Per 100 sales"), p.tr("Usual"))
	p.setSize(fontSize)
	shop := false
	for _, a := range list {
		rate, usual := p.labels().AnomalyRates(a)
		shop = shop || a.Shop
		p.cells(shares, p.labels().Cashier(a.Cashier), p.labels().AnomalyKind(a.Kind), fmt.Sprint(a.Count), fmt.Sprint(a.Sales), rate, usual)
	}
	if shop {
		p.setSize(8)
		p.text(0, lineH, p.tr("* the shop's usual rate: too little history of their own"), "L", 1)
		p.setSize(fontSize)
	}
}

// section starts a titled block, on a new page when the title and a few lines would not fit.
func (p *page) section(title string) {
	p.room(4 * lineH)
	p.pdf.Ln(3)
	p.setSize(12)
	p.text(0, lineH+1, title, "L", 1)
	y := p.pdf.GetY()
	p.pdf.SetDrawColor(0, 0, 0)
	p.pdf.Line(margin, y, margin+p.width(), y)
	p.setSize(fontSize)
}

// row prints a label and a value aligned right.
func (p *page) row(label, value string) {
	w := p.width()
	p.text(w*0.6, lineH, label, "L", 0)
	p.text(w*0.4, lineH, value, "R", 1)
}

// headline prints the headline figures, with the comparison period's and the change when there is one.
func (p *page) headline() {
	s, c := p.r.Summary, p.r.Compare
	cols := []float64{0.34, 0.22, 0.22, 0.22}
	w := p.width()
	cell := func(i int, text, align string, ln int) {
		p.text(w*cols[i], lineH, text, align, ln)
	}
	if c != nil {
		cell(0, "", "L", 0)
		cell(1, PeriodLabel(s.From, s.To), "R", 0)
		cell(2, PeriodLabel(c.From, c.To), "R", 0)
		cell(3, p.tr("Change"), "R", 1)
	}
	var last app.DaySummary
	if c != nil {
		last = *c
	}
	lines := []struct {
		label     string
		show      func(app.DaySummary) string
		value     func(app.DaySummary) int64
		comparing bool
	}{
		{p.tr("Revenue"), func(d app.DaySummary) string { return p.money(d.Revenue) }, func(d app.DaySummary) int64 { return d.Revenue.Minor() }, true},
		{p.tr("Net revenue"), func(d app.DaySummary) string { return p.money(d.NetRevenue()) }, func(d app.DaySummary) int64 { return d.NetRevenue().Minor() }, true},
		{p.tr("Sales"), func(d app.DaySummary) string { return fmt.Sprint(d.Sales) }, func(d app.DaySummary) int64 { return d.Sales }, true},
		{p.tr("Average basket"), func(d app.DaySummary) string { return p.money(d.AverageBasket()) }, func(d app.DaySummary) int64 { return d.AverageBasket().Minor() }, true},
		{p.tr("Items per basket"), func(d app.DaySummary) string { return money.FormatFixed(d.ItemsPerBasket(), 2) }, func(d app.DaySummary) int64 { return d.ItemsPerBasket() }, true},
		{p.tr("Discounts"), func(d app.DaySummary) string { return p.money(d.Discounts) }, func(d app.DaySummary) int64 { return d.Discounts.Minor() }, true},
		{p.tr("Refunds"), func(d app.DaySummary) string { return fmt.Sprintf("%d · %s", d.Refunds, p.money(d.RefundTotal)) }, func(d app.DaySummary) int64 { return d.RefundTotal.Minor() }, true},
		{p.tr("Voids"), func(d app.DaySummary) string { return fmt.Sprint(d.Voids) }, func(d app.DaySummary) int64 { return d.Voids }, true},
		{p.tr("Member sales"), func(d app.DaySummary) string { return money.FormatFixed(d.MemberShareBP(), 2) + "%" }, func(d app.DaySummary) int64 { return d.MemberShareBP() }, false},
	}
	for _, l := range lines {
		cell(0, l.label, "L", 0)
		if c == nil {
			cell(1, l.show(s), "R", 1)
			continue
		}
		cell(1, l.show(s), "R", 0)
		cell(2, l.show(last), "R", 0)
		change := ""
		if l.comparing {
			change = percent(app.NewChange(l.value(s), l.value(last)))
		}
		cell(3, change, "R", 1)
	}
}

// percent shows a change as a signed percentage; "—" when there was nothing to compare with.
func percent(c app.Change) string {
	switch {
	case c.Delta == 0:
		return "±0"
	case c.HasPercent && c.PercentBP > 0:
		return "+" + money.FormatFixed(c.PercentBP, 2) + "%"
	case c.HasPercent:
		return money.FormatFixed(c.PercentBP, 2) + "%"
	}
	return "—"
}

// hourChart draws the revenue of each hour as a bar, the tallest filling the chart, hours beneath every
// third bar and the tallest bar's revenue above it.
func (p *page) hourChart() {
	s, pdf := p.r.Summary, p.pdf
	p.room(chartH + 2*lineH)
	var most money.Amount = money.Zero(s.Currency)
	for _, h := range s.ByHour {
		if h.Revenue.Cmp(most) > 0 {
			most = h.Revenue
		}
	}
	x0, top := pdf.GetX(), pdf.GetY()+lineH
	base := top + chartH
	slot := p.width() / 24
	p.setSize(8)
	if most.IsZero() {
		p.text(0, lineH, p.tr("No sales"), "L", 1)
	}
	pdf.SetDrawColor(160, 160, 160)
	pdf.Line(x0, base, x0+p.width(), base)
	pdf.SetFillColor(52, 101, 164)
	for h, t := range s.ByHour {
		x := x0 + float64(h)*slot
		if t.Revenue.Minor() > 0 && !most.IsZero() {
			// Drawing only: millimetres, not money.
			bh := chartH * float64(t.Revenue.Minor()) / float64(most.Minor())
			pdf.Rect(x+slot*0.15, base-bh, slot*0.7, bh, "F")
			if t.Revenue.Cmp(most) == 0 {
				pdf.SetXY(x-slot, base-bh-lineH)
				p.text(3*slot, lineH, p.money(t.Revenue), "C", 0)
			}
		}
		if h%3 == 0 {
			pdf.SetXY(x, base+1)
			p.text(slot, 4, fmt.Sprintf("%02d", h), "C", 0)
		}
	}
	pdf.SetXY(x0, base+6)
	p.setSize(fontSize)
}

// topProducts lists the top products: rank, name, quantity, revenue.
func (p *page) topProducts() {
	w := p.width()
	for i, t := range p.r.Summary.TopProducts {
		qty := t.Qty.Format(t.Unit)
		if t.Unit == app.UnitKg {
			qty += " kg"
		}
		p.text(w*0.06, lineH, fmt.Sprint(i+1), "R", 0)
		p.text(w*0.54, lineH, "  "+t.Name, "L", 0)
		p.text(w*0.15, lineH, qty, "R", 0)
		p.text(w*0.25, lineH, p.money(t.Revenue), "R", 1)
	}
}
