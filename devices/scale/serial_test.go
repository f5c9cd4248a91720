package scale

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"checkout/devices"
)

// plug makes a pseudo-terminal appear at path, as a USB-serial scale's port appears when it is plugged
// in, and returns the scale's end. Closing it is unplugging.
func plug(t *testing.T, path string) *os.File {
	t.Helper()
	scaleEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	name := tillEnd.Name()
	tillEnd.Close() // the scale package opens its own, by path
	os.Remove(path)
	if err := os.Symlink(name, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { scaleEnd.Close() })
	return scaleEnd
}

func unplug(scaleEnd *os.File, path string) {
	os.Remove(path)
	scaleEnd.Close()
}

func openAt(t *testing.T, cfg Config) *Scale {
	t.Helper()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func next(t *testing.T, events <-chan Event) Event {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("events closed")
		}
		return ev
	case <-time.After(3 * time.Second):
		t.Fatal("no event within 3s")
	}
	return Event{}
}

func wantStatus(t *testing.T, events <-chan Event, want devices.Status) {
	t.Helper()
	if ev := next(t, events); ev.Kind != StatusChange || ev.Status != want {
		t.Fatalf("event %+v, want status %v", ev, want)
	}
}

// untilStable collects readings until the first stable one with a weight, failing on anything else.
func untilStable(t *testing.T, events <-chan Event) (moving []Reading, stable Reading) {
	t.Helper()
	for {
		ev := next(t, events)
		if ev.Kind != Weight {
			t.Fatalf("event %+v, want a reading", ev)
		}
		if ev.Reading.Stable && ev.Reading.Weighed {
			return moving, ev.Reading
		}
		moving = append(moving, ev.Reading)
	}
}

func write(t *testing.T, scaleEnd *os.File, s string) {
	t.Helper()
	if _, err := scaleEnd.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// A banana put on a streaming scale: it wobbles, then settles. The first settled line is not yet
// stable: the stream has no checksum, so the next line must say the same.
func TestStreamWobblesThenSettles(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	scaleEnd := plug(t, port)
	s := openAt(t, Config{Name: "counter", Port: port, Protocol: Stream})
	wantStatus(t, s.Events(), devices.Connected)
	for _, line := range []string{"US,GS,+000.812kg\r\n", "US,GS,+000.431kg\r\n", "US,GS,+000.458kg\r\n", "US,GS,+0", "00.455kg\r\n", "ST,GS,+000.455kg\r\n", "ST,GS,+000.455kg\r\n"} {
		write(t, scaleEnd, line)
		time.Sleep(5 * time.Millisecond)
	}
	moving, stable := untilStable(t, s.Events())
	if len(moving) != 5 || moving[0].Grams != 812 || moving[3].Grams != 455 || moving[4].Grams != 455 || stable.Grams != 455 {
		t.Fatalf("moving %+v, stable %+v", moving, stable)
	}
	if s.Can(Tare) || s.Send(Zero) == nil {
		t.Error("the stream protocol takes commands")
	}
}

// fakeScale answers each request the till writes with what answer says, as a polled scale does; it
// records what it was sent. A request is a line (MT-SICS) or a byte (the others).
type fakeScale struct {
	mu    sync.Mutex
	sent  bytes.Buffer
	lines bool
}

func (f *fakeScale) run(scaleEnd *os.File, answer func(req []byte) string) {
	buf := make([]byte, 64)
	var pending []byte
	for {
		n, err := scaleEnd.Read(buf)
		if errors.Is(err, os.ErrClosed) {
			return
		}
		if err != nil { // EIO while the till has not opened its end yet
			time.Sleep(5 * time.Millisecond)
			continue
		}
		f.mu.Lock()
		f.sent.Write(buf[:n])
		f.mu.Unlock()
		pending = append(pending, buf[:n]...)
		for len(pending) > 0 {
			end := 1
			if f.lines {
				if end = bytes.Index(pending, []byte("\n")) + 1; end == 0 {
					break
				}
			}
			if a := answer(pending[:end]); a != "" {
				scaleEnd.Write([]byte(a))
			}
			pending = pending[end:]
		}
	}
}

func (f *fakeScale) requests() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sent.String()
}

// toledoScale plugs a Toledo 8217 scale in at a new port; it answers the n-th "W" with reply(n).
func toledoScale(t *testing.T, reply func(asked int) string) (port string, f *fakeScale) {
	t.Helper()
	port = filepath.Join(t.TempDir(), "ttyUSB0")
	scaleEnd := plug(t, port)
	f = &fakeScale{}
	asked := 0
	go f.run(scaleEnd, func(req []byte) string {
		if !bytes.Equal(req, []byte("W")) {
			return ""
		}
		asked++
		return reply(asked)
	})
	return port, f
}

