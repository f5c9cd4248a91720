package sim

import (
	"testing"
	"time"

	"checkout/devices"
	"checkout/devices/scale"
)

func TestSimulatedScaleWobblesThenSettles(t *testing.T) {
	s := NewScale("simulated")
	if ev := <-s.Events(); ev.Kind != scale.StatusChange || ev.Status != devices.Connected || ev.Scale != "simulated" {
		t.Fatalf("first event %+v, want connected", ev)
	}
	if ev := <-s.Events(); ev.Kind != scale.Weight || !ev.Reading.Stable || ev.Reading.Grams != 0 {
		t.Fatalf("second event %+v, want a stable zero", ev)
	}
	s.Weigh(200) // put down and taken off at once: its wobble is cancelled by the next load
	s.Weigh(455)
	var moving []int64
	for {
		select {
		case ev := <-s.Events():
			if ev.Reading.Stable {
				// The first load's wobble may have begun before the second load cancelled it.
				if ev.Reading.Grams != 455 || len(moving) < len(wobble) {
					t.Fatalf("stable %+v after %v", ev.Reading, moving)
				}
				for i, g := range moving[len(moving)-len(wobble):] {
					if g != 455+wobble[i] {
						t.Fatalf("wobble %v", moving)
					}
				}
				s.Close()
				s.Weigh(100) // after Close: ignored, no panic
				s.Close()
				return
			}
			moving = append(moving, ev.Reading.Grams)
		case <-time.After(2 * time.Second):
			t.Fatalf("no stable weight; moving %v", moving)
		}
	}
}
