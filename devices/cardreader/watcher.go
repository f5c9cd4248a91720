package cardreader

import (
	"io"
	"sync"
	"time"
)

// watcher is what every kind of reader shares: the goroutine that keeps it connected, its event channel,
// the status it reported last, and the open connection (a CCID transport, a PC/SC context) that Close
// shuts so a blocked read returns.
type watcher struct {
	name   string
	events chan Event
	done   chan struct{}
	wg     sync.WaitGroup

	// status is the status reported last (Absent before any); only the watcher's goroutine touches it.
	status   Status
	reported bool

	mu   sync.Mutex
	conn io.Closer // the open connection, nil between connections

	closeOnce sync.Once
}

func newWatcher(name string) *watcher {
	return &watcher{name: name, events: make(chan Event, 64), done: make(chan struct{})}
}

// start runs run on the watcher's goroutine.
func (w *watcher) start(run func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		run()
	}()
}

// Events delivers the reader's events; it is closed after Close.
func (w *watcher) Events() <-chan Event { return w.events }

// Close stops the reader, closes its connection and then its event channel. It is safe to call twice.
func (w *watcher) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		w.mu.Lock()
		if w.conn != nil {
			w.conn.Close()
		}
		w.mu.Unlock()
		w.wg.Wait()
		close(w.events)
	})
	return nil
}

func (w *watcher) closing() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// setStatus reports st unless it is the status reported last.
func (w *watcher) setStatus(st Status, err error) {
	if w.reported && st == w.status {
		return
	}
	w.status, w.reported = st, true
	w.send(Event{Kind: StatusChange, Status: st, Err: err})
}

// unreachable reports that the reader cannot be reached for err: reconnecting when it was connected,
// absent when nothing was reported yet.
func (w *watcher) unreachable(err error) {
	if w.status == Connected {
		w.setStatus(Reconnecting, err)
	} else if !w.reported {
		w.setStatus(Absent, nil)
	}
}

// openConn opens a connection with open and holds it for Close to interrupt. It returns the zero C and no
// error when the reader was closed meanwhile.
func openConn[C io.Closer](w *watcher, open func() (C, error)) (C, error) {
	var none C
	c, err := open()
	if err != nil {
		return none, err
	}
	if !w.hold(c) {
		return none, nil
	}
	return c, nil
}

// hold keeps conn as the open connection for Close to interrupt; when the reader is closing already it
// closes conn and returns false.
func (w *watcher) hold(conn io.Closer) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing() {
		conn.Close()
		return false
	}
	w.conn = conn
	return true
}

// release forgets the open connection before the reader closes it.
func (w *watcher) release() {
	w.mu.Lock()
	w.conn = nil
	w.mu.Unlock()
}

// wait sleeps for d and reports true, or returns false at once when the reader closes.
func (w *watcher) wait(d time.Duration) bool {
	select {
	case <-w.done:
		return false
	case <-time.After(d):
		return true
	}
}

// send delivers an event unless the reader is closing: a consumer that stopped reading cannot wedge Close.
func (w *watcher) send(ev Event) {
	ev.Reader, ev.At = w.name, time.Now()
	select {
	case w.events <- ev:
	case <-w.done:
	}
}
