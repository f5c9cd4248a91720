package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"

	"checkout/app/money"
)

// displayLayout lays the customer display out for its window. Its sizes are those of a 1024×600 screen
// scaled to the window, never below displayLeast of them and never under 20 for a line a shopper reads:
// cart lines at 24, the total at 64, the change at 80, inside a margin of 24 so nothing touches the
// screen's edge. While selling, the header (logo, greeting, member) is on top, the total and what was
// saved at the bottom, the latest cart lines between, and the payment QR code or the amount to pay beside
// them on the right, as large as the height left allows; a landscape 800×480 screen takes it all.
type displayLayout struct{ d *CustomerDisplay }

// The display's design size and the least it is scaled to.
const (
	displayWidth, displayHeight = 1024, 600
	displayLeast                = 0.85
)

// MinSize fits the 800×480 screens of small tills.
func (l *displayLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(640, 400) }

// area is a rectangle of the display.
type area struct{ x, y, w, h float32 }

// placer moves and sizes an object and marks it shown; what a layout does not place is hidden.
type placer func(o fyne.CanvasObject, x, y, w, h float32)

// Layout places the objects for the display's state.
func (l *displayLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	d := l.d
	s := max(min(size.Width/displayWidth, size.Height/displayHeight), displayLeast)
	shown := make(map[fyne.CanvasObject]bool, len(objects))
	put := func(o fyne.CanvasObject, x, y, w, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		shown[o] = true
	}
	m := 24 * s
	b := area{m, m, size.Width - 2*m, size.Height - 2*m}
	switch {
	case d.idle():
		l.idle(b, s, put)
	case d.finished:
		l.finished(b, s, put)
	default:
		l.selling(b, s, put)
	}
	for _, o := range objects {
		switch {
		case shown[o] && !o.Visible():
			o.Show()
		case !shown[o] && o.Visible():
			o.Hide()
		}
	}
}

// armsLength is the size of text a shopper reads at arm's length: size scaled, never under 20.
func armsLength(size, s float32) float32 { return max(20, size*s) }

// idle shows the slide on show under the header, or else the logo large above the greeting.
func (l *displayLayout) idle(b area, s float32, put placer) {
	d := l.d
	if d.slide.Image != nil {
		y := l.header(b, s, put, false)
		put(d.slide, b.x, y, b.w, b.y+b.h-y)
		return
	}
	d.greeting.Alignment = fyne.TextAlignCenter
	gs := fitText(d.greeting, b.w, 48*s, 24*s)
	block, logoH := gs.Height, float32(0)
	if d.logo.Image != nil {
		logoH = min(b.h*0.5, 260*s)
		block += logoH + 24*s
	}
	y := b.y + (b.h-block)/2
	if logoH > 0 {
		put(d.logo, b.x, y, b.w, logoH)
		y += logoH + 24*s
	}
	put(d.greeting, b.x, y, b.w, gs.Height)
}

// header places the logo, small, and the greeting beside it, and the member on the right when withMember;
// it returns where what follows starts.
func (l *displayLayout) header(b area, s float32, put placer, withMember bool) float32 {
	d := l.d
	h := 48 * s
	x, right := b.x, b.x+b.w
	if img := d.logo.Image; img != nil {
		size := img.Bounds().Size()
		w := min(h*float32(size.X)/float32(max(1, size.Y)), b.w*0.3)
		put(d.logo, x, b.y, w, h)
		x += w + 16*s
	}
	// The greeting comes first: the member goes on a row of its own under the header when both do not fit.
	var below fyne.Size
	if withMember && d.memberOn {
		d.member.Alignment = fyne.TextAlignTrailing
		ms := fitText(d.member, b.w*0.45, armsLength(22, s), 16)
		gw := fyne.MeasureText(d.greeting.Text, 34*s, d.greeting.TextStyle).Width
		if x+gw+24*s+ms.Width <= right {
			put(d.member, right-ms.Width, b.y+(h-ms.Height)/2, ms.Width, ms.Height)
			right -= ms.Width + 24*s
		} else {
			below = ms
		}
	}
	d.greeting.Alignment = fyne.TextAlignLeading
	gs := fitText(d.greeting, right-x, 34*s, 20)
	h = max(h, gs.Height)
	put(d.greeting, x, b.y+(h-gs.Height)/2, right-x, gs.Height)
	if below.Height > 0 {
		put(d.member, right-below.Width, b.y+h+4*s, below.Width, below.Height)
		h += 4*s + below.Height
	}
	return b.y + h + 12*s
}

