package main

import (
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.bug.st/serial"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/devices/printer"
	"checkout/devices/scanner"
	"checkout/devices/sim"
	"checkout/ui"
)

// scannerConfigs decides which serial scanners the till opens: the -scanner flag, else the saved
// scanner.ports setting, else the ports whose USB vendor makes scanners. Baud, terminator and prefix come
// from the settings (scanner.baud, scanner.terminator, scanner.prefix).
func scannerConfigs(flagPorts string, set app.Settings) ([]scanner.Config, error) {
	base := scanner.Config{}
	if v := set.Device("scanner.baud"); v != "" {
		baud, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("scanner.baud %q: %w", v, err)
		}
		base.Baud = baud
	}
	if v := set.Device("scanner.terminator"); v != "" {
		t, err := scanner.ParseTerminator(v)
		if err != nil {
			return nil, err
		}
		base.Terminator = t
	}
	base.Prefix = set.Device("scanner.prefix")

	ports := splitList(flagPorts)
	if len(ports) == 0 {
		ports = splitList(set.Device("scanner.ports"))
	}
	var found []scanner.Config
	for _, p := range ports {
		found = append(found, scanner.Config{Name: p, Port: p})
	}
	if len(ports) == 0 {
		var err error
		if found, err = scanner.Discover(); err != nil {
			slog.Warn("scanner discovery", "err", err)
		}
	}
	configs := make([]scanner.Config, 0, len(found))
	for _, f := range found {
		c := base
		c.Name, c.Port = f.Name, f.Port
		configs = append(configs, c)
	}
	return configs, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkDeviceSetting refuses a hardware setting the devices could not use, before it is saved.
func checkDeviceSetting(key, value string) error {
	switch key {
	case "scanner.baud":
		if n, err := strconv.Atoi(value); err != nil || n <= 0 {
			return fmt.Errorf("%w: scanner.baud %q: a positive number such as 9600", app.ErrInvalidSetting, value)
		}
	case "scanner.terminator":
		if _, err := scanner.ParseTerminator(value); err != nil {
			return fmt.Errorf("%w: %v", app.ErrInvalidSetting, err)
		}
	case "keyboard.wedge_gap_ms":
		if n, err := strconv.Atoi(value); err != nil || n < 10 || n > 150 {
			return fmt.Errorf("%w: keyboard.wedge_gap_ms %q: 10 to 150", app.ErrInvalidSetting, value)
		}
	case "cardreader.vid", "cardreader.pid":
		if _, err := strconv.ParseUint(strings.TrimPrefix(value, "0x"), 16, 16); err != nil && value != "" {
			return fmt.Errorf("%w: %s %q: a hexadecimal USB ID such as 072f", app.ErrInvalidSetting, key, value)
		}
	case "cardreader.mode":
		if modes := cardModes(); value != "" && !slices.Contains(modes, value) {
			return fmt.Errorf("%w: cardreader.mode %q: %s or %s", app.ErrInvalidSetting, value,
				strings.Join(modes[:len(modes)-1], ", "), modes[len(modes)-1])
		}
	default:
		if strings.HasPrefix(key, "printer.") {
			return printer.CheckSetting(key, value)
		}
		if strings.HasPrefix(key, "cardreader.") && !slices.Contains(cardSettings(), key) {
			return fmt.Errorf("%w: unknown setting %q (%s)", app.ErrInvalidSetting, key, strings.Join(cardSettings(), ", "))
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

// listPorts lists the serial ports for the devices screen.
func listPorts() []string {
	ports, err := serial.GetPortsList()
	if err != nil {
		slog.Warn("list serial ports", "err", err)
	}
	return ports
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
