package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/app/money"
	"checkout/store"
)

// newMember adds a member with a prepaid balance of balance fen, topped up in cash.
func newMember(t *testing.T, st *store.Store, name string, balance int64) app.Member {
	t.Helper()
	ctx := context.Background()
	m, err := st.SaveMember(ctx, app.Member{Name: name}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if balance > 0 {
		set, _ := st.Settings(ctx)
		tu, err := app.NewTopUp(set, m, cny(balance), app.Tender{Kind: app.TenderCash}, "", time.Now())
		if err == nil {
			err = st.CommitTopUp(ctx, tu)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// withMembers gives the till members (F6) and the key swiped cards are kept under.
func withMembers(s *setup) {
	pins, err := app.NewPINs([]byte(testPepper), app.DefaultSecurity())
	if err != nil {
		panic(err)
	}
	s.svc.Members = app.NewMemberDesk(s.set, s.st, pins, time.Now)
	s.opt.CardKey = []byte("the till's card key")
}

// A new customer joins, tops up ¥100 in cash, gets a card by tapping it, and pays for a can from their
// prepaid balance; the next time, their card tap puts them on the sale and they pay part prepaid, the
// rest in cash.
func TestMemberJoinsTopsUpAndPaysPrepaid(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()

	press(w, fyne.KeyF6)
	mustShow(t, w, "Member")
	press(w, fyne.KeyF2)
	typeIn(w, "Wang Fang")
	press(w, fyne.KeyReturn)
	typeIn(w, "13800138000")
	press(w, fyne.KeyReturn)
	typeIn(w, "gold")
	press(w, fyne.KeyReturn)
	typeIn(w, "1990-02-30")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // no notes
	mustShow(t, w, `Check the member's details: birthday "1990-02-30": YYYY-MM-DD`)
	w.Canvas().Focus(entry(t, w, "Birthday, YYYY-MM-DD"))
	entry(t, w, "Birthday, YYYY-MM-DD").SetText("")
	typeIn(w, "1990-02-28")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Wang Fang · M000001 · 0 points · prepaid ¥0.00 · gold", "Added. Tap or swipe a card now")
	press(w, fyne.KeyF5) // edit: Enter through name, phone, tier and birthday to the notes
	for range 4 {
		press(w, fyne.KeyReturn)
	}
	typeIn(w, "likes jasmine tea")
	press(w, fyne.KeyReturn)
	if m, err := st.MemberByNumber(ctx, "M000001"); err != nil || m.Notes != "likes jasmine tea" || m.Tier != "gold" || m.Birthday != "1990-02-28" {
		t.Fatalf("after editing: %+v, %v", m, err)
	}
	till.CardFromDevice("04A1B2C3D4", "04A1B2C3D4") // the simulated reader's tap
	mustShow(t, w, "Cards: 04A1B2C3D4")
	press(w, fyne.KeyF3)
	typeIn(w, "100")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // yes, ¥100.00 in cash
	mustShow(t, w, "Topped up ¥100.00 (bonus ¥0.00) · receipt T01-P000001 · balance ¥100.00")
	mustShow(t, till.Display().Window(), "Topped up ¥100.00", "Prepaid balance: ¥100.00") // not the last sale or refund
	press(w, fyne.KeyEscape)

	scan(w, "5449000000996") // cola ¥3.00
	till.CardFromDevice("04A1B2C3D4", "04A1B2C3D4")
	mustShow(t, w, "Member: Wang Fang · M000001")
	mustShow(t, till.Display().Window(), "Member · 0 points · prepaid ¥100.00")
	if shows(till.Display().Window(), "Wang") {
		t.Error("the customer display shows the member's name")
	}
	press(w, fyne.KeyF12)
	mustShow(t, w, "Prepaid ¥100.00 (F8)", "Points 0 (F9)", "Wang Fang · Pay code: scan the customer's phone · Esc: back")
	press(w, fyne.KeyF8)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	mustShow(t, till.Display().Window(), "You earned 3 points")
	if shows(w, "Member: Wang Fang") {
		t.Error("the member stayed on the screen after the sale")
	}
	m, err := st.MemberByNumber(ctx, "M000001")
	if err != nil || m.Balance != cny(9700) || m.Points != 3 {
		t.Fatalf("after paying prepaid: %+v, %v", m, err)
	}

	// Next visit: the member card's barcode is scanned; ¥5.00 prepaid, the rest cash.
	scan(w, "6924743915763") // chips ¥6.50
	wedgeScan(w, "M000001")
	mustShow(t, w, "Member: Wang Fang · M000001 · 3 points · prepaid ¥97.00")
	press(w, fyne.KeyF12)
	typeIn(w, "5")
	press(w, fyne.KeyF8)
	mustShow(t, w, "Paid: Prepaid ¥5.00")
	typeIn(w, "2")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.50 · receipt T01-000002")
	sale, err := st.SaleByReceipt(ctx, "T01-000002")
	if err != nil || len(sale.Tenders) != 2 || sale.Tenders[0].Kind != app.TenderPrepaid || sale.Member == nil || sale.Member.PointsEarned != 6 {
		t.Fatalf("stored sale %+v %+v, %v", sale.Tenders, sale.Member, err)
	}
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(9200) || m.Points != 9 {
		t.Errorf("after the second sale: %+v", m)
	}
	if err := st.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
	if _, err := st.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

// A magnetic-stripe member card swiped into the member dialog is given to the member shown; swiped at
// the sale screen later, it puts them on the sale. Only its masked number is shown or kept.
func TestSwipedMemberCard(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()
	m, err := st.SaveMember(ctx, app.Member{Name: "Li Lei", Phone: "13900139000"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const swipe = "%B6280000000000012^LI/LEI^2912101?;6280000000000012=2912101?"
	press(w, fyne.KeyF6)
	typeIn(w, "13900139000")
	mustShow(t, w, "Li Lei · M000001")
	wedgeScan(w, swipe)
	mustShow(t, w, "Cards: 628000******0012")
	press(w, fyne.KeyEscape)
	wedgeScan(w, "%B62800^garbled")
	mustShow(t, w, "The card could not be read. Swipe it again, steadily.")
	wedgeScan(w, swipe)
	mustShow(t, w, "Member: Li Lei · M000001")
	stored, err := st.MemberByNumber(ctx, m.Number)
	if err != nil || len(stored.Cards) != 1 || strings.Contains(stored.Cards[0].Token, "6280000000000012") || stored.Cards[0].Label != "628000******0012" {
		t.Errorf("stored card %+v, %v", stored.Cards, err)
	}
}

// A member sets a PIN; paying from their account then asks for it, and a wrong one asks again.
func TestPrepaidAsksTheMembersPIN(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()
	newMember(t, st, "Li Lei", 5000)
	press(w, fyne.KeyF6)
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF7)
	typeIn(w, "12")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "A PIN is 4 to 6 digits.")
	typeIn(w, "2468")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "PIN set: paying from the account asks for it.")
	press(w, fyne.KeyReturn) // put Li Lei on the sale
	if stored, _ := st.MemberByNumber(ctx, "M000001"); stored.PINHash == "" || strings.Contains(stored.PINHash, "2468") {
		t.Fatalf("stored PIN hash %q", stored.PINHash)
	}

	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF8)
	mustShow(t, w, "Member's PIN", "The customer types their PIN")
	typeIn(w, "1111")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Wrong PIN. Try again.")
	typeIn(w, "2468")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(4700) {
		t.Errorf("balance after paying with the PIN: %v", m.Balance)
	}
}

// A cashier's customer types five wrong PINs: the account locks, the payment dialog says until when and
// that a supervisor can unlock it, and the member dialog shows the lock. F9 there asks the cashier for a
// supervisor, whose PIN lifts it; then the right PIN pays.
func TestWrongMemberPINsLockTheAccount(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()
	m := newMember(t, st, "Li Lei", 5000)
	if err := app.NewAccountPINs(st, testPINs(t), time.Now).Set(ctx, app.SystemSession("Olivia"), m, "2468"); err != nil {
		t.Fatal(err)
	}
	withStaff(t, till, st)
	signInAs(t, w, "Li", "3333")
	scan(w, "5449000000996")
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF8)
	for range 4 {
		typeIn(w, "1111")
		press(w, fyne.KeyReturn)
		mustShow(t, w, "Wrong PIN. Try again.")
	}
	typeIn(w, "1111")
	press(w, fyne.KeyReturn)
	stored, _ := st.MemberByNumber(ctx, "M000001")
	until := stored.LockedUntil.Local().Format("15:04")
	mustShow(t, w, "the account is locked until "+until, "a supervisor can unlock it", "(member dialog, F9)")
	press(w, fyne.KeyEscape)

	press(w, fyne.KeyF6)
	mustShow(t, w, "PIN locked by wrong tries until "+until)
	press(w, fyne.KeyF9)
	mustShow(t, w, "Supervisor approval", "Unlocking a member's PIN needs a supervisor.")
	typeIn(w, "2222")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "PIN unlocked: the account pays again with the right PIN.")
	if shows(w, "PIN locked by wrong tries") {
		t.Error("the member dialog still shows the lock")
	}
	press(w, fyne.KeyEscape)
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF8)
	typeIn(w, "2468")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
}