// finished shows a stored document: its big line (the change) in the middle, the largest thing on the
// screen, with what was paid, the points earned and the receipt's number under it.
func (l *displayLayout) finished(b area, s float32, put placer) {
	d := l.d
	y := l.header(b, s, put, false)
	type part struct {
		t           *canvas.Text
		size, least float32
	}
	parts := []part{{d.total, 80 * s, 40}, {d.note, armsLength(32, s), 18}, {d.member, armsLength(26, s), 18}, {d.number, armsLength(20, s), 16}}
	var sizes []fyne.Size
	var block float32
	for i, p := range parts {
		if p.t.Text == "" || (p.t == d.member && !d.memberOn) {
			parts[i].t = nil
			sizes = append(sizes, fyne.Size{})
			continue
		}
		p.t.Alignment = fyne.TextAlignCenter
		sizes = append(sizes, fitText(p.t, b.w, p.size, p.least))
		block += sizes[i].Height + 16*s
	}
	y += max(0, (b.y+b.h-y-block)/2)
	for i, p := range parts {
		if p.t != nil {
			put(p.t, b.x, y, b.w, sizes[i].Height)
			y += sizes[i].Height + 16*s
		}
	}
}

// selling shows the sale in progress: header and note on top; the cart lines with the total at their
// foot on the left; on the right, on a panel of its own, the payment QR code or the amount to pay.
func (l *displayLayout) selling(b area, s float32, put placer) {
	d := l.d
	y := l.header(b, s, put, true)
	if d.note.Text != "" {
		d.note.Alignment = fyne.TextAlignLeading
		ns := fitText(d.note, b.w, armsLength(24, s), 16)
		put(d.note, b.x, y, b.w, ns.Height)
		y += ns.Height + 8*s
	}
	bottom, w := b.y+b.h, b.w
	if d.qrSide > 0 || d.due.Text != "" {
		w = b.w - l.panel(area{b.x, y, b.w, bottom - y}, s, put) - 24*s
	}
	if len(d.lines) > 0 {
		bottom = l.footer(area{b.x, y, w, bottom - y}, s, put)
	}
	l.rows(area{b.x, y, w, bottom - y}, s, put)
}

// panel places the payment panel at the right of a, as tall as a: the QR code as large as it allows, in
// whole modules, with the amount under it, or the amount to pay alone. It returns the panel's width.
func (l *displayLayout) panel(a area, s float32, put placer) float32 {
	d := l.d
	pad, dueSize := 16*s, 44*s
	d.panelBack.CornerRadius = 12 * s
	if d.qrSide == 0 {
		pw := a.w * 0.4
		ds := fitText(d.due, pw-2*pad, dueSize, 20)
		ph := ds.Height + 6*pad
		put(d.panelBack, a.x+a.w-pw, a.y+(a.h-ph)/2, pw, ph)
		put(d.due, a.x+a.w-pw+pad, a.y+(a.h-ds.Height)/2, pw-2*pad, ds.Height)
		return pw
	}
	dh := fyne.MeasureText(d.due.Text, dueSize, d.due.TextStyle).Height
	avail := min(a.h-2*pad-dh-8*s, a.w*0.45)
	modules := float32(d.qrSide)
	side := max(1, float32(math.Floor(float64(avail/modules)))) * modules
	pw := side + 2*pad
	x := a.x + a.w - pw
	put(d.panelBack, x, a.y, pw, a.h)
	ds := fitText(d.due, side, dueSize, 20)
	top := a.y + (a.h-side-8*s-ds.Height)/2
	put(d.qr, x+pad, top, side, side)
	put(d.due, x+pad, top+side+8*s, side, ds.Height)
	return pw
}

// footer places the total at the foot of a, with the item count and what was saved beside it or, when
// a is too narrow for both, on a row above it; a rule above them all. It returns where the rule is.
func (l *displayLayout) footer(a area, s float32, put placer) float32 {
	d := l.d
	d.total.Alignment = fyne.TextAlignTrailing
	ts := fitText(d.total, a.w, 64*s, 36)
	gap := 24 * s
	is := fyne.MeasureText(d.items.Text, armsLength(22, s), d.items.TextStyle)
	var ss fyne.Size
	if d.saved.Text != "" {
		ss = fyne.MeasureText(d.saved.Text, armsLength(24, s), d.saved.TextStyle)
	}
	bottom := a.y + a.h
	var top float32
	if left := a.w - ts.Width - gap; max(is.Width, ss.Width) <= left {
		d.saved.Alignment = fyne.TextAlignLeading
		is, ss = fitText(d.items, left, armsLength(22, s), 14), fitText(d.saved, left, armsLength(24, s), 16)
		fh := max(ts.Height, is.Height+ss.Height)
		top = bottom - fh
		put(d.total, a.x+a.w-ts.Width, bottom-ts.Height, ts.Width, ts.Height)
		put(d.items, a.x, bottom-is.Height-ss.Height, left, is.Height)
		if d.saved.Text != "" {
			put(d.saved, a.x, bottom-ss.Height, left, ss.Height)
		}
	} else {
		half := (a.w - gap) / 2
		is, ss = fitText(d.items, half, armsLength(22, s), 14), fitText(d.saved, half, armsLength(24, s), 16)
		rh := max(is.Height, ss.Height)
		top = bottom - ts.Height - rh
		put(d.items, a.x, top+(rh-is.Height)/2, half, is.Height)
		if d.saved.Text != "" {
			d.saved.Alignment = fyne.TextAlignTrailing
			put(d.saved, a.x+a.w-half, top+(rh-ss.Height)/2, half, ss.Height)
		}
		put(d.total, a.x+a.w-ts.Width, bottom-ts.Height, ts.Width, ts.Height)
	}
	put(d.rule, a.x, top-12*s, a.w, max(1, 2*s))
	return top - 24*s
}

