package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// KeyEntry is a one-line entry that offers keys to its owner before editing with them: the sale screen's
// scan field and every dialog field use it so that F-keys, Enter and Esc work wherever focus is. With a
// wedge it also tells a keyboard-wedge scanner's burst from typing.
type KeyEntry struct {
	widget.Entry

	// OnKey is offered every special key first; returning true consumes it.
	OnKey func(*fyne.KeyEvent) bool
	// OnRune is offered every typed character first; returning true consumes it.
	OnRune func(rune) bool
	// OnScan receives a code a wedge scanner typed into this field, which is left as it was before.
	// Without it, a scan is typed text like any other and its Enter goes to OnKey.
	OnScan func(code string)
	// OnShortcut is offered every shortcut first (the window's own, such as Ctrl+Q, which a focused entry
	// would otherwise keep from it); returning true consumes it.
	OnShortcut func(fyne.Shortcut) bool

	wedge *wedge
	// hold lists the characters bound to actions (such as '+' to pay) that wait as long as a busy till's
	// scanner may take between keys before acting: if another character follows sooner they were the start
	// of a code.
	hold  string
	after func(time.Duration, func())
	held  rune
	holds int // counts holds, so a stale timer does not act on a newer one
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

// TypedShortcut offers the shortcut to OnShortcut, then to the entry (copy, paste, select all).
func (e *KeyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.OnShortcut != nil && e.OnShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey offers the key to OnScan when it ends a scan, then to OnKey, then to the entry.
func (e *KeyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.wedge != nil {
		e.settleHeld(e.wedge.following())
		if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
			if code, before, ok := e.wedge.enter(e); ok && e.OnScan != nil {
				e.SetText(before)
				e.OnScan(strings.TrimSpace(code))
				return
			}
		} else if !typingKey(k.Name) {
			e.wedge.reset()
		}
	}
	if e.OnKey != nil && e.OnKey(k) {
		return
	}
	e.Entry.TypedKey(k)
}

// typingKey reports whether a key press is part of typing a character. The desktop driver sends every
// press to TypedKey before the character reaches TypedRune, Shift included, so these must not break a
// scanner's burst; arrows, function keys, Escape and the like do.
func typingKey(name fyne.KeyName) bool {
	switch name {
	case fyne.KeySpace, desktop.KeyShiftLeft, desktop.KeyShiftRight:
		return true
	}
	return len(name) == 1 // digits, letters and punctuation are named by their character
}

// TypedRune offers the character to OnRune, then to the entry; one that follows the last at scanner speed
// is only text.
func (e *KeyEntry) TypedRune(r rune) {
	if e.wedge == nil {
		e.offer(r)
		return
	}
	fast := e.wedge.typed(e, r)
	e.settleHeld(fast)
	switch {
	case fast:
		e.Entry.TypedRune(r)
	case strings.ContainsRune(e.hold, r):
		e.held = r
		e.holds++
		n := e.holds
		e.after(e.wedge.holdGap()+5*time.Millisecond, func() {
			if e.holds == n {
				e.settleHeld(false)
			}
		})
	default:
		e.offer(r)
	}
}

// settleHeld types the held character as text when a key followed it at scanner speed, or offers it for
// its action when none did.
func (e *KeyEntry) settleHeld(followed bool) {
	r := e.held
	if r == 0 {
		return
	}
	e.held = 0
	if followed {
		e.Entry.TypedRune(r)
		return
	}
	e.offer(r)
}

func (e *KeyEntry) offer(r rune) {
	if e.OnRune != nil && e.OnRune(r) {
		return
	}
	e.Entry.TypedRune(r)
}

// addKeys gives e more keys, offered before the keys it had: each runs its action and is used up.
func addKeys(e *KeyEntry, keys map[fyne.KeyName]func()) {
	before := e.OnKey
	e.OnKey = func(k *fyne.KeyEvent) bool {
		if run, ok := keys[k.Name]; ok {
			run()
			return true
		}
		return before != nil && before(k)
	}
}

// useWedge makes the entry time its keys with w. Characters in hold wait to see whether a scan follows
// before acting; after runs a function on the UI goroutine after a delay.
func (e *KeyEntry) useWedge(w *wedge, hold string, after func(time.Duration, func())) {
	e.wedge, e.hold, e.after = w, hold, after
}
