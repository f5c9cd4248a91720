package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// series is one set of bars of a chart: its name in the legend and a value per slot.
type series struct {
	name   string
	values []int64
}

// barChart draws one or two series as bars side by side in each slot (the period and the one it is
// compared with), over a value axis of round steps with their values written beside the gridlines, and
// the slots' labels beneath; a legend names the series.
type barChart struct {
	widget.BaseWidget
	slots  []string // a label per slot; "" leaves the slot unlabelled
	series []series
	// axis writes a value of the axis ("¥1,200"); the chart's values are money in minor units or counts.
	axis func(int64) string
}

var _ fyne.Widget = (*barChart)(nil)

func newBarChart(axis func(int64) string) *barChart {
	c := &barChart{axis: axis}
	c.ExtendBaseWidget(c)
	return c
}

// set shows series over slots; each series has a value per slot.
func (c *barChart) set(slots []string, s ...series) {
	c.slots, c.series = slots, s
	c.Refresh()
}

// axisSteps returns the axis's step and how many steps reach top: a 1, 2 or 5 times a power of ten,
// so that three to five gridlines cover top with round values. Integer arithmetic: the steps are money.
func axisSteps(top int64) (step int64, n int) {
	if top <= 0 {
		return 1, 0 // the baseline alone
	}
	raw := (top + 3) / 4 // at most about four steps
	mag := int64(1)
	for mag <= raw/10 {
		mag *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return step, int((top + step - 1) / step)
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{chart: c}
	r.Refresh()
	return r
}

type barChartRenderer struct {
	chart   *barChart
	bars    [][]*canvas.Rectangle // by series, then slot
	slots   []*canvas.Text
	grid    []*canvas.Line
	ticks   []*canvas.Text
	legend  []fyne.CanvasObject // a swatch and a name per series
	objects []fyne.CanvasObject
	step    int64
}

const barChartHeight = 260

func (r *barChartRenderer) MinSize() fyne.Size { return fyne.NewSize(320, barChartHeight) }

// seriesColor is the period's bars in the primary colour and the compared period's in a muted one.
func seriesColor(i int) color.Color {
	if i == 0 {
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNamePlaceHolder)
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	text := theme.TextSize() * 0.85
	lineH := text + 6
	// The legend's row on top, the slot labels at the bottom, the tick labels at the left.
	var axisW float32
	for _, t := range r.ticks {
		axisW = max(axisW, t.MinSize().Width)
	}
	left := axisW + 6
	top := lineH + 4
	plot := size.Height - top - lineH
	x := left
	for i := 0; i+1 < len(r.legend); i += 2 {
		swatch, name := r.legend[i], r.legend[i+1]
		swatch.Move(fyne.NewPos(x, top/2-5))
		swatch.Resize(fyne.NewSize(10, 10))
		name.Move(fyne.NewPos(x+14, 0))
		x += 14 + name.MinSize().Width + 16
	}
	steps := len(r.grid) - 1
	for i, g := range r.grid {
		y := top + plot - plot*float32(i)/float32(max(steps, 1))
		g.Position1, g.Position2 = fyne.NewPos(left, y), fyne.NewPos(size.Width, y)
		r.ticks[i].Move(fyne.NewPos(0, y-lineH/2))
		r.ticks[i].Resize(fyne.NewSize(axisW, lineH))
	}
	n := len(r.chart.slots)
	if n == 0 {
		return
	}
	full := r.step * int64(max(steps, 1))
	slot := (size.Width - left) / float32(n)
	k := float32(len(r.chart.series))
	barW := slot * 0.8 / max(k, 1)
	for s, bars := range r.bars {
		for i, b := range bars {
			h := float32(0)
			if values := r.chart.series[s].values; i < len(values) && values[i] > 0 && full > 0 {
				v := values[i]
				h = plot * float32(v) / float32(full) // pixels, not money
			}
			b.Move(fyne.NewPos(left+float32(i)*slot+slot*0.1+float32(s)*barW, top+plot-h))
			b.Resize(fyne.NewSize(barW, h))
		}
	}
	for i, t := range r.slots {
		w := t.MinSize().Width
		t.Move(fyne.NewPos(left+float32(i)*slot+(slot-w)/2, top+plot+2))
	}
}

func (r *barChartRenderer) Refresh() {
	c := r.chart
	var most int64
	for _, s := range c.series {
		for _, v := range s.values {
			most = max(most, v)
		}
	}
	var n int
	r.step, n = axisSteps(most)
	fg := theme.Color(theme.ColorNameForeground)
	text := theme.TextSize() * 0.85
	label := func(s string, align fyne.TextAlign) *canvas.Text {
		t := canvas.NewText(s, fg)
		t.TextSize, t.Alignment = text, align
		return t
	}
	r.objects, r.grid, r.ticks, r.slots, r.bars, r.legend = nil, nil, nil, nil, nil, nil
	for i := 0; i <= n; i++ {
		g := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		g.StrokeWidth = 1
		tick := ""
		if c.axis != nil {
			tick = c.axis(r.step * int64(i))
		}
		r.grid, r.ticks = append(r.grid, g), append(r.ticks, label(tick, fyne.TextAlignTrailing))
		r.objects = append(r.objects, g, r.ticks[i])
	}
	for i, s := range c.series {
		var bars []*canvas.Rectangle
		for range c.slots {
			b := canvas.NewRectangle(seriesColor(i))
			bars = append(bars, b)
			r.objects = append(r.objects, b)
		}
		r.bars = append(r.bars, bars)
		if len(c.series) > 1 {
			swatch := canvas.NewRectangle(seriesColor(i))
			r.legend = append(r.legend, swatch, label(s.name, fyne.TextAlignLeading))
		}
	}
	r.objects = append(r.objects, r.legend...)
	for _, s := range c.slots {
		t := label(s, fyne.TextAlignLeading)
		r.slots = append(r.slots, t)
		r.objects = append(r.objects, t)
	}
	r.Layout(c.Size())
	canvas.Refresh(c)
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barChartRenderer) Destroy()                     {}
