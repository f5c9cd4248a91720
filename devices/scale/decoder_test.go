package scale

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// got is what a decoder emitted: readings, and errors by sentinel.
type got struct {
	readings []Reading
	errs     []error
}

func (g *got) emit(r Reading, err error) {
	if err != nil {
		if r != (Reading{}) {
			panic("a reading with an error")
		}
		g.errs = append(g.errs, err)
		return
	}
	g.readings = append(g.readings, r)
}

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// feed pushes each chunk 1 ms after the one before, as reads come off a port.
func feed(d *Decoder, g *got, chunks ...string) (acks int) {
	at := t0
	for _, c := range chunks {
		acks += d.Push(at, []byte(c), g.emit)
		at = at.Add(time.Millisecond)
	}
	return acks
}

func grams(rs []Reading) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.Grams)
	}
	return out
}

func sameGrams(a []int64, b ...int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecoderSplitsAndJoinsReads(t *testing.T) {
	for _, tt := range []struct {
		proto  Protocol
		chunks []string
		want   []int64
	}{
		{Stream, []string{"ST,GS,+001.2", "34kg\r\nUS,GS,+000.5", "00kg\r\nST,GS,+000.500kg\r\n"}, []int64{1234, 500, 500}},
		{SICS, []string{"S D      0.4", "98 kg\r\nS S      0.500 kg\r", "\n"}, []int64{498, 500}},
		{Toledo8217, []string{"\x0201.", "234\r\x0200.455\r"}, []int64{1234, 455}},
		{CASPD2, []string{"\x0201234\r", "\x02", "00455", "\r"}, []int64{1234, 455}},
		{CAS, []string{"\x01\x02S 01.2", "34kg\x65\x03", "\x04\x01\x02U 01.230kg\x67\x03\x04"}, []int64{1234, 1230}},
		{Aclas, []string{"\x01\x02S 01.234kg\x65\x03\x04\x30", "\x01\x02U 01.230kg\x67\x03\x04\x20"}, []int64{1234, 1230}},
	} {
		var g got
		feed(NewDecoder(tt.proto), &g, tt.chunks...)
		if !sameGrams(grams(g.readings), tt.want...) || len(g.errs) != 0 {
			t.Errorf("%v: readings %v, errors %v; want %v", tt.proto, grams(g.readings), g.errs, tt.want)
		}
	}
}

// Garbage between or inside frames is one error and changes nothing: the next good frame reads.
func TestDecoderDropsGarbageAndResyncs(t *testing.T) {
	for _, tt := range []struct {
		proto  Protocol
		chunks []string
		errs   []error
		want   []int64
	}{
		{Stream, []string{"\x00\x00\xff", "ST,GS,+001.234kg\r\n", "ST,GS,+001.234kg\r\n"}, []error{ErrGarbled}, []int64{1234}}, // NUL glued to a line spoils it…
		{Stream, []string{"\x00\x00\r\n", "ST,GS,+001.234kg\r\n"}, []error{ErrGarbled}, []int64{1234}},                         // …and a line of noise is one error
		{Stream, []string{"ST,GS,+00", "1.234kg\r\n" + strings.Repeat("x", 200) + "\n", "ST,GS,+000.100kg\n"}, []error{ErrGarbled}, []int64{1234, 100}},
		{SICS, []string{"S S  \x00   1.234 kg\r\n", "S S      1.234 kg\r\n"}, []error{ErrGarbled}, []int64{1234}},
		{Toledo8217, []string{"\xfe\x00ab", "\x0201.234\r"}, []error{ErrGarbled}, []int64{1234}},
		{Toledo8217, []string{"\x0201.2", "\x0201.234\r"}, []error{ErrIncomplete}, []int64{1234}}, // half a reply, then a whole one
		{CAS, []string{"\x01\x02S 01.2", "\x01\x02S 01.234kg\x65\x03\x04"}, []error{ErrIncomplete}, []int64{1234}},
		{CAS, []string{"zz\x00", "\x01\x02S 01.234kg\x65\x03\x04"}, []error{ErrGarbled}, []int64{1234}},
		{CAS, []string{"\x01\x02S 01.234kg\x00\x03\x04", "\x01\x02S 01.234kg\x65\x03\x04"}, []error{ErrChecksum}, []int64{1234}},
		{Aclas, []string{"\x01" + strings.Repeat("\x02", 100) + "\x03\x04", "\x01\x02S 01.234kg\x65\x03\x04"}, []error{ErrGarbled, ErrGarbled}, []int64{1234}}, // too long, then junk to the next SOH
		{Toledo8217, []string{"\x02" + strings.Repeat("1", 100) + "\r", "\x0201.234\r"}, []error{ErrGarbled, ErrGarbled}, []int64{1234}},
	} {
		var g got
		feed(NewDecoder(tt.proto), &g, tt.chunks...)
		if !sameGrams(grams(g.readings), tt.want...) || len(g.errs) != len(tt.errs) {
			t.Errorf("%v %q: readings %v, errors %v; want %v and %v", tt.proto, tt.chunks, grams(g.readings), g.errs, tt.want, tt.errs)
			continue
		}
		for i := range tt.errs {
			if !errors.Is(g.errs[i], tt.errs[i]) {
				t.Errorf("%v %q: error %v, want %v", tt.proto, tt.chunks, g.errs[i], tt.errs[i])
			}
		}
	}
}

func TestDecoderExpiresAHalfFrame(t *testing.T) {
	d := NewDecoder(Toledo8217)
	var g got
	d.Push(t0, []byte("\x0201.2"), g.emit)
	d.Expire(t0.Add(DefaultIdle/2), g.emit)
	if len(g.errs) != 0 {
		t.Fatalf("expired early: %v", g.errs)
	}
	d.Expire(t0.Add(DefaultIdle+time.Millisecond), g.emit)
	if len(g.errs) != 1 || !errors.Is(g.errs[0], ErrIncomplete) {
		t.Fatalf("errors %v, want one incomplete frame", g.errs)
	}
	// The rest arriving late is not glued to the first half.
	d.Push(t0.Add(time.Second), []byte("34\r\x0201.234\r"), g.emit)
	if !sameGrams(grams(g.readings), 1234) || len(g.errs) != 2 {
		t.Fatalf("readings %v, errors %v", grams(g.readings), g.errs)
	}
}

func TestDecoderCountsCASAcks(t *testing.T) {
	var g got
	if acks := feed(NewDecoder(CAS), &g, "\x06", "\x01\x02S 01.234kg\x65\x03\x04\x06"); acks != 2 || len(g.readings) != 1 {
		t.Fatalf("acks %d, readings %v", acks, g.readings)
	}
}

// Random bytes never make a reading that a frame did not hold, and never panic; every byte is
// accounted for by an error or a reading.
func TestDecoderRandomBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for p := Stream; p <= Aclas; p++ {
		d := NewDecoder(p)
		var g got
		at := t0
		for range 2000 {
			chunk := make([]byte, rng.IntN(40))
			for i := range chunk {
				chunk[i] = byte(rng.UintN(256))
			}
			d.Push(at, chunk, g.emit)
			at = at.Add(time.Duration(rng.IntN(400)) * time.Millisecond)
		}
		d.Expire(at.Add(time.Hour), g.emit)
		if len(g.errs) == 0 {
			t.Errorf("%v: 2000 chunks of noise and no error", p)
		}
		for _, r := range g.readings {
			if r.Weighed && r.Stable && r.Grams > 0 {
				t.Errorf("%v: noise read as a sellable weight %+v", p, r)
			}
		}
	}
}

