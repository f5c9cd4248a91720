// Package scanner reads barcode scanners that present themselves as serial ports (RS-232, USB-CDC):
// it cuts the byte stream into codes, drops malformed frames with a counted error, and keeps a port open
// across unplugging and replugging.
package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Terminator is the suffix a scanner sends after each code.
type Terminator int

const (
	// TermAuto ends a frame at any of CR, LF, TAB or ETX; the LF of a CRLF ends an empty frame, which is
	// ignored. It reads every factory setting, so it is the default.
	TermAuto Terminator = iota
	TermCR
	TermLF
	TermCRLF
	TermTAB
	TermETX
)

var terminatorNames = []string{"auto", "cr", "lf", "crlf", "tab", "etx"}

func (t Terminator) String() string {
	if t < 0 || int(t) >= len(terminatorNames) {
		return fmt.Sprintf("Terminator(%d)", int(t))
	}
	return terminatorNames[t]
}

// ParseTerminator reads a terminator name as the settings hold it: auto, cr, lf, crlf, tab or etx.
func ParseTerminator(s string) (Terminator, error) {
	for i, name := range terminatorNames {
		if strings.EqualFold(strings.TrimSpace(s), name) {
			return Terminator(i), nil
		}
	}
	return 0, fmt.Errorf("scanner terminator %q: want one of %s", s, strings.Join(terminatorNames, ", "))
}

const (
	cr  = '\r'
	lf  = '\n'
	tab = '\t'
	stx = 0x02
	etx = 0x03
	gs  = 0x1D // GS1's FNC1 separator inside element strings; a scanner sends it as data
)

// DefaultMaxLen is the longest frame accepted: a GS1 DataMatrix with several elements runs to ~100
// characters, so twice that leaves room and still stops a stream of noise.
const DefaultMaxLen = 256

// DefaultIdle is how long a partial frame may wait for the rest of its bytes. A whole code at 9600 baud
// takes ~15 ms; bytes left waiting longer are line noise or half a frame from an unplugged scanner.
const DefaultIdle = 250 * time.Millisecond

// Frame errors: each dropped frame carries one.
var (
	ErrFrameTooLong = errors.New("frame too long")
	ErrControlByte  = errors.New("control byte in frame")
	ErrNotText      = errors.New("frame is not text")
	ErrNoPrefix     = errors.New("frame lacks the configured prefix")
	ErrIncomplete   = errors.New("incomplete frame: no terminator arrived")
)

// FrameConfig is how a scanner frames its codes.
type FrameConfig struct {
	Terminator Terminator
	Prefix     string        // sent before every code, stripped; a frame without it is dropped
	MaxLen     int           // DefaultMaxLen when 0
	Idle       time.Duration // DefaultIdle when 0
}

// Framer cuts a scanner's byte stream into codes. Reads may split a frame or carry several; Push takes
// them as they come. It is not safe for concurrent use.
type Framer struct {
	cfg     FrameConfig
	buf     []byte
	bad     error // why the frame being read will be dropped
	last    time.Time
	started bool
}

// NewFramer returns a framer for cfg.
func NewFramer(cfg FrameConfig) *Framer {
	if cfg.MaxLen <= 0 {
		cfg.MaxLen = DefaultMaxLen
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	return &Framer{cfg: cfg, buf: make([]byte, 0, 64)}
}

// Push feeds bytes read at time at. emit is called once per complete frame, in order, with the code or
// with the error that dropped it.
func (f *Framer) Push(at time.Time, p []byte, emit func(code string, err error)) {
	f.Expire(at, emit)
	for _, b := range p {
		if f.ends(b) {
			f.finish(emit)
			continue
		}
		f.add(b)
	}
	if len(p) > 0 {
		f.last = at
	}
}

// Expire drops a partial frame whose bytes stopped arriving more than the idle time before now, so noise
// or half a frame cannot glue itself to the next code.
func (f *Framer) Expire(now time.Time, emit func(code string, err error)) {
	if f.started && now.Sub(f.last) > f.cfg.Idle {
		f.reset()
		emit("", ErrIncomplete)
	}
}

func (f *Framer) ends(b byte) bool {
	switch f.cfg.Terminator {
	case TermCR:
		return b == cr
	case TermLF:
		return b == lf
	case TermCRLF:
		// The LF ends the frame; finish strips the CR before it.
		return b == lf
	case TermTAB:
		return b == tab
	case TermETX:
		return b == etx
	default:
		return b == cr || b == lf || b == tab || b == etx
	}
}

func (f *Framer) add(b byte) {
	if !f.started && b == stx && (f.cfg.Terminator == TermETX || f.cfg.Terminator == TermAuto) {
		return // STX … ETX framing: the STX only opens the frame
	}
	f.started = true
	if f.bad != nil {
		return
	}
	if len(f.buf) >= f.cfg.MaxLen {
		f.bad = fmt.Errorf("%w: over %d bytes", ErrFrameTooLong, f.cfg.MaxLen)
		return
	}
	f.buf = append(f.buf, b)
}

func (f *Framer) finish(emit func(code string, err error)) {
	defer f.reset()
	frame := f.buf
	if f.cfg.Terminator == TermCRLF {
		frame = bytes.TrimSuffix(frame, []byte{cr})
	}
	if f.bad == nil && len(frame) == 0 {
		return // an empty frame: the second half of a CRLF, or a stray terminator
	}
	err := f.bad
	if err == nil {
		err = check(frame)
	}
	if err == nil && f.cfg.Prefix != "" {
		if bytes.HasPrefix(frame, []byte(f.cfg.Prefix)) {
			frame = frame[len(f.cfg.Prefix):]
		} else {
			err = ErrNoPrefix
		}
	}
	if err != nil {
		emit("", err)
		return
	}
	emit(string(frame), nil)
}

func (f *Framer) reset() {
	f.buf, f.bad, f.started = f.buf[:0], nil, false
}

func check(frame []byte) error {
	for i, b := range frame {
		if (b < 0x20 && b != gs) || b == 0x7F {
			return fmt.Errorf("%w: 0x%02X at %d", ErrControlByte, b, i)
		}
	}
	if !utf8.Valid(frame) {
		return ErrNotText
	}
	return nil
}
