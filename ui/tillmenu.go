package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// tillAction is one item of the till menu: what it says and what choosing it does. The menu closes
// before run is called, so run may open a dialog of its own.
type tillAction struct {
	label string
	run   func()
}

// tillMenu is F1: the till's less frequent actions, picked by their number or with ↑↓ and Enter.
type tillMenu struct {
	sh      *shell
	actions func() []tillAction // what the menu offers now, in order
}

// open opens the menu.
func (m *tillMenu) open() {
	t := m
	if t.sh.busy() {
		return
	}
	actions := t.actions()
	if len(actions) == 0 {
		return
	}
	chosen := 0
	rows := make([]*widget.Label, len(actions))
	list := container.NewVBox()
	for i, a := range actions {
		rows[i] = widget.NewLabel(fmt.Sprintf("%d  %s", i+1, a.label))
		list.Add(rows[i])
	}
	show := func() {
		for i, r := range rows {
			r.Importance = widget.MediumImportance
			r.TextStyle.Bold = i == chosen
			if i == chosen {
				r.Importance = widget.HighImportance
			}
			r.Refresh()
		}
	}
	var d dialog.Dialog
	pick := func(i int) {
		d.Hide()
		actions[i].run()
	}
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyUp:
			chosen = max(chosen-1, 0)
			show()
		case fyne.KeyDown:
			chosen = min(chosen+1, len(actions)-1)
			show()
		case fyne.KeyReturn, fyne.KeyEnter:
			pick(chosen)
		case fyne.KeyEscape:
			d.Hide()
		}
	})
	// A number picks on its character, not its key press: the driver sends the press first, and the
	// character would otherwise be typed into the dialog the pick opens.
	keys.onRune = func(r rune) {
		if n, err := strconv.Atoi(string(r)); err == nil && n >= 1 && n <= len(actions) {
			pick(n - 1)
		}
	}
	show()
	hint := widget.NewLabelWithStyle(lang.L("Number or Up/Down and Enter: choose · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	d = t.sh.open(lang.L("Till menu"), container.NewVBox(list, hint, keys), keys)
}
