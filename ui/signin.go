package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// signIn is the till's locked screen: the first run creates the owner; after that a user types their
// name (↑↓ go through the list) and PIN. It replaces the sale screen in the till's window; the cart
// stays as it was.
type signIn struct {
	t         *lockScreen
	users     []app.User
	name, pin *KeyEntry
	again     *KeyEntry // the PIN a second time, when creating the owner
	// shop and city are the shop's name and city, asked at the first run when they are not set: the
	// receipts and the customer display name the shop, and a payment QR code cannot be shown without both.
	shop, city *KeyEntry
	message    *widget.Label
	first      bool
}

// lockScreen locks the till behind the sign-in screen: at the start (on the first run, to create the
// owner), on F1's "lock", and after the shop's idle time without a key. Whoever signs in gets the sale
// screen back, and the sale on it if they may take it over.
type lockScreen struct {
	sh       *shell
	co       *app.Checkout
	staff    app.StaffService
	after    func(time.Duration, func())
	keypad   bool              // an on-screen keypad under the PIN (Options.Keypad)
	content  fyne.CanvasObject // the sale screen, put back on signing in
	locked   *signIn           // the sign-in screen while the till is locked
	idleArms int               // counts idle-lock timers, so only the newest acts
	// closing runs before the till locks (the back office closes); signedIn once someone has signed in.
	closing  func()
	signedIn func(*app.Session)
	// setSetting saves a setting (Options.SetSetting; nil: the first run asks nothing of the shop), and
	// shopNamed hands the screens the shop's name and city once saved.
	setSetting func(key, value string) error
	shopNamed  func(app.Shop)
}

// isLocked reports whether the sign-in screen is up.
func (t *lockScreen) isLocked() bool { return t.locked != nil }

// lock hides the sale screen behind the sign-in screen. A sale in progress stays for whoever signs in
// next, if they may take it over (see submit).
func (t *lockScreen) lock() {
	if t.locked != nil {
		return
	}
	if t.sh.busy() {
		t.sh.modal.Hide()
	}
	t.closing()
	ctx := context.Background()
	first, err := t.staff.NeedsOwner(ctx)
	users, uerr := t.staff.Users(ctx)
	s := &signIn{t: t, users: users, first: first, message: widget.NewLabel("")}
	s.message.Wrapping = fyne.TextWrapWord
	t.locked = s
	t.sh.win.SetContent(s.build())
	if err = errors.Join(err, uerr); err != nil {
		s.fail(err)
	}
	t.sh.focus(s.focus())
}

func (s *signIn) focus() fyne.Focusable {
	if s.shop != nil {
		return s.shop
	}
	if s.first || s.name.Text == "" {
		return s.name
	}
	return s.pin
}

func (s *signIn) build() fyne.CanvasObject {
	t := s.t
	s.name, s.pin, s.again = NewKeyEntry(), NewKeyEntry(), NewKeyEntry()
	s.name.SetPlaceHolder(lang.L("Name"))
	s.pin.SetPlaceHolder(lang.L("PIN"))
	s.pin.Password = true
	s.again.SetPlaceHolder(lang.L("PIN again"))
	s.again.Password = true
	title := lang.L("Sign in")
	hint := lang.L("↑↓: choose a name · type your PIN · Enter: sign in")
	fields := []fyne.CanvasObject{s.name, s.pin}
	if s.first {
		title = lang.L("Welcome: create the owner's account")
		hint = lang.L("The owner manages users, sees the reports and approves what cashiers may not do.")
		fields = append(fields, s.again)
		if shop := t.co.Settings().Shop; t.setSetting != nil && (shop.Name == "" || shop.City == "") {
			s.shop, s.city = NewKeyEntry(), NewKeyEntry()
			s.shop.SetPlaceHolder(lang.L("Shop name (on receipts and the payment QR code)"))
			s.city.SetPlaceHolder(lang.L("City"))
			s.shop.SetText(shop.Name)
			s.city.SetText(shop.City)
			s.shop.OnKey, s.city.OnKey = s.key, s.key
			fields = append([]fyne.CanvasObject{s.shop, s.city}, fields...)
		}
	} else if prev := t.co.Session(); prev != nil {
		s.name.SetText(prev.Name())
	} else if len(s.users) == 1 {
		s.name.SetText(s.users[0].Name)
	}
	for _, e := range []*KeyEntry{s.name, s.pin, s.again} {
		e.OnKey = s.key
	}
	names := make([]string, 0, len(s.users))
	for _, u := range s.users {
		names = append(names, u.Name+" ("+roleName(u.Role)+")")
	}
	list := widget.NewLabel(strings.Join(names, " · "))
	list.Wrapping = fyne.TextWrapWord
	list.Importance = widget.LowImportance
	help := widget.NewLabel(hint)
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	label := lang.L("Sign in")
	if s.first {
		label = lang.L("Create the owner")
	}
	button := widget.NewButtonWithIcon(label+" (Enter)", theme.LoginIcon(), s.submit)
	button.Importance = widget.HighImportance
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	till := widget.NewLabelWithStyle(lang.L("Till")+" "+t.co.Settings().Till, fyne.TextAlignCenter, fyne.TextStyle{})
	form := container.NewVBox(append([]fyne.CanvasObject{till, heading}, append(fields, s.message, button, list, help)...)...)
	if t.keypad && !s.first { // the PIN by touch; a new owner's name needs the keyboard anyway
		form.Add(numPad(s.pin))
	}
	if n := len(t.co.Lines()); n > 0 {
		held := widget.NewLabel(lang.L("A sale of {{.Count}} lines is waiting.", map[string]any{"Count": n}))
		held.Importance = widget.WarningImportance
		form.Add(held)
	}
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, form.MinSize().Height), form))
}

