package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/receiptimage"
)

// Services are the app services the till's screens call, in the groups app declares (app/services.go). A
// group left nil is a part of the till this one does not have: NewTill builds no screen, key or menu item
// for it. The zero Payments takes neither QR codes nor pay codes.
type Services struct {
	Selling  app.Selling       // refunds (F8, or a receipt scanned), parked carts (F7), reprints (F1)
	Payments app.Payments      // the shop's payment QR code and wallet pay codes
	Members  app.MemberService // the member dialog (F6), member cards, paying from an account
	Shifts   app.ShiftService  // the cashiers' shifts and cash moves (F1)
	Stock    app.StockService  // the back office's products and stock (F4)
	Reports  app.ReportService // the back office's day page, X and Z reports
	Staff    app.StaffService  // signing in, the idle lock, the users page: without it nobody signs in
	Sync     app.SyncService   // the back office's sync page, for a till enrolled with a head office
}

// Options configure the till's screens and devices.
type Options struct {
	Language     string           // BCP 47 tag of the UI language ("en", "zh-Hans"): product names and money
	DeviceStatus string           // shown in the status bar until a device reports, e.g. "Scanner: keyboard"
	Now          func() time.Time // the clock in the status bar

	// WedgeGap is the longest gap between the keys of a keyboard-wedge scan (default 50 ms; Bluetooth
	// scanners may need up to 150 ms).
	WedgeGap time.Duration
	// KeyClock times keys (default time.Now) and After runs f on the UI goroutine after d (default a
	// timer and fyne.Do): tests replace both to type like a person or a scanner.
	KeyClock func() time.Time
	After    func(d time.Duration, f func())
	// Background runs slow work such as waiting for a payment provider (default: a new goroutine); what it
	// hands back goes through fyne.Do. Tests run it in place.
	Background func(func())

	// Ports lists the serial ports a scanner could be on, for the devices screen; SetSetting saves a
	// setting (see app.Settings.Set) for the next start. Either may be nil.
	Ports      func() []string
	SetSetting func(key, value string) error
	// SimulateScan makes the simulated scanner scan a demo code; nil when the till has real scanners.
	SimulateScan func()
	// CardKey keys the hash that identifies a swiped magnetic-stripe card (magstripe.Card.Token): the
	// card number itself is never kept. nil: swiped cards are refused.
	CardKey []byte

	// Printer prints each sale's receipt and opens the cash drawer on cash and no-sale; nil: no printer.
	Printer ReceiptPrinter
	// PreviewReceipt shows each sale's receipt on screen after payment (demo mode, a shop without a
	// printer); ReceiptDir is where the preview saves receipts as PNG ("": no saving), drawn by
	// ReceiptImage (nil: Go Mono, Chinese characters as boxes).
	PreviewReceipt bool
	ReceiptDir     string
	ReceiptImage   *receiptimage.Renderer
}

// saleView is what a dialog tells the sale screen once it has acted: show the sale again (selecting a
// line), the member on it, and a line of feedback or why it failed.
type saleView interface {
	refresh()
	selectLine(i int) // select line i (-1: none) and refresh
	showMember()
	say(text string, importance widget.Importance)
	fail(err error)
}

// Till is the sale screen and the customer display, driven by one app.Checkout. All its methods run on
// Fyne's goroutine.
type Till struct {
	co      *app.Checkout
	input   app.Classifier // says what a scan, typed code or swipe is
	svc     Services
	opt     Options
	win     fyne.Window
	display *CustomerDisplay

	scan     *KeyEntry
	message  *widget.Label
	cart     *cartView
	selected int // index of the selected line, -1 for none

	subtotal, discount, tax, items *widget.Label
	taxBands                       *widget.Label
	total                          *canvas.Text
	secondTotal                    *widget.Label // the total in the shop's second currency, if it has one
	clock, status                  *widget.Label
	sync                           *widget.Label  // the head office link; hidden until the uploader reports
	syncStatus                     app.SyncStatus // the latest the uploader reported, for the sync page

	sh       *shell       // the window and its one dialog
	actions  []saleAction // the sale screen's keys and buttons
	lines    *lineEditor
	search   *productSearch
	park     *parking
	receipts *receipts
	payment  *paymentDialog

	devices    *devicesScreen
	app        fyne.App
	office     *openOffice // the back office window while it is open
	members    *memberScreen
	refunds    *refunds
	shifts     *shifts
	menu       *tillMenu
	memberLine *widget.Label
	lock       *lockScreen
}

