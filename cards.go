package main

import (
	"context"
	"log/slog"
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

// demoCardUID is the demo member's contactless card; the simulated reader taps it in the F11 sequence.
const demoCardUID = "04D3E0A1B2C3D4"

// openCardReader opens the card reader (cardreader.OpenSystem): on Linux the USB card reader (cardreader.vid /
// cardreader.pid name one, else the first CCID reader), on Windows the PC/SC one. It reports absent while
// none is plugged in and connects when one is. On a demo till (no real scanner either) or with
// cardreader.mode sim, a simulated reader works beside it, so a tap can be shown without hardware; where
// the reader cannot be used at all (a build without cgo on Linux) it stands alone.
func openCardReader(set app.Settings, demo bool) (cardreader.Source, *sim.CardReader, error) {
	usb, err := cardreader.ParseUSBConfig(set.Device)
	if err != nil {
		return nil, nil, err
	}
	var sources []cardreader.Source
	var simulated *sim.CardReader
	if set.Device("cardreader.mode") != "sim" {
		r, err := cardreader.OpenSystem(set.Device, usb)
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
	return cardreader.Merge(sources...), simulated, nil
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
