package scale

import (
	"bytes"
	"fmt"
)

// ParseStream reads one line of the common continuous output that many counter and bench scales and
// weighing indicators send several times a second (CAS, A&D, Excell and the Chinese indicators that copy
// them), without its CR LF:
//
//	ST,GS,+001.234kg    stable, gross, 1.234 kg
//	US,NT,+  0.512 kg   unstable (in motion), net
//	OL,GS,+             over capacity; "OL,GS,-" is the negative overload, read as underload
//
// The layout is two status fields and a comma each, then the sign, the weight (digits, a point, spaces
// padding it) and the unit. Sources: the Excell AM4 manual's "RS232 data format" (HEAD1 OL/ST/US, HEAD2
// N/G, 7–8 data bytes, 2–4 unit bytes, CR LF) and a Chinese indicator's RS232 page (jswjk.com "計重秤RS232
// 格式": ST,GS / ST,NT / ST,TR / OL,GS,± / US,GS). Unsure: some indicators send the weight without a unit
// (AutoDA AD2017D: "ST,GS,+0123456"); such a line is refused (ErrUnit), since its grams cannot be known. A
// TR line shows the tare, not the load, and is refused as not a weight.
func ParseStream(line []byte) (Reading, error) {
	parts := bytes.SplitN(line, []byte(","), 3)
	if len(parts) != 3 || len(parts[0]) != 2 || len(bytes.TrimSpace(parts[1])) != 2 && len(bytes.TrimSpace(parts[1])) != 1 {
		return Reading{}, fmt.Errorf("%w: %q is not STATUS,MODE,WEIGHT", ErrGarbled, line)
	}
	var r Reading
	switch mode := string(bytes.TrimSpace(parts[1])); mode {
	case "GS", "G":
	case "NT", "N":
		r.Net = true
	case "TR":
		return Reading{}, fmt.Errorf("%w: a tare display (TR), not a weight", ErrGarbled)
	default:
		return Reading{}, fmt.Errorf("%w: mode %q", ErrGarbled, mode)
	}
	rest := bytes.TrimLeft(parts[2], " ")
	negative := false
	if len(rest) > 0 && (rest[0] == '+' || rest[0] == '-') {
		negative = rest[0] == '-'
		rest = rest[1:]
	}
	switch string(parts[0]) {
	case "OL":
		// Overload lines carry no weight (the Excell and jswjk pages show blanks).
		if negative {
			r.Underload = true
		} else {
			r.Overload = true
		}
		return r, nil
	case "ST":
		r.Stable = true
	case "US":
	default:
		return Reading{}, fmt.Errorf("%w: status %q", ErrGarbled, parts[0])
	}
	// The weight runs to the first letter; the unit is the letters after it.
	i := bytes.IndexFunc(rest, func(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' })
	if i < 0 {
		return Reading{}, fmt.Errorf("%w: no unit after %q", ErrUnit, rest)
	}
	number, unit := bytes.TrimRight(rest[:i], " "), rest[i:]
	for _, c := range unit {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == ' ') {
			return Reading{}, fmt.Errorf("%w: unit %q", ErrGarbled, unit)
		}
	}
	g, err := toGrams(string(number), string(unit), negative)
	if err != nil {
		return Reading{}, err
	}
	r.Grams, r.Weighed, r.Zero = g, true, g == 0
	return r, nil
}
