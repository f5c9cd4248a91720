package ui

import (
	"fyne.io/fyne/v2/widget"
	"github.com/mattn/go-runewidth"
)

// Lists the owner and the cashier read rather than pick from are monospace blocks of aligned rows.
// Columns are padded by display width, where a Chinese character takes two, so Chinese headers line up.

// table is a monospace block of aligned rows, for lists the owner reads rather than picks from.
func table() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle.Monospace = true
	return l
}

// column fits s to cols terminal columns of a monospace font, where a Chinese character takes two.
func column(s string, cols int) string {
	return runewidth.FillRight(runewidth.Truncate(s, cols, "…"), cols)
}
