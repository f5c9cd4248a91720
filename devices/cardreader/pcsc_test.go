package cardreader

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// A fake PC/SC context's script: each call the reader must make, in order, and what it returns.
type pcscCall struct {
	op      string        // "wait", "connect", "transmit" or "disconnect"
	readers []ReaderState // wait's result
	reader  string        // connect's reader
	apdu    []byte        // transmit's APDU, byte for byte
	resp    []byte        // transmit's response
	err     error
}

func waitFor(readers ...ReaderState) pcscCall { return pcscCall{op: "wait", readers: readers} }
func waitErr(err error) pcscCall              { return pcscCall{op: "wait", err: err} }
func connect(reader string) pcscCall          { return pcscCall{op: "connect", reader: reader} }
func connectErr(reader string, err error) pcscCall {
	return pcscCall{op: "connect", reader: reader, err: err}
}
func transmit(resp string) pcscCall {
	return pcscCall{op: "transmit", apdu: hx("FF CA 00 00 00"), resp: hx(resp)}
}
func disconnect() pcscCall { return pcscCall{op: "disconnect"} }

// readUIDCalls is one successful UID read of the card in reader.
func readUIDCalls(reader, resp string) []pcscCall {
	return []pcscCall{connect(reader), transmit(resp), disconnect()}
}

const acr = "ACS ACR122 0"

var (
	noReader      = []ReaderState{}
	emptyField    = ReaderState{Name: acr, Card: NoCard}
	cardInField   = ReaderState{Name: acr, Card: CardIn}
	errNoService  = errors.New("SCARD_E_SERVICE_STOPPED")
	errCardPulled = errors.New("SCARD_W_REMOVED_CARD")
)

// fakePCSC plays a script. finished is closed when the last call is played; after it, WaitChange blocks
// until Close, as an idle service would.
type fakePCSC struct {
	t        *testing.T
	name     string
	mu       sync.Mutex
	script   []pcscCall
	waits    []time.Duration
	closed   chan struct{}
	finished chan struct{}
	once     sync.Once
	closes   int
}

func newFakePCSC(t *testing.T, name string, calls ...any) *fakePCSC {
	f := &fakePCSC{t: t, name: name, closed: make(chan struct{}), finished: make(chan struct{})}
	for _, c := range calls {
		switch c := c.(type) {
		case pcscCall:
			f.script = append(f.script, c)
		case []pcscCall:
			f.script = append(f.script, c...)
		default:
			t.Fatalf("script item %T", c)
		}
	}
	return f
}

// call takes the next call off the script and checks it is op.
func (f *fakePCSC) call(op string) (pcscCall, bool) {
	f.mu.Lock()
	if len(f.script) == 0 {
		f.mu.Unlock()
		if op == "wait" {
			<-f.closed
			return pcscCall{}, false
		}
		f.t.Errorf("%s: %s after the end of the script", f.name, op)
		return pcscCall{}, false
	}
	c := f.script[0]
	f.script = f.script[1:]
	if len(f.script) == 0 {
		f.once.Do(func() { close(f.finished) })
	}
	f.mu.Unlock()
	if c.op != op {
		f.t.Errorf("%s: reader called %s, script wants %s", f.name, op, c.op)
		return pcscCall{}, false
	}
	return c, true
}

func (f *fakePCSC) WaitChange(timeout time.Duration) ([]ReaderState, error) {
	f.mu.Lock()
	f.waits = append(f.waits, timeout)
	f.mu.Unlock()
	c, ok := f.call("wait")
	if !ok {
		return nil, errors.New("SCARD_E_CANCELLED")
	}
	return c.readers, c.err
}

func (f *fakePCSC) Connect(reader string) error {
	c, ok := f.call("connect")
	if !ok {
		return errors.New("off script")
	}
	if reader != c.reader {
		f.t.Errorf("%s: connect to %q, script wants %q", f.name, reader, c.reader)
	}
	return c.err
}

func (f *fakePCSC) Transmit(apdu []byte) ([]byte, error) {
	c, ok := f.call("transmit")
	if !ok {
		return nil, errors.New("off script")
	}
	if !bytes.Equal(apdu, c.apdu) {
		f.t.Errorf("%s: transmitted % X, script wants % X", f.name, apdu, c.apdu)
	}
	return c.resp, c.err
}

func (f *fakePCSC) Disconnect() error {
	c, _ := f.call("disconnect")
	return c.err
}

func (f *fakePCSC) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closes++
	select {
	case <-f.closed:
	default:
		close(f.closed)
	}
	return nil
}

// services returns a PCSCConfig.Open that hands out each result in turn (a context, or an error such as
// ErrNoReader), then ErrNoReader forever.
func services(results ...any) func() (PCSC, error) {
	var mu sync.Mutex
	return func() (PCSC, error) {
		mu.Lock()
		defer mu.Unlock()
		if len(results) == 0 {
			return nil, ErrNoReader
		}
		res := results[0]
		results = results[1:]
		if err, ok := res.(error); ok {
			return nil, err
		}
		return res.(PCSC), nil
	}
}

