package ui

import (
	"time"

	"checkout/app"
	"checkout/app/barcode"
)

// defaultWedgeGap is a wedge scanner's typical gap between keys when the setting gives none.
const defaultWedgeGap = app.DefaultWedgeGap

// wedgeMaxRun is the most keys a wedge remembers of one run: more than the longest code with its AIM
// identifier. Older keys of a longer run are forgotten: they cannot start a code that ends at Enter.
const wedgeMaxRun = barcode.MaxLen + 3

// wedge tells a keyboard-wedge scanner from a person at the keyboard. It times the keys typed into a
// field since the last Enter or other key, and at Enter asks app.Classifier.WedgeScan whether they, or
// the last of them, were a scan: by their gaps and by what they say (a GTIN, a pay code, …). Fyne gives
// no key timestamps, so keys are timed as they arrive. One wedge serves every field of the sale screen,
// so a scan is recognised wherever focus is.
type wedge struct {
	typical time.Duration // the scanner's typical gap (keyboard.wedge_gap_ms)
	input   app.Classifier
	now     func() time.Time

	field *KeyEntry // where the keys are being typed
	keys  []wedgeKey
}

// wedgeKey is a character typed into the wedge's field, when, and the field's text before it.
type wedgeKey struct {
	r      rune
	at     time.Time
	before string
}

// typed records a character about to be typed into field and reports whether it came at scanner speed
// after the one before: such a character is text, never a key bound to an action.
func (w *wedge) typed(field *KeyEntry, r rune) (fast bool) {
	now := w.now()
	if w.field != field {
		w.field, w.keys = field, w.keys[:0]
	}
	if n := len(w.keys); n > 0 {
		fast = now.Sub(w.keys[n-1].at) <= w.typical
	}
	if len(w.keys) == wedgeMaxRun {
		w.keys = append(w.keys[:0], w.keys[1:]...)
	}
	w.keys = append(w.keys, wedgeKey{r: r, at: now, before: field.Text})
	return fast
}

// holdGap is how long a character bound to an action waits for a scan to follow it: as long as a busy
// till's scanner may take between keys.
func (w *wedge) holdGap() time.Duration { return max(w.typical, app.WedgeSlowGap) }

// following reports whether a key now would follow the last as a scan's next key may.
func (w *wedge) following() bool {
	n := len(w.keys)
	return n > 0 && w.now().Sub(w.keys[n-1].at) <= w.holdGap()
}

// enter ends the run. When Enter in field completes a scan, it returns the scanned code and the field's
// text before the scan's first key.
func (w *wedge) enter(field *KeyEntry) (code, before string, ok bool) {
	defer w.reset()
	if w.field != field || len(w.keys) == 0 {
		return "", "", false
	}
	now := w.now()
	runes, gaps := make([]rune, len(w.keys)), make([]time.Duration, len(w.keys))
	for i, k := range w.keys {
		next := now
		if i+1 < len(w.keys) {
			next = w.keys[i+1].at
		}
		runes[i], gaps[i] = k.r, next.Sub(k.at)
	}
	start, ok := w.input.WedgeScan(runes, gaps, w.typical)
	if !ok {
		return "", "", false
	}
	return string(runes[start:]), w.keys[start].before, true
}

func (w *wedge) reset() { w.keys, w.field = w.keys[:0], nil }
