package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/signature"
)

// payment is the open payment dialog: what is still due, the tenders taken so far, and one amount field
// that every tender reads. Enter takes cash (with change), F4 part cash, F6 card, F7 the shop's QR code;
// a customer's pay code scanned into it is charged. The sale is stored once nothing is due.
type payment struct {
	pd      *paymentDialog
	cashDue money.Amount // what cash would settle, after rounding
	due     money.Amount // what remains, unrounded: what a card, QR or wallet may pay at most
	amount  *KeyEntry
	change  *widget.Label
	status  *widget.Label
	problem *widget.Label
	dialog  dialog.Dialog
	busy    bool // a wallet payment is waiting for its provider: the dialog cannot close
	// confirmedBig is cash tendered app.ImplausibleTender that the cashier was warned of:
	// Enter again with the same amount takes it.
	confirmedBig money.Amount
}

// paymentDialog takes payment for the sale (F12, or '+'): cash, part cash, the shop's card terminal, its QR
// code, a customer's pay code, or the member's account; once nothing is due the sale is stored and its
// receipt printed.
type paymentDialog struct {
	sh         *shell
	co         *app.Checkout
	sale       saleView
	display    *CustomerDisplay
	payments   app.Payments
	members    app.MemberService // asked only when a member is on the sale, which needs members
	receipts   *receipts
	language   string
	background func(func())
	keypad     bool     // an on-screen keypad under the amount (Options.Keypad)
	paying     *payment // the payment dialog last opened
}