func openPCSCReader(t *testing.T, reader string, open func() (PCSC, error)) *PCSCReader {
	t.Helper()
	rd, err := OpenPCSC(PCSCConfig{Name: "test reader", Reader: reader, RetryInterval: time.Millisecond, Open: open})
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

func waitPlayed(t *testing.T, fakes ...*fakePCSC) {
	t.Helper()
	for _, f := range fakes {
		select {
		case <-f.finished:
		case <-time.After(3 * time.Second):
			f.mu.Lock()
			t.Fatalf("%s: script not played to the end, %d calls left", f.name, len(f.script))
		}
	}
}

func closePCSCAndCheck(t *testing.T, rd *PCSCReader, goroutines int, fakes ...*fakePCSC) {
	t.Helper()
	rd.Close()
	for ev := range rd.Events() {
		t.Errorf("unexpected event %v %q %v %v", ev.Kind, ev.UID, ev.Status, ev.Err)
	}
	rd.Close()
	for _, f := range fakes {
		f.mu.Lock()
		if f.closes == 0 {
			t.Errorf("%s: context not closed", f.name)
		}
		f.mu.Unlock()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > goroutines {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), goroutines, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPCSCTapHoldRemoveUnplugReplug(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFakePCSC(t, "service",
		waitFor(noReader...), // the service runs, no reader yet
		waitFor(emptyField),  // plugged in
		waitFor(cardInField), // tapped
		readUIDCalls(acr, "04 A2 24 B2 5C 58 80 90 00"),
		waitFor(cardInField), // held (the reader's in-use bit changed): no event, no read
		waitErr(ErrTimeout),  // held on
		waitFor(emptyField),  // removed
		waitFor(cardInField), // another card
		readUIDCalls(acr, "DE AD BE EF 90 00"),
		waitFor(noReader...), // unplugged with the card on it
		waitFor(cardInField), // plugged in again, the card still there
		readUIDCalls(acr, "DE AD BE EF 90 00"),
	)
	rd := openPCSCReader(t, "", services(fake))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Absent},
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "04A224B25C5880"},
		want{kind: CardRemoved, uid: "04A224B25C5880"},
		want{kind: CardPresent, uid: "DEADBEEF"},
		want{kind: CardRemoved, uid: "DEADBEEF"},
		want{kind: StatusChange, status: Reconnecting, err: errReaderDetached},
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "DEADBEEF"},
	)
	waitPlayed(t, fake)
	closePCSCAndCheck(t, rd, before, fake)
}

func TestPCSCUnreadableCards(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFakePCSC(t, "service",
		// A card that does not support GET UID: one ReadError, no retry, silence until it leaves.
		waitFor(cardInField),
		readUIDCalls(acr, "6A 81"),
		waitFor(cardInField),
		waitFor(emptyField),
		// A card pulled away while being read, then a failed read (63 00): retried, reported once read.
		waitFor(cardInField),
		connectErr(acr, errCardPulled),
		waitErr(ErrTimeout),
		readUIDCalls(acr, "63 00"),
		waitErr(ErrTimeout),
		readUIDCalls(acr, "04 11 22 33 44 55 66 90 00"),
		waitFor(emptyField),
		// Garbage three times in a row: one ReadError with the last reason.
		waitFor(cardInField),
		readUIDCalls(acr, "90"), // no status word
		waitErr(ErrTimeout),
		readUIDCalls(acr, "01 02 90 00"), // a 2-byte UID
		waitErr(ErrTimeout),
		readUIDCalls(acr, "6F 00"), // an unknown status word
		waitErr(ErrTimeout),        // no fourth try
		waitFor(emptyField),
		// A mute card: reported once.
		waitFor(ReaderState{Name: acr, Card: CardMute}),
		waitFor(ReaderState{Name: acr, Card: CardMute}),
	)
	rd := openPCSCReader(t, "", services(fake))
	expect(t, rd.Events(), want{kind: StatusChange, status: Connected}, want{kind: ReadError, err: ErrUIDUnsupported},
		want{kind: CardPresent, uid: "04112233445566"}, want{kind: CardRemoved, uid: "04112233445566"})
	var swErr *StatusWordError
	select {
	case ev := <-rd.Events():
		if ev.Kind != ReadError || !errors.As(ev.Err, &swErr) || swErr.SW1 != 0x6F {
			t.Fatalf("event %v %v, want a ReadError for status word 6F 00", ev.Kind, ev.Err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no ReadError for the garbled card")
	}
	expect(t, rd.Events(), want{kind: ReadError, err: ErrCardMute})
	waitPlayed(t, fake)
	fake.mu.Lock()
	// A read pending retries soon; otherwise the wait is long (Close interrupts it).
	idle, retry := pcscIdleWait, time.Millisecond
	wantWaits := []time.Duration{idle, idle, idle, idle, retry, retry, idle, idle, retry, retry, idle, idle, idle, idle, idle}
	if fmt.Sprint(fake.waits) != fmt.Sprint(wantWaits) {
		t.Errorf("waits %v, want %v", fake.waits, wantWaits)
	}
	fake.mu.Unlock()
	closePCSCAndCheck(t, rd, before, fake)
}

func TestPCSCServiceLostAndBack(t *testing.T) {
	before := runtime.NumGoroutine()
	first := newFakePCSC(t, "first context",
		waitFor(cardInField),
		readUIDCalls(acr, "01 02 03 04 90 00"),
		waitErr(errNoService), // the last reader went and Windows stopped the service
	)
	second := newFakePCSC(t, "second context",
		waitFor(emptyField),
	)
	rd := openPCSCReader(t, "", services(first, ErrNoReader, ErrNoReader, second))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "01020304"},
		want{kind: CardRemoved, uid: "01020304"},
		want{kind: StatusChange, status: Reconnecting, err: errNoService},
		want{kind: StatusChange, status: Connected},
	)
	waitPlayed(t, first, second)
	closePCSCAndCheck(t, rd, before, first, second)
}

