package scanner

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.bug.st/serial"

	"checkout/devices"
)

// Config is one serial scanner.
type Config struct {
	Name       string // how the till names it in the status bar and logs; the port when empty
	Port       string // /dev/ttyACM0, COM3, …
	Baud       int    // 9600 when 0; always 8N1
	Terminator Terminator
	Prefix     string
	MaxLen     int
}

// EventKind says what an Event reports.
type EventKind int

const (
	Scan         EventKind = iota // a code was read
	FrameError                    // a frame was dropped; Err says why
	StatusChange                  // the port was opened, lost or is missing
)

// Status is where the device's connection stands (devices.Status).
type Status = devices.Status

// The statuses, as devices names them.
const (
	Absent       = devices.Absent
	Connected    = devices.Connected
	Reconnecting = devices.Reconnecting
)

// Event is what a scanner reports, in the order it happened.
type Event struct {
	Scanner string
	Kind    EventKind
	Code    string
	Status  Status
	Err     error
	At      time.Time
}

// Stats counts a scanner's frames since Open.
type Stats struct {
	Frames  int64 // codes delivered
	Dropped int64 // frames dropped as malformed
}

// readTimeout bounds how long a read blocks, so Close and the idle check are never waited on longer.
const readTimeout = 100 * time.Millisecond

// Scanner is one serial scanner, kept open by its link (devices.SerialLink): it reads frames from the port,
// and on any error the link closes the port and reopens it with backoff until Close.
type Scanner struct {
	cfg    Config
	events chan Event
	link   *devices.SerialLink

	frames, dropped atomic.Int64
	closeOnce       sync.Once
}

// Open starts reading cfg's port. A port that is not there yet is not an error: the scanner reports
// Absent and keeps trying, so a scanner plugged in after the till started just works.
func Open(cfg Config) (*Scanner, error) {
	if cfg.Port == "" {
		return nil, errors.New("scanner: no port")
	}
	if cfg.Baud == 0 {
		cfg.Baud = 9600
	}
	if cfg.Baud < 0 {
		return nil, fmt.Errorf("scanner %s: baud %d", cfg.Port, cfg.Baud)
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Port
	}
	s := &Scanner{cfg: cfg, events: make(chan Event, 256)}
	s.link = &devices.SerialLink{Kind: "scanner", Name: cfg.Name, Port: cfg.Port, ReadTimeout: readTimeout,
		Mode:  &serial.Mode{BaudRate: cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit},
		Serve: s.read, Status: func(st Status) { s.send(Event{Kind: StatusChange, Status: st}) }}
	s.link.Start()
	return s, nil
}

// Events delivers the scanner's events; it is closed after Close.
func (s *Scanner) Events() <-chan Event { return s.events }

// Stats returns the frame counts so far.
func (s *Scanner) Stats() Stats {
	return Stats{Frames: s.frames.Load(), Dropped: s.dropped.Load()}
}

// Close stops the scanner, closes its port and then its event channel. It is safe to call twice.
func (s *Scanner) Close() error {
	s.closeOnce.Do(func() {
		s.link.Close()
		close(s.events)
	})
	return nil
}

// read reads frames until the port fails or the scanner is closed.
func (s *Scanner) read(port serial.Port) error {
	framer := NewFramer(FrameConfig{Terminator: s.cfg.Terminator, Prefix: s.cfg.Prefix, MaxLen: s.cfg.MaxLen})
	emit := func(code string, err error) {
		if err != nil {
			s.dropped.Add(1)
			slog.Warn("scanner frame dropped", "scanner", s.cfg.Name, "err", err)
			s.send(Event{Kind: FrameError, Err: err})
			return
		}
		s.frames.Add(1)
		s.send(Event{Kind: Scan, Code: code})
	}
	buf := make([]byte, 512)
	for {
		n, err := port.Read(buf)
		select {
		case <-s.link.Done():
			return nil
		default:
		}
		if err != nil {
			return err
		}
		now := time.Now()
		if n == 0 { // the read timed out; an unplugged port reads as an error instead
			framer.Expire(now, emit)
			continue
		}
		framer.Push(now, buf[:n], emit)
	}
}

// send delivers an event unless the scanner is closing: a consumer that stopped reading cannot wedge Close.
func (s *Scanner) send(ev Event) {
	ev.Scanner, ev.At = s.cfg.Name, time.Now()
	select {
	case s.events <- ev:
	case <-s.link.Done():
	}
}
