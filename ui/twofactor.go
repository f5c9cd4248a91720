package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"checkout/app"
)

// askSecondFactor asks in sh for the code from the authenticator app of session's user, then runs next:
// the back office waits for it once per session when the user has two-factor sign-in on.
func askSecondFactor(sh *shell, session *app.Session, next func()) {
	if sh.busy() {
		return
	}
	var d dialog.Dialog
	code := sh.field()
	code.SetPlaceHolder(lang.L("6-digit code"))
	problem := dangerLabel()
	dialogKeys(code, func() dialog.Dialog { return d }, func() {
		err := session.VerifySecondFactor(context.Background(), code.Text)
		code.SetText("")
		if err != nil {
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		next()
	})
	prompt := widget.NewLabel(lang.L("The code from your authenticator app for the back office:"))
	prompt.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(prompt, code, problem)
	d = sh.open(lang.L("Two-factor sign-in"), container.NewGridWrap(fyne.NewSize(420, content.MinSize().Height+30), content), code)
}

// twoFactor turns the typed user's two-factor sign-in on (their own: a QR code to scan, then a code from
// the app to confirm) or off (their own, or anyone's for the owner).
func (pg *usersPage) twoFactor() {
	o := pg.office
	auth, session := pg.staff, o.session()
	u, ok := pg.user()
	if !ok {
		pg.note.fail(app.ErrUnknownUser)
		return
	}
	ctx := context.Background()
	if u.TwoFactor() {
		o.confirm(lang.L("Two-factor sign-in"), lang.L("Turn two-factor sign-in off for {{.Name}}? Enter: yes · Esc: no", map[string]any{"Name": u.Name}),
			func() {
				if err := auth.DisableTwoFactor(ctx, session, u.Name); err != nil {
					pg.note.fail(err)
					return
				}
				pg.reload()
				pg.note.say(lang.L("Two-factor sign-in is off for {{.Name}}.", map[string]any{"Name": u.Name}), widget.WarningImportance)
			}, func() { o.win.Canvas().Focus(pg.name) })
		return
	}
	if u.ID != session.User().ID {
		pg.note.say(lang.L("{{.Name}} turns two-factor sign-in on when signed in as themselves.", map[string]any{"Name": u.Name}), widget.MediumImportance)
		return
	}
	secret, uri, err := auth.StartTwoFactor(session)
	if err != nil {
		pg.note.fail(err)
		return
	}
	var d dialog.Dialog
	var qr fyne.CanvasObject = widget.NewLabel("")
	if png, err := qrcode.New(uri, qrcode.Medium); err == nil {
		img := canvas.NewImageFromImage(png.Image(256))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(220, 220))
		qr = img
	}
	code := o.field(lang.L("6-digit code"), nil)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	dialogKeys(code, func() dialog.Dialog { return d }, func() {
		if err := auth.EnableTwoFactor(ctx, session, secret, code.Text); err != nil {
			code.SetText("")
			problem.SetText(errorMessage(err))
			return
		}
		d.Hide()
		pg.reload()
		pg.note.say(lang.L("Two-factor sign-in is on: the back office asks for a code once per sign-in."), widget.SuccessImportance)
	})
	key := widget.NewLabel(secret)
	key.TextStyle.Monospace = true
	help := widget.NewLabel(lang.L("Scan the code with an authenticator app, then type the 6 digits it shows and Enter."))
	help.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(help, container.NewCenter(qr), widget.NewLabel(lang.L("Or type this key into the app:")), key, code, problem)
	d = dialog.NewCustomWithoutButtons(lang.L("Two-factor sign-in"), container.NewGridWrap(fyne.NewSize(460, content.MinSize().Height+30), content), o.win)
	d.SetOnClosed(func() { o.win.Canvas().Focus(pg.name) })
	d.Show()
	o.win.Canvas().Focus(code)
}
