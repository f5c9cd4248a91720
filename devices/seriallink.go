package devices

import (
	"log/slog"
	"sync"
	"time"

	"go.bug.st/serial"
)

// Reconnect backoff of a serial device: quick at first so a replugged device is back at once, capped so a
// missing one costs two opens a second.
const (
	firstBackoff = 50 * time.Millisecond
	maxBackoff   = 500 * time.Millisecond
)

// SerialLink keeps one serial port open for a device (a scanner, a scale) until Close: its goroutine opens
// the port, hands it to Serve until that returns (the port failed), closes it and opens it again with
// backoff, reporting each change of status. A port that is not there yet is not an error: the device is
// Absent and looked for, so one plugged in after the till started just works.
type SerialLink struct {
	Kind, Name  string       // for the logs: "scanner", "/dev/ttyACM0"
	Port        string       // /dev/ttyACM0, COM3, …
	Mode        *serial.Mode // no InitialStatusBits: setting DTR/RTS fails on ptys and some USB bridges
	ReadTimeout time.Duration
	// Serve reads (and writes) the open port until it fails or Done is closed; Status hears each change
	// of status, the first Absent included. Both run on the link's goroutine.
	Serve  func(port serial.Port) error
	Status func(Status)

	done      chan struct{}
	wg        sync.WaitGroup
	mu        sync.Mutex
	port      serial.Port // the open port, so Close can interrupt a read
	closeOnce sync.Once
}

// Start starts the link's goroutine.
func (l *SerialLink) Start() {
	l.done = make(chan struct{})
	l.wg.Add(1)
	go l.run()
}

// Done is closed by Close: Serve returns when it is, and a device's sends stop waiting on it.
func (l *SerialLink) Done() <-chan struct{} { return l.done }

// Close stops the link: it closes the port (interrupting a read) and waits for the goroutine. It is safe
// to call twice.
func (l *SerialLink) Close() {
	l.closeOnce.Do(func() {
		close(l.done)
		l.mu.Lock()
		if l.port != nil {
			l.port.Close()
		}
		l.mu.Unlock()
		l.wg.Wait()
	})
}

func (l *SerialLink) run() {
	defer l.wg.Done()
	status, reported := Absent, false
	setStatus := func(st Status) {
		if reported && st == status {
			return
		}
		status, reported = st, true
		l.Status(st)
	}
	backoff := firstBackoff
	for {
		port, err := l.open()
		if err != nil {
			if status == Connected {
				setStatus(Reconnecting)
			} else if !reported {
				setStatus(Absent)
			}
			select {
			case <-l.done:
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		if port == nil {
			return // closed while opening
		}
		setStatus(Connected)
		served := time.Now()
		err = l.Serve(port)
		l.mu.Lock()
		l.port = nil
		l.mu.Unlock()
		port.Close()
		select {
		case <-l.done:
			return
		default:
		}
		slog.Warn(l.Kind+" lost", l.Kind, l.Name, "err", err)
		setStatus(Reconnecting)
		// A port that opens but fails at once (a bad USB bridge) waits as a missing one does, not a
		// reopen and a log line as fast as the loop turns; one that served a while comes back at once.
		if time.Since(served) >= time.Second {
			backoff = firstBackoff
			continue
		}
		select {
		case <-l.done:
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// open opens the port, or returns nil, nil when the link was closed meanwhile.
func (l *SerialLink) open() (serial.Port, error) {
	port, err := serial.Open(l.Port, l.Mode)
	if err != nil {
		return nil, err
	}
	if err := port.SetReadTimeout(l.ReadTimeout); err != nil {
		port.Close()
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-l.done:
		port.Close()
		return nil, nil
	default:
	}
	l.port = port
	return port, nil
}
