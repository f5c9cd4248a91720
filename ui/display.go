package ui

import (
	"image"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	qrcode "github.com/skip2/go-qrcode"

	"checkout/app"
	"checkout/app/money"
)

// CustomerDisplay is the second window, turned towards the shopper: what is in the cart with each line's
// discount, the total and what was saved, the payment QR code and, once the sale is stored, thanks and
// the change. Between sales it shows the shop's logo and its slideshow (see startPictures). It is drawn
// by displayLayout, sized to the window: readable at arm's length on a 1024×600 screen and still whole on
// an 800×480 one.
type CustomerDisplay struct {
	language string
	settings app.Settings // the shop's name, second currency, logo and slideshow
	win      fyne.Window
	content  *fyne.Container

	lines  []app.Line
	totals app.Totals
	// finished: a stored document (a sale's thanks and change, a refund, a top-up) is on show, in place of
	// the cart, until the next sale starts or, with a slideshow, until displayHold has passed.
	finished bool
	memberOn bool // the member line is shown
	qrSide   int  // modules across the payment QR code, quiet zone included; 0 when none is shown

	logo      *canvas.Image // small in the header while selling, large on the idle screen
	slide     *canvas.Image // the slideshow's picture on show between sales
	greeting  *canvas.Text
	member    *canvas.Text // the member on the sale: their points and balance, not their name
	note      *canvas.Text // under the greeting: payments taken, what to do after a decline, what was paid
	rows      []*displayRow
	moreText  *canvas.Text
	items     *canvas.Text
	saved     *canvas.Text // what the discounts took off the sale
	total     *canvas.Text // the total while selling; the change, or what was paid, once the sale is stored
	number    *canvas.Text // the stored document's number
	rule      *canvas.Rectangle
	panelBack *canvas.Rectangle // behind the payment QR code or the amount to pay
	due       *canvas.Text
	qr        *canvas.Image

	pictures displayPictures

	// QRPayload is the payload of the payment QR code on show; "" when none is.
	QRPayload string
}

// displayRow draws one line of the cart: its name and quantity, its amount and, for a discounted line,
// the discount under it with the price before it struck through.
type displayRow struct {
	name, amount, discount, was *canvas.Text
	strike                      *canvas.Line
	full                        string // the name before it was cut to fit
}

// displayRows is how many cart lines the display can draw at most: the latest of a longer sale.
const displayRows = 24

func newCustomerDisplay(a fyne.App, language string, settings app.Settings) *CustomerDisplay {
	d := &CustomerDisplay{language: language, settings: settings, win: a.NewWindow(lang.L("Customer display"))}
	fg := theme.Color(theme.ColorNameForeground)
	success, quiet := theme.Color(theme.ColorNameSuccess), theme.Color(theme.ColorNameDisabled)
	text := func(c fyne.ThemeColorName, bold bool) *canvas.Text {
		t := canvas.NewText("", theme.Color(c))
		t.TextStyle.Bold = bold
		return t
	}
	d.logo = canvas.NewImageFromImage(nil)
	d.logo.FillMode = canvas.ImageFillContain
	d.slide = canvas.NewImageFromImage(nil)
	d.slide.FillMode = canvas.ImageFillContain
	d.greeting = text(theme.ColorNamePrimary, true)
	d.setGreeting(d.welcome(), false)
	d.member = text(theme.ColorNamePrimary, false)
	d.note = text(theme.ColorNameForeground, false)
	d.moreText = text(theme.ColorNameDisabled, false)
	d.items = text(theme.ColorNameForeground, false)
	d.saved = text(theme.ColorNameSuccess, true)
	d.total = text(theme.ColorNameForeground, true)
	d.total.Alignment = fyne.TextAlignTrailing
	d.number = text(theme.ColorNameDisabled, false)
	d.due = text(theme.ColorNameForeground, true) // the amount a shopper checks on their phone before paying
	d.due.Alignment = fyne.TextAlignCenter
	d.rule = canvas.NewRectangle(quiet)
	d.panelBack = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	d.qr = canvas.NewImageFromImage(nil)
	d.qr.FillMode = canvas.ImageFillStretch  // sized to whole modules by the layout
	d.qr.ScaleMode = canvas.ImageScalePixels // crisp modules, no smoothing between them
	objects := []fyne.CanvasObject{d.panelBack, d.slide, d.logo, d.greeting, d.member, d.note, d.moreText}
	for range displayRows {
		r := &displayRow{name: canvas.NewText("", fg), amount: canvas.NewText("", fg), discount: canvas.NewText("", success),
			was: canvas.NewText("", quiet), strike: canvas.NewLine(quiet)}
		r.amount.Alignment, r.was.Alignment = fyne.TextAlignTrailing, fyne.TextAlignTrailing
		d.rows = append(d.rows, r)
		objects = append(objects, r.name, r.amount, r.discount, r.was, r.strike)
	}
	objects = append(objects, d.rule, d.items, d.saved, d.total, d.number, d.due, d.qr)
	d.content = container.New(&displayLayout{d: d}, objects...)
	d.win.SetPadded(false) // the layout keeps its own margins, scaled to the screen
	d.win.SetContent(d.content)
	d.win.Resize(fyne.NewSize(1024, 600))
	d.pictures.init()
	return d
}

