package app

import (
	"context"
	"fmt"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// MemberDesk is what the till does for members: finds them, keeps their details and cards, tops up their
// prepaid balance, sets and unlocks the PINs that guard their accounts (AccountPINs), and pays a sale
// from the account. Every change takes the *Session of whoever makes it: with nobody signed in nothing
// changes, a top-up names its cashier, and unlocking a PIN needs PermUnlockPIN. The store journals what
// it journals for members: top-ups, PINs set, removed, locked and unlocked.
type MemberDesk struct {
	members  Members
	pins     *AccountPINs
	settings Settings
	now      func() time.Time
}

var _ MemberService = (*MemberDesk)(nil)

// NewMemberDesk returns the member use cases of a till with settings s over members, whose account PINs
// pins hashes and locks. now is the clock.
func NewMemberDesk(s Settings, members Members, pins *PINs, now func() time.Time) *MemberDesk {
	return &MemberDesk{members: members, pins: NewAccountPINs(members, pins, now), settings: s, now: now}
}

// FindMembers finds members by phone (any part of it), name or number.
func (d *MemberDesk) FindMembers(ctx context.Context, query string, limit int) ([]Member, error) {
	return d.members.FindMembers(ctx, query, limit)
}

// MemberByNumber finds a member by the number on their barcode card.
func (d *MemberDesk) MemberByNumber(ctx context.Context, number string) (Member, error) {
	return d.members.MemberByNumber(ctx, number)
}

// MemberByCard finds the member a tapped or swiped card belongs to.
func (d *MemberDesk) MemberByCard(ctx context.Context, token string) (Member, error) {
	return d.members.MemberByCard(ctx, token)
}

// SaveMember adds m (ID 0) or changes their details, checked by CheckMember, and returns them as stored.
func (d *MemberDesk) SaveMember(ctx context.Context, s *Session, m Member) (Member, error) {
	if err := s.signedIn(); err != nil {
		return Member{}, err
	}
	m, err := CheckMember(m)
	if err != nil {
		return Member{}, err
	}
	if d.settings.ConsentSigned(m) && m.Consent.Empty() {
		return Member{}, fmt.Errorf("%w: the new member's consent", ErrUnsigned)
	}
	if err := m.Consent.Validate(); err != nil && !m.Consent.Empty() {
		return Member{}, err
	}
	return d.members.SaveMember(ctx, m, d.now())
}

// AddCard gives m a card; a card another member has is ErrCardInUse.
func (d *MemberDesk) AddCard(ctx context.Context, s *Session, m Member, card MemberCard) error {
	if err := s.signedIn(); err != nil {
		return err
	}
	if m.ID == 0 {
		return ErrNoMember
	}
	return d.members.AddCard(ctx, m.ID, card, d.now())
}

// BlockCards blocks every card of m that is not blocked yet: a lost card then finds nobody.
func (d *MemberDesk) BlockCards(ctx context.Context, s *Session, m Member) error {
	if err := s.signedIn(); err != nil {
		return err
	}
	for _, c := range m.Cards {
		if c.Blocked {
			continue
		}
		if err := d.members.BlockCard(ctx, c.Token, d.now()); err != nil {
			return err
		}
	}
	return nil
}

// TopUp adds amount to m's prepaid balance (with the shop's bonus), paid by paidBy: cash, a card (its
// approval code and last four digits) or the shop's QR code (its reference). It is stored with its ledger
// rows, journal entry and outbox row in the name of the session's user, and returned with its receipt
// number and the balance after it.
func (d *MemberDesk) TopUp(ctx context.Context, s *Session, m Member, amount money.Amount, paidBy Tender, sig signature.Signature) (*TopUp, error) {
	if err := s.signedIn(); err != nil {
		return nil, err
	}
	if d.settings.TopUpSigned(amount) && sig.Empty() {
		return nil, fmt.Errorf("%w: a top-up of %s", ErrUnsigned, amount)
	}
	if err := sig.Validate(); err != nil && !sig.Empty() {
		return nil, err
	}
	t, err := NewTopUp(d.settings, m, amount, paidBy, s.Name(), d.now())
	if err != nil {
		return nil, err
	}
	t.Signature = sig
	if err := d.members.CommitTopUp(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// SetPIN sets the PIN that paying from m's account asks for, or with "" removes it (AccountPINs.Set).
func (d *MemberDesk) SetPIN(ctx context.Context, s *Session, m Member, pin string) error {
	return d.pins.Set(ctx, s, m, pin)
}

// UnlockPIN lifts the lock wrong PINs put on m's account; it needs PermUnlockPIN (AccountPINs.Unlock).
func (d *MemberDesk) UnlockPIN(ctx context.Context, s *Session, m Member) error {
	return d.pins.Unlock(ctx, s, m)
}

// EnterPIN checks the PIN of the member on co's sale, typed by the customer (AccountPINs.Enter).
func (d *MemberDesk) EnterPIN(ctx context.Context, co *Checkout, pin string) error {
	return d.pins.Enter(ctx, co, pin)
}

// PayFromAccount pays from the account of the member on co's sale. TenderPrepaid pays amount from their
// prepaid balance or, when amount is nil, as much of what is due as the balance covers; TenderPoints pays
// with as many of their points as what is due needs. Without their PIN, when they have one, it is
// ErrPINRequired (EnterPIN first). An account another till used moments ago waits for a supervisor (the
// guard's shared-account rule: a *PermissionError).
func (d *MemberDesk) PayFromAccount(ctx context.Context, co *Checkout, kind TenderKind, amount *money.Amount) (Tender, error) {
	if err := co.guardAccount(ctx); err != nil {
		return Tender{}, err
	}
	balance, points := co.AccountLeft()
	if kind == TenderPoints {
		return co.RedeemPoints(points)
	}
	pay := co.Due()
	switch {
	case amount != nil:
		pay = *amount
	case balance.Cmp(pay) < 0:
		pay = balance
	}
	return co.PayPrepaid(pay)
}
