package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bar is one bar of a chart.
type bar struct {
	label string
	value int64
}

// barChart draws bars from a shared baseline, the tallest filling the chart, with labels beneath.
type barChart struct {
	widget.BaseWidget
	bars []bar
}

var _ fyne.Widget = (*barChart)(nil)

func newBarChart() *barChart {
	c := &barChart{}
	c.ExtendBaseWidget(c)
	return c
}

func (c *barChart) set(bars []bar) {
	c.bars = bars
	c.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{chart: c}
	r.Refresh()
	return r
}

type barChartRenderer struct {
	chart   *barChart
	rects   []*canvas.Rectangle
	labels  []*canvas.Text
	objects []fyne.CanvasObject
}

const barChartHeight = 160

func (r *barChartRenderer) MinSize() fyne.Size { return fyne.NewSize(240, barChartHeight) }

func (r *barChartRenderer) Layout(size fyne.Size) {
	n := len(r.rects)
	if n == 0 {
		return
	}
	var most int64
	for _, b := range r.chart.bars {
		most = max(most, b.value)
	}
	labelHeight := theme.TextSize() + 4
	plot := size.Height - labelHeight
	slot := size.Width / float32(n)
	for i, b := range r.chart.bars {
		h := float32(0)
		if most > 0 {
			h = plot * float32(b.value) / float32(most) // layout only: pixels, not money
		}
		r.rects[i].Move(fyne.NewPos(float32(i)*slot+slot*0.15, plot-h))
		r.rects[i].Resize(fyne.NewSize(slot*0.7, h))
		r.labels[i].Move(fyne.NewPos(float32(i)*slot, plot+2))
		r.labels[i].Resize(fyne.NewSize(slot, labelHeight))
	}
}

func (r *barChartRenderer) Refresh() {
	if len(r.rects) != len(r.chart.bars) {
		r.rects, r.labels, r.objects = nil, nil, nil
		for range r.chart.bars {
			rect := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
			label := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			label.TextSize = theme.TextSize() * 0.8
			r.rects, r.labels = append(r.rects, rect), append(r.labels, label)
			r.objects = append(r.objects, rect, label)
		}
	}
	for i, b := range r.chart.bars {
		r.labels[i].Text = b.label
		r.labels[i].Refresh()
		r.rects[i].Refresh()
	}
	r.Layout(r.chart.Size())
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barChartRenderer) Destroy()                     {}