func TestPCSCStoppedServiceIsRetriedWithBackoff(t *testing.T) {
	before := runtime.NumGoroutine()
	var mu sync.Mutex
	var opened []*fakePCSC
	rd := openPCSCReader(t, "", func() (PCSC, error) {
		mu.Lock()
		defer mu.Unlock()
		// Windows with no reader: a context is established, and every call fails at once.
		f := newFakePCSC(t, "stopped service", waitErr(errNoService))
		opened = append(opened, f)
		return f, nil
	})
	expect(t, rd.Events(), want{kind: StatusChange, status: Absent})
	time.Sleep(400 * time.Millisecond) // backoff 50, 100, 200 ms: 3 or 4 contexts, not thousands
	rd.Close()
	for ev := range rd.Events() {
		t.Errorf("unexpected event %v %q %v %v", ev.Kind, ev.UID, ev.Status, ev.Err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(opened); n < 2 || n > 5 {
		t.Errorf("%d contexts in 400 ms, want 2 to 5 (retried, with backoff)", n)
	}
	for _, f := range opened {
		if f.closes == 0 {
			t.Errorf("a context was not closed")
		}
	}
	closePCSCAndCheck(t, rd, before)
}

func TestPCSCNoServiceIsAStatus(t *testing.T) {
	before := runtime.NumGoroutine()
	rd := openPCSCReader(t, "", services())
	expect(t, rd.Events(), want{kind: StatusChange, status: Absent})
	select {
	case ev := <-rd.Events():
		t.Fatalf("a missing service reported again: %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	closePCSCAndCheck(t, rd, before)
}

func TestPCSCPicksTheNamedReader(t *testing.T) {
	before := runtime.NumGoroutine()
	const sam, picc = "ACS ACR1252 1S CL Reader SAM 0", "ACS ACR1252 1S CL Reader PICC 0"
	fake := newFakePCSC(t, "service",
		waitFor(ReaderState{Name: sam, Card: CardIn}, ReaderState{Name: picc}),
		waitFor(ReaderState{Name: sam, Card: CardIn}, ReaderState{Name: picc, Card: CardIn}),
		readUIDCalls(picc, "A1 B2 C3 D4 90 00"),
		waitFor(ReaderState{Name: sam, Card: CardIn}), // the PICC reader gone, the SAM one left
	)
	rd := openPCSCReader(t, "picc", services(fake))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "A1B2C3D4"},
		want{kind: CardRemoved, uid: "A1B2C3D4"},
		want{kind: StatusChange, status: Reconnecting, err: errReaderDetached},
	)
	waitPlayed(t, fake)
	closePCSCAndCheck(t, rd, before, fake)
}

func TestPCSCCloseWhileWaiting(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFakePCSC(t, "service", waitFor(emptyField)) // then the wait blocks
	rd := openPCSCReader(t, "", services(fake))
	expect(t, rd.Events(), want{kind: StatusChange, status: Connected})
	waitPlayed(t, fake)
	closePCSCAndCheck(t, rd, before, fake)
}

func TestOpenPCSCNeedsAnOpener(t *testing.T) {
	if _, err := OpenPCSC(PCSCConfig{}); err == nil {
		t.Fatal("OpenPCSC without PCSCConfig.Open succeeded")
	}
}

func TestSplitReaderList(t *testing.T) {
	list := func(s string) []uint16 { return utf16.Encode([]rune(s)) }
	for _, tc := range []struct {
		buf  []uint16
		want []string
	}{
		{list("ACS ACR122 0\x00\x00"), []string{"ACS ACR122 0"}},
		{list("读卡器 SAM 0\x00ACS ACR1252 1S CL Reader PICC 0\x00\x00"), []string{"读卡器 SAM 0", "ACS ACR1252 1S CL Reader PICC 0"}},
		{list("\x00"), nil},
		{nil, nil},
		{list("no terminator"), []string{"no terminator"}},
	} {
		if got := splitReaderList(tc.buf); fmt.Sprint(got) != fmt.Sprint(tc.want) || len(got) != len(tc.want) {
			t.Errorf("splitReaderList(%q) = %q, want %q", string(utf16.Decode(tc.buf)), got, tc.want)
		}
	}
}
