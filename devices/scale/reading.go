// Package scale reads counter scales on serial ports. Pure parsers turn each protocol's frames into a
// Reading in whole grams; a Decoder cuts a port's byte stream into frames; Scale keeps the port open
// across unplugging, asks the scales that must be asked, and reports readings and its status as events.
package scale

import (
	"errors"
	"fmt"
	"strings"
)

// Reading is what the scale displayed when it sent a frame.
type Reading struct {
	// Grams is the displayed weight in whole grams, negative below zero. It is 0 when Weighed is false.
	Grams int64
	// Weighed: the frame carried a weight. A Toledo status record, an overload or an underload carries none.
	Weighed bool
	// Stable: the scale says the weight has settled (not in motion). Only a stable weight may be sold.
	// From a Decoder, for a protocol without a frame checksum, the frame before said the same stable
	// weight too.
	Stable bool
	// Overload: over the scale's capacity; Underload: under its zero range (below zero).
	Overload, Underload bool
	// Net: a tare is subtracted, so Grams is the net weight (as far as the protocol says so).
	Net bool
	// Zero: the scale reports it is at (the centre of) zero.
	Zero bool
}

// Frame errors: every dropped frame wraps one, so a caller can count and show why.
var (
	ErrGarbled    = errors.New("garbled frame")
	ErrChecksum   = errors.New("frame checksum does not match")
	ErrIncomplete = errors.New("incomplete frame: the rest never arrived")
	// ErrUnit: the weight is in a unit that does not convert to whole grams exactly (pounds, ounces,
	// Taiwanese catties). The till sells by the gram, so such a scale must be set to kg or g.
	ErrUnit = errors.New("weight unit does not convert exactly to grams")
	// ErrPrecision: the weight has digits finer than a gram that are not zero (1.2345 kg).
	ErrPrecision = errors.New("weight finer than a gram")
	// ErrRefused: the scale answered that it cannot do what it was asked (MT-SICS "S I", "ES", "Z I", …).
	ErrRefused = errors.New("the scale refused the request")
)

// gramsPer is how many grams one of each unit the scales send is; a unit missing here is refused. A
// pound is 453.59237 g exactly, so a pound reading to 0.01 lb is never whole grams: pounds are refused
// rather than rounded (ErrUnit). 市斤 (jin, "SJ" on CAS-type frames) is 500 g exactly.
var gramsPer = map[string]int64{"kg": 1000, "g": 1, "sj": 500}

// maxDigits bounds a weight's digits so the arithmetic below cannot overflow int64.
const maxDigits = 12

// toGrams converts a displayed number ("001.234", " 12.5", "1234") in unit to whole grams, exactly.
// negative says the sign was minus.
func toGrams(number, unit string, negative bool) (int64, error) {
	number = strings.TrimLeft(number, " ")
	if number == "" {
		return 0, fmt.Errorf("%w: no weight digits", ErrGarbled)
	}
	per, ok := gramsPer[strings.ToLower(strings.TrimSpace(unit))]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnit, strings.TrimSpace(unit))
	}
	whole, frac, dotted := strings.Cut(number, ".")
	if whole == "" && frac == "" || len(whole)+len(frac) > maxDigits || dotted && strings.Contains(frac, ".") {
		return 0, fmt.Errorf("%w: weight %q", ErrGarbled, number)
	}
	var w, f int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: weight %q", ErrGarbled, number)
		}
		w = w*10 + int64(c-'0')
	}
	scale := int64(1)
	for _, c := range frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: weight %q", ErrGarbled, number)
		}
		f = f*10 + int64(c-'0')
		scale *= 10
	}
	// whole·per + frac·per/scale grams, which must come out whole.
	if f*per%scale != 0 {
		return 0, fmt.Errorf("%w: %s %s", ErrPrecision, number, strings.TrimSpace(unit))
	}
	g := w*per + f*per/scale
	if negative {
		g = -g
	}
	return g, nil
}

// String shows a reading as the till's logs and the devices screen do: "1.234 kg stable".
func (r Reading) String() string {
	var state string
	switch {
	case r.Overload:
		return "overload"
	case r.Underload:
		return "underload"
	case !r.Weighed:
		state = "no weight"
	default:
		state = FormatKg(r.Grams)
	}
	if r.Stable {
		state += " stable"
	} else {
		state += " moving"
	}
	if r.Net {
		state += " net"
	}
	return state
}

// FormatKg writes grams as kilograms with three decimals: 1234 → "1.234 kg", -5 → "-0.005 kg".
func FormatKg(grams int64) string {
	sign := ""
	if grams < 0 {
		sign, grams = "-", -grams
	}
	return fmt.Sprintf("%s%d.%03d kg", sign, grams/1000, grams%1000)
}