// NewTill builds the sale screen and the customer display for co, with the screens svc has services for.
func NewTill(a fyne.App, co *app.Checkout, svc Services, opt Options) *Till {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.KeyClock == nil {
		opt.KeyClock = time.Now
	}
	if opt.After == nil {
		opt.After = func(d time.Duration, f func()) { time.AfterFunc(d, func() { onUI(f) }) }
	}
	if opt.Background == nil {
		opt.Background = func(f func()) { go f() }
	}
	if opt.WedgeGap <= 0 {
		opt.WedgeGap = defaultWedgeGap
	}
	t := &Till{co: co, input: app.NewClassifier(co.Settings(), opt.CardKey), svc: svc, opt: opt, selected: -1}
	t.app = a
	t.win = a.NewWindow(lang.L("Checkout") + " — " + co.Settings().Till)
	t.sh = newShell(t.win, opt)
	t.sh.scanned, t.sh.closed = t.routeScan, t.focusScan
	t.devices = newDevicesScreen(t.sh, co.Settings(), opt)
	t.display = newCustomerDisplay(a, opt.Language, co.Settings())
	t.lines = &lineEditor{sh: t.sh, co: co, sale: t, language: opt.Language}
	t.receipts = newReceipts(t.sh, co, t, svc, t.input, opt)
	t.receipts.printerState, t.receipts.sell = t.SetPrinterState, t.sell
	t.payment = &paymentDialog{sh: t.sh, co: co, sale: t, display: t.display, payments: svc.Payments, members: svc.Members,
		receipts: t.receipts, language: opt.Language, background: opt.Background}
	t.members = &memberScreen{sh: t.sh, co: co, sale: t, display: t.display, members: svc.Members, payments: svc.Payments,
		input: t.input, language: opt.Language, now: opt.Now}
	t.refunds = &refunds{sh: t.sh, co: co, sale: t, display: t.display, sales: svc.Selling, payments: svc.Payments,
		input: t.input, language: opt.Language, background: opt.Background}
	t.shifts = &shifts{sh: t.sh, co: co, sale: t, shifts: svc.Shifts, language: opt.Language}
	t.menu = &tillMenu{sh: t.sh, actions: t.tillActions}
	t.park = &parking{sh: t.sh, co: co, sale: t, parked: svc.Selling, language: opt.Language}
	t.search = &productSearch{sh: t.sh, co: co, sale: t, lines: t.lines, language: opt.Language}
	t.actions = t.saleActions()
	content := t.build()
	t.devices.status = t.status.SetText
	t.win.SetContent(content)
	t.lock = &lockScreen{sh: t.sh, co: co, staff: svc.Staff, after: opt.After, content: content,
		closing: t.closeBackOffice, signedIn: t.signedIn}
	t.win.Resize(fyne.NewSize(1024, 700))
	t.win.SetMaster()
	// Keys typed while nothing has focus still reach the scan field, or close the open dialog.
	t.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch {
		case t.lock.isLocked():
			t.win.Canvas().Focus(t.lock.locked.focus())
		case !t.sh.busy():
			t.focusScan()
			t.scan.TypedKey(k)
		case k.Name == fyne.KeyEscape:
			t.sh.modal.Hide()
		}
	})
	t.win.Canvas().SetOnTypedRune(func(r rune) {
		if t.lock.isLocked() {
			f := t.lock.locked.focus()
			t.win.Canvas().Focus(f)
			f.TypedRune(r)
			return
		}
		if !t.sh.busy() {
			t.focusScan()
			t.scan.TypedRune(r)
		}
	})
	t.refresh()
	t.focusScan()
	t.sh.touch()
	if svc.Staff != nil && co.Session() == nil {
		t.lock.lock()
	} else {
		if svc.Staff != nil {
			t.lock.armIdleLock()
		}
		if svc.Shifts != nil {
			t.shifts.start()
		}
	}
	return t
}

