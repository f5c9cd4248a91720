package ui

import (
	"context"
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

// cashPayment is the open cash dialog: amount due, amount tendered with quick amounts, change.
type cashPayment struct {
	till     *Till
	due      money.Amount
	tendered *KeyEntry
	change   *widget.Label
	problem  *widget.Label
	dialog   dialog.Dialog
}

// openPayment opens the cash dialog for what is due. Enter pays the typed amount, or the exact amount
// when nothing is typed; Esc goes back to the sale.
func (t *Till) openPayment() {
	if t.modal != nil {
		return
	}
	if len(t.co.Lines()) == 0 {
		t.fail(app.ErrEmptyCart)
		return
	}
	p := &cashPayment{till: t, due: t.co.CashDue()}
	f := func(a money.Amount) string { return money.Format(a, t.opt.Language) }

	due := canvas.NewText(f(p.due), theme.Color(theme.ColorNamePrimary))
	due.TextSize = theme.TextSize() * 2.5
	due.TextStyle.Bold = true
	due.Alignment = fyne.TextAlignCenter

	p.tendered = t.field()
	// A scan during payment is not an amount; the cart cannot change now.
	p.tendered.OnScan = func(string) { p.problem.SetText(errorMessage(app.ErrPaymentStarted)) }
	p.tendered.SetPlaceHolder(p.due.Decimal())
	p.tendered.OnChanged = func(string) { p.showChange() }
	dialogKeys(p.tendered, func() dialog.Dialog { return p.dialog }, p.submit)

	var quick []fyne.CanvasObject
	for i, amount := range app.SuggestedTenders(p.due) {
		label := f(amount)
		if i == 0 {
			label = lang.L("Exact") + " " + label
		}
		quick = append(quick, widget.NewButton(label, func() { p.pay(amount) }))
	}
	p.change = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.showChange()

	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Amount due (cash)"), fyne.TextAlignCenter, fyne.TextStyle{}),
		due,
		widget.NewLabel(lang.L("Amount tendered")),
		p.tendered,
	)
	if len(quick) > 0 {
		content.Add(container.NewGridWithColumns(len(quick), quick...))
	}
	content.Add(container.NewVBox(
		p.change,
		p.problem,
		widget.NewLabelWithStyle(lang.L("Enter: pay · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
	))
	p.dialog = t.openModal(lang.L("Cash payment"), container.NewGridWrap(fyne.NewSize(560, content.MinSize().Height), content), p.tendered)
	t.modalScan = p.tendered.OnScan
}

// amount reads the tendered field: empty means the exact amount.
func (p *cashPayment) amount() (money.Amount, error) {
	text := strings.TrimSpace(p.tendered.Text)
	if text == "" {
		return p.due, nil
	}
	a, err := money.Parse(text, p.due.Currency())
	if err != nil {
		return money.Amount{}, app.ErrInvalidAmount
	}
	return a, nil
}

func (p *cashPayment) showChange() {
	a, err := p.amount()
	if err == nil {
		var change money.Amount
		if change, err = app.ChangeFor(p.due, a); err == nil {
			p.change.SetText(lang.L("Change: {{.Amount}}", map[string]any{"Amount": money.Format(change, p.till.opt.Language)}))
			return
		}
	}
	p.change.SetText(errorMessage(err))
}

func (p *cashPayment) submit() {
	a, err := p.amount()
	if err != nil {
		p.problem.SetText(errorMessage(err))
		return
	}
	p.pay(a)
}

// pay takes the cash and stores the sale. The screen says "paid" only once the store has committed; if
// the commit fails the dialog stays open and Enter tries the commit again.
func (p *cashPayment) pay(tendered money.Amount) {
	t := p.till
	sale, err := t.co.SettleCash(context.Background(), tendered)
	switch {
	case err != nil && app.ErrorCode(err) == "": // storing failed: the sale is open, the cash taken
		p.problem.SetText(errorMessage(err) + "\n" + lang.L("The sale is NOT saved. Press Enter to try again."))
		return
	case err != nil:
		p.problem.SetText(errorMessage(err))
		return
	}
	p.dialog.Hide()
	t.selected = -1
	t.refresh()
	t.display.thankYou(sale)
	t.say(lang.L("Paid. Change {{.Change}} · receipt {{.Receipt}}", map[string]any{
		"Change": money.Format(sale.Change(), t.opt.Language), "Receipt": sale.ReceiptNo}), widget.SuccessImportance)
}