// A top-up paid by QR shows the shop's code for the amount on the customer display; the second Enter
// takes it as paid.
func TestTopUpByQR(t *testing.T) {
	till, st := newTill(t, withMembers, func(s *setup) {
		s.svc.Payments.QR = func(amount money.Amount, ref string) (string, error) {
			return "QR " + amount.Decimal() + " " + ref, nil
		}
	})
	w := till.Window()
	ctx := context.Background()
	newMember(t, st, "Li Lei", 0)
	press(w, fyne.KeyF6)
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF8)
	typeIn(w, "50")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "The customer scans the code on their display: ¥50.00")
	if got := till.Display().QRPayload; !strings.HasPrefix(got, "QR 50.00 topup-") {
		t.Fatalf("customer display QR %q", got)
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Topped up ¥50.00 (bonus ¥0.00) · receipt T01-P000001 · balance ¥50.00")
	if till.Display().QRPayload != "" {
		t.Error("the QR code stayed on the customer display")
	}
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(5000) {
		t.Errorf("balance %v", m.Balance)
	}
}

// After part of a sale is paid from the balance, the payment dialog offers what is left of it, and F8 with
// nothing typed takes all of that.
func TestPrepaidPaysWhatIsLeftOfTheBalance(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()
	newMember(t, st, "Li Lei", 1000)
	for range 5 {
		scan(w, "5449000000996") // 5 × ¥3.00
	}
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF12)
	typeIn(w, "4")
	press(w, fyne.KeyF8)
	mustShow(t, w, "Prepaid ¥6.00 (F8)")
	press(w, fyne.KeyF8) // the ¥6.00 left of the ¥10.00
	mustShow(t, w, "Paid: Prepaid ¥4.00 · Prepaid ¥6.00")
	typeIn(w, "5")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if m, _ := st.MemberByNumber(ctx, "M000001"); !m.Balance.IsZero() {
		t.Errorf("balance left %v", m.Balance)
	}
}

