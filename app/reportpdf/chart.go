package reportpdf

import (
	"fmt"
	"strings"
	"time"

	"checkout/app/money"
)

// Chart geometry, millimetres.
const (
	plotH   = 42.0 // the bars' area
	barRowH = 5.6  // one horizontal bar's row
)

// series is one period's revenue per slot (an hour or a day), in minor units.
type series []int64

// salesChart draws the period's sales beside the compared period's: by hour for a day, by day for longer.
func (p *page) salesChart() {
	s, c := p.r.Summary, p.r.Compare
	if p.byDay() {
		now := make(series, len(s.ByDay))
		labels := make([]string, len(s.ByDay))
		for i, d := range s.ByDay {
			now[i] = d.Revenue.Minor()
			labels[i] = fmt.Sprint(d.Day.Day())
		}
		var then series
		if c != nil && len(c.ByDay) == len(s.ByDay) {
			then = make(series, len(c.ByDay))
			for i, d := range c.ByDay {
				then[i] = d.Revenue.Minor()
			}
		}
		p.columns(now, then, labels, func(i int) string {
			// Under each Monday, and under every day of a week, its weekday.
			if d := s.ByDay[i].Day; len(s.ByDay) <= 14 || d.Weekday() == time.Monday {
				return p.labels().Weekday(d.Weekday())
			}
			return ""
		})
		return
	}
	var now, then series = make(series, 24), nil
	if c != nil {
		then = make(series, 24)
	}
	first, last := 23, 0
	for h := range 24 {
		now[h] = s.ByHour[h].Revenue.Minor()
		if c != nil {
			then[h] = c.ByHour[h].Revenue.Minor()
		}
		if now[h] != 0 || then != nil && then[h] != 0 {
			first, last = min(first, h), max(last, h)
		}
	}
	// The hours the shop sold in, at least eight of them, rather than a night of empty slots.
	if first > last {
		first, last = 8, 20
	}
	for last-first < 8 {
		first, last = max(0, first-1), min(23, last+1)
	}
	labels := make([]string, 0, last-first+1)
	for h := first; h <= last; h++ {
		labels = append(labels, fmt.Sprintf("%02d", h))
	}
	if then != nil {
		then = then[first : last+1]
	}
	p.columns(now[first:last+1], then, labels, nil)
}

// byDay tells whether the report spans more than a day, and so is charted by day.
func (p *page) byDay() bool {
	s := p.r.Summary
	return len(s.ByDay) > 1 && s.To.Sub(s.From) > 25*time.Hour
}

// columns draws now (and then beside it, paler, when not nil) as columns over a value axis of round
// amounts, each labelled beneath with labels[i] and, when sub is not nil, sub(i) under that.
func (p *page) columns(now, then series, labels []string, sub func(int) string) {
	pdf, cur := p.pdf, p.r.Summary.Currency
	most := int64(0)
	for i := range now {
		most = max(most, now[i])
		if then != nil {
			most = max(most, then[i])
		}
	}
	step, lines := axis(most)
	top := step * int64(lines)
	p.setSize(7)
	axisLabel := func(v int64) string { return p.roundMoney(money.New(v, cur)) }
	labelW := p.measure(axisLabel(top))
	legendH := 0.0
	if then != nil {
		legendH = 5
	}
	subH := 0.0
	if sub != nil {
		subH = 3.5
	}
	p.room(legendH + 3 + plotH + 5 + subH)
	y0 := pdf.GetY() + legendH + 3
	base := y0 + plotH
	x0 := margin + labelW + 2
	w := margin + p.width() - x0
	if then != nil {
		p.legend(y0 - legendH - 1)
	}
	// Gridlines and their values.
	pdf.SetLineWidth(0.2)
	for i := 0; i <= lines; i++ {
		v := step * int64(i)
		y := base - plotH*float64(v)/float64(top) // drawing only: millimetres, not money
		pdf.SetDrawColor(220, 223, 228)
		if i == 0 {
			pdf.SetDrawColor(120, 120, 120)
		}
		pdf.Line(x0, y, x0+w, y)
		p.setColor(gray)
		p.draw(margin, y-2, labelW, 4, axisLabel(v), "R")
	}
	slot := w / float64(len(now))
	height := func(v int64) float64 { return plotH * float64(v) / float64(top) }
	barW := slot * 0.7
	if then != nil {
		barW = slot * 0.38
	}
	peak := 0
	for i := range now {
		x := x0 + float64(i)*slot + (slot-barW)/2
		if then != nil {
			x = x0 + float64(i)*slot + slot/2 - barW
			if then[i] > 0 {
				pdf.SetFillColor(paleRGB.r, paleRGB.g, paleRGB.b)
				pdf.Rect(x, base-height(then[i]), barW, height(then[i]), "F")
			}
			x += barW
		}
		if now[i] > 0 {
			pdf.SetFillColor(blue.r, blue.g, blue.b)
			pdf.Rect(x, base-height(now[i]), barW, height(now[i]), "F")
		}
		if now[i] > now[peak] {
			peak = i
		}
	}
	// The best slot's takings above its bar.
	if now[peak] > 0 {
		p.setColor(black)
		p.setBold(true)
		v := p.money(money.New(now[peak], cur))
		vw := p.measure(v)
		cx := x0 + (float64(peak)+0.5)*slot
		if then != nil {
			cx += barW / 2
		}
		cx = min(max(cx, x0+vw/2), x0+w-vw/2)
		p.draw(cx-vw/2, base-height(now[peak])-4.5, vw, 4, v, "C")
		p.setBold(false)
	}
	// Slot labels: every one when they fit, else every second.
	widest := 0.0
	for _, l := range labels {
		widest = max(widest, p.measure(l))
	}
	every := 1
	for widest+1 > slot*float64(every) {
		every++
	}
	p.setColor(gray)
	for i, l := range labels {
		x := x0 + float64(i)*slot
		if i%every == 0 {
			p.draw(x, base+0.8, slot, 3.5, l, "C")
		}
		if sub != nil {
			if s := sub(i); s != "" {
				p.draw(x-slot, base+4.3, 3*slot, 3.5, s, "C")
			}
		}
	}
	p.setColor(black)
	p.setSize(fontSize)
	pdf.SetXY(margin, base+5+subH)
}

