//go:build windows

package cardreader

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// This file binds winscard.dll, Windows's PC/SC service, without cgo: keep it thin, the logic is in
// pcsc.go. The DLL is loaded on first use, so it is not among the exe's imports.

// OpenWinSCard starts watching the card reader cfg picks through Windows's smart card service; cfg.Open
// is replaced.
func OpenWinSCard(cfg PCSCConfig) (*PCSCReader, error) {
	cfg.Open = openWinSCard
	return OpenPCSC(cfg)
}

var (
	winscard                  = windows.NewLazySystemDLL("winscard.dll")
	procSCardEstablishContext = winscard.NewProc("SCardEstablishContext")
	procSCardReleaseContext   = winscard.NewProc("SCardReleaseContext")
	procSCardListReaders      = winscard.NewProc("SCardListReadersW")
	procSCardGetStatusChange  = winscard.NewProc("SCardGetStatusChangeW")
	procSCardCancel           = winscard.NewProc("SCardCancel")
	procSCardConnect          = winscard.NewProc("SCardConnectW")
	procSCardTransmit         = winscard.NewProc("SCardTransmit")
	procSCardDisconnect       = winscard.NewProc("SCardDisconnect")
)

// winscard.h and winerror.h.
const (
	scardScopeUser    = 0
	scardShareShared  = 2
	scardProtocolT0   = 0x1
	scardProtocolT1   = 0x2
	scardLeaveCard    = 0
	scardStateIgnore  = 0x001
	scardStateChanged = 0x002
	scardStateUnknown = 0x004
	scardStatePresent = 0x020
	scardStateMute    = 0x200
	// pnpNotification is the pseudo-reader whose state changes when a reader is attached or detached;
	// the high word of its state is the number of readers.
	pnpNotification = `\\?PnP?\Notification`
	// maxResponse is a short APDU's largest response: 256 bytes and the status word.
	maxResponse = 258
)

// scardError is a winscard return code.
type scardError uint32

const (
	scardECancelled          scardError = 0x80100002
	scardEInvalidHandle      scardError = 0x80100003
	scardEInsufficientBuffer scardError = 0x80100008
	scardEUnknownReader      scardError = 0x80100009
	scardETimeout            scardError = 0x8010000A
	scardESharingViolation   scardError = 0x8010000B
	scardENoSmartcard        scardError = 0x8010000C
	scardEReaderUnavailable  scardError = 0x80100017
	scardENoService          scardError = 0x8010001D
	scardEServiceStopped     scardError = 0x8010001E
	scardENoReadersAvailable scardError = 0x8010002E
	scardWUnresponsiveCard   scardError = 0x80100066
	scardWUnpoweredCard      scardError = 0x80100067
	scardWResetCard          scardError = 0x80100068
	scardWRemovedCard        scardError = 0x80100069
)

func (e scardError) Error() string {
	names := map[scardError]string{
		scardECancelled: "SCARD_E_CANCELLED", scardEInvalidHandle: "SCARD_E_INVALID_HANDLE",
		scardEInsufficientBuffer: "SCARD_E_INSUFFICIENT_BUFFER", scardEUnknownReader: "SCARD_E_UNKNOWN_READER",
		scardETimeout: "SCARD_E_TIMEOUT", scardESharingViolation: "SCARD_E_SHARING_VIOLATION",
		scardENoSmartcard: "SCARD_E_NO_SMARTCARD", scardEReaderUnavailable: "SCARD_E_READER_UNAVAILABLE",
		scardENoService: "SCARD_E_NO_SERVICE", scardEServiceStopped: "SCARD_E_SERVICE_STOPPED",
		scardENoReadersAvailable: "SCARD_E_NO_READERS_AVAILABLE", scardWUnresponsiveCard: "SCARD_W_UNRESPONSIVE_CARD",
		scardWUnpoweredCard: "SCARD_W_UNPOWERED_CARD", scardWResetCard: "SCARD_W_RESET_CARD",
		scardWRemovedCard: "SCARD_W_REMOVED_CARD",
	}
	if name, ok := names[e]; ok {
		return fmt.Sprintf("winscard: %s (0x%08X)", name, uint32(e))
	}
	return fmt.Sprintf("winscard: error 0x%08X", uint32(e))
}

// scardResult turns a return code into an error; nil for SCARD_S_SUCCESS.
func scardResult(rc uintptr) error {
	if uint32(rc) == 0 {
		return nil
	}
	return scardError(uint32(rc))
}

// scardReaderState is SCARD_READERSTATEW.
type scardReaderState struct {
	reader       *uint16
	userData     uintptr
	currentState uint32
	eventState   uint32
	atrLen       uint32
	atr          [36]byte
}

// scardIORequest is SCARD_IO_REQUEST.
type scardIORequest struct {
	protocol  uint32
	pciLength uint32
}

// winSCard is one established context and at most one connected card.
type winSCard struct {
	ctx   uintptr
	known map[string]uint32 // each reader's state when last reported
	first bool

	mu    sync.Mutex // held during every call but SCardCancel: Close releases the context after it
	card  uintptr
	proto uint32
	once  sync.Once
}

func openWinSCard() (PCSC, error) {
	if err := winscard.Load(); err != nil {
		return nil, fmt.Errorf("cardreader: %w", err)
	}
	var ctx uintptr
	rc, _, _ := procSCardEstablishContext.Call(scardScopeUser, 0, 0, uintptr(unsafe.Pointer(&ctx)))
	if err := scardResult(rc); err != nil {
		if errors.Is(err, scardENoService) || errors.Is(err, scardEServiceStopped) {
			return nil, fmt.Errorf("%w: %w", ErrNoReader, err) // runs only while a reader is plugged in
		}
		return nil, fmt.Errorf("cardreader: SCardEstablishContext: %w", err)
	}
	return &winSCard{ctx: ctx, known: map[string]uint32{}, first: true}, nil
}

