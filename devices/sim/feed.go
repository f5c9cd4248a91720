package sim

import "sync"

// feed is a simulated device's event channel: a send never blocks (an event while 64 earlier ones are
// unread is dropped, as a real device's driver would overrun), and none is sent after Close.
type feed[E any] struct {
	mu     sync.Mutex
	closed bool
	events chan E
}

func newFeed[E any]() feed[E] { return feed[E]{events: make(chan E, 64)} }

func (f *feed[E]) send(ev E) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	select {
	case f.events <- ev:
	default:
	}
}

// Events delivers the device's events; it is closed after Close.
func (f *feed[E]) Events() <-chan E { return f.events }

// Close closes the event channel; events still due are dropped. It is safe to call twice.
func (f *feed[E]) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed = true
		close(f.events)
	}
	return nil
}
