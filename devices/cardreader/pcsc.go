package cardreader

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf16"
)

// PCSC is the operating system's smart-card service as PCSCReader uses it: winscard.dll on Windows
// (pcsc_windows.go), a fake in tests. One value is one established context; it is used by one goroutine,
// except Close.
type PCSC interface {
	// WaitChange returns the attached readers once a reader is attached or detached or a card arrives
	// or leaves, and at once on the first call. With nothing changed within timeout it returns
	// ErrTimeout. Any other error means the service or the context is lost (Windows stops the service
	// when the last reader is unplugged): the context is closed and established anew.
	WaitChange(timeout time.Duration) ([]ReaderState, error)
	// Connect connects to the card in the named reader, shared, with T=0 or T=1.
	Connect(reader string) error
	// Transmit sends one APDU to the connected card and returns its response, status word included.
	Transmit(apdu []byte) ([]byte, error)
	// Disconnect ends the connection and leaves the card as it is.
	Disconnect() error
	// Close releases the context; a WaitChange blocked in another goroutine returns. Safe to call twice.
	Close() error
}

// ReaderState is one attached PC/SC reader and what is in its field.
type ReaderState struct {
	Name string // as the service names it, e.g. "ACS ACR122 0"
	Card CardState
}

// CardState is what a PC/SC reader reports about its field.
type CardState int

const (
	NoCard   CardState = iota // the field is empty
	CardIn                    // a card answered the reader
	CardMute                  // a card is there but does not answer
)

// ErrCardMute is the ReadError of a card the reader sees but cannot talk to.
var ErrCardMute = errors.New("pcsc: the card in the field does not answer")

// errReaderDetached is the Err of the Reconnecting status when the watched reader was unplugged.
var errReaderDetached = errors.New("pcsc: reader detached")

// PCSCConfig is a card reader reached through the system's PC/SC service.
type PCSCConfig struct {
	Name string // how the till names it in the status bar and logs; "card reader" when empty
	// Reader picks the PC/SC reader: the first whose name contains it, ignoring case ("ACR122", "PICC").
	// When empty, the first reader listed.
	Reader string
	// RetryInterval is how soon a card whose UID could not be read is tried again; 250 ms when 0.
	RetryInterval time.Duration
	// Open establishes a context. It is called again after every loss. It returns ErrNoReader when the
	// service is not running (on Windows it runs only while a reader is plugged in).
	Open func() (PCSC, error)
}

// pcscIdleWait bounds one WaitChange when nothing is pending: Close interrupts it anyway, so it only
// limits how long a service that stopped answering goes unnoticed.
const pcscIdleWait = 5 * time.Second

// PCSCReader is a card reader watched through PC/SC. It reports the same Events as Reader: one
// CardPresent per tap with the UID from GET DATA (FF CA 00 00 00), CardRemoved, ReadError, and the
// status (absent, connected, reconnecting) of the reader it picked.
type PCSCReader struct {
	*watcher
	cfg PCSCConfig
}

// OpenPCSC starts watching the reader cfg picks. A missing reader, or a service that is not running, is
// not an error: the reader reports Absent and connects when one is plugged in.
func OpenPCSC(cfg PCSCConfig) (*PCSCReader, error) {
	if cfg.Open == nil {
		return nil, errors.New("cardreader: PCSCConfig.Open is nil")
	}
	if cfg.Name == "" {
		cfg.Name = "card reader"
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = defaultPoll
	}
	r := &PCSCReader{watcher: newWatcher(cfg.Name), cfg: cfg}
	r.start(r.run)
	return r, nil
}

// pcscWatch is the card reported on the reader.
type pcscWatch struct {
	r *PCSCReader

	reader   string // the reader the card is on
	uid      string // the card reported present; "" when none
	attempts int    // failed UID reads of the card now in the field
	gaveUp   bool   // a ReadError was reported for the card now in the field
}

// removed reports the card that was reported present as gone, and forgets it.
func (w *pcscWatch) removed() {
	if w.uid != "" {
		w.r.send(Event{Kind: CardRemoved, UID: w.uid})
	}
	w.uid, w.attempts, w.gaveUp = "", 0, false
}

