package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/devices/cardreader"
	"checkout/devices/printer"
	"checkout/devices/scanner"
	"checkout/devices/sim"
	"checkout/ui"
)

// checkDeviceSetting refuses a hardware setting the devices could not use, before it is saved.
func checkDeviceSetting(key, value string) error {
	switch key {
	case "scanner.baud", "scanner.terminator":
		return scanner.CheckSetting(key, value)
	case "keyboard.wedge_gap_ms":
		if n, err := strconv.Atoi(value); err != nil || n < 10 || n > 150 {
			return fmt.Errorf("%w: keyboard.wedge_gap_ms %q: 10 to 150", app.ErrInvalidSetting, value)
		}
	default:
		if strings.HasPrefix(key, "printer.") {
			return printer.CheckSetting(key, value)
		}
		if strings.HasPrefix(key, "cardreader.") {
			return cardreader.CheckSetting(key, value)
		}
	}
	return nil
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
	s := sim.NewScanner("simulated")
	return s, s, nil
}

// showScannerEvent hands one scanner event to the till.
func showScannerEvent(ev scanner.Event, till *ui.Till) {
	switch ev.Kind {
	case scanner.Scan:
		till.RecordDeviceInput(ev.Scanner, ev.Code, nil)
		till.ScanFromDevice(ev.Code)
	case scanner.FrameError:
		till.RecordDeviceInput(ev.Scanner, "", ev.Err)
	case scanner.StatusChange:
		till.SetDeviceState(ev.Scanner, ev.Status.String())
	}
}

// demoCodes are what the simulated scanner scans in turn, from the demo catalog: a can of cola, a
// weighed-banana scale label (0.750 kg), the cola as a GS1 DataBar with an expiry date, and with its
// AIM identifier.
var demoCodes = []string{
	"5449000000996",
	withCheck("200010100750"),
	"]e00105449000000996" + "17" + time.Now().AddDate(0, 6, 0).Format("060102"),
	"]E05449000000996",
}

func withCheck(data string) string { return data + string(barcode.CheckDigit(data)) }
