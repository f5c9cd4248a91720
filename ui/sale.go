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
)

// saleView is what a dialog tells the sale screen once it has acted: show the sale again (selecting a
// line), the member on it, and a line of feedback or why it failed.
type saleView interface {
	refresh()
	selectLine(i int) // select line i (-1: none) and refresh
	showMember()
	say(text string, importance widget.Importance)
	fail(err error)
	showPaid(sale *app.Sale) // the sale just stored: its change stands large until the next sale starts
}

// saleScreen is the till's main screen: the scan field that always has the keys, the cart, the totals,
// the buttons and F-keys of what this till does, and the status bar. A scan, a typed code or a swipe is
// dispatched on what app.Classifier says it is; the dialogs it opens tell it what they did (saleView).
type saleScreen struct {
	sh       *shell
	co       *app.Checkout
	input    app.Classifier
	display  *CustomerDisplay
	lines    *lineEditor
	language string
	now      func() time.Time
	actions  []saleAction // the keys and buttons of this till, set by the composer before build

	// Where the screen hands what it does not do itself; the composer connects them. Member cards and
	// receipts are refused (they are not products) at a till without members or refunds.
	pay     func()
	weigh   func(p app.Product)  // a product sold by weight was scanned without its weight
	cards   func(in app.Input)   // a member card swiped
	member  func(number string)  // a member's barcode card scanned
	receipt func(receipt string) // a receipt scanned at an idle till
	locked  func() bool          // the sign-in screen is up
	devices func() string        // the devices' states for the status bar

	scan       *KeyEntry
	message    *widget.Label
	memberLine *widget.Label
	// paidBanner fills the empty cart once a sale is paid: paidLabel ("Change due") over paidAmount.
	paidBanner            *fyne.Container
	paidLabel, paidAmount *canvas.Text
	cart                  *cartView
	selected              int // index of the selected line, -1 for none
	subtotal              *widget.Label
	discount              *widget.Label
	tax                   *widget.Label
	items                 *widget.Label
	taxBands              *widget.Label
	total                 *canvas.Text
	totalLabel            *widget.Label // "Total", or "Change" / "Paid" once a sale is stored
	paid                  *app.Sale     // the sale just stored, shown until the next one starts
	secondTotal           *widget.Label // the total in the shop's second currency, if it has one
	clock                 *widget.Label
	status                *widget.Label // the devices' states
	sync                  *widget.Label // the head office link; hidden until the uploader reports
	backup                *widget.Label // the off-disk copies; hidden when none are set up
	// backupStatus is the last the backups reported: the clock turns it red when it grows old.
	backupStatus app.BackupStatus
}

var _ saleView = (*saleScreen)(nil)

// newSaleScreen returns the sale screen of co in sh's window; build lays it out once its actions are set.
func newSaleScreen(sh *shell, co *app.Checkout, input app.Classifier, display *CustomerDisplay, opt Options) *saleScreen {
	s := &saleScreen{sh: sh, co: co, input: input, display: display, language: opt.Language, now: opt.Now, selected: -1,
		pay: func() {}, locked: func() bool { return false }, devices: func() string { return opt.DeviceStatus }}
	s.lines = &lineEditor{sh: sh, co: co, sale: s, language: opt.Language, keypad: opt.Keypad}
	s.weigh = s.lines.weight
	s.cards = func(app.Input) { s.fail(app.ErrMemberScanned) }
	s.member = func(string) { s.fail(app.ErrMemberScanned) }
	s.receipt = func(string) { s.fail(app.ErrReceiptScanned) }
	return s
}

func (s *saleScreen) money(a money.Amount) string { return money.Format(a, s.language) }

// showClock shows the time and the devices' states in the status bar.
func (s *saleScreen) showClock() {
	s.clock.SetText(s.now().Format("2006-01-02 15:04:05"))
	s.status.SetText(s.devices())
	if s.backup != nil && s.backupStatus.Target != "" {
		s.showBackup(s.backupStatus)
	}
}

// showSync shows the link to the head office in the status bar: online or offline, how many documents
// wait, when it last synced and the last error; red when someone must look.
func (s *saleScreen) showSync(st app.SyncStatus) {
	s.sync.SetText(syncText(st, s.now()))
	s.sync.Importance = widget.MediumImportance
	if st.Stuck(s.now()) {
		s.sync.Importance = widget.DangerImportance // refused documents, or an upload that keeps failing
	}
	s.sync.Refresh()
	s.sync.Show()
}

