package sim

import (
	"testing"

	"checkout/devices/cardreader"
)

func TestSimulatedCardReader(t *testing.T) {
	r := NewCardReader("simulated")
	r.Tap("04a224b25c5880")
	r.Tap("04A224B25C5880") // held: no second event
	r.Tap("deadbeef")       // another card: the first leaves
	r.Remove()
	r.Remove() // nothing there: no event
	want := []cardreader.Event{
		{Kind: cardreader.StatusChange, Status: cardreader.Connected},
		{Kind: cardreader.CardPresent, UID: "04A224B25C5880"},
		{Kind: cardreader.CardRemoved, UID: "04A224B25C5880"},
		{Kind: cardreader.CardPresent, UID: "DEADBEEF"},
		{Kind: cardreader.CardRemoved, UID: "DEADBEEF"},
	}
	for i, w := range want {
		ev := <-r.Events()
		if ev.Kind != w.Kind || ev.UID != w.UID || ev.Status != w.Status || ev.Reader != "simulated" {
			t.Fatalf("event %d: %+v, want %+v", i, ev, w)
		}
	}
	r.Close()
	r.Tap("01020304") // after Close: ignored, no panic
	if _, open := <-r.Events(); open {
		t.Fatal("events open after Close, or an unexpected event")
	}
	r.Close()
}
