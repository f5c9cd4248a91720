// Package ui is the till's Fyne screens: the keyboard-first sale screen, its dialogs, the customer
// display and the back office. Screens show state and turn keys and taps into calls on app services;
// they hold no SQL and do no money arithmetic.
//
// Each screen is its own type, built with the few app services it uses (the groups app declares in
// app/services.go) and the shell it opens its dialogs through (shell.go). Till (this file) composes them:
// it builds only the screens this till has services for, connects them to the sale screen, and takes the
// devices' and the sync worker's reports.
package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
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
	// Promotions is the back office's promotions page; nil: no page.
	Promotions app.PromotionService
}

// Options configure the till's screens and devices.
type Options struct {
	Language     string           // BCP 47 tag of the UI language ("en", "zh-Hans"): product names and money
	DeviceStatus string           // shown in the status bar until a device reports, e.g. "Scanner: keyboard"
	Now          func() time.Time // the clock in the status bar

	// WedgeGap is the typical gap between a keyboard-wedge scanner's keys (default 50 ms; Bluetooth
	// scanners may need up to 150 ms). What the keys say decides the borderline: see app.Classifier.WedgeScan.
	WedgeGap time.Duration
	// Keypad shows an on-screen numeric keypad in the payment, quantity and PIN fields: a touch screen's
	// (keyboard.onscreen: auto, on a machine with one; on; off).
	Keypad bool
	// KeyClock times keys (default time.Now) and After runs f on the UI goroutine after d (default a
	// timer and fyne.Do): tests replace both to type like a person or a scanner.
	KeyClock func() time.Time
	After    func(d time.Duration, f func())
	// Background runs slow work such as waiting for a payment provider (default: a new goroutine); what it
	// hands back goes through fyne.Do. Tests run it in place.
	Background func(func())
	// Ticker runs f on the UI goroutine every d until stop is called (default a time.Ticker and fyne.Do):
	// the customer display's slideshow. Tests replace it to move the slides on without waiting.
	Ticker func(d time.Duration, f func()) (stop func())

	// Ports lists the serial ports a scanner could be on, for the devices screen; SetSetting saves a
	// setting (see app.Settings.Set) for the next start. Either may be nil.
	Ports      func() []string
	SetSetting func(key, value string) error
	// SimulateScan makes the simulated scanner scan a demo code; nil when the till has real scanners.
	SimulateScan func()
	// Scale says the till has a counter scale (a real or the simulated one): a product sold by weight
	// scanned without a label takes the scale's stable weight (Till.ScaleReading) instead of a typed one.
	// SimulateWeighing puts a demo load on the simulated scale as the weighing starts; nil with a real one.
	Scale            bool
	SimulateWeighing func()
	// ScaleTare and ScaleZero tell the scale to tare or zero (T and Z in the weighing dialog); nil when
	// its protocol has no such command.
	ScaleTare, ScaleZero func() error
	// ScaleProtocols are the scale protocols the till speaks, for the devices screen to offer; none: the
	// screen has no scale settings.
	ScaleProtocols []string
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
	// Labels prints the selected product's shelf label from the products page (F9); nil: no such action.
	Labels LabelPrinter
}

// LabelPrinter prints shelf labels: on the shop's label printer, or, with none set, as a picture saved
// in a folder, whose path it returns.
type LabelPrinter interface {
	PrintLabel(e app.CatalogEntry) (saved string, err error)
	// PrintChanged prints the labels of the products whose price changed since the day of since: how
	// many, and the picture they were saved as when there is no label printer.
	PrintChanged(since time.Time) (count int, saved string, err error)
}