// saleAction is something the sale screen does on an F-key and, when it has a label, on a touch button.
type saleAction struct {
	key   fyne.KeyName // "" for a button only
	label string       // the button's, with its key: "Quantity (F2)"; "" for a key only
	icon  fyne.Resource
	run   func()
}

// build lays the screen out with its actions' buttons.
func (s *saleScreen) build() fyne.CanvasObject {
	s.scan = NewKeyEntry()
	s.scan.SetPlaceHolder(lang.L("Scan or type a barcode, then Enter"))
	s.scan.OnKey = s.scanKey
	s.scan.OnRune = s.scanRune
	// '+' and '*' act only when no scan follows them: codes such as HIBC's start with '+'.
	s.scan.useWedge(s.sh.wedge, "+*", s.sh.after)
	s.sh.hearShortcuts(s.scan)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.memberLine = widget.NewLabel("")
	s.memberLine.Importance = widget.HighImportance
	s.memberLine.Hide()

	s.cart = newCartView(s.language, func(i int) {
		s.selected = i
		s.focusScan()
	})

	s.subtotal, s.discount, s.tax, s.items = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{s.subtotal, s.discount, s.tax, s.items} {
		l.Alignment = fyne.TextAlignTrailing
	}
	s.taxBands = widget.NewLabel("")
	s.taxBands.Alignment = fyne.TextAlignTrailing
	s.taxBands.Importance = widget.LowImportance
	s.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.total.TextSize = theme.TextSize() * 2.5
	s.total.TextStyle.Bold = true
	s.total.Alignment = fyne.TextAlignTrailing
	s.secondTotal = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	s.totalLabel = widget.NewLabelWithStyle(lang.L("Total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	row := func(label string, value fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, value)
	}
	pay := widget.NewButtonWithIcon(lang.L("Pay")+" (F12)", theme.ConfirmIcon(), func() { s.pay() })
	pay.Importance = widget.HighImportance
	totals := container.NewVBox(
		row(lang.L("Subtotal"), s.subtotal),
		row(lang.L("Discount"), s.discount),
		row(lang.L("Tax"), s.tax),
		s.taxBands,
		row(lang.L("Items"), s.items),
		widget.NewSeparator(),
		s.totalLabel,
		s.total,
		s.secondTotal,
		layout.NewSpacer(),
		container.New(atLeast{payHeight}, pay), // the largest button: it takes the money
	)

	var buttons []fyne.CanvasObject
	for _, a := range s.actions {
		if a.label != "" {
			buttons = append(buttons, touchSized(s.keyButton(a.label, a.icon, a.run)))
		}
	}
	keys := container.NewGridWithColumns(min(len(buttons), 4), buttons...) // two rows fit a 1024-pixel screen
	s.clock, s.status = widget.NewLabel(""), widget.NewLabel("")
	s.status.Importance = widget.LowImportance
	s.sync = widget.NewLabel("")
	s.sync.Importance = widget.LowImportance
	s.sync.Hide()
	s.backup = widget.NewLabel("")
	s.backup.Hide()
	statusBar := container.NewHBox(
		widget.NewLabelWithStyle(lang.L("Till")+" "+s.co.Settings().Till, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.status, s.sync, s.backup, layout.NewSpacer(), s.clock)
	s.showClock()

	top := container.NewVBox(s.scan, s.message, s.memberLine)
	bottom := container.NewVBox(keys, statusBar)
	side := container.NewPadded(totals)
	s.paidLabel = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.paidLabel.TextSize, s.paidLabel.Alignment = theme.TextSize()*2, fyne.TextAlignCenter
	s.paidAmount = canvas.NewText("", theme.Color(theme.ColorNameSuccess))
	s.paidAmount.TextSize, s.paidAmount.TextStyle.Bold, s.paidAmount.Alignment = theme.TextSize()*6, true, fyne.TextAlignCenter
	s.paidBanner = container.NewCenter(container.NewVBox(s.paidLabel, s.paidAmount))
	s.paidBanner.Hide()
	return container.NewBorder(top, bottom, nil, side, container.NewStack(s.cart.content(), s.paidBanner))
}

// keyButton is a touch-sized button for an action that also has a key; tapping hands the keys back.
func (s *saleScreen) keyButton(label string, icon fyne.Resource, action func()) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, func() {
		action()
		if !s.sh.busy() {
			s.focusScan()
		}
	})
}

