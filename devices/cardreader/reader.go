package cardreader

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"checkout/devices"
)

// Transport carries whole CCID messages to and from one reader: bulk-OUT and bulk-IN on USB.
type Transport interface {
	// Write sends one command message.
	Write(msg []byte) error
	// Read returns the next whole message, or ErrTimeout when none came within timeout. Any other error
	// means the reader is gone.
	Read(timeout time.Duration) ([]byte, error)
	// Close releases the reader and makes a blocked Read return.
	Close() error
}

// Transport errors.
var (
	// ErrTimeout is what Transport.Read returns when no message arrived in time.
	ErrTimeout = errors.New("cardreader: read timed out")
	// ErrNoReader is what Config.Open returns when no reader is plugged in: a status, not a failure.
	ErrNoReader = errors.New("cardreader: no reader found")
)

// Config is one card reader.
type Config struct {
	Name string // how the till names it in the status bar and logs; "card reader" when empty
	Slot byte   // the CCID slot of the contactless field: 0 on single-slot readers
	// PollInterval is how often the slot is asked whether a card is there; 250 ms when 0, quick enough
	// that a tap feels immediate and slow enough to leave the reader time for its RF polling.
	PollInterval time.Duration
	// Open connects to the reader. It is called again after every loss, so it must find the reader anew
	// (it may have come back at another bus address). It returns ErrNoReader when none is plugged in.
	Open func() (Transport, error)
}

// EventKind says what an Event reports.
type EventKind int

const (
	CardPresent  EventKind = iota // a card was tapped: UID says which
	CardRemoved                   // the card left the field, or the reader with it: UID says which
	ReadError                     // a card is in the field but its UID cannot be read; Err says why
	StatusChange                  // the reader was connected, lost or is missing
)

