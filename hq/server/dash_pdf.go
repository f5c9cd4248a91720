package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
	body, sp, ok := d.chainRequested(w, r, q)
	if !ok {
		return
	}
	p := &dashPage{Title: chainTitles[sp.Period], Span: sp, user: q.user, Lang: pickLang(w, r), url: r.URL}
	shops := reportpdf.Section{Title: p.T("Shops"), Empty: p.T("No shops to show."),
		Headers: []string{p.T("Shop"), p.T("Revenue"), p.T("Change"), p.T("Sales"), p.T("Change"), p.T("Average basket"), p.T("Refunds")},
		Right:   []bool{false, true, true, true, true, true, true}, Totals: len(body.Totals)}
	row := func(name string, s shopFigures) []string {
		return []string{name, p.Money(s.Now.Revenue), p.Change(s.Now.Revenue, s.Then.Revenue).Text, strconv.FormatInt(s.Now.Sales, 10),
			p.Change(s.Now.Sales, s.Then.Sales).Text, p.Money(s.Now.Basket()), refundsText(p, s.Now)}
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
	d.sendPDF(w, r, q, exportName(sp), reportpdf.Figures{Title: p.T(p.Title) + " · " + p.Shown(), Subtitle: p.CompareNote(),
		Sections: []reportpdf.Section{shops, products}})
}

// exportShopPDF sends a shop's period as its page shows it, as a PDF: its figures against the compared
// period, its sales by hour or by day beside the compared period's, its tenders and its top products.
func (d *dashboard) exportShopPDF(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	page, sp, ok := d.shopRequested(w, r, q)
	if !ok {
		return
	}
	p := &dashPage{Title: shopTitles[sp.Period], Span: sp, user: q.user, Lang: pickLang(w, r), url: r.URL}
	var sections []reportpdf.Section
	for _, f := range page.Figures {
		s := reportpdf.Section{Title: p.T("Shop") + " " + page.Shop, Headers: []string{"", p.Shown(), p.Compared(), p.T("Change")},
			Right: []bool{false, true, true, true}}
		s.Rows = [][]string{
			{p.T("Revenue"), p.Money(f.Now.Revenue), p.Money(f.Then.Revenue), p.Change(f.Now.Revenue, f.Then.Revenue).Text},
			{p.T("Sales"), strconv.FormatInt(f.Now.Sales, 10), strconv.FormatInt(f.Then.Sales, 10), p.Change(f.Now.Sales, f.Then.Sales).Text},
			{p.T("Average basket"), p.Money(f.Now.Basket()), p.Money(f.Then.Basket()), p.Change(f.Now.Basket(), f.Then.Basket()).Text},
			{p.T("Refunds"), refundsText(p, f.Now), refundsText(p, f.Then), p.Change(f.Now.Refund, f.Then.Refund).Text},
		}
		sections = append(sections, s)
	}
	for _, c := range page.Chart {
		title, first := p.T("Sales by hour"), p.T("Hour")
		if c.ByDay {
			title, first = p.T("Sales by day"), p.T("Day")
		}
		s := reportpdf.Section{Title: title, Headers: []string{first, p.T("Revenue"), p.T("Sales"), p.ThenName(), p.T("Sales")},
			Right: []bool{false, true, true, true, true}}
		for _, b := range c.Bars {
			s.Rows = append(s.Rows, []string{p.Bar(b.At), p.Money(b.Revenue), strconv.FormatInt(b.Sales, 10), p.Money(b.Then), strconv.FormatInt(b.ThenSales, 10)})
		}
		sections = append(sections, s)
	}
	tenders := reportpdf.Section{Title: p.T("Tenders"), Empty: p.NoSales(), Headers: []string{p.T("Tender"), p.T("Payments"), p.T("Amount")},
		Right: []bool{false, true, true}}
	for _, t := range page.Tenders {
		tenders.Rows = append(tenders.Rows, []string{p.Tender(t.Kind), strconv.FormatInt(t.Count, 10), p.Money(t.Amount)})
	}
	products := reportpdf.Section{Title: p.T("Top products"), Empty: p.NoSales(),
		Headers: []string{p.T("Product"), p.T("Quantity"), p.T("Revenue")}, Right: []bool{false, true, true}}
	for _, x := range page.Products {
		products.Rows = append(products.Rows, []string{p.ProductName(x) + " " + x.SKU, x.Qty, p.Money(x.Revenue)})
	}
	name := strings.Replace(exportName(sp), "chain-", "shop-"+page.Shop+"-", 1)
	d.sendPDF(w, r, q, name, reportpdf.Figures{Title: p.T("Shop") + " " + page.Shop + " · " + p.Shown(), Subtitle: p.CompareNote(),
		Sections: append(sections, tenders, products)})
}

// refundsText is what refunds were worth, with how many when there were any: "¥7.00 (1)".
func refundsText(p *dashPage, f figures) string {
	if f.Refunds == 0 {
		return p.Money(f.Refund)
	}
	return p.Money(f.Refund) + " (" + strconv.FormatInt(f.Refunds, 10) + ")"
}

// sendPDF writes f, with the server's fonts, as the PDF file name.pdf, or says why it cannot.
func (d *dashboard) sendPDF(w http.ResponseWriter, r *http.Request, q *dashRequest, name string, f reportpdf.Figures) {
	fonts, err := pdfFonts()
	if err != nil {
		d.s.log.Error("dashboard pdf", "err", err)
		d.render(w, r, http.StatusServiceUnavailable, "error", &dashPage{Title: "Unavailable", user: q.user,
			Message: "PDF exports need fonts this server lacks: apt install fonts-droid-fallback fonts-dejavu-core."})
		return
	}
	f.Font, f.LatinFont, f.BoldFont, f.Made = fonts.Font, fonts.LatinFont, fonts.BoldFont, time.Now()
	var b bytes.Buffer
	if err := reportpdf.WriteFigures(&b, f); err != nil {
		d.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.pdf"`, name))
	w.Write(b.Bytes())
}
