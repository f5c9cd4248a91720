package app

import (
	"context"
	"time"
)

// AccountPINs guards paying from members' accounts with their PINs. Wrong PINs count against the member,
// not the sale, by the same rule as staff PINs (PINs.check): the shop's pin_tries in a row lock the account
// for pin_lock_minutes, stored and journaled, so another member on the sale, a new sale or a restart of
// the till changes nothing; a supervisor may unlock it sooner.
type AccountPINs struct {
	members Members
	pins    *PINs
	now     func() time.Time
}

// NewAccountPINs returns the account PIN use cases over members, whose PINs pins hashes and locks. now is
// the clock.
func NewAccountPINs(members Members, pins *PINs, now func() time.Time) *AccountPINs {
	return &AccountPINs{members: members, pins: pins, now: now}
}

// Enter checks the PIN of the member on co's sale; the right one lets their account pay that sale. The
// member's PIN and lock are read afresh: the store's, not as they were when the member was put on the sale.
func (a *AccountPINs) Enter(ctx context.Context, co *Checkout, pin string) error {
	if co.member == nil {
		return ErrNoMember
	}
	if !co.NeedsPIN() {
		return nil
	}
	m, err := a.members.MemberByNumber(ctx, co.member.Number)
	if err != nil {
		return err
	}
	if m.PINHash != "" { // "": the PIN was removed meanwhile
		now := a.now()
		err = a.pins.check(&m.PINHash, &m.PINLock, pin, now, ErrPINLocked, func(checked string) error {
			return a.members.RecordMemberPINs(ctx, m, checked, now)
		})
	}
	co.pinOK = err == nil
	return err
}

// Set sets the PIN that paying from m's account asks for, or with "" removes it, journaled with who did
// it. While wrong PINs lock the account its PIN cannot change or go: that would undo the lock.
func (a *AccountPINs) Set(ctx context.Context, s *Session, m Member, pin string) error {
	if s == nil {
		return ErrNotSignedIn
	}
	m, err := a.members.MemberByNumber(ctx, m.Number)
	if err != nil {
		return err
	}
	now := a.now()
	if m.Locked(now) {
		return &LockedError{Until: m.LockedUntil, Of: ErrPINLocked}
	}
	hash := ""
	if pin != "" {
		if hash, err = a.pins.Hash(pin); err != nil {
			return err
		}
	}
	return a.members.SetPIN(ctx, m.ID, hash, s.Name(), now)
}

// Unlock lifts the lock wrong PINs put on m's account before its time. It needs PermUnlockPIN: a cashier
// asks a supervisor, and the journal names both.
func (a *AccountPINs) Unlock(ctx context.Context, s *Session, m Member) error {
	approver, err := s.Allow(PermUnlockPIN)
	if err != nil {
		return err
	}
	return a.members.UnlockPIN(ctx, m.ID, s.Name(), approver, a.now())
}
