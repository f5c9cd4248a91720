package scale

import (
	"errors"
	"testing"
)

// The frames below are written byte for byte as the sources show them (see each parser's comment); the
// CAS-type frames' BCC bytes were computed by hand (XOR from STA to the unit) and are checked here too.

type parseCase struct {
	frame string
	want  Reading
	err   error // nil: want is read
}

var streamCases = []parseCase{
	{"ST,GS,+001.234kg", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"US,GS,+001.230kg", Reading{Grams: 1230, Weighed: true}, nil},
	{"ST,NT,+  0.512 kg", Reading{Grams: 512, Weighed: true, Stable: true, Net: true}, nil},
	{"ST,GS,-000.015kg", Reading{Grams: -15, Weighed: true, Stable: true}, nil},
	{"ST,GS,+000.000kg", Reading{Weighed: true, Stable: true, Zero: true}, nil},
	{"ST,GS,+   1234  g", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"ST,G ,+  1.234 kg", Reading{Grams: 1234, Weighed: true, Stable: true}, nil}, // Excell's one-letter HEAD2
	{"OL,GS,+            ", Reading{Overload: true}, nil},
	{"OL,GS,-            ", Reading{Underload: true}, nil},
	{"ST,GS,+ 123.456   g", Reading{}, ErrPrecision}, // jswjk's gross example: to the milligram
	{"US,GS,+0123.456  lb", Reading{}, ErrUnit},      // jswjk's unstable example: pounds
	{"ST,GS,+0123456", Reading{}, ErrUnit},           // AutoDA: no unit
	{"ST,TR,+012.3456  kg", Reading{}, ErrGarbled},   // the tare on display, not a weight
	{"XX,GS,+001.234kg", Reading{}, ErrGarbled},
	{"ST,GS,+00a.234kg", Reading{}, ErrGarbled},
	{"ST,GS,+0 1.234kg", Reading{}, ErrGarbled},
	{"ST,GS", Reading{}, ErrGarbled},
	{"", Reading{}, ErrGarbled},
}

func TestParseStream(t *testing.T) {
	for _, tt := range streamCases {
		got, err := ParseStream([]byte(tt.frame))
		check(t, tt, got, err)
	}
}

var sicsCases = []parseCase{
	{"S S      1.234 kg", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"S D      1.230 kg", Reading{Grams: 1230, Weighed: true}, nil},
	{"S S     100.00 g", Reading{Grams: 100, Weighed: true, Stable: true}, nil}, // the reference manual's S example
	{"S S     -0.005 kg", Reading{Grams: -5, Weighed: true, Stable: true}, nil},
	{"S S      0.000 kg", Reading{Weighed: true, Stable: true, Zero: true}, nil},
	{"S +", Reading{Overload: true}, nil},
	{"S -", Reading{Underload: true}, nil},
	{"S I", Reading{}, ErrRefused},
	{"ES", Reading{}, ErrRefused},
	{"ET", Reading{}, ErrRefused},
	{"EL", Reading{}, ErrRefused},
	{"Z I", Reading{}, ErrRefused},
	{"T +", Reading{}, ErrRefused},
	{"S S      1.2345 kg", Reading{}, ErrPrecision},
	{"S S      2.000 lb", Reading{}, ErrUnit},
	{"S X      1.234 kg", Reading{}, ErrGarbled},
	{"S S      1.234", Reading{}, ErrGarbled},
	{"Q S      1.234 kg", Reading{}, ErrGarbled},
}

func TestParseSICS(t *testing.T) {
	for _, tt := range sicsCases {
		got, ok, err := ParseSICS([]byte(tt.frame))
		if err == nil && !ok {
			t.Errorf("%q: no reading and no error", tt.frame)
		}
		check(t, tt, got, err)
	}
	// Acknowledgements of T and Z are neither readings nor errors.
	for _, ackd := range []string{"Z A", "T S      0.120 kg"} {
		if _, ok, err := ParseSICS([]byte(ackd)); ok || err != nil {
			t.Errorf("%q: ok %v, err %v; want an acknowledgement", ackd, ok, err)
		}
	}
}

var toledoCases = []parseCase{
	{"01.234", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"00.455N", Reading{Grams: 455, Weighed: true, Stable: true, Net: true}, nil},
	{"00.000", Reading{Weighed: true, Stable: true, Zero: true}, nil},
	{"?a", Reading{}, nil},                              // 0x61: in motion (bits 5 and 6 are always 1)
	{"?b", Reading{Stable: true, Overload: true}, nil},  // 0x62: over capacity
	{"?d", Reading{Stable: true, Underload: true}, nil}, // 0x64: under zero
	{"?\xe5", Reading{Underload: true}, nil},            // parity bit set: motion and under zero
	{"?h", Reading{Stable: true}, nil},                  // 0x68: outside the zero capture range: no weight
	{"?`", Reading{Stable: true}, nil},                  // 0x60: nothing flagged, still no weight
	{"?p", Reading{Stable: true, Zero: true}, nil},      // 0x70: centre of zero
	{"01.23", Reading{}, ErrUnit},                       // two decimals: pounds
	{"01234", Reading{}, ErrGarbled},                    // no point: not 8217
	{"0a.234", Reading{}, ErrGarbled},
	{"", Reading{}, ErrGarbled},
}

