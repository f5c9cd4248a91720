package ui

import "testing"

// The till menu offers the actions it is given, picked by their number.
func TestTillMenuPicksByNumber(t *testing.T) {
	h := newHarness(t)
	picked := ""
	m := &tillMenu{sh: h.sh, actions: func() []tillAction {
		return []tillAction{{"No sale", func() { picked = "no sale" }}, {"Lock", func() { picked = "lock" }}}
	}}
	m.open()
	h.mustShow("Till menu", "1  No sale", "2  Lock")
	h.typeIn("2")
	if picked != "lock" || h.sh.busy() {
		t.Errorf("picked %q, menu open %v", picked, h.sh.busy())
	}
}
