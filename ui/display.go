package ui

import (
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"checkout/app"
	"checkout/app/money"
)

// CustomerDisplay is the second window, turned towards the shopper: what is in the cart, the total and,
// once the sale is stored, thanks and the change.
type CustomerDisplay struct {
	language string
	settings app.Settings // the shop's name and second currency
	win      fyne.Window
	lines    []app.Line
	list     *widget.List
	total    *canvas.Text
	items    *widget.Label
	greeting *canvas.Text
	change   *widget.Label
	due      *canvas.Text
	qr       *canvas.Image
	member   *widget.Label // the member on the sale: their points and balance, not their name
	// QRPayload is the payload of the payment QR code on show; "" when none is.
	QRPayload string
}

// qrSide is the payment QR code's side on the display: at ~96 dpi about 9 cm, which a phone reads from
// well beyond 40 cm even for a long EMVCo payload.
const qrSide = 340

func newCustomerDisplay(a fyne.App, language string, settings app.Settings) *CustomerDisplay {
	d := &CustomerDisplay{language: language, settings: settings, win: a.NewWindow(lang.L("Customer display"))}
	d.list = widget.NewList(
		func() int { return len(d.lines) },
		func() fyne.CanvasObject {
			name, amount := widget.NewLabel(""), widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			amount.Alignment = fyne.TextAlignTrailing
			return container.NewBorder(nil, nil, nil, amount, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(d.lines) {
				return
			}
			l := d.lines[id]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(l.Product.DisplayName(d.language) + "  × " + quantityText(l))
			row.Objects[1].(*widget.Label).SetText(money.Format(l.Total, d.language))
		})
	d.total = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	d.total.TextSize = theme.TextSize() * 3
	d.total.TextStyle.Bold = true
	d.total.Alignment = fyne.TextAlignTrailing
	d.items = widget.NewLabel("")
	d.greeting = canvas.NewText(d.welcome(), theme.Color(theme.ColorNamePrimary))
	d.greeting.TextSize = theme.TextSize() * 2
	d.greeting.Alignment = fyne.TextAlignCenter
	d.change = widget.NewLabel("")
	d.change.Alignment = fyne.TextAlignCenter
	d.change.Wrapping = fyne.TextWrapWord
	d.due = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	d.due.TextSize = theme.TextSize() * 2 // the amount a shopper checks on their phone before paying
	d.due.TextStyle.Bold = true
	d.due.Alignment = fyne.TextAlignCenter
	d.qr = canvas.NewImageFromImage(nil)
	d.qr.FillMode = canvas.ImageFillContain
	d.qr.ScaleMode = canvas.ImageScalePixels // crisp modules, no smoothing between them
	d.qr.SetMinSize(fyne.NewSize(qrSide, qrSide))
	d.qr.Hide()
	d.member = widget.NewLabel("")
	d.member.Alignment = fyne.TextAlignCenter
	d.member.Importance = widget.HighImportance
	d.member.Hide()
	top := container.NewVBox(d.greeting, d.member, d.change, d.due, d.qr)
	bottom := container.NewBorder(nil, nil, d.items, nil, d.total)
	// Padded, so that the total never touches the screen's edge.
	d.win.SetContent(container.NewPadded(container.NewBorder(top, bottom, nil, nil, d.list)))
	d.win.Resize(fyne.NewSize(480, 760))
	return d
}

func (d *CustomerDisplay) setDue(text string) {
	d.due.Text = text
	d.due.Refresh()
}

// welcome is the idle screen's greeting: the shop's name when it has one.
func (d *CustomerDisplay) welcome() string {
	if d.settings.Shop.Name != "" {
		return lang.L("Welcome to {{.Shop}}", map[string]any{"Shop": d.settings.Shop.Name})
	}
	return lang.L("Welcome")
}

// Window returns the display's window.
func (d *CustomerDisplay) Window() fyne.Window { return d.win }

// showCart shows the sale in progress.
func (d *CustomerDisplay) showCart(lines []app.Line, t app.Totals) {
	d.hideQR()
	d.setDue("")
	d.lines = lines
	d.list.Refresh()
	if len(lines) > 0 {
		d.list.ScrollToBottom()
		d.greeting.Text = lang.L("Your items")
		d.change.SetText("")
	}
	d.total.Text = lang.L("Total") + " " + money.Format(t.Total, d.language)
	d.total.Refresh()
	if len(lines) == 0 {
		d.greeting.Text = d.welcome()
	}
	d.greeting.Refresh()
	d.items.SetText(lang.L("Items: {{.Count}}", map[string]any{"Count": t.ItemCount}))
	if v, ok := d.settings.InSecondCurrency(t.Total); ok && len(lines) > 0 {
		d.items.SetText(d.items.Text + "   ≈ " + money.Format(v, d.language))
	}
}

// showMember shows the member on the sale, or hides the line for none. The shopper's name stays off the
// screen the queue can read.
func (d *CustomerDisplay) showMember(m *app.Member) {
	if m == nil {
		d.member.Hide()
		return
	}
	d.member.SetText(lang.L("Member · {{.Points}} points · prepaid {{.Balance}}", map[string]any{
		"Points": m.Points, "Balance": money.Format(m.Balance, d.language)}))
	d.member.Show()
}

// showDue shows the cart with the payments taken so far and what is still to pay.
func (d *CustomerDisplay) showDue(lines []app.Line, t app.Totals, tenders []app.Tender, due money.Amount) {
	d.showCart(lines, t)
	var paid []string
	for _, tn := range tenders {
		paid = append(paid, labels().Tender(tn)+" "+money.Format(tn.Amount, d.language))
	}
	if len(paid) > 0 {
		d.change.SetText(lang.L("Paid") + ": " + strings.Join(paid, " · "))
	}
	d.setDue(lang.L("To pay: {{.Amount}}", map[string]any{"Amount": money.Format(due, d.language)}))
}

// showQR shows the payment QR code for amount, large, for the customer's phone.
func (d *CustomerDisplay) showQR(payload string, amount money.Amount) error {
	code, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return err
	}
	d.QRPayload = payload
	// Whole pixels per module: a module size that does not divide the image makes some modules a pixel
	// narrower than others, which readers misjudge (gozxing failed on about 1 in 15 payloads).
	modules := code.Image(-1).Bounds().Dx()
	d.qr.Image = code.Image(-max(1, (2*qrSide+modules-1)/modules))
	d.qr.Show()
	d.qr.Refresh()
	d.greeting.Text = lang.L("Scan to pay")
	d.greeting.Refresh()
	d.setDue(money.Format(amount, d.language))
	return nil
}

