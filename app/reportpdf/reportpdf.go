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
	// CompareSoFar, when not nil, is Compare up to the same point of a period under way: the tiles are
	// set against it (app.DayPage.ComparedSoFar).
	CompareSoFar *app.DaySummary
	// Anomalies are the summary's (app.FindAnomalies); the section says "No anomalies" when empty.
	Anomalies []app.Anomaly
	// Alarms are what the guard stopped in the period, with who approved each; the section is left out
	// when there are none.
	Alarms []app.Alarm
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
	// BoldFont is LatinFont's bold face (LoadBoldFont), nil for none: bold text without a bold face, and
	// Chinese always (Chinese fonts come without one), is drawn by stroking the glyphs' outlines.
	BoldFont []byte
}

// Page geometry in millimetres, A4 portrait.
const (
	margin        = 15.0
	lineH         = 6.0
	fontSize      = 10.0
	chartH        = 45.0
	cjkFont       = "cjk"
	latinFont     = "latin"
	latinBoldFont = "latinb"
	// ptMM is a point in millimetres.
	ptMM = 25.4 / 72
)

// ErrNotTrueType is returned for a font fpdf cannot embed: a collection (.ttc), CFF outlines (.otf), or
// not a font at all.
var ErrNotTrueType = errors.New("the font is not a TrueType .ttf (collections .ttc and CFF .otf fonts cannot be embedded)")