// Till is the till's screens, composed: the sale screen and the customer display, and the dialogs and
// back office pages this till has services for. It is what the wiring holds: devices and the sync worker
// report to it, from any goroutine. It builds each screen with the few services that screen uses, and
// only the screens it has services for, so no screen checks for a missing service.
type Till struct {
	app     fyne.App
	co      *app.Checkout
	svc     Services
	opt     Options
	win     fyne.Window
	sh      *shell // the window and its one dialog
	display *CustomerDisplay
	sale    *saleScreen

	devices  *devicesScreen
	receipts *receipts
	payment  *paymentDialog
	search   *productSearch
	members  *memberScreen  // the till's members: only with Services.Members
	weighing *scaleWeighing // weighed products on the counter scale: only with Options.Scale
	refunds  *refunds       // only with Services.Selling
	park     *parking       // only with Services.Selling
	shifts   *shifts        // only with Services.Shifts
	lock     *lockScreen    // only with Services.Staff
	menu     *tillMenu
	quitting *quitting

	office     *openOffice    // the back office window while it is open
	syncStatus app.SyncStatus // the latest the uploader reported, for the sync page
	// backupStatus is the backups' latest, for the status bar's clock to re-judge and the backups page.
	backupStatus app.BackupStatus
	// openCartLooked: the sale in progress when the till last stopped was looked for (at the first sign-in).
	openCartLooked bool
}

// NewTill builds the sale screen and the customer display for co, with the screens svc has services for.
func NewTill(a fyne.App, co *app.Checkout, svc Services, opt Options) *Till {
	a.Settings().SetTheme(tillTheme{theme.DefaultTheme()})
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
	t := &Till{app: a, co: co, svc: svc, opt: opt}
	input := app.NewClassifier(co.Settings(), opt.CardKey)
	t.win = a.NewWindow(lang.L("Checkout") + " — " + co.Settings().Till)
	t.sh = newShell(t.win, opt, input)
	t.display = newCustomerDisplay(a, opt.Language, co.Settings())
	t.display.startPictures(opt.Background, opt.Ticker)
	s := newSaleScreen(t.sh, co, input, t.display, opt)
	t.sale = s
	t.sh.scanned, t.sh.closed = s.routeScan, s.focusScan

	t.devices = newDevicesScreen(t.sh, co.Settings(), opt)
	t.devices.payments = svc.Payments
	s.devices = t.devices.board.summary
	t.receipts = newReceipts(t.sh, co, s, svc, input, opt)
	t.receipts.printerState, t.receipts.sell = t.SetPrinterState, s.sell
	t.payment = &paymentDialog{sh: t.sh, co: co, sale: s, display: t.display, payments: svc.Payments, members: svc.Members, keypad: opt.Keypad,
		receipts: t.receipts, language: opt.Language, background: opt.Background}
	s.pay = t.payment.open
	if opt.Scale {
		t.weighing = &scaleWeighing{sh: t.sh, co: co, sale: s, language: opt.Language, simulate: opt.SimulateWeighing,
			tare: opt.ScaleTare, zero: opt.ScaleZero}
		s.weigh = t.weighing.weigh
	}
	t.search = &productSearch{sh: t.sh, co: co, sale: s, lines: s.lines, language: opt.Language}
	if svc.Members != nil {
		t.members = &memberScreen{sh: t.sh, co: co, sale: s, display: t.display, members: svc.Members, payments: svc.Payments,
			receipts: t.receipts, input: input, language: opt.Language, now: opt.Now}
		s.cards, s.member = t.members.swipe, t.members.scanned
	}
	if svc.Selling != nil {
		t.refunds = &refunds{sh: t.sh, co: co, sale: s, display: t.display, sales: svc.Selling, payments: svc.Payments,
			receipts: t.receipts, input: input, language: opt.Language, background: opt.Background}
		t.park = &parking{sh: t.sh, co: co, sale: s, parked: svc.Selling, language: opt.Language}
		if svc.Members != nil {
			t.park.members = svc.Members
		}
		s.receipt = t.refunds.open
	}
	if svc.Shifts != nil {
		t.shifts = &shifts{sh: t.sh, co: co, sale: s, shifts: svc.Shifts, language: opt.Language}
	}
	t.menu = &tillMenu{sh: t.sh, actions: t.tillActions}
	t.quitting = &quitting{sh: t.sh, co: co, sale: s, quit: a.Quit}
	if svc.Selling != nil {
		t.quitting.parked = svc.Selling
	}
	t.quitting.bind(t.win)
	s.actions = t.saleActions()
	content := s.build()
	t.devices.status = s.status.SetText
	t.win.SetContent(content)
	if svc.Staff != nil {
		t.lock = &lockScreen{sh: t.sh, co: co, staff: svc.Staff, after: opt.After, keypad: opt.Keypad, content: content,
			closing: t.closeBackOffice, signedIn: t.signedIn, setSetting: opt.SetSetting, shopNamed: t.shopNamed}
		s.locked = t.lock.isLocked
	}
	t.win.Resize(fyne.NewSize(1024, 700))
	t.win.SetMaster()
	t.keysWithoutFocus()
	s.refresh()
	s.focusScan()
	t.sh.touch()
	switch {
	case t.lock != nil && co.Session() == nil:
		t.lock.lock()
	case t.lock != nil:
		t.lock.armIdleLock()
		t.resumeOpenCart("")
		t.startShift()
	default:
		t.resumeOpenCart("")
		t.startShift()
	}
	return t
}

