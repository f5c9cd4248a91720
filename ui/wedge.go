package ui

import "time"

// Keyboard-wedge defaults (PROTOCOL-NOTES, Scanners): scanners type a code with gaps of a few
// milliseconds, people 100–300 ms apart; the shortest code a shop scans is an EAN-8. Keys are timed when
// Fyne hands them over, so a frame being drawn mid-scan shows up as a gap of a few tens of ms: 50 ms
// leaves room for it and is still half a fast typist's gap.
const (
	defaultWedgeGap = 50 * time.Millisecond
	wedgeMinLen     = 6
)

// wedge tells a keyboard-wedge scanner from a person at the keyboard by the time between keys: a scan is
// a burst of at least wedgeMinLen characters, every gap at most maxGap, ended by Enter. Fyne gives no key
// timestamps, so keys are timed as they arrive. One wedge serves every field of the sale screen, so a
// scan is recognised wherever focus is.
type wedge struct {
	maxGap time.Duration
	now    func() time.Time

	field  *KeyEntry // where the burst is being typed
	before string    // the field's text before the burst
	burst  []rune
	last   time.Time
}

// typed records a character about to be typed into field and reports whether it continues a burst: such
// a character is text, never a key bound to an action.
func (w *wedge) typed(field *KeyEntry, r rune) (inBurst bool) {
	now := w.now()
	inBurst = len(w.burst) > 0 && w.field == field && now.Sub(w.last) <= w.maxGap
	if !inBurst {
		w.field, w.before, w.burst = field, field.Text, w.burst[:0]
	}
	w.burst = append(w.burst, r)
	w.last = now
	return inBurst
}

// following reports whether a key now would continue the current burst.
func (w *wedge) following() bool {
	return len(w.burst) > 0 && w.now().Sub(w.last) <= w.maxGap
}

// enter ends the burst. It returns the scanned code and the field's text before the scan when Enter in
// field completes a scan.
func (w *wedge) enter(field *KeyEntry) (code, before string, ok bool) {
	ok = w.field == field && len(w.burst) >= wedgeMinLen && w.following()
	code, before = string(w.burst), w.before
	w.reset()
	return code, before, ok
}

func (w *wedge) reset() { w.burst, w.field = w.burst[:0], nil }
