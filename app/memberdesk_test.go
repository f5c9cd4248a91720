package app

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"checkout/app/money"
)

// memberBook is Members over a map, recording what was asked of it: the store's own is tested in store/.
type memberBook struct {
	members map[string]Member // by number
	topUps  []*TopUp
	blocked []string
	pins    []string // "number by" of each PIN set or unlocked
}

func newMemberBook(ms ...Member) *memberBook {
	b := &memberBook{members: map[string]Member{}}
	for _, m := range ms {
		b.members[m.Number] = m
	}
	return b
}

func (b *memberBook) MemberByCard(_ context.Context, token string) (Member, error) {
	for _, m := range b.members {
		for _, c := range m.Cards {
			if c.Token == token {
				return m, nil
			}
		}
	}
	return Member{}, ErrUnknownMember
}

func (b *memberBook) MemberByNumber(_ context.Context, number string) (Member, error) {
	if m, ok := b.members[number]; ok {
		return m, nil
	}
	return Member{}, ErrUnknownMember
}

func (b *memberBook) FindMembers(context.Context, string, int) ([]Member, error) { return nil, nil }

func (b *memberBook) SaveMember(_ context.Context, m Member, _ time.Time) (Member, error) {
	if m.ID == 0 {
		m.ID = int64(len(b.members) + 1)
		m.Number = fmt.Sprintf("M%06d", m.ID)
	}
	b.members[m.Number] = m
	return m, nil
}

func (b *memberBook) AddCard(_ context.Context, id int64, card MemberCard, _ time.Time) error {
	for n, m := range b.members {
		if m.ID == id {
			m.Cards = append(m.Cards, card)
			b.members[n] = m
			return nil
		}
	}
	return ErrUnknownMember
}

func (b *memberBook) BlockCard(_ context.Context, token string, _ time.Time) error {
	b.blocked = append(b.blocked, token)
	return nil
}

func (b *memberBook) SetPIN(_ context.Context, id int64, hash, by string, _ time.Time) error {
	for n, m := range b.members {
		if m.ID == id {
			m.PINHash = hash
			b.members[n] = m
			b.pins = append(b.pins, n+" "+by)
		}
	}
	return nil
}

func (b *memberBook) RecordMemberPINs(context.Context, Member, string, time.Time) error { return nil }

func (b *memberBook) UnlockPIN(_ context.Context, id int64, by, approver string, _ time.Time) error {
	b.pins = append(b.pins, fmt.Sprintf("unlock %d %s %s", id, by, approver))
	return nil
}

func (b *memberBook) CommitTopUp(_ context.Context, t *TopUp) error {
	t.Receipt, t.Balance = TopUpNo(t.Till, int64(len(b.topUps)+1)), t.Member.Balance.Add(t.Amount).Add(t.Bonus)
	b.topUps = append(b.topUps, t)
	return nil
}

var wangFang = Member{ID: 7, Number: "M000007", Name: "Wang Fang", Balance: cny(2000), Points: 500,
	Cards: []MemberCard{{Token: "card-1", Label: "0411"}, {Token: "card-2", Label: "0412", Blocked: true}}}

