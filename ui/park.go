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

	"checkout/app"
	"checkout/app/money"
)

// parking is F7: with a cart, park it; with none, choose a parked cart to bring back.
type parking struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	parked   app.ParkedCarts
	members  app.MemberFinder // puts a resumed sale's member back; nil at a till without members
	language string
}

// parkOrResume parks the sale in progress, or opens the list of parked carts on an empty till.
func (pk *parking) parkOrResume() {
	ctx := context.Background()
	if len(pk.co.Lines()) > 0 {
		p, err := pk.co.Park(ctx, pk.parked)
		if err != nil {
			pk.sale.fail(err)
			return
		}
		pk.sale.selectLine(-1)
		pk.sale.say(lang.L("Cart parked ({{.Amount}}). F7 on an empty till brings it back.", map[string]any{"Amount": money.Format(p.Total, pk.language)}), widget.MediumImportance)
		return
	}
	parked, err := pk.parked.ParkedAt(ctx, pk.co.Settings().Till)
	if err != nil {
		pk.sale.fail(err)
		return
	}
	// The shop's carts parked at other tills, when the head office answers; offline, the till's own only.
	others, shared, serr := pk.co.ShopParked(ctx)
	if len(parked)+len(others) == 0 {
		pk.sale.say(lang.L("No parked carts."), widget.MediumImportance)
		return
	}
	var rows []string
	row := func(n int, p app.ParkedCart, note string) {
		var names []string
		for _, l := range p.Lines {
			names = append(names, l.Product.DisplayName(pk.language))
		}
		r := fmt.Sprintf("%d  %s  %10s  %s", n, p.ParkedAt.Local().Format("15:04"), money.Format(p.Total, pk.language), strings.Join(names, ", "))
		if note != "" {
			r = fmt.Sprintf("%d  %s  %10s  [%s]  %s", n, p.ParkedAt.Local().Format("15:04"), money.Format(p.Total, pk.language),
				note, strings.Join(names, ", "))
		}
		rows = append(rows, r)
	}
	for i, p := range parked {
		note := ""
		if len(p.Tenders) > 0 { // left by a crash after a payment: a supervisor resumes it
			note = lang.L("payment taken: supervisor")
		}
		row(i+1, p, note)
	}
	for i, p := range others {
		row(len(parked)+i+1, p, lang.L("from {{.Till}}", map[string]any{"Till": p.Till}))
	}
	offline := widget.NewLabel("")
	offline.Wrapping = fyne.TextWrapWord
	if shared && serr != nil {
		offline.SetText(lang.L("The head office is out of reach: only this till's parked carts are listed."))
	}
	list := widget.NewLabel(strings.Join(rows, "\n"))
	list.TextStyle.Monospace = true
	list.Truncation = fyne.TextTruncateEllipsis
	choice := pk.sh.field()
	choice.SetPlaceHolder(lang.L("Number of the cart (Enter: 1)"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	dialogKeys(choice, func() dialog.Dialog { return d }, func() {
		n := 1
		if text := strings.TrimSpace(choice.Text); text != "" {
			var err error
			if n, err = strconv.Atoi(text); err != nil || n < 1 || n > len(parked)+len(others) {
				problem.SetText(lang.L("Choose a number from the list."))
				return
			}
		}
		var lost bool
		var err error
		if n <= len(parked) {
			lost, err = pk.co.Resume(ctx, pk.parked, parked[n-1].ID, pk.members)
		} else {
			lost, err = pk.co.ResumeFromShop(ctx, others[n-len(parked)-1], pk.members)
		}
		if err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		pk.sale.refresh()
		said := lang.L("Parked cart resumed.")
		if lost {
			said += " " + lang.L("Scan the member's card again.")
		}
		pk.sale.say(said, widget.MediumImportance)
	})
	content := container.NewVBox(list, offline, choice, problem,
		widget.NewLabelWithStyle(lang.L("Enter: resume · Esc: back"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	d = pk.sh.open(lang.L("Parked carts"), container.NewGridWrap(fyne.NewSize(600, content.MinSize().Height+20), content), choice)
}