// Kiosk shows both windows full screen, without decorations: a dedicated till. The customer display
// goes full screen on the monitor its window is on (Fyne does not place windows on a monitor).
func (t *Till) Kiosk() {
	t.win.SetFullScreen(true)
	t.display.win.SetFullScreen(true)
}

// Window returns the sale screen's window.
func (t *Till) Window() fyne.Window { return t.win }

// Display returns the customer display.
func (t *Till) Display() *CustomerDisplay { return t.display }

// Show shows both windows and keeps the status bar clock running until the sale screen closes.
func (t *Till) Show() {
	t.display.win.Show()
	t.win.Show()
	t.focusScan()
	done := make(chan struct{})
	t.win.SetOnClosed(func() { close(done) })
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				onUI(t.showClock)
			}
		}
	}()
}

func (t *Till) build() fyne.CanvasObject {
	t.scan = NewKeyEntry()
	t.scan.SetPlaceHolder(lang.L("Scan or type a barcode, then Enter"))
	t.scan.OnKey = t.scanKey
	t.scan.OnRune = t.scanRune
	// '+' and '*' act only when no scan follows them: codes such as HIBC's start with '+'.
	t.scan.useWedge(t.sh.wedge, "+*", t.opt.After)
	t.message = widget.NewLabel("")
	t.message.Wrapping = fyne.TextWrapWord
	t.memberLine = widget.NewLabel("")
	t.memberLine.Importance = widget.HighImportance
	t.memberLine.Hide()

	t.cart = newCartView(t.opt.Language, func(i int) {
		t.selected = i
		t.focusScan()
	})

	t.subtotal, t.discount, t.tax, t.items = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{t.subtotal, t.discount, t.tax, t.items} {
		l.Alignment = fyne.TextAlignTrailing
	}
	t.taxBands = widget.NewLabel("")
	t.taxBands.Alignment = fyne.TextAlignTrailing
	t.taxBands.Importance = widget.LowImportance
	t.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.total.TextSize = theme.TextSize() * 2.5
	t.total.TextStyle.Bold = true
	t.total.Alignment = fyne.TextAlignTrailing
	t.secondTotal = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	row := func(label string, value fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, value)
	}
	pay := widget.NewButtonWithIcon(lang.L("Pay")+" (F12)", theme.ConfirmIcon(), t.payment.open)
	pay.Importance = widget.HighImportance
	totals := container.NewVBox(
		row(lang.L("Subtotal"), t.subtotal),
		row(lang.L("Discount"), t.discount),
		row(lang.L("Tax"), t.tax),
		t.taxBands,
		row(lang.L("Items"), t.items),
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.total,
		t.secondTotal,
		layout.NewSpacer(),
		pay,
	)

	var buttons []fyne.CanvasObject
	for _, a := range t.actions {
		if a.label != "" {
			buttons = append(buttons, t.keyButton(a.label, a.icon, a.run))
		}
	}
	keys := container.NewGridWithColumns(min(len(buttons), 4), buttons...) // two rows fit a 1024-pixel screen
	t.clock, t.status = widget.NewLabel(""), widget.NewLabel("")
	t.status.Importance = widget.LowImportance
	t.sync = widget.NewLabel("")
	t.sync.Importance = widget.LowImportance
	t.sync.Hide()
	statusBar := container.NewHBox(
		widget.NewLabelWithStyle(lang.L("Till")+" "+t.co.Settings().Till, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		t.status, t.sync, layout.NewSpacer(), t.clock)
	t.showClock()

	top := container.NewVBox(t.scan, t.message, t.memberLine)
	bottom := container.NewVBox(keys, statusBar)
	side := container.NewPadded(totals)
	return container.NewBorder(top, bottom, nil, side, t.cart.content())
}