func (k EventKind) String() string {
	switch k {
	case CardPresent:
		return "card present"
	case CardRemoved:
		return "card removed"
	case ReadError:
		return "read error"
	case StatusChange:
		return "status change"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Status is where the device's connection stands (devices.Status).
type Status = devices.Status

// The statuses, as devices names them.
const (
	Absent       = devices.Absent
	Connected    = devices.Connected
	Reconnecting = devices.Reconnecting
)

// Event is what a reader reports, in the order it happened.
type Event struct {
	Reader string
	Kind   EventKind
	UID    string // upper-case hex, for CardPresent and CardRemoved
	Status Status // for StatusChange
	Err    error  // for ReadError, and for StatusChange when a connection was lost
	At     time.Time
}

const (
	defaultPoll = 250 * time.Millisecond
	// Reconnect backoff: quick at first so a replugged reader is back at once, capped so a missing one
	// costs one USB scan a second.
	firstBackoff = 50 * time.Millisecond
	maxBackoff   = time.Second
	// replyTimeout bounds the wait for one reply. Some readers answer "no card" only after ~1 s.
	replyTimeout = 2 * time.Second
	// exchangeTimeout bounds one command including the time extensions a reader may ask for.
	exchangeTimeout = 5 * time.Second
	// maxStaleReplies is how many replies with an old sequence number (answers to a command that timed
	// out) are skipped before the exchange is given up.
	maxStaleReplies = 4
	// maxProtocolFailures consecutive polls that end in nonsense make the reader be reopened, which
	// resets its USB state.
	maxProtocolFailures = 3
	// maxReadAttempts is how many polls try to read a present card's UID before one ReadError is reported
	// for it.
	maxReadAttempts = 3
)

// Reader is one card reader, kept connected by its own goroutine: it opens the transport, polls the slot,
// and on any transport error closes it and reopens with backoff until Close.
type Reader struct {
	*watcher
	cfg Config
}

// Open starts polling the reader cfg.Open finds. A missing reader is not an error: the Reader reports
// Absent and keeps looking, so a reader plugged in after the till started just works.
func Open(cfg Config) (*Reader, error) {
	if cfg.Open == nil {
		return nil, errors.New("cardreader: Config.Open is nil")
	}
	if cfg.Name == "" {
		cfg.Name = "card reader"
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = defaultPoll
	}
	r := &Reader{watcher: newWatcher(cfg.Name), cfg: cfg}
	r.start(r.run)
	return r, nil
}

func (r *Reader) run() {
	backoff := firstBackoff
	lastOpenErr := ""
	for {
		t, err := openConn(r.watcher, r.cfg.Open)
		if err != nil {
			// Log a real failure (no permission, reader held by pcscd) once, not every retry.
			if !errors.Is(err, ErrNoReader) && err.Error() != lastOpenErr {
				slog.Warn("card reader open failed", "reader", r.cfg.Name, "err", err)
			}
			lastOpenErr = err.Error()
			r.unreachable(err)
			if !r.wait(backoff) {
				return
			}
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		if t == nil {
			return // closed while opening
		}
		backoff = firstBackoff
		r.setStatus(Connected, nil)
		s := &session{t: t, slot: r.cfg.Slot}
		err = r.poll(s)
		r.release()
		t.Close()
		if r.closing() {
			return
		}
		if s.uid != "" { // the card went with the reader
			r.send(Event{Kind: CardRemoved, UID: s.uid})
		}
		slog.Warn("card reader lost", "reader", r.cfg.Name, "err", err)
		r.setStatus(Reconnecting, err)
	}
}

// poll asks the slot for its card every PollInterval until the transport fails, the reader keeps
// answering nonsense, or Close.
func (r *Reader) poll(s *session) error {
	ticker := time.NewTicker(r.cfg.PollInterval)
	defer ticker.Stop()
	failures := 0
	for {
		err := r.step(s)
		if r.closing() {
			return nil
		}
		switch {
		case err == nil:
			failures = 0
		case errors.Is(err, errTransport):
			return err
		default:
			failures++
			slog.Debug("card reader exchange failed", "reader", r.cfg.Name, "err", err)
			if failures >= maxProtocolFailures {
				return fmt.Errorf("%d exchanges failed in a row, last: %w", failures, err)
			}
		}
		select {
		case <-r.done:
			return nil
		case <-ticker.C:
		}
	}
}

// step is one poll: it reports a card that arrived or left. An error means the exchange itself failed.
func (r *Reader) step(s *session) error {
	st, err := s.exchange(GetSlotStatus(s.slot, s.nextSeq()))
	if err != nil {
		return err
	}
	switch {
	case st.ICC == ICCAbsent:
		if s.uid != "" {
			r.send(Event{Kind: CardRemoved, UID: s.uid})
		}
		s.forget()
		return nil
	case st.ICC == ICCActive && s.uid != "":
		return nil // the card reported is still there
	case s.gaveUp:
		return nil // an unreadable card is still there; wait for it to leave
	}
	// A card is there that was not reported, or the slot lost power since (a new card, or a reader that
	// does not keep cards powered): read its UID, and report only a change.
	uid, err := s.readUID()
	switch {
	case err == nil:
		if uid == s.uid {
			return nil
		}
		if s.uid != "" {
			r.send(Event{Kind: CardRemoved, UID: s.uid})
		}
		s.forget()
		s.uid = uid
		r.send(Event{Kind: CardPresent, UID: uid})
		return nil
	case errors.Is(err, errTransport):
		return err
	case cardError(err):
		// The card left mid-exchange or answered badly: try again next poll, and say so if it persists.
		s.attempts++
		if s.attempts >= maxReadAttempts || errors.Is(err, ErrUIDUnsupported) {
			s.gaveUp = true
			r.send(Event{Kind: ReadError, Err: err})
		}
		return nil
	default:
		return err
	}
}

// cardError reports an error that comes from the card, not from a confused reader.
func cardError(err error) bool {
	var cmdErr *CommandError
	var swErr *StatusWordError
	return errors.As(err, &cmdErr) || errors.As(err, &swErr) ||
		errors.Is(err, ErrUIDFailed) || errors.Is(err, ErrUIDUnsupported)
}

// errTransport marks an error from the transport itself: the reader is gone.
var errTransport = errors.New("transport")

// session is one connection to a reader: its sequence numbers and the card it has reported.
type session struct {
	t    Transport
	slot byte
	seq  byte

	uid      string // the card reported present; "" when none
	attempts int    // failed UID reads of the card now in the field
	gaveUp   bool   // a ReadError was reported for the card now in the field
}

func (s *session) nextSeq() byte {
	seq := s.seq
	s.seq++
	return seq
}

func (s *session) forget() { s.uid, s.attempts, s.gaveUp = "", 0, false }

// readUID powers the card and asks for its UID.
func (s *session) readUID() (string, error) {
	if _, err := s.exchange(IccPowerOn(s.slot, s.nextSeq(), VoltageAuto)); err != nil {
		return "", err
	}
	reply, err := s.exchange(XfrBlock(s.slot, s.nextSeq(), 0, 0, GetUID()))
	if err != nil {
		return "", err
	}
	uid, err := ParseUID(reply.Data)
	if err != nil {
		return "", err
	}
	return strings.ToUpper(hex.EncodeToString(uid)), nil
}

// exchange sends cmd and returns its reply, waiting through time extensions and skipping stale replies.
func (s *session) exchange(cmd []byte) (Reply, error) {
	if err := s.t.Write(cmd); err != nil {
		return Reply{}, fmt.Errorf("%w: write: %w", errTransport, err)
	}
	deadline := time.Now().Add(exchangeTimeout)
	stale := 0
	for {
		wait := min(replyTimeout, time.Until(deadline))
		if wait <= 0 {
			return Reply{}, fmt.Errorf("no reply to command 0x%02X within %v: %w", cmd[0], exchangeTimeout, ErrTimeout)
		}
		msg, err := s.t.Read(wait)
		if errors.Is(err, ErrTimeout) {
			return Reply{}, fmt.Errorf("no reply to command 0x%02X: %w", cmd[0], err)
		}
		if err != nil {
			return Reply{}, fmt.Errorf("%w: read: %w", errTransport, err)
		}
		reply, err := ParseReply(cmd, msg)
		switch {
		case errors.Is(err, ErrTimeExtension):
			continue
		case errors.Is(err, ErrWrongSequence) && stale < maxStaleReplies:
			stale++
			continue
		}
		return reply, err
	}
}
