package ui

import (
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

// askValue opens a one-field dialog. apply gets the text on Enter; an error keeps the dialog open and
// shows why, so nothing changes until the input is good.
func (t *Till) askValue(title, prompt, initial string, apply func(string) error) {
	if t.sh.busy() {
		return
	}
	var d dialog.Dialog
	field := t.sh.field()
	field.SetText(initial)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	dialogKeys(field, func() dialog.Dialog { return d }, func() {
		text := field.Text
		err := apply(text)
		if askApproval(t.sh, t.co.Session(), err, "", func() {
			if err := apply(text); err != nil {
				t.fail(err)
			}
			t.refresh()
		}, nil) {
			return
		}
		if err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		t.refresh()
	})
	hint := widget.NewLabel(lang.L("Enter: OK · Esc: cancel"))
	hint.Importance = widget.LowImportance
	content := container.NewVBox(widget.NewLabel(prompt), field, problem, hint)
	d = t.sh.open(title, container.NewGridWrap(fyne.NewSize(440, content.MinSize().Height), content), field)
	// The current value is selected, so typing replaces it and Enter keeps it.
	field.TypedShortcut(&fyne.ShortcutSelectAll{})
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
	set := func(text string) error {
		q, err := app.ParseQuantity(text, line.Product.Unit)
		if err != nil {
			return err
		}
		return t.co.SetQuantity(i, q)
	}
	if typed := strings.TrimSpace(t.scan.Text); typed != "" {
		t.scan.SetText("")
		if err := set(typed); err != nil {
			t.fail(err)
			return
		}
		t.refresh()
		return
	}
	prompt := lang.L("Quantity of {{.Name}}", map[string]any{"Name": line.Product.DisplayName(t.opt.Language)})
	if line.Product.Unit == app.UnitKg {
		prompt = lang.L("Weight of {{.Name}} (kg)", map[string]any{"Name": line.Product.DisplayName(t.opt.Language)})
	}
	t.askValue(lang.L("Quantity"), prompt, line.Qty.Format(line.Product.Unit), set)
}

// askWeight asks for the weight of a product sold by the kilogram and adds it.
func (t *Till) askWeight(p app.Product) {
	prompt := lang.L("Weight of {{.Name}} (kg)", map[string]any{"Name": p.DisplayName(t.opt.Language)})
	t.askValue(lang.L("Weight"), prompt, "", func(text string) error {
		q, err := app.ParseQuantity(text, app.UnitKg)
		if err != nil {
			return err
		}
		added, err := t.co.AddProduct(p, q)
		if err == nil {
			t.selected = added.Line
		}
		return err
	})
}

// editDiscount discounts the selected line: "10%" takes a percentage off, "1.50" an amount, 0 removes it.
func (t *Till) editDiscount() {
	line, i, ok := t.selectedLine()
	if !ok {
		return
	}
	cur := t.co.Settings().Currency
	initial := ""
	switch {
	case line.Discount.PercentBP != 0:
		initial = app.FormatRate(line.Discount.PercentBP) + "%"
	case !line.Discount.Amount.IsZero():
		initial = line.Discount.Amount.Decimal()
	}
	prompt := lang.L("Discount on {{.Name}}: an amount (1.50), a percentage (10%) or a new price (=9.90)",
		map[string]any{"Name": line.Product.DisplayName(t.opt.Language)})
	t.askValue(lang.L("Discount"), prompt, initial, func(text string) error {
		if price, ok := strings.CutPrefix(strings.TrimSpace(text), "="); ok {
			p, err := money.Parse(strings.TrimSpace(price), cur)
			if err != nil {
				return fmt.Errorf("%w: %v", app.ErrInvalidAmount, err)
			}
			return t.co.OverridePrice(i, p)
		}
		d, err := app.ParseDiscount(text, cur)
		if err != nil {
			return err
		}
		return t.co.SetDiscount(i, d)
	})
}
