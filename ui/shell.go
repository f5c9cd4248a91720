package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"checkout/app"
)

// onUI runs f on Fyne's goroutine. Every change to the screen from another goroutine (devices, timers,
// the clock, slow work) goes through here.
func onUI(f func()) { fyne.Do(f) }

// shell is the till's window and the one dialog it shows at a time. Every dialog of the sale screen opens
// through it; its fields tell a keyboard-wedge scanner from typing, wherever focus is; closing a dialog
// hands the keys back to the sale screen. It keeps the time of the last key, for the idle lock.
type shell struct {
	win      fyne.Window
	wedge    *wedge
	after    func(time.Duration, func())
	keyClock func() time.Time
	lastKey  time.Time

	modal     dialog.Dialog     // the open dialog; nil while the sale screen has the keys
	modalScan func(code string) // where the open dialog wants scans; nil: close it and sell

	// scanned takes a scanner's code that no dialog wants (the sale screen's routing); closed runs when a
	// dialog closes (the sale screen takes the keys back). The composer sets both.
	scanned func(code string)
	closed  func()

	// shortcuts are the window's own shortcuts by name (Ctrl+Q): the canvas hears them when no field has
	// focus, every field made by field() when one has.
	shortcuts map[string]func()
}

// newShell returns the shell of win, timing keys as opt says and reading what they type with input.
func newShell(win fyne.Window, opt Options, input app.Classifier) *shell {
	s := &shell{win: win, wedge: &wedge{typical: opt.WedgeGap, input: input, now: opt.KeyClock}, after: opt.After, keyClock: opt.KeyClock,
		scanned: func(string) {}, closed: func() {}}
	s.touch()
	return s
}

// touch records a key: the idle time starts again.
func (s *shell) touch() { s.lastKey = s.keyClock() }

// idle is how long no key was pressed.
func (s *shell) idle() time.Duration { return s.keyClock().Sub(s.lastKey) }

// busy reports whether a dialog is open.
func (s *shell) busy() bool { return s.modal != nil }

// showing reports whether d is the open dialog.
func (s *shell) showing(d dialog.Dialog) bool { return d != nil && s.modal == d }

// field returns a dialog field on which a wedge scanner's codes are scans, not typing: they go where the
// open dialog wants them, or close it and are sold.
func (s *shell) field() *KeyEntry {
	e := NewKeyEntry()
	e.useWedge(s.wedge, "", s.after)
	e.OnScan = func(code string) { s.scanned(code) }
	s.hearShortcuts(e)
	return e
}

// hearShortcuts lets the window's own shortcuts (addShortcut) through a focused field.
func (s *shell) hearShortcuts(e *KeyEntry) {
	e.OnShortcut = func(sc fyne.Shortcut) bool {
		if f := s.shortcuts[sc.ShortcutName()]; f != nil {
			f()
			return true
		}
		return false
	}
}

// addShortcut makes sc run f wherever the focus is in the window.
func (s *shell) addShortcut(sc fyne.Shortcut, f func()) {
	if s.shortcuts == nil {
		s.shortcuts = map[string]func(){}
	}
	s.shortcuts[sc.ShortcutName()] = f
	s.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { f() })
}

// open shows content as the till's one dialog and gives focus to focus. Closing it hands the keys back to
// the sale screen. While a dialog is open no other opens.
func (s *shell) open(title string, content fyne.CanvasObject, focus fyne.Focusable) dialog.Dialog {
	d := dialog.NewCustomWithoutButtons(title, content, s.win)
	d.SetOnClosed(func() {
		s.modal, s.modalScan = nil, nil
		s.touch() // the dialog was in use: the idle time starts now
		s.closed()
	})
	s.modal = d
	d.Show()
	s.win.Canvas().Focus(focus)
	return d
}

// takeScans sends the scans made while the open dialog is up to scan, instead of closing it.
func (s *shell) takeScans(scan func(code string)) { s.modalScan = scan }

// reopen shows d, an open dialog, again as the till's one dialog with scans going to scan, after another
// (a supervisor's approval) took its place for a moment.
func (s *shell) reopen(d dialog.Dialog, scan func(string), focus fyne.Focusable) {
	s.modal, s.modalScan = d, scan
	d.Show()
	s.win.Canvas().Focus(focus)
}

// show opens content in place of the open dialog, if any: a dialogHost for a supervisor's approval.
func (s *shell) show(title string, content fyne.CanvasObject, focus fyne.Focusable) dialog.Dialog {
	if s.modal != nil {
		s.modal.Hide()
	}
	return s.open(title, content, focus)
}

func (s *shell) canvas() fyne.Canvas { return s.win.Canvas() }

// focus gives the keys to f.
func (s *shell) focus(f fyne.Focusable) { s.win.Canvas().Focus(f) }

// confirm asks a yes/no question: Enter or the Yes button runs yes, Esc or No closes.
func (s *shell) confirm(title, question string, yes func()) { s.confirmOr(title, question, yes, nil) }

// confirmOr is confirm with no run on Esc or No (nil: nothing).
func (s *shell) confirmOr(title, question string, yes, no func()) {
	var d dialog.Dialog
	content, keys := yesNo(question, func() { d.Hide(); yes() }, func() {
		d.Hide()
		if no != nil {
			no()
		}
	})
	d = s.open(title, content, keys)
}

// dialogHost shows a dialog over a window: the sale screen's shell, one dialog at a time, or the back
// office's window.
type dialogHost interface {
	show(title string, content fyne.CanvasObject, focus fyne.Focusable) dialog.Dialog
	canvas() fyne.Canvas
}

var _ dialogHost = (*shell)(nil)

// atLeastWide lays its objects over each other at least width wide and as tall as the tallest needs: a
// dialog's content that keeps its width while what it shows grows and shrinks.
type atLeastWide float32

func (w atLeastWide) MinSize(objects []fyne.CanvasObject) fyne.Size {
	min := fyne.NewSize(float32(w), 0)
	for _, o := range objects {
		min = min.Max(o.MinSize())
	}
	return min
}

func (atLeastWide) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
