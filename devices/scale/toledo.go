package scale

import (
	"bytes"
	"fmt"
	"strings"
)

// Toledo status byte bits, after the '?' of a status record. Sources: Datalogic Magellan/METTLER TOLEDO
// DIVA service manual §6.1.3 (8217 mode: "STX?status byte CR" when the scale is in motion, negative or
// over capacity), and the Toledo 8213 status record in the Transcell PC-150 manual (figure B-4) and the
// Brecknell 67xxU manual (table 7.8), which agree on bits 0–4. Bits 5 and 6 are "always 1" there, while
// Odoo's 8217 driver reads bit 5 as net weight: they are ignored. Bit 7 is parity on a 7E1 line.
const (
	toledoMotion      = 1 << 0
	toledoOver        = 1 << 1
	toledoUnderZero   = 1 << 2
	toledoOutsideZero = 1 << 3 // outside the zero capture range: no weight either
	toledoCenterZero  = 1 << 4
)

// ParseToledo reads one reply of a METTLER TOLEDO 8217-protocol scale to the weight request "W": the
// bytes between STX and CR. A weight is sent as "WW.WWW" kilograms ("0.455", with leading zeros, never
// negative), "WW.WWWN" when net; "WW.WW" is pounds (DIVA manual §6.1.3.2) and is refused (ErrUnit). When
// the weight is not valid the scale sends '?' and a status byte instead.
func ParseToledo(body []byte) (Reading, error) {
	return parseToledo(body, false)
}

// ParseCASPD2 reads one reply of a CAS PD-II set to ECR type 2 to the weight request "W": the bytes
// between STX and CR. Source: the kortoaus/cas-scale driver (tested on a PD-II in ECR type 2, 9600 7E1),
// which reads five characters after STX as thousandths of a kilogram and a '?' after STX as a failed
// reading. Unsure: whether the PD-II ever sends a decimal point, and what its status byte's bits are; a
// reply with a point is read as kilograms, and the status byte as Toledo's (the PD-II's ECR type 2 is
// described as Toledo-compatible).
func ParseCASPD2(body []byte) (Reading, error) {
	return parseToledo(body, true)
}

func parseToledo(body []byte, digitsAreGrams bool) (Reading, error) {
	if len(body) == 2 && body[0] == '?' {
		s := body[1] & 0x7f
		return Reading{Stable: s&toledoMotion == 0, Overload: s&toledoOver != 0, Underload: s&toledoUnderZero != 0,
			Zero: s&toledoCenterZero != 0}, nil
	}
	var r Reading
	if n, ok := bytes.CutSuffix(body, []byte("N")); ok {
		body, r.Net = n, true
	}
	number := strings.TrimLeft(string(body), " ")
	whole, frac, dotted := strings.Cut(number, ".")
	unit := "kg"
	switch {
	case !dotted && digitsAreGrams:
		unit = "g"
	case !dotted || len(frac) != 3 && len(frac) != 2 || len(whole) == 0:
		return Reading{}, fmt.Errorf("%w: %q is not a Toledo weight", ErrGarbled, body)
	case len(frac) == 2 && !digitsAreGrams:
		return Reading{}, fmt.Errorf("%w: %q is pounds (two decimals)", ErrUnit, body)
	}
	g, err := toGrams(number, unit, false)
	if err != nil {
		return Reading{}, err
	}
	r.Grams, r.Weighed, r.Stable, r.Zero = g, true, true, g == 0 // a weight is only sent when it is valid
	return r, nil
}