// A top-up by card needs the terminal's approval code and the card's last four digits.
func TestTopUpByCard(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	newMember(t, st, "Li Lei", 0)
	press(w, fyne.KeyF6)
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF6)
	typeIn(w, "200")
	press(w, fyne.KeyReturn) // on to the card details
	typeIn(w, "A1B2C3 42")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Check the approval code (letters and digits) and the last four digits of the card.")
	entry(t, w, "Card terminal approval code and last four digits, e.g. A1B2C3 4242").SetText("")
	typeIn(w, "a1b2c3 4242")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Topped up ¥200.00 (bonus ¥0.00) · receipt T01-P000001 · balance ¥200.00")
}

// A sale paid from the prepaid balance is refunded back to it (F9 on the refund screen), taking back the
// points it earned.
func TestRefundToThePrepaidBalance(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	ctx := context.Background()
	newMember(t, st, "Li Lei", 1000)
	scan(w, "5449000000996")
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF8)
	mustShow(t, w, "receipt T01-000001")
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(700) || m.Points != 3 {
		t.Fatalf("after the sale: %+v", m)
	}
	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "1")
	press(w, fyne.KeyF9)
	mustShow(t, w, "Refunded ¥3.00 to the member's prepaid balance · T01-R000001")
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(1000) || m.Points != 0 {
		t.Errorf("after the refund: %+v", m)
	}
	if err := st.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
}

