package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// reopenModal shows d, an openModal dialog, again as the till's one dialog with scans going to scan,
// after another (a supervisor's approval) took its place for a moment.
func (t *Till) reopenModal(d dialog.Dialog, scan func(string), focus fyne.Focusable) {
	t.modal, t.modalScan = d, scan
	d.Show()
	t.win.Canvas().Focus(focus)
}

// openModal shows content as the till's one dialog and gives focus to focus. Closing it hands the keys
// back to the scan field. While a dialog is open no other opens.
func (t *Till) openModal(title string, content fyne.CanvasObject, focus fyne.Focusable) dialog.Dialog {
	d := dialog.NewCustomWithoutButtons(title, content, t.win)
	d.SetOnClosed(func() {
		t.modal, t.modalScan, t.members = nil, nil, nil
		t.lastKey = t.opt.KeyClock() // the dialog was in use: the idle time starts now
		t.focusScan()
	})
	t.modal = d
	d.Show()
	t.win.Canvas().Focus(focus)
	return d
}

// dialogKeys gives a dialog field the dialog's keys: Enter submits, Esc closes.
func dialogKeys(e *KeyEntry, d func() dialog.Dialog, submit func()) {
	e.OnKey = func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			submit()
		case fyne.KeyEscape:
			d().Hide()
		default:
			return false
		}
		return true
	}
}

// hotkeys is an invisible focus target for dialogs that have no field: it only hears keys, and characters
// when onRune is set.
type hotkeys struct {
	widget.BaseWidget
	onKey  func(*fyne.KeyEvent)
	onRune func(rune)
}

var _ fyne.Focusable = (*hotkeys)(nil)

func newHotkeys(onKey func(*fyne.KeyEvent)) *hotkeys {
	h := &hotkeys{onKey: onKey}
	h.ExtendBaseWidget(h)
	return h
}

func (h *hotkeys) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack())
}
func (h *hotkeys) FocusGained() {}
func (h *hotkeys) FocusLost()   {}
func (h *hotkeys) TypedRune(r rune) {
	if h.onRune != nil {
		h.onRune(r)
	}
}
func (h *hotkeys) TypedKey(k *fyne.KeyEvent) { h.onKey(k) }

// confirm asks a yes/no question: Enter or the Yes button runs yes, Esc or No closes.
func (t *Till) confirm(title, question string, yes func()) {
	var d dialog.Dialog
	content, keys := yesNo(question, func() { d.Hide(); yes() }, func() { d.Hide() })
	d = t.openModal(title, content, keys)
}

// confirm asks a yes/no question in the back office window, as Till.confirm does on the sale screen.
func (o *BackOffice) confirm(title, question string, yes func(), done func()) {
	var d dialog.Dialog
	content, keys := yesNo(question, func() { d.Hide(); yes() }, func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(title, content, o.win)
	d.SetOnClosed(done)
	d.Show()
	o.win.Canvas().Focus(keys)
}

// yesNo is a question with No (Esc) and Yes (Enter) buttons, and the key target that answers it.
func yesNo(question string, yes, no func()) (fyne.CanvasObject, *hotkeys) {
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			yes()
		case fyne.KeyEscape:
			no()
		}
	})
	yesButton := widget.NewButtonWithIcon(lang.L("Yes")+" (Enter)", theme.ConfirmIcon(), yes)
	yesButton.Importance = widget.DangerImportance
	noButton := widget.NewButtonWithIcon(lang.L("No")+" (Esc)", theme.CancelIcon(), no)
	return container.NewVBox(widget.NewLabel(question), container.NewGridWithColumns(2, noButton, yesButton), keys), keys
}
