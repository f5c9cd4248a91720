package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// shifts are the cashiers' shifts at the till's drawer: opening one with its float before the first sale,
// cash in and out, and the blind count that closes it. Each is done through app.ShiftService in the
// signed-in user's name.
type shifts struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	shifts   app.ShiftService
	language string
}

func (t *shifts) money(a money.Amount) string { return money.Format(a, t.language) }

// start asks for the opening float when no shift is open, before any sale.
func (t *shifts) start() {
	if _, err := t.shifts.CurrentShift(context.Background()); errors.Is(err, app.ErrNoShift) {
		t.askFloat()
	}
}

// shiftActions are the till menu's shift items: cash in, cash out and close while a shift is open;
// opening one while none is.
func (t *shifts) actions() []tillAction {
	if _, err := t.shifts.CurrentShift(context.Background()); errors.Is(err, app.ErrNoShift) {
		return []tillAction{{lang.L("Open shift"), t.askFloat}}
	}
	return []tillAction{
		{lang.L("Cash in"), func() { t.moveCash(app.CashIn) }},
		{lang.L("Cash out"), func() { t.moveCash(app.CashOut) }},
		{lang.L("Close shift"), t.closeShift},
	}
}

// shiftMessage says what went wrong with a shift in the cashier's words.
func shiftMessage(err error) string {
	switch app.ErrorCode(err) {
	case app.ErrShiftOpen.Code:
		return lang.L("A shift is already open at this till.")
	case app.ErrNoShift.Code:
		return lang.L("No shift is open. F1 opens one.")
	case app.ErrInvalidCount.Code:
		return lang.L("Check the count: whole numbers of each note and coin.")
	case app.ErrInvalidReason.Code:
		return lang.L("Choose a reason from the list, or type one.")
	}
	return errorMessage(err)
}

// typedAmount reads an amount typed in the shop's currency.
func (t *shifts) typedAmount(text string) (money.Amount, error) {
	a, err := money.Parse(strings.TrimSpace(text), t.co.Settings().Currency)
	if err != nil {
		return money.Amount{}, app.ErrInvalidAmount
	}
	return a, nil
}

// askFloat opens a shift: the cashier counts the cash in the drawer and types it.
func (t *shifts) askFloat() {
	if t.sh.busy() {
		return
	}
	amount := t.sh.field()
	amount.SetPlaceHolder(lang.L("Float: the cash in the drawer now"))
	problem := dangerLabel()
	var d dialog.Dialog
	dialogKeys(amount, func() dialog.Dialog { return d }, func() {
		float, err := t.typedAmount(amount.Text)
		if err == nil {
			var sh *app.Shift
			if sh, err = t.shifts.OpenShift(context.Background(), t.co.Session(), float); err == nil {
				d.Hide()
				t.sale.say(lang.L("Shift {{.Number}} opened with a float of {{.Amount}}.",
					map[string]any{"Number": sh.Number, "Amount": t.money(sh.Float)}), widget.MediumImportance)
				return
			}
		}
		problem.SetText(shiftMessage(err))
	})
	content := container.NewVBox(widget.NewLabel(lang.L("Count the cash in the drawer and type it to open the shift.")), amount, problem,
		hintLabel(lang.L("Enter: open the shift · Esc: later (F1)")))
	d = t.sh.open(lang.L("Open shift"), container.NewGridWrap(fyne.NewSize(480, content.MinSize().Height+20), content), amount)
}

// reasonLabel is a cash move reason as the cashier reads it.
func reasonLabel(reason string) string {
	switch reason {
	case "change":
		return lang.L("Change for the drawer")
	case "safe_drop":
		return lang.L("Safe drop")
	case "bank_deposit":
		return lang.L("Bank deposit")
	case "supplier":
		return lang.L("Paid to a supplier")
	case "petty_cash":
		return lang.L("Petty cash")
	case "other":
		return lang.L("Other: type it")
	}
	if text, ok := strings.CutPrefix(reason, app.OtherReason); ok {
		return text
	}
	return reason
}

// typedReason reads the reason field: a number from the list, or the cashier's own words.
func typedReason(text string) (string, error) {
	text = strings.TrimSpace(text)
	if n, err := strconv.Atoi(text); err == nil {
		if n < 1 || n > len(app.CashReasons) || app.CashReasons[n-1] == "other" {
			return "", app.ErrInvalidReason
		}
		return app.CashReasons[n-1], nil
	}
	if text == "" {
		return "", app.ErrInvalidReason
	}
	return app.OtherReason + text, nil
}