func TestParseToledo(t *testing.T) {
	for _, tt := range toledoCases {
		got, err := ParseToledo([]byte(tt.frame))
		check(t, tt, got, err)
	}
}

var pd2Cases = []parseCase{
	{"01234", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"00455", Reading{Grams: 455, Weighed: true, Stable: true}, nil},
	{"1.234", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"?a", Reading{}, nil},
	{"0x234", Reading{}, ErrGarbled},
}

func TestParseCASPD2(t *testing.T) {
	for _, tt := range pd2Cases {
		got, err := ParseCASPD2([]byte(tt.frame))
		check(t, tt, got, err)
	}
}

var casCases = []parseCase{
	{"\x01\x02S 01.234kg\x65\x03\x04", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"\x01\x02U 01.230kg\x67\x03\x04", Reading{Grams: 1230, Weighed: true}, nil},
	{"\x01\x02S-00.015kg\x68\x03\x04", Reading{Grams: -15, Weighed: true, Stable: true}, nil},
	{"\x01\x02S 00.000kg\x61\x03\x04", Reading{Weighed: true, Stable: true, Zero: true}, nil},
	{"\x01\x02S  1234 g\x10\x03\x04", Reading{Grams: 1234, Weighed: true, Stable: true}, nil},
	{"\x01\x02S 02.468SJ\x7c\x03\x04", Reading{Grams: 1234, Weighed: true, Stable: true}, nil}, // 2.468 斤
	{"\x01\x02S 01.234kg\x66\x03\x04", Reading{Grams: 1234, Weighed: true, Stable: true}, nil}, // OS2X's checksum from SOH
	{"\x01\x02FFFFFFFFkg\x0c\x03\x04", Reading{Overload: true}, nil},
	{"\x01\x02S 02.000LB\x61\x03\x04", Reading{}, ErrUnit},
	{"\x01\x02S 1.2345kg\x60\x03\x04", Reading{}, ErrPrecision},
	{"\x01\x02S 01.234kg\x64\x03\x04", Reading{}, ErrChecksum},
	{"\x01\x02S 01.235kg\x65\x03\x04", Reading{}, ErrChecksum}, // one digit changed on the line
	{"\x01\x02S 01.234kg\x65\x03", Reading{}, ErrGarbled},
	{"\x02S 01.234kg\x65\x03\x04", Reading{}, ErrGarbled},
}

func TestParseCAS(t *testing.T) {
	for _, tt := range casCases {
		got, err := ParseCAS([]byte(tt.frame))
		check(t, tt, got, err)
	}
	// The hand-computed BCC bytes above are the XOR from STA to the unit.
	for _, tt := range casCases[:6] {
		f := []byte(tt.frame)
		if bcc := xor(f[2 : len(f)-3]); bcc != f[len(f)-3] {
			t.Errorf("%q: BCC %#02x, XOR %#02x", tt.frame, f[len(f)-3], bcc)
		}
	}
}

func xor(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

func check(t *testing.T, tt parseCase, got Reading, err error) {
	t.Helper()
	if tt.err != nil {
		if !errors.Is(err, tt.err) {
			t.Errorf("%q: got %#v, %v; want error %v", tt.frame, got, err, tt.err)
		}
		if got != (Reading{}) {
			t.Errorf("%q: error %v with a reading %+v", tt.frame, err, got)
		}
		return
	}
	if err != nil || got != tt.want {
		t.Errorf("%q: got %#v, %v; want %#v", tt.frame, got, err, tt.want)
	}
}

func TestToGramsIsExact(t *testing.T) {
	for _, tt := range []struct {
		number, unit string
		want         int64
		err          error
	}{
		{"1.234", "kg", 1234, nil}, {"0.5", "kg", 500, nil}, {"12", "kg", 12000, nil}, {"1.2340", "kg", 1234, nil},
		{"1234", "g", 1234, nil}, {"1234.0", "g", 1234, nil}, {"1234.5", "g", 0, ErrPrecision},
		{"1.001", "SJ", 0, ErrPrecision}, {"1.002", "sj", 501, nil}, {"1", "lb", 0, ErrUnit}, {"1", "", 0, ErrUnit},
		{"999999999999", "kg", 999999999999000, nil}, {"9999999999999", "kg", 0, ErrGarbled}, {".", "kg", 0, ErrGarbled},
		{"1.2.3", "kg", 0, ErrGarbled}, {"-1", "kg", 0, ErrGarbled},
	} {
		got, err := toGrams(tt.number, tt.unit, false)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s %s: %d, %v; want %d, %v", tt.number, tt.unit, got, err, tt.want, tt.err)
		}
	}
}
