package sim

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"time"

	"checkout/devices/printer"
)

// Printer is a simulated ESC/POS receipt printer: what a till prints to it is appended to a file (to look
// at, or to send to a real printer later with cat), and it answers status requests as a real one does,
// so paper out, an open cover or an unplugged cable can be shown without hardware.
type Printer struct {
	path string

	mu        sync.Mutex
	paperOut  bool
	coverOpen bool
	unplugged bool
	jobs      int
	drawer    int // times the drawer was kicked
}

// NewPrinter returns a simulated printer writing to the file at path.
func NewPrinter(path string) *Printer { return &Printer{path: path} }

// Path is the file the printed bytes go to.
func (p *Printer) Path() string { return p.path }

// SetPaperOut runs the roll out (true) or puts a new one in.
func (p *Printer) SetPaperOut(out bool) { p.mu.Lock(); p.paperOut = out; p.mu.Unlock() }

// SetCoverOpen opens or closes the printer's cover.
func (p *Printer) SetCoverOpen(open bool) { p.mu.Lock(); p.coverOpen = open; p.mu.Unlock() }

// SetUnplugged pulls the cable out (true) or plugs it back in.
func (p *Printer) SetUnplugged(out bool) { p.mu.Lock(); p.unplugged = out; p.mu.Unlock() }

// Jobs counts the connections that wrote more than status requests; DrawerKicks the drawer pulses.
func (p *Printer) Jobs() int { p.mu.Lock(); defer p.mu.Unlock(); return p.jobs }

// DrawerKicks counts how often the cash drawer was opened.
func (p *Printer) DrawerKicks() int { p.mu.Lock(); defer p.mu.Unlock(); return p.drawer }

// Open is the printer's transport (printer.NewWith): one connection per job.
func (p *Printer) Open() (printer.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unplugged {
		return nil, errors.New("simulated printer unplugged")
	}
	return &simConn{p: p}, nil
}

type simConn struct {
	p       *Printer
	answers []byte
	wrote   bool
}

// Write answers DLE EOT 1, 2 and 4 from the simulated state and appends everything else to the file.
func (c *simConn) Write(b []byte) (int, error) {
	p := c.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unplugged {
		return 0, errors.New("simulated printer unplugged")
	}
	if len(b) == 3 && b[0] == 0x10 && b[1] == 0x04 {
		status := byte(0x12)
		switch b[2] {
		case 2:
			if p.coverOpen {
				status |= 0x04
			}
			if p.paperOut {
				status |= 0x20
			}
		case 4:
			if p.paperOut {
				status |= 0x60
			}
		}
		c.answers = append(c.answers, status)
		return len(b), nil
	}
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if !c.wrote {
		c.wrote = true
		p.jobs++
	}
	p.drawer += bytes.Count(b, []byte{0x1B, 'p', 0})
	return f.Write(b)
}

func (c *simConn) Read(b []byte, _ time.Duration) (int, error) {
	n := copy(b, c.answers)
	c.answers = c.answers[n:]
	return n, nil
}

func (c *simConn) Close() error { return nil }
