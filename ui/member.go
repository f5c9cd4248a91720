package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/signature"
)

// memberLimit is how many members a search lists.
const memberLimit = 8

// memberView is the open member dialog (F6): find a member by card, phone, name or number and put them on
// the sale (Enter); add a member (F2); top up their prepaid balance (F3, cash; F6 by card); block their
// lost cards (F4); set their account PIN (F7) or unlock it after wrong PINs (F9). A card tapped or swiped while it is open finds its member, or is given to the member
// shown.
type memberView struct {
	ms      *memberScreen
	query   *KeyEntry
	list    *widget.Label
	detail  *widget.Label
	problem *widget.Label
	dialog  dialog.Dialog
	found   []app.Member
	chosen  int
	// A form below the list: adding a member or topping one up.
	form     *fyne.Container
	formKind string // "", "new", "edit", "topup", "card", "pin"
	name     *KeyEntry
	phone    *KeyEntry
	tier     *KeyEntry
	birthday *KeyEntry
	notes    *KeyEntry
	amount   *KeyEntry
	approval *KeyEntry
	pin      *KeyEntry
	qrRef    string       // the reference of the top-up QR code on the customer display; "" when none
	qrAmount money.Amount // the amount that code asks for
	// cashConfirmed is the cash top-up the cashier was asked to confirm: Enter again with it takes it.
	cashConfirmed money.Amount
}

// memberScreen is the till's members: the member dialog (F6), and the member cards scanned, swiped or
// tapped, which put their member on the sale or, while the dialog is open, go to it.
type memberScreen struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	display  *CustomerDisplay
	members  app.MemberService
	payments app.Payments // topping up by QR code
	receipts *receipts    // prints top-ups' receipts; nil: none is printed
	input    app.Classifier
	language string
	now      func() time.Time
	view     *memberView // the member dialog last opened
}

func (ms *memberScreen) money(a money.Amount) string { return money.Format(a, ms.language) }

// open opens the member dialog.
func (ms *memberScreen) open() {
	t := ms
	if t.sh.busy() {
		return
	}
	v := &memberView{ms: t, query: t.sh.field(), list: table(), detail: widget.NewLabel(""), problem: widget.NewLabel("")}
	v.query.SetPlaceHolder(lang.L("Tap or swipe the card, scan it, or type phone, name or member number"))
	v.query.OnChanged = func(string) { v.search() }
	v.query.OnScan = v.scanned
	v.query.OnKey = v.key
	v.problem.Importance = widget.DangerImportance
	v.problem.Wrapping = fyne.TextWrapWord
	v.detail.Wrapping = fyne.TextWrapWord
	v.name, v.phone, v.amount, v.approval, v.pin = t.sh.field(), t.sh.field(), t.sh.field(), t.sh.field(), t.sh.field()
	v.tier, v.birthday, v.notes = t.sh.field(), t.sh.field(), t.sh.field()
	v.tier.SetPlaceHolder(lang.L("Tier (empty: standard)"))
	v.birthday.SetPlaceHolder(lang.L("Birthday, YYYY-MM-DD"))
	v.notes.SetPlaceHolder(lang.L("Notes"))
	v.pin.Password = true
	v.pin.SetPlaceHolder(lang.L("New PIN: 4 to 6 digits, typed by the customer (empty: no PIN)"))
	v.name.SetPlaceHolder(lang.L("Name"))
	v.phone.SetPlaceHolder(lang.L("Phone"))
	v.amount.SetPlaceHolder(lang.L("Top-up amount"))
	v.approval.SetPlaceHolder(lang.L("Card terminal approval code and last four digits, e.g. A1B2C3 4242"))
	for _, e := range []*KeyEntry{v.name, v.phone, v.tier, v.birthday, v.notes, v.amount, v.approval, v.pin} {
		e.OnKey = v.key
	}
	v.form = container.NewVBox()
	// Each of the dialog's functions as a button with its key on it, for a finger as for the keyboard.
	action := func(label string, key fyne.KeyName) fyne.CanvasObject {
		return touchSized(widget.NewButton(label, func() { v.key(&fyne.KeyEvent{Name: key}) }))
	}
	actions := container.NewGridWithColumns(4,
		action(lang.L("Put on the sale")+" (Enter)", fyne.KeyReturn), action(lang.L("New member")+" (F2)", fyne.KeyF2),
		action(lang.L("Edit")+" (F5)", fyne.KeyF5), action(lang.L("Top up in cash")+" (F3)", fyne.KeyF3),
		action(lang.L("Top up by card")+" (F6)", fyne.KeyF6), action(lang.L("Top up by QR")+" (F8)", fyne.KeyF8),
		action(lang.L("Block cards")+" (F4)", fyne.KeyF4), action(lang.L("PIN")+" (F7)", fyne.KeyF7),
		action(lang.L("Unlock PIN")+" (F9)", fyne.KeyF9), action(lang.L("Close")+" (Esc)", fyne.KeyEscape))
	content := container.NewVBox(v.query, v.list, v.detail, v.form, v.problem, actions)
	// At least 680 wide, as tall as what it shows: the forms below the list come and go (refit).
	v.dialog = t.sh.open(lang.L("Member"), container.New(atLeastWide(680), content), v.query)
	t.sh.takeScans(v.scanned)
	t.view = v
	if m, ok := t.co.Member(); ok {
		v.found, v.chosen = []app.Member{m}, 0
		v.refreshChosen() // as stored now: its PIN may have locked since it was put on the sale
	}
}