// open opens the payment dialog for what is still due; Esc goes back to the sale.
func (pd *paymentDialog) open() {
	if pd.sh.busy() {
		return
	}
	pd.paying = nil
	if len(pd.co.Lines()) == 0 {
		pd.sale.fail(app.ErrEmptyCart)
		return
	}
	p := &payment{pd: pd, cashDue: pd.co.CashDue(), due: pd.co.Due()}
	if p.cashDue.Minor() <= 0 {
		p.complete() // everything is paid; only storing the sale is left
		return
	}
	f := pd.money
	dueText := canvas.NewText(f(p.cashDue), theme.Color(theme.ColorNamePrimary))
	dueText.TextSize = theme.TextSize() * 2.5
	dueText.TextStyle.Bold = true
	dueText.Alignment = fyne.TextAlignCenter

	p.amount = pd.sh.field()
	p.amount.OnScan = p.scanned
	p.amount.SetPlaceHolder(p.cashDue.Decimal())
	p.amount.OnChanged = func(string) { p.showChange() }
	p.amount.OnKey = p.key

	var quick []fyne.CanvasObject
	for i, amount := range app.SuggestedTenders(p.cashDue) {
		label := f(amount)
		if i == 0 {
			label = lang.L("Exact") + " " + label
		}
		quick = append(quick, touchSized(widget.NewButton(label, func() { p.payCash(amount) })))
	}
	p.change = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.status = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	p.status.Wrapping = fyne.TextWrapWord
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.showChange()

	title := lang.L("Amount due (cash)")
	if p.cashDue != p.due {
		title += "  ·  " + pd.roundingText(p.cashDue.Sub(p.due)) + "  ·  " + lang.L("card, QR: {{.Amount}}", map[string]any{"Amount": f(p.due)})
	}
	content := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{}), dueText)
	if paid := pd.tendersText(); paid != "" {
		content.Add(widget.NewLabelWithStyle(paid, fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	content.Add(widget.NewLabel(lang.L("Amount tendered")))
	content.Add(p.amount)
	if pd.keypad {
		content.Add(numPad(p.amount))
	}
	if len(quick) > 0 {
		content.Add(container.NewGridWithColumns(len(quick), quick...))
	}
	// The ways to pay as tiles with their keys on them, for a finger as for the keyboard.
	tile := func(label string, icon fyne.Resource, run func()) fyne.CanvasObject {
		b := widget.NewButtonWithIcon(label, icon, func() {
			if !p.busy {
				run()
			}
		})
		return touchSized(b)
	}
	cash := widget.NewButtonWithIcon(lang.L("Cash")+" (Enter)", theme.ConfirmIcon(), func() {
		if !p.busy {
			p.submit()
		}
	})
	cash.Importance = widget.HighImportance // Enter's: the way most sales are paid
	tiles := []fyne.CanvasObject{
		touchSized(cash),
		tile(lang.L("Part in cash")+" (F4)", theme.ContentAddIcon(), p.partCash),
		tile(lang.L("Card")+" (F6)", theme.AccountIcon(), p.card),
		tile(lang.L("QR code")+" (F7)", theme.GridIcon(), p.qr),
		tile(lang.L("Pay code")+" (F5)", theme.SearchIcon(), p.askPayCode),
	}
	hint := lang.L("Pay code: scan the customer's phone · Esc: back")
	if m, ok := pd.co.Member(); ok {
		balance, points := pd.co.AccountLeft()
		tiles = append(tiles,
			tile(lang.L("Prepaid {{.Balance}}", map[string]any{"Balance": f(balance)})+" (F8)", theme.StorageIcon(), func() { p.fromAccount(app.TenderPrepaid) }),
			tile(lang.L("Points {{.Points}}", map[string]any{"Points": points})+" (F9)", theme.ContentAddIcon(), func() { p.fromAccount(app.TenderPoints) }))
		hint = m.Name + " · " + hint
	}
	content.Add(container.NewGridWithColumns(min(len(tiles), 3), tiles...))
	content.Add(container.NewVBox(p.change, p.status, p.problem,
		widget.NewLabelWithStyle(hint, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})))
	for _, l := range content.Objects {
		if label, ok := l.(*widget.Label); ok {
			label.Wrapping = fyne.TextWrapWord
		}
	}
	p.dialog = pd.sh.open(lang.L("Take payment"), container.NewGridWrap(fyne.NewSize(600, content.MinSize().Height+40), content), p.amount)
	pd.paying = p
	pd.sh.takeScans(p.scanned)
	pd.display.showDue(pd.co.Lines(), pd.co.Totals(), pd.co.Tenders(), p.due)
}

func (pd *paymentDialog) money(a money.Amount) string { return money.Format(a, pd.language) }

// roundingText names cash rounding as the shop says it: "抹零 -¥0.08" when the small change is dropped,
// "+¥0.02" when cash rounds up; "" for none.
func (pd *paymentDialog) roundingText(r money.Amount) string {
	switch {
	case r.IsNegative():
		return lang.L("Rounded down {{.Amount}}", map[string]any{"Amount": pd.money(r)})
	case r.Minor() > 0:
		return lang.L("Rounded up {{.Amount}}", map[string]any{"Amount": "+" + pd.money(r)})
	}
	return ""
}

// tendersText lists the payments taken so far: "Paid: card ···4242 ¥3.00 · cash ¥2.00".
func (pd *paymentDialog) tendersText() string {
	var parts []string
	for _, tn := range pd.co.Tenders() {
		parts = append(parts, labels().Tender(tn)+" "+pd.money(tn.Amount))
	}
	if len(parts) == 0 {
		return ""
	}
	return lang.L("Paid") + ": " + strings.Join(parts, " · ")
}

func (p *payment) key(k *fyne.KeyEvent) bool {
	if p.busy {
		return true // the provider has not answered: nothing else may happen to this sale
	}
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		p.submit()
	case fyne.KeyEscape:
		p.dialog.Hide()
	case fyne.KeyF4:
		p.partCash()
	case fyne.KeyF5:
		p.askPayCode()
	case fyne.KeyF6:
		p.card()
	case fyne.KeyF7:
		p.qr()
	case fyne.KeyF8:
		p.fromAccount(app.TenderPrepaid)
	case fyne.KeyF9:
		p.fromAccount(app.TenderPoints)
	default:
		return false
	}
	return true
}

