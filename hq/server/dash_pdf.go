package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"checkout/app/reportpdf"
)

// pdfFonts are the fonts the PDF exports print with, found once: a CJK TrueType font and a Latin one
// (Debian's fonts-droid-fallback and fonts-dejavu-core), as the till's reports use.
var pdfFonts = sync.OnceValues(func() (f reportpdf.Figures, err error) {
	if f.Font, f.LatinFont, err = reportpdf.LoadFonts(); err != nil {
		return f, err
	}
	f.BoldFont, _ = reportpdf.LoadBoldFont() // none: bold is stroked
	return f, nil
})

// exportPDF sends the chain's period as the page shows it, as a PDF: the shops' figures against the
// compared period, their totals, and the products sold most, in the page's language.
func (d *dashboard) exportPDF(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	sp, ok := d.span(r)
	if !ok {
		d.notFound(w, r, q)
		return
	}
	fonts, err := pdfFonts()
	if err != nil {
		d.s.log.Error("dashboard pdf", "err", err)
		d.render(w, r, http.StatusServiceUnavailable, "error", &dashPage{Title: "Unavailable", user: q.user,
			Message: "PDF exports need fonts this server lacks: apt install fonts-droid-fallback fonts-dejavu-core."})
		return
	}
	body, err := d.chainPeriod(r.Context(), q, sp)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	p := &dashPage{Title: chainTitles[sp.Period], Span: sp, user: q.user, Lang: pickLang(w, r), url: r.URL}
	f := fonts
	f.Title, f.Subtitle, f.Made = p.T(p.Title)+" · "+p.Shown(), p.CompareNote(), time.Now()
	shops := reportpdf.Section{Title: p.T("Shops"), Empty: p.T("No shops to show."),
		Headers: []string{p.T("Shop"), p.T("Revenue"), p.T("Change"), p.T("Sales"), p.T("Change"), p.T("Average basket"), p.T("Refunds")},
		Right:   []bool{false, true, true, true, true, true, true}, Totals: len(body.Totals)}
	row := func(name string, s shopFigures) []string {
		refunds := p.Money(s.Now.Refund)
		if s.Now.Refunds > 0 {
			refunds += " (" + strconv.FormatInt(s.Now.Refunds, 10) + ")"
		}
		return []string{name, p.Money(s.Now.Revenue), p.Change(s.Now.Revenue, s.Then.Revenue).Text, strconv.FormatInt(s.Now.Sales, 10),
			p.Change(s.Now.Sales, s.Then.Sales).Text, p.Money(s.Now.Basket()), refunds}
	}
	for _, s := range body.Shops {
		shops.Rows = append(shops.Rows, row(s.Shop, s))
	}
	for _, s := range body.Totals {
		shops.Rows = append(shops.Rows, row(p.T("Total"), s))
	}
	if len(body.Shops) == 0 {
		shops.Rows, shops.Totals = nil, 0
	}
	products := reportpdf.Section{Title: p.T("Top products across shops"), Empty: p.NoSales(),
		Headers: []string{p.T("Product"), p.T("Quantity"), p.T("Revenue"), p.T("Shops")}, Right: []bool{false, true, true, true}}
	for _, x := range body.Products {
		products.Rows = append(products.Rows, []string{p.ProductName(x) + " " + x.SKU, x.Qty, p.Money(x.Revenue), strconv.FormatInt(x.Shops, 10)})
	}
	f.Sections = []reportpdf.Section{shops, products}
	var b bytes.Buffer
	if err := reportpdf.WriteFigures(&b, f); err != nil {
		d.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, exportName(sp)))
	w.Write(b.Bytes())
}
