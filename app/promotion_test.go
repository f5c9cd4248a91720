package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"checkout/app/promo"
)

// deals returns Deals of the rules, each active, or fails the test.
func deals(t *testing.T, rules ...promo.Rule) *Deals {
	t.Helper()
	var ps []Promotion
	for _, r := range rules {
		ps = append(ps, Promotion{Rule: r, Active: true})
	}
	d, err := NewDeals(ps)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	secondHalf = promo.Rule{ID: 11, Name: "Second cola half price", NameZH: "可乐第二件半价", Kind: promo.BuyGet,
		Target: promo.Target{Products: []int64{cola.ID}}, Qty: 1, Free: 1, PercentBP: 5_000}
	spend20 = promo.Rule{ID: 12, Name: "Spend 20 save 3", NameZH: "满20减3", Kind: promo.BasketSpend,
		Target: promo.Target{All: true}, Tiers: []promo.Tier{{Threshold: 20_00, Off: 3_00}}}
	chipsCoupon = promo.Rule{ID: 13, Name: "Chips coupon", NameZH: "薯片券", Kind: promo.AmountOff,
		Target: promo.Target{Products: []int64{chips.ID}}, Amount: 1_00, Coupon: "CPN-CHIPS-1"}
	memberBanana = promo.Rule{ID: 14, Name: "Member banana", NameZH: "会员香蕉价", Kind: promo.MemberPrice,
		Target: promo.Target{Products: []int64{banana.ID}}, Price: 5_98}
)

