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

// Reconnect backoff: quick at first so a replugged scanner is back at once, capped so a missing one costs
// two opens a second.
const (
	firstBackoff = 50 * time.Millisecond
	maxBackoff   = 500 * time.Millisecond
	// readTimeout bounds how long a read blocks, so Close and the idle check are never waited on longer.
	readTimeout = 100 * time.Millisecond
)

// Scanner is one serial scanner, kept open by its own goroutine: it opens the port, reads frames, and on
// any error closes the port and reopens it with backoff until Close.
type Scanner struct {
	cfg    Config
	events chan Event
	done   chan struct{}
	wg     sync.WaitGroup

	mu   sync.Mutex
	port serial.Port // the open port, so Close can interrupt a read

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
	s := &Scanner{cfg: cfg, events: make(chan Event, 256), done: make(chan struct{})}
	s.wg.Add(1)
	go s.run()
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
		close(s.done)
		s.mu.Lock()
		if s.port != nil {
			s.port.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
		close(s.events)
	})
	return nil
}

func (s *Scanner) run() {
	defer s.wg.Done()
	status, reported := Absent, false
	setStatus := func(st Status) {
		if reported && st == status {
			return
		}
		status, reported = st, true
		s.send(Event{Kind: StatusChange, Status: st})
	}
	backoff := firstBackoff
	for {
		port, err := s.open()
		if err != nil {
			if status == Connected {
				setStatus(Reconnecting)
			} else if !reported {
				setStatus(Absent)
			}
			select {
			case <-s.done:
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		if port == nil {
			return // closed while opening
		}
		backoff = firstBackoff
		setStatus(Connected)
		err = s.read(port)
		s.mu.Lock()
		s.port = nil
		s.mu.Unlock()
		port.Close()
		select {
		case <-s.done:
			return
		default:
		}
		slog.Warn("scanner lost", "scanner", s.cfg.Name, "err", err)
		setStatus(Reconnecting)
	}
}

// open opens the port, or returns nil, nil when the scanner was closed meanwhile.
func (s *Scanner) open() (serial.Port, error) {
	// No InitialStatusBits: setting DTR/RTS fails on pseudo-terminals and some CDC scanners.
	port, err := serial.Open(s.cfg.Port, &serial.Mode{BaudRate: s.cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, err
	}
	if err := port.SetReadTimeout(readTimeout); err != nil {
		port.Close()
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		port.Close()
		return nil, nil
	default:
	}
	s.port = port
	return port, nil
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
		case <-s.done:
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
	case <-s.done:
	}
}