// A Toledo 8217 scale is asked "W" about five times a second; it answers with status records while the
// weight moves, then the weight, which is stable once a second reply says the same.
func TestToledoPolledUntilStable(t *testing.T) {
	port, f := toledoScale(t, func(asked int) string {
		if asked <= 3 {
			return "\x02?a\r" // in motion
		}
		return "\x0201.234\r"
	})
	start := time.Now()
	s := openAt(t, Config{Port: port, Protocol: Toledo8217})
	wantStatus(t, s.Events(), devices.Connected)
	moving, stable := untilStable(t, s.Events())
	if len(moving) != 4 || moving[0].Stable || moving[0].Weighed || moving[3].Grams != 1234 || stable.Grams != 1234 {
		t.Fatalf("moving %+v, stable %+v", moving, stable)
	}
	if took := time.Since(start); took < 4*DefaultPoll || took > 3*time.Second {
		t.Errorf("5 polls took %v: want about %v apart", took, DefaultPoll)
	}
	if err := s.Send(Zero); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !bytes.Contains([]byte(f.requests()), []byte("Z")) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !bytes.Contains([]byte(f.requests()), []byte("Z")) {
		t.Fatalf("the scale was sent %q, no Z", f.requests())
	}
}

// MT-SICS: SI while the weight moves; a tare the scale refuses comes back as an error.
func TestSICSPolledTareRefused(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	scaleEnd := plug(t, port)
	f := fakeScale{lines: true}
	asked := 0
	go f.run(scaleEnd, func(req []byte) string {
		switch string(req) {
		case "SI\r\n":
			asked++
			if asked <= 2 {
				return "S D      0.49" + string(rune('0'+asked)) + " kg\r\n"
			}
			return "S S      0.500 kg\r\n"
		case "T\r\n":
			return "T I\r\n"
		}
		return "ES\r\n"
	})
	s := openAt(t, Config{Port: port, Protocol: SICS, Poll: 50 * time.Millisecond})
	wantStatus(t, s.Events(), devices.Connected)
	moving, stable := untilStable(t, s.Events())
	if len(moving) != 3 || moving[1].Grams != 492 || moving[2].Grams != 500 || stable.Grams != 500 {
		t.Fatalf("moving %+v, stable %+v", moving, stable)
	}
	if err := s.Send(Tare); err != nil {
		t.Fatal(err)
	}
	for {
		ev := next(t, s.Events())
		if ev.Kind == FrameError {
			if !bytesContains(ev.Err.Error(), "T I") {
				t.Fatalf("error %v, want the refused tare", ev.Err)
			}
			break
		}
	}
}

func bytesContains(s, sub string) bool { return bytes.Contains([]byte(s), []byte(sub)) }

// CAS: ENQ, the scale's ACK, DC1, then its frame.
func TestCASAsksWithENQAndDC1(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	scaleEnd := plug(t, port)
	var f fakeScale
	go f.run(scaleEnd, func(req []byte) string {
		switch {
		case bytes.Equal(req, []byte{enq}):
			return "\x06"
		case bytes.Equal(req, []byte{dc1}):
			return "\x01\x02S 01.234kg\x65\x03\x04"
		}
		return ""
	})
	s := openAt(t, Config{Port: port, Protocol: CAS})
	wantStatus(t, s.Events(), devices.Connected)
	if _, stable := untilStable(t, s.Events()); stable.Grams != 1234 {
		t.Fatalf("stable %+v", stable)
	}
}

// Unplugging and replugging: reconnecting, connected, and readings again, as the scanners do.
func TestUnplugAndReplug(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	scaleEnd := plug(t, port)
	s := openAt(t, Config{Port: port, Protocol: Stream})
	events := s.Events()
	wantStatus(t, events, devices.Connected)
	write(t, scaleEnd, "ST,GS,+001.000kg\r\nST,GS,+001.000kg\r\n")
	if _, r := untilStable(t, events); r.Grams != 1000 {
		t.Fatalf("reading %+v", r)
	}
	for i := range 3 {
		unplug(scaleEnd, port)
		wantStatus(t, events, devices.Reconnecting)
		time.Sleep(time.Duration(i) * 700 * time.Millisecond) // out long enough for the backoff to reach its cap
		scaleEnd = plug(t, port)
		wantStatus(t, events, devices.Connected)
		write(t, scaleEnd, "US,GS,+000.900kg\r\nST,GS,+002.000kg\r\nST,GS,+002.000kg\r\n")
		if moving, r := untilStable(t, events); len(moving) != 2 || r.Grams != 2000 {
			t.Fatalf("after replug %d: moving %+v, stable %+v", i, moving, r)
		}
	}
	s.Close()
	s.Close()
	if _, open := <-events; open {
		t.Fatal("events open after Close")
	}
}