func (v *memberView) key(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		v.enter()
	case fyne.KeyEscape:
		if v.formKind != "" {
			v.closeForm()
			return true
		}
		v.dialog.Hide()
	case fyne.KeyDown:
		v.move(+1)
	case fyne.KeyUp:
		v.move(-1)
	case fyne.KeyF12:
		if v.formKind == "new" || v.formKind == "edit" {
			v.saveDetails(false)
		}
	case fyne.KeyF2:
		v.openForm("new")
	case fyne.KeyF5:
		v.openForm("edit")
	case fyne.KeyF3:
		v.openForm("topup")
	case fyne.KeyF6:
		v.openForm("card")
	case fyne.KeyF4:
		v.blockCards()
	case fyne.KeyF7:
		v.openForm("pin")
	case fyne.KeyF9:
		v.unlockPIN()
	case fyne.KeyF8:
		if err := v.ms.payments.CheckQR(); err != nil {
			v.problem.SetText(errorMessage(err))
			return true
		}
		v.openForm("qr")
	default:
		return false
	}
	return true
}

func (v *memberView) search() {
	q := strings.TrimSpace(v.query.Text)
	if q == "" {
		return
	}
	found, err := v.ms.members.FindMembers(context.Background(), q, memberLimit)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.found, v.chosen = found, 0
	v.show()
}

func (v *memberView) move(delta int) {
	if len(v.found) > 0 {
		v.chosen = min(max(v.chosen+delta, 0), len(v.found)-1)
		v.show()
	}
}

// chosenMember is the member the dialog shows; ok is false when none.
func (v *memberView) chosenMember() (app.Member, bool) {
	if v.chosen < 0 || v.chosen >= len(v.found) {
		return app.Member{}, false
	}
	return v.found[v.chosen], true
}

func (v *memberView) show() {
	var b strings.Builder
	for i, m := range v.found {
		mark := "  "
		if i == v.chosen {
			mark = "▶ "
		}
		fmt.Fprintf(&b, "%s%s %s %s\n", mark, column(m.Number, 9), column(m.Name, 20), m.Phone)
	}
	if len(v.found) == 0 && strings.TrimSpace(v.query.Text) != "" {
		b.WriteString(lang.L("No member matches."))
	}
	v.list.SetText(strings.TrimRight(b.String(), "\n"))
	m, ok := v.chosenMember()
	if !ok {
		v.detail.SetText("")
		return
	}
	cards := make([]string, 0, len(m.Cards))
	for _, c := range m.Cards {
		label := c.Label
		if c.Blocked {
			label += " (" + lang.L("blocked") + ")"
		}
		cards = append(cards, label)
	}
	text := lang.L("{{.Name}} · {{.Number}} · {{.Points}} points · prepaid {{.Balance}}", map[string]any{
		"Name": m.Name, "Number": m.Number, "Points": m.Points, "Balance": v.ms.money(m.Balance)})
	if m.Tier != "" {
		text += " · " + m.Tier
	}
	if len(cards) > 0 {
		text += "\n" + lang.L("Cards") + ": " + strings.Join(cards, ", ")
	}
	if m.Locked(v.ms.now()) {
		text += "\n" + lang.L("PIN locked by wrong tries until {{.Time}} (F9: unlock)", map[string]any{"Time": m.LockedUntil.Local().Format("15:04")})
	}
	v.detail.SetText(text)
}

