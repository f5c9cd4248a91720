package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

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
	return container.NewVBox(widget.NewLabel(question), container.NewGridWithColumns(2, touchSized(noButton), touchSized(yesButton)), keys), keys
}

// windowHost shows dialogs over a window of their own (the back office), any number at a time.
type windowHost struct{ win fyne.Window }

var _ dialogHost = windowHost{}

func (h windowHost) show(title string, content fyne.CanvasObject, focus fyne.Focusable) dialog.Dialog {
	d := dialog.NewCustomWithoutButtons(title, content, h.win)
	d.Show()
	h.win.Canvas().Focus(focus)
	return d
}

func (h windowHost) canvas() fyne.Canvas { return h.win.Canvas() }

func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func dangerLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

func hintLabel(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}