// readers lists the attached readers' names; none is an empty list.
func (c *winSCard) readers() ([]string, error) {
	for range 3 { // a reader attached between the two calls needs a bigger buffer
		var n uint32
		rc, _, _ := procSCardListReaders.Call(c.ctx, 0, 0, uintptr(unsafe.Pointer(&n)))
		if err := scardResult(rc); errors.Is(err, scardENoReadersAvailable) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("SCardListReaders: %w", err)
		}
		buf := make([]uint16, n)
		rc, _, _ = procSCardListReaders.Call(c.ctx, 0, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
		switch err := scardResult(rc); {
		case errors.Is(err, scardEInsufficientBuffer):
			continue
		case errors.Is(err, scardENoReadersAvailable):
			return nil, nil
		case err != nil:
			return nil, fmt.Errorf("SCardListReaders: %w", err)
		}
		return splitReaderList(buf[:n]), nil
	}
	return nil, fmt.Errorf("SCardListReaders: %w", scardEInsufficientBuffer)
}

func (c *winSCard) WaitChange(timeout time.Duration) ([]ReaderState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	names, err := c.readers()
	if err != nil {
		return nil, err
	}
	// Report at once on the first call and when a reader was detached since the last one; a reader
	// attached since is new to SCardGetStatusChange (state unaware), which then returns at once.
	now := c.first
	c.first = false
	attached := map[string]bool{}
	for _, name := range names {
		attached[name] = true
	}
	for name := range c.known {
		if !attached[name] {
			delete(c.known, name)
			now = true
		}
	}
	pnp, err := windows.UTF16PtrFromString(pnpNotification)
	if err != nil {
		return nil, err
	}
	states := []scardReaderState{{reader: pnp, currentState: uint32(len(names)) << 16}}
	for _, name := range names {
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, err
		}
		states = append(states, scardReaderState{reader: p, currentState: c.known[name]})
	}
	ms := uint32(timeout / time.Millisecond)
	if now {
		ms = 0
	}
	rc, _, _ := procSCardGetStatusChange.Call(c.ctx, uintptr(ms), uintptr(unsafe.Pointer(&states[0])), uintptr(len(states)))
	switch err := scardResult(rc); {
	case errors.Is(err, scardETimeout) && !now:
		return nil, ErrTimeout
	case errors.Is(err, scardETimeout): // nothing changed on the readers left: report them as known
		for i := range states[1:] {
			states[i+1].eventState = c.known[names[i]]
		}
	case err != nil:
		return nil, fmt.Errorf("SCardGetStatusChange: %w", err)
	}
	var out []ReaderState
	for i, name := range names {
		ev := states[i+1].eventState &^ scardStateChanged
		c.known[name] = ev
		if ev&(scardStateUnknown|scardStateIgnore) != 0 {
			continue // detached meanwhile
		}
		rd := ReaderState{Name: name}
		switch {
		case ev&scardStateMute != 0:
			rd.Card = CardMute
		case ev&scardStatePresent != 0:
			rd.Card = CardIn
		}
		out = append(out, rd)
	}
	return out, nil
}

func (c *winSCard) Connect(reader string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	name, err := windows.UTF16PtrFromString(reader)
	if err != nil {
		return err
	}
	var card uintptr
	var proto uint32
	rc, _, _ := procSCardConnect.Call(c.ctx, uintptr(unsafe.Pointer(name)), scardShareShared,
		scardProtocolT0|scardProtocolT1, uintptr(unsafe.Pointer(&card)), uintptr(unsafe.Pointer(&proto)))
	if err := scardResult(rc); err != nil {
		return err
	}
	c.card, c.proto = card, proto
	return nil
}

func (c *winSCard) Transmit(apdu []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == 0 {
		return nil, errors.New("winscard: transmit without a connected card")
	}
	if len(apdu) == 0 {
		return nil, errors.New("winscard: empty APDU")
	}
	send := scardIORequest{protocol: c.proto, pciLength: uint32(unsafe.Sizeof(scardIORequest{}))}
	resp := make([]byte, maxResponse)
	n := uint32(len(resp))
	rc, _, _ := procSCardTransmit.Call(c.card, uintptr(unsafe.Pointer(&send)),
		uintptr(unsafe.Pointer(&apdu[0])), uintptr(len(apdu)), 0,
		uintptr(unsafe.Pointer(&resp[0])), uintptr(unsafe.Pointer(&n)))
	if err := scardResult(rc); err != nil {
		return nil, err
	}
	return resp[:n], nil
}

func (c *winSCard) Disconnect() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.disconnect()
}

func (c *winSCard) disconnect() error {
	if c.card == 0 {
		return nil
	}
	rc, _, _ := procSCardDisconnect.Call(c.card, scardLeaveCard)
	c.card = 0
	return scardResult(rc)
}

// Close cancels a wait in progress, then disconnects and releases the context. A wait that began just
// after a cancel would block until its timeout, so the cancel is repeated until the call returns.
func (c *winSCard) Close() error {
	c.once.Do(func() {
		for !c.mu.TryLock() {
			procSCardCancel.Call(c.ctx)
			time.Sleep(10 * time.Millisecond)
		}
		defer c.mu.Unlock()
		c.disconnect()
		procSCardReleaseContext.Call(c.ctx)
	})
	return nil
}