func (d *CustomerDisplay) hideQR() {
	d.QRPayload = ""
	d.qr.Image = nil
	d.qr.Hide()
}

// QRImage returns the payment QR code on show, or nil.
func (d *CustomerDisplay) QRImage() image.Image {
	if d.qr.Visible() {
		return d.qr.Image
	}
	return nil
}

// declined tells the customer their payment did not go through, in words for them: the reason the
// cashier reads ("ask the customer for another way to pay") stays on the cashier's screen.
func (d *CustomerDisplay) declined() {
	d.hideQR()
	d.greeting.Text = lang.L("Payment not completed")
	d.greeting.Refresh()
	d.change.SetText(lang.L("Please try again, or pay another way."))
}

// waitingForPhone tells the customer their wallet payment waits for them to confirm it on their phone.
func (d *CustomerDisplay) waitingForPhone(amount money.Amount) {
	d.hideQR()
	d.greeting.Text = lang.L("Confirm the payment on your phone")
	d.greeting.Refresh()
	d.setDue(money.Format(amount, d.language))
}

// toppedUp shows a member's top-up: what was added and the balance now, in place of whatever the display
// showed before (a refund, the last sale).
func (d *CustomerDisplay) toppedUp(amount, bonus, balance money.Amount) {
	d.done(lang.L("Thank you!"), lang.L("Topped up")+" "+money.Format(amount.Add(bonus), d.language), "",
		lang.L("Prepaid balance: {{.Amount}}", map[string]any{"Amount": money.Format(balance, d.language)}))
	d.member.Hide()
}

// done shows a finished document in place of the cart: a greeting, its big line, its number and a line
// under the greeting.
func (d *CustomerDisplay) done(greeting, big, number, under string) {
	d.hideQR()
	d.setDue("")
	d.lines = nil
	d.list.Refresh()
	d.greeting.Text = greeting
	d.greeting.Refresh()
	d.total.Text = big
	d.total.Refresh()
	d.items.SetText(number)
	d.change.SetText(under)
}

// refunded shows the money given back.
func (d *CustomerDisplay) refunded(r *app.Refund) {
	d.done(lang.L("Refund"), lang.L("Refunded")+" "+money.Format(r.Tender.Amount, d.language), r.ReceiptNo, "")
}

// thankYou shows the paid sale until the next one starts.
func (d *CustomerDisplay) thankYou(s *app.Sale) {
	// The change, when there is some, is the largest thing on the screen: it is what the shopper waits for.
	// A sale paid exactly (card, QR, wallet) says what was paid, with no "change ¥0.00".
	if change := s.Change(); change.Minor() > 0 {
		d.done(lang.L("Thank you!"), lang.L("Your change")+" "+money.Format(change, d.language), s.ReceiptNo,
			lang.L("Paid {{.Amount}}", map[string]any{"Amount": money.Format(s.Paid(), d.language)}))
	} else {
		d.done(lang.L("Thank you!"), lang.L("Paid")+" "+money.Format(s.Paid(), d.language), s.ReceiptNo, "")
	}
	if s.Member != nil && s.Member.PointsEarned > 0 {
		d.member.SetText(lang.L("You earned {{.Points}} points", map[string]any{"Points": s.Member.PointsEarned}))
		d.member.Show()
	}
}