// Write writes r as a PDF to w.
func Write(w io.Writer, r Report) error {
	var buf bytes.Buffer
	if _, err := render(&buf, r); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// render lays r out, writes it to buf and returns the page, whose boxes tell where each text went.
func render(buf *bytes.Buffer, r Report) (*page, error) {
	if err := app.CheckPeriod(r.Summary.From, r.Summary.To); err != nil {
		return nil, err
	}
	p, err := newPage(r.Font, r.LatinFont, r.BoldFont)
	if err != nil {
		return nil, err
	}
	p.r = r
	pdf := p.pdf
	title := p.tr("Sales report") + ": " + PeriodLabel(r.Summary.From, r.Summary.To)
	pdf.SetTitle(title, true)
	pdf.SetCreator("checkout", true)
	// A fixed creation date keeps the file the same for the same figures.
	pdf.SetCreationDate(r.Summary.To)
	pdf.SetModificationDate(r.Summary.To)
	pdf.AddPage()
	p.write()
	if err := pdf.Output(buf); err != nil {
		return nil, fmt.Errorf("write the PDF: %w", err)
	}
	return p, nil
}

// newPage starts an A4 document with the fonts (Report's Font, LatinFont and BoldFont), checked first:
// fpdf panics on some bad fonts.
func newPage(font, latin, bold []byte) (*page, error) {
	if err := checkTrueType(font); err != nil {
		return nil, err
	}
	if latin != nil {
		if err := checkTrueType(latin); err != nil {
			return nil, fmt.Errorf("the Latin font: %w", err)
		}
	}
	if bold != nil {
		if err := checkTrueType(bold); err != nil {
			return nil, fmt.Errorf("the bold font: %w", err)
		}
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	// text breaks pages itself, before a line rather than between the runs of one.
	pdf.SetAutoPageBreak(false, margin)
	// Text is placed run by run (see text), so cells get no padding of their own.
	pdf.SetCellMargin(0)
	p := &page{pdf: pdf, cjk: newGlyphs(font)}
	pdf.AddUTF8FontFromBytes(cjkFont, "", font)
	if latin != nil {
		pdf.AddUTF8FontFromBytes(latinFont, "", latin)
		p.latin, p.hasLatin = newGlyphs(latin), true
		if bold != nil {
			pdf.AddUTF8FontFromBytes(latinBoldFont, "", bold)
			p.hasLatinBold = true
		}
	}
	if pdf.Err() {
		return nil, fmt.Errorf("font: %w", pdf.Error())
	}
	return p, nil
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
	pdf          *fpdf.Fpdf
	r            Report
	cjk, latin   glyphs
	hasLatin     bool
	hasLatinBold bool
	size         float64 // the font size in points
	bold         bool
	color        rgb
	cell         cellRef // the table cell being set, for boxes
	boxes        []box   // where each piece of text went
}

// rgb is a colour.
type rgb struct{ r, g, b int }

// The report's colours: text, secondary text, the period's series, the compared one's, good and bad news.
var (
	black   = rgb{0, 0, 0}
	gray    = rgb{96, 102, 110}
	blue    = rgb{52, 101, 164}
	paleRGB = rgb{180, 196, 218}
	green   = rgb{30, 130, 60}
	red     = rgb{190, 40, 40}
)

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
	s := p.r.Summary
	p.heading()
	p.kpis()
	if p.byDay() {
		p.section(p.tr("Sales by day"))
	} else {
		p.section(p.tr("Sales by hour"))
	}
	p.salesChart()
	p.section(p.tr("Figures"))
	p.headline()

	p.section(p.tr("Tenders"))
	tenders := make([]bar, 0, len(s.Tenders))
	for _, k := range s.Tenders {
		tenders = append(tenders, bar{fmt.Sprintf("%s × %d", p.labels().TenderKind(k.Kind), k.Count), k.Amount})
	}
	p.bars("tenders", tenders)
	p.subsection(p.tr("Refunds by tender"))
	p.table(p.tenderTable("refunds", s.RefundsByKind, &s.RefundTotal))
	p.subsection(p.tr("Top-ups"))
	p.table(p.tenderTable("topups", s.TopUpsByKind, &s.TopUpTotal))

	p.section(p.tr("By category"))
	p.categories()
	p.section(p.tr("Top products"))
	p.topProducts()

	p.section(p.tr("Tax"))
	tax := table{name: "tax", headers: []string{"", ""}, right: []bool{false, true}, total: 1}
	for _, t := range s.TaxByRate {
		tax.rows = append(tax.rows, []string{money.FormatFixed(t.RateBP, 2) + "%", p.money(t.Tax)})
	}
	tax.rows = append(tax.rows, []string{p.tr("Total"), p.money(s.Tax)})
	p.table(tax)

	p.section(p.tr("By cashier"))
	p.byCashier()
	p.section(p.tr("Anomalies"))
	p.anomalies()
	if len(p.r.Alarms) > 0 {
		p.section(p.tr("Stopped by the guard"))
		p.alarms()
	}

	p.section(p.tr("Cash expected"))
	p.table(table{name: "cash", headers: []string{"", ""}, right: []bool{false, true}, total: 1,
		rows: [][]string{{p.tr("Cash expected"), p.money(s.CashExpected())}}})
}

// heading prints the title, the period (and the one it is compared with) and a Z report's number.
func (p *page) heading() {
	s, pdf := p.r.Summary, p.pdf
	p.setSize(18)
	p.setBold(true)
	title := p.tr("Sales report")
	if p.r.Shop != "" {
		title = p.r.Shop + " · " + title
	}
	p.text(0, 10, title, "L", 1)
	p.setBold(false)
	p.setSize(11)
	p.setColor(gray)
	sub := p.period(s.From, s.To)
	if p.r.Compare != nil {
		sub += "   (" + p.tr("compared with") + " " + p.period(p.r.Compare.From, p.r.Compare.To) + ")"
	}
	p.text(0, 7, sub, "L", 1)
	p.setSize(fontSize)
	if z := p.r.Z; z != nil {
		p.text(0, lineH, p.tr("Z report")+" "+z.No+"   "+p.tr("Journal head")+" "+z.Head.String(), "L", 1)
	}
	p.setColor(black)
	pdf.Ln(3)
}

// period is PeriodLabel with a day's weekday in the report's language: "2026-11-24 Tue".
func (p *page) period(from, to time.Time) string {
	label := PeriodLabel(from, to)
	if wholeDays(from, to) && to.AddDate(0, 0, -1).Equal(from) {
		label += " " + p.labels().Weekday(from.Weekday())
	}
	return label
}

// tenderTable lists tenders of each kind, "Cash × 3" and the amount, and total when not nil.
func (p *page) tenderTable(name string, ts []app.TenderTotal, total *money.Amount) table {
	t := table{name: name, headers: []string{"", ""}, right: []bool{false, true}}
	for _, k := range ts {
		t.rows = append(t.rows, []string{fmt.Sprintf("%s × %d", p.labels().TenderKind(k.Kind), k.Count), p.money(k.Amount)})
	}
	if total != nil {
		t.rows, t.total = append(t.rows, []string{p.tr("Total"), p.money(*total)}), 1
	}
	return t
}

// byCashier lists each cashier's sales, revenue, refunds, voids (and those after payment), no-sales and
// discounted sales.
func (p *page) byCashier() {
	rows := p.r.Summary.ByCashier
	if len(rows) == 0 {
		p.text(0, lineH, p.tr("No sales"), "L", 1)
		return
	}
	t := table{name: "cashiers", headers: []string{p.tr("Cashier"), p.tr("Sales"), p.tr("Revenue"), p.tr("Refunds"), p.tr("Voids"),
		p.tr("After payment"), p.tr("No-sales"), p.tr("Discounts")}, right: []bool{false, true, true, true, true, true, true, true}}
	for _, r := range rows {
		t.rows = append(t.rows, []string{p.labels().Cashier(r.Cashier), fmt.Sprint(r.Sales), p.money(r.Revenue),
			fmt.Sprintf("%d · %s", r.Refunds, p.money(r.RefundTotal)), fmt.Sprint(r.Voids), fmt.Sprint(r.VoidsPaid),
			fmt.Sprint(r.NoSales), fmt.Sprintf("%d · %s", r.Discounted, p.money(r.DiscountTotal))})
	}
	p.table(t)
}

// alarms lists the actions the guard stopped: when, who, the rule and why, and who approved them.
func (p *page) alarms() {
	t := table{name: "alarms", headers: []string{p.tr("Time"), p.tr("Cashier"), p.tr("What"), p.tr("Why"), p.tr("Approved by")},
		right: []bool{false, false, false, false, false}}
	for _, a := range p.r.Alarms {
		t.rows = append(t.rows, []string{a.At.In(p.r.Summary.From.Location()).Format("01-02 15:04"), p.labels().Cashier(a.Cashier),
			p.labels().AlarmKind(a.Kind), p.labels().Alarm(a), p.labels().ApprovedBy(a)})
	}
	p.table(t)
}

// anomalies lists who did what much more often than usual: the count, the sales, the rate per 100
// sales and the usual rate (marked * when it is the shop's).
func (p *page) anomalies() {
	list := p.r.Anomalies
	if len(list) == 0 {
		p.text(0, lineH, p.tr("No anomalies"), "L", 1)
		return
	}
	t := table{name: "anomalies", headers: []string{p.tr("Cashier"), p.tr("What"), p.tr("Times"), p.tr("Sales"), p.tr("Per 100 sales"),
		p.tr("Usual")}, right: []bool{false, false, true, true, true, true}}
	shop := false
	for _, a := range list {
		rate, usual := p.labels().AnomalyRates(a)
		shop = shop || a.Shop
		t.rows = append(t.rows, []string{p.labels().Cashier(a.Cashier), p.labels().AnomalyKind(a.Kind), fmt.Sprint(a.Count),
			fmt.Sprint(a.Sales), rate, usual})
	}
	p.table(t)
	if shop {
		p.setSize(8)
		p.setColor(gray)
		p.text(0, lineH, p.tr("* the shop's usual rate: too little history of their own"), "L", 1)
		p.setColor(black)
		p.setSize(fontSize)
	}
}

// section starts a titled block, on a new page when the title and a few lines would not fit.
func (p *page) section(title string) {
	p.room(5*lineH + 4)
	p.pdf.Ln(4)
	p.setSize(12)
	p.setBold(true)
	p.text(0, lineH+1, title, "L", 1)
	p.setBold(false)
	y := p.pdf.GetY() + 0.5
	p.pdf.SetDrawColor(blue.r, blue.g, blue.b)
	p.pdf.SetLineWidth(0.5)
	p.pdf.Line(margin, y, margin+p.width(), y)
	p.pdf.SetXY(margin, y+1.5)
	p.setSize(fontSize)
}

// subsection titles a block inside a section.
func (p *page) subsection(title string) {
	p.room(4 * lineH)
	p.pdf.Ln(2)
	p.setSize(9.5)
	p.setBold(true)
	p.setColor(gray)
	p.text(0, lineH, title, "L", 1)
	p.setColor(black)
	p.setBold(false)
	p.setSize(fontSize)
}

// compared is the period the figures are set against: the compared period so far while the period
// is under way, else the whole of it; nil for none.
func (p *page) compared() *app.DaySummary {
	if p.r.CompareSoFar != nil {
		return p.r.CompareSoFar
	}
	return p.r.Compare
}

// headline prints the figures beside the tiles', with the comparison period's and the change when there is
// one.
func (p *page) headline() {
	s, c := p.r.Summary, p.compared()
	var last app.DaySummary
	headers := []string{"", p.period(s.From, s.To)}
	if c != nil {
		last = *c
		headers = append(headers, p.period(c.From, c.To), p.tr("Change"))
	}
	lines := []struct {
		label     string
		show      func(app.DaySummary) string
		value     func(app.DaySummary) int64
		comparing bool
	}{
		{p.tr("Net revenue"), func(d app.DaySummary) string { return p.money(d.NetRevenue()) }, func(d app.DaySummary) int64 { return d.NetRevenue().Minor() }, true},
		{p.tr("Items per basket"), func(d app.DaySummary) string { return money.FormatFixed(d.ItemsPerBasket(), 2) }, func(d app.DaySummary) int64 { return d.ItemsPerBasket() }, true},
		{p.tr("Discounts"), func(d app.DaySummary) string { return p.money(d.Discounts) }, func(d app.DaySummary) int64 { return d.Discounts.Minor() }, true},
		{p.tr("Refunds"), func(d app.DaySummary) string { return fmt.Sprintf("%d · %s", d.Refunds, p.money(d.RefundTotal)) }, func(d app.DaySummary) int64 { return d.RefundTotal.Minor() }, true},
		{p.tr("Voids"), func(d app.DaySummary) string { return fmt.Sprint(d.Voids) }, func(d app.DaySummary) int64 { return d.Voids }, true},
		{p.tr("Member sales"), func(d app.DaySummary) string { return money.FormatFixed(d.MemberShareBP(), 2) + "%" }, func(d app.DaySummary) int64 { return d.MemberShareBP() }, false},
	}
	t := table{name: "headline", headers: headers, right: []bool{false, true, true, true}}
	for _, l := range lines {
		row := []string{l.label, l.show(s)}
		if c != nil {
			change := ""
			if l.comparing {
				change = percent(app.NewChange(l.value(s), l.value(last)))
			}
			row = append(row, l.show(last), change)
		}
		t.rows = append(t.rows, row)
	}
	p.table(t)
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

// categories charts the categories' revenue, by their Chinese names under zh-Hans.
func (p *page) categories() {
	var rows []bar
	for _, c := range p.r.Summary.ByCategory {
		name := app.InLanguage(p.r.Language, c.Category, c.CategoryZH)
		if name == "" {
			name = "—"
		}
		rows = append(rows, bar{name, c.Revenue})
	}
	p.bars("categories", rows)
}

// topProducts lists the top products: rank, name (the Chinese one under zh-Hans), quantity with its unit,
// revenue.
func (p *page) topProducts() {
	t := table{name: "products", headers: []string{"#", p.tr("Product"), p.tr("Qty"), p.tr("Revenue")}, right: []bool{true, false, true, true}, grow: 1}
	for i, pr := range p.r.Summary.TopProducts {
		t.rows = append(t.rows, []string{fmt.Sprint(i + 1), app.InLanguage(p.r.Language, pr.Name, pr.NameZH), p.quantity(pr.Qty, app.Product{Unit: pr.Unit, PriceUnit: pr.PriceUnit}),
			p.money(pr.Revenue)})
	}
	p.table(t)
}

// quantity is a quantity of pr with its unit, "4 pcs", "1.250 kg", "1.5 斤" (a product priced per 斤), in
// the report's language.
func (p *page) quantity(q app.Quantity, pr app.Product) string {
	switch pr.SoldIn() {
	case "kg":
		return q.FormatSold(pr) + " " + p.tr("kg")
	case "jin":
		return q.FormatSold(pr) + " " + p.tr("jin")
	case "g":
		return q.FormatSold(pr) + " " + p.tr("g")
	case "100g":
		return q.FormatSold(pr) + " " + p.tr("100g")
	}
	return q.FormatSold(pr) + " " + p.tr("pcs")
}
