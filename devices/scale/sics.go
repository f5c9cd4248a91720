package scale

import (
	"bytes"
	"fmt"
)

// ParseSICS reads one reply line of a Mettler Toledo MT-SICS scale (level 0/1), without its CR LF. A
// weight reply gives a reading (ok); a command's acknowledgement (a tare taken, zero set) gives ok false
// and no error; a refusal is an error wrapping ErrRefused.
//
// Source: METTLER TOLEDO "Standard Interface Command Set MT-SICS" reference manual (§3.2 response
// formats, §4.1 level 0): S and SI reply "S S <weight> <unit>" (stable) or "S D …" (dynamic), the
// weight right-aligned in 10 characters; "S I" the command cannot be executed now, "S +" overload,
// "S -" underload; T replies "T S <tare> <unit>" and Z replies "Z A", each with I, + or - when refused;
// ES, ET and EL are the syntax, transmission and logical errors.
func ParseSICS(line []byte) (r Reading, ok bool, err error) {
	fields := bytes.Fields(line)
	if len(fields) == 1 {
		switch string(fields[0]) {
		case "ES", "ET", "EL":
			return Reading{}, false, fmt.Errorf("%w: %s", ErrRefused, fields[0])
		}
	}
	if len(fields) < 2 || len(fields[0]) > 2 || len(fields[1]) != 1 {
		return Reading{}, false, fmt.Errorf("%w: %q is not an MT-SICS reply", ErrGarbled, line)
	}
	cmd, status := string(fields[0]), fields[1][0]
	switch cmd {
	case "S", "SI":
	case "T", "TI", "Z", "ZI":
		if status == 'S' && cmd[0] == 'T' || status == 'A' && cmd[0] == 'Z' {
			return Reading{}, false, nil
		}
		if status == 'I' || status == '+' || status == '-' {
			return Reading{}, false, fmt.Errorf("%w: %s %c", ErrRefused, cmd, status)
		}
		return Reading{}, false, fmt.Errorf("%w: %q", ErrGarbled, line)
	default:
		return Reading{}, false, fmt.Errorf("%w: %q is not an MT-SICS reply", ErrGarbled, line)
	}
	switch status {
	case '+':
		return Reading{Overload: true}, true, nil
	case '-':
		return Reading{Underload: true}, true, nil
	case 'I':
		return Reading{}, false, fmt.Errorf("%w: S I (the scale cannot weigh now)", ErrRefused)
	case 'S':
		r.Stable = true
	case 'D':
	default:
		return Reading{}, false, fmt.Errorf("%w: status %q", ErrGarbled, status)
	}
	if len(fields) != 4 {
		return Reading{}, false, fmt.Errorf("%w: %q: want S S|D <weight> <unit>", ErrGarbled, line)
	}
	number, negative := fields[2], false
	if number[0] == '-' || number[0] == '+' {
		negative, number = number[0] == '-', number[1:]
	}
	g, err := toGrams(string(number), string(fields[3]), negative)
	if err != nil {
		return Reading{}, false, err
	}
	r.Grams, r.Weighed, r.Zero = g, true, g == 0
	return r, true, nil
}
