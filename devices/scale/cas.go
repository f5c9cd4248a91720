package scale

import (
	"bytes"
	"fmt"
)

// Control bytes of the CAS ECR exchange and frame.
const (
	soh = 0x01
	stx = 0x02
	etx = 0x03
	eot = 0x04
	enq = 0x05
	ack = 0x06
	cr  = '\r'
	lf  = '\n'
	dc1 = 0x11
)

// ParseCAS reads one CAS-type weight frame, from SOH to EOT:
//
//	SOH STX STA SIGN W…W UNIT BCC ETX EOT
//
// STA is 'S' stable, 'U' unstable or 'F' (over capacity; on an Aclas OS2X also "not zeroed since power
// on"); SIGN is '-' or a space; W…W the weight in ASCII with its point (5 or 6 bytes); UNIT "kg", "g",
// "lb", "SJ" (市斤), … (1 or 2 bytes); BCC the XOR of the bytes from STA to the unit.
//
// The same frame is sent by CAS scales asked with ENQ, ACK, DC1 (the "CAS" ECR protocol: Mertech's
// CAS-M page, r_keeper's s_cas driver notes, the Gram ZFOC manual) and, ten times a second unasked, by
// 顶尖 Aclas / Pinnacle OS2X counter scales ("send communication protocol actively", OS2X manual §13).
// Unsure: the OS2X manual says the checksum covers the 12 bytes before it, which would include SOH and
// STX, while the CAS sources start it at STA; both are accepted (they differ by SOH^STX). The OS2X's
// second status byte (Flag2), listed after the tail, is not read: its place in the frame is unclear.
func ParseCAS(frame []byte) (Reading, error) {
	if len(frame) < 11 || frame[0] != soh || frame[1] != stx || frame[len(frame)-2] != etx || frame[len(frame)-1] != eot {
		return Reading{}, fmt.Errorf("%w: %q is not SOH STX … ETX EOT", ErrGarbled, frame)
	}
	body := frame[2 : len(frame)-3] // STA … unit
	bcc := frame[len(frame)-3]
	var x byte
	for _, b := range body {
		x ^= b
	}
	if bcc != x && bcc != x^soh^stx {
		return Reading{}, fmt.Errorf("%w: BCC %#02x, computed %#02x", ErrChecksum, bcc, x)
	}
	sta, sign, rest := body[0], body[1], body[2:]
	var r Reading
	switch {
	case sta == 'F' || sign == 'F':
		return Reading{Overload: true}, nil
	case sta == 'S':
		r.Stable = true
	case sta == 'U':
	default:
		return Reading{}, fmt.Errorf("%w: status %q", ErrGarbled, sta)
	}
	if sign != ' ' && sign != '-' && sign != '+' {
		return Reading{}, fmt.Errorf("%w: sign %q", ErrGarbled, sign)
	}
	i := bytes.IndexFunc(rest, func(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' })
	if i < 1 || len(rest)-i > 2 {
		return Reading{}, fmt.Errorf("%w: weight and unit %q", ErrGarbled, rest)
	}
	g, err := toGrams(string(bytes.TrimRight(rest[:i], " ")), string(rest[i:]), sign == '-')
	if err != nil {
		return Reading{}, err
	}
	r.Grams, r.Weighed, r.Zero = g, true, g == 0
	return r, nil
}