// A parked sale comes back with its member, shown on the sale screen as when they were put on it.
func TestParkedSaleResumesWithItsMember(t *testing.T) {
	till, st := newTill(t, withMembers)
	w := till.Window()
	newMember(t, st, "Li Lei", 5000)
	scan(w, "5449000000996")
	press(w, fyne.KeyF6)
	wedgeScan(w, "M000001")
	press(w, fyne.KeyReturn) // put on the sale
	mustShow(t, w, "Member: Li Lei · M000001")
	press(w, fyne.KeyF7) // park
	mustShow(t, w, "Cart parked")
	if shows(w, "Member: Li Lei") {
		t.Fatal("the member stayed on the screen after the sale was parked")
	}
	press(w, fyne.KeyF7)
	press(w, fyne.KeyReturn) // the first parked cart
	mustShow(t, w, "Parked cart resumed.", "Member: Li Lei · M000001", "Coca-Cola 330ml can")
}

// headOffice answers the guard which other tills used a member's account: here T02, two minutes ago.
type headOffice struct{ asked int }

func (h *headOffice) Use(context.Context, string) ([]app.AccountUse, error) {
	h.asked++
	return []app.AccountUse{{Till: "T02", Ago: 2 * time.Minute}}, nil
}

// A cashier's customer pays from an account that till T02 used two minutes ago: the guard stops it and
// says so, a supervisor's PIN lets it pay, and the sale completes paid from the account.
func TestPrepaidFromAnAccountAnotherTillJustUsed(t *testing.T) {
	hq := &headOffice{}
	till, st := newTill(t, withMembers, func(s *setup) { s.guard, s.accountUses = true, hq })
	w := till.Window()
	ctx := context.Background()
	newMember(t, st, "Li Lei", 5000)
	withStaff(t, till, st)
	signInAs(t, w, "Li", "3333")
	scan(w, "5449000000996")
	wedgeScan(w, "M000001")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF8)
	mustShow(t, w, "Supervisor approval", "The guard stopped this: Member M000001's account was used at", "till T02 2 min ago")
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(5000) {
		t.Fatalf("the balance moved before approval: %v", m.Balance)
	}
	typeIn(w, "2222") // Wang, the supervisor offered
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if m, _ := st.MemberByNumber(ctx, "M000001"); m.Balance != cny(4700) {
		t.Errorf("balance after the approved payment: %v", m.Balance)
	}
	from, to := app.DayBounds(time.Now())
	if alarms, err := st.Alarms(ctx, from, to); err != nil || len(alarms) != 1 || alarms[0].Kind != app.AlarmSharedAccount || alarms[0].ApprovedBy == "" {
		t.Errorf("alarms %+v, %v", alarms, err)
	}
}

// The member dialog grows with the form F2 opens below the list and shrinks when it closes: nothing in it
// is squeezed below the height it needs (it used to keep the size it opened at, its buttons spilling out
// below it).
func TestMemberDialogFitsItsForm(t *testing.T) {
	till, _ := newTill(t, withMembers)
	w := till.Window()
	w.Resize(fyne.NewSize(1186, 700))
	press(w, fyne.KeyF6)
	squeezed := func() (n int) {
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			if !o.Visible() {
				return
			}
			if h := o.Size().Height; h > 0 && h+0.5 < o.MinSize().Height { // 0: never laid out, as a dialog's unused title
				t.Logf("%T %v < %v", o, o.Size(), o.MinSize())
				n++
			}
			switch v := o.(type) {
			case *fyne.Container:
				for _, c := range v.Objects {
					walk(c)
				}
			case fyne.Widget:
				for _, c := range test.WidgetRenderer(v).Objects() {
					walk(c)
				}
			}
		}
		walk(w.Canvas().Overlays().Top())
		return n
	}
	if n := squeezed(); n > 0 {
		t.Fatalf("%d things squeezed in the dialog as it opens", n)
	}
	press(w, fyne.KeyF2)
	mustShow(t, w, "New member")
	if n := squeezed(); n > 0 {
		t.Fatalf("with the new member's form open, %d things are squeezed in the dialog", n)
	}
	press(w, fyne.KeyEscape)
	if n := squeezed(); n > 0 {
		t.Fatalf("after the form closed, %d things are squeezed in the dialog", n)
	}
}
