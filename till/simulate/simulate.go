// Package simulate is a busy till's day in fast forward: random baskets rung up and paid through the real
// checkout and store (cash, card, QR, a member's prepaid balance, split tenders), and now and then a
// refund. `checkout simulate` runs it for demos and load; the crash tests kill it mid-sale and hold it to
// what it printed; make soak runs it for 100,000 sales. It is not wiring: it takes the store as the few
// methods it uses.
package simulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// Store is what the simulator uses of the till's database: the catalog and sale log the checkout sells
// through, and the members, top-ups and refunds it looks up and writes.
type Store interface {
	app.Catalog
	app.SaleLog
	Settings(ctx context.Context) (app.Settings, error)
	ProductPage(ctx context.Context, after string, limit int) ([]app.Product, error)
	MemberByNumber(ctx context.Context, number string) (app.Member, error)
	SaveMember(ctx context.Context, m app.Member, at time.Time) (app.Member, error)
	CommitTopUp(ctx context.Context, t *app.TopUp) error
	RefundsOfSale(ctx context.Context, saleID string) ([]app.Refund, error)
	app.DealsSource   // the sales apply the shop's promotions, as the till's do
	app.CouponCounter // and hold coupons to the till's allowance
}

// Options are how many sales to ring up, how fast and from which seed.
type Options struct {
	Sales int     // how many sales
	Rate  float64 // sales per second (0: as fast as the till can)
	Seed  uint64  // random seed: the same seed gives the same baskets
}

// Run drives the real checkout and store (not the screens) with random baskets and tenders — cash,
// card, QR, prepaid, split — and now and then a refund, as a busy till would. After each COMMIT returns it
// prints one JSON line naming what was stored, and nothing before: a line on stdout is a promise that
// the sale is on disk, which the crash tests hold it to. A summary goes to stderr at the end.
func Run(ctx context.Context, st Store, opt Options, stdout, stderr io.Writer) error {
	sim, err := newSimulator(ctx, st, opt.Seed)
	if err != nil {
		return err
	}
	// Memory is compared from a tenth of the way in, once caches and the statement pool are warm, to the
	// end: a till that sells all day must not grow.
	start, rssWarm := time.Now(), uint64(0)
	latencies := make([]time.Duration, 0, opt.Sales)
	for done := 0; done < opt.Sales; {
		if opt.Rate > 0 {
			if wait := time.Until(start.Add(time.Duration(float64(done) / opt.Rate * float64(time.Second)))); wait > 0 {
				time.Sleep(wait)
			}
		}
		line, sale, took, err := sim.step(ctx)
		if err != nil {
			return err
		}
		if sale {
			done++
			if done == max(1, opt.Sales/10) {
				rssWarm = settledRSS()
			}
		}
		latencies = append(latencies, took)
		if _, err := fmt.Fprintln(stdout, line); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	rssEnd := settledRSS()
	growth := 0.0
	if rssWarm > 0 {
		growth = 100 * (float64(rssEnd) - float64(rssWarm)) / float64(rssWarm)
	}
	fmt.Fprintf(stderr, "simulated %d sales and %d refunds in %s: %.0f sales/s; commit p50 %s p99 %s; RSS %.1f MB after a tenth, %.1f MB at the end (%+.1f%%)\n",
		opt.Sales, sim.refunds, elapsed.Round(time.Millisecond), float64(opt.Sales)/elapsed.Seconds(), pct(0.5), pct(0.99),
		float64(rssWarm)/(1<<20), float64(rssEnd)/(1<<20), growth)
	return nil
}

// settledRSS is resident memory once the garbage collector has run and handed free memory back: what
// the till holds, not how far its heap happened to grow before the next collection.
func settledRSS() uint64 {
	debug.FreeOSMemory()
	return residentRSS()
}

// recentSales is how many of the latest sales a refund may come from.
const recentSales = 500

// simulator is a till's day in fast forward.
type simulator struct {
	st       Store
	co       *app.Checkout
	rng      *rand.Rand
	products []app.Product
	member   app.Member
	sold     []*app.Sale // sales not refunded yet, to refund from
	refunds  int
}

func newSimulator(ctx context.Context, st Store, seed uint64) (*simulator, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		return nil, err
	}
	co.SetSession(app.SystemSession("simulate"))
	co.SetDealsSource(st)
	co.SetCouponCounter(st)
	page, err := st.ProductPage(ctx, "", 500)
	if err != nil {
		return nil, err
	}
	s := &simulator{st: st, co: co, rng: rand.New(rand.NewPCG(seed, seed^0x5eed))}
	for _, p := range page {
		if p.Active {
			s.products = append(s.products, p)
		}
	}
	if len(s.products) == 0 {
		return nil, errors.New("simulate needs a catalog: run seed-demo first")
	}
	if s.member, err = st.MemberByNumber(ctx, "M000001"); errors.Is(err, app.ErrUnknownMember) {
		s.member, err = st.SaveMember(ctx, app.Member{Name: "Simulated shopper", Phone: "13900000000"}, time.Now())
	}
	return s, err
}