func (s *saleScreen) focusScan() {
	if !s.sh.busy() && !s.locked() {
		s.sh.canvas().Focus(s.scan)
	}
}

// scanKey handles the keys of the sale screen. Keys that edit text pass through to the field.
func (s *saleScreen) scanKey(k *fyne.KeyEvent) bool {
	s.sh.touch()
	s.say("", widget.MediumImportance) // a message is about the last action: the next one clears it
	for _, a := range s.actions {
		if a.key == k.Name {
			a.run()
			return true
		}
	}
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.submitScan()
	case fyne.KeyUp:
		s.moveSelection(-1)
	case fyne.KeyDown:
		s.moveSelection(+1)
	case fyne.KeyEscape:
		s.scan.SetText("")
		s.say("", widget.MediumImportance)
	case fyne.KeyDelete:
		if s.scan.Text != "" {
			return false
		}
		s.removeSelected()
	default:
		return false
	}
	return true
}

// scanRune makes '+' pay and '*' on an empty field set the quantity; "3*CODE" still types through.
func (s *saleScreen) scanRune(r rune) bool {
	s.sh.touch()
	if s.scan.Text == "" { // the next code begins: the last one's message goes
		s.say("", widget.MediumImportance)
	}
	switch {
	case r == '+':
		s.pay()
		return true
	case r == '*' && s.scan.Text == "":
		s.editQuantity()
		return true
	}
	return false
}

func (s *saleScreen) submitScan() {
	input := s.scan.Text
	s.scan.SetText("")
	if strings.TrimSpace(input) == "" {
		return
	}
	s.sell(input)
}

// sell does what a scan or the scan field names, as app.Classifier reads it: a product is sold, a member
// card (scanned or swiped) puts its member on the sale, a receipt at an idle till opens its refund.
func (s *saleScreen) sell(input string) {
	in := s.input.Classify(input)
	switch {
	case in.Kind == app.InputCard:
		s.cards(in)
		return
	case in.Kind == app.InputMember:
		s.member(in.Code.Data)
		return
	case in.Kind == app.InputReceipt && len(s.co.Lines()) == 0:
		s.receipt(in.Receipt) // a receipt scanned at an idle till: the customer is bringing something back
		return
	}
	added, err := s.co.Scan(context.Background(), input)
	switch {
	case errors.Is(err, app.ErrWeightRequired):
		s.weigh(added.Product)
	case err != nil:
		s.fail(err)
	default:
		s.selected = added.Line
		s.refresh()
		name := added.Product.DisplayName(s.language)
		if s.co.OverLimit(added.Line) {
			s.confirmOverLimit(added.Line, name)
			return
		}
		if expiry, ok := added.Code.ExpiryDate(s.now()); ok && added.Expired {
			s.say(lang.L("{{.Name}} expired on {{.Date}}. Check it before selling.",
				map[string]any{"Name": name, "Date": expiry.Format(time.DateOnly)}), widget.WarningImportance)
			return
		}
		if s.co.BelowZero(added.Product) {
			s.say(lang.L("{{.Name}}: the stock records show none left. Sold anyway; count the shelf when you can.",
				map[string]any{"Name": name}), widget.WarningImportance)
			return
		}
		s.say(name, widget.MediumImportance)
	}
}

// confirmOverLimit asks whether line i, which comes to more than the shop's limit for one line, is
// meant: Enter keeps it, Esc takes it off the sale.
func (s *saleScreen) confirmOverLimit(i int, name string) {
	line := s.co.Lines()[i]
	limit := money.New(s.co.Settings().LineLimit, line.Total.Currency())
	s.sh.confirmOr(lang.L("Check this line"), lang.L("{{.Name}} comes to {{.Total}} on one line, more than {{.Limit}}. Keep it?",
		map[string]any{"Name": name, "Total": s.money(line.Total), "Limit": s.money(limit)}),
		func() { s.say(name, widget.MediumImportance) },
		func() {
			if err := s.co.RemoveLine(i); err != nil {
				s.fail(err)
				return
			}
			s.refresh()
			s.say(lang.L("{{.Name}} taken off the sale.", map[string]any{"Name": name}), widget.MediumImportance)
		})
}

