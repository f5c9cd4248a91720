package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// usersPage is the owner's list of staff: add a user, change a role or PIN (saving also lifts a lock from
// wrong PINs), make a user inactive or active again, and turn two-factor sign-in on or off. Every change goes through app.Auth, which
// refuses it unless the signed-in user may manage users (or an owner approves it).
type usersPage struct {
	office          *BackOffice
	staff           app.StaffService
	content         fyne.CanvasObject
	list            *widget.Label
	name, role, pin *KeyEntry
	note            notice
	users           []app.User
}

func newUsersPage(o *BackOffice, staff app.StaffService) *usersPage {
	pg := &usersPage{office: o, staff: staff, list: table(), note: newNotice(o)}
	pg.name = o.field(lang.L("Name"), pg.pick)
	pg.role = o.field(lang.L("Role: cashier, supervisor or owner"), pg.save)
	pg.pin = o.field(lang.L("New PIN (empty: keep)"), pg.save)
	pg.pin.Password = true
	for _, e := range []*KeyEntry{pg.name, pg.role, pg.pin} {
		addKeys(e, map[fyne.KeyName]func(){fyne.KeyF12: pg.save, fyne.KeyF9: pg.toggleActive, fyne.KeyF11: pg.twoFactor})
	}
	save := widget.NewButtonWithIcon(lang.L("Save")+" (F12)", theme.DocumentSaveIcon(), pg.save)
	save.Importance = widget.HighImportance
	active := widget.NewButtonWithIcon(lang.L("Active / inactive")+" (F9)", theme.AccountIcon(), pg.toggleActive)
	twoFactor := widget.NewButtonWithIcon(lang.L("Two-factor sign-in")+" (F11)", theme.LoginIcon(), pg.twoFactor)
	hint := widget.NewLabelWithStyle(lang.L("Type a name and Enter to change that user, or a new name to add one."),
		fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	form := container.NewGridWithColumns(3, pg.name, pg.role, pg.pin)
	top := container.NewVBox(form, container.NewGridWithColumns(3, save, active, twoFactor), hint, pg.note)
	pg.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(pg.list))
	return pg
}

// opened lists the users when the page comes up.
func (pg *usersPage) opened() fyne.Focusable {
	pg.reload()
	return pg.name
}

// reload lists the users.
func (pg *usersPage) reload() {
	users, err := pg.staff.Staff(context.Background())
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.users = users
	now := pg.office.now()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s\n", column(lang.L("Name"), 24), column(lang.L("Role"), 12), column(lang.L("Two-factor"), 10), lang.L("State"))
	for _, u := range users {
		state := lang.L("active")
		switch {
		case !u.Active:
			state = lang.L("inactive")
		case u.Locked(now):
			state = lang.L("locked until {{.Time}}", map[string]any{"Time": u.LockedUntil.Local().Format("15:04")})
		}
		twoFactor := ""
		if u.TwoFactor() {
			twoFactor = lang.L("on")
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", column(u.Name, 24), column(roleName(u.Role), 12), column(twoFactor, 10), state)
	}
	pg.list.SetText(b.String())
}

// user returns the listed user with the typed name.
func (pg *usersPage) user() (app.User, bool) {
	for _, u := range pg.users {
		if strings.EqualFold(u.Name, strings.TrimSpace(pg.name.Text)) {
			return u, true
		}
	}
	return app.User{}, false
}

// pick fills the form with the named user's role, or starts a new user.
func (pg *usersPage) pick() {
	w := pg.office.win.Canvas()
	if u, ok := pg.user(); ok {
		pg.name.SetText(u.Name)
		pg.role.SetText(string(u.Role))
		pg.note.say(lang.L("Changing {{.Name}}: a new role or PIN, then F12.", map[string]any{"Name": u.Name}), widget.MediumImportance)
	} else {
		pg.role.SetText(string(app.RoleCashier))
		pg.note.say(lang.L("A new user: role and PIN, then F12."), widget.MediumImportance)
	}
	w.Focus(pg.role)
}

// parseRole reads a role as typed: its name in English or the UI language.
func parseRole(text string) (app.Role, error) {
	for _, r := range app.Roles() {
		if strings.EqualFold(strings.TrimSpace(text), roleName(r)) {
			return r, nil
		}
	}
	return app.ParseRole(text)
}

// save adds the typed user, or changes the role and PIN of the listed one.
func (pg *usersPage) save() {
	ctx := context.Background()
	auth, session := pg.staff, pg.office.session()
	role, err := parseRole(pg.role.Text)
	if err != nil {
		pg.note.fail(err)
		return
	}
	var saved app.User
	if u, ok := pg.user(); ok {
		change := app.UserChange{Role: &role, Unlock: true}
		if pin := pg.pin.Text; pin != "" {
			change.PIN = &pin
		}
		saved, err = auth.ChangeUser(ctx, session, u.Name, change)
	} else {
		saved, err = auth.AddUser(ctx, session, pg.name.Text, role, pg.pin.Text)
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.pin.SetText("")
	pg.reload()
	pg.note.say(lang.L("{{.Name}} saved as {{.Role}}.", map[string]any{"Name": saved.Name, "Role": roleName(saved.Role)}), widget.SuccessImportance)
}

// toggleActive makes the listed user inactive (they can no longer sign in; their sales keep their name)
// or active again.
func (pg *usersPage) toggleActive() {
	u, ok := pg.user()
	if !ok {
		pg.note.fail(app.ErrUnknownUser)
		return
	}
	active := !u.Active
	pg.change(u, app.UserChange{Active: &active})
}

func (pg *usersPage) change(u app.User, c app.UserChange) {
	if _, err := pg.staff.ChangeUser(context.Background(), pg.office.session(), u.Name, c); err != nil {
		pg.note.fail(err)
		return
	}
	pg.reload()
	pg.note.say(lang.L("{{.Name}} changed.", map[string]any{"Name": u.Name}), widget.SuccessImportance)
}
