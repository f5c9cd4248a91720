// Package sim holds simulated devices for demo mode, so a till with no hardware still shows what the
// hardware does.
package sim

import (
	"time"

	"checkout/devices/scanner"
)

// Scanner is a simulated barcode scanner: Scan makes it read a code as a serial scanner would.
type Scanner struct {
	name string
	feed[scanner.Event]
}

// NewScanner returns a connected simulated scanner called name.
func NewScanner(name string) *Scanner {
	s := &Scanner{name: name, feed: newFeed[scanner.Event]()}
	s.send(scanner.Event{Kind: scanner.StatusChange, Status: scanner.Connected})
	return s
}

// Scan reads code. A scan after Close, or while 64 earlier scans are still unread, is ignored.
func (s *Scanner) Scan(code string) {
	s.send(scanner.Event{Kind: scanner.Scan, Code: code})
}

func (s *Scanner) send(ev scanner.Event) {
	ev.Scanner, ev.At = s.name, time.Now()
	s.feed.send(ev)
}