// A scale plugged in after the till started is found; the Toledo-type 7E1 line opens on a
// pseudo-terminal too, and a parity bit read at 8 bits is masked.
func TestAbsentAtStartThenPluggedIn(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	s := openAt(t, Config{Port: port, Protocol: Toledo8217})
	wantStatus(t, s.Events(), devices.Absent)
	time.Sleep(200 * time.Millisecond)
	scaleEnd := plug(t, port)
	go (&fakeScale{}).run(scaleEnd, func(req []byte) string {
		if bytes.Contains(req, []byte("W")) {
			return "\x02\xb00.455\r" // '0' with the parity bit set, as a 7E1 byte read at 8 bits
		}
		return ""
	})
	wantStatus(t, s.Events(), devices.Connected)
	if _, r := untilStable(t, s.Events()); r.Grams != 455 {
		t.Fatalf("reading %+v", r)
	}
}

// A zero pressed while the scale is unplugged is not sent when it comes back: by then other goods may lie
// on it.
func TestCommandWhileAbsentIsNotSentOnReconnect(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	s := openAt(t, Config{Port: port, Protocol: Toledo8217})
	wantStatus(t, s.Events(), devices.Absent)
	if err := s.Send(Zero); err != nil {
		t.Fatal(err)
	}
	scaleEnd := plug(t, port)
	var f fakeScale
	go f.run(scaleEnd, func(req []byte) string {
		if bytes.Contains(req, []byte("W")) {
			return "\x0200.455\r"
		}
		return ""
	})
	wantStatus(t, s.Events(), devices.Connected)
	untilStable(t, s.Events())
	untilStable(t, s.Events()) // a second poll: anything queued would have gone out before it
	if bytes.Contains([]byte(f.requests()), []byte("Z")) {
		t.Fatalf("the scale was sent %q: the stale zero went out", f.requests())
	}
}

// A Toledo 8217 reply has no checksum: one corrupted into another plausible weight (1.834 kg for
// 1.234 kg) is never sold; the scale's next replies are.
func TestToledoCorruptedReplyIsNotSold(t *testing.T) {
	port, _ := toledoScale(t, func(asked int) string {
		if asked == 2 {
			return "\x0201.834\r" // a bit flipped on the way: '2' became '8'
		}
		return "\x0201.234\r"
	})
	s := openAt(t, Config{Port: port, Protocol: Toledo8217, Poll: 50 * time.Millisecond})
	wantStatus(t, s.Events(), devices.Connected)
	moving, stable := untilStable(t, s.Events())
	if stable.Grams != 1234 || len(moving) != 3 || moving[1].Grams != 1834 {
		t.Fatalf("moving %+v, stable %+v", moving, stable)
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	for _, cfg := range []Config{{}, {Port: "/dev/null", Baud: -1}, {Port: "/dev/null", Bits: "9X1"}, {Port: "/dev/null", Protocol: 99}} {
		if s, err := Open(cfg); err == nil {
			s.Close()
			t.Errorf("%+v opened", cfg)
		}
	}
}

// Plugging, unplugging and closing scales, polled ones too, leaves no goroutine or file descriptor behind.
func TestCloseLeaksNothing(t *testing.T) {
	fds := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd here")
		}
		return len(entries)
	}
	port := filepath.Join(t.TempDir(), "ttyUSB0")
	baseFDs, baseGoroutines := fds(), runtime.NumGoroutine()
	for range 5 {
		scaleEnd := plug(t, port)
		s, err := Open(Config{Port: port, Protocol: SICS, Poll: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.Events(), devices.Connected)
		unplug(scaleEnd, port)
		wantStatus(t, s.Events(), devices.Reconnecting)
		scaleEnd = plug(t, port)
		wantStatus(t, s.Events(), devices.Connected)
		s.Close()
		unplug(scaleEnd, port)
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && (fds() > baseFDs || runtime.NumGoroutine() > baseGoroutines) {
		time.Sleep(20 * time.Millisecond)
	}
	if fds() > baseFDs || runtime.NumGoroutine() > baseGoroutines {
		t.Fatalf("after 5 scales: %d fds (was %d), %d goroutines (was %d)", fds(), baseFDs, runtime.NumGoroutine(), baseGoroutines)
	}
}
