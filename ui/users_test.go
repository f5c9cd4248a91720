package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// The users page lists the staff and adds a user through the staff service in the signed-in user's name.
func TestUsersPage(t *testing.T) {
	h := newHarness(t)
	o := newOffice(h)
	staff := &staffDesk{users: []app.User{{Name: "Olivia", Role: app.RoleOwner, Active: true}}}
	pg := newUsersPage(o, staff)
	o.open(o.add(fyne.KeyF1, "Users (F1)", pg.content, pg.opened, nil))
	mustShowIn(t, o.win, "Olivia", "owner", "active")
	c := o.win.Canvas()
	test := func(text string) { c.Focused().(*KeyEntry).SetText(text) }
	test("Li")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	mustShowIn(t, o.win, "A new user: role and PIN, then F12.")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	if len(staff.added) != 1 || staff.added[0] != "Li cashier by Olivia" {
		t.Fatalf("added %v", staff.added)
	}
	mustShowIn(t, o.win, "Li saved as cashier.")
}