// saleAction is something the sale screen does on an F-key and, when it has a label, on a touch button.
type saleAction struct {
	key   fyne.KeyName // "" for a button only
	label string       // the button's, with its key: "Quantity (F2)"; "" for a key only
	icon  fyne.Resource
	run   func()
}

// saleActions lists the sale screen's keys and buttons, in the buttons' order: those of the parts this
// till has, and no others.
func (t *Till) saleActions() []saleAction {
	actions := []saleAction{
		{fyne.KeyF2, lang.L("Quantity") + " (F2)", theme.ContentAddIcon(), t.editQuantity},
		{fyne.KeyF3, lang.L("Search") + " (F3)", theme.SearchIcon(), t.search.open},
		{fyne.KeyF5, lang.L("Discount") + " (F5)", theme.ContentCutIcon(), t.editDiscount},
		{"", lang.L("Remove line") + " (Del)", theme.DeleteIcon(), t.removeSelected},
	}
	if t.svc.Members != nil {
		actions = append(actions, saleAction{fyne.KeyF6, lang.L("Member") + " (F6)", theme.AccountIcon(), t.members.open})
	}
	if t.svc.Selling != nil {
		actions = append(actions,
			saleAction{fyne.KeyF7, lang.L("Park / resume") + " (F7)", theme.MediaPauseIcon(), t.park.parkOrResume},
			saleAction{fyne.KeyF8, lang.L("Refund") + " (F8)", theme.ContentUndoIcon(), func() { t.refunds.open("") }})
	}
	actions = append(actions, saleAction{fyne.KeyF9, lang.L("Void sale") + " (F9)", theme.CancelIcon(), t.confirmVoid})
	if t.svc.Stock != nil {
		actions = append(actions, saleAction{fyne.KeyF4, lang.L("Products and stock") + " (F4)", theme.StorageIcon(), t.openBackOffice})
	}
	actions = append(actions, saleAction{fyne.KeyF1, lang.L("Till menu") + " (F1)", theme.MenuIcon(), t.menu.open},
		saleAction{fyne.KeyF12, "", nil, t.payment.open}, saleAction{fyne.KeyF10, "", nil, t.devices.open})
	if t.opt.SimulateScan != nil {
		actions = append(actions, saleAction{fyne.KeyF11, "", nil, t.opt.SimulateScan})
	}
	return actions
}

// keyButton is a touch-sized button for an action that also has a key; tapping hands the keys back.
func (t *Till) keyButton(label string, icon fyne.Resource, action func()) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, func() {
		action()
		if !t.sh.busy() {
			t.focusScan()
		}
	})
}

func (t *Till) focusScan() {
	if !t.sh.busy() && !t.lock.isLocked() {
		t.win.Canvas().Focus(t.scan)
	}
}

func (t *Till) showClock() {
	t.clock.SetText(t.opt.Now().Format("2006-01-02 15:04:05"))
	t.status.SetText(t.devices.board.summary())
}

// scanKey handles the keys of the sale screen. Keys that edit text pass through to the field.
func (t *Till) scanKey(k *fyne.KeyEvent) bool {
	t.sh.touch()
	for _, a := range t.actions {
		if a.key == k.Name {
			a.run()
			return true
		}
	}
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		t.submitScan()
	case fyne.KeyUp:
		t.moveSelection(-1)
	case fyne.KeyDown:
		t.moveSelection(+1)
	case fyne.KeyEscape:
		t.scan.SetText("")
		t.say("", widget.MediumImportance)
	case fyne.KeyDelete:
		if t.scan.Text != "" {
			return false
		}
		t.removeSelected()
	default:
		return false
	}
	return true
}

