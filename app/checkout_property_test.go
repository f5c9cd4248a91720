package app

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
	"checkout/app/promo"
)

// The checkout's money on random baskets (pieces, weighed lines, labels, discounts, price overrides,
// free items) paid by random tender sequences (cash exact, over, short and in part, card, QR, wallet,
// prepaid, points, in any order, with refusals and declines between), under every cash rounding step
// and mode and both tax modes, then refunded in random parts to random tenders. Each case is
// reproducible: CHECKOUT_PROPERTY_SEED and CHECKOUT_PROPERTY_CASES choose other ones.

var (
	propertySteps = []int64{0, 5, 10, 100, 1}
	propertyModes = []RoundingMode{RoundNearest, RoundDown}
	propertyTaxes = []TaxMode{TaxInclusive, TaxExclusive}
)

func TestCheckoutMoneyProperties(t *testing.T) {
	cases, seed := 4000, uint64(28)
	if v, err := strconv.Atoi(os.Getenv("CHECKOUT_PROPERTY_CASES")); err == nil {
		cases = v
	}
	if v, err := strconv.ParseUint(os.Getenv("CHECKOUT_PROPERTY_SEED"), 10, 64); err == nil {
		seed = v
	}
	if testing.Short() {
		cases /= 10
	}
	var stats propertyStats
	for i := range cases {
		combo := i % (len(propertySteps) * len(propertyModes) * len(propertyTaxes))
		s := DefaultSettings()
		s.CashRounding = CashRounding{Step: propertySteps[combo%len(propertySteps)],
			Mode: propertyModes[combo/len(propertySteps)%len(propertyModes)]}
		s.TaxMode = propertyTaxes[combo/(len(propertySteps)*len(propertyModes))]
		pc := &propertyCase{t: t, rng: rand.New(rand.NewPCG(seed, uint64(i))), name: fmt.Sprintf("case %d (seed %d)", i, seed)}
		pc.run(s, &stats)
	}
	// The generator must reach what it claims to try, or the properties hold of nothing.
	for what, n := range map[string]int{"rounded cash sales": stats.rounded, "split sales": stats.split,
		"refused tenders": stats.refused, "sales refunded in full": stats.fullyRefunded, "partial refunds": stats.partialRefunds,
		"sales with a remainder rounded away": stats.roundedAway, "sales with promotions": stats.promoted} {
		if n < cases/100 {
			t.Errorf("only %d %s in %d cases", n, what, cases)
		}
	}
	t.Logf("%d cases: %+v", cases, stats)
}

type propertyStats struct {
	rounded, split, refused, fullyRefunded, partialRefunds, roundedAway, promoted int
}

// promote gives the checkout random promotions of every kind over the products fillBasket picks from
// (ids 1–6), so refunds of promoted sales are held to the same properties.
func (pc *propertyCase) promote() {
	var ps []Promotion
	for id := int64(1); id <= 1+pc.rng.Int64N(4); id++ {
		target := promo.Target{Products: []int64{1 + pc.rng.Int64N(6), 1 + pc.rng.Int64N(6)}}
		r := promo.Rule{ID: id, Name: fmt.Sprintf("deal %d", id), NameZH: "促销", Target: target}
		switch pc.rng.IntN(6) {
		case 0:
			r.Kind, r.PercentBP = promo.PercentOff, 1+pc.rng.Int64N(10_000)
		case 1:
			r.Kind, r.Amount = promo.AmountOff, 1+pc.rng.Int64N(2_000)
		case 2:
			r.Kind, r.Qty, r.Price = promo.FixedPrice, 2+pc.rng.Int64N(2), pc.rng.Int64N(5_000)
		case 3:
			r.Kind, r.Qty, r.Free, r.PercentBP = promo.BuyGet, 1+pc.rng.Int64N(2), 1, 5_000+5_000*pc.rng.Int64N(2)
		case 4:
			r.Kind, r.Target = promo.BasketSpend, promo.Target{All: true}
			r.Tiers = []promo.Tier{{Threshold: 1_000, Off: 100}, {Threshold: 10_000, Off: 1_500}}
		case 5:
			r.Kind, r.Price = promo.MemberPrice, pc.rng.Int64N(2_000)
		}
		ps = append(ps, Promotion{Rule: r, Active: true})
		pc.did("promotion %+v", r)
	}
	d, err := NewDeals(ps)
	if err != nil {
		pc.fail("promotions: %v", err)
	}
	pc.c.SetDeals(d)
}

