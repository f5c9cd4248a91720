package scanner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/creack/pty"
)

// plug makes a pseudo-terminal appear at path, as a USB-CDC scanner's port appears when it is plugged
// in, and returns the scanner's end. Closing it is unplugging.
func plug(t *testing.T, path string) *os.File {
	t.Helper()
	scannerEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	name := tillEnd.Name()
	tillEnd.Close() // the scanner package opens its own, by path
	os.Remove(path)
	if err := os.Symlink(name, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { scannerEnd.Close() })
	return scannerEnd
}

func unplug(t *testing.T, scannerEnd *os.File, path string) {
	t.Helper()
	os.Remove(path)
	scannerEnd.Close()
}

func send(t *testing.T, scannerEnd *os.File, s string) {
	t.Helper()
	if _, err := scannerEnd.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// next waits for the scanner's next event.
func next(t *testing.T, events <-chan Event, within time.Duration) Event {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("events closed")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %v", within)
	}
	return Event{}
}

func wantStatus(t *testing.T, events <-chan Event, want Status, within time.Duration) {
	t.Helper()
	ev := next(t, events, within)
	if ev.Kind != StatusChange || ev.Status != want {
		t.Fatalf("event %+v, want status %v", ev, want)
	}
}

func wantScan(t *testing.T, events <-chan Event, code string) {
	t.Helper()
	ev := next(t, events, 2*time.Second)
	if ev.Kind != Scan || ev.Code != code {
		t.Fatalf("event %+v, want scan %q", ev, code)
	}
}

func wantDropped(t *testing.T, events <-chan Event, err error) {
	t.Helper()
	ev := next(t, events, 2*time.Second)
	if ev.Kind != FrameError || !errors.Is(ev.Err, err) {
		t.Fatalf("event %+v, want dropped frame %v", ev, err)
	}
}

