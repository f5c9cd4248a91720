package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
)

// lineEditor changes a line of the sale: its quantity (F2), a weighed product's weight as it is added, its
// discount or price (F5). Each asks in a one-field dialog that stays open, showing why, until the input
// is good; what needs a supervisor asks for one.
type lineEditor struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	language string
	keypad   bool // an on-screen keypad under the field (Options.Keypad)
}

// ask opens a one-field dialog. apply gets the text on Enter; an error keeps the dialog open and shows
// why, so nothing changes until the input is good.
func (e *lineEditor) ask(title, prompt, initial string, apply func(string) error) {
	if e.sh.busy() {
		return
	}
	var d dialog.Dialog
	field := e.sh.field()
	field.SetText(initial)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	dialogKeys(field, func() dialog.Dialog { return d }, func() {
		text := field.Text
		err := apply(text)
		if askApproval(e.sh, e.co.Session(), err, "", func() {
			if err := apply(text); err != nil {
				e.sale.fail(err)
			}
			e.sale.refresh()
		}, nil) {
			return
		}
		if err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		e.sale.refresh()
	})
	hint := widget.NewLabel(lang.L("Enter: OK · Esc: cancel"))
	hint.Importance = widget.LowImportance
	content := container.NewVBox(widget.NewLabel(prompt), field, problem, hint)
	if e.keypad {
		content.Add(numPad(field))
	}
	d = e.sh.open(title, container.NewGridWrap(fyne.NewSize(440, content.MinSize().Height), content), field)
	// The current value is selected, so typing replaces it and Enter keeps it.
	field.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// quantity sets line i's quantity: at once to typed, what the cashier typed before F2, else in a dialog.
func (e *lineEditor) quantity(i int, line app.Line, typed string) {
	confirmed := "" // a quantity over the line limit, warned of once: the same again keeps it
	set := func(text string) error {
		q, err := app.ParseSold(text, line.Product)
		if err != nil {
			return err
		}
		if err := e.co.SetQuantity(i, q); err != nil {
			return err
		}
		if e.co.OverLimit(i) && text != confirmed {
			confirmed = text
			if err := e.co.SetQuantity(i, line.Qty); err != nil {
				return err
			}
			return app.ErrLineOverLimit
		}
		return nil
	}
	name := line.Product.DisplayName(e.language)
	prompt := lang.L("Quantity of {{.Name}}", map[string]any{"Name": name})
	if line.Product.Unit == app.UnitKg {
		prompt = weightPrompt(line.Product, e.language)
	}
	initial := line.Qty.FormatSold(line.Product)
	if typed != "" {
		err := set(typed)
		switch {
		case err == nil:
			e.sale.refresh()
			return
		case !errors.Is(err, app.ErrLineOverLimit):
			e.sale.fail(err)
			return
		}
		// Over the line limit: asked in the dialog, where Enter keeps it.
		initial, prompt = typed, errorMessage(err)
	}
	e.ask(lang.L("Quantity"), prompt, initial, set)
}

// weight asks for the weight of a product sold by weight, in the unit it is priced in, and adds it.
func (e *lineEditor) weight(p app.Product) {
	e.ask(lang.L("Weight"), weightPrompt(p, e.language), "", func(text string) error {
		q, err := app.ParseSold(text, p)
		if err != nil {
			return err
		}
		added, err := e.co.AddProduct(p, q)
		if err == nil {
			e.sale.selectLine(added.Line)
		}
		return err
	})
}

// discount discounts line i: "10%" takes a percentage off, "1.50" an amount, 0 removes it, "=9.90" sells
// it at a new price.
func (e *lineEditor) discount(i int, line app.Line) {
	cur := e.co.Settings().Currency
	initial := ""
	switch {
	case line.Discount.PercentBP != 0:
		initial = app.FormatRate(line.Discount.PercentBP) + "%"
	case !line.Discount.Amount.IsZero():
		initial = line.Discount.Amount.Decimal()
	}
	prompt := lang.L("Discount on {{.Name}}: an amount (1.50), a percentage (10%) or a new price (=9.90)",
		map[string]any{"Name": line.Product.DisplayName(e.language)})
	e.ask(lang.L("Discount"), prompt, initial, func(text string) error {
		if price, ok := strings.CutPrefix(strings.TrimSpace(text), "="); ok {
			p, err := money.Parse(strings.TrimSpace(price), cur)
			if err != nil {
				return fmt.Errorf("%w: %v", app.ErrInvalidAmount, err)
			}
			return e.co.OverridePrice(i, p)
		}
		d, err := app.ParseDiscount(text, cur)
		if err != nil {
			return err
		}
		return e.co.SetDiscount(i, d)
	})
}
