// Package ui is the till's Fyne screens: the keyboard-first sale screen, its dialogs and the customer
// display. Screens show state and turn keys and taps into calls on app services; they hold no SQL and do
// no money arithmetic.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// KeyEntry is a one-line entry that offers keys to its owner before editing with them: the sale screen's
// scan field and every dialog field use it so that F-keys, Enter and Esc work wherever focus is.
type KeyEntry struct {
	widget.Entry

	// OnKey is offered every special key first; returning true consumes it.
	OnKey func(*fyne.KeyEvent) bool
	// OnRune is offered every typed character first; returning true consumes it.
	OnRune func(rune) bool
}

var (
	_ fyne.Focusable = (*KeyEntry)(nil)
	_ fyne.Widget    = (*KeyEntry)(nil)
)

// NewKeyEntry returns an empty single-line KeyEntry.
func NewKeyEntry() *KeyEntry {
	e := &KeyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey offers the key to OnKey, then to the entry.
func (e *KeyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.OnKey != nil && e.OnKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// TypedRune offers the character to OnRune, then to the entry.
func (e *KeyEntry) TypedRune(r rune) {
	if e.OnRune != nil && e.OnRune(r) {
		return
	}
	e.Entry.TypedRune(r)
}