// moveCash puts cash into the drawer or takes it out: the amount, then the reason by its number or in
// words. Enter or F12 confirms.
func (t *shifts) moveCash(kind app.CashMoveKind) {
	if t.sh.busy() {
		return
	}
	title := lang.L("Cash in")
	if kind == app.CashOut {
		title = lang.L("Cash out")
	}
	amount, reason := t.sh.field(), t.sh.field()
	amount.SetPlaceHolder(lang.L("Amount"))
	reason.SetPlaceHolder(lang.L("Reason: its number, or type it"))
	var rows []string
	for i, r := range app.CashReasons {
		rows = append(rows, fmt.Sprintf("%d  %s", i+1, reasonLabel(r)))
	}
	problem := dangerLabel()
	var d dialog.Dialog
	submit := func() {
		a, err := t.typedAmount(amount.Text)
		if err != nil {
			problem.SetText(shiftMessage(err))
			t.sh.canvas().Focus(amount)
			return
		}
		why, err := typedReason(reason.Text)
		if err != nil {
			problem.SetText(shiftMessage(err))
			t.sh.canvas().Focus(reason)
			return
		}
		ctx := context.Background()
		if _, err := t.shifts.MoveCash(ctx, t.co.Session(), kind, a, why); err != nil {
			problem.SetText(shiftMessage(err))
			return
		}
		d.Hide()
		said := lang.L("Cash in: {{.Amount}} ({{.Reason}}).", map[string]any{"Amount": t.money(a), "Reason": reasonLabel(why)})
		if kind == app.CashOut {
			said = lang.L("Cash out: {{.Amount}} ({{.Reason}}).", map[string]any{"Amount": t.money(a), "Reason": reasonLabel(why)})
		}
		if sh, err := t.shifts.CurrentShift(ctx); err == nil {
			said += " " + lang.L("The drawer should hold {{.Amount}}.", map[string]any{"Amount": t.money(sh.Expected)})
		}
		t.sale.say(said, widget.MediumImportance)
	}
	keys := func(next, prev *KeyEntry) func(*fyne.KeyEvent) bool {
		return func(k *fyne.KeyEvent) bool {
			switch k.Name {
			case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyF12:
				submit()
			case fyne.KeyEscape:
				d.Hide()
			case fyne.KeyTab, fyne.KeyDown:
				t.sh.canvas().Focus(next)
			case fyne.KeyUp:
				t.sh.canvas().Focus(prev)
			default:
				return false
			}
			return true
		}
	}
	amount.OnKey, reason.OnKey = keys(reason, reason), keys(amount, amount)
	list := widget.NewLabel(strings.Join(rows, "\n"))
	content := container.NewVBox(amount, list, reason, problem,
		hintLabel(lang.L("Tab or Up/Down: next field · Enter or F12: confirm · Esc: back")))
	d = t.sh.open(title, container.NewGridWrap(fyne.NewSize(480, content.MinSize().Height+20), content), amount)
}

// shiftCount is the close-shift dialog: a blind count, one field per note and coin with the counted
// total kept up to date; only after F12 does it show what the drawer should hold, and ask to close.
type shiftCount struct {
	s          *shifts
	currency   money.Currency
	denoms     []app.Denomination
	fields     []*KeyEntry
	total      *widget.Label
	result     *widget.Label
	problem    *widget.Label
	dialog     dialog.Dialog
	confirming bool // the expected figure is shown: Enter closes the shift, Esc goes back to the count
}

// closeShift opens the count that closes the shift.
func (t *shifts) closeShift() {
	if t.sh.busy() {
		return
	}
	c := t.co.Settings().Currency
	v := &shiftCount{s: t, currency: c, denoms: app.Denominations(c), total: widget.NewLabel(""), result: widget.NewLabel(""),
		problem: dangerLabel()}
	v.total.TextStyle.Bold = true
	v.result.Importance = widget.HighImportance
	v.result.Wrapping = fyne.TextWrapWord
	grid := container.NewGridWithColumns(4)
	for i, dn := range v.denoms {
		e := t.sh.field()
		label := lang.L("Total counted")
		if !dn.Total {
			label = c.Symbol + dn.Label(c) + " ×"
		}
		i := i
		e.OnKey = func(k *fyne.KeyEvent) bool { return v.key(i, k) }
		e.OnRune = func(rune) bool { return v.confirming } // the count cannot change once expected is shown
		e.OnChanged = func(string) { v.showTotal() }
		v.fields = append(v.fields, e)
		grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{}))
		grid.Add(e)
	}
	v.showTotal()
	content := container.NewVBox(widget.NewLabel(lang.L("Count the drawer: how many of each note and coin.")), grid, v.total, v.result,
		v.problem, hintLabel(lang.L("Tab, Enter or Up/Down: next field · F12: done counting · Esc: back")))
	v.dialog = t.sh.open(lang.L("Close shift"), container.NewGridWrap(fyne.NewSize(640, content.MinSize().Height+60), content), v.fields[0])
}

