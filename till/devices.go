package till

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/picture"
	"checkout/devices/cardreader"
	"checkout/devices/labelprinter"
	"checkout/devices/printer"
	"checkout/devices/scale"
	"checkout/devices/scanner"
	"checkout/devices/sim"
	"checkout/store/replica"
)

// CheckSetting refuses a hardware setting the devices could not use, before it is saved: each device
// package checks its own (scanner.*, cardreader.*, printer.*, scale.*); keyboard.wedge_gap_ms and
// keyboard.onscreen are the screens'; display.logo and display.slideshow must be a picture and a folder
// with pictures in it, so that the owner hears of a wrong path when setting it, not from a blank display.
func CheckSetting(key, value string) error {
	switch {
	case key == "keyboard.wedge_gap_ms":
		if n, err := strconv.Atoi(value); err != nil || n < 10 || n > 150 {
			return fmt.Errorf("%w: keyboard.wedge_gap_ms %q: 10 to 150", app.ErrInvalidSetting, value)
		}
	case key == "keyboard.onscreen":
		if value != "" && value != "auto" && value != "on" && value != "off" {
			return fmt.Errorf("%w: keyboard.onscreen %q: auto (on a machine with a touch screen), on or off", app.ErrInvalidSetting, value)
		}
	case strings.HasPrefix(key, "scanner."):
		return scanner.CheckSetting(key, value)
	case strings.HasPrefix(key, "cardreader."):
		return cardreader.CheckSetting(key, value)
	case strings.HasPrefix(key, "printer."):
		return printer.CheckSetting(key, value)
	case strings.HasPrefix(key, "scale."):
		return scale.CheckSetting(key, value)
	case strings.HasPrefix(key, "labels."):
		return labelprinter.CheckSetting(key, value)
	case key == "display.logo" && strings.TrimSpace(value) != "":
		if err := picture.Check(strings.TrimSpace(value)); err != nil {
			return fmt.Errorf("%w: display.logo: %v", app.ErrInvalidSetting, err)
		}
	case key == "display.slideshow" && strings.TrimSpace(value) != "":
		slides, err := picture.Slides(strings.TrimSpace(value))
		if err == nil && len(slides) == 0 {
			err = fmt.Errorf("no .png, .jpg or .jpeg files in %s", value)
		}
		if err != nil {
			return fmt.Errorf("%w: display.slideshow: %v", app.ErrInvalidSetting, err)
		}
	case key == "backup.target" && value != "":
		target, err := replica.ParseTarget(value)
		if err == nil {
			err = target.Check(context.Background())
		}
		if err != nil {
			return fmt.Errorf("%w: %v", app.ErrInvalidSetting, err)
		}
	}
	return nil
}

// onscreenKeypad says whether the screens show a numeric keypad: keyboard.onscreen on or off, or by
// default (auto) when the machine has a touch screen.
func onscreenKeypad(set app.Settings, hasTouch func() bool) bool {
	switch set.Device("keyboard.onscreen") {
	case "on":
		return true
	case "off":
		return false
	}
	return hasTouch()
}

// wedgeGap is the keyboard-wedge gap setting, or 0 for the default.
func wedgeGap(set app.Settings) time.Duration {
	n, err := strconv.Atoi(set.Device("keyboard.wedge_gap_ms"))
	if err != nil {
		return 0
	}
	return time.Duration(n) * time.Millisecond
}

// scannerSource is where scanner events come from: serial scanners, or the simulated one.
type scannerSource interface {
	Events() <-chan scanner.Event
	Close() error
}

// openScanners opens the configured serial scanners; with none configured or found, a simulated scanner
// stands in beside the keyboard wedge, so a till without hardware still shows what a scanner does.
func openScanners(configs []scanner.Config) (scannerSource, *sim.Scanner, error) {
	if len(configs) > 0 {
		set, err := scanner.OpenAll(configs)
		return set, nil, err
	}
	s := sim.NewScanner(lang.L("simulated"))
	return s, s, nil
}

// openCardReader opens the card reader (cardreader.OpenSystem): on Linux the USB card reader
// (cardreader.vid / cardreader.pid name one, else the first CCID reader), on Windows the PC/SC one. It
// reports absent while none is plugged in and connects when one is. On a demo till (no real scanner
// either) or with cardreader.mode sim, a simulated reader works beside it, so a tap can be shown without
// hardware; where the reader cannot be used at all (a build without cgo on Linux) it stands alone.
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
		simulated = sim.NewCardReader(lang.L("simulated"))
		sources = append(sources, simulated)
	}
	return cardreader.Merge(sources...), simulated, nil
}

// openPrinter makes the receipt printer the printer.* settings name: printer.port a serial port,
// tcp://HOST[:9100], usb or usb:VID:PID, or sim. With printer.port sim, or none on a demo till (no real
// scanner either), a simulated printer appends the ESC/POS bytes to receipts.escpos beside the database.
// With none on a real till there is no printer (nil) and receipts are shown on screen. Nothing is opened
// yet: each receipt connects anew, so a printer switched on later just works.
func openPrinter(set app.Settings, dbPath, language string, demo bool) (*printer.Printer, *sim.Printer, error) {
	if !strings.HasPrefix(language, "zh") {
		language = "en"
	} else {
		language = "zh-Hans"
	}
	cfg, err := printer.ParseConfig(set.Device, language)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Port == "sim" || cfg.Port == "" && demo {
		s := sim.NewPrinter(filepath.Join(filepath.Dir(dbPath), "receipts.escpos"))
		return printer.NewWith(cfg, s.Open), s, nil
	}
	if cfg.Port == "" {
		return nil, nil, nil
	}
	p, err := printer.New(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("printer.port: %w", err)
	}
	return p, nil, nil
}

// scaleSource is where the counter scale's events come from: a serial scale, or the simulated one.
type scaleSource interface {
	Events() <-chan scale.Event
	Close() error
}

// openScale opens the counter scale the scale.* settings name. With scale.port sim, or none on a till
// started with -demo, the simulated scale stands in, so weighing can be shown without one; with none
// otherwise there is no scale (nil) and weights are typed, as before scales. Unlike the simulated
// scanner, card reader and printer it does not stand in at every till without serial scanners: it
// would sell made-up weights at a real counter.
func openScale(set app.Settings, demo bool) (scaleSource, *sim.Scale, error) {
	cfg, ok, err := scale.ParseConfig(set.Device)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Port == scale.SimPort || !ok && demo {
		s := sim.NewScale(lang.L("simulated"))
		return s, s, nil
	}
	if !ok {
		return nil, nil, nil
	}
	s, err := scale.Open(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("scale.port: %w", err)
	}
	return s, nil, nil
}

// demoLoad is a plausible weight for a demo's weighed product: 300 g to 1.5 kg, to the gram.
func demoLoad() int64 { return 300 + rand.Int64N(1200) }