// rows places the latest cart lines that fit in a, from the top, with a line saying how many earlier ones
// do not; a discounted line has its discount under it and its price before the discount struck through.
func (l *displayLayout) rows(a area, s float32, put placer) {
	d := l.d
	size, sub := armsLength(24, s), armsLength(20, s)
	plain := fyne.TextStyle{}
	rowH := fyne.MeasureText("Ag", size, plain).Height * 1.2
	subH := fyne.MeasureText("Ag", sub, plain).Height * 1.1
	height := func(i int) float32 {
		if d.lines[i].DiscountAmount.Minor() > 0 {
			return rowH + subH
		}
		return rowH
	}
	first, used := len(d.lines), float32(0)
	for first > 0 && first > len(d.lines)-len(d.rows) {
		h := height(first - 1)
		if first-1 > 0 {
			h += subH // room for the line saying how many more there are
		}
		if used+h > a.h {
			break
		}
		used += height(first - 1)
		first--
	}
	y := a.y
	if first > 0 {
		d.moreText.Text = lang.L("{{.Count}} more lines above", map[string]any{"Count": first})
		ms := fitText(d.moreText, a.w, sub, 14)
		put(d.moreText, a.x, y, a.w, ms.Height)
		y += subH
	}
	for i, ln := range d.lines[first:] {
		r := d.rows[i]
		r.amount.Text, r.amount.TextSize = money.Format(ln.Total, d.language), size
		aw := fyne.MeasureText(r.amount.Text, size, plain).Width
		r.full = d.lineText(ln)
		r.name.Text, r.name.TextSize = cutText(r.full, a.w-aw-24*s, size, plain), size
		put(r.name, a.x, y, a.w-aw-24*s, rowH)
		put(r.amount, a.x+a.w-aw, y, aw, rowH)
		r.name.Refresh()
		r.amount.Refresh()
		y += rowH
		if ln.DiscountAmount.Minor() == 0 {
			continue
		}
		r.was.Text, r.was.TextSize = money.Format(ln.Gross, d.language), sub
		ww := fyne.MeasureText(r.was.Text, sub, plain).Width
		what := lang.L("Discount")
		if deals := promotionNames(ln, d.language); deals != "" {
			what = deals // what the shopper saved, by name
		}
		r.discount.Text = what + " −" + money.Format(ln.DiscountAmount, d.language)
		r.discount.TextSize = sub
		put(r.discount, a.x+24*s, y, a.w-ww-48*s, subH)
		put(r.was, a.x+a.w-ww, y, ww, subH)
		r.strike.StrokeWidth = max(1, 2*s)
		put(r.strike, a.x+a.w-ww, y+subH/2, ww, 0)
		r.discount.Refresh()
		r.was.Refresh()
		r.strike.Refresh()
		y += subH
	}
}

// fitText sets t's size to size, or smaller down to least so that it fits in width, and returns the
// room it takes.
func fitText(t *canvas.Text, width, size, least float32) fyne.Size {
	t.TextSize = size
	ms := fyne.MeasureText(t.Text, size, t.TextStyle)
	if ms.Width > width && ms.Width > 0 {
		t.TextSize = max(least, size*width/ms.Width)
		ms = fyne.MeasureText(t.Text, t.TextSize, t.TextStyle)
	}
	t.Refresh()
	return ms
}

// cutText returns text, or as much of it as fits in width at size with an ellipsis after it.
func cutText(text string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(text, size, style).Width <= width {
		return text
	}
	r := []rune(text)
	lo, hi := 0, len(r) // the longest prefix that fits is at least lo and less than hi
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return string(r[:lo]) + "…"
}