// askPayCode waits for the shopper's wallet pay code: the scanner's code (or the digits typed, then
// Enter) is charged as one wherever it lands, as the amount field knows a pay code by its shape.
func (p *payment) askPayCode() {
	p.problem.SetText("")
	p.status.SetText(lang.L("Scan the customer's pay code, or type its digits and press Enter."))
	p.pd.sh.focus(p.amount)
}

// fromAccount pays from the member's account: their prepaid balance (the typed amount, or as much of
// what is due as it covers) or their points (as many as what is due needs).
func (p *payment) fromAccount(kind app.TenderKind) {
	pd := p.pd
	var amount *money.Amount // none typed: as much as the balance covers
	if text := strings.TrimSpace(p.amount.Text); text != "" && kind == app.TenderPrepaid {
		a, err := p.typed(p.due)
		if err != nil {
			p.problem.SetText(errorMessage(err))
			return
		}
		amount = &a
	}
	_, err := pd.members.PayFromAccount(context.Background(), pd.co, kind, amount)
	if errors.Is(err, app.ErrPINRequired) {
		p.askPIN(kind)
		return
	}
	if errors.As(err, new(*app.PermissionError)) {
		p.askSupervisor(kind, err)
		return
	}
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.next()
}

// askSupervisor asks for a supervisor's approval when the guard stopped the member's account paying (err),
// then pays from it again; not approved, the payment dialog comes back saying why.
func (p *payment) askSupervisor(kind app.TenderKind, err error) {
	pd := p.pd
	typed := p.amount.Text
	p.dialog.Hide()
	askApproval(pd.sh, pd.co.Session(), err, "", func() {
		if pd.paying != nil {
			pd.paying.fromAccount(kind)
		}
	}, func() {
		pd.open()
		if pd.paying != nil {
			pd.paying.amount.SetText(typed)
			pd.paying.problem.SetText(errorMessage(err))
		}
	})
}

