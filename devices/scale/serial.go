package scale

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.bug.st/serial"

	"checkout/devices"
)

// Config is one serial scale.
type Config struct {
	Name     string // how the till names it in the status bar and logs; the port when empty
	Port     string // /dev/ttyUSB0, COM3, …
	Protocol Protocol
	Baud     int           // 9600 when 0
	Bits     string        // data bits, parity, stop bits: "8N1", "7E1", …; the protocol's usual when ""
	Poll     time.Duration // how often a scale that must be asked is asked; DefaultPoll when 0
}

// EventKind says what an Event reports.
type EventKind int

const (
	Weight       EventKind = iota // the scale sent a reading
	FrameError                    // a frame was dropped, or the scale refused a request; Err says why
	StatusChange                  // the port was opened, lost or is missing
)

// Status is where the scale's connection stands (devices.Status).
type Status = devices.Status

// Event is what a scale reports, in the order it happened.
type Event struct {
	Scale   string
	Kind    EventKind
	Reading Reading
	Status  Status
	Err     error
	At      time.Time
}

// ErrNoCommand: the scale's protocol has no such command (or none this package knows).
var ErrNoCommand = errors.New("the scale's protocol has no such command")

// readTimeout bounds how long a read blocks, so a poll, a command and Close wait no longer.
const readTimeout = 50 * time.Millisecond

// Scale is one serial scale, kept open by its link (devices.SerialLink): it asks for the weight when the
// protocol needs asking and reads frames, and on any error the link closes the port and reopens it with
// backoff until Close.
type Scale struct {
	cfg      Config
	events   chan Event
	commands chan Command
	link     *devices.SerialLink

	closeOnce sync.Once
}

// Open starts reading cfg's port. A port that is not there yet is not an error: the scale reports
// Absent and keeps trying, so a scale plugged in after the till started just works.
func Open(cfg Config) (*Scale, error) {
	if cfg.Port == "" {
		return nil, errors.New("scale: no port")
	}
	if cfg.Baud == 0 {
		cfg.Baud = 9600
	}
	if cfg.Baud < 0 {
		return nil, fmt.Errorf("scale %s: baud %d", cfg.Port, cfg.Baud)
	}
	if cfg.Protocol < 0 || int(cfg.Protocol) >= len(protocolNames) {
		return nil, fmt.Errorf("scale %s: %v", cfg.Port, cfg.Protocol)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Port
	}
	mode := cfg.Protocol.mode(cfg.Baud)
	if cfg.Bits != "" {
		var err error
		if mode, err = parseBits(cfg.Bits, cfg.Baud); err != nil {
			return nil, fmt.Errorf("scale %s: %w", cfg.Port, err)
		}
	}
	s := &Scale{cfg: cfg, events: make(chan Event, 256), commands: make(chan Command, 4)}
	s.link = &devices.SerialLink{Kind: "scale", Name: cfg.Name, Port: cfg.Port, Mode: mode, ReadTimeout: readTimeout,
		Serve: s.read, Status: func(st Status) { s.send(Event{Kind: StatusChange, Status: st}) }}
	s.link.Start()
	return s, nil
}

// parseBits reads "8N1", "7E1", "7O1", "8E1", … as a serial mode.
func parseBits(bits string, baud int) (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: baud, StopBits: serial.OneStopBit}
	if len(bits) != 3 || bits[0] != '7' && bits[0] != '8' || bits[2] != '1' && bits[2] != '2' {
		return nil, fmt.Errorf("serial bits %q: want 8N1, 7E1, 7O1, 8E1, …", bits)
	}
	m.DataBits = int(bits[0] - '0')
	switch bits[1] {
	case 'N', 'n':
		m.Parity = serial.NoParity
	case 'E', 'e':
		m.Parity = serial.EvenParity
	case 'O', 'o':
		m.Parity = serial.OddParity
	default:
		return nil, fmt.Errorf("serial bits %q: parity N, E or O", bits)
	}
	if bits[2] == '2' {
		m.StopBits = serial.TwoStopBits
	}
	return m, nil
}

// Events delivers the scale's events; it is closed after Close.
func (s *Scale) Events() <-chan Event { return s.events }

// Can says whether the scale's protocol has command c.
func (s *Scale) Can(c Command) bool { return s.cfg.Protocol.command(c) != nil }

// Send asks the scale to tare or zero. The command goes out before the next request for the weight;
// the scale's refusal, if any, comes back as a FrameError. ErrNoCommand when the protocol has none. One
// asked while the scale is unplugged is dropped when it comes back.
func (s *Scale) Send(c Command) error {
	if !s.Can(c) {
		return fmt.Errorf("%w (%v)", ErrNoCommand, s.cfg.Protocol)
	}
	select {
	case s.commands <- c:
		return nil
	default:
		return errors.New("scale: commands are waiting already")
	}
}

// Close stops the scale, closes its port and then its event channel. It is safe to call twice.
func (s *Scale) Close() error {
	s.closeOnce.Do(func() {
		s.link.Close()
		close(s.events)
	})
	return nil
}

// read asks and reads until the port fails or the scale is closed. One goroutine both writes and reads,
// so a command and a request never interleave on the line.
func (s *Scale) read(port serial.Port) error {
	// A tare or zero asked while no port was open is stale: sent now it would tare whatever lies on the
	// scale when it comes back.
	for len(s.commands) > 0 {
		<-s.commands
	}
	p := s.cfg.Protocol
	dec := NewDecoder(p)
	emit := func(r Reading, err error) {
		if err != nil {
			slog.Debug("scale frame dropped", "scale", s.cfg.Name, "err", err)
			s.send(Event{Kind: FrameError, Err: err})
			return
		}
		s.send(Event{Kind: Weight, Reading: r})
	}
	request := p.request()
	var nextPoll time.Time // the first request goes out at once
	buf := make([]byte, 256)
	for {
		select {
		case c := <-s.commands:
			if _, err := port.Write(p.command(c)); err != nil {
				return err
			}
		default:
		}
		if now := time.Now(); request != nil && !now.Before(nextPoll) {
			if _, err := port.Write(request); err != nil {
				return err
			}
			nextPoll = now.Add(s.cfg.Poll)
		}
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
			dec.Expire(now, emit)
			continue
		}
		for range dec.Push(now, buf[:n], emit) {
			if p == CAS { // the scale is ready: ask for its data
				if _, err := port.Write([]byte{dc1}); err != nil {
					return err
				}
			}
		}
	}
}

// send delivers an event unless the scale is closing: a consumer that stopped reading cannot wedge Close.
func (s *Scale) send(ev Event) {
	ev.Scale, ev.At = s.cfg.Name, time.Now()
	select {
	case s.events <- ev:
	case <-s.link.Done():
	}
}