// routeScan takes a code from a scanner, wherever the keys were: the open dialog gets it if it wants
// scans; otherwise the dialog closes and the code is sold.
func (s *saleScreen) routeScan(code string) {
	if s.locked() {
		return // nobody is signed in to sell it
	}
	s.sh.touch()
	if in := s.input.Classify(code); in.Kind == app.InputCard {
		s.cards(in)
		return
	}
	if s.sh.busy() {
		if s.sh.modalScan != nil {
			s.sh.modalScan(code)
			return
		}
		s.sh.modal.Hide()
	}
	s.sell(code)
}

func (s *saleScreen) moveSelection(delta int) {
	n := len(s.co.Lines())
	if n == 0 {
		return
	}
	s.selected = min(max(s.selected+delta, 0), n-1)
	s.cart.show(s.co.Lines(), s.selected)
	s.focusScan()
}

func (s *saleScreen) removeSelected() {
	if err := s.co.RemoveLine(s.selected); err != nil {
		s.fail(err)
		return
	}
	s.selected = min(s.selected, len(s.co.Lines())-1)
	s.refresh()
	s.say(lang.L("Line removed."), widget.MediumImportance)
}

func (s *saleScreen) confirmVoid() {
	if len(s.co.Lines()) == 0 {
		s.fail(app.ErrEmptyCart)
		return
	}
	var void func()
	void = func() {
		err := s.co.Void(context.Background())
		if askApproval(s.sh, s.co.Session(), err, "", void, nil) {
			return
		}
		if err != nil {
			s.fail(err)
			return
		}
		s.selected = -1
		s.refresh()
		s.say(lang.L("Sale voided."), widget.WarningImportance)
	}
	s.sh.confirm(lang.L("Void sale"), lang.L("Void this sale? Enter: yes · Esc: no"), void)
}

// refresh shows the checkout's state on both screens.
func (s *saleScreen) refresh() {
	lines, tot := s.co.Lines(), s.co.Totals()
	if s.selected >= len(lines) {
		s.selected = len(lines) - 1
	}
	s.cart.show(lines, s.selected)
	f := func(a money.Amount) string { return money.Format(a, s.language) }
	s.subtotal.SetText(f(tot.BeforeDiscounts())) // Subtotal − Discount (+ Tax) = Total, as on the receipt
	s.discount.SetText(f(tot.Discount.Neg()))
	s.tax.SetText(f(tot.Tax))
	var bands []string
	for _, b := range tot.TaxBands {
		bands = append(bands, lang.L("VAT {{.Rate}}%: {{.Tax}}", map[string]any{
			"Rate": app.FormatRate(b.RateBP),
			"Tax":  f(b.Tax)}))
	}
	s.taxBands.SetText(strings.Join(bands, "\n"))
	s.items.SetText(lang.L("{{.Count}} ({{.Lines}} lines)", map[string]any{"Count": tot.ItemCount, "Lines": tot.Lines}))
	if len(lines) > 0 {
		s.paid = nil // the next sale has started
	}
	s.totalLabel.SetText(lang.L("Total"))
	s.total.Text, s.total.Color = f(tot.Total), theme.Color(theme.ColorNameForeground)
	if sale := s.paid; sale != nil {
		// Until the next scan the change is the largest thing on the screen, in green; a sale paid
		// exactly (card, QR, wallet) shows what was paid.
		s.totalLabel.SetText(lang.L("Paid"))
		s.total.Text = f(sale.Paid())
		if change := sale.Change(); change.Minor() > 0 {
			s.totalLabel.SetText(lang.L("Change due"))
			s.total.Text, s.total.Color = f(change), theme.Color(theme.ColorNameSuccess)
		}
	}
	s.total.Refresh()
	s.showPaidBanner()
	s.secondTotal.SetText(s.inSecond(tot.Total))
	s.display.showCart(lines, tot)
	if m, ok := s.co.Member(); ok { // a resumed sale brings its member back
		s.showMemberLine(m)
		s.display.showMember(&m)
	} else {
		s.memberLine.Hide()
		if len(lines) > 0 {
			s.display.showMember(nil)
		}
	}
}

