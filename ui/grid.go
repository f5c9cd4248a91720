package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// gridColumn is a column of a dataGrid: its heading, and whether it holds figures, which line up on
// their trailing edge.
type gridColumn struct {
	title  string
	figure bool
}

// dataGrid is a table the owner reads: a bold heading row, then rows whose cells sit in columns as wide as
// their widest cell, words on the leading edge and figures on the trailing one, in the proportional
// font, so money and Chinese names line up where monospace padding could not. Rows alternate a faint
// band so a long row stays one row to the eye. A grid without rows says empty.
type dataGrid struct {
	columns []gridColumn
	empty   string
	box     *fyne.Container
	rows    [][]string // the texts shown, for tests and the PDF
}

func newDataGrid(empty string, columns ...gridColumn) *dataGrid {
	g := &dataGrid{columns: columns, empty: empty}
	grow := 0 // the first column of words takes the spare width
	for i, c := range columns {
		if !c.figure {
			grow = i
			break
		}
	}
	g.box = container.New(&gridLayout{cols: len(columns), grow: grow})
	g.set(nil)
	return g
}

// set shows rows of texts, one per column.
func (g *dataGrid) set(rows [][]string) {
	cells := make([][]fyne.CanvasObject, len(rows))
	for i, row := range rows {
		cells[i] = make([]fyne.CanvasObject, len(g.columns))
		for c := range g.columns {
			text := ""
			if c < len(row) {
				text = row[c]
			}
			cells[i][c] = g.cell(c, text)
		}
	}
	g.setCells(rows, cells)
}

// cell is the label of text in column c.
func (g *dataGrid) cell(c int, text string) *widget.Label {
	l := widget.NewLabel(text)
	if g.columns[c].figure {
		l.Alignment = fyne.TextAlignTrailing
	}
	return l
}

// barRow is the cells of row with bar in column col in place of its text.
func (g *dataGrid) barRow(row []string, col int, bar fyne.CanvasObject) []fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, len(g.columns))
	for c := range cells {
		if c == col {
			cells[c] = bar
		} else {
			cells[c] = g.cell(c, row[c])
		}
	}
	return cells
}

// setCells shows rows of cells, which may be other than labels (a share bar); texts are what they say.
func (g *dataGrid) setCells(texts [][]string, cells [][]fyne.CanvasObject) {
	g.rows = texts
	layout := g.box.Layout.(*gridLayout)
	if len(cells) == 0 {
		layout.cols, layout.bands, layout.grow = 1, 0, 0
		g.box.Objects = []fyne.CanvasObject{widget.NewLabel(g.empty)}
		g.box.Refresh()
		return
	}
	layout.cols, layout.bands = len(g.columns), len(cells)/2
	for i, c := range g.columns {
		if !c.figure {
			layout.grow = i
			break
		}
	}
	var objects []fyne.CanvasObject
	for i := 1; i < len(cells); i += 2 { // the bands first, beneath the cells they stripe
		objects = append(objects, canvas.NewRectangle(theme.Color(theme.ColorNameHover)))
	}
	for c, col := range g.columns {
		head := g.cell(c, col.title)
		head.TextStyle.Bold = true
		objects = append(objects, head)
	}
	for _, row := range cells {
		objects = append(objects, row...)
	}
	g.box.Objects = objects
	g.box.Refresh()
}

// gridLayout places bands striping every second row and then cols cells a row: each column as wide as
// its widest cell, each row as high as its highest; spare width goes to column grow (the names).
type gridLayout struct {
	cols, bands, grow int
}

const gridGap = 12 // between columns

func (l *gridLayout) measure(objects []fyne.CanvasObject) (widths, heights []float32) {
	cells := objects[l.bands:]
	widths = make([]float32, l.cols)
	heights = make([]float32, (len(cells)+l.cols-1)/l.cols)
	for i, o := range cells {
		m := o.MinSize()
		widths[i%l.cols] = max(widths[i%l.cols], m.Width)
		heights[i/l.cols] = max(heights[i/l.cols], m.Height)
	}
	return widths, heights
}

func (l *gridLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := l.measure(objects)
	var s fyne.Size
	for _, w := range widths {
		s.Width += w
	}
	s.Width += gridGap * float32(max(len(widths)-1, 0))
	for _, h := range heights {
		s.Height += h
	}
	return s
}

func (l *gridLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	widths, heights := l.measure(objects)
	if spare := size.Width - l.MinSize(objects).Width; spare > 0 && l.grow < len(widths) {
		widths[l.grow] += spare
	}
	y := float32(0)
	tops := make([]float32, len(heights))
	for r, h := range heights {
		tops[r] = y
		y += h
	}
	for b := range l.bands { // rows 2, 4, …: the first data row is row 1, after the heading
		if r := 2 + 2*b; r < len(heights) {
			objects[b].Move(fyne.NewPos(0, tops[r]))
			objects[b].Resize(fyne.NewSize(size.Width, heights[r]))
		}
	}
	x := float32(0)
	for i, o := range objects[l.bands:] {
		c, r := i%l.cols, i/l.cols
		if c == 0 {
			x = 0
		}
		o.Move(fyne.NewPos(x, tops[r]))
		o.Resize(fyne.NewSize(widths[c], heights[r]))
		x += widths[c] + gridGap
	}
}

// shareBar is a horizontal bar filled to a share of its width: a tender's or a category's part against the
// largest, drawn beside its figures (the share of the whole is written beside it).
type shareBar struct {
	widget.BaseWidget
	fill float32 // 0 to 1; pixels only, the figures beside it are exact
}

func newShareBar(part, whole int64) *shareBar {
	b := &shareBar{}
	if whole > 0 && part > 0 {
		b.fill = min(float32(part)/float32(whole), 1)
	}
	b.ExtendBaseWidget(b)
	return b
}

func (b *shareBar) CreateRenderer() fyne.WidgetRenderer {
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	return &shareBarRenderer{b: b, track: track, bar: bar}
}

type shareBarRenderer struct {
	b          *shareBar
	track, bar *canvas.Rectangle
}

func (r *shareBarRenderer) Layout(size fyne.Size) {
	h := min(size.Height*0.6, 18)
	top := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, top))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.bar.Move(fyne.NewPos(0, top))
	r.bar.Resize(fyne.NewSize(size.Width*r.b.fill, h))
}

func (r *shareBarRenderer) MinSize() fyne.Size { return fyne.NewSize(120, theme.TextSize()) }
func (r *shareBarRenderer) Refresh() {
	r.track.FillColor, r.bar.FillColor = theme.Color(theme.ColorNameInputBackground), theme.Color(theme.ColorNamePrimary)
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}
func (r *shareBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.bar} }
func (r *shareBarRenderer) Destroy()                     {}
