package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/signature"
)

// memberDesk is an app.MemberService over a few members, recording the changes asked of it.
type memberDesk struct {
	members []app.Member
	asked   []string // "what member by"
}

func (d *memberDesk) find(match func(app.Member) bool) (app.Member, error) {
	for _, m := range d.members {
		if match(m) {
			return m, nil
		}
	}
	return app.Member{}, app.ErrUnknownMember
}

func (d *memberDesk) FindMembers(_ context.Context, query string, _ int) ([]app.Member, error) {
	m, err := d.find(func(m app.Member) bool { return m.Phone == query || m.Name == query })
	if err != nil {
		return nil, nil
	}
	return []app.Member{m}, nil
}

func (d *memberDesk) MemberByNumber(_ context.Context, number string) (app.Member, error) {
	return d.find(func(m app.Member) bool { return m.Number == number })
}

func (d *memberDesk) MemberByCard(_ context.Context, token string) (app.Member, error) {
	return d.find(func(m app.Member) bool {
		for _, c := range m.Cards {
			if c.Token == token {
				return true
			}
		}
		return false
	})
}

func (d *memberDesk) SaveMember(_ context.Context, s *app.Session, m app.Member) (app.Member, error) {
	m.ID, m.Number = int64(len(d.members)+1), "M00000"+string(rune('0'+len(d.members)+1))
	d.members = append(d.members, m)
	d.asked = append(d.asked, "save "+m.Name+" "+s.Name())
	return m, nil
}

func (d *memberDesk) AddCard(_ context.Context, s *app.Session, m app.Member, card app.MemberCard) error {
	for i := range d.members {
		if d.members[i].ID == m.ID {
			d.members[i].Cards = append(d.members[i].Cards, card)
		}
	}
	d.asked = append(d.asked, "card "+m.Number+" "+s.Name())
	return nil
}

func (d *memberDesk) BlockCards(_ context.Context, s *app.Session, m app.Member) error {
	d.asked = append(d.asked, "block "+m.Number+" "+s.Name())
	return nil
}

func (d *memberDesk) TopUp(_ context.Context, s *app.Session, m app.Member, amount money.Amount, paidBy app.Tender, _ signature.Signature) (*app.TopUp, error) {
	d.asked = append(d.asked, "top up "+m.Number+" "+amount.Decimal()+" "+string(paidBy.Kind)+" "+s.Name())
	return &app.TopUp{Member: m, Amount: amount, Bonus: cny(0), Receipt: "T01-P000001", Balance: cny(m.Balance.Minor()).Add(amount)}, nil
}

func (d *memberDesk) SetPIN(context.Context, *app.Session, app.Member, string) error { return nil }
func (d *memberDesk) UnlockPIN(context.Context, *app.Session, app.Member) error      { return nil }
func (d *memberDesk) EnterPIN(context.Context, *app.Checkout, string) error          { return nil }
func (d *memberDesk) PayFromAccount(context.Context, *app.Checkout, app.TenderKind, *money.Amount) (app.Tender, error) {
	return app.Tender{}, nil
}

var wang = app.Member{ID: 7, Number: "M000007", Name: "Wang Fang", Phone: "13800000000", Balance: cny(2000), Points: 120,
	Cards: []app.MemberCard{{Token: "tok-1", Label: "0411"}}}

func newMemberScreen(h *harness, desk *memberDesk) *memberScreen {
	return &memberScreen{sh: h.sh, co: h.co, sale: h.sale, display: newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings()),
		members: desk, input: app.NewClassifier(h.co.Settings(), nil), language: "en", now: h.opt.Now}
}

// A card tapped at the sale screen puts its member on the sale; with the member dialog open it finds
// them there instead, and a card nobody has goes to the member shown.
func TestMemberCardsGoToTheSaleOrTheDialog(t *testing.T) {
	h := newHarness(t)
	desk := &memberDesk{members: []app.Member{wang}}
	ms := newMemberScreen(h, desk)

	ms.card("tok-unknown", "0999")
	if len(h.sale.failed) != 1 || app.ErrorCode(h.sale.failed[0]) != app.ErrUnknownMember.Code {
		t.Fatalf("an unknown card at the sale screen: %v", h.sale.failed)
	}
	ms.card("tok-1", "0411")
	if m, ok := h.co.Member(); !ok || m.Number != wang.Number || h.sale.members != 1 {
		t.Fatalf("the tapped card's member on the sale: %+v %v", m, ok)
	}

	ms.open()
	h.mustShow("Wang Fang · M000007 · 120 points · prepaid ¥20.00")
	ms.card("tok-new", "0412")
	if len(desk.asked) != 1 || desk.asked[0] != "card M000007 Olivia" {
		t.Fatalf("a new card tapped with the dialog open: %v", desk.asked)
	}
	h.press(fyne.KeyF4)
	if desk.asked[len(desk.asked)-1] != "block M000007 Olivia" {
		t.Errorf("F4 asked %v", desk.asked)
	}
}

// A new member is saved through the service in the signed-in user's name, then topped up in cash.
func TestMemberDialogAddsAndTopsUp(t *testing.T) {
	h := newHarness(t)
	desk := &memberDesk{}
	ms := newMemberScreen(h, desk)
	ms.open()
	h.press(fyne.KeyF2)
	h.mustShow("New member")
	h.mustShow("F12: save · Enter: next field · Esc: back")
	h.typeIn("Li Lei")
	h.press(fyne.KeyReturn) // to the phone
	h.typeIn("13900000000")
	h.press(fyne.KeyF12) // saved from the phone field: one key

	if len(desk.asked) != 1 || desk.asked[0] != "save Li Lei Olivia" {
		t.Fatalf("saving asked %v", desk.asked)
	}
	h.mustShow("Added. Tap or swipe a card now to give it to them.")
	test.Tap(findButtonIn(t, h.win.Canvas().Overlays().Top(), "Top up in cash (F3)")) // by touch, as F3
	h.mustShow("Top up in cash")
	h.typeIn("100")
	h.press(fyne.KeyReturn)
	h.mustShow("Top up ¥100.00 in cash (bonus ¥0.00)? Enter again to take it.")
	if len(desk.asked) != 1 {
		t.Fatalf("a cash top-up was taken before it was confirmed: %v", desk.asked)
	}
	h.press(fyne.KeyReturn)
	if desk.asked[1] != "top up M000001 100.00 cash Olivia" {
		t.Fatalf("topping up asked %v", desk.asked)
	}
	if h.sale.last() != "Topped up ¥100.00 (bonus ¥0.00) · receipt T01-P000001 · balance ¥100.00" {
		t.Errorf("the sale screen says %q", h.sale.last())
	}
	h.press(fyne.KeyF8)
	h.mustShow("No payment QR code is set up.") // the zero app.Payments has none
}

// findButtonIn finds the button labelled text under root.
func findButtonIn(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
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
	walk(root)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}