func TestPromotionsPriceTheCartAsItChanges(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	c.SetDeals(deals(t, secondHalf, spend20))
	c.SetSession(&Session{user: User{Name: "Li", Role: RoleCashier, Active: true}})
	for range 2 {
		if _, err := c.Scan(ctx, "6900000000014"); err != nil {
			t.Fatal(err)
		}
	}
	l := c.Lines()[0]
	// Two colas at ¥3.00: the second at half price saves ¥1.50, shared over the line's two pieces.
	if l.Promotion != cny(150) || l.Total != cny(450) || len(l.Promotions) != 1 || l.Promotions[0].Rule != secondHalf.ID {
		t.Fatalf("line = %+v", l)
	}
	// A cashier may not give 50% off by hand, but the owner's promotion is not the cashier's discount:
	// nothing asked for a supervisor.
	if !l.ManualDiscount().IsZero() {
		t.Fatalf("manual discount %v", l.ManualDiscount())
	}
	// Three chips (¥19.50) more take the basket to ¥24.00 after the cola deal: 满20减3.
	if _, err := c.Scan(ctx, "3*6900000000021"); err != nil {
		t.Fatal(err)
	}
	tot := c.Totals()
	if tot.Promotions != cny(450) || tot.Total != cny(2100) || tot.Discount != cny(450) {
		t.Fatalf("totals = %+v", tot)
	}
	// Removing the chips drops the basket under the tier; the basket saving goes with it.
	if err := c.RemoveLine(1); err != nil {
		t.Fatal(err)
	}
	if tot := c.Totals(); tot.Promotions != cny(150) || tot.Total != cny(450) {
		t.Fatalf("after removing the chips: %+v", tot)
	}
	if _, err := c.Scan(ctx, "3*6900000000021"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SettleCash(ctx, cny(2100)); err != nil {
		t.Fatal(err)
	}
	sale := log.sales[0]
	var saved int64
	for _, l := range sale.Lines {
		for _, p := range l.Promotions {
			saved += p.Amount.Minor()
		}
	}
	if saved != 450 || sale.Totals.Total != cny(2100) {
		t.Fatalf("stored sale saved %d, total %v", saved, sale.Totals.Total)
	}
	// The receipt names each saving on its line, in the printer's language.
	text := (&Receipt{Sale: sale, Lang: "zh-Hans"}).Text(32)
	for _, want := range []string{"可乐第二件半价", "满20减3", "-1.50"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	// All of the discount is the promotions': no line saying which part of it is theirs.
	if strings.Contains(text, "其中促销优惠") {
		t.Errorf("receipt splits a discount that is all promotions:\n%s", text)
	}
}

func TestPromotionsSkipLinesTheCashierPriced(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	c.SetDeals(deals(t, secondHalf))
	if _, err := c.Scan(ctx, "2*6900000000014"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetDiscount(0, Discount{PercentBP: 1_000}); err != nil {
		t.Fatal(err)
	}
	// The cashier's 10% replaces the deal: never both on one line.
	if l := c.Lines()[0]; !l.Promotion.IsZero() || l.DiscountAmount != cny(60) {
		t.Fatalf("line = %+v", l)
	}
	if err := c.SetDiscount(0, Discount{}); err != nil {
		t.Fatal(err)
	}
	if l := c.Lines()[0]; l.Promotion != cny(150) {
		t.Fatalf("deal not back once the discount is gone: %+v", l)
	}
}

func TestCouponScannedAppliesItsPromotionOnce(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	c.SetDeals(deals(t, chipsCoupon))
	if _, err := c.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	if l := c.Lines()[0]; !l.Promotion.IsZero() {
		t.Fatalf("the coupon's deal before the coupon: %+v", l)
	}
	added, err := c.Scan(ctx, " CPN-CHIPS-1\r\n")
	if err != nil || added.Coupon != "CPN-CHIPS-1" || added.Line != -1 {
		t.Fatalf("Scan(coupon) = %+v, %v", added, err)
	}
	if l := c.Lines()[0]; l.Promotion != cny(100) || l.Total != cny(550) {
		t.Fatalf("with the coupon: %+v", l)
	}
	if _, err := c.Scan(ctx, "CPN-CHIPS-1"); !errors.Is(err, ErrCouponUsed) {
		t.Fatalf("the same coupon twice: %v", err)
	}
	if err := c.AddCoupon("CPN-NOPE"); !errors.Is(err, ErrUnknownCoupon) {
		t.Fatalf("an unknown coupon: %v", err)
	}
	if got := c.Coupons(); len(got) != 1 {
		t.Fatalf("coupons = %v", got)
	}
	// Once payment has begun the sale cannot change, coupons included.
	if _, err := c.PayCashPart(cny(100)); err != nil {
		t.Fatal(err)
	}
	c.cart.shopper.coupons = nil
	if err := c.AddCoupon("CPN-CHIPS-1"); !errors.Is(err, ErrPaymentStarted) {
		t.Fatalf("a coupon after payment began: %v", err)
	}
}

// dealsNow is a DealsSource giving whatever deals it holds now.
type dealsNow struct{ d *Deals }

func (s *dealsNow) ActiveDeals(context.Context) (*Deals, error) { return s.d, nil }

// A coupon scanned before any item, on a till just started, is the promotion's: the checkout reads the
// promotions as the sale begins, not only once an item opens it.
func TestCouponScannedFirstOnAFreshTill(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	c.SetDealsSource(&dealsNow{deals(t, chipsCoupon)})
	if added, err := c.Scan(ctx, "CPN-CHIPS-1"); err != nil || added.Coupon != "CPN-CHIPS-1" {
		t.Fatalf("Scan(coupon) = %+v, %v", added, err)
	}
	if _, err := c.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	if l := c.Lines()[0]; l.Promotion != cny(100) {
		t.Fatalf("the coupon scanned first does not apply: %+v", l)
	}
}

func TestMemberPriceFollowsTheMemberUntilPaymentBegins(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	c.SetDeals(deals(t, memberBanana))
	if _, err := c.Scan(ctx, "0.5*2000101000006"); err != nil {
		t.Fatal(err)
	}
	if l := c.Lines()[0]; l.Total != cny(349) {
		t.Fatalf("before the member: %+v", l)
	}
	if err := c.SetMember(Member{ID: 1, Number: "M000001", Name: "王芳"}); err != nil {
		t.Fatal(err)
	}
	// 500 g at the member's ¥5.98/kg: ¥2.99.
	if l := c.Lines()[0]; l.Total != cny(299) || l.Promotion != cny(50) {
		t.Fatalf("member price: %+v", l)
	}
}

func TestMemberPriceIsPerThePriceUnit(t *testing.T) {
	c, _ := newTestCheckout(t, DefaultSettings())
	perJin := banana
	perJin.PriceUnit, perJin.Price = PerJin, cny(349) // ¥3.49/斤
	jinRule := memberBanana
	jinRule.Price = 299 // ¥2.99/斤 for members
	c.SetDeals(deals(t, jinRule))
	if err := c.SetMember(Member{ID: 1, Number: "M000001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddProduct(perJin, Grams(750)); err != nil {
		t.Fatal(err)
	}
	// 1.5 斤: ¥5.24 (5.235 half to even) at ¥3.49, ¥4.48 (4.485) at the member's ¥2.99.
	if l := c.Lines()[0]; l.Gross != cny(524) || l.Total != cny(448) || l.Promotion != cny(76) {
		t.Fatalf("line = %+v", l)
	}
}

func TestPromotionWindowIsJudgedWhenTheSaleBegan(t *testing.T) {
	ctx := context.Background()
	happy := promo.Rule{ID: 21, Name: "Happy hour", NameZH: "欢乐时光", Kind: promo.PercentOff, PercentBP: 2_000,
		Target: promo.Target{All: true}, Window: promo.Window{StartMinute: 10*60 + 1, EndMinute: 11 * 60}}
	c, _ := newTestCheckout(t, DefaultSettings()) // the clock starts at 10:00:00 and ticks a second a call
	c.SetDeals(deals(t, happy))
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	for range 120 { // two minutes pass: the window opens while the sale goes on
		c.now()
	}
	if _, err := c.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	if tot := c.Totals(); !tot.Promotions.IsZero() {
		t.Fatalf("a sale begun before happy hour got it: %+v", tot)
	}
	if err := c.Void(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if tot := c.Totals(); tot.Promotions != cny(60) {
		t.Fatalf("a sale begun in happy hour: %+v", tot)
	}
}

// promotionsRepo is Promotions over a slice.
type promotionsRepo struct{ saved []Promotion }

func (r *promotionsRepo) SavePromotion(_ context.Context, p Promotion) (int64, error) {
	if p.Rule.ID == 0 {
		p.Rule.ID = int64(len(r.saved) + 1)
	}
	r.saved = append(r.saved, p)
	return p.Rule.ID, nil
}

func (r *promotionsRepo) PromotionList(context.Context) ([]Promotion, error) { return r.saved, nil }

// costedShelf lists products for the below-cost check.
type costedShelf []Product

func (s costedShelf) ProductsByID(_ context.Context, ids []int64) ([]Product, error) {
	var out []Product
	for _, p := range s {
		for _, id := range ids {
			if p.ID == id {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func (s costedShelf) ProductsInCategory(_ context.Context, cat string, limit int) ([]Product, error) {
	var out []Product
	for _, p := range s {
		if p.Category == cat && len(out) < limit {
			out = append(out, p)
		}
	}
	return out, nil
}

func TestSavePromotionNeedsTheRightAndWarnsBelowCost(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	colaCosted, chipsCosted := cola, chips
	colaCosted.Cost, chipsCosted.Cost = cny(240), cny(400)
	chipsCosted.Category = "Snacks"
	shelf := costedShelf{colaCosted, chipsCosted}
	repo := &promotionsRepo{}
	rule := secondHalf
	rule.ID = 0
	if _, _, err := SavePromotion(ctx, repo, shelf, Promotion{Rule: rule, Active: true}, &Session{user: User{Name: "Li", Role: RoleCashier, Active: true}}, at); !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("a cashier saved a promotion: %v", err)
	}
	bad := rule
	bad.PercentBP = 10_001
	if _, _, err := SavePromotion(ctx, repo, shelf, Promotion{Rule: bad, Active: true}, SystemSession("Olivia"), at); !errors.Is(err, ErrInvalidPromotion) {
		t.Fatalf("an invalid rule: %v", err)
	}
	if len(repo.saved) != 0 {
		t.Fatalf("refused rules were saved: %+v", repo.saved)
	}
	// Half price on the second cola sells a pair at ¥4.50, ¥2.25 each as the saving is shared over the
	// line, below its ¥2.40 cost: saved, with a warning.
	saved, low, err := SavePromotion(ctx, repo, shelf, Promotion{Rule: rule, Active: true}, SystemSession("Olivia"), at)
	if err != nil || saved.Rule.ID != 1 || saved.UpdatedBy != "Olivia" {
		t.Fatalf("SavePromotion = %+v, %v", saved, err)
	}
	if len(low) != 1 || low[0].Product.ID != cola.ID || low[0].Lowest != cny(225) {
		t.Fatalf("below cost = %+v", low)
	}
	snacks := promo.Rule{Name: "Snacks 10% off", Kind: promo.PercentOff, PercentBP: 1_000, Target: promo.Target{Categories: []string{"Snacks"}}}
	if _, low, err := SavePromotion(ctx, repo, shelf, Promotion{Rule: snacks, Active: true}, SystemSession("Olivia"), at); err != nil || len(low) != 0 {
		t.Fatalf("chips at ¥5.85 over a ¥4.00 cost: %+v, %v", low, err)
	}
}

func TestReceiptSaysWhichPartOfTheDiscountIsPromotions(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	c.SetDeals(deals(t, secondHalf))
	for _, code := range []string{"2*6900000000014", "6900000000021"} {
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetDiscount(1, Discount{Amount: cny(50)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SettleCash(ctx, cny(2000)); err != nil {
		t.Fatal(err)
	}
	text := (&Receipt{Sale: log.sales[0], Lang: "en"}).Text(42)
	for _, want := range []string{"Second cola half price", "-1.50", "Discount", "-2.00", "of which promotions", "-0.50"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
}

// failingPricer is a promotion engine that finds itself inconsistent, as promo.Set.Price reports a bug.
type failingPricer struct{ calls int }

func (f *failingPricer) Price([]promo.Item, promo.Context) (promo.Result, error) {
	f.calls++
	return promo.Result{}, &promo.InternalError{Value: "promo: the best choice cannot be retraced", Stack: []byte("stack")}
}

// A promotion engine that fails mid-sale does not take the till down: the cart prices at full price, the
// sale completes, and the failure is logged.
func TestPromotionEngineFailurePricesWithoutDeals(t *testing.T) {
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	d := deals(t, secondHalf, spend20)
	broken := &failingPricer{}
	d.set = broken
	c.SetDeals(d)
	c.SetSession(&Session{user: User{Name: "Li", Role: RoleCashier, Active: true}})
	for _, code := range []string{"6900000000014", "6900000000014", "3*6900000000021"} {
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	// Two colas at ¥3.00 and three chips at ¥6.50, no deal taken off.
	if tot := c.Totals(); tot.Total != cny(2550) || !tot.Promotions.IsZero() || !tot.Discount.IsZero() {
		t.Fatalf("totals = %+v", tot)
	}
	for _, l := range c.Lines() {
		if len(l.Promotions) != 0 || !l.Promotion.IsZero() {
			t.Fatalf("line with a promotion: %+v", l)
		}
	}
	if _, err := c.SettleCash(ctx, cny(2550)); err != nil {
		t.Fatal(err)
	}
	if len(log.sales) != 1 || log.sales[0].Totals.Total != cny(2550) {
		t.Fatalf("sales %+v", log.sales)
	}
	if broken.calls == 0 || !strings.Contains(logged.String(), "level=ERROR") ||
		!strings.Contains(logged.String(), "cannot be retraced") {
		t.Fatalf("engine asked %d times; log:\n%s", broken.calls, logged.String())
	}
}
