package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app/barcode"
)

// Device states as devices report them.
const (
	DeviceConnected    = "connected"
	DeviceReconnecting = "reconnecting"
	DeviceAbsent       = "absent"
)

// deviceLogSize is how many raw inputs the devices screen keeps.
const deviceLogSize = 30

// deviceBoard is what the till knows of its devices: each one's state and the latest raw inputs.
type deviceBoard struct {
	fallback string            // status shown while no device has reported
	states   map[string]string // device name → state
	labels   map[string]string // device name → what it is ("Scanner", "Card reader")
	log      []string          // newest last
}

func newDeviceBoard(fallback string) *deviceBoard {
	return &deviceBoard{fallback: fallback, states: map[string]string{}, labels: map[string]string{}}
}

// summary is the status bar's text, e.g. "Scanner /dev/ttyACM0: connected".
func (b *deviceBoard) summary() string {
	if len(b.states) == 0 {
		return b.fallback
	}
	names := make([]string, 0, len(b.states))
	for n := range b.states {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = b.labels[n] + ": " + stateText(b.states[n])
	}
	return strings.Join(parts, " · ")
}

func stateText(state string) string {
	switch state {
	case DeviceConnected:
		return lang.L("connected")
	case DeviceReconnecting:
		return lang.L("reconnecting")
	case DeviceAbsent:
		return lang.L("absent")
	}
	return state
}

func (b *deviceBoard) record(line string) {
	b.log = append(b.log, line)
	if len(b.log) > deviceLogSize {
		b.log = b.log[len(b.log)-deviceLogSize:]
	}
}

// SetDeviceState shows a scanner's state (DeviceConnected, …) in the status bar. Any goroutine may call it.
func (t *Till) SetDeviceState(device, state string) {
	t.setDeviceState(device, lang.L("Scanner")+" "+device, state)
}

// SetCardReaderState shows the card reader's state in the status bar. Any goroutine may call it.
func (t *Till) SetCardReaderState(reader, state string) {
	t.setDeviceState("card reader "+reader, lang.L("Card reader")+" "+reader, state)
}

func (t *Till) setDeviceState(device, label, state string) {
	onUI(func() {
		t.devices.labels[device] = label
		if t.devices.states[device] != state {
			t.devices.record(fmt.Sprintf("%s  %s  %s", t.opt.Now().Format("15:04:05"), device, stateText(state)))
		}
		t.devices.states[device] = state
		t.status.SetText(t.devices.summary())
		t.refreshDevices()
	})
}

// SetPrinterState shows in the status bar how the printer answered a status request: err nil is ready.
// Any goroutine may call it.
func (t *Till) SetPrinterState(err error) {
	onUI(func() {
		state := lang.L("ready")
		if err != nil {
			state = printerProblem(err)
		}
		t.setDeviceState("printer", lang.L("Printer"), state)
	})
}

// RecordDeviceInput adds what a device received to the devices screen's live view: a code, or why a
// frame was dropped. Pay codes are shown only by prefix and length. Any goroutine may call it.
func (t *Till) RecordDeviceInput(device, code string, dropped error) {
	onUI(func() {
		at := t.opt.Now().Format("15:04:05.000")
		if dropped != nil {
			t.devices.record(fmt.Sprintf("%s  %s  %s: %v", at, device, lang.L("dropped"), dropped))
		} else {
			t.devices.record(fmt.Sprintf("%s  %s  %s", at, device, describeCode(t.co.Settings().BarcodeRules(), code)))
		}
		t.refreshDevices()
	})
}

// describeCode says what the till reads in a code, for the scanner test.
func describeCode(rules barcode.Rules, raw string) string {
	c, err := rules.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%s → %v", barcode.LogSafe(raw), err)
	}
	shown := strings.ReplaceAll(raw, barcode.GS, "<GS>")
	if c.Kind == barcode.PayCode {
		shown = barcode.LogSafe(raw)
	}
	parts := []string{shown, "→", c.Kind.String()}
	if c.Symbology != barcode.Unknown {
		parts = append(parts, string(c.Symbology))
	}
	if c.GTIN != "" {
		parts = append(parts, "GTIN "+c.GTIN)
	}
	if c.HasWeight {
		parts = append(parts, fmt.Sprintf("%d g", c.Grams))
	}
	if c.HasPrice {
		parts = append(parts, fmt.Sprintf("price %d", c.Price))
	}
	if c.Expiry != "" {
		parts = append(parts, "expiry "+c.Expiry)
	}
	if c.Batch != "" {
		parts = append(parts, "batch "+c.Batch)
	}
	if c.Wallet != "" {
		parts = append(parts, c.Wallet)
	}
	return strings.Join(parts, " ")
}

