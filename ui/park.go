package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// parkOrResume is F7: with a cart, park it; with none, choose a parked cart to bring back.
func (t *Till) parkOrResume() {
	if t.svc.Selling == nil {
		return
	}
	ctx := context.Background()
	if len(t.co.Lines()) > 0 {
		p, err := t.co.Park(ctx, t.svc.Selling)
		if err != nil {
			t.fail(err)
			return
		}
		t.selected = -1
		t.refresh()
		t.say(lang.L("Cart parked ({{.Amount}}). F7 on an empty till brings it back.", map[string]any{"Amount": t.money(p.Total)}), widget.MediumImportance)
		return
	}
	parked, err := t.svc.Selling.ParkedAt(ctx, t.co.Settings().Till)
	if err != nil {
		t.fail(err)
		return
	}
	if len(parked) == 0 {
		t.say(lang.L("No parked carts."), widget.MediumImportance)
		return
	}
	var rows []string
	for i, p := range parked {
		var names []string
		for _, l := range p.Lines {
			names = append(names, l.Product.DisplayName(t.opt.Language))
		}
		rows = append(rows, fmt.Sprintf("%d  %s  %10s  %s", i+1, p.ParkedAt.Local().Format("15:04"), t.money(p.Total), strings.Join(names, ", ")))
	}
	list := widget.NewLabel(strings.Join(rows, "\n"))
	list.TextStyle.Monospace = true
	list.Truncation = fyne.TextTruncateEllipsis
	choice := t.sh.field()
	choice.SetPlaceHolder(lang.L("Number of the cart (Enter: 1)"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	dialogKeys(choice, func() dialog.Dialog { return d }, func() {
		n := 1
		if text := strings.TrimSpace(choice.Text); text != "" {
			var err error
			if n, err = strconv.Atoi(text); err != nil || n < 1 || n > len(parked) {
				problem.SetText(lang.L("Choose a number from the list."))
				return
			}
		}
		if err := t.co.Resume(ctx, t.svc.Selling, parked[n-1].ID); err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		t.refresh()
		t.say(lang.L("Parked cart resumed."), widget.MediumImportance)
	})
	content := container.NewVBox(list, choice, problem,
		widget.NewLabelWithStyle(lang.L("Enter: resume · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	d = t.sh.open(lang.L("Parked carts"), container.NewGridWrap(fyne.NewSize(600, content.MinSize().Height+20), content), choice)
}