// propertyCase is one random sale and its refunds; trace is what it did, shown when a property fails.
type propertyCase struct {
	t     *testing.T
	rng   *rand.Rand
	name  string
	trace []string
	c     *Checkout
	log   *ledger
	set   Settings
}

func (pc *propertyCase) fail(format string, args ...any) {
	pc.t.Helper()
	pc.t.Fatalf("%s, %s rounding %+v:\n  %s\n%s", pc.name, pc.set.TaxMode, pc.set.CashRounding,
		strings.Join(pc.trace, "\n  "), fmt.Sprintf(format, args...))
}

func (pc *propertyCase) did(format string, args ...any) {
	pc.trace = append(pc.trace, fmt.Sprintf(format, args...))
}

func (pc *propertyCase) run(s Settings, stats *propertyStats) {
	pc.set = s
	pc.log = &ledger{}
	clock := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	c, err := NewCheckout(s, shelf{}, pc.log, func() time.Time { clock = clock.Add(time.Second); return clock })
	if err != nil {
		pc.fail("settings: %v", err)
	}
	c.SetSession(SystemSession("Olivia")) // the owner: overrides and big discounts are allowed
	pc.c = c
	if pc.rng.IntN(3) == 0 {
		pc.promote()
		stats.promoted++
	}
	pc.fillBasket()
	var member *Member
	if pc.rng.IntN(2) == 0 {
		member = &Member{ID: 7, Number: "M000007", Name: "王芳", Balance: cny(pc.rng.Int64N(300_00)), Points: pc.rng.Int64N(30_000)}
		if err := c.SetMember(*member); err != nil {
			pc.fail("member: %v", err)
		}
		pc.did("member with %v and %d points", member.Balance, member.Points)
	}
	totals := c.Totals()
	pc.checkLines(c.Lines(), totals)
	pc.pay(stats)
	sale, err := c.Complete(context.Background())
	if err != nil {
		pc.fail("complete once nothing is due: %v", err)
	}
	pc.did("completed: total %v, paid %v, rounding %v", sale.Totals.Total, sale.Paid(), sale.Rounding)
	pc.checkSale(sale, totals, member)
	if !sale.Rounding.IsZero() {
		stats.rounded++
	}
	if len(sale.Tenders) > 1 {
		stats.split++
	}
	if len(sale.Tenders) == 0 && !sale.Totals.Total.IsZero() || cashOf(sale).IsZero() && !sale.Rounding.IsZero() {
		stats.roundedAway++
	}
	if pc.rng.IntN(10) < 8 {
		pc.refund(sale, stats)
	}
}

// randomPrice is a price as shops have them: free now and then, mostly small, some odd and large.
func (pc *propertyCase) randomPrice() money.Amount {
	switch r := pc.rng.IntN(20); {
	case r == 0:
		return cny(0)
	case r < 12:
		return cny(1 + pc.rng.Int64N(2_000))
	case r < 19:
		return cny(1 + pc.rng.Int64N(50_000))
	default:
		return cny(1 + pc.rng.Int64N(5_000_000))
	}
}

func (pc *propertyCase) randomProduct(id int64) Product {
	p := Product{ID: id, SKU: fmt.Sprintf("P%03d", id), Name: "Item " + strconv.FormatInt(id, 10), NameZH: "商品",
		Price: pc.randomPrice(), Unit: UnitPiece, TaxClass: []string{"standard", "reduced", "zero"}[pc.rng.IntN(3)], Active: true}
	if pc.rng.IntN(10) < 3 {
		p.Unit = UnitKg
	}
	return p
}