func (v *shiftCount) key(i int, k *fyne.KeyEvent) bool {
	focus := func(j int) { v.s.sh.canvas().Focus(v.fields[min(max(j, 0), len(v.fields)-1)]) }
	if v.confirming {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			v.close()
		case fyne.KeyEscape:
			v.confirming = false
			v.result.SetText("")
		}
		return true // nothing else: the count stands as it was shown
	}
	switch k.Name {
	case fyne.KeyTab, fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		focus(i + 1)
	case fyne.KeyUp:
		focus(i - 1)
	case fyne.KeyF12:
		v.review()
	case fyne.KeyEscape:
		v.dialog.Hide()
	default:
		return false
	}
	return true
}

// counts reads the fields; an empty one is none of that note or coin.
func (v *shiftCount) counts() ([]app.DenominationCount, money.Amount, error) {
	var counts []app.DenominationCount
	for i, dn := range v.denoms {
		text := strings.TrimSpace(v.fields[i].Text)
		if text == "" {
			continue
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if dn.Total {
			var a money.Amount
			if a, err = money.Parse(text, v.currency); err == nil {
				n = a.Minor()
			}
		}
		if err != nil {
			return nil, money.Amount{}, app.ErrInvalidCount
		}
		counts = append(counts, app.DenominationCount{Minor: dn.Minor, Count: n})
	}
	total, err := app.CountedTotal(counts, v.currency)
	return counts, total, err
}

func (v *shiftCount) showTotal() {
	_, total, err := v.counts()
	if err != nil {
		v.total.SetText(shiftMessage(err))
		return
	}
	v.total.SetText(lang.L("Counted: {{.Amount}}", map[string]any{"Amount": v.s.money(total)}))
}

// review shows what the drawer should hold beside the count, and asks to close the shift.
func (v *shiftCount) review() {
	t := v.s
	counts, _, err := v.counts()
	if err != nil {
		v.problem.SetText(shiftMessage(err))
		return
	}
	// What the close will store: the app reckons the over/short, the screen only shows it.
	sh, err := t.shifts.ReviewClose(context.Background(), counts)
	if err != nil {
		v.problem.SetText(shiftMessage(err))
		return
	}
	v.problem.SetText("")
	v.confirming = true
	v.result.SetText(lang.L("Expected {{.Expected}} · counted {{.Counted}} · {{.Difference}}", map[string]any{
		"Expected": t.money(sh.Expected), "Counted": t.money(sh.CountedTotal), "Difference": t.overShort(sh.OverShort)}) + "\n" +
		lang.L("Close the shift with this count? Enter: yes · Esc: count again"))
}

// close stores the count and closes the shift.
func (v *shiftCount) close() {
	t := v.s
	counts, _, err := v.counts()
	if err != nil {
		v.problem.SetText(shiftMessage(err))
		return
	}
	sh, err := t.shifts.CloseShift(context.Background(), t.co.Session(), counts)
	if err != nil {
		v.confirming = false
		v.result.SetText("")
		v.problem.SetText(shiftMessage(err))
		return
	}
	v.dialog.Hide()
	importance := widget.MediumImportance
	if !sh.OverShort.IsZero() {
		importance = widget.WarningImportance
	}
	t.sale.say(lang.L("Shift {{.Number}} closed: expected {{.Expected}}, counted {{.Counted}}, {{.Difference}}. F1 opens the next.",
		map[string]any{"Number": sh.Number, "Expected": t.money(sh.Expected), "Counted": t.money(sh.CountedTotal),
			"Difference": t.overShort(sh.OverShort)}), importance)
}

// overShort says how far a count was from what was expected.
func (t *shifts) overShort(d money.Amount) string {
	switch {
	case d.IsNegative():
		return lang.L("short {{.Amount}}", map[string]any{"Amount": t.money(d.Neg())})
	case d.IsZero():
		return lang.L("no difference")
	}
	return lang.L("over {{.Amount}}", map[string]any{"Amount": t.money(d)})
}
