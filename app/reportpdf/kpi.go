package reportpdf

import (
	"fmt"

	"checkout/app"
	"checkout/app/money"
)

// kpi is one of the headline tiles: a figure read at a glance and its change against the compared
// period, ▲ or ▼, green when that is good for the shop and red when it is not.
type kpi struct {
	name, value string
	note        string      // under the change: the margin's rate, or why there is no figure
	change      *app.Change // nil: not compared
	upIsGood    bool
}

// Tile geometry, millimetres.
const (
	tileH   = 28.0
	tileGap = 3.0
)

// kpis prints the tiles: revenue, sales, average basket, refunds and the margin when costs are known.
func (p *page) kpis() {
	s, c := p.r.Summary, p.compared()
	var cmp app.Comparison
	if c != nil {
		cmp = s.Compare(*c)
	}
	changed := func(ch *app.Change) *app.Change {
		if c == nil {
			return nil
		}
		return ch
	}
	tiles := []kpi{
		{name: p.tr("Revenue"), value: p.money(s.Revenue), change: changed(&cmp.Revenue), upIsGood: true},
		{name: p.tr("Sales"), value: fmt.Sprint(s.Sales), change: changed(&cmp.Sales), upIsGood: true},
		{name: p.tr("Average basket"), value: p.money(s.AverageBasket()), change: changed(&cmp.AverageBasket), upIsGood: true},
		{name: p.tr("Refunds"), value: p.money(s.RefundTotal), change: changed(&cmp.Refunds)},
	}
	marginTile := kpi{name: p.tr("Margin"), value: "—", note: p.tr("No costs known"), upIsGood: true}
	if m, bp, known := s.Margin(); known {
		marginTile.value, marginTile.note = p.money(m), p.tr("Margin rate")+" "+money.FormatFixed(bp, 2)+"%"
		if c != nil {
			if _, _, before := c.Margin(); before {
				marginTile.change = &cmp.Margin
			}
		}
	}
	tiles = append(tiles, marginTile)

	pdf := p.pdf
	p.room(tileH + 2)
	y := pdf.GetY()
	w := (p.width() - tileGap*float64(len(tiles)-1)) / float64(len(tiles))
	for i, t := range tiles {
		x := margin + float64(i)*(w+tileGap)
		p.cell = cellRef{"kpi", 0, i}
		pdf.SetFillColor(244, 246, 249)
		pdf.RoundedRect(x, y, w, tileH, 1.5, "1234", "F")
		pad := 2.5
		inner := w - 2*pad
		p.setSize(8.5)
		p.setColor(gray)
		p.draw(x+pad, y+1.5, inner, 5, t.name, "L")
		// The value as large as fits the tile.
		p.setBold(true)
		size := 16.0
		for p.setSize(size); p.measure(t.value) > inner && size > 8; size -= 0.5 {
			p.setSize(size - 0.5)
		}
		p.setColor(black)
		p.draw(x+pad, y+6.5, inner, 8, t.value, "L")
		p.setBold(false)
		p.setSize(7.5)
		below := p.change(x+pad, y+15, inner, t)
		if t.note != "" {
			p.setColor(gray)
			p.draw(x+pad, below, inner, 4, t.note, "L")
		}
		p.setColor(black)
	}
	p.cell = cellRef{}
	p.setSize(fontSize)
	pdf.SetXY(margin, y+tileH+2)
}

// change prints a tile's change in the box x, y, w: "▲ +12.50% vs last week", "= no change",
// "none last week"; nothing when the tile is not compared. It returns where the line under it goes.
func (p *page) change(x, y, w float64, t kpi) (below float64) {
	c := t.change
	const h = 4.0
	if c == nil {
		return y
	}
	versus := p.labels().Versus(p.r.Summary.From, p.r.Summary.To, p.r.CompareSoFar != nil)
	switch {
	case !c.HasPercent:
		p.setColor(gray)
		p.draw(x, y, w, h, versus.None, "L")
		return y + h
	case c.Delta == 0:
		p.setColor(gray)
		p.draw(x, y, w, h, "= "+p.tr("no change"), "L")
		return y + h
	}
	color := red
	if c.Delta > 0 == t.upIsGood {
		color = green
	}
	up := c.Delta > 0
	pct := "+" + money.FormatFixed(c.PercentBP, 2) + "%"
	if !up {
		pct = "−" + money.FormatFixed(-c.PercentBP, 2) + "%"
	}
	// The arrow is drawn, not set: no font need have ▲ and ▼.
	side := 2.4
	p.triangle(x+side/2, y+h/2, side, up, color)
	p.setColor(color)
	p.setBold(true)
	p.draw(x+side+1.2, y, w, h, pct, "L")
	p.setBold(false)
	// "vs last week" beside the figure when it fits, else under it.
	p.setColor(gray)
	if at := x + side + 1.2 + p.measure(pct) + 1.2; at+p.measure(versus.Than) <= x+w {
		p.draw(at, y, x+w-at, h, versus.Than, "L")
		return y + h
	}
	p.draw(x, y+h, w, h, versus.Than, "L")
	return y + 2*h
}

// triangle draws ▲ (up) or ▼ centred on cx, cy, side wide.
func (p *page) triangle(cx, cy, side float64, up bool, c rgb) {
	hh := side * 0.866 / 2
	tip, base := cy-hh, cy+hh
	if !up {
		tip, base = base, tip
	}
	p.pdf.SetFillColor(c.r, c.g, c.b)
	p.pdf.MoveTo(cx, tip)
	p.pdf.LineTo(cx+side/2, base)
	p.pdf.LineTo(cx-side/2, base)
	p.pdf.ClosePath()
	p.pdf.DrawPath("F")
}
