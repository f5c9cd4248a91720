package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// staffDesk is an app.StaffService over a few users, each with the PIN 2468.
type staffDesk struct {
	app.StaffService // the rest is not called
	users            []app.User
	added            []string
}

func (d *staffDesk) NeedsOwner(context.Context) (bool, error)  { return len(d.users) == 0, nil }
func (d *staffDesk) Users(context.Context) ([]app.User, error) { return d.users, nil }
func (d *staffDesk) Staff(context.Context) ([]app.User, error) { return d.users, nil }

func (d *staffDesk) SignIn(_ context.Context, name, pin string) (*app.Session, error) {
	for _, u := range d.users {
		if u.Name == name && pin == "2468" {
			return app.SystemSession(u.Name), nil
		}
	}
	return nil, app.ErrWrongPIN
}

func (d *staffDesk) AddUser(_ context.Context, s *app.Session, name string, role app.Role, _ string) (app.User, error) {
	d.added = append(d.added, name+" "+string(role)+" by "+s.Name())
	u := app.User{Name: name, Role: role, Active: true}
	d.users = append(d.users, u)
	return u, nil
}

// The sign-in screen replaces the sale screen until a user gives their PIN; a wrong one says so, and
// whoever signs in takes the sale over.
func TestLockScreenSignsIn(t *testing.T) {
	h := newHarness(t)
	sale := h.win.Canvas().Content()
	staff := &staffDesk{users: []app.User{{ID: 2, Name: "Li", Role: app.RoleCashier, Active: true}}}
	var signedIn string
	l := &lockScreen{sh: h.sh, co: h.co, staff: staff, after: h.opt.After, content: sale, closing: func() {},
		signedIn: func(s *app.Session) { signedIn = s.Name() }}
	h.co.SetSession(nil) // the till starts locked: the one user's name is filled in
	l.lock()
	if !l.isLocked() || h.win.Canvas().Content() == sale {
		t.Fatal("not locked")
	}
	h.mustShow("Sign in", "Li (cashier)", "Till T01")
	h.typeIn("1111")
	h.press(fyne.KeyReturn)
	h.mustShow("Wrong PIN. Try again.")
	h.typeIn("2468")
	h.press(fyne.KeyReturn)
	if l.isLocked() || signedIn != "Li" || h.co.Session().Name() != "Li" || h.win.Canvas().Content() != sale {
		t.Errorf("after the right PIN: locked %v, signed in %q, session %q", l.isLocked(), signedIn, h.co.Session().Name())
	}
}