// askPIN asks for the member's PIN (the customer types it), then pays from their account as asked. A
// wrong PIN asks again; a locked account goes back to the payment dialog to pay another way.
func (p *payment) askPIN(kind app.TenderKind) {
	pd := p.pd
	typed := p.amount.Text
	p.dialog.Hide()
	var d dialog.Dialog
	pin := pd.sh.field()
	pin.Password = true
	pin.SetPlaceHolder(lang.L("Member's PIN"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	back := func(err error) {
		d.Hide()
		pd.open()
		if pd.paying != nil {
			pd.paying.amount.SetText(typed)
			if err != nil {
				pd.paying.problem.SetText(errorMessage(err))
				return
			}
			pd.paying.fromAccount(kind)
		}
	}
	dialogKeys(pin, func() dialog.Dialog { return d }, func() {
		err := pd.members.EnterPIN(context.Background(), pd.co, pin.Text)
		pin.SetText("")
		if errors.Is(err, app.ErrWrongPIN) {
			problem.SetText(errorMessage(err))
			return
		}
		back(err)
	})
	hint := widget.NewLabelWithStyle(lang.L("The customer types their PIN, then Enter · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	d = pd.sh.open(lang.L("Member's PIN"), container.NewGridWrap(fyne.NewSize(420, 160), container.NewVBox(pin, problem, hint)), pin)
}

// typed reads the amount field; empty means def. A code (looksLikeCode) is never an amount.
func (p *payment) typed(def money.Amount) (money.Amount, error) {
	text := strings.TrimSpace(p.amount.Text)
	if text == "" {
		return def, nil
	}
	if app.CodeNotAmount(text) {
		return money.Amount{}, app.ErrInvalidAmount
	}
	a, err := money.Parse(text, def.Currency())
	if err != nil {
		return money.Amount{}, app.ErrInvalidAmount
	}
	return a, nil
}

func (p *payment) showChange() {
	if app.CodeNotAmount(strings.TrimSpace(p.amount.Text)) {
		p.change.SetText(lang.L("A code, not an amount: Enter charges it as the customer's pay code."))
		return
	}
	a, err := p.typed(p.cashDue)
	if err == nil {
		var change money.Amount
		if change, err = app.ChangeFor(p.cashDue, a); err == nil {
			p.change.SetText(lang.L("Change: {{.Amount}}", map[string]any{"Amount": p.pd.money(change)}))
			return
		}
	}
	p.change.SetText(errorMessage(err))
}

func (p *payment) submit() {
	if text := strings.TrimSpace(p.amount.Text); app.CodeNotAmount(text) {
		// A pay code typed, or scanned by a wedge too slow to be told from typing: it is charged for all
		// that is due, never taken as cash (a product's code is refused as a scan during payment is).
		p.amount.SetText("")
		p.scanned(text)
		return
	}
	a, err := p.typed(p.cashDue)
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	if app.ImplausibleTender(p.cashDue, a) && p.confirmedBig != a {
		p.confirmedBig = a
		p.problem.SetText(lang.L("{{.Amount}} is more than 100 times the amount due. Enter again to take it, or correct it.",
			map[string]any{"Amount": p.pd.money(a)}))
		return
	}
	p.payCash(a)
}

// payCash takes the cash and stores the sale. The screen says "paid" only once the store has committed; if
// the commit fails the dialog stays open and Enter tries the commit again.
func (p *payment) payCash(tendered money.Amount) {
	sale, err := p.pd.co.SettleCash(context.Background(), tendered)
	p.settled(sale, err)
}

func (p *payment) partCash() {
	a, err := p.typed(p.cashDue)
	if strings.TrimSpace(p.amount.Text) == "" {
		err = app.ErrInvalidAmount // part of what amount? the cashier types it
	}
	if err == nil {
		_, err = p.pd.co.PayCashPart(a)
	}
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.next()
}

// nonCashAmount is the amount a card, QR or wallet payment takes: the typed amount, or all that is due.
func (p *payment) nonCashAmount() (money.Amount, bool) {
	a, err := p.typed(p.due)
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return money.Amount{}, false
	}
	return a, true
}

// next reopens the dialog for what is still due after a tender, or stores the sale when nothing is.
func (p *payment) next() {
	pd := p.pd
	if p.dialog != nil {
		p.dialog.Hide()
	}
	pd.sale.refresh()
	if pd.co.CashDue().Minor() <= 0 {
		p.complete()
		return
	}
	pd.open()
}

// complete stores a fully paid sale; a failure leaves it open, and the payment dialog (F12) retries.
func (p *payment) complete() {
	sale, err := p.pd.co.Complete(context.Background())
	p.settled(sale, err)
}

// storingFailed reports whether err is the store failing to keep a paid sale (rather than the sale being
// refused): the sale stays open to be completed again.
func storingFailed(err error) bool {
	switch app.ErrorCode(err) {
	case "", app.ErrDiskWrite.Code, app.ErrDatabaseBusy.Code, app.ErrDatabaseGone.Code:
		return true
	}
	return false
}

func (p *payment) settled(sale *app.Sale, err error) {
	pd := p.pd
	if err != nil {
		msg := errorMessage(err)
		if storingFailed(err) { // the sale is open, the money taken
			msg += "\n" + lang.L("The sale is NOT saved. Press Enter to try again.")
		}
		if p.problem != nil && pd.sh.showing(p.dialog) {
			p.problem.SetText(msg)
		} else {
			pd.sale.say(msg, widget.DangerImportance)
		}
		return
	}
	if p.dialog != nil {
		p.dialog.Hide()
	}
	pd.sale.selectLine(-1)
	pd.display.thankYou(sale)
	paid := lang.L("Paid. Change {{.Change}} · receipt {{.Receipt}}", map[string]any{
		"Change": pd.money(sale.Change()), "Receipt": sale.ReceiptNo})
	if rounding := pd.roundingText(sale.Rounding); rounding != "" {
		paid += " · " + rounding
	}
	pd.sale.say(paid, widget.SuccessImportance)
	pd.sale.showPaid(sale)
	pd.receipts.afterSale(sale, paid)
}

// scanned charges a customer's wallet pay code for the typed amount (or all that is due). The provider
// is asked on a goroutine of its own; the checkout is only touched here, on the UI goroutine.
func (p *payment) scanned(code string) {
	pd := p.pd
	if p.busy {
		return
	}
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	req, err := pd.co.StartCodePayment(code, amount)
	switch {
	case errors.Is(err, app.ErrNotAPayCode): // a product scanned during payment
		p.problem.SetText(errorMessage(app.ErrPaymentStarted))
		return
	case err != nil:
		p.problem.SetText(errorMessage(err))
		return
	}
	if err := pd.payments.CheckPayCodes(); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.busy = true
	p.problem.SetText("")
	p.status.SetText(lang.L("Charging {{.Amount}} to {{.Wallet}}…", map[string]any{"Amount": pd.money(amount), "Wallet": labels().Wallet(req.Wallet)}))
	waiting := func(app.PaymentStatus, error) {
		onUI(func() {
			p.status.SetText(lang.L("Waiting for the customer to confirm on their phone…"))
			pd.display.waitingForPhone(amount)
		})
	}
	pd.background(func() {
		res, err := pd.payments.Collect(context.Background(), req, waiting)
		onUI(func() {
			p.busy = false
			p.status.SetText("")
			if err == nil {
				_, err = pd.co.TakeCodePayment(req, res)
			}
			if err != nil {
				p.problem.SetText(errorMessage(err))
				pd.display.declined()
				return
			}
			p.next()
		})
	})
}

// followQR shows a code the provider makes (or the shop's dynamic code it follows) and waits for the
// provider to say the shopper paid, on a goroutine of its own: paid, the payment is taken and the sale
// goes on; Esc, a decline or the timeout reverses the order and brings the payment dialog back. The
// cashier cannot confirm it by hand.
func (p *payment) followQR(amount money.Amount, ref string) {
	pd := p.pd
	p.dialog.Hide()
	ctx, cancel := context.WithCancel(context.Background())
	status := widget.NewLabelWithStyle(lang.L("Showing the code…"), fyne.TextAlignCenter, fyne.TextStyle{})
	var d dialog.Dialog
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			status.SetText(lang.L("Cancelling the payment with the provider…"))
			cancel()
		}
	})
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("The customer scans the code on their display: {{.Amount}}", map[string]any{"Amount": pd.money(amount)}),
			fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		status,
		widget.NewLabelWithStyle(lang.L("Reference {{.Ref}}", map[string]any{"Ref": ref}), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true}),
		widget.NewLabelWithStyle(lang.L("The provider confirms the payment · Esc: cancel"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		keys)
	d = pd.sh.open(lang.L("QR code payment"), content, keys)
	pd.sh.takeScans(func(string) {}) // the customer pays on their phone; nothing scanned here counts
	req := app.PresentRequest{Reference: ref, Amount: amount, Subject: pd.co.Settings().Shop.Name}
	show := func(code string) error {
		shown := make(chan error, 1)
		onUI(func() { shown <- pd.display.showQR(code, amount) })
		return <-shown
	}
	waiting := func(app.PaymentStatus, error) {
		onUI(func() { status.SetText(lang.L("Waiting for the customer to pay with their phone…")) })
	}
	pd.background(func() {
		res, err := pd.payments.CollectQR(ctx, req, show, waiting)
		cancel()
		onUI(func() {
			if err == nil {
				if _, err = pd.co.PayQR(amount, ref, res.TransactionID); err != nil {
					// Paid, but not taken: the order is watched, and reversed at the next sweep.
					if werr := pd.payments.Abandon(context.Background(), ref, amount, time.Now()); werr != nil {
						err = errors.Join(err, werr)
					}
				}
			}
			d.Hide()
			if err != nil {
				pd.open()
				if pd.paying != nil {
					pd.paying.problem.SetText(errorMessage(err))
				}
				return
			}
			(&payment{pd: pd}).next()
		})
	})
}