// enter submits the open form, or puts the chosen member on the sale.
func (v *memberView) enter() {
	switch v.formKind {
	case "new", "edit":
		v.saveDetails(true)
		return
	case "topup", "card", "qr":
		v.topUp()
		return
	case "pin":
		v.setPIN()
		return
	}
	m, ok := v.chosenMember()
	if !ok {
		v.search()
		return
	}
	v.attach(m)
}

// attach puts m on the sale in progress and closes the dialog.
func (v *memberView) attach(m app.Member) {
	if err := v.ms.co.SetMember(m); err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.dialog.Hide()
	v.ms.sale.showMember()
}

func (v *memberView) openForm(kind string) {
	if kind != "new" {
		if _, ok := v.chosenMember(); !ok {
			v.problem.SetText(errorMessage(app.ErrNoMember))
			return
		}
	}
	v.formKind = kind
	v.cashConfirmed = money.Amount{}
	v.problem.SetText("")
	switch kind {
	case "new", "edit":
		m, _ := v.chosenMember()
		title := lang.L("Edit member")
		if kind == "new" {
			m, title = app.Member{}, lang.L("New member")
		}
		for e, text := range map[*KeyEntry]string{v.name: m.Name, v.phone: m.Phone, v.tier: m.Tier, v.birthday: m.Birthday, v.notes: m.Notes} {
			e.SetText(text)
		}
		title += "  ·  " + lang.L("F12: save · Enter: next field · Esc: back")
		v.form.Objects = []fyne.CanvasObject{widget.NewLabel(title), v.name, v.phone, container.NewGridWithColumns(2, v.tier, v.birthday), v.notes}
		v.refit()
		v.ms.sh.canvas().Focus(v.name)
	case "pin":
		v.pin.SetText("")
		v.form.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("PIN for paying from the account")), v.pin}
		v.refit()
		v.ms.sh.canvas().Focus(v.pin)
	default:
		v.amount.SetText("")
		v.approval.SetText("")
		v.qrRef = ""
		title := lang.L("Top up in cash")
		v.form.Objects = []fyne.CanvasObject{widget.NewLabel(title), v.amount}
		switch kind {
		case "card":
			v.form.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("Top up by card")), v.amount, v.approval}
		case "qr":
			v.form.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("Top up by QR: Enter shows the code on the customer display, Enter again once their phone shows it paid")), v.amount}
		}
		v.refit()
		v.ms.sh.canvas().Focus(v.amount)
	}
}

// refit sizes the dialog to what it shows now: a form below the list makes it taller, and closing it
// shorter again, so nothing spills out of it.
func (v *memberView) refit() {
	v.form.Refresh()
	if v.dialog != nil {
		v.dialog.Resize(v.dialog.MinSize())
	}
}

func (v *memberView) closeForm() {
	if v.qrRef != "" {
		v.qrRef = ""
		v.ms.sale.refresh() // the customer display goes back to the cart
	}
	v.problem.SetText("")
	v.formKind = ""
	v.form.Objects = nil
	v.refit()
	v.ms.sh.canvas().Focus(v.query)
}

// saveDetails moves Enter through the member's fields, then saves them: a new member, or the chosen one's
// edited details.
// saveDetails saves the member form; with next, Enter in a field but the last goes to the next field
// instead. F12 saves from any field.
func (v *memberView) saveDetails(next bool) {
	fields := []*KeyEntry{v.name, v.phone, v.tier, v.birthday, v.notes}
	for i, e := range fields[:len(fields)-1] {
		if next && v.ms.sh.canvas().Focused() == e {
			v.ms.sh.canvas().Focus(fields[i+1])
			return
		}
	}
	m := app.Member{}
	if v.formKind == "edit" {
		m, _ = v.chosenMember()
	}
	m.Name, m.Phone, m.Tier, m.Birthday, m.Notes = v.name.Text, v.phone.Text, v.tier.Text, v.birthday.Text, v.notes.Text
	if !v.ms.co.Settings().ConsentSigned(m) {
		v.storeDetails(m)
		return
	}
	// A new member signs their consent to the shop keeping their details (电子签名) before they are stored.
	askSignature(v.ms.sh, lang.L("Please sign: you agree to the shop keeping your name and phone number for your membership."),
		func(sig signature.Signature) {
			v.ms.sh.reopen(v.dialog, v.scanned, v.name)
			m.Consent = sig
			v.storeDetails(m)
		}, func() {
			v.ms.sh.reopen(v.dialog, v.scanned, v.name)
			v.problem.SetText(lang.L("Not saved: the member did not sign their consent."))
		})
}

