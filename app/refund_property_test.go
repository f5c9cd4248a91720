package app

import (
	"context"
	"errors"

	"checkout/app/money"
)

// The refund half of TestCheckoutMoneyProperties (checkout_property_test.go): a completed random sale
// refunded in random parts to random tenders.

// refundFails is a provider that does not confirm refunds.
type refundFails struct{}

func (refundFails) Refund(context.Context, RefundRequest) error { return errors.New("timeout") }

// refundsOK is a provider that confirms every refund.
type refundsOK struct{}

func (refundsOK) Refund(context.Context, RefundRequest) error { return nil }

// refund gives back random parts of the sale to random tenders it was paid with, until it is all
// refunded or the case tires. No refund gives back more than is left of what was paid, or to a tender
// more than it took; cash goes back in whole steps; refunding every line gives back what was paid.
func (pc *propertyCase) refund(sale *Sale, stats *propertyStats) {
	c, r := pc.c, pc.set.CashRounding
	ctx := context.Background()
	var earlier []Refund
	given := money.Zero(money.CNY)
	for attempt := 0; attempt < 6; attempt++ {
		refundable := RefundableOf(sale, earlier)
		var picks []RefundPick
		for _, l := range refundable.Lines {
			if l.Qty <= 0 || pc.rng.IntN(3) == 0 {
				continue
			}
			qty := l.Qty
			if pc.rng.IntN(3) == 0 {
				unit := Quantity(1)
				if l.Line.Product.Unit == UnitPiece {
					unit = Pieces(1)
				}
				qty = unit * (1 + Quantity(pc.rng.Int64N(int64(l.Qty/unit))))
			}
			picks = append(picks, RefundPick{LineNo: l.LineNo, Qty: qty})
		}
		if len(picks) == 0 {
			if allRefunded(refundable) {
				break
			}
			continue
		}
		kinds := []TenderKind{TenderCash}
		for _, t := range sale.Tenders {
			if t.Kind == TenderCard || t.Kind == TenderWallet || t.Kind == TenderPrepaid {
				kinds = append(kinds, t.Kind)
			}
		}
		to := RefundTo{Kind: kinds[pc.rng.IntN(len(kinds))], Approval: "R1", Refunder: refundsOK{}}
		failing := to.Kind == TenderWallet && pc.rng.IntN(5) == 0
		if failing {
			to.Refunder = refundFails{}
		}
		lines, owed, err := refundable.Pick(picks)
		if err != nil {
			pc.fail("picks %+v: %v", picks, err)
		}
		value := valueOf(lines, sale.Currency)
		stored := len(pc.log.refunds)
		ref, err := c.RefundSale(ctx, sale, earlier, picks, to, "")
		pc.did("refund %+v (value %v, owed %v) to %s: %+v %v", picks, value, owed, to.Kind, refTender(ref), err)
		tookBefore, gaveBefore := tenderTotal(sale.Tenders, to.Kind), refundTotal(earlier, to.Kind)
		switch {
		case value.IsZero():
			if !errors.Is(err, ErrInvalidAmount) {
				pc.fail("a refund of free lines: %v", err)
			}
			continue
		case to.Kind != TenderCash && firstTender(sale, to.Kind).Sub(gaveBefore).Cmp(value) < 0:
			if !errors.Is(err, ErrRefundTooLarge) {
				pc.fail("a refund of %v to a %s with %v left of %v: %v", value, to.Kind, firstTender(sale, to.Kind).Sub(gaveBefore), tookBefore, err)
			}
			continue
		case failing:
			if !errors.Is(err, ErrRefundFailed) || len(pc.log.refunds) != stored {
				pc.fail("a refund the provider did not confirm: %v, %d stored", err, len(pc.log.refunds)-stored)
			}
			continue
		case err != nil:
			pc.fail("refund refused: %v", err)
		}
		back := ref.Tender.Amount
		switch {
		case back.IsNegative() || ref.Rounding != back.Sub(ref.Total) || ref.Total != value:
			pc.fail("refund %+v of value %v", ref, value)
		case to.Kind != TenderCash && back.Cmp(firstTender(sale, to.Kind).Sub(gaveBefore)) > 0:
			pc.fail("gave back %v to a %s that took %v", back, to.Kind, tookBefore)
		case to.Kind == TenderCash && !r.Fits(back):
			pc.fail("a cash refund of %v off the %d step", back, r.Step)
		}
		earlier = append(earlier, *ref)
		for _, l := range RefundableOf(sale, earlier).Lines {
			if l.Total.IsNegative() || l.Tax.IsNegative() || l.Qty < 0 || l.Tax.Cmp(l.Total) > 0 {
				pc.fail("left to refund of line %d: %s worth %v with tax %v", l.LineNo, l.Qty.Format(l.Line.Product.Unit), l.Total, l.Tax)
			}
		}
		given = given.Add(back)
		if given.Cmp(sale.Paid()) > 0 {
			pc.fail("refunds gave back %v of %v paid", given, sale.Paid())
		}
		if !allRefunded(RefundableOf(sale, earlier)) {
			stats.partialRefunds++
		}
	}
	rest := RefundableOf(sale, earlier)
	if !allRefunded(rest) {
		return
	}
	stats.fullyRefunded++
	short := sale.Paid().Sub(given)
	switch {
	case cashOf(sale) == sale.Paid() && !short.IsZero():
		pc.fail("a cash sale refunded in full: %v given back of %v paid", given, sale.Paid())
	case short.IsNegative() || short.Minor() >= max(r.Step, 1):
		// The last refund in cash of a sale paid partly to the fen another way hands over whole steps.
		pc.fail("every line refunded: %v given back of %v paid", given, sale.Paid())
	}
	for i, l := range sale.Lines {
		var total, tax money.Amount = money.Zero(money.CNY), money.Zero(money.CNY)
		for _, e := range earlier {
			for _, rl := range e.Lines {
				if rl.LineNo == i+1 {
					total, tax = total.Add(rl.Total), tax.Add(rl.Tax)
				}
			}
		}
		if total != linePaid(l, sale.TaxMode) || tax != l.Tax {
			pc.fail("line %d refunded %v (tax %v) of %v (tax %v)", i+1, total, tax, linePaid(l, sale.TaxMode), l.Tax)
		}
	}
}

// allRefunded reports whether nothing of value is left to refund.
func allRefunded(r Refundable) bool { return r.Total.IsZero() }

func refTender(r *Refund) any {
	if r == nil {
		return nil
	}
	return r.Tender.Amount
}

func tenderTotal(ts []Tender, kind TenderKind) money.Amount {
	sum := money.Zero(money.CNY)
	for _, t := range ts {
		if t.Kind == kind {
			sum = sum.Add(t.Amount)
		}
	}
	return sum
}

// firstTender is what the sale's first tender of kind took: a refund goes back to it.
func firstTender(s *Sale, kind TenderKind) money.Amount {
	t, _ := tenderOf(s, kind)
	return t.Amount
}

func refundTotal(refunds []Refund, kind TenderKind) money.Amount {
	return refundedTo(refunds, kind, money.CNY)
}
