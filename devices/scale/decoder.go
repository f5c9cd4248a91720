package scale

import (
	"bytes"
	"fmt"
	"time"
)

// DefaultIdle is how long a partial frame may wait for the rest of its bytes. A frame at 9600 baud
// takes about 20 ms; bytes left waiting longer are noise, or half a frame from a scale unplugged.
const DefaultIdle = 250 * time.Millisecond

// maxFrame bounds a frame: the longest here (an MT-SICS line) is under 30 bytes, so a run of noise
// without a terminator is dropped instead of growing.
const maxFrame = 64

// Decoder cuts a scale's byte stream into frames and parses them. Reads may split a frame or carry
// several; bytes outside frames are reported once per run; a frame that breaks off is dropped when the
// next one starts or the line goes quiet. For a protocol whose frames carry no checksum, a weight is
// emitted as stable only once two consecutive frames agree on it (see confirm). It is not safe for
// concurrent use.
type Decoder struct {
	proto    Protocol
	buf      []byte
	in       bool  // a frame has started (its first byte is in buf)
	bad      error // why the frame being read will be dropped
	junk     int   // bytes outside any frame, not yet reported
	afterEOT bool  // an Aclas frame just ended: the byte after it is its status byte, not junk
	last     time.Time
	// held is the stable weight of the frame just before, while confirming: the next frame must agree.
	held    Reading
	holding bool
}

// NewDecoder returns a decoder for p's frames.
func NewDecoder(p Protocol) *Decoder { return &Decoder{proto: p, buf: make([]byte, 0, maxFrame)} }

// Push feeds bytes read at time at. emit is called for each frame, in order, with its reading or with
// the error that dropped it; a frame that only acknowledges a command calls nothing. Push returns how
// many ACK bytes came between frames: a CAS scale's answer to ENQ.
func (d *Decoder) Push(at time.Time, p []byte, emit func(Reading, error)) (acks int) {
	emit = d.confirm(emit)
	d.expire(at, emit)
	for _, b := range p {
		switch d.proto {
		case Stream, SICS:
			d.line(b, emit)
		case Toledo8217, CASPD2:
			d.toledo(b&0x7f, emit) // bit 7 is parity on these 7E1 lines
		default:
			if d.cas(b, emit) {
				acks++
			}
		}
	}
	if len(p) > 0 {
		d.last = at
	}
	return acks
}

// Expire drops a frame whose bytes stopped arriving more than DefaultIdle before now, and reports bytes
// seen outside frames.
func (d *Decoder) Expire(now time.Time, emit func(Reading, error)) {
	d.expire(now, d.confirm(emit))
}

func (d *Decoder) expire(now time.Time, emit func(Reading, error)) {
	if d.in && now.Sub(d.last) > DefaultIdle {
		d.reset()
		emit(Reading{}, ErrIncomplete)
	}
	if !d.in {
		d.reportJunk(emit)
	}
}

// confirm wraps emit so that, for a protocol whose frames carry no checksum (every one but the CAS-type
// frame and its BCC), a stable weight is only emitted as stable when the frame before it was the same
// stable reading: the same grams, net or gross. One corrupted frame that still parses (a digit flipped
// on a line with no checksum) would otherwise sell whatever weight it says. The first frame of a run
// goes out as not yet stable; anything else in between (a different weight, a moving or status frame,
// a dropped frame) starts over.
func (d *Decoder) confirm(emit func(Reading, error)) func(Reading, error) {
	if d.proto.checksummed() {
		return emit
	}
	return func(r Reading, err error) {
		if err != nil || !r.Stable || !r.Weighed {
			d.holding = false
			emit(r, err)
			return
		}
		if !d.holding || r != d.held {
			d.held, d.holding = r, true
			r.Stable = false
		}
		emit(r, nil)
	}
}

func (d *Decoder) reset() {
	d.buf, d.in, d.bad = d.buf[:0], false, nil
}

func (d *Decoder) reportJunk(emit func(Reading, error)) {
	if d.junk > 0 {
		n := d.junk
		d.junk = 0
		emit(Reading{}, fmt.Errorf("%w: %d bytes outside a frame", ErrGarbled, n))
	}
}

func (d *Decoder) add(b byte) {
	if d.bad != nil {
		return
	}
	if len(d.buf) >= maxFrame {
		d.bad = fmt.Errorf("%w: longer than %d bytes", ErrGarbled, maxFrame)
		return
	}
	d.buf = append(d.buf, b)
}

// line frames the text protocols: a line ends at LF, a CR before it is dropped, and an empty line is
// nothing. Any other control byte, or a byte that is not ASCII, spoils the line.
func (d *Decoder) line(b byte, emit func(Reading, error)) {
	switch {
	case b == lf:
		d.finishLine(emit)
		return
	case b == cr:
		return
	case b < 0x20 || b > 0x7e:
		if d.bad == nil {
			d.bad = fmt.Errorf("%w: control or non-ASCII byte %#02x", ErrGarbled, b)
		}
	}
	d.in = true
	d.add(b)
}

func (d *Decoder) finishLine(emit func(Reading, error)) {
	line, bad, started := d.buf, d.bad, d.in
	defer d.reset()
	switch {
	case !started:
		return
	case bad != nil:
		emit(Reading{}, bad)
		return
	}
	if d.proto == SICS {
		r, ok, err := ParseSICS(line)
		if ok || err != nil {
			emit(r, err)
		}
		return
	}
	emit(ParseStream(line))
}

// toledo frames STX … CR replies. CR and LF between replies are nothing; other bytes there are junk.
func (d *Decoder) toledo(b byte, emit func(Reading, error)) {
	switch {
	case b == stx:
		if d.in {
			d.reset()
			emit(Reading{}, ErrIncomplete)
		}
		d.reportJunk(emit)
		d.in = true
	case !d.in:
		if b != cr && b != lf {
			d.junk++
		}
	case b == cr:
		body := d.buf
		defer d.reset()
		if d.proto == CASPD2 {
			emit(ParseCASPD2(body))
		} else {
			emit(ParseToledo(body))
		}
	default:
		d.add(b)
		if d.bad != nil { // too long: whatever follows up to the next STX is junk
			emit(Reading{}, d.bad)
			d.reset()
		}
	}
}

// cas frames SOH … ETX EOT and reports whether b was an ACK between frames. SOH inside a frame is not
// a new frame (the checksum byte may be 0x01); a frame that fails to parse is parsed again from its
// last SOH STX, so half a frame cannot take the whole one after it down with it.
func (d *Decoder) cas(b byte, emit func(Reading, error)) bool {
	if !d.in {
		afterEOT := d.afterEOT
		d.afterEOT = false
		switch {
		case b == soh:
			d.reportJunk(emit)
			d.in = true
			d.add(b)
		case b == ack:
			return true
		case afterEOT && d.proto == Aclas:
			// the OS2X's Flag2 status byte
		default:
			d.junk++
		}
		return false
	}
	d.add(b)
	if d.bad != nil { // too long: whatever follows up to the next SOH is junk
		emit(Reading{}, d.bad)
		d.reset()
		return false
	}
	if b != eot || len(d.buf) < 2 || d.buf[len(d.buf)-2] != etx {
		return false
	}
	frame := d.buf
	defer func() {
		d.reset()
		d.afterEOT = true
	}()
	r, err := ParseCAS(frame)
	if err != nil {
		if i := bytes.LastIndex(frame, []byte{soh, stx}); i > 0 {
			emit(Reading{}, ErrIncomplete)
			r, err = ParseCAS(frame[i:])
		}
	}
	emit(r, err)
	return false
}
