package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app/money"
)

// Figures line up on their trailing edge whatever the names beside them, Chinese or Latin, and the
// heading is bold; every second row has its band.
func TestDataGridLinesUpFigures(t *testing.T) {
	test.NewTempApp(t)
	g := newDataGrid("Nothing", gridColumn{title: "Product"}, gridColumn{title: "Revenue", figure: true})
	g.set([][]string{{"乌龙茶 500ml", "¥1,234.50"}, {"Banana", "¥5.00"}, {"农夫山泉 550ml 天然饮用水", "¥12.00"}})
	w := test.NewWindow(g.box)
	defer w.Close()
	w.Resize(fyne.NewSize(600, 300))
	layout := g.box.Layout.(*gridLayout)
	if layout.bands != 1 {
		t.Errorf("%d bands for three rows", layout.bands)
	}
	cells := g.box.Objects[layout.bands:]
	if head := cells[0].(*widget.Label); !head.TextStyle.Bold {
		t.Error("the heading is not bold")
	}
	var edge float32
	for r := 0; r < len(cells)/2; r++ {
		name, figure := cells[2*r].(*widget.Label), cells[2*r+1].(*widget.Label)
		if figure.Alignment != fyne.TextAlignTrailing || name.Alignment != fyne.TextAlignLeading {
			t.Errorf("row %d: figure aligned %v, name %v", r, figure.Alignment, name.Alignment)
		}
		right := figure.Position().X + figure.Size().Width
		if r > 0 && right != edge {
			t.Errorf("row %d's figure ends at %v, the others' at %v", r, right, edge)
		}
		edge = right
		if name.Position().X+name.Size().Width > figure.Position().X {
			t.Errorf("row %d: the name overlaps the figure", r)
		}
		if figure.Size().Width < figure.MinSize().Width {
			t.Errorf("row %d: the figure is cut", r)
		}
	}
	if edge != g.box.Size().Width {
		t.Errorf("the figures end at %v, not at the grid's edge", edge)
	}

	g.set(nil)
	if l := g.box.Objects[0].(*widget.Label); len(g.box.Objects) != 1 || l.Text != "Nothing" {
		t.Errorf("an empty grid shows %d objects", len(g.box.Objects))
	}
}

// The value axis goes up in round steps, three to five of them, covering the tallest bar.
func TestAxisSteps(t *testing.T) {
	for _, tt := range []struct {
		top  int64
		step int64
		n    int
	}{
		{0, 1, 0},
		{1, 1, 1},
		{5, 2, 3},
		{123400, 50000, 3}, // ¥1,234 by ¥500
		{100000, 50000, 2},
		{99999, 50000, 2},
		{180000, 50000, 4},
		{2_000_000_00, 50_000_000, 4},
	} {
		step, n := axisSteps(tt.top)
		if step != tt.step || n != tt.n || int64(n)*step < tt.top {
			t.Errorf("axisSteps(%d) = %d × %d, want %d × %d", tt.top, step, n, tt.step, tt.n)
		}
	}
	if got := axisMoney(150000, money.CNY, "en"); got != "¥1,500" {
		t.Errorf("axis label %q", got)
	}
	if got := axisMoney(150, money.CNY, "en"); got != "¥1.50" {
		t.Errorf("axis label %q", got)
	}
}
