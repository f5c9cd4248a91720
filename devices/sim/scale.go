package sim

import (
	"sync"
	"time"

	"checkout/devices"
	"checkout/devices/scale"
)

// wobble is how a simulated load settles: grams off the final weight, one reading each wobbleStep, as a
// counter scale's display swings when something is put on it, then the stable weight.
var wobble = []int64{+215, -120, +48, -17, +6}

const wobbleStep = 120 * time.Millisecond

// Scale is a simulated counter scale for demo mode: Weigh puts a load on it, and it reports a short
// wobble of unstable readings before the stable weight, as a real scale does.
type Scale struct {
	name string
	mu   sync.Mutex
	load int // which Weigh the pending readings belong to: a new load cancels the old one's wobble
	feed[scale.Event]
}

// NewScale returns a connected simulated scale called name, reading a stable zero.
func NewScale(name string) *Scale {
	s := &Scale{name: name, feed: newFeed[scale.Event]()}
	s.send(scale.Event{Kind: scale.StatusChange, Status: devices.Connected})
	s.send(scale.Event{Kind: scale.Weight, Reading: scale.Reading{Weighed: true, Stable: true, Zero: true}})
	return s
}

// Weigh puts grams on the scale: the wobble's unstable readings come one by one, then the stable one.
func (s *Scale) Weigh(grams int64) {
	s.mu.Lock()
	s.load++
	load := s.load
	s.mu.Unlock()
	for i, off := range wobble {
		r := scale.Reading{Grams: grams + off, Weighed: true}
		time.AfterFunc(time.Duration(i)*wobbleStep, func() { s.sendFor(load, r) })
	}
	r := scale.Reading{Grams: grams, Weighed: true, Stable: true, Zero: grams == 0}
	time.AfterFunc(time.Duration(len(wobble))*wobbleStep, func() { s.sendFor(load, r) })
}

func (s *Scale) sendFor(load int, r scale.Reading) {
	s.mu.Lock()
	current := load == s.load
	s.mu.Unlock()
	if current {
		s.send(scale.Event{Kind: scale.Weight, Reading: r})
	}
}

func (s *Scale) send(ev scale.Event) {
	ev.Scale, ev.At = s.name, time.Now()
	s.feed.send(ev)
}