// Window returns the display's window.
func (d *CustomerDisplay) Window() fyne.Window { return d.win }

// welcome is the idle screen's greeting: the shop's name when it has one.
func (d *CustomerDisplay) welcome() string {
	if d.settings.Shop.Name != "" {
		return lang.L("Welcome to {{.Shop}}", map[string]any{"Shop": d.settings.Shop.Name})
	}
	return lang.L("Welcome")
}

// idle reports whether no sale is in progress and nothing is on show: the logo and the slideshow's time.
func (d *CustomerDisplay) idle() bool {
	return !d.finished && len(d.lines) == 0 && d.qrSide == 0 && d.due.Text == ""
}

// update redraws the display after a change of state, and starts or stops the slideshow.
func (d *CustomerDisplay) update() {
	if d.idle() {
		d.startSlides()
	} else {
		d.stopSlides()
	}
	d.content.Refresh()
}

// setGreeting sets the greeting, in the colour of an alert (a payment that did not go through) or not.
func (d *CustomerDisplay) setGreeting(text string, alert bool) {
	d.greeting.Text = text
	d.greeting.Color = theme.Color(theme.ColorNamePrimary)
	if alert {
		d.greeting.Color = theme.Color(theme.ColorNameError)
	}
}

func (d *CustomerDisplay) setDue(text string) {
	d.due.Text = text
}

func (d *CustomerDisplay) setText(t *canvas.Text, text string) {
	t.Text = text
	t.Refresh()
}

// showCart shows the sale in progress; with no lines, the idle screen, or the stored document still on
// show.
func (d *CustomerDisplay) showCart(lines []app.Line, t app.Totals) {
	d.clearQR()
	d.setDue("")
	d.lines, d.totals = lines, t
	if len(lines) > 0 {
		d.finished = false
		d.stopHold()
		d.setGreeting(lang.L("Your items"), false)
		d.setText(d.note, "")
	}
	if d.finished {
		d.update()
		return
	}
	d.number.Text = ""
	d.total.Text = lang.L("Total") + " " + money.Format(t.Total, d.language)
	d.total.Color = theme.Color(theme.ColorNameForeground)
	if len(lines) == 0 {
		d.setGreeting(d.welcome(), false)
		d.note.Text = ""
	}
	d.items.Text = lang.L("Items: {{.Count}}", map[string]any{"Count": t.ItemCount})
	if v, ok := d.settings.InSecondCurrency(t.Total); ok && len(lines) > 0 {
		d.items.Text += "   ≈ " + money.Format(v, d.language)
	}
	d.saved.Text = ""
	if t.Discount.Minor() > 0 {
		d.saved.Text = lang.L("You saved {{.Amount}}", map[string]any{"Amount": money.Format(t.Discount, d.language)})
	}
	d.update()
}

// lineText is a cart line as the shopper reads it: its name and quantity, and for weighed goods what the
// price is per ("大米  × 1.5 斤  ¥6.98/斤"), the figure the shopper compares with the shelf.
func (d *CustomerDisplay) lineText(l app.Line) string {
	text := l.Product.DisplayName(d.language) + "  × " + quantityText(l)
	if l.Product.Unit == app.UnitKg && l.Label == nil && !l.Overridden() {
		text += "  " + unitPrice(l.Product, d.language)
	}
	return text
}

// showMember shows the member on the sale, or hides the line for none. The shopper's name stays off the
// screen the queue can read.
func (d *CustomerDisplay) showMember(m *app.Member) {
	d.memberOn = m != nil
	if m != nil {
		d.member.Text = lang.L("Member · {{.Points}} points · prepaid {{.Balance}}", map[string]any{
			"Points": m.Points, "Balance": money.Format(m.Balance, d.language)})
	}
	d.update()
}

// showDue shows the cart with the payments taken so far and what is still to pay.
func (d *CustomerDisplay) showDue(lines []app.Line, t app.Totals, tenders []app.Tender, due money.Amount) {
	d.showCart(lines, t)
	var paid []string
	for _, tn := range tenders {
		paid = append(paid, labels().Tender(tn)+" "+money.Format(tn.Amount, d.language))
	}
	if len(paid) > 0 {
		d.note.Text = lang.L("Paid") + ": " + strings.Join(paid, " · ")
	}
	d.setDue(lang.L("To pay: {{.Amount}}", map[string]any{"Amount": money.Format(due, d.language)}))
	d.update()
}

