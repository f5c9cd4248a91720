package app

import (
	"context"
	"fmt"
	"time"
)

// AccountPINs guards paying from members' accounts with their PINs.
type AccountPINs struct {
	members Members
	pins    *PINs
	now     func() time.Time
}

// NewAccountPINs returns the account PIN use cases over members, whose PINs pins hashes. now is the clock.
func NewAccountPINs(members Members, pins *PINs, now func() time.Time) *AccountPINs {
	return &AccountPINs{members: members, pins: pins, now: now}
}

// maxPINTries is how many wrong PINs a sale allows before the member's account cannot pay it.
const maxPINTries = 3

// Enter checks the PIN of the member on co's sale: the right one lets their account pay that sale.
func (a *AccountPINs) Enter(_ context.Context, co *Checkout, pin string) error {
	switch {
	case co.member == nil:
		return ErrNoMember
	case co.pinTries >= maxPINTries:
		return ErrPINLocked
	case !co.NeedsPIN():
		return nil
	}
	if ok, _ := a.pins.match(co.member.PINHash, pin); !ok {
		co.pinTries++
		if co.pinTries >= maxPINTries {
			return ErrPINLocked
		}
		return fmt.Errorf("%w: %d tries left", ErrWrongPIN, maxPINTries-co.pinTries)
	}
	co.pinOK = true
	return nil
}

// Set sets the PIN that paying from m's account asks for, or with "" removes it.
func (a *AccountPINs) Set(ctx context.Context, m Member, pin string) error {
	hash := ""
	if pin != "" {
		var err error
		if hash, err = a.pins.Hash(pin); err != nil {
			return err
		}
	}
	return a.members.SetPIN(ctx, m.ID, hash, a.now())
}
