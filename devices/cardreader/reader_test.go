package cardreader

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// A fake reader's script: what the Reader must write, byte for byte, and what each read returns.
type scriptItem struct {
	write   []byte // expected command; nil for a read
	reply   []byte // a read's message
	readErr error  // a read's error instead of a message (an unplug)
}

func w(s string) scriptItem     { return scriptItem{write: hx(s)} }
func r(s string) scriptItem     { return scriptItem{reply: hx(s)} }
func fail(err error) scriptItem { return scriptItem{readErr: err} }
func status(seq byte) string    { return fmt.Sprintf("65 00000000 00 %02X 00 00 00", seq) }
func powerOn(seq byte) string   { return fmt.Sprintf("62 00000000 00 %02X 00 00 00", seq) }
func getUID(seq byte) string    { return fmt.Sprintf("6F 05000000 00 %02X 00 00 00 FF CA 00 00 00", seq) }
func slot(seq, bStatus byte) string {
	return fmt.Sprintf("81 00000000 00 %02X %02X 00 00", seq, bStatus)
}
func atr(seq byte) string { return fmt.Sprintf("80 14000000 00 %02X 00 00 00 %s", seq, acrATR) }
func uidReply(seq byte, uid string) string {
	data := hx(uid + " 90 00")
	return fmt.Sprintf("80 %02X000000 00 %02X 00 00 00 %X", len(data), seq, data)
}

// Slot states in bStatus.
const (
	active, inactive, empty = 0x00, 0x01, 0x02
)

var errUnplugged = errors.New("libusb: no device")

// fakeTransport plays a script. finished is closed when the last item is played; after it, a Write or
// Read blocks until Close, as a reader that stopped answering would.
type fakeTransport struct {
	t        *testing.T
	name     string
	mu       sync.Mutex
	script   []scriptItem
	closed   chan struct{}
	finished chan struct{}
	once     sync.Once
}

func newFake(t *testing.T, name string, script ...scriptItem) *fakeTransport {
	return &fakeTransport{t: t, name: name, script: script, closed: make(chan struct{}), finished: make(chan struct{})}
}

func (f *fakeTransport) next() (scriptItem, bool) {
	f.mu.Lock()
	if len(f.script) > 0 {
		item := f.script[0]
		f.script = f.script[1:]
		if len(f.script) == 0 {
			f.once.Do(func() { close(f.finished) })
		}
		f.mu.Unlock()
		return item, true
	}
	f.mu.Unlock()
	<-f.closed
	return scriptItem{}, false
}

func (f *fakeTransport) Write(msg []byte) error {
	item, ok := f.next()
	if !ok {
		return errors.New("closed")
	}
	if item.write == nil || !bytes.Equal(item.write, msg) {
		f.t.Errorf("%s: reader wrote % X, script wants write % X / reply % X", f.name, msg, item.write, item.reply)
		return errors.New("off script")
	}
	return nil
}

func (f *fakeTransport) Read(time.Duration) ([]byte, error) {
	item, ok := f.next()
	if !ok {
		return nil, errors.New("closed")
	}
	if item.write != nil {
		f.t.Errorf("%s: reader read, script wants it to write % X", f.name, item.write)
		return nil, errors.New("off script")
	}
	return item.reply, item.readErr
}

func (f *fakeTransport) Close() error {
	select {
	case <-f.closed:
	default:
		close(f.closed)
	}
	return nil
}

// plugs returns a Config.Open that hands out each result in turn (a transport, or an error such as
// ErrNoReader), then ErrNoReader forever.
func plugs(results ...any) func() (Transport, error) {
	var mu sync.Mutex
	return func() (Transport, error) {
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
		return res.(Transport), nil
	}
}

func openReader(t *testing.T, open func() (Transport, error)) *Reader {
	t.Helper()
	rd, err := Open(Config{Name: "test reader", PollInterval: time.Millisecond, Open: open})
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

type want struct {
	kind   EventKind
	uid    string
	status Status
	err    error
}

func expect(t *testing.T, events <-chan Event, wants ...want) {
	t.Helper()
	for _, w := range wants {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("events closed, want %+v", w)
			}
			if ev.Kind != w.kind || ev.UID != w.uid || ev.Reader != "test reader" ||
				w.kind == StatusChange && ev.Status != w.status || w.err != nil && !errors.Is(ev.Err, w.err) {
				t.Fatalf("event %v %q %v %v, want %v %q %v %v", ev.Kind, ev.UID, ev.Status, ev.Err, w.kind, w.uid, w.status, w.err)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("no event, want %+v", w)
		}
	}
}

func waitFinished(t *testing.T, fakes ...*fakeTransport) {
	t.Helper()
	for _, f := range fakes {
		select {
		case <-f.finished:
		case <-time.After(3 * time.Second):
			f.mu.Lock()
			t.Fatalf("%s: script not played to the end, %d items left", f.name, len(f.script))
		}
	}
}

