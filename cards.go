package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"checkout/app"
	"checkout/devices/cardreader"
	"checkout/devices/sim"
	"checkout/store"
	"checkout/ui"
)

// cardKey returns the key that turns a swiped card's number into the token the store keeps
// (magstripe.Card.Token), creating it on first use. It lives in its own file beside the database, readable
// by the till's user only, so a copy of the database alone cannot be searched for card numbers.
func cardKey(dbPath string) ([]byte, error) {
	key, _, err := keyFile(dbPath, "card.key")
	return key, err
}

// cardSource is where card reader events come from: the USB reader, or the simulated one.
type cardSource interface {
	Events() <-chan cardreader.Event
	Close() error
}

// demoCardUID is the demo member's contactless card; the simulated reader taps it in the F11 sequence.
const demoCardUID = "04D3E0A1B2C3D4"

// openCardReader opens the card reader (openCardHardware): on Linux the USB card reader (cardreader.vid /
// cardreader.pid name one, else the first CCID reader), on Windows the PC/SC one. It reports absent while
// none is plugged in and connects when one is. On a demo till (no real scanner either) or with
// cardreader.mode sim, a simulated reader works beside it, so a tap can be shown without hardware; where
// the reader cannot be used at all (a build without cgo on Linux) it stands alone.
func openCardReader(set app.Settings, demo bool) (cardSource, *sim.CardReader, error) {
	usb := cardreader.USBConfig{}
	for key, field := range map[string]*uint16{"cardreader.vid": &usb.VID, "cardreader.pid": &usb.PID} {
		if v := set.Device(key); v != "" {
			n, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 16)
			if err != nil {
				return nil, nil, fmt.Errorf("%s %q: a hexadecimal USB ID such as 072f", key, v)
			}
			*field = uint16(n)
		}
	}
	var sources []cardSource
	var simulated *sim.CardReader
	if set.Device("cardreader.mode") != "sim" {
		r, err := openCardHardware(set, usb)
		if err != nil {
			slog.Warn("card reader", "err", err)
		} else {
			sources = append(sources, r)
		}
	}
	if demo || len(sources) == 0 { // cardreader.mode sim opened no USB reader
		simulated = sim.NewCardReader("simulated")
		sources = append(sources, simulated)
	}
	return mergeCards(sources), simulated, nil
}

// cardReaders is several card readers' events on one channel.
type cardReaders struct {
	sources []cardSource
	events  chan cardreader.Event
}

func mergeCards(sources []cardSource) *cardReaders {
	m := &cardReaders{sources: sources, events: make(chan cardreader.Event, 64)}
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range src.Events() {
				m.events <- ev
			}
		}()
	}
	go func() {
		wg.Wait()
		close(m.events)
	}()
	return m
}

func (m *cardReaders) Events() <-chan cardreader.Event { return m.events }

// Close closes every reader; Events closes once they have.
func (m *cardReaders) Close() error {
	var errs []error
	for _, src := range m.sources {
		errs = append(errs, src.Close())
	}
	return errors.Join(errs...)
}

// showCardEvent hands one card reader event to the till: a tapped card finds its member.
func showCardEvent(ev cardreader.Event, till *ui.Till) {
	switch ev.Kind {
	case cardreader.CardPresent:
		till.CardFromDevice(ev.UID, ev.UID)
	case cardreader.ReadError:
		till.RecordDeviceInput(ev.Reader, "", ev.Err)
	case cardreader.StatusChange:
		till.SetCardReaderState(ev.Reader, ev.Status.String())
	}
}

// seedDemoMember gives a first-run till a member with the demo card, so tapping it (F11) shows a member.
func seedDemoMember(ctx context.Context, st *store.Store) error {
	m, err := st.SaveMember(ctx, app.Member{Name: "Demo Member", Phone: "13800000000"}, time.Now())
	if err != nil {
		return err
	}
	return st.AddCard(ctx, m.ID, app.MemberCard{Token: demoCardUID, Label: demoCardUID}, time.Now())
}