// legend names the two series at y: the period's and the compared one's.
func (p *page) legend(y float64) {
	s, c := p.r.Summary, p.r.Compare
	x := margin
	for _, item := range []struct {
		color rgb
		label string
	}{{blue, p.period(s.From, s.To)}, {paleRGB, p.period(c.From, c.To)}} {
		p.pdf.SetFillColor(item.color.r, item.color.g, item.color.b)
		p.pdf.Rect(x, y+1, 3, 3, "F")
		x += 4.5
		p.setSize(7.5)
		p.setColor(gray)
		w := p.measure(item.label)
		p.draw(x, y, w, 5, item.label, "L")
		x += w + 6
	}
	p.setColor(black)
}

// axis picks a round step for a value axis up to most: 1, 2, 2.5 or 5 times a power of ten (in minor
// units), so that 3 to 5 steps cover it.
func axis(most int64) (step int64, lines int) {
	if most <= 0 {
		return 100, 4
	}
	for pow := int64(1); ; pow *= 10 {
		for _, m := range []int64{10, 20, 25, 50} {
			step = m * pow / 10
			if step == 0 {
				continue
			}
			n := (most + step - 1) / step
			if n <= 5 {
				return step, int(max(n, 3))
			}
		}
	}
}

// roundMoney formats an axis value without the minor units when they are zero: "¥2,000".
func (p *page) roundMoney(a money.Amount) string {
	s := p.money(a)
	if digits := a.Currency().MinorPerMajor(); digits > 1 && a.Minor()%digits == 0 {
		if i := strings.LastIndex(s, "."); i > 0 && strings.Trim(s[i+1:], "0") == "" {
			return s[:i]
		}
	}
	return s
}

// bar is one row of a horizontal bar chart.
type bar struct {
	label string
	value money.Amount
}

// bars draws each row as a bar as long as its share of the largest, its amount and its share of the
// total at the right; named name for tests.
func (p *page) bars(name string, rows []bar) {
	if len(rows) == 0 {
		p.setColor(gray)
		p.text(0, lineH, p.tr("No sales"), "L", 1)
		p.setColor(black)
		return
	}
	pdf := p.pdf
	var total, most int64
	for _, r := range rows {
		total += r.value.Minor()
		most = max(most, r.value.Minor())
	}
	p.setSize(bodySize)
	share := func(r bar) string {
		tenths, _ := money.MulDiv(r.value.Minor(), 1000, total) // per mille: 12.5%
		return money.FormatFixed(tenths, 1) + "%"
	}
	var labelW, valueW, shareW float64
	for _, r := range rows {
		labelW = max(labelW, p.measure(r.label))
		valueW = max(valueW, p.measure(p.money(r.value)))
		shareW = max(shareW, p.measure(share(r)))
	}
	labelW = min(labelW, p.width()*0.35)
	barX := margin + labelW + cellGap
	barMax := p.width() - labelW - valueW - shareW - 3*cellGap
	for i, r := range rows {
		if _, ph := pdf.GetPageSize(); pdf.GetY()+barRowH > ph-margin {
			pdf.AddPage()
		}
		y := pdf.GetY()
		p.cell = cellRef{name, i, 0}
		p.draw(margin, y, labelW, barRowH, r.label, "L")
		pdf.SetFillColor(236, 239, 243)
		pdf.Rect(barX, y+1.2, barMax, barRowH-2.4, "F")
		if most > 0 && r.value.Minor() > 0 {
			pdf.SetFillColor(blue.r, blue.g, blue.b)
			pdf.Rect(barX, y+1.2, barMax*float64(r.value.Minor())/float64(most), barRowH-2.4, "F") // millimetres
		}
		p.cell = cellRef{name, i, 1}
		p.draw(barX+barMax+cellGap, y, valueW, barRowH, p.money(r.value), "R")
		p.cell = cellRef{name, i, 2}
		p.setColor(gray)
		p.draw(margin+p.width()-shareW, y, shareW, barRowH, share(r), "R")
		p.setColor(black)
		pdf.SetXY(margin, y+barRowH)
	}
	p.cell = cellRef{}
	p.setSize(fontSize)
}