func (r *PCSCReader) run() {
	w := &pcscWatch{r: r}
	backoff := firstBackoff
	lastOpenErr := ""
	for {
		p, err := openConn(r.watcher, r.cfg.Open)
		switch {
		case err != nil:
			if !errors.Is(err, ErrNoReader) && err.Error() != lastOpenErr {
				slog.Warn("PC/SC card reader: cannot reach the smart card service", "reader", r.cfg.Name, "err", err)
			}
			lastOpenErr = err.Error()
			r.unreachable(err)
		case p == nil:
			return // closed while opening
		default:
			lastOpenErr = ""
			answered, err := r.watch(w, p)
			r.release()
			p.Close()
			if r.closing() {
				return
			}
			w.removed()
			if r.status == Connected {
				slog.Warn("PC/SC card reader: smart card service lost", "reader", r.cfg.Name, "err", err)
			} else {
				// Windows stops the service while no reader is plugged in: a context then fails at once.
				slog.Debug("PC/SC card reader: smart card service lost", "reader", r.cfg.Name, "err", err)
			}
			r.unreachable(err)
			if answered {
				backoff = firstBackoff
			}
		}
		// Wait before trying again, longer each time it fails at once.
		if !r.wait(backoff) {
			return
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// watch follows the readers' states until the context is lost or Close. answered says whether the
// service answered at all before it was lost.
func (r *PCSCReader) watch(w *pcscWatch, p PCSC) (answered bool, err error) {
	var readers []ReaderState
	wait := pcscIdleWait
	for {
		states, err := p.WaitChange(wait)
		if r.closing() {
			return answered, nil
		}
		switch {
		case errors.Is(err, ErrTimeout): // nothing changed: retry a pending read with the states known
		case err != nil:
			return answered, err
		default:
			readers = states
		}
		answered = true
		wait = pcscIdleWait
		if r.step(w, p, readers) {
			wait = r.cfg.RetryInterval
		}
	}
}

// step acts on the readers' states: it reports the reader's status and a card that arrived or left. It
// returns true when a card's UID is still to be read.
func (r *PCSCReader) step(w *pcscWatch, p PCSC, readers []ReaderState) (retry bool) {
	rd, ok := r.pick(readers)
	if !ok {
		w.removed()
		r.unreachable(errReaderDetached)
		return false
	}
	r.setStatus(Connected, nil)
	if rd.Name != w.reader { // another reader than the card was on
		w.removed()
		w.reader = rd.Name
	}
	switch {
	case rd.Card == NoCard:
		w.removed()
		return false
	case rd.Card == CardMute:
		if w.uid != "" {
			w.removed()
		}
		if !w.gaveUp {
			w.gaveUp = true
			r.send(Event{Kind: ReadError, Err: ErrCardMute})
		}
		return false
	case w.uid != "" || w.gaveUp:
		return false // the card reported, or given up on, is still there
	}
	uid, err := readPCSCUID(p, rd.Name)
	if err != nil {
		// The card left mid-exchange or answered badly: try again soon, and say so if it persists.
		slog.Debug("PC/SC card reader: reading the UID failed", "reader", r.cfg.Name, "err", err)
		w.attempts++
		if w.attempts >= maxReadAttempts || errors.Is(err, ErrUIDUnsupported) {
			w.gaveUp = true
			r.send(Event{Kind: ReadError, Err: err})
			return false
		}
		return true
	}
	w.uid = uid
	r.send(Event{Kind: CardPresent, UID: uid})
	return false
}

// pick returns the reader the config names, or the first one.
func (r *PCSCReader) pick(readers []ReaderState) (ReaderState, bool) {
	for _, rd := range readers {
		if r.cfg.Reader == "" || strings.Contains(strings.ToLower(rd.Name), strings.ToLower(r.cfg.Reader)) {
			return rd, true
		}
	}
	return ReaderState{}, false
}

// readPCSCUID connects to the card in reader, asks for its UID and disconnects, leaving the card.
func readPCSCUID(p PCSC, reader string) (string, error) {
	if err := p.Connect(reader); err != nil {
		return "", fmt.Errorf("connect to the card in %s: %w", reader, err)
	}
	resp, err := p.Transmit(GetUID())
	if derr := p.Disconnect(); err == nil && derr != nil {
		slog.Debug("PC/SC card reader: disconnect", "reader", reader, "err", derr)
	}
	if err != nil {
		return "", fmt.Errorf("get UID: %w", err)
	}
	uid, err := ParseUID(resp)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(hex.EncodeToString(uid)), nil
}

// splitReaderList splits the reader list SCardListReaders returns: UTF-16 names each ended by a NUL, the
// list by an empty name.
func splitReaderList(buf []uint16) []string {
	var names []string
	for len(buf) > 0 {
		end := 0
		for end < len(buf) && buf[end] != 0 {
			end++
		}
		if end == 0 {
			break
		}
		names = append(names, string(utf16.Decode(buf[:end])))
		buf = buf[min(end+1, len(buf)):]
	}
	return names
}