func newTestDesk(t *testing.T, book *memberBook) *MemberDesk {
	t.Helper()
	return NewMemberDesk(DefaultSettings(), book, pinsWith(t, 3), func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
}

// With nobody signed in the member desk changes nothing; a cashier keeps members and takes top-ups in
// their own name, but unlocking a member's PIN needs a supervisor.
func TestMemberDeskChecksTheSession(t *testing.T) {
	ctx := context.Background()
	book := newMemberBook(wangFang)
	d := newTestDesk(t, book)
	li := &Session{user: User{Name: "Li", Role: RoleCashier, Active: true}}
	for name, err := range map[string]error{
		"save":  func() error { _, err := d.SaveMember(ctx, nil, Member{Name: "Li Lei"}); return err }(),
		"card":  d.AddCard(ctx, nil, wangFang, MemberCard{Token: "card-3"}),
		"block": d.BlockCards(ctx, nil, wangFang),
		"top up": func() error {
			_, err := d.TopUp(ctx, nil, wangFang, cny(5000), Tender{Kind: TenderCash}, nil)
			return err
		}(),
		"PIN": d.SetPIN(ctx, nil, wangFang, "2468"),
	} {
		if !errors.Is(err, ErrNotSignedIn) {
			t.Errorf("%s with nobody signed in: %v", name, err)
		}
	}
	if len(book.members) != 1 || len(book.blocked)+len(book.topUps)+len(book.pins) != 0 || len(book.members["M000007"].Cards) != 2 {
		t.Fatalf("nobody signed in changed %+v", book)
	}

	tu, err := d.TopUp(ctx, li, wangFang, cny(5000), Tender{Kind: TenderCash, Tendered: cny(10000)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tu.User != "Li" || tu.Receipt != "T01-P000001" || tu.PaidBy.Change != cny(5000) || tu.Balance != cny(7000) {
		t.Errorf("top-up %+v", tu)
	}
	if err := d.BlockCards(ctx, li, wangFang); err != nil || len(book.blocked) != 1 || book.blocked[0] != "card-1" {
		t.Errorf("blocked %v, %v: only the card not blocked yet", book.blocked, err)
	}
	var pe *PermissionError
	if err := d.UnlockPIN(ctx, li, wangFang); !errors.As(err, &pe) || pe.Permission != PermUnlockPIN {
		t.Errorf("a cashier unlocked a PIN: %v", err)
	}
	wang := &Session{user: User{Name: "Wang", Role: RoleSupervisor, Active: true}}
	if err := d.UnlockPIN(ctx, wang, wangFang); err != nil || book.pins[len(book.pins)-1] != "unlock 7 Wang " {
		t.Errorf("a supervisor's unlock: %v, %v", err, book.pins)
	}
}

// Bad input changes nothing: a member without a name, a top-up of nothing or by an unchecked card.
func TestMemberDeskRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	book := newMemberBook(wangFang)
	d := newTestDesk(t, book)
	olivia := SystemSession("Olivia")
	if _, err := d.SaveMember(ctx, olivia, Member{Name: "  ", Phone: "123"}); !errors.Is(err, ErrInvalidMember) {
		t.Errorf("a member without a name: %v", err)
	}
	for _, c := range []struct {
		amount money.Amount
		paid   Tender
		want   error
	}{
		{cny(0), Tender{Kind: TenderCash}, ErrInvalidAmount},
		{cny(5000), Tender{Kind: TenderCard, Approval: "A1", CardLast4: "42"}, ErrInvalidCardDetails},
		{cny(5000), Tender{Kind: TenderPrepaid}, ErrInvalidAmount},
	} {
		if _, err := d.TopUp(ctx, olivia, wangFang, c.amount, c.paid, nil); !errors.Is(err, c.want) {
			t.Errorf("top-up %v by %+v: %v, want %v", c.amount, c.paid, err, c.want)
		}
	}
	if len(book.members) != 1 || len(book.topUps) != 0 {
		t.Errorf("bad input changed %+v", book)
	}
	saved, err := d.SaveMember(ctx, olivia, Member{Name: " Li Lei ", Phone: "138-0000 0000"})
	if err != nil || saved.Name != "Li Lei" || saved.Phone != "13800000000" || saved.Number == "" {
		t.Errorf("saved %+v, %v", saved, err)
	}
}

// Paying from the account: the typed amount, else as much as the balance covers; points as many as the
// due needs; and a member with a PIN pays only once it is entered.
func TestMemberDeskPaysFromTheAccount(t *testing.T) {
	ctx := context.Background()
	book := newMemberBook(wangFang)
	d := newTestDesk(t, book)
	co, _ := newTestCheckout(t, DefaultSettings())
	for range 10 {
		if _, err := co.Scan(ctx, "6900000000014"); err != nil { // cola ¥3.00 × 10
			t.Fatal(err)
		}
	}
	if _, err := d.PayFromAccount(ctx, co, TenderPrepaid, nil); !errors.Is(err, ErrNoMember) {
		t.Fatalf("no member on the sale: %v", err)
	}
	if err := co.SetMember(wangFang); err != nil {
		t.Fatal(err)
	}
	five := cny(500)
	if tn, err := d.PayFromAccount(ctx, co, TenderPrepaid, &five); err != nil || tn.Amount != five {
		t.Fatalf("¥5.00 typed: %+v, %v", tn, err)
	}
	if tn, err := d.PayFromAccount(ctx, co, TenderPrepaid, nil); err != nil || tn.Amount != cny(1500) {
		t.Fatalf("the rest of the balance: %+v, %v", tn, err)
	}
	if tn, err := d.PayFromAccount(ctx, co, TenderPoints, nil); err != nil || tn.Points != 500 || tn.Amount != cny(500) {
		t.Fatalf("points: %+v, %v", tn, err)
	}
	if due := co.Due(); due != cny(500) {
		t.Errorf("due after the account paid: %v", due)
	}

	if err := d.SetPIN(ctx, SystemSession("Olivia"), wangFang, "2468"); err != nil {
		t.Fatal(err)
	}
	co2, _ := newTestCheckout(t, DefaultSettings())
	if _, err := co2.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	withPIN, _ := book.MemberByNumber(ctx, wangFang.Number)
	if err := co2.SetMember(withPIN); err != nil {
		t.Fatal(err)
	}
	if _, err := d.PayFromAccount(ctx, co2, TenderPrepaid, nil); !errors.Is(err, ErrPINRequired) {
		t.Fatalf("without the PIN: %v", err)
	}
	if err := d.EnterPIN(ctx, co2, "2468"); err != nil {
		t.Fatal(err)
	}
	if tn, err := d.PayFromAccount(ctx, co2, TenderPrepaid, nil); err != nil || tn.Amount != cny(300) {
		t.Errorf("after the PIN: %+v, %v", tn, err)
	}
}
