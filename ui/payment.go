package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// payment is the open payment dialog: what is still due, the tenders taken so far, and one amount field
// that every tender reads. Enter takes cash (with change), F4 part cash, F6 card, F7 the shop's QR code;
// a customer's pay code scanned into it is charged. The sale is stored once nothing is due.
type payment struct {
	till    *Till
	cashDue money.Amount // what cash would settle, after rounding
	due     money.Amount // what remains, unrounded: what a card, QR or wallet may pay at most
	amount  *KeyEntry
	change  *widget.Label
	status  *widget.Label
	problem *widget.Label
	dialog  dialog.Dialog
	busy    bool // a wallet payment is waiting for its provider: the dialog cannot close
}

// openPayment opens the payment dialog for what is still due; Esc goes back to the sale.
func (t *Till) openPayment() {
	if t.sh.busy() {
		return
	}
	t.paying = nil
	if len(t.co.Lines()) == 0 {
		t.fail(app.ErrEmptyCart)
		return
	}
	p := &payment{till: t, cashDue: t.co.CashDue(), due: t.co.Due()}
	if p.cashDue.Minor() <= 0 {
		p.complete() // everything is paid; only storing the sale is left
		return
	}
	f := t.money
	dueText := canvas.NewText(f(p.cashDue), theme.Color(theme.ColorNamePrimary))
	dueText.TextSize = theme.TextSize() * 2.5
	dueText.TextStyle.Bold = true
	dueText.Alignment = fyne.TextAlignCenter

	p.amount = t.sh.field()
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
		quick = append(quick, widget.NewButton(label, func() { p.payCash(amount) }))
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
		title += "  ·  " + t.roundingText(p.cashDue.Sub(p.due)) + "  ·  " + lang.L("card, QR: {{.Amount}}", map[string]any{"Amount": f(p.due)})
	}
	content := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{}), dueText)
	if paid := t.tendersText(); paid != "" {
		content.Add(widget.NewLabelWithStyle(paid, fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	content.Add(widget.NewLabel(lang.L("Amount tendered")))
	content.Add(p.amount)
	if len(quick) > 0 {
		content.Add(container.NewGridWithColumns(len(quick), quick...))
	}
	hint := lang.L("Enter: cash · F4: part in cash · F6: card · F7: QR code · scan the customer's pay code · Esc: back")
	if m, ok := t.co.Member(); ok {
		balance, points := t.co.AccountLeft()
		hint += "\n" + lang.L("{{.Name}}: F8 prepaid ({{.Balance}}) · F9 points ({{.Points}})",
			map[string]any{"Name": m.Name, "Balance": f(balance), "Points": points})
	}
	content.Add(container.NewVBox(p.change, p.status, p.problem,
		widget.NewLabelWithStyle(hint, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})))
	for _, l := range content.Objects {
		if label, ok := l.(*widget.Label); ok {
			label.Wrapping = fyne.TextWrapWord
		}
	}
	p.dialog = t.sh.open(lang.L("Take payment"), container.NewGridWrap(fyne.NewSize(600, content.MinSize().Height+40), content), p.amount)
	t.paying = p
	t.sh.takeScans(p.scanned)
	t.display.showDue(t.co.Lines(), t.co.Totals(), t.co.Tenders(), p.due)
}

func (t *Till) money(a money.Amount) string { return money.Format(a, t.opt.Language) }

// roundingText names cash rounding as the shop says it: "抹零 -¥0.08" when the small change is dropped,
// "+¥0.02" when cash rounds up; "" for none.
func (t *Till) roundingText(r money.Amount) string {
	switch {
	case r.IsNegative():
		return lang.L("Rounded down {{.Amount}}", map[string]any{"Amount": t.money(r)})
	case r.Minor() > 0:
		return lang.L("Rounded up {{.Amount}}", map[string]any{"Amount": "+" + t.money(r)})
	}
	return ""
}

// tendersText lists the payments taken so far: "Paid: card ···4242 ¥3.00 · cash ¥2.00".
func (t *Till) tendersText() string {
	var parts []string
	for _, tn := range t.co.Tenders() {
		parts = append(parts, labels().Tender(tn)+" "+t.money(tn.Amount))
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

// fromAccount pays from the member's account: their prepaid balance (the typed amount, or as much of
// what is due as it covers) or their points (as many as what is due needs).
func (p *payment) fromAccount(kind app.TenderKind) {
	t := p.till
	var amount *money.Amount // none typed: as much as the balance covers
	if text := strings.TrimSpace(p.amount.Text); text != "" && kind == app.TenderPrepaid {
		a, err := p.typed(p.due)
		if err != nil {
			p.problem.SetText(errorMessage(err))
			return
		}
		amount = &a
	}
	_, err := t.svc.Members.PayFromAccount(t.co, kind, amount)
	if errors.Is(err, app.ErrPINRequired) {
		p.askPIN(kind)
		return
	}
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.next()
}

// askPIN asks for the member's PIN (the customer types it), then pays from their account as asked. A
// wrong PIN asks again; a locked account goes back to the payment dialog to pay another way.
func (p *payment) askPIN(kind app.TenderKind) {
	t := p.till
	typed := p.amount.Text
	p.dialog.Hide()
	var d dialog.Dialog
	pin := t.sh.field()
	pin.Password = true
	pin.SetPlaceHolder(lang.L("Member's PIN"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	back := func(err error) {
		d.Hide()
		t.openPayment()
		if t.paying != nil {
			t.paying.amount.SetText(typed)
			if err != nil {
				t.paying.problem.SetText(errorMessage(err))
				return
			}
			t.paying.fromAccount(kind)
		}
	}
	dialogKeys(pin, func() dialog.Dialog { return d }, func() {
		err := t.svc.Members.EnterPIN(context.Background(), t.co, pin.Text)
		pin.SetText("")
		if errors.Is(err, app.ErrWrongPIN) {
			problem.SetText(errorMessage(err))
			return
		}
		back(err)
	})
	hint := widget.NewLabelWithStyle(lang.L("The customer types their PIN, then Enter · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	d = t.sh.open(lang.L("Member's PIN"), container.NewGridWrap(fyne.NewSize(420, 160), container.NewVBox(pin, problem, hint)), pin)
}

// typed reads the amount field; empty means def.
func (p *payment) typed(def money.Amount) (money.Amount, error) {
	text := strings.TrimSpace(p.amount.Text)
	if text == "" {
		return def, nil
	}
	a, err := money.Parse(text, def.Currency())
	if err != nil {
		return money.Amount{}, app.ErrInvalidAmount
	}
	return a, nil
}

func (p *payment) showChange() {
	a, err := p.typed(p.cashDue)
	if err == nil {
		var change money.Amount
		if change, err = app.ChangeFor(p.cashDue, a); err == nil {
			p.change.SetText(lang.L("Change: {{.Amount}}", map[string]any{"Amount": p.till.money(change)}))
			return
		}
	}
	p.change.SetText(errorMessage(err))
}

func (p *payment) submit() {
	a, err := p.typed(p.cashDue)
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.payCash(a)
}

// payCash takes the cash and stores the sale. The screen says "paid" only once the store has committed; if
// the commit fails the dialog stays open and Enter tries the commit again.
func (p *payment) payCash(tendered money.Amount) {
	sale, err := p.till.co.SettleCash(context.Background(), tendered)
	p.settled(sale, err)
}

func (p *payment) partCash() {
	a, err := p.typed(p.cashDue)
	if strings.TrimSpace(p.amount.Text) == "" {
		err = app.ErrInvalidAmount // part of what amount? the cashier types it
	}
	if err == nil {
		_, err = p.till.co.PayCashPart(a)
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
	t := p.till
	if p.dialog != nil {
		p.dialog.Hide()
	}
	t.refresh()
	if t.co.CashDue().Minor() <= 0 {
		p.complete()
		return
	}
	t.openPayment()
}

// complete stores a fully paid sale; a failure leaves it open, and the payment dialog (F12) retries.
func (p *payment) complete() {
	sale, err := p.till.co.Complete(context.Background())
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
	t := p.till
	if err != nil {
		msg := errorMessage(err)
		if storingFailed(err) { // the sale is open, the money taken
			msg += "\n" + lang.L("The sale is NOT saved. Press Enter to try again.")
		}
		if p.problem != nil && t.sh.showing(p.dialog) {
			p.problem.SetText(msg)
		} else {
			t.say(msg, widget.DangerImportance)
		}
		return
	}
	if p.dialog != nil {
		p.dialog.Hide()
	}
	t.selected = -1
	t.refresh()
	t.display.thankYou(sale)
	paid := lang.L("Paid. Change {{.Change}} · receipt {{.Receipt}}", map[string]any{
		"Change": t.money(sale.Change()), "Receipt": sale.ReceiptNo})
	if rounding := t.roundingText(sale.Rounding); rounding != "" {
		paid += " · " + rounding
	}
	t.say(paid, widget.SuccessImportance)
	t.receipts.afterSale(sale, paid)
}

// scanned charges a customer's wallet pay code for the typed amount (or all that is due). The provider
// is asked on a goroutine of its own; the checkout is only touched here, on the UI goroutine.
func (p *payment) scanned(code string) {
	t := p.till
	if p.busy {
		return
	}
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	req, err := t.co.StartCodePayment(code, amount)
	switch {
	case errors.Is(err, app.ErrNotAPayCode): // a product scanned during payment
		p.problem.SetText(errorMessage(app.ErrPaymentStarted))
		return
	case err != nil:
		p.problem.SetText(errorMessage(err))
		return
	}
	if err := t.svc.Payments.CheckPayCodes(); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.busy = true
	p.problem.SetText("")
	p.status.SetText(lang.L("Charging {{.Amount}} to {{.Wallet}}…", map[string]any{"Amount": t.money(amount), "Wallet": labels().Wallet(req.Wallet)}))
	waiting := func(app.PaymentStatus, error) {
		onUI(func() {
			p.status.SetText(lang.L("Waiting for the customer to confirm on their phone…"))
		})
	}
	t.opt.Background(func() {
		res, err := t.svc.Payments.Collect(context.Background(), req, waiting)
		onUI(func() {
			p.busy = false
			p.status.SetText("")
			if err == nil {
				_, err = t.co.TakeCodePayment(req, res)
			}
			if err != nil {
				p.problem.SetText(errorMessage(err))
				t.display.declined(errorMessage(err))
				return
			}
			p.next()
		})
	})
}

// card asks for the card terminal's approval code and the card's last four digits, then takes the card
// payment for the typed amount (or all that is due).
func (p *payment) card() {
	t := p.till
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	p.dialog.Hide()
	approval, last4 := t.sh.field(), t.sh.field()
	approval.SetPlaceHolder(lang.L("Approval code"))
	last4.SetPlaceHolder(lang.L("Last 4 digits of the card"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	back := func() { d.Hide(); t.openPayment() }
	confirm := func() {
		if _, err := t.co.PayCard(amount, approval.Text, strings.TrimSpace(last4.Text)); err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		(&payment{till: t}).next()
	}
	keys := func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			if t.win.Canvas().Focused() == approval {
				t.win.Canvas().Focus(last4)
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
		widget.NewLabelWithStyle(lang.L("Charge {{.Amount}} on the card terminal, then enter:", map[string]any{"Amount": t.money(amount)}),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		approval, last4, problem,
		widget.NewLabelWithStyle(lang.L("Enter: next / confirm · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	d = t.sh.open(lang.L("Card payment"), container.NewGridWrap(fyne.NewSize(480, content.MinSize().Height+20), content), approval)
	t.sh.takeScans(func(string) { problem.SetText(errorMessage(app.ErrPaymentStarted)) })
	t.display.showDue(t.co.Lines(), t.co.Totals(), t.co.Tenders(), amount)
}

// qr shows the shop's payment QR code for the typed amount (or all that is due) on the customer
// display; the cashier confirms once the customer's phone shows it paid.
func (p *payment) qr() {
	t := p.till
	if err := t.svc.Payments.CheckQR(); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	amount, ok := p.nonCashAmount()
	if !ok {
		return
	}
	if err := t.co.CheckNonCash(amount); err != nil { // before the shopper is shown a code that cannot be taken
		p.problem.SetText(errorMessage(err))
		return
	}
	ref := t.co.PaymentReference()
	payload, err := t.svc.Payments.MerchantQR(amount, ref)
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	if err := t.display.showQR(payload, amount); err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.dialog.Hide()
	var d dialog.Dialog
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			if _, err := t.co.PayQR(amount, ref, ""); err != nil {
				t.say(errorMessage(err), widget.DangerImportance)
			}
			d.Hide()
			(&payment{till: t}).next()
		case fyne.KeyEscape:
			d.Hide()
			t.openPayment()
		}
	})
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("The customer scans the code on their display: {{.Amount}}", map[string]any{"Amount": t.money(amount)}),
			fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(lang.L("Reference {{.Ref}}", map[string]any{"Ref": ref}), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true}),
		widget.NewLabelWithStyle(lang.L("Enter: the customer's phone shows it paid · Esc: cancel"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		keys)
	d = t.sh.open(lang.L("QR code payment"), content, keys)
	t.sh.takeScans(func(string) {}) // the customer pays on their phone; nothing scanned here counts
}