func (pc *propertyCase) randomQty(p Product) Quantity {
	if p.Unit == UnitKg {
		return Grams(1 + pc.rng.Int64N(3_000))
	}
	return Pieces(1 + pc.rng.Int64N(5))
}

// fillBasket rings up lines and changes some of them; a change the cart refuses must leave it as it was.
func (pc *propertyCase) fillBasket() {
	c := pc.c
	products := make([]Product, 1+pc.rng.IntN(6))
	for i := range products {
		products[i] = pc.randomProduct(int64(i + 1))
	}
	for range 1 + pc.rng.IntN(8) {
		p := products[pc.rng.IntN(len(products))]
		if pc.rng.IntN(8) == 0 { // a weighed or priced label
			label := pc.randomPrice()
			qty := pc.randomQty(p)
			if p.Unit == UnitPiece {
				qty = Pieces(1)
			}
			if _, err := c.addLine(p, qty, &label); err != nil {
				pc.fail("label %s %v: %v", p.SKU, label, err)
			}
			pc.did("label %s %s at %v", p.SKU, qty.Format(p.Unit), label)
			continue
		}
		qty := pc.randomQty(p)
		if _, err := c.AddProduct(p, qty); err != nil {
			pc.fail("add %s %s: %v", p.SKU, qty.Format(p.Unit), err)
		}
		pc.did("add %s %s at %v", p.SKU, qty.Format(p.Unit), p.Price)
	}
	for range pc.rng.IntN(4) {
		lines := c.Lines()
		i := pc.rng.IntN(len(lines))
		var err error
		var what string
		switch pc.rng.IntN(5) {
		case 0:
			d := Discount{PercentBP: pc.rng.Int64N(10_001)}
			err, what = c.SetDiscount(i, d), fmt.Sprintf("discount line %d by %d bp", i+1, d.PercentBP)
		case 1:
			d := Discount{Amount: cny(1 + pc.rng.Int64N(lines[i].Gross.Minor()+50))}
			err, what = c.SetDiscount(i, d), fmt.Sprintf("discount line %d by %v", i+1, d.Amount)
		case 2:
			price := pc.randomPrice()
			err, what = c.OverridePrice(i, price), fmt.Sprintf("price of line %d to %v", i+1, price)
		case 3:
			qty := pc.randomQty(lines[i].Product)
			err, what = c.SetQuantity(i, qty), fmt.Sprintf("quantity of line %d to %s", i+1, qty.Format(lines[i].Product.Unit))
		case 4:
			if len(lines) == 1 {
				continue
			}
			err, what = c.RemoveLine(i), fmt.Sprintf("remove line %d", i+1)
		}
		pc.did("%s: %v", what, err)
		if err != nil && !reflect.DeepEqual(lines, c.Lines()) {
			pc.fail("a refused change (%v) changed the cart", err)
		}
	}
}

