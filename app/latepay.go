package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"checkout/app/money"
)

// WatchedPayment is a merchant-presented order the till gave up on, watched in case the shopper pays it
// after all.
type WatchedPayment struct {
	Reference string
	Amount    money.Amount
	At        time.Time // when the till gave up on it
	Until     time.Time // when it stops being asked about
}

// LatePayments keeps the watched orders (the store, so a restart keeps watching).
type LatePayments interface {
	WatchPayment(ctx context.Context, p WatchedPayment) error
	WatchedPayments(ctx context.Context) ([]WatchedPayment, error)
	// EndWatch stops watching reference; a refund is journaled as the money-changing act it is.
	EndWatch(ctx context.Context, reference string, outcome LateOutcome, at time.Time) error
}

// LateOutcome is how a watched order ended.
type LateOutcome string

const (
	LateRefunded LateOutcome = "refunded" // paid after the till gave up: reversed, the money back to the shopper
	LateClosed   LateOutcome = "closed"   // the provider closed it unpaid
	LateExpired  LateOutcome = "expired"  // never paid in the watch time
)

// LateWatch is how long an abandoned order is watched: Alipay keeps an unscanned precreated code payable
// for up to two hours.
const LateWatch = 2*time.Hour + 15*time.Minute

// Abandon puts reference under watch: the till gave up on it, so if it is paid after all it is reversed.
// With no book the order is not watched (tests, tills without a store).
func (p Payments) Abandon(ctx context.Context, reference string, amount money.Amount, at time.Time) error {
	if p.Late == nil {
		return nil
	}
	return p.Late.WatchPayment(ctx, WatchedPayment{Reference: reference, Amount: amount, At: at, Until: at.Add(LateWatch)})
}

// SweepLatePayments asks the provider about each watched order: one paid after all is reversed (the
// shopper gets the money back; no sale holds it) and returned; one closed stops being watched, and one
// past its watch is cancelled once more before it stops. A provider that does not answer is asked again at the next sweep.
func SweepLatePayments(ctx context.Context, gw PaymentGateway, book LatePayments, now time.Time) ([]WatchedPayment, error) {
	watched, err := book.WatchedPayments(ctx)
	if err != nil || gw == nil {
		return nil, err
	}
	var refunded []WatchedPayment
	var errs []error
	for _, w := range watched {
		res, err := gw.Query(ctx, w.Reference)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("payment %s: %w", w.Reference, err))
			continue
		case res.Status == PaymentPaid:
			if err := gw.Reverse(ctx, w.Reference); err != nil {
				errs = append(errs, fmt.Errorf("reverse late payment %s: %w", w.Reference, err))
				continue
			}
			if err := book.EndWatch(ctx, w.Reference, LateRefunded, now); err != nil {
				errs = append(errs, err)
				continue
			}
			refunded = append(refunded, w)
			continue
		case res.Status == PaymentDeclined:
			err = book.EndWatch(ctx, w.Reference, LateClosed, now)
		case !now.Before(w.Until):
			// Cancelled once more before the watch ends: a code still payable must not be paid unseen.
			if err = gw.Reverse(ctx, w.Reference); err == nil {
				err = book.EndWatch(ctx, w.Reference, LateExpired, now)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return refunded, errors.Join(errs...)
}