// key handles the sign-in screen's keys: Enter moves on or signs in, ↑↓ pick a name.
func (s *signIn) key(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		focused := s.t.sh.canvas().Focused()
		switch {
		case s.shop != nil && focused == s.shop:
			s.t.sh.canvas().Focus(s.city)
		case s.city != nil && focused == s.city:
			s.t.sh.canvas().Focus(s.name)
		case s.name.Text == "":
			s.t.sh.canvas().Focus(s.name)
		case s.t.sh.canvas().Focused() == s.name:
			s.t.sh.canvas().Focus(s.pin)
		case s.first && s.t.sh.canvas().Focused() == s.pin:
			s.t.sh.canvas().Focus(s.again)
		default:
			s.submit()
		}
	case fyne.KeyUp:
		s.step(-1)
	case fyne.KeyDown:
		s.step(+1)
	default:
		return false
	}
	return true
}

// step puts the previous or next user's name in the name field.
func (s *signIn) step(delta int) {
	if len(s.users) == 0 {
		return
	}
	at := -1
	for i, u := range s.users {
		if strings.EqualFold(u.Name, strings.TrimSpace(s.name.Text)) {
			at = i
		}
	}
	at = (at + delta + len(s.users)) % len(s.users)
	s.name.SetText(s.users[at].Name)
	s.pin.SetText("")
	s.t.sh.canvas().Focus(s.pin)
}

func (s *signIn) submit() {
	ctx := context.Background()
	auth := s.t.staff
	var sess *app.Session
	var err error
	if s.first {
		if s.pin.Text != s.again.Text {
			s.pin.SetText("")
			s.again.SetText("")
			s.fail(errPINsDiffer)
			s.t.sh.canvas().Focus(s.pin)
			return
		}
		if err := s.nameShop(); err != nil {
			s.pin.SetText("")
			s.again.SetText("")
			s.fail(err)
			return
		}
		sess, err = auth.CreateOwner(ctx, s.name.Text, s.pin.Text)
	} else {
		sess, err = auth.SignIn(ctx, s.name.Text, s.pin.Text)
	}
	s.pin.SetText("")
	s.again.SetText("")
	if err != nil {
		s.fail(err)
		s.t.sh.canvas().Focus(s.pin)
		return
	}
	if err := s.t.co.TakeOver(sess); err != nil {
		s.fail(err)
		return
	}
	s.t.unlock(sess)
}

// nameShop saves the shop's name and city typed at the first run, before the owner is created, so
// that a name refused leaves nothing half done; both are needed.
func (s *signIn) nameShop() error {
	if s.shop == nil {
		return nil
	}
	shop := s.t.co.Settings().Shop
	shop.Name, shop.City = strings.TrimSpace(s.shop.Text), strings.TrimSpace(s.city.Text)
	if shop.Name == "" || shop.City == "" {
		s.t.sh.canvas().Focus(s.shop)
		if shop.Name != "" {
			s.t.sh.canvas().Focus(s.city)
		}
		return errShopUnnamed
	}
	for _, kv := range [][2]string{{"shop_name", shop.Name}, {"shop_city", shop.City}} {
		if err := s.t.setSetting(kv[0], kv[1]); err != nil {
			return err
		}
	}
	s.t.shopNamed(shop)
	return nil
}

func (s *signIn) fail(err error) {
	s.message.Importance = widget.DangerImportance
	s.message.SetText(errorMessage(err))
}

// errPINsDiffer: the owner's PIN was typed differently the second time.
var errPINsDiffer = errors.New("the two PINs differ")

// errShopUnnamed: the first run's shop name or city was left empty.
var errShopUnnamed = errors.New("the shop's name and city are needed")

// unlock puts the sale screen back for sess.
func (t *lockScreen) unlock(sess *app.Session) {
	t.co.SetSession(sess)
	t.locked = nil
	t.sh.touch()
	t.sh.win.SetContent(t.content)
	t.armIdleLock()
	t.signedIn(sess)
}

// armIdleLock locks the till when no key was pressed for the shop's idle time. It checks again when the
// time would be up, so a busy till never locks.
func (t *lockScreen) armIdleLock() {
	idle := t.co.Settings().Security.IdleLock
	if idle <= 0 {
		return
	}
	t.idleArms++
	arm := t.idleArms
	wait := idle - t.sh.idle()
	t.after(max(wait, time.Second), func() {
		if arm != t.idleArms || t.locked != nil {
			return // re-armed since, or already locked
		}
		if t.sh.idle() >= idle && !t.sh.busy() {
			t.lock()
			return
		}
		t.armIdleLock()
	})
}

// roleName is a role as the screen says it.
func roleName(r app.Role) string {
	switch r {
	case app.RoleOwner:
		return lang.L("owner")
	case app.RoleSupervisor:
		return lang.L("supervisor")
	}
	return lang.L("cashier")
}