// resumeOpenCart brings back, once, the sale that was in progress when the till stopped (a crash, a
// power cut), and tells the cashier after what the screen says already (said). A sale with a payment
// taken is not resumed: it is parked for a supervisor.
func (t *Till) resumeOpenCart(said string) {
	if t.openCartLooked {
		return
	}
	t.openCartLooked = true
	var members app.MemberFinder
	if t.svc.Members != nil {
		members = t.svc.Members
	}
	r, err := t.co.ResumeOpen(context.Background(), members)
	s := t.sale
	switch {
	case err != nil:
		t.openCartLooked = false // look again at the next sign-in
		s.fail(err)
	case r.Held:
		s.say(strings.TrimSpace(said+" "+lang.L("A payment was taken on the sale in progress when the till stopped: it is parked for a supervisor (F7).")),
			widget.DangerImportance)
	case r.Found:
		s.refresh()
		text := lang.L("The sale in progress when the till stopped is back: {{.Count}} lines.", map[string]any{"Count": r.Lines})
		if r.MemberLost {
			text += " " + lang.L("Scan the member's card again.")
		}
		s.say(strings.TrimSpace(said+" "+text), widget.MediumImportance)
	}
}

// keysWithoutFocus sends the keys typed while nothing has focus to the sign-in screen while it is up, to
// the scan field while no dialog is, and lets Esc close the open dialog.
func (t *Till) keysWithoutFocus() {
	c := t.win.Canvas()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch {
		case t.sale.locked():
			c.Focus(t.lock.locked.focus())
		case !t.sh.busy():
			t.sale.focusScan()
			t.sale.scan.TypedKey(k)
		case k.Name == fyne.KeyEscape:
			t.sh.modal.Hide()
		}
	})
	c.SetOnTypedRune(func(r rune) {
		if t.sale.locked() {
			f := t.lock.locked.focus()
			c.Focus(f)
			f.TypedRune(r)
			return
		}
		if !t.sh.busy() {
			t.sale.focusScan()
			t.sale.scan.TypedRune(r)
		}
	})
}