// halfEven is num/den rounded half to even, for num ≥ 0, den > 0: the documented rule, computed apart
// from money.MulDiv.
func halfEven(num, den *big.Int) int64 {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	switch new(big.Int).Lsh(r, 1).Cmp(den) {
	case 1:
		q.Add(q, big.NewInt(1))
	case 0:
		if q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

func mulDivHalfEven(x, num, den int64) int64 {
	return halfEven(new(big.Int).Mul(big.NewInt(x), big.NewInt(num)), big.NewInt(den))
}

// checkLines recomputes every line and the totals from the documented rules: line = price × quantity
// half to even (or the label's price), less its discount; tax per line half to even, inclusive
// t·r/(1+r) or exclusive t·r; the sale's tax the sum of the lines'.
func (pc *propertyCase) checkLines(lines []Line, t Totals) {
	var sub, tax, disc int64
	for i, l := range lines {
		gross := mulDivHalfEven(l.Product.Price.Minor(), int64(l.Qty), 1000)
		if l.Label != nil {
			gross = l.Label.Minor()
		}
		off := min(l.Discount.Amount.Minor(), gross)
		if l.Discount.PercentBP != 0 {
			off = mulDivHalfEven(gross, l.Discount.PercentBP, 10_000)
		}
		// What the promotions saved is the engine's (app/promo tests it); here it must add up and fit.
		var promoted int64
		for _, p := range l.Promotions {
			if p.Amount.Minor() <= 0 {
				pc.fail("line %d: a saving of %v", i+1, p.Amount)
			}
			promoted += p.Amount.Minor()
		}
		if promoted != l.Promotion.Minor() || promoted > gross-off {
			pc.fail("line %d %+v: promotions %d do not add up to %v or are more than the line's %d", i+1, l, promoted, l.Promotion, gross-off)
		}
		off += promoted
		rate := pc.set.TaxRates[l.Product.TaxClass]
		den := int64(10_000)
		if pc.set.TaxMode == TaxInclusive {
			den += rate
		}
		lineTax := mulDivHalfEven(gross-off, rate, den)
		if l.Gross.Minor() != gross || l.DiscountAmount.Minor() != off || l.Total.Minor() != gross-off || l.Tax.Minor() != lineTax {
			pc.fail("line %d %+v: want gross %d discount %d total %d tax %d", i+1, l, gross, off, gross-off, lineTax)
		}
		sub, tax, disc = sub+gross-off, tax+lineTax, disc+off
	}
	total := sub
	if pc.set.TaxMode == TaxExclusive {
		total += tax
	}
	if t.Subtotal.Minor() != sub || t.Tax.Minor() != tax || t.Discount.Minor() != disc || t.Total.Minor() != total {
		pc.fail("totals %+v: want subtotal %d tax %d discount %d total %d", t, sub, tax, disc, total)
	}
}

// checkState holds between any two steps of a payment: Due and CashDue agree whether anything is
// left; cash is due in whole steps and is what is due, rounded; the tenders and what is due make up the
// total; only cash has change, and cash taken is whole steps.
func (pc *propertyCase) checkState() {
	c, r := pc.c, pc.set.CashRounding
	due, cashDue := c.Due(), c.CashDue()
	if due.IsNegative() || cashDue.IsNegative() || (due.Minor() > 0) != (cashDue.Minor() > 0) {
		pc.fail("due %v and cash due %v disagree", due, cashDue)
	}
	if !r.Fits(cashDue) || cashDue.Minor() > 0 && cashDue != r.Round(due) {
		pc.fail("cash due %v is not %v rounded", cashDue, due)
	}
	paid := money.Zero(money.CNY)
	for _, tn := range c.Tenders() {
		paid = paid.Add(tn.Amount)
		switch {
		case tn.Amount.Minor() < 0:
			pc.fail("tender %+v below zero", tn)
		case tn.Kind == TenderCash && (!r.Fits(tn.Amount) || !r.Fits(tn.Tendered) || tn.Change != tn.Tendered.Sub(tn.Amount)):
			pc.fail("cash tender %+v off the %d step or its change wrong", tn, r.Step)
		case tn.Kind != TenderCash && (!tn.Change.IsZero() || tn.Tendered != tn.Amount):
			pc.fail("%s tender %+v has change", tn.Kind, tn)
		}
	}
	if due.Minor() > 0 && paid.Add(due) != c.Totals().Total {
		pc.fail("tenders %v and due %v do not make the total %v", paid, due, c.Totals().Total)
	}
}

// randomAmount is up to some above limit, now and then nothing or less, or a few fen short of it.
func (pc *propertyCase) randomAmount(limit money.Amount) money.Amount {
	switch pc.rng.IntN(7) {
	case 0:
		return limit
	case 6:
		return limit.Sub(cny(1 + pc.rng.Int64N(min(max(limit.Minor()-1, 1), 60))))
	case 1:
		return cny(pc.rng.Int64N(3) - 1) // 0, ±0.01
	case 2:
		return limit.Add(cny(1 + pc.rng.Int64N(200)))
	default:
		return cny(1 + pc.rng.Int64N(max(limit.Minor(), 1)))
	}
}

// paidGateway charges or declines as told.
type paidGateway struct{ decline bool }

func (g paidGateway) Charge(_ context.Context, req ChargeRequest) (PaymentResult, error) {
	if g.decline {
		return PaymentResult{Status: PaymentDeclined, Message: "余额不足"}, nil
	}
	return PaymentResult{Status: PaymentPaid, TransactionID: "TX-" + req.Reference}, nil
}
func (g paidGateway) Query(context.Context, string) (PaymentResult, error) {
	return PaymentResult{Status: PaymentNotFound}, nil
}
func (g paidGateway) Reverse(context.Context, string) error { return nil }

// pay takes random tenders until nothing is due, each either taken as asked or refused with nothing
// changed; it settles in cash if the random ones did not.
func (pc *propertyCase) pay(stats *propertyStats) {
	c, r := pc.c, pc.set.CashRounding
	ctx := context.Background()
	pc.checkState()
	for step := 0; step < 10 && c.CashDue().Minor() > 0; step++ {
		due, cashDue, before := c.Due(), c.CashDue(), c.Tenders()
		var tn Tender
		var err error
		var ok bool // whether the tender must be taken
		var what string
		switch pc.rng.IntN(10) {
		case 0, 1:
			a := pc.randomAmount(cashDue)
			tn, err = c.PayCash(a)
			what = "cash " + a.Decimal()
			ok = a.Cmp(cashDue) >= 0 && r.Fits(a) && a.Sub(cashDue).Minor() <= maxChangeMinor(money.CNY)
		case 2, 3:
			a := pc.randomAmount(cashDue)
			if pc.rng.IntN(2) == 0 && cashDue.Minor() > max(r.Step, 1) { // a part in whole steps
				a = r.Round(cny(pc.rng.Int64N(cashDue.Minor())))
				if r.Mode == RoundDown || a.Cmp(cashDue) >= 0 {
					a = money.TruncateToIncrement(cny(pc.rng.Int64N(cashDue.Minor())), r.Step)
				}
			}
			tn, err = c.PayCashPart(a)
			what = "cash part " + a.Decimal()
			ok = a.Minor() > 0 && a.Cmp(cashDue) < 0 && r.Fits(a)
		case 4:
			a := pc.randomAmount(due)
			approval := "777001"
			if pc.rng.IntN(8) == 0 {
				approval = "?"
			}
			tn, err = c.PayCard(a, approval, "4242")
			what = "card " + a.Decimal() + " " + approval
			ok = a.Minor() > 0 && a.Cmp(due) <= 0 && approval != "?"
		case 5:
			a := pc.randomAmount(due)
			tn, err = c.PayQR(a, c.PaymentReference(), "TX1")
			what = "QR " + a.Decimal()
			ok = a.Minor() > 0 && a.Cmp(due) <= 0
		case 6:
			a := pc.randomAmount(due)
			declined := pc.rng.IntN(4) == 0
			tn, err = c.PayWithCode(ctx, paidGateway{decline: declined}, wechatCode, a, quickWait)
			what = fmt.Sprintf("wallet %s declined=%v", a.Decimal(), declined)
			ok = a.Minor() > 0 && a.Cmp(due) <= 0 && !declined
		case 7:
			a := pc.randomAmount(due)
			left, _ := c.AccountLeft()
			tn, err = c.PayPrepaid(a)
			what = "prepaid " + a.Decimal()
			_, member := c.Member()
			ok = member && a.Minor() > 0 && a.Cmp(due) <= 0 && a.Cmp(left) <= 0
		case 8:
			_, left := c.AccountLeft()
			points := pc.rng.Int64N(left + 3)
			tn, err = c.RedeemPoints(points)
			what = fmt.Sprintf("%d points", points)
			_, member := c.Member()
			ok = member && points > 0 && points <= left
			if err == nil && (tn.Points > points || tn.Amount.Cmp(due) > 0 || tn.Amount.Minor() > tn.Points*pc.set.Loyalty.PointValue) {
				pc.fail("%s took %+v for %v due", what, tn, due)
			}
		case 9:
			_, err = c.Complete(ctx)
			what = "complete early"
			if !errors.Is(err, ErrNotPaid) {
				pc.fail("completed with %v due in cash: %v", cashDue, err)
			}
			continue
		}
		pc.did("%s: %v", what, err)
		switch {
		case ok && err != nil:
			pc.fail("%s refused with %v due (%v in cash): %v", what, due, cashDue, err)
		case !ok && err == nil:
			pc.fail("%s taken with %v due (%v in cash)", what, due, cashDue)
		case err != nil:
			stats.refused++
			if ErrorCode(err) == "" {
				pc.fail("%s refused without a code for the cashier: %v", what, err)
			}
			if !slices.Equal(before, c.Tenders()) || c.Due() != due || c.CashDue() != cashDue {
				pc.fail("the refused %s changed the payment", what)
			}
		case tn.Amount.Minor() <= 0:
			pc.fail("%s took %v", what, tn.Amount)
		}
		pc.checkState()
	}
	if cashDue := c.CashDue(); cashDue.Minor() > 0 {
		if _, err := c.PayCash(cashDue); err != nil {
			pc.fail("the exact cash due %v: %v", cashDue, err)
		}
		pc.did("cash exact %v", cashDue)
		pc.checkState()
	}
	if _, err := c.PayCard(cny(1), "777001", "4242"); err == nil {
		pc.fail("a card took a fen once nothing was due")
	}
}

func cashOf(s *Sale) money.Amount {
	sum := money.Zero(s.Currency)
	for _, t := range s.Tenders {
		if t.Kind == TenderCash {
			sum = sum.Add(t.Amount)
		}
	}
	return sum
}

// checkSale: what was paid is the total and the rounding; the rounding is that of the cash part alone,
// less than a step, and only downwards when the shop drops the small change; only cash has change; the
// member's account pays what its tenders say.
func (pc *propertyCase) checkSale(s *Sale, before Totals, member *Member) {
	r := pc.set.CashRounding
	if !reflect.DeepEqual(s.Totals, before) {
		pc.fail("the sale's totals %+v are not the cart's %+v", s.Totals, before)
	}
	if s.Paid() != s.Totals.Total.Add(s.Rounding) {
		pc.fail("paid %v is not total %v + rounding %v", s.Paid(), s.Totals.Total, s.Rounding)
	}
	nonCash := s.Paid().Sub(cashOf(s))
	cashPart := s.Totals.Total.Sub(nonCash)
	if want := r.Round(cashPart).Sub(cashPart); s.Rounding != want {
		pc.fail("rounding %v is not that of the cash part %v (%v)", s.Rounding, cashPart, want)
	}
	step := max(r.Step, 1)
	switch {
	case r.Step <= 1 && !s.Rounding.IsZero():
		pc.fail("rounding %v with no cash rounding", s.Rounding)
	case r.Mode == RoundDown && (s.Rounding.Minor() > 0 || -s.Rounding.Minor() >= step):
		pc.fail("抹零 of %v is not in (-%d, 0]", s.Rounding, step)
	case r.Mode != RoundDown && 2*max(s.Rounding.Minor(), -s.Rounding.Minor()) > step:
		pc.fail("rounding %v is more than half a step of %d", s.Rounding, step)
	}
	var prepaid money.Amount = money.Zero(money.CNY)
	var points int64
	for _, t := range s.Tenders {
		switch t.Kind {
		case TenderPrepaid:
			prepaid = prepaid.Add(t.Amount)
		case TenderPoints:
			points += t.Points
		}
	}
	if member == nil {
		if s.Member != nil || !prepaid.IsZero() || points != 0 {
			pc.fail("no member, yet %+v paid %v prepaid and %d points", s.Member, prepaid, points)
		}
		return
	}
	switch {
	case s.Member == nil || s.Member.PointsRedeemed != points:
		pc.fail("member on sale %+v, %d points redeemed", s.Member, points)
	case prepaid.Cmp(member.Balance) > 0 || points > member.Points:
		pc.fail("the account paid %v and %d points of %v and %d", prepaid, points, member.Balance, member.Points)
	case s.Member.PointsEarned < 0:
		pc.fail("earned %d points", s.Member.PointsEarned)
	}
}