func FuzzDecoder(f *testing.F) {
	for _, cases := range [][]parseCase{streamCases, sicsCases} {
		for _, tt := range cases {
			f.Add(uint8(Stream), tt.frame+"\r\n")
		}
	}
	for _, tt := range toledoCases {
		f.Add(uint8(Toledo8217), "\x02"+tt.frame+"\r")
	}
	for _, tt := range casCases {
		f.Add(uint8(CAS), tt.frame)
	}
	f.Fuzz(func(t *testing.T, proto uint8, data string) {
		d := NewDecoder(Protocol(proto % uint8(len(protocolNames))))
		d.Push(t0, []byte(data), func(r Reading, err error) {
			if err != nil && r != (Reading{}) {
				t.Fatalf("%q: reading %+v with error %v", data, r, err)
			}
			if err != nil && !errors.Is(err, ErrGarbled) && !errors.Is(err, ErrChecksum) && !errors.Is(err, ErrIncomplete) &&
				!errors.Is(err, ErrUnit) && !errors.Is(err, ErrPrecision) && !errors.Is(err, ErrRefused) {
				t.Fatalf("%q: error %v wraps no sentinel", data, err)
			}
			if r.Weighed && (r.Overload || r.Underload) {
				t.Fatalf("%q: a weight and an overload: %+v", data, r)
			}
		})
	})
}

// stableGrams lists the weights emitted as stable.
func stableGrams(rs []Reading) []int64 {
	var out []int64
	for _, r := range rs {
		if r.Stable && r.Weighed {
			out = append(out, r.Grams)
		}
	}
	return out
}

// A frame with no checksum may be corrupted into another weight that still parses: one stable frame
// alone sells nothing, the next frame must say the same. 0.455 kg corrupted to 0.855 kg, before, among
// and after the good frames, is never a stable weight; the good one is, from its second frame on.
func TestDecoderConfirmsStableWeightWithoutChecksum(t *testing.T) {
	frame := map[Protocol]func(w string) string{
		Stream:     func(w string) string { return "ST,GS,+" + w + "kg\r\n" },
		SICS:       func(w string) string { return "S S      " + w + " kg\r\n" },
		Toledo8217: func(w string) string { return "\x02" + w + "\r" },
		CASPD2:     func(w string) string { return "\x02" + strings.ReplaceAll(w, ".", "") + "\r" },
	}
	for p, f := range frame {
		good, bad := f("00.455"), f("00.855")
		for _, tt := range []struct {
			chunks []string
			want   []int64
		}{
			{[]string{bad, good, good}, []int64{455}},
			{[]string{good, bad, good, good}, []int64{455}},
			{[]string{good, good, bad, good, good}, []int64{455, 455}},
			{[]string{good, bad}, nil},
		} {
			var g got
			feed(NewDecoder(p), &g, tt.chunks...)
			if len(g.errs) != 0 || len(g.readings) != len(tt.chunks) {
				t.Fatalf("%v %q: readings %+v, errors %v", p, tt.chunks, g.readings, g.errs)
			}
			if got := stableGrams(g.readings); !sameGrams(got, tt.want...) {
				t.Errorf("%v %q: stable weights %v, want %v", p, tt.chunks, got, tt.want)
			}
		}
	}
}

// The CAS-type frame carries a checksum (BCC): its first stable frame is stable, as before.
func TestDecoderChecksummedStableAtOnce(t *testing.T) {
	for _, p := range []Protocol{CAS, Aclas} {
		var g got
		feed(NewDecoder(p), &g, "\x01\x02S 01.234kg\x65\x03\x04")
		if got := stableGrams(g.readings); !sameGrams(got, 1234) {
			t.Errorf("%v: stable weights %v, want [1234]", p, got)
		}
	}
}