// scanRune makes '+' pay and '*' on an empty field set the quantity; "3*CODE" still types through.
func (t *Till) scanRune(r rune) bool {
	t.sh.touch()
	switch {
	case r == '+':
		t.payment.open()
		return true
	case r == '*' && t.scan.Text == "":
		t.editQuantity()
		return true
	}
	return false
}

func (t *Till) submitScan() {
	input := t.scan.Text
	t.scan.SetText("")
	if strings.TrimSpace(input) == "" {
		return
	}
	t.sell(input)
}

// sell does what a scan or the scan field names, as app.Classifier reads it: a product is sold, a member
// card (scanned or swiped) puts its member on the sale, a receipt at an idle till opens its refund.
func (t *Till) sell(input string) {
	in := t.input.Classify(input)
	switch {
	case in.Kind == app.InputCard && t.svc.Members != nil:
		t.members.swipe(in)
		return
	case in.Kind == app.InputMember && t.svc.Members != nil:
		t.members.scanned(in.Code.Data)
		return
	case in.Kind == app.InputReceipt && t.svc.Selling != nil && len(t.co.Lines()) == 0:
		t.refunds.open(in.Receipt) // a receipt scanned at an idle till: the customer is bringing something back
		return
	}
	added, err := t.co.Scan(context.Background(), input)
	switch {
	case errors.Is(err, app.ErrWeightRequired):
		t.lines.weight(added.Product)
	case err != nil:
		t.fail(err)
	default:
		t.selected = added.Line
		t.refresh()
		name := added.Product.DisplayName(t.opt.Language)
		if expiry, ok := added.Code.ExpiryDate(t.opt.Now()); ok && added.Expired {
			t.say(lang.L("{{.Name}} expired on {{.Date}}. Check it before selling.",
				map[string]any{"Name": name, "Date": expiry.Format(time.DateOnly)}), widget.WarningImportance)
			return
		}
		if t.co.BelowZero(added.Product) {
			t.say(lang.L("{{.Name}}: the stock records show none left. Sold anyway; count the shelf when you can.",
				map[string]any{"Name": name}), widget.WarningImportance)
			return
		}
		t.say(name, widget.MediumImportance)
	}
}

// routeScan takes a code from a scanner, wherever the keys were: the open dialog gets it if it wants
// scans; otherwise the dialog closes and the code is sold.
func (t *Till) routeScan(code string) {
	if t.lock.isLocked() {
		return // nobody is signed in to sell it
	}
	t.sh.touch()
	if in := t.input.Classify(code); in.Kind == app.InputCard && t.svc.Members != nil {
		t.members.swipe(in)
		return
	}
	if t.sh.busy() {
		if t.sh.modalScan != nil {
			t.sh.modalScan(code)
			return
		}
		t.sh.modal.Hide()
	}
	t.sell(code)
}

// ScanFromDevice sells a code framed by a serial scanner, or gives it to the back office page that takes
// scans while that window is open. It may be called from any goroutine.
func (t *Till) ScanFromDevice(code string) {
	onUI(func() {
		if t.office != nil && t.office.scan(code) {
			return
		}
		t.routeScan(code)
	})
}

func (t *Till) moveSelection(delta int) {
	n := len(t.co.Lines())
	if n == 0 {
		return
	}
	t.selected = min(max(t.selected+delta, 0), n-1)
	t.cart.show(t.co.Lines(), t.selected)
	t.focusScan()
}

func (t *Till) removeSelected() {
	if err := t.co.RemoveLine(t.selected); err != nil {
		t.fail(err)
		return
	}
	t.selected = min(t.selected, len(t.co.Lines())-1)
	t.refresh()
	t.say(lang.L("Line removed."), widget.MediumImportance)
}