// saleActions lists the sale screen's keys and buttons, in the buttons' order: those of the parts this
// till has, and no others.
func (t *Till) saleActions() []saleAction {
	s := t.sale
	actions := []saleAction{
		{fyne.KeyF2, lang.L("Quantity") + " (F2)", theme.ContentAddIcon(), s.editQuantity},
		{fyne.KeyF3, lang.L("Search") + " (F3)", theme.SearchIcon(), t.search.open},
		{fyne.KeyF5, lang.L("Discount") + " (F5)", theme.ContentCutIcon(), s.editDiscount},
		{"", lang.L("Remove line") + " (Del)", theme.DeleteIcon(), s.removeSelected},
	}
	if t.members != nil {
		actions = append(actions, saleAction{fyne.KeyF6, lang.L("Member") + " (F6)", theme.AccountIcon(), t.members.open})
	}
	if t.park != nil {
		actions = append(actions,
			saleAction{fyne.KeyF7, lang.L("Park / resume") + " (F7)", theme.MediaPauseIcon(), t.park.parkOrResume},
			saleAction{fyne.KeyF8, lang.L("Refund") + " (F8)", theme.ContentUndoIcon(), func() { t.refunds.open("") }})
	}
	actions = append(actions, saleAction{fyne.KeyF9, lang.L("Void sale") + " (F9)", theme.CancelIcon(), s.confirmVoid})
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

// tillActions lists what the till menu (F1) offers at this till, in order; each is picked by its
// number. Add a feature's actions here.
func (t *Till) tillActions() []tillAction {
	var actions []tillAction
	if t.shifts != nil {
		actions = append(actions, t.shifts.actions()...)
	}
	actions = append(actions, tillAction{lang.L("No sale: open the drawer"), t.receipts.noSale})
	if t.svc.Sync != nil && t.svc.Stock != nil {
		actions = append(actions, tillAction{lang.L("Head office sync"), t.openOfficeOn(func(o *openOffice) *officePage { return o.syncTab })})
	}
	if t.svc.Selling != nil {
		actions = append(actions, tillAction{lang.L("Reprint a receipt"), t.receipts.openReprint})
	}
	if t.lock != nil {
		actions = append(actions, tillAction{lang.L("Lock the till / change user"), t.lock.lock})
	}
	if t.svc.Stock != nil { // last but one: the numbers cashiers know by heart stay as they were
		actions = append(actions, tillAction{lang.L("Backups"), t.openOfficeOn(func(o *openOffice) *officePage { return o.backupTab })})
	}
	return append(actions, tillAction{lang.L("Close the till (Ctrl+Q)"), t.quitting.ask})
}

// startShift asks for the opening float, at a till that keeps shifts, when none is open.
func (t *Till) startShift() {
	if t.shifts != nil {
		t.shifts.start()
	}
}

// shopNamed gives the sale and the customer display the shop's name and city, saved at the first run.
func (t *Till) shopNamed(shop app.Shop) {
	t.co.SetShop(shop)
	t.display.settings.Shop = shop
	t.display.showCart(t.co.Lines(), t.co.Totals())
}

// signedIn shows the sale screen for sess, who just signed in.
func (t *Till) signedIn(sess *app.Session) {
	s := t.sale
	s.refresh()
	s.showClock()
	said := lang.L("Signed in as {{.Name}} ({{.Role}}).", map[string]any{"Name": sess.Name(), "Role": roleName(sess.User().Role)})
	s.say(said, widget.MediumImportance)
	t.resumeOpenCart(said)
	s.focusScan()
	t.startShift()
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
	t.sale.focusScan()
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
				onUI(t.sale.showClock)
			}
		}
	}()
}

// Lock hides the sale screen behind the sign-in screen, as F1's "lock" and the idle time do; a till
// without staff has no sign-in.
func (t *Till) Lock() {
	if t.lock != nil {
		t.lock.lock()
	}
}

// ScanFromDevice sells a code framed by a serial scanner, or gives it to the back office page that takes
// scans while that window is open. It may be called from any goroutine.
func (t *Till) ScanFromDevice(code string) {
	onUI(func() {
		if t.office != nil && t.office.scan(code) {
			return
		}
		t.sale.routeScan(code)
	})
}

// CardFromDevice takes a member card tapped on the card reader, or swiped. While the member dialog is open
// it goes there; otherwise its member is put on the sale. A till without members ignores it. Any
// goroutine may call it.
func (t *Till) CardFromDevice(token, label string) {
	onUI(func() {
		if t.members != nil {
			t.members.card(token, label)
		}
	})
}

// SetDeviceState shows a scanner's state (DeviceConnected, …) in the status bar. Any goroutine may call it.
func (t *Till) SetDeviceState(device, state string) {
	onUI(func() { t.devices.setState(device, lang.L("Scanner")+" "+device, state) })
}

