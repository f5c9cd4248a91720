package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
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

// setState shows a device's state in the status bar and on the devices screen.
func (d *devicesScreen) setState(device, label, state string) {
	b := d.board
	b.labels[device] = label
	if b.states[device] != state {
		b.record(fmt.Sprintf("%s  %s  %s", d.now().Format("15:04:05"), device, stateText(state)))
	}
	b.states[device] = state
	d.status(b.summary())
	d.refresh()
}

// record adds what a device received to the devices screen's live view: a code, or why a frame was
// dropped. Pay codes are shown only by prefix and length.
func (d *devicesScreen) record(device, code string, dropped error) {
	at := d.now().Format("15:04:05.000")
	if dropped != nil {
		d.board.record(fmt.Sprintf("%s  %s  %s: %v", at, device, lang.L("dropped"), dropped))
	} else {
		d.board.record(fmt.Sprintf("%s  %s  %s", at, device, describeCode(d.rules, code)))
	}
	d.refresh()
}

// describeCode says what the till reads in a code, for the scanner test.
func describeCode(rules barcode.Rules, raw string) string {
	c, err := rules.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%s → %v", barcode.LogSafe(raw), err)
	}
	shown := strings.ReplaceAll(raw, barcode.GS, "<GS>")
	if c.Kind == barcode.PayCode || c.Wallet != "" { // a pay code, or a label that may be one: a bearer token
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

// devicesScreen is what the till knows of its devices, in the status bar, and the devices screen (F10):
// the scanners' states, the live raw input and a scanner test, and the serial ports to scan on.
type devicesScreen struct {
	sh         *shell
	board      *deviceBoard
	rules      barcode.Rules
	settings   app.Settings    // the scanner ports saved
	ports      func() []string // nil: the till cannot list its serial ports
	setSetting func(key, value string) error
	simulate   func()   // the simulated scanner's scan; nil with real scanners
	protocols  []string // the scale protocols the till speaks (Options.ScaleProtocols)
	now        func() time.Time
	status     func(summary string) // shows the devices' states in the status bar
	view       *devicesView         // the devices screen last opened
	// payments are the shop's wallet provider, whose connection the screen tests; background runs the test.
	payments   app.Payments
	background func(func())
}

func newDevicesScreen(sh *shell, settings app.Settings, opt Options) *devicesScreen {
	return &devicesScreen{sh: sh, board: newDeviceBoard(opt.DeviceStatus), rules: settings.BarcodeRules(), settings: settings,
		ports: opt.Ports, setSetting: opt.SetSetting, simulate: opt.SimulateScan, protocols: opt.ScaleProtocols, now: opt.Now, status: func(string) {},
		background: opt.Background}
}

// devicesView is the open devices screen.
type devicesView struct {
	status, log *widget.Label
	dialog      dialog.Dialog
}

// open shows the scanners' states, the live raw input and a scanner test: while it is open a scan is
// described, not sold. Ports ticked are saved as the scanners for the next start.
func (d *devicesScreen) open() {
	t := d
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
		result.SetText(describeCode(t.rules, code))
		test.SetText("")
	}
	test.OnScan = show
	closeButton := widget.NewButton(lang.L("Close")+" (Esc)", func() { v.dialog.Hide() })
	dialogKeys(test, func() dialog.Dialog { return v.dialog }, func() { show(test.Text) })
	content := container.NewVBox(widget.NewLabelWithStyle(lang.L("Scanners"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.status)
	if ports := t.portPicker(); ports != nil {
		content.Add(ports)
	}
	if scale := t.scalePicker(); scale != nil {
		content.Add(scale)
	}
	content.Add(widget.NewLabelWithStyle(lang.L("Test"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	content.Add(test)
	if t.simulate != nil {
		content.Add(widget.NewButton(lang.L("Simulate a scan"), t.simulate))
	}
	content.Add(result)
	content.Add(t.paymentTest())
	content.Add(widget.NewLabelWithStyle(lang.L("Live input"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	scroll := container.NewVScroll(v.log)
	scroll.SetMinSize(fyne.NewSize(640, 220))
	body := container.NewBorder(content, closeButton, nil, nil, scroll)
	v.dialog = t.sh.open(lang.L("Devices"), body, test)
	t.sh.takeScans(show)
	t.view = v
	t.refresh()
}

// paymentTest asks the wallet provider about an order that cannot exist (app.Payments.TestConnection)
// and says whether the address, keys and signatures work.
func (d *devicesScreen) paymentTest() fyne.CanvasObject {
	said := widget.NewLabel("")
	said.Wrapping = fyne.TextWrapWord
	var button *widget.Button
	button = widget.NewButton(lang.L("Test the payment provider"), func() {
		button.Disable()
		said.Importance = widget.MediumImportance
		said.SetText(lang.L("Asking the payment provider…"))
		d.background(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			err := d.payments.TestConnection(ctx)
			cancel()
			onUI(func() {
				button.Enable()
				if err != nil {
					said.Importance = widget.DangerImportance
					said.SetText(lang.L("The payment provider cannot be used: {{.Detail}}", map[string]any{"Detail": err.Error()}))
					return
				}
				said.Importance = widget.SuccessImportance
				said.SetText(lang.L("The payment provider answered: its address, the keys and the signatures work."))
			})
		})
	})
	return container.NewVBox(widget.NewLabelWithStyle(lang.L("Payment provider"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, touchSized(button), nil, said))
}

// portPicker lets the owner choose which serial ports are scanners; nil when the till cannot list or save.
func (d *devicesScreen) portPicker() fyne.CanvasObject {
	if d.ports == nil || d.setSetting == nil {
		return nil
	}
	ports := d.ports()
	current := strings.Split(d.settings.Device("scanner.ports"), ",")
	check := widget.NewCheckGroup(ports, nil)
	check.Horizontal = true
	check.SetSelected(slices.DeleteFunc(current, func(p string) bool { return !slices.Contains(ports, p) }))
	saved := widget.NewLabel("")
	save := widget.NewButton(lang.L("Save ports"), func() {
		if err := d.setSetting("scanner.ports", strings.Join(check.Selected, ",")); err != nil {
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

// scalePicker lets the owner choose the counter scale's port (none, the simulated one or a serial port)
// and its protocol, saved as scale.port and scale.protocol for the next start; nil when the till cannot
// list ports or save.
func (d *devicesScreen) scalePicker() fyne.CanvasObject {
	if d.ports == nil || d.setSetting == nil || len(d.protocols) == 0 {
		return nil
	}
	none, simulated := lang.L("No scale"), lang.L("Simulated scale")
	options := append([]string{none, simulated}, d.ports()...)
	port := widget.NewSelect(options, nil)
	switch current := d.settings.Device("scale.port"); current {
	case "":
		port.SetSelected(none)
	case "sim":
		port.SetSelected(simulated)
	default:
		if !slices.Contains(options, current) { // saved, but not plugged in now
			port.Options = append(port.Options, current)
		}
		port.SetSelected(current)
	}
	protocol := widget.NewSelect(d.protocols, nil)
	protocol.SetSelected(cmp.Or(d.settings.Device("scale.protocol"), d.protocols[0]))
	saved := widget.NewLabel("")
	save := widget.NewButton(lang.L("Save the scale"), func() {
		value := port.Selected
		switch value {
		case none:
			value = ""
		case simulated:
			value = "sim"
		}
		for _, kv := range [][2]string{{"scale.port", value}, {"scale.protocol", protocol.Selected}} {
			if err := d.setSetting(kv[0], kv[1]); err != nil {
				saved.SetText(errorMessage(err))
				return
			}
		}
		saved.SetText(lang.L("Saved. The scale changes at the next start."))
	})
	return container.NewVBox(widget.NewLabelWithStyle(lang.L("Scale"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(2, port, protocol), container.NewHBox(save, saved))
}

// refresh shows the states and the live input on the devices screen while it is open.
func (d *devicesScreen) refresh() {
	v := d.view
	if v == nil || !d.sh.showing(v.dialog) {
		return
	}
	v.status.SetText(d.board.summary())
	v.log.SetText(strings.Join(d.board.log, "\n"))
}
