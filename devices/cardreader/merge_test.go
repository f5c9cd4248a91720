package cardreader_test

import (
	"testing"

	"checkout/devices/cardreader"
	"checkout/devices/sim"
)

// Card readers' events arrive on one channel, and it closes once every reader has.
func TestMergedCardReaders(t *testing.T) {
	a, b := sim.NewCardReader("a"), sim.NewCardReader("b")
	m := cardreader.Merge(a, b)
	a.Tap("04AA")
	b.Tap("04BB")
	seen := map[string]bool{}
	for len(seen) < 2 {
		ev := <-m.Events()
		if ev.Kind == cardreader.CardPresent {
			seen[ev.Reader+" "+ev.UID] = true
		}
	}
	if !seen["a 04AA"] || !seen["b 04BB"] {
		t.Errorf("taps seen: %v", seen)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for range m.Events() {
	}
}