// ScaleReading hands what the counter scale sent to the weighing dialog while it is open. Any goroutine
// may call it.
func (t *Till) ScaleReading(r app.ScaleReading) {
	onUI(func() {
		if t.weighing != nil {
			t.weighing.reading(r)
		}
	})
}

// SetScaleState shows the counter scale's state (DeviceConnected, …) in the status bar and in the
// weighing dialog. Any goroutine may call it.
func (t *Till) SetScaleState(scale, state string) {
	onUI(func() {
		t.devices.setState("scale "+scale, lang.L("Scale")+" "+scale, state)
		if t.weighing != nil {
			t.weighing.setState(state)
		}
	})
}

// SetCardReaderState shows the card reader's state in the status bar. Any goroutine may call it.
func (t *Till) SetCardReaderState(reader, state string) {
	onUI(func() { t.devices.setState("card reader "+reader, lang.L("Card reader")+" "+reader, state) })
}

// SetPaymentsState shows in the status bar how wallet payments are taken, when that needs saying: the
// simulated provider ("simulated": no money moves), or why the provider set up cannot be used. Any
// goroutine may call it.
func (t *Till) SetPaymentsState(p app.Payments) {
	state := ""
	switch {
	case p.Unusable != nil:
		state = lang.L("cannot be used: {{.Detail}}", map[string]any{"Detail": p.Unusable.Error()})
	case p.Simulated:
		state = lang.L("simulated, no money moves")
	default:
		return
	}
	onUI(func() { t.devices.setState("payments", lang.L("Payments"), state) })
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

// LatePaymentReversed tells the cashier that a QR code the till gave up on was paid after all, and the
// payment went back to the shopper (app.SweepLatePayments). Any goroutine may call it.
func (t *Till) LatePaymentReversed(reference string, amount money.Amount) {
	onUI(func() {
		t.sale.say(lang.L("A QR payment of {{.Amount}} made after the till gave up on it went back to the shopper (reference {{.Ref}}).",
			map[string]any{"Amount": money.Format(amount, t.opt.Language), "Ref": reference}), widget.WarningImportance)
	})
}

// SaleNotKept tells the cashier that the sale in progress could not be written to disk, where it is
// kept against a crash (app.CartKeeper): it is safe on the screen, but not yet against a power cut. The
// next change is written whole again. Any goroutine may call it.
func (t *Till) SaleNotKept(err error) {
	onUI(func() {
		t.sale.say(lang.L("The sale in progress could not be kept on disk ({{.Detail}}): it is safe on the screen, but a crash now would lose it.",
			map[string]any{"Detail": err.Error()}), widget.DangerImportance)
	})
}

// RecordDeviceInput adds what a device received to the devices screen's live view: a code, or why a
// frame was dropped. Pay codes are shown only by prefix and length. Any goroutine may call it.
func (t *Till) RecordDeviceInput(device, code string, dropped error) {
	onUI(func() { t.devices.record(device, code, dropped) })
}

// SetSyncStatus shows the link to the head office in the status bar and, while it is open, on the back
// office's sync page. Any goroutine may call it.
func (t *Till) SetSyncStatus(st app.SyncStatus) {
	onUI(func() {
		t.syncStatus = st
		t.sale.showSync(st)
		if o := t.office; o != nil && o.syncTab != nil && o.showing(o.syncTab) {
			o.sync.reload()
		}
	})
}

// SetBackupStatus shows the till's off-disk copies in the status bar and, while it is open, on the back
// office's backups page. Any goroutine may call it.
func (t *Till) SetBackupStatus(st app.BackupStatus) {
	onUI(func() {
		t.backupStatus = st
		t.sale.showBackup(st)
		if o := t.office; o != nil && o.backupTab != nil && o.showing(o.backupTab) {
			o.backup.reload()
		}
	})
}

// closeBackOffice closes the back office window, if it is open.
func (t *Till) closeBackOffice() {
	if t.office != nil {
		t.office.win.Close()
	}
}

// openBackOffice opens the back office window with the pages this till has services for, or brings it to
// the front. A user with two-factor sign-in gives their code first.
func (t *Till) openBackOffice() {
	if t.office != nil {
		t.office.win.RequestFocus()
		return
	}
	if t.co.Session().NeedsSecondFactor() {
		askSecondFactor(t.sh, t.co.Session(), t.openBackOffice)
		return
	}
	o := newBackOffice(t.app, lang.L("Products and stock")+" — "+t.co.Settings().Till, t.sh, t.co, t.opt)
	stock := t.svc.Stock
	products := newProductsPage(o, stock, t.opt.Labels)
	changed := products.reload
	receive, adjust := newReceivePage(o, stock, changed), newAdjustPage(o, stock, changed)
	count, low, imports := newCountPage(o, stock, changed), newLowStockPage(o, stock), newImportPage(o, stock, changed)
	productsTab := o.add(fyne.KeyF2, lang.L("Products")+" (F2)", products.content, products.opened, products.scanned)
	o.add(fyne.KeyF3, lang.L("Receive")+" (F3)", receive.content, receive.opened, receive.scanned)
	o.add(fyne.KeyF4, lang.L("Adjust")+" (F4)", adjust.content, adjust.opened, adjust.scanned)
	o.add(fyne.KeyF5, lang.L("Count")+" (F5)", count.content, count.opened, count.scanned)
	o.add(fyne.KeyF6, lang.L("Low stock")+" (F6)", low.content, low.opened, nil)
	o.add(fyne.KeyF7, lang.L("Import")+" (F7)", imports.content, imports.opened, nil)
	o.newProduct = func() {
		o.tabs.Select(productsTab.tab)
		products.create()
	}
	if t.svc.Promotions != nil {
		deals := newPromotionsPage(o, t.svc.Promotions)
		o.add("", lang.L("Promotions"), deals.content, deals.opened, nil)
	}
	if t.svc.Reports != nil {
		day := newDayPage(o, t.svc.Reports)
		o.add(fyne.KeyF10, lang.L("Day")+" (F10)", day.content, day.opened, nil)
	}
	var sync *syncPage
	var syncTab *officePage
	if t.svc.Sync != nil {
		sync = newSyncPage(o, t.svc.Sync, func() app.SyncStatus { return t.syncStatus })
		// No F-key of its own (F9 acts on the count, day and users pages): the till menu (F1) opens it.
		syncTab = o.add("", lang.L("Sync"), sync.content, sync.opened, nil)
	}
	backup := newBackupPage(o, func() app.BackupStatus { return t.backupStatus })
	backupTab := o.add("", lang.L("Backups"), backup.content, backup.opened, nil)
	if t.svc.Staff != nil {
		users := newUsersPage(o, t.svc.Staff)
		o.add(fyne.KeyF1, lang.L("Users")+" (F1)", users.content, users.opened, nil)
	}
	o.win.SetOnClosed(func() {
		imports.cancel()
		t.office = nil
	})
	t.office = &openOffice{BackOffice: o, sync: sync, syncTab: syncTab, backup: backup, backupTab: backupTab}
	o.win.Show()
	products.reload()
	o.focusPage()
}

// openOffice is the back office window while it is open, with its sync page when it has one: the status
// the sync worker reports is shown there as it comes.
type openOffice struct {
	*BackOffice
	sync      *syncPage
	syncTab   *officePage
	backup    *backupPage
	backupTab *officePage
}

// openOfficeOn returns what opens the back office on one of its pages (the sync page, the backups).
func (t *Till) openOfficeOn(page func(*openOffice) *officePage) func() {
	return func() {
		t.openBackOffice()
		if o := t.office; o != nil && page(o) != nil {
			o.open(page(o))
		}
	}
}

// BackOffice returns the open back office window's screens, or nil while it is closed.
func (t *Till) BackOffice() *BackOffice {
	if t.office == nil {
		return nil
	}
	return t.office.BackOffice
}