func (t *Till) confirmVoid() {
	if len(t.co.Lines()) == 0 {
		t.fail(app.ErrEmptyCart)
		return
	}
	var void func()
	void = func() {
		err := t.co.Void(context.Background())
		if askApproval(t.sh, t.co.Session(), err, "", void, nil) {
			return
		}
		if err != nil {
			t.fail(err)
			return
		}
		t.selected = -1
		t.refresh()
		t.say(lang.L("Sale voided."), widget.WarningImportance)
	}
	t.sh.confirm(lang.L("Void sale"), lang.L("Void this sale? Enter: yes · Esc: no"), void)
}

// refresh shows the checkout's state on both screens.
func (t *Till) refresh() {
	lines, tot := t.co.Lines(), t.co.Totals()
	if t.selected >= len(lines) {
		t.selected = len(lines) - 1
	}
	t.cart.show(lines, t.selected)
	f := func(a money.Amount) string { return money.Format(a, t.opt.Language) }
	t.subtotal.SetText(f(tot.Subtotal))
	t.discount.SetText(f(tot.Discount.Neg()))
	t.tax.SetText(f(tot.Tax))
	var bands []string
	for _, b := range tot.TaxBands {
		bands = append(bands, lang.L("VAT {{.Rate}}%: {{.Tax}}", map[string]any{
			"Rate": app.FormatRate(b.RateBP),
			"Tax":  f(b.Tax)}))
	}
	t.taxBands.SetText(strings.Join(bands, "\n"))
	t.items.SetText(lang.L("{{.Count}} ({{.Lines}} lines)", map[string]any{"Count": tot.ItemCount, "Lines": tot.Lines}))
	t.total.Text = f(tot.Total)
	t.total.Refresh()
	t.secondTotal.SetText(t.inSecond(tot.Total))
	t.display.showCart(lines, tot)
	if m, ok := t.co.Member(); ok {
		t.display.showMember(&m)
	} else {
		t.memberLine.Hide()
		if len(lines) > 0 {
			t.display.showMember(nil)
		}
	}
}

// inSecond is "≈ $1.72" for an amount in the shop's second currency, or "" when it has none.
func (t *Till) inSecond(a money.Amount) string {
	if v, ok := t.co.Settings().InSecondCurrency(a); ok && !a.IsZero() {
		return "≈ " + money.Format(v, t.opt.Language)
	}
	return ""
}

// say shows a line of feedback under the scan field.
func (t *Till) say(text string, importance widget.Importance) {
	t.message.Importance = importance
	t.message.SetText(text)
}

// fail shows why an action failed; when it needs a supervisor, it asks for one, and the cashier does it
// again once approved.
func (t *Till) fail(err error) {
	t.say(errorMessage(err), widget.DangerImportance)
	askApproval(t.sh, t.co.Session(), err, "", func() {
		t.say(lang.L("Approved: do it again to go ahead."), widget.SuccessImportance)
	}, nil)
}

// selectLine selects line i (-1: none) and shows the sale again.
func (t *Till) selectLine(i int) {
	t.selected = i
	t.refresh()
}

// selectedLine returns the selected line and its index, or tells the cashier to select one.
func (t *Till) selectedLine() (app.Line, int, bool) {
	lines := t.co.Lines()
	if t.selected < 0 || t.selected >= len(lines) {
		t.fail(app.ErrNoSuchLine)
		return app.Line{}, -1, false
	}
	return lines[t.selected], t.selected, true
}

// editQuantity sets the selected line's quantity: at once when the cashier typed a number before F2,
// else in a dialog.
func (t *Till) editQuantity() {
	line, i, ok := t.selectedLine()
	if !ok {
		return
	}
	typed := strings.TrimSpace(t.scan.Text)
	t.scan.SetText("")
	t.lines.quantity(i, line, typed)
}

// editDiscount discounts the selected line, or changes its price.
func (t *Till) editDiscount() {
	if line, i, ok := t.selectedLine(); ok {
		t.lines.discount(i, line)
	}
}

func (t *Till) money(a money.Amount) string { return money.Format(a, t.opt.Language) }

