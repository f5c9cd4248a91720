package sim

import (
	"strings"
	"sync"
	"time"

	"checkout/devices/cardreader"
)

// CardReader is a simulated contactless card reader: Tap puts a card on it and Remove takes it off,
// with the events a USB reader would send.
type CardReader struct {
	name   string
	mu     sync.Mutex
	closed bool
	uid    string // the card on the reader; "" when none
	events chan cardreader.Event
}

// NewCardReader returns a connected simulated card reader called name.
func NewCardReader(name string) *CardReader {
	r := &CardReader{name: name, events: make(chan cardreader.Event, 64)}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.send(cardreader.Event{Kind: cardreader.StatusChange, Status: cardreader.Connected})
	return r
}

// Tap puts the card with uid (hex) on the reader, taking off any other card first. Tapping the card that
// is already there changes nothing, as holding a card on a real reader reports it once.
func (r *CardReader) Tap(uid string) {
	uid = strings.ToUpper(uid)
	r.mu.Lock()
	defer r.mu.Unlock()
	if uid == r.uid {
		return
	}
	r.removeLocked()
	r.uid = uid
	r.send(cardreader.Event{Kind: cardreader.CardPresent, UID: uid})
}

// Remove takes the card off the reader, if there is one.
func (r *CardReader) Remove() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked()
}

func (r *CardReader) removeLocked() {
	if r.uid != "" {
		r.send(cardreader.Event{Kind: cardreader.CardRemoved, UID: r.uid})
		r.uid = ""
	}
}

// send delivers ev with r.mu held. An event after Close, or while 64 earlier events are unread, is dropped.
func (r *CardReader) send(ev cardreader.Event) {
	ev.Reader, ev.At = r.name, time.Now()
	if r.closed {
		return
	}
	select {
	case r.events <- ev:
	default:
	}
}

// Events delivers the reader's events; it is closed after Close.
func (r *CardReader) Events() <-chan cardreader.Event { return r.events }

// Close closes the event channel. It is safe to call twice.
func (r *CardReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		close(r.events)
	}
	return nil
}