// card asks for the card terminal's approval code and the card's last four digits, then takes the card
// payment for the typed amount (or all that is due).
func (p *payment) card() {
	pd := p.pd
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	p.dialog.Hide()
	approval, last4 := pd.sh.field(), pd.sh.field()
	approval.SetPlaceHolder(lang.L("Approval code"))
	last4.SetPlaceHolder(lang.L("Last 4 digits of the card"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	back := func() { d.Hide(); pd.open() }
	pay := func() {
		if _, err := pd.co.PayCard(amount, approval.Text, strings.TrimSpace(last4.Text)); err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		(&payment{pd: pd}).next()
	}
	confirm := func() {
		if !pd.co.Settings().CardSigned(amount) {
			pay()
			return
		}
		// Over signature.card_over the shopper signs for the card payment (电子签名) before it is taken.
		prompt := lang.L("Card payment {{.Amount}}: please sign.", map[string]any{"Amount": pd.money(amount)})
		askSignature(pd.sh, prompt, func(sig signature.Signature) {
			pd.sh.reopen(d, func(string) { problem.SetText(errorMessage(app.ErrPaymentStarted)) }, approval)
			if err := pd.co.SignSale(sig); err != nil {
				problem.SetText(errorMessage(err))
				return
			}
			pay()
		}, func() {
			pd.sh.reopen(d, func(string) { problem.SetText(errorMessage(app.ErrPaymentStarted)) }, approval)
			problem.SetText(lang.L("Not paid: the shopper did not sign."))
		})
	}
	keys := func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			if pd.sh.canvas().Focused() == approval {
				pd.sh.canvas().Focus(last4)
			} else {
				confirm()
			}
		case fyne.KeyEscape:
			back()
		default:
			return false
		}
		return true
	}
	approval.OnKey, last4.OnKey = keys, keys
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Charge {{.Amount}} on the card terminal, then enter:", map[string]any{"Amount": pd.money(amount)}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		approval, last4, problem,
		widget.NewLabelWithStyle(lang.L("Enter: next / confirm · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	d = pd.sh.open(lang.L("Card payment"), container.NewGridWrap(fyne.NewSize(480, content.MinSize().Height+20), content), approval)
	pd.sh.takeScans(func(string) { problem.SetText(errorMessage(app.ErrPaymentStarted)) })
	pd.display.showDue(pd.co.Lines(), pd.co.Totals(), pd.co.Tenders(), amount)
}

// qr shows a payment QR code for the typed amount (or all that is due) on the customer display. The
// provider confirms it when it can (followQR); with the shop's static code the cashier confirms once the
// customer's phone shows it paid.
func (p *payment) qr() {
	pd := p.pd
	if err := pd.payments.CheckQR(); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	if err := pd.co.CheckNonCash(amount); err != nil { // before the shopper is shown a code that cannot be taken
		p.problem.SetText(errorMessage(err))
		return
	}
	ref := pd.co.PaymentReference()
	if pd.payments.QRPresenter() != nil {
		p.followQR(amount, ref)
		return
	}
	payload, err := pd.payments.MerchantQR(amount, ref)
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	if err := pd.display.showQR(payload, amount); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.dialog.Hide()
	var d dialog.Dialog
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			if _, err := pd.co.PayQR(amount, ref, ""); err != nil {
				pd.sale.say(errorMessage(err), widget.DangerImportance)
			}
			d.Hide()
			(&payment{pd: pd}).next()
		case fyne.KeyEscape:
			d.Hide()
			pd.open()
		}
	})
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("The customer scans the code on their display: {{.Amount}}", map[string]any{"Amount": pd.money(amount)}),
			fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("Reference {{.Ref}}", map[string]any{"Ref": ref}), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true}),
		widget.NewLabelWithStyle(lang.L("Enter: the customer's phone shows it paid · Esc: cancel"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		keys)
	d = pd.sh.open(lang.L("QR code payment"), content, keys)
	pd.sh.takeScans(func(string) {}) // the customer pays on their phone; nothing scanned here counts
}
