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
	name string
	mu   sync.Mutex
	uid  string // the card on the reader; "" when none
	feed[cardreader.Event]
}

// NewCardReader returns a connected simulated card reader called name.
func NewCardReader(name string) *CardReader {
	r := &CardReader{name: name, feed: newFeed[cardreader.Event]()}
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

// send delivers ev; the caller holds r.mu, so a tap's events keep their order.
func (r *CardReader) send(ev cardreader.Event) {
	ev.Reader, ev.At = r.name, time.Now()
	r.feed.send(ev)
}