// closeAndCheck closes the reader and checks that its channel closes with no event left over and that
// no goroutine outlives it.
func closeAndCheck(t *testing.T, rd *Reader, goroutines int) {
	t.Helper()
	rd.Close()
	for ev := range rd.Events() {
		t.Errorf("unexpected event %v %q %v %v", ev.Kind, ev.UID, ev.Status, ev.Err)
	}
	rd.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > goroutines {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), goroutines, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTapHoldRemoveUnplugReplug(t *testing.T) {
	before := runtime.NumGoroutine()
	first := newFake(t, "first plug",
		w(status(0)), r(slot(0, empty)),
		w(status(1)), r(slot(1, inactive)), // tapped
		w(powerOn(2)), r(atr(2)),
		w(getUID(3)), r(uidReply(3, "04 A2 24 B2 5C 58 80")),
		w(status(4)), r(slot(4, active)), // held: no event
		w(status(5)), r(slot(5, active)),
		w(status(6)), r(slot(6, empty)), // removed
		w(status(7)), r(slot(7, inactive)), // another card
		w(powerOn(8)), r(atr(8)),
		w(getUID(9)), r("80 00000000 00 09 80 01 00"), r(uidReply(9, "DE AD BE EF")), // after a time extension
		w(status(10)), fail(errUnplugged), // unplugged mid-exchange with the card on it
	)
	second := newFake(t, "second plug",
		w(status(0)), r(slot(0, inactive)), // the card is still there, unpowered after the replug
		w(powerOn(1)), r(atr(1)),
		w(getUID(2)), r(uidReply(2, "DE AD BE EF")),
		w(status(3)), r(slot(3, active)),
	)
	rd := openReader(t, plugs(first, ErrNoReader, second))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "04A224B25C5880"},
		want{kind: CardRemoved, uid: "04A224B25C5880"},
		want{kind: CardPresent, uid: "DEADBEEF"},
		want{kind: CardRemoved, uid: "DEADBEEF"},
		want{kind: StatusChange, status: Reconnecting, err: errUnplugged},
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "DEADBEEF"},
	)
	waitFinished(t, first, second)
	closeAndCheck(t, rd, before)
}

func TestNoReaderIsAStatus(t *testing.T) {
	before := runtime.NumGoroutine()
	rd := openReader(t, plugs())
	expect(t, rd.Events(), want{kind: StatusChange, status: Absent})
	select {
	case ev := <-rd.Events():
		t.Fatalf("a missing reader reported again: %+v", ev)
	case <-time.After(300 * time.Millisecond): // several backoff rounds
	}
	closeAndCheck(t, rd, before)
}

func TestGarbageRepliesReopenTheReader(t *testing.T) {
	before := runtime.NumGoroutine()
	first := newFake(t, "first plug",
		w(status(0)), r("48 65 6C 6C 6F"), // not CCID
		w(status(1)), r("81 00000000 00 01 02"), // short header
		w(status(2)), r(slot(2, empty)), // a good answer resets the count
		w(status(3)), r("81 09000000 00 03 02 00 00 04 A2"), // dwLength says more than came
		w(status(4)), r("81 00000000 00 04 02 00 00 FF"), // more than dwLength
		w(status(5)), r("80 00000000 00 05 02 00 00"), // a DataBlock to GetSlotStatus: third in a row
	)
	second := newFake(t, "second plug",
		w(status(0)), r(slot(0, empty)),
	)
	rd := openReader(t, plugs(first, second))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: StatusChange, status: Reconnecting, err: ErrUnexpectedType},
		want{kind: StatusChange, status: Connected},
	)
	waitFinished(t, first, second)
	closeAndCheck(t, rd, before)
}

func TestStaleRepliesAreSkipped(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFake(t, "reader",
		w(status(0)), r(slot(0xFF, empty)), r(slot(0, inactive)), // a late answer to an earlier command first
		w(powerOn(1)), r(slot(0, inactive)), r(atr(1)),
		w(getUID(2)), r(uidReply(2, "01 02 03 04")),
	)
	rd := openReader(t, plugs(fake))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: CardPresent, uid: "01020304"},
	)
	waitFinished(t, fake)
	closeAndCheck(t, rd, before)
}

func TestUnreadableCards(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFake(t, "reader",
		// A card that does not support GET UID: one ReadError, then silence until it leaves.
		w(status(0)), r(slot(0, inactive)),
		w(powerOn(1)), r(atr(1)),
		w(getUID(2)), r("80 02000000 00 02 00 00 00 6A 81"),
		w(status(3)), r(slot(3, active)),
		w(status(4)), r(slot(4, inactive)),
		w(status(5)), r(slot(5, empty)),
		// A card pulled away while being read: retried, and reported when a read succeeds.
		w(status(6)), r(slot(6, inactive)),
		w(powerOn(7)), r("80 00000000 00 07 42 FE 00"), // ICC_MUTE
		w(status(8)), r(slot(8, inactive)),
		w(powerOn(9)), r(atr(9)),
		w(getUID(10)), r("80 02000000 00 0A 00 00 00 63 00"),
		w(status(11)), r(slot(11, inactive)),
		w(powerOn(12)), r(atr(12)),
		w(getUID(13)), r(uidReply(13, "04 11 22 33 44 55 66")),
		w(status(14)), r(slot(14, active)),
	)
	rd := openReader(t, plugs(fake))
	expect(t, rd.Events(),
		want{kind: StatusChange, status: Connected},
		want{kind: ReadError, err: ErrUIDUnsupported},
		want{kind: CardPresent, uid: "04112233445566"},
	)
	waitFinished(t, fake)
	closeAndCheck(t, rd, before)
}

func TestCloseWhileReaderIsSilent(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := newFake(t, "reader", w(status(0))) // the reply never comes
	rd := openReader(t, plugs(fake))
	expect(t, rd.Events(), want{kind: StatusChange, status: Connected})
	waitFinished(t, fake)
	closeAndCheck(t, rd, before)
}

func TestOpenNeedsAnOpener(t *testing.T) {
	if _, err := Open(Config{}); err == nil {
		t.Fatal("Open without Config.Open succeeded")
	}
}
