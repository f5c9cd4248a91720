package app

import (
	"context"
	"time"

	"checkout/app/money"
)

// ShiftDesk opens and closes the cashiers' shifts and moves cash in and out of the drawer, for the till's
// screens and its CLI alike. Each change takes the *Session of whoever makes it and is stored in their
// name: with nobody signed in nothing changes. Bad input (a negative float, a cash move without a reason,
// a count that is not the currency's notes and coins) is refused before the store is asked; the store
// journals each opening, cash move and close with its outbox row.
type ShiftDesk struct {
	book     ShiftBook
	currency money.Currency // what the drawer is counted in
	now      func() time.Time
}

var _ ShiftService = (*ShiftDesk)(nil)

// NewShiftDesk returns the shift use cases of a till with settings s over book. now is the clock.
func NewShiftDesk(s Settings, book ShiftBook, now func() time.Time) *ShiftDesk {
	return &ShiftDesk{book: book, currency: s.Currency, now: now}
}

// CurrentShift returns the open shift with what its drawer should hold now; ErrNoShift if none is open.
func (d *ShiftDesk) CurrentShift(ctx context.Context) (*Shift, error) {
	return d.book.CurrentShift(ctx, d.now())
}

// OpenShift opens the till's next shift with float in the drawer; ErrShiftOpen if one is open.
func (d *ShiftDesk) OpenShift(ctx context.Context, s *Session, float money.Amount) (*Shift, error) {
	if err := s.signedIn(); err != nil {
		return nil, err
	}
	if err := CheckFloat(float); err != nil {
		return nil, err
	}
	return d.book.OpenShift(ctx, d.now(), s.Name(), float)
}

// MoveCash puts amount into the open shift's drawer (CashIn) or takes it out (CashOut), for reason: one
// of CashReasons or OtherReason and the cashier's words.
func (d *ShiftDesk) MoveCash(ctx context.Context, s *Session, kind CashMoveKind, amount money.Amount, reason string) (*CashMove, error) {
	if err := s.signedIn(); err != nil {
		return nil, err
	}
	if err := (CashMove{Kind: kind, Amount: amount, Reason: reason}).Check(); err != nil {
		return nil, err
	}
	return d.book.MoveCash(ctx, d.now(), s.Name(), kind, amount, reason)
}

// ReviewClose returns the open shift as closing it with counts would store it, its over/short reckoned,
// and stores nothing: what the cashier confirms before CloseShift.
func (d *ShiftDesk) ReviewClose(ctx context.Context, counts []DenominationCount) (*Shift, error) {
	sh, err := d.CurrentShift(ctx)
	if err != nil {
		return nil, err
	}
	total, err := CountedTotal(counts, d.currency)
	if err != nil {
		return nil, err
	}
	sh.ClosedAt, sh.Counted, sh.CountedTotal = d.now(), counts, total
	sh.Reckon()
	return sh, nil
}

// CloseShift closes the open shift with its drawer counted, and returns it with its over/short.
func (d *ShiftDesk) CloseShift(ctx context.Context, s *Session, counts []DenominationCount) (*Shift, error) {
	if err := s.signedIn(); err != nil {
		return nil, err
	}
	if _, err := CountedTotal(counts, d.currency); err != nil {
		return nil, err
	}
	return d.book.CloseShift(ctx, d.now(), s.Name(), counts)
}
