package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// askApproval asks, over host, for a supervisor's name and PIN when err says session's user may not do
// something (app.PermissionError), and reports whether it asked. Once a supervisor approves, the approval
// is journaled with both names and approved runs: it does the action again, which uses the approval up.
// closed runs when the dialog closes either way. action names what is approved, for the journal ("" for
// the permission's name).
func askApproval(host dialogHost, session *app.Session, err error, action string, approved, closed func()) bool {
	var pe *app.PermissionError
	if !errors.As(err, &pe) || session == nil {
		return false
	}
	if action == "" {
		action = string(pe.Permission) // the journal's words; the screen says permissionName
	}
	if pe.Alarm != nil {
		action = pe.Alarm.Action() // the guard's figures, which the day page matches the approval to
	}
	ctx := context.Background()
	win := host.canvas()
	approvers, _ := session.Approvers(ctx, pe.Permission)
	name, pin := NewKeyEntry(), NewKeyEntry()
	name.SetPlaceHolder(lang.L("Supervisor"))
	pin.SetPlaceHolder(lang.L("PIN"))
	pin.Password = true
	if len(approvers) > 0 {
		name.SetText(approvers[0].Name)
	}
	problem := dangerLabel()
	var d dialog.Dialog
	ok := false
	submit := func() {
		if e := session.Approve(ctx, name.Text, pin.Text, pe.Permission, action); e != nil {
			pin.SetText("")
			problem.SetText(errorMessage(e))
			win.Focus(pin)
			return
		}
		ok = true
		d.Hide()
	}
	step := func(delta int) {
		if len(approvers) == 0 {
			return
		}
		at := -1
		for i, u := range approvers {
			if strings.EqualFold(u.Name, strings.TrimSpace(name.Text)) {
				at = i
			}
		}
		name.SetText(approvers[(at+delta+len(approvers))%len(approvers)].Name)
		pin.SetText("")
		win.Focus(pin)
	}
	for _, e := range []*KeyEntry{name, pin} {
		e.OnKey = func(k *fyne.KeyEvent) bool {
			switch k.Name {
			case fyne.KeyReturn, fyne.KeyEnter:
				if win.Focused() == name {
					win.Focus(pin)
				} else {
					submit()
				}
			case fyne.KeyEscape:
				d.Hide()
			case fyne.KeyUp:
				step(-1)
			case fyne.KeyDown:
				step(+1)
			default:
				return false
			}
			return true
		}
	}
	question := widget.NewLabel(lang.L("{{.Action}} needs a supervisor. {{.Name}} may not do it alone.",
		map[string]any{"Action": permissionName(pe.Permission), "Name": session.Name()}))
	if pe.Alarm != nil {
		question.SetText(lang.L("The guard stopped this: {{.Reason}}. Another supervisor, or the owner, must approve it.",
			map[string]any{"Reason": labels().Alarm(*pe.Alarm)}))
		question.Importance = widget.WarningImportance
	}
	question.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(lang.L("↑↓: choose a supervisor · PIN · Enter: approve · Esc: cancel"))
	hint.Importance = widget.LowImportance
	content := container.NewVBox(question, name, pin, problem, hint)
	sized := container.NewGridWrap(fyne.NewSize(460, content.MinSize().Height+40), content)
	done := func() {
		if closed != nil {
			closed()
		}
		if ok {
			approved()
		}
	}
	d = host.show(lang.L("Supervisor approval"), sized, pin)
	d.SetOnClosed(done) // runs after the host's own, which hands the keys back to where they were
	return true
}

// permissionName is what a permission lets one do, as the screen says it.
func permissionName(p app.Permission) string {
	switch p {
	case app.PermRefund:
		return lang.L("A refund")
	case app.PermVoidPaid:
		return lang.L("Voiding a paid sale")
	case app.PermDiscount:
		return lang.L("A discount above the limit")
	case app.PermPriceOverride:
		return lang.L("A price change")
	case app.PermNoSale:
		return lang.L("Opening the drawer without a sale")
	case app.PermCatalogEdit:
		return lang.L("Changing products and stock")
	case app.PermReports:
		return lang.L("Seeing the reports")
	case app.PermUsers:
		return lang.L("Managing users")
	case app.PermUnlockPIN:
		return lang.L("Unlocking a member's PIN")
	case app.PermAlarm:
		return lang.L("What the guard stopped")
	}
	return string(p)
}