// step rings up one basket and pays it, or, now and then, refunds an earlier sale; it returns the JSON
// line for what it stored, whether that was a sale, and how long the commit took.
func (s *simulator) step(ctx context.Context) (line string, sale bool, took time.Duration, err error) {
	if len(s.sold) > 0 && s.rng.IntN(100) < 3 {
		line, took, err = s.refund(ctx)
		return line, false, took, err
	}
	for range 1 + s.rng.IntN(8) {
		p := s.products[s.rng.IntN(len(s.products))]
		qty := app.Pieces(int64(1 + s.rng.IntN(3)))
		if p.Unit == app.UnitKg {
			qty = app.Grams(int64(100 + s.rng.IntN(1500)))
		}
		if _, err := s.co.AddProduct(p, qty); err != nil {
			return "", false, 0, fmt.Errorf("add %s: %w", p.SKU, err)
		}
	}
	if err := s.pay(ctx); err != nil {
		return "", false, 0, err
	}
	start := time.Now()
	stored, err := s.co.Complete(ctx)
	took = time.Since(start)
	if err != nil {
		return "", false, 0, err
	}
	// Refunds come from the last few hundred sales, as at a real till; keeping them all would grow without end.
	if len(s.sold) == recentSales {
		s.sold = slices.Delete(s.sold, 0, 1)
	}
	s.sold = append(s.sold, stored)
	return fmt.Sprintf(`{"kind":"sale","receipt":%q,"total":%q}`, stored.ReceiptNo, stored.Totals.Total.Decimal()), true, took, nil
}

// pay takes tenders for what is due: cash (exact or a round note), card, QR, the member's prepaid
// balance (topped up when low) or cash and card split.
func (s *simulator) pay(ctx context.Context) error {
	due := s.co.Due()
	if due.IsZero() { // a basket that rounds to nothing in cash: nothing to take
		return nil
	}
	approval := fmt.Sprintf("A%05d", s.rng.IntN(100000))
	last4 := fmt.Sprintf("%04d", s.rng.IntN(10000))
	var err error
	switch r := s.rng.IntN(100); {
	case r < 45:
		cash := s.co.CashDue()
		if s.rng.IntN(2) == 0 { // a round note: the next multiple of 10 units, a whole number of cash steps
			unit := 10 * cash.Currency().MinorPerMajor()
			cash = money.New((cash.Minor()/unit+1)*unit, cash.Currency())
		}
		_, err = s.co.PayCash(cash)
	case r < 70:
		_, err = s.co.PayCard(due, approval, last4)
	case r < 85:
		_, err = s.co.PayQR(due, s.co.PaymentReference(), "TX"+approval)
	case r < 93:
		if err = s.topUpFor(ctx, due); err == nil {
			if err = s.co.SetMember(s.member); err == nil {
				_, err = s.co.PayPrepaid(due)
			}
		}
	default:
		// About half in cash, in whole steps of the cash rounding (cash that cannot change hands is
		// refused), and the rest by card.
		half := money.TruncateToIncrement(money.New(due.Minor()/2, due.Currency()), s.co.Settings().CashRounding.Step)
		if half.Minor() == 0 {
			_, err = s.co.PayCash(s.co.CashDue())
			break
		}
		if _, err = s.co.PayCashPart(half); err == nil {
			_, err = s.co.PayCard(s.co.Due(), approval, last4)
		}
	}
	return err
}

