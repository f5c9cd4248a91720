package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app/money"
)

// drawerBook is a ShiftBook over one shift in memory, recording who did what: the store's own is tested
// in store/.
type drawerBook struct {
	open  *Shift
	moves []CashMove
	log   []string // "what user" of each change
}

func (b *drawerBook) OpenShift(_ context.Context, at time.Time, user string, float money.Amount) (*Shift, error) {
	if b.open != nil {
		return nil, ErrShiftOpen
	}
	b.open = &Shift{ID: "s1", Till: "T01", Number: 1, User: user, OpenedAt: at, Float: float,
		CashSales: cny(0), CashIn: cny(0), CashOut: cny(0)}
	b.open.Reckon()
	b.log = append(b.log, "open "+user)
	sh := *b.open
	return &sh, nil
}

func (b *drawerBook) CurrentShift(context.Context, time.Time) (*Shift, error) {
	if b.open == nil {
		return nil, ErrNoShift
	}
	sh := *b.open
	return &sh, nil
}

func (b *drawerBook) MoveCash(_ context.Context, at time.Time, user string, kind CashMoveKind, amount money.Amount, reason string) (*CashMove, error) {
	if b.open == nil {
		return nil, ErrNoShift
	}
	m := CashMove{Kind: kind, Amount: amount, Reason: reason, User: user, At: at}
	if kind == CashIn {
		b.open.CashIn = b.open.CashIn.Add(amount)
	} else {
		b.open.CashOut = b.open.CashOut.Add(amount)
	}
	b.open.Reckon()
	b.moves = append(b.moves, m)
	b.log = append(b.log, "cash_"+string(kind)+" "+user)
	return &m, nil
}

func (b *drawerBook) CloseShift(_ context.Context, at time.Time, user string, counts []DenominationCount) (*Shift, error) {
	if b.open == nil {
		return nil, ErrNoShift
	}
	sh := b.open
	sh.ClosedAt, sh.ClosedBy, sh.Counted = at, user, counts
	sh.CountedTotal, _ = CountedTotal(counts, money.CNY)
	sh.Reckon()
	b.open = nil
	b.log = append(b.log, "close "+user)
	return sh, nil
}

func (b *drawerBook) ShiftsClosedBetween(context.Context, time.Time, time.Time) ([]Shift, error) {
	return nil, nil
}

// A shift opens, moves cash and closes in the name of whoever is signed in; with nobody signed in, or
// with bad input, nothing reaches the book.
func TestShiftDesk(t *testing.T) {
	ctx := context.Background()
	book := &drawerBook{}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	d := NewShiftDesk(DefaultSettings(), book, func() time.Time { return at })
	li := &Session{user: User{Name: "Li", Role: RoleCashier, Active: true}}

	if _, err := d.OpenShift(ctx, nil, cny(50000)); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("open with nobody signed in: %v", err)
	}
	if _, err := d.OpenShift(ctx, li, cny(-100)); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("a negative float: %v", err)
	}
	if _, err := d.CurrentShift(ctx); !errors.Is(err, ErrNoShift) {
		t.Errorf("current before opening: %v", err)
	}
	if sh, err := d.OpenShift(ctx, li, cny(50000)); err != nil || sh.User != "Li" || !sh.OpenedAt.Equal(at) {
		t.Fatalf("open: %+v, %v", sh, err)
	}
	for _, c := range []struct {
		s      *Session
		kind   CashMoveKind
		amount money.Amount
		reason string
		want   error
	}{
		{nil, CashIn, cny(1000), "change", ErrNotSignedIn},
		{li, CashIn, cny(0), "change", ErrInvalidAmount},
		{li, CashOut, cny(1000), "", ErrInvalidReason},
		{li, CashOut, cny(1000), OtherReason + "  ", ErrInvalidReason},
		{li, "sideways", cny(1000), "change", ErrInvalidAmount},
	} {
		if _, err := d.MoveCash(ctx, c.s, c.kind, c.amount, c.reason); !errors.Is(err, c.want) {
			t.Errorf("cash %s %v %q: %v, want %v", c.kind, c.amount, c.reason, err, c.want)
		}
	}
	if _, err := d.MoveCash(ctx, li, CashOut, cny(20000), "safe_drop"); err != nil {
		t.Fatal(err)
	}
	counts := []DenominationCount{{Minor: 10000, Count: 2}, {Minor: 5000, Count: 1}, {Minor: 100, Count: 3}}
	for _, bad := range [][]DenominationCount{{{Minor: 2500, Count: 1}}, {{Minor: 100, Count: -1}}} {
		if _, err := d.ReviewClose(ctx, bad); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("review %v: %v", bad, err)
		}
		if _, err := d.CloseShift(ctx, li, bad); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("close with %v: %v", bad, err)
		}
	}
	review, err := d.ReviewClose(ctx, counts)
	if err != nil || review.Expected != cny(30000) || review.CountedTotal != cny(25300) || review.OverShort != cny(-4700) {
		t.Fatalf("review: %+v, %v", review, err)
	}
	if _, err := d.CurrentShift(ctx); err != nil {
		t.Fatalf("the review closed the shift: %v", err)
	}
	if _, err := d.CloseShift(ctx, nil, counts); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("close with nobody signed in: %v", err)
	}
	closed, err := d.CloseShift(ctx, li, counts)
	if err != nil || closed.ClosedBy != "Li" || closed.OverShort != review.OverShort {
		t.Fatalf("close: %+v, %v", closed, err)
	}
	if got := len(book.log); got != 3 || book.log[0] != "open Li" || book.log[1] != "cash_out Li" || book.log[2] != "close Li" {
		t.Errorf("the book was asked %v", book.log)
	}
}
