package app

import (
	"context"

	"checkout/app/money"
)

// The services the till's screens call, grouped by what the screens do. The screens (ui/) declare none of
// their own: each takes the group it needs, the composition root hands it the use cases here over the
// store, and a screen's tests hand it a fake.

// MemberService is what the member dialog and paying from an account use; *MemberDesk implements it.
type MemberService interface {
	FindMembers(ctx context.Context, query string, limit int) ([]Member, error)
	MemberByNumber(ctx context.Context, number string) (Member, error)
	MemberByCard(ctx context.Context, token string) (Member, error)
	SaveMember(ctx context.Context, s *Session, m Member) (Member, error)
	AddCard(ctx context.Context, s *Session, m Member, card MemberCard) error
	BlockCards(ctx context.Context, s *Session, m Member) error
	TopUp(ctx context.Context, s *Session, m Member, amount money.Amount, paidBy Tender) (*TopUp, error)
	SetPIN(ctx context.Context, s *Session, m Member, pin string) error
	UnlockPIN(ctx context.Context, s *Session, m Member) error
	EnterPIN(ctx context.Context, co *Checkout, pin string) error
	PayFromAccount(co *Checkout, kind TenderKind, amount *money.Amount) (Tender, error)
}

// ShiftService is what the shift dialogs (and the shift commands) use; *ShiftDesk implements it.
type ShiftService interface {
	CurrentShift(ctx context.Context) (*Shift, error)
	OpenShift(ctx context.Context, s *Session, float money.Amount) (*Shift, error)
	MoveCash(ctx context.Context, s *Session, kind CashMoveKind, amount money.Amount, reason string) (*CashMove, error)
	ReviewClose(ctx context.Context, counts []DenominationCount) (*Shift, error)
	CloseShift(ctx context.Context, s *Session, counts []DenominationCount) (*Shift, error)
}