// devicesView is the open devices screen.
type devicesView struct {
	status, log *widget.Label
}

// openDevices shows the scanners' states, the live raw input and a scanner test: while it is open a scan
// is described, not sold. Ports ticked are saved as the scanners for the next start.
func (t *Till) openDevices() {
	if t.sh.busy() {
		return
	}
	v := &devicesView{status: widget.NewLabel(""), log: widget.NewLabel("")}
	v.log.TextStyle.Monospace = true
	v.log.Wrapping = fyne.TextWrapBreak
	test := t.sh.field()
	test.SetPlaceHolder(lang.L("Scan a code to test the scanner"))
	result := widget.NewLabel("")
	result.TextStyle.Monospace = true // as the live input, so a test and a scan line up; and it has the → glyph
	result.Wrapping = fyne.TextWrapBreak
	show := func(code string) {
		result.SetText(describeCode(t.co.Settings().BarcodeRules(), code))
		test.SetText("")
	}
	test.OnScan = show
	var d dialog.Dialog
	closeButton := widget.NewButton(lang.L("Close")+" (Esc)", func() { d.Hide() })
	dialogKeys(test, func() dialog.Dialog { return d }, func() { show(test.Text) })
	content := container.NewVBox(widget.NewLabelWithStyle(lang.L("Scanners"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.status)
	if ports := t.portPicker(); ports != nil {
		content.Add(ports)
	}
	content.Add(widget.NewLabelWithStyle(lang.L("Test"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	content.Add(test)
	if t.opt.SimulateScan != nil {
		content.Add(widget.NewButton(lang.L("Simulate a scan"), t.opt.SimulateScan))
	}
	content.Add(result)
	content.Add(widget.NewLabelWithStyle(lang.L("Live input"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	scroll := container.NewVScroll(v.log)
	scroll.SetMinSize(fyne.NewSize(640, 220))
	body := container.NewBorder(content, closeButton, nil, nil, scroll)
	d = t.sh.open(lang.L("Devices"), body, test)
	t.sh.takeScans(show)
	t.devicesOpen = v
	t.refreshDevices()
}

// portPicker lets the owner choose which serial ports are scanners; nil when the till cannot list or save.
func (t *Till) portPicker() fyne.CanvasObject {
	if t.opt.Ports == nil || t.opt.SetSetting == nil {
		return nil
	}
	ports := t.opt.Ports()
	current := strings.Split(t.co.Settings().Device("scanner.ports"), ",")
	check := widget.NewCheckGroup(ports, nil)
	check.Horizontal = true
	check.SetSelected(slices.DeleteFunc(current, func(p string) bool { return !slices.Contains(ports, p) }))
	saved := widget.NewLabel("")
	save := widget.NewButton(lang.L("Save ports"), func() {
		if err := t.opt.SetSetting("scanner.ports", strings.Join(check.Selected, ",")); err != nil {
			saved.SetText(errorMessage(err))
			return
		}
		saved.SetText(lang.L("Saved. The scanners change at the next start."))
	})
	if len(ports) == 0 {
		return widget.NewLabel(lang.L("No serial ports found. Keyboard-wedge scanners need no setting."))
	}
	return container.NewVBox(widget.NewLabel(lang.L("Serial ports")), check, container.NewHBox(save, saved))
}

func (t *Till) refreshDevices() {
	v := t.devicesOpen
	if v == nil || !t.sh.busy() {
		t.devicesOpen = nil
		return
	}
	v.status.SetText(t.devices.summary())
	v.log.SetText(strings.Join(t.devices.log, "\n"))
}