// showPaidBanner fills the empty cart with the sale just paid until the next one starts: the change to
// hand back, the largest thing on the screen, or what was paid when there is none.
func (s *saleScreen) showPaidBanner() {
	sale := s.paid
	if sale == nil {
		s.paidBanner.Hide()
		return
	}
	s.paidLabel.Text, s.paidAmount.Text = lang.L("Paid"), s.money(sale.Paid())
	s.paidAmount.Color = theme.Color(theme.ColorNameForeground)
	if change := sale.Change(); change.Minor() > 0 {
		s.paidLabel.Text, s.paidAmount.Text = lang.L("Change due"), s.money(change)
		s.paidAmount.Color = theme.Color(theme.ColorNameSuccess)
	}
	s.paidLabel.Refresh()
	s.paidAmount.Refresh()
	s.paidBanner.Show()
}

// showPaid shows the sale just stored, its change large, until the next sale starts.
func (s *saleScreen) showPaid(sale *app.Sale) {
	s.paid = sale
	s.refresh()
	s.display.thankYou(sale) // refresh showed the empty cart on the display
}

// inSecond is "≈ $1.72" for an amount in the shop's second currency, or "" when it has none.
func (s *saleScreen) inSecond(a money.Amount) string {
	if v, ok := s.co.Settings().InSecondCurrency(a); ok && !a.IsZero() {
		return "≈ " + money.Format(v, s.language)
	}
	return ""
}

// say shows a line of feedback under the scan field.
func (s *saleScreen) say(text string, importance widget.Importance) {
	s.message.Importance = importance
	s.message.SetText(text)
}

// fail shows why an action failed; when it needs a supervisor, it asks for one, and the cashier does it
// again once approved.
func (s *saleScreen) fail(err error) {
	s.say(errorMessage(err), widget.DangerImportance)
	askApproval(s.sh, s.co.Session(), err, "", func() {
		s.say(lang.L("Approved: do it again to go ahead."), widget.SuccessImportance)
	}, nil)
}

// selectLine selects line i (-1: none) and shows the sale again.
func (s *saleScreen) selectLine(i int) {
	s.selected = i
	s.refresh()
}

// selectedLine returns the selected line and its index, or tells the cashier to select one.
func (s *saleScreen) selectedLine() (app.Line, int, bool) {
	lines := s.co.Lines()
	if s.selected < 0 || s.selected >= len(lines) {
		s.fail(app.ErrNoSuchLine)
		return app.Line{}, -1, false
	}
	return lines[s.selected], s.selected, true
}

// editQuantity sets the selected line's quantity: at once when the cashier typed a number before F2,
// else in a dialog.
func (s *saleScreen) editQuantity() {
	line, i, ok := s.selectedLine()
	if !ok {
		return
	}
	typed := strings.TrimSpace(s.scan.Text)
	s.scan.SetText("")
	s.lines.quantity(i, line, typed)
}

// editDiscount discounts the selected line, or changes its price.
func (s *saleScreen) editDiscount() {
	if line, i, ok := s.selectedLine(); ok {
		s.lines.discount(i, line)
	}
}

// showMember shows the sale's member on the sale screen and the customer display.
func (s *saleScreen) showMember() {
	m, ok := s.co.Member()
	if !ok {
		s.memberLine.Hide()
		s.display.showMember(nil)
		return
	}
	s.showMemberLine(m)
	s.display.showMember(&m)
	s.say(lang.L("Member {{.Name}} is on this sale.", map[string]any{"Name": m.Name}), widget.SuccessImportance)
}

// showMemberLine shows m, on the sale, above the cart.
func (s *saleScreen) showMemberLine(m app.Member) {
	text := lang.L("{{.Name}} · {{.Number}} · {{.Points}} points · prepaid {{.Balance}}", map[string]any{
		"Name": m.Name, "Number": m.Number, "Points": m.Points, "Balance": s.money(m.Balance)})
	s.memberLine.SetText(lang.L("Member") + ": " + text)
	s.memberLine.Show()
}