// storeDetails stores the member form's member and shows them.
func (v *memberView) storeDetails(m app.Member) {
	saved, err := v.ms.members.SaveMember(context.Background(), v.ms.co.Session(), m)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	added := v.formKind == "new"
	v.found, v.chosen = []app.Member{saved}, 0
	v.closeForm()
	v.show()
	if added {
		v.detail.SetText(v.detail.Text + "\n" + lang.L("Added. Tap or swipe a card now to give it to them."))
	}
}

// topUp adds prepaid value to the chosen member, paid in cash or by card.
func (v *memberView) topUp() {
	t := v.ms
	m, _ := v.chosenMember()
	amount, err := money.Parse(strings.TrimSpace(v.amount.Text), t.co.Settings().Currency)
	if err != nil {
		v.problem.SetText(errorMessage(app.ErrInvalidAmount))
		return
	}
	paidBy := app.Tender{Kind: app.TenderCash}
	if v.formKind == "qr" {
		if v.qrRef == "" || amount != v.qrAmount {
			// First Enter: show the shop's QR code for the amount; the second takes it as paid. A changed
			// amount shows a new code, so what is taken is what the customer's phone was asked for.
			ref := "topup-" + app.NewID()[:12]
			payload, err := t.payments.MerchantQR(amount, ref)
			if err == nil {
				err = t.display.showQR(payload, amount)
			}
			if err != nil {
				v.problem.SetText(errorMessage(err))
				return
			}
			v.qrRef, v.qrAmount = ref, amount
			v.problem.SetText(lang.L("The customer scans the code on their display: {{.Amount}}", map[string]any{"Amount": t.money(amount)}))
			return
		}
		paidBy = app.Tender{Kind: app.TenderQR, Reference: v.qrRef}
	}
	if v.formKind == "topup" && v.cashConfirmed != amount {
		// Cash changes hands once the cashier has said the amount back: Enter again takes it.
		v.cashConfirmed = amount
		bonus := t.co.Settings().Loyalty.TopUpBonus(amount)
		v.problem.SetText(lang.L("Top up {{.Amount}} in cash (bonus {{.Bonus}})? Enter again to take it.",
			map[string]any{"Amount": t.money(amount), "Bonus": t.money(bonus)}))
		return
	}
	if v.formKind == "card" {
		if t.sh.canvas().Focused() == v.amount {
			t.sh.canvas().Focus(v.approval)
			return
		}
		approval, last4, _ := strings.Cut(strings.TrimSpace(v.approval.Text), " ")
		paidBy = app.Tender{Kind: app.TenderCard, Approval: approval, CardLast4: strings.TrimSpace(last4)}
	}
	if !t.co.Settings().TopUpSigned(amount) {
		v.commitTopUp(m, amount, paidBy, nil)
		return
	}
	// Over signature.topup_over the shopper signs for the top-up (电子签名) before it is stored.
	prompt := lang.L("Top-up {{.Amount}}: please sign.", map[string]any{"Amount": t.money(amount)})
	askSignature(t.sh, prompt, func(sig signature.Signature) {
		t.sh.reopen(v.dialog, v.scanned, v.amount)
		v.commitTopUp(m, amount, paidBy, sig)
	}, func() {
		t.sh.reopen(v.dialog, v.scanned, v.amount)
		v.problem.SetText(lang.L("Not topped up: the shopper did not sign."))
	})
}

// commitTopUp stores the top-up (signed for, when sig is not empty), prints its receipt and says so.
func (v *memberView) commitTopUp(m app.Member, amount money.Amount, paidBy app.Tender, sig signature.Signature) {
	t := v.ms
	tu, err := t.members.TopUp(context.Background(), t.co.Session(), m, amount, paidBy, sig)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.refreshChosen()
	v.closeForm()
	msg := lang.L("Topped up {{.Amount}} (bonus {{.Bonus}}) · receipt {{.Receipt}} · balance {{.Balance}}", map[string]any{
		"Amount": t.money(tu.Amount), "Bonus": t.money(tu.Bonus), "Receipt": tu.Receipt, "Balance": t.money(tu.Balance)})
	v.detail.SetText(v.detail.Text + "\n" + msg)
	t.sale.say(msg, widget.SuccessImportance)
	t.display.toppedUp(tu.Amount, tu.Bonus, tu.Balance)
	if t.receipts != nil {
		t.receipts.afterTopUp(tu, msg)
	}
}