// showMember shows the sale's member on the sale screen and the customer display.
func (t *Till) showMember() {
	m, ok := t.co.Member()
	if !ok {
		t.memberLine.Hide()
		t.display.showMember(nil)
		return
	}
	text := lang.L("{{.Name}} · {{.Number}} · {{.Points}} points · prepaid {{.Balance}}", map[string]any{
		"Name": m.Name, "Number": m.Number, "Points": m.Points, "Balance": t.money(m.Balance)})
	t.memberLine.SetText(lang.L("Member") + ": " + text)
	t.memberLine.Show()
	t.display.showMember(&m)
	t.say(lang.L("Member {{.Name}} is on this sale.", map[string]any{"Name": m.Name}), widget.SuccessImportance)
}

// CardFromDevice takes a member card tapped on the card reader, or swiped. While the member dialog is open
// it goes there; otherwise its member is put on the sale. Any goroutine may call it.
func (t *Till) CardFromDevice(token, label string) {
	onUI(func() {
		if t.svc.Members != nil {
			t.members.card(token, label)
		}
	})
}

// SetDeviceState shows a scanner's state (DeviceConnected, …) in the status bar. Any goroutine may call it.
func (t *Till) SetDeviceState(device, state string) {
	onUI(func() { t.devices.setState(device, lang.L("Scanner")+" "+device, state) })
}

// SetCardReaderState shows the card reader's state in the status bar. Any goroutine may call it.
func (t *Till) SetCardReaderState(reader, state string) {
	onUI(func() { t.devices.setState("card reader "+reader, lang.L("Card reader")+" "+reader, state) })
}

// SetPrinterState shows in the status bar how the printer answered a status request: err nil is ready.
// Any goroutine may call it.
func (t *Till) SetPrinterState(err error) {
	onUI(func() {
		state := lang.L("ready")
		if err != nil {
			state = printerProblem(err)
		}
		t.devices.setState("printer", lang.L("Printer"), state)
	})
}

// RecordDeviceInput adds what a device received to the devices screen's live view: a code, or why a
// frame was dropped. Pay codes are shown only by prefix and length. Any goroutine may call it.
func (t *Till) RecordDeviceInput(device, code string, dropped error) {
	onUI(func() { t.devices.record(device, code, dropped) })
}

// Lock hides the sale screen behind the sign-in screen, as F1's "lock" and the idle time do.
func (t *Till) Lock() {
	if t.svc.Staff != nil {
		t.lock.lock()
	}
}

// signedIn shows the sale screen for sess, who just signed in.
func (t *Till) signedIn(sess *app.Session) {
	t.refresh()
	t.showClock()
	t.say(lang.L("Signed in as {{.Name}} ({{.Role}}).", map[string]any{"Name": sess.Name(), "Role": roleName(sess.User().Role)}),
		widget.MediumImportance)
	t.focusScan()
	if t.svc.Shifts != nil {
		t.shifts.start()
	}
}

// closeBackOffice closes the back office window, if it is open.
func (t *Till) closeBackOffice() {
	if t.office != nil {
		t.office.win.Close()
	}
}

// tillActions lists what the till menu (F1) offers at this till, in order; each is picked by its
// number. Add a feature's actions here.
func (t *Till) tillActions() []tillAction {
	var actions []tillAction
	if t.svc.Shifts != nil {
		actions = append(actions, t.shifts.actions()...)
	}
	actions = append(actions, tillAction{lang.L("No sale: open the drawer"), t.receipts.noSale})
	if t.svc.Sync != nil && t.svc.Stock != nil {
		actions = append(actions, tillAction{lang.L("Head office sync"), t.openSyncPage})
	}
	if t.svc.Selling != nil {
		actions = append(actions, tillAction{lang.L("Reprint a receipt"), t.receipts.openReprint})
	}
	if t.svc.Staff != nil {
		actions = append(actions, tillAction{lang.L("Lock the till / change user"), t.lock.lock})
	}
	return actions
}
