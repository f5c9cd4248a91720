package scanner

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type frame struct {
	code string
	err  error
}

func (f frame) String() string {
	if f.err != nil {
		return "error: " + f.err.Error()
	}
	return fmt.Sprintf("%q", f.code)
}

// feed pushes each read at 1 ms intervals and returns the frames.
func feed(cfg FrameConfig, reads ...string) []frame {
	f := NewFramer(cfg)
	var got []frame
	at := time.Unix(0, 0)
	for _, r := range reads {
		at = at.Add(time.Millisecond)
		f.Push(at, []byte(r), func(code string, err error) { got = append(got, frame{code, err}) })
	}
	return got
}

func sameFrames(t *testing.T, got []frame, want ...frame) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d frames %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i].code != want[i].code || !errors.Is(got[i].err, want[i].err) {
			t.Fatalf("frame %d = %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
}

func ok(code string) frame { return frame{code: code} }
func bad(err error) frame  { return frame{err: err} }

func TestFramerTerminators(t *testing.T) {
	const code = "5449000000996"
	for _, tc := range []struct {
		term   Terminator
		suffix string
	}{
		{TermCR, "\r"}, {TermLF, "\n"}, {TermCRLF, "\r\n"}, {TermTAB, "\t"}, {TermETX, "\x03"},
		{TermAuto, "\r"}, {TermAuto, "\n"}, {TermAuto, "\r\n"}, {TermAuto, "\t"}, {TermAuto, "\x03"},
	} {
		t.Run(fmt.Sprintf("%v%q", tc.term, tc.suffix), func(t *testing.T) {
			cfg := FrameConfig{Terminator: tc.term}
			// Whole, merged with a second frame, and split byte by byte.
			sameFrames(t, feed(cfg, code+tc.suffix), ok(code))
			sameFrames(t, feed(cfg, code+tc.suffix+"12345670"+tc.suffix), ok(code), ok("12345670"))
			sameFrames(t, feed(cfg, strings.Split(code+tc.suffix+"96385074"+tc.suffix, "")...), ok(code), ok("96385074"))
		})
	}
}

func TestFramerWrongTerminatorIsAControlByte(t *testing.T) {
	// A scanner set to CRLF read as CR leaves the LF opening the next frame.
	sameFrames(t, feed(FrameConfig{Terminator: TermCR}, "5449000000996\r\n12345670\r"),
		ok("5449000000996"), bad(ErrControlByte))
	sameFrames(t, feed(FrameConfig{Terminator: TermCRLF}, "5449000000996\r12345670\r\n"), bad(ErrControlByte))
}

func TestFramerSTXETX(t *testing.T) {
	sameFrames(t, feed(FrameConfig{Terminator: TermETX}, "\x025449000000996\x03\x0212345670\x03"), ok("5449000000996"), ok("12345670"))
}

func TestFramerGS1KeepsGroupSeparator(t *testing.T) {
	code := "]d201054490000009961025A\x1d21XYZ"
	sameFrames(t, feed(FrameConfig{}, code+"\r"), ok(code))
}

func TestFramerPrefix(t *testing.T) {
	cfg := FrameConfig{Prefix: "A:"}
	sameFrames(t, feed(cfg, "A:5449000000996\r", "5449000000996\r", "A\r"), ok("5449000000996"), bad(ErrNoPrefix), bad(ErrNoPrefix))
}

func TestFramerDropsGarbageAndResyncs(t *testing.T) {
	cfg := FrameConfig{MaxLen: 20}
	sameFrames(t, feed(cfg,
		"\x00\x01\xff\xfe\r",    // binary noise
		"54490\x0700000996\r",   // a bell in the middle
		strings.Repeat("9", 50), // overlong: dropped once, at its terminator
		strings.Repeat("9", 50)+"\r",
		"\xc3\x28\r",      // invalid UTF-8
		"5449000000996\r", // good again
		"\r\r\n\t",        // stray terminators make no frames
	), bad(ErrControlByte), bad(ErrControlByte), bad(ErrFrameTooLong), bad(ErrNotText), ok("5449000000996"))
}

func TestFramerIdleExpiresHalfAFrame(t *testing.T) {
	f := NewFramer(FrameConfig{})
	var got []frame
	emit := func(code string, err error) { got = append(got, frame{code, err}) }
	at := time.Unix(0, 0)
	f.Push(at, []byte("54490"), emit)
	f.Expire(at.Add(DefaultIdle/2), emit) // still arriving
	f.Push(at.Add(DefaultIdle/2), []byte("00000"), emit)
	f.Expire(at.Add(DefaultIdle/2+DefaultIdle+time.Millisecond), emit) // the rest never came
	f.Push(at.Add(2*DefaultIdle), []byte("12345670\r"), emit)
	sameFrames(t, got, bad(ErrIncomplete), ok("12345670"))
}

func TestParseTerminator(t *testing.T) {
	for i, name := range terminatorNames {
		got, err := ParseTerminator(strings.ToUpper(name))
		if err != nil || got != Terminator(i) || got.String() != name {
			t.Errorf("ParseTerminator(%q) = %v, %v", name, got, err)
		}
	}
	if _, err := ParseTerminator("semicolon"); err == nil {
		t.Error("ParseTerminator accepted semicolon")
	}
}

// FuzzFramer: any stream in any split gives the same frames, and every frame is either clean text
// within the limit or an error.
func FuzzFramer(f *testing.F) {
	f.Add([]byte("5449000000996\r12345670\n"), uint8(3), uint8(0))
	f.Add([]byte("\x02abc\x03\r\n\x00\xff"), uint8(1), uint8(5))
	f.Add([]byte("A:1\r\nA:2\r\n"), uint8(2), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, step uint8, term uint8) {
		cfg := FrameConfig{Terminator: Terminator(int(term) % len(terminatorNames)), MaxLen: 32}
		whole := feed(cfg, string(data))
		var parts []string
		n := int(step%7) + 1
		for i := 0; i < len(data); i += n {
			parts = append(parts, string(data[i:min(i+n, len(data))]))
		}
		split := feed(cfg, parts...)
		if fmt.Sprint(whole) != fmt.Sprint(split) {
			t.Fatalf("whole %v != split %v", whole, split)
		}
		for _, fr := range whole {
			if fr.err != nil {
				continue
			}
			if fr.code == "" || len(fr.code) > 32 || check([]byte(fr.code)) != nil {
				t.Fatalf("bad frame delivered: %q", fr.code)
			}
		}
	})
}