// setPIN sets the chosen member's PIN, or removes it when none is typed.
func (v *memberView) setPIN() {
	m, _ := v.chosenMember()
	if err := v.ms.members.SetPIN(context.Background(), v.ms.co.Session(), m, v.pin.Text); err != nil {
		v.pin.SetText("")
		v.problem.SetText(errorMessage(err))
		return
	}
	v.refreshChosen()
	v.closeForm()
	if m, _ := v.chosenMember(); m.PINHash == "" {
		v.detail.SetText(v.detail.Text + "\n" + lang.L("No PIN: the account pays without one."))
	} else {
		v.detail.SetText(v.detail.Text + "\n" + lang.L("PIN set: paying from the account asks for it."))
	}
}

// unlockPIN lifts the lock that wrong PINs put on the chosen member's account PIN. A cashier is asked for
// a supervisor's approval, after which the dialog comes back and unlocks.
func (v *memberView) unlockPIN() {
	t := v.ms
	m, ok := v.chosenMember()
	if !ok {
		v.problem.SetText(errorMessage(app.ErrNoMember))
		return
	}
	err := t.members.UnlockPIN(context.Background(), t.co.Session(), m)
	if askApproval(t.sh, t.co.Session(), err, "unlock PIN "+m.Number, func() {
		t.sh.reopen(v.dialog, v.scanned, v.query)
		v.unlockPIN()
	}, nil) {
		return
	}
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.refreshChosen()
	v.detail.SetText(v.detail.Text + "\n" + lang.L("PIN unlocked: the account pays again with the right PIN."))
}

// refreshChosen reads the chosen member again after a change.
func (v *memberView) refreshChosen() {
	m, ok := v.chosenMember()
	if !ok {
		return
	}
	if fresh, err := v.ms.members.MemberByNumber(context.Background(), m.Number); err == nil {
		v.found[v.chosen] = fresh
	}
	v.show()
}

// blockCards blocks every card of the chosen member, after asking: a lost card then finds nobody, and a
// new card is tapped to replace it.
func (v *memberView) blockCards() {
	m, ok := v.chosenMember()
	if !ok || len(m.Cards) == 0 {
		return
	}
	if err := v.ms.members.BlockCards(context.Background(), v.ms.co.Session(), m); err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.refreshChosen()
}

// scanned takes a member barcode scanned, or a card swiped, into the dialog.
func (v *memberView) scanned(code string) {
	if in := v.ms.input.Classify(code); in.Kind == app.InputCard {
		v.ms.swipe(in)
		return
	}
	m, err := v.ms.members.MemberByNumber(context.Background(), code)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.found, v.chosen = []app.Member{m}, 0
	v.show()
}

// card takes a card tapped or swiped while the dialog is open: its member is shown, or an unknown card
// is given to the member shown.
func (v *memberView) card(token, label string) {
	ms := v.ms.members
	m, err := ms.MemberByCard(context.Background(), token)
	if errors.Is(err, app.ErrUnknownMember) {
		chosen, ok := v.chosenMember()
		if !ok {
			v.problem.SetText(lang.L("This card belongs to no member. Find or add the member first, then tap it again."))
			return
		}
		if err := ms.AddCard(context.Background(), v.ms.co.Session(), chosen, app.MemberCard{Token: token, Label: label}); err != nil {
			v.problem.SetText(errorMessage(err))
			return
		}
		v.refreshChosen()
		return
	}
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.found, v.chosen = []app.Member{m}, 0
	v.problem.SetText("")
	v.show()
}

// swipe takes a member card swiped on a keyboard-mode reader (app.InputCard): only its keyed hash and
// masked number come this far.
func (ms *memberScreen) swipe(in app.Input) {
	if in.Err != nil {
		ms.sale.say(errorMessage(in.Err), widget.WarningImportance)
		return
	}
	ms.card(in.Card.Token, in.Card.Label)
}

// card takes a member card tapped on the card reader, or swiped: while the member dialog is open it goes
// there; otherwise its member is put on the sale.
func (ms *memberScreen) card(token, label string) {
	if v := ms.view; v != nil && ms.sh.showing(v.dialog) {
		v.card(token, label)
		return
	}
	m, err := ms.members.MemberByCard(context.Background(), token)
	ms.putOnSale(m, err)
}

// scanned puts the member whose barcode card was scanned on the sale.
func (ms *memberScreen) scanned(number string) {
	m, err := ms.members.MemberByNumber(context.Background(), number)
	ms.putOnSale(m, err)
}

// putOnSale puts m, found or not (err), on the sale.
func (ms *memberScreen) putOnSale(m app.Member, err error) {
	if err == nil {
		err = ms.co.SetMember(m)
	}
	if err != nil {
		ms.sale.fail(err)
		return
	}
	ms.sale.showMember()
}
