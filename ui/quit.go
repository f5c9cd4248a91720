package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// quitting is how the till closes: the till menu's Quit, Ctrl+Q, and closing the sale window all come
// here. An empty till closes at once; a sale in the cart is parked first, after asking (F7 brings it
// back at the next start); a sale with a payment taken cannot be parked, and the till stays open.
type quitting struct {
	sh     *shell
	co     *app.Checkout
	sale   saleView
	parked app.ParkedCarts // nil: this till parks nothing, so a sale in the cart keeps it open
	quit   func()          // closes the app
}

// ask closes the till, parking the sale in the cart first when the cashier says so.
func (q *quitting) ask() {
	if q.sh.busy() {
		return
	}
	if len(q.co.Lines()) == 0 {
		q.quit()
		return
	}
	switch {
	case len(q.co.Tenders()) > 0:
		q.sale.fail(app.ErrPaymentStarted)
		q.sale.say(lang.L("A payment was taken: complete or void the sale before closing the till."), widget.DangerImportance)
		return
	case q.parked == nil:
		q.sale.say(lang.L("Complete or void the sale before closing the till."), widget.DangerImportance)
		return
	}
	q.sh.confirm(lang.L("Close the till"), lang.L("The sale in the cart is parked (F7 brings it back). Close the till? Enter: yes · Esc: no"), func() {
		if _, err := q.co.Park(context.Background(), q.parked); err != nil {
			if errors.Is(err, app.ErrPaymentStarted) {
				q.sale.say(lang.L("A payment was taken: complete or void the sale before closing the till."), widget.DangerImportance)
				return
			}
			q.sale.fail(err) // not parked: the till stays open with the sale
			return
		}
		q.quit()
	})
}

// bind makes Ctrl+Q and the window's close button ask to quit.
func (q *quitting) bind(w fyne.Window) {
	q.sh.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierControl}, q.ask)
	w.SetCloseIntercept(q.ask)
}