// topUpFor tops the simulated member's balance up with cash when it would not cover due.
func (s *simulator) topUpFor(ctx context.Context, due money.Amount) error {
	m, err := s.st.MemberByNumber(ctx, s.member.Number)
	if err != nil {
		return err
	}
	s.member = m
	if m.Balance.Cmp(due) >= 0 {
		return nil
	}
	set := s.co.Settings()
	amount := money.New(max(due.Minor(), 500*set.Currency.MinorPerMajor()), set.Currency)
	t, err := app.NewTopUp(set, m, amount, app.Tender{Kind: app.TenderCash}, "simulate", time.Now())
	if err != nil {
		return err
	}
	if err := s.st.CommitTopUp(ctx, t); err != nil {
		return err
	}
	s.member, err = s.st.MemberByNumber(ctx, m.Number)
	return err
}

// refund gives back some or all of what is left of a random earlier sale, as shoppers bring things
// back: in cash, or to the card or prepaid balance that paid it when that can take it. A sale leaves
// the list once nothing of it is left to refund.
func (s *simulator) refund(ctx context.Context) (string, time.Duration, error) {
	i := s.rng.IntN(len(s.sold))
	sale := s.sold[i]
	earlier, err := s.st.RefundsOfSale(ctx, sale.ID)
	if err != nil {
		return "", 0, err
	}
	refundable := app.RefundableOf(sale, earlier)
	var picks []app.RefundPick
	if s.rng.IntN(2) == 0 {
		for _, l := range refundable.Lines {
			if l.Qty > 0 && !l.Total.IsZero() && s.rng.IntN(2) == 0 {
				picks = append(picks, app.RefundPick{LineNo: l.LineNo, Qty: l.Qty})
			}
		}
	}
	if len(picks) == 0 {
		picks, _ = refundable.ParsePicks(app.RefundAll)
	}
	to := app.RefundTo{Kind: app.TenderCash}
	if len(sale.Tenders) > 0 {
		if t := sale.Tenders[s.rng.IntN(len(sale.Tenders))]; t.Kind == app.TenderCard || t.Kind == app.TenderPrepaid {
			to = app.RefundTo{Kind: t.Kind, Approval: fmt.Sprintf("R%05d", s.rng.IntN(100000))}
		}
	}
	start := time.Now()
	r, err := s.co.RefundSale(ctx, sale, earlier, picks, to, "simulated return")
	if errors.Is(err, app.ErrRefundTooLarge) && to.Kind != app.TenderCash { // more than the card took: cash then
		r, err = s.co.RefundSale(ctx, sale, earlier, picks, app.RefundTo{Kind: app.TenderCash}, "simulated return")
	}
	took := time.Since(start)
	if err != nil {
		return "", 0, fmt.Errorf("refund %s: %w", sale.ReceiptNo, err)
	}
	s.refunds++
	if app.RefundableOf(sale, append(earlier, *r)).Total.IsZero() {
		s.sold = slices.Delete(s.sold, i, i+1)
	}
	return fmt.Sprintf(`{"kind":"refund","receipt":%q,"sale":%q,"total":%q,"given":%q}`, r.ReceiptNo, sale.ReceiptNo,
		r.Total.Decimal(), r.Tender.Amount.Decimal()), took, nil
}