func openAt(t *testing.T, cfg Config) *Scanner {
	t.Helper()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSerialFramesOverPty(t *testing.T) {
	for _, tc := range []struct {
		term   Terminator
		suffix string
	}{
		{TermCR, "\r"}, {TermLF, "\n"}, {TermCRLF, "\r\n"}, {TermTAB, "\t"}, {TermETX, "\x03"}, {TermAuto, "\r\n"},
	} {
		t.Run(tc.term.String(), func(t *testing.T) {
			t.Parallel()
			port := filepath.Join(t.TempDir(), "ttyACM0")
			scannerEnd := plug(t, port)
			s := openAt(t, Config{Name: "handheld", Port: port, Terminator: tc.term})
			wantStatus(t, s.Events(), Connected, 2*time.Second)

			send(t, scannerEnd, "5449000000996"+tc.suffix) // whole
			if ev := next(t, s.Events(), 2*time.Second); ev.Kind != Scan || ev.Code != "5449000000996" || ev.Scanner != "handheld" {
				t.Fatalf("first event %+v, want a scan from the handheld", ev)
			}
			send(t, scannerEnd, "123456") // split across two reads
			time.Sleep(20 * time.Millisecond)
			send(t, scannerEnd, "70"+tc.suffix)
			wantScan(t, s.Events(), "12345670")
			send(t, scannerEnd, "96385074"+tc.suffix+"]E05449000000996"+tc.suffix) // merged
			wantScan(t, s.Events(), "96385074")
			wantScan(t, s.Events(), "]E05449000000996")
			send(t, scannerEnd, "\x00\x7f\x1b[A"+tc.suffix+"5449000000996"+tc.suffix) // garbage between frames
			wantDropped(t, s.Events(), ErrControlByte)
			wantScan(t, s.Events(), "5449000000996")

			if got := s.Stats(); got != (Stats{Frames: 5, Dropped: 1}) {
				t.Errorf("stats %+v, want 5 frames and 1 dropped", got)
			}
		})
	}
}

func TestSerialGarbageWithoutTerminatorDoesNotSwallowNextScan(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyACM0")
	scannerEnd := plug(t, port)
	s := openAt(t, Config{Port: port})
	wantStatus(t, s.Events(), Connected, 2*time.Second)
	send(t, scannerEnd, "\xff\xfe54") // line noise, never terminated
	wantDropped(t, s.Events(), ErrIncomplete)
	send(t, scannerEnd, "5449000000996\r")
	wantScan(t, s.Events(), "5449000000996")
}

func TestSerialUnplugAndReplug(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyACM0")
	scannerEnd := plug(t, port)
	s := openAt(t, Config{Port: port})
	events := s.Events()
	wantStatus(t, events, Connected, 2*time.Second)
	send(t, scannerEnd, "5449000000996\r")
	wantScan(t, events, "5449000000996")

	for i := range 3 {
		unplug(t, scannerEnd, port)
		wantStatus(t, events, Reconnecting, 2*time.Second)
		time.Sleep(time.Duration(i) * 700 * time.Millisecond) // out long enough for the backoff to reach its cap
		scannerEnd = plug(t, port)
		replugged := time.Now()
		wantStatus(t, events, Connected, 2*time.Second)
		t.Logf("replug %d: connected %v after the port reappeared", i, time.Since(replugged).Round(time.Millisecond))
		send(t, scannerEnd, "12345670\r")
		wantScan(t, events, "12345670")
	}
}

func TestSerialAbsentAtStartThenPluggedIn(t *testing.T) {
	port := filepath.Join(t.TempDir(), "ttyACM0")
	s := openAt(t, Config{Port: port})
	wantStatus(t, s.Events(), Absent, 2*time.Second)
	time.Sleep(300 * time.Millisecond)
	scannerEnd := plug(t, port)
	wantStatus(t, s.Events(), Connected, 2*time.Second)
	send(t, scannerEnd, "5449000000996\r")
	wantScan(t, s.Events(), "5449000000996")
}

func TestOpenAllMergesScanners(t *testing.T) {
	dir := t.TempDir()
	handheld, presentation := filepath.Join(dir, "ttyACM0"), filepath.Join(dir, "ttyACM1")
	handEnd, presEnd := plug(t, handheld), plug(t, presentation)
	set, err := OpenAll([]Config{{Name: "handheld", Port: handheld}, {Name: "presentation", Port: presentation, Terminator: TermLF}})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	connected := map[string]bool{}
	for len(connected) < 2 {
		ev := next(t, set.Events(), 2*time.Second)
		if ev.Kind == StatusChange && ev.Status == Connected {
			connected[ev.Scanner] = true
		}
	}
	send(t, handEnd, "5449000000996\r")
	ev := next(t, set.Events(), 2*time.Second)
	send(t, presEnd, "12345670\n")
	ev2 := next(t, set.Events(), 2*time.Second)
	if ev.Scanner != "handheld" || ev.Code != "5449000000996" || ev2.Scanner != "presentation" || ev2.Code != "12345670" {
		t.Fatalf("got %+v and %+v", ev, ev2)
	}
	set.Close()
	if _, open := <-set.Events(); open {
		t.Fatal("events still open after Close")
	}
}

// TestCloseLeaksNothing: plugging, unplugging and closing scanners leaves no goroutine or file
// descriptor behind.
func TestCloseLeaksNothing(t *testing.T) {
	fds := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd here")
		}
		return len(entries)
	}
	port := filepath.Join(t.TempDir(), "ttyACM0")
	baseFDs, baseGoroutines := fds(), runtime.NumGoroutine()
	for range 5 {
		scannerEnd := plug(t, port)
		s, err := Open(Config{Port: port})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.Events(), Connected, 2*time.Second)
		unplug(t, scannerEnd, port)
		wantStatus(t, s.Events(), Reconnecting, 2*time.Second)
		scannerEnd = plug(t, port)
		wantStatus(t, s.Events(), Connected, 2*time.Second)
		s.Close()
		unplug(t, scannerEnd, port)
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && (fds() > baseFDs || runtime.NumGoroutine() > baseGoroutines) {
		time.Sleep(20 * time.Millisecond)
	}
	if fds() > baseFDs || runtime.NumGoroutine() > baseGoroutines {
		t.Fatalf("after 5 scanners: %d fds (was %d), %d goroutines (was %d)", fds(), baseFDs, runtime.NumGoroutine(), baseGoroutines)
	}
}

// TestSerialBurst: 10 scans a second for a minute, as at a busy till with a presentation scanner:
// every code arrives, in order.
func TestSerialBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute long")
	}
	t.Parallel()
	port := filepath.Join(t.TempDir(), "ttyACM0")
	scannerEnd := plug(t, port)
	s := openAt(t, Config{Port: port})
	wantStatus(t, s.Events(), Connected, 2*time.Second)
	const scans = 600
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := range scans {
			<-tick.C
			if _, err := scannerEnd.Write([]byte(fmt.Sprintf("%013d\r", i))); err != nil {
				return
			}
		}
	}()
	for i := range scans {
		wantScan(t, s.Events(), fmt.Sprintf("%013d", i))
	}
	if got := s.Stats(); got != (Stats{Frames: scans}) {
		t.Fatalf("stats %+v, want %d frames and none dropped", got, scans)
	}
}