// showQR shows the payment QR code for amount, large, for the customer's phone.
func (d *CustomerDisplay) showQR(payload string, amount money.Amount) error {
	code, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return err
	}
	d.QRPayload = payload
	// Whole pixels per module, here and on the screen (the layout sizes the code to whole modules): a
	// module size that does not divide the image makes some modules a pixel narrower than others, which
	// readers misjudge (gozxing failed on about 1 in 15 payloads).
	modules := code.Image(-1).Bounds().Dx()
	d.qrSide = modules
	d.qr.Image = code.Image(-max(1, (2*qrPixels+modules-1)/modules))
	d.qr.Refresh()
	d.setGreeting(lang.L("Scan to pay"), false)
	d.setDue(money.Format(amount, d.language))
	d.update()
	return nil
}

// qrPixels is about half the side of the payment QR code's image; the layout draws it as large as the
// screen allows, in whole modules.
const qrPixels = 340

func (d *CustomerDisplay) clearQR() {
	d.QRPayload = ""
	d.qr.Image = nil
	d.qrSide = 0
}

// QRImage returns the payment QR code on show, or nil.
func (d *CustomerDisplay) QRImage() image.Image {
	if d.qrSide > 0 {
		return d.qr.Image
	}
	return nil
}

// declined tells the customer their payment did not go through, in words for them: the reason the
// cashier reads ("ask the customer for another way to pay") stays on the cashier's screen.
func (d *CustomerDisplay) declined() {
	d.clearQR()
	d.setGreeting(lang.L("Payment not completed"), true)
	d.note.Text = lang.L("Please try again, or pay another way.")
	d.update()
}

// waitingForPhone tells the customer their wallet payment waits for them to confirm it on their phone.
func (d *CustomerDisplay) waitingForPhone(amount money.Amount) {
	d.clearQR()
	d.setGreeting(lang.L("Confirm the payment on your phone"), false)
	d.setDue(money.Format(amount, d.language))
	d.update()
}

// toppedUp shows a member's top-up: what was added and the balance now, in place of whatever the display
// showed before (a refund, the last sale).
func (d *CustomerDisplay) toppedUp(amount, bonus, balance money.Amount) {
	d.memberOn = false
	d.done(lang.L("Thank you!"), lang.L("Topped up")+" "+money.Format(amount.Add(bonus), d.language), "",
		lang.L("Prepaid balance: {{.Amount}}", map[string]any{"Amount": money.Format(balance, d.language)}))
}

// done shows a finished document in place of the cart: a greeting, its big line, its number and a line
// under the big one. With a slideshow, the idle screen comes back after displayHold.
func (d *CustomerDisplay) done(greeting, big, number, under string) {
	d.clearQR()
	d.setDue("")
	d.lines, d.totals = nil, app.Totals{}
	d.finished = true
	d.setGreeting(greeting, false)
	d.total.Text = big
	d.total.Color = theme.Color(theme.ColorNameForeground)
	d.number.Text = number
	d.note.Text = under
	d.items.Text, d.saved.Text = "", ""
	d.holdThenIdle()
	d.update()
}

// refunded shows the money given back.
func (d *CustomerDisplay) refunded(r *app.Refund) {
	d.done(lang.L("Refund"), lang.L("Refunded")+" "+money.Format(r.Tender.Amount, d.language), r.ReceiptNo, "")
}

// thankYou shows the paid sale until the next one starts.
func (d *CustomerDisplay) thankYou(s *app.Sale) {
	// The change, when there is some, is the largest thing on the screen: it is what the shopper waits for.
	// A sale paid exactly (card, QR, wallet) says what was paid, with no "change ¥0.00".
	d.memberOn = false
	if change := s.Change(); change.Minor() > 0 {
		d.done(lang.L("Thank you!"), lang.L("Your change")+" "+money.Format(change, d.language), s.ReceiptNo,
			lang.L("Paid {{.Amount}}", map[string]any{"Amount": money.Format(s.Paid(), d.language)}))
		d.total.Color = theme.Color(theme.ColorNameSuccess)
	} else {
		d.done(lang.L("Thank you!"), lang.L("Paid")+" "+money.Format(s.Paid(), d.language), s.ReceiptNo, "")
	}
	if s.Member != nil && s.Member.PointsEarned > 0 {
		d.member.Text = lang.L("You earned {{.Points}} points", map[string]any{"Points": s.Member.PointsEarned})
		d.memberOn = true
	}
	d.update()
}

// displayHold is how long a stored sale's thanks and change stay before the slideshow comes back.
const displayHold = 30 * time.Second
