package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/promo"
)

// couponRule is ¥1 off a basket of ¥1 or more with the coupon code.
func couponRule(code string) promo.Rule {
	return promo.Rule{Name: "Coupon " + code, Kind: promo.BasketSpend, Target: promo.Target{All: true},
		Tiers: []promo.Tier{{Threshold: 1_00, Off: 1_00}}, Coupon: code}
}

func saveLimited(t *testing.T, s *Store, code string, limit, perTill int64) {
	t.Helper()
	if _, err := s.SavePromotion(context.Background(), app.Promotion{Rule: couponRule(code), Active: true, CouponLimit: limit,
		CouponTillLimit: perTill, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func couponCheckout(t *testing.T, s *Store) *app.Checkout {
	co := newCheckout(t, s)
	co.SetDealsSource(s)
	co.SetCouponCounter(s)
	return co
}

// A sale keeps the coupons it used in its own transaction; they are read back with it, sorted, in its
// document, whose digest binds them to the journal: a use rewritten or removed after is found.
func TestSaleCouponsAreStoredAndBoundToTheJournal(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	saveLimited(t, s, "ZETA", 0, 0)
	saveLimited(t, s, "ALPHA", 0, 0)
	co := couponCheckout(t, s)
	if _, err := co.Scan(ctx, "6924743915763"); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"ZETA", " ALPHA "} {
		if err := co.AddCoupon(code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sale.Coupons, []string{"ZETA", "ALPHA"}) {
		t.Fatalf("sale coupons %q", sale.Coupons)
	}
	got, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil || !reflect.DeepEqual(got.Coupons, []string{"ALPHA", "ZETA"}) {
		t.Fatalf("stored coupons %q, %v", got.Coupons, err)
	}
	body, _ := json.Marshal(newSaleDoc(got))
	if _, err := document.Check(document.KindSale, body); err != nil || !strings.Contains(string(body), `"coupons":["ALPHA","ZETA"]`) {
		t.Fatalf("document %s: %v", body, err)
	}
	if n, err := s.CouponUses(ctx, "ZETA"); err != nil || n != 1 {
		t.Fatalf("uses %d, %v", n, err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	// A sale without coupons has no coupons key: older sales keep their digest.
	plain := sellWith(t, newCheckout(t, s), "6924743915763")
	body, _ = json.Marshal(newSaleDoc(plain))
	if strings.Contains(string(body), "coupons") {
		t.Fatalf("document %s", body)
	}
	if _, err := s.w.Exec(`DELETE FROM coupon_uses WHERE code = 'ZETA'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "stored rows differ") {
		t.Fatalf("VerifyJournal after removing a coupon use = %v", err)
	}
}

// Offline, a till holds a coupon to its own allowance, counted from its completed sales: the allowance's
// use refuses the next with a clear error, a sale voided before it completed uses nothing, and a coupon
// without a limit is never refused.
func TestCouponAllowanceAtTheTill(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	saveLimited(t, s, "ONCE", 5, 1)
	saveLimited(t, s, "TWICE", 2, 0) // the allowance is the limit
	saveLimited(t, s, "FREE", 0, 0)
	co := couponCheckout(t, s)
	use := func(code string) error {
		t.Helper()
		if _, err := co.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
		return co.AddCoupon(code)
	}
	complete := func() {
		t.Helper()
		if _, err := co.PayCash(co.CashDue()); err != nil {
			t.Fatal(err)
		}
		if _, err := co.Complete(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Voided: used nothing.
	if err := use("ONCE"); err != nil {
		t.Fatal(err)
	}
	if err := co.Void(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CouponUses(ctx, "ONCE"); n != 0 {
		t.Fatalf("a voided sale used the coupon %d times", n)
	}
	if err := use("ONCE"); err != nil {
		t.Fatalf("after a void: %v", err)
	}
	complete()
	if err := use("ONCE"); !errors.Is(err, app.ErrCouponSpent) || app.ErrorCode(err) != "coupon_spent" {
		t.Fatalf("a single-use coupon again: %v", err)
	}
	for i := range 2 {
		if err := co.AddCoupon("TWICE"); err != nil {
			t.Fatalf("TWICE use %d: %v", i+1, err)
		}
		complete()
		if _, err := co.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
	}
	if err := co.AddCoupon("TWICE"); !errors.Is(err, app.ErrCouponSpent) {
		t.Fatalf("TWICE a third time: %v", err)
	}
	for range 3 {
		if err := co.AddCoupon("FREE"); err != nil {
			t.Fatal(err)
		}
		complete()
		if _, err := co.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// A cart put aside with a coupon comes back with it, parked and resumed or brought back after a crash,
// and is priced as it was; a coupon whose promotion was turned off meanwhile is left off.
func TestParkedAndOpenCartsKeepTheirCoupons(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	saveLimited(t, s, "PARK-1", 0, 0)

	co := couponCheckout(t, s)
	scanAll(t, co, "6924743915763")
	if err := co.AddCoupon("PARK-1"); err != nil {
		t.Fatal(err)
	}
	withCoupon := co.Totals()
	parked, err := co.Park(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	co2 := couponCheckout(t, s)
	if _, err := co2.Resume(ctx, s, parked.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := co2.Totals(); got.Total != withCoupon.Total || !slices.Equal(co2.Coupons(), []string{"PARK-1"}) {
		t.Fatalf("resumed %v with %v, parked %v with the coupon", got.Total, co2.Coupons(), withCoupon.Total)
	}

	// The same sale kept as the open cart, the till stopped and started again.
	k := app.NewCartKeeper(s, co2.Settings().Till, func(err error) { t.Errorf("keeping the open cart: %v", err) })
	co2.SetKeeper(k)
	scanAll(t, co2, "6924743915763")
	withCoupon = co2.Totals()
	k.Flush()
	k.Close()
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co3 := couponCheckout(t, s)
	k = app.NewCartKeeper(s, co3.Settings().Till, func(err error) { t.Errorf("keeping the open cart: %v", err) })
	defer k.Close()
	co3.SetKeeper(k)
	if r, err := co3.ResumeOpen(ctx, s); err != nil || !r.Found {
		t.Fatalf("resume open: %+v, %v", r, err)
	}
	if got := co3.Totals(); got.Total != withCoupon.Total || !slices.Equal(co3.Coupons(), []string{"PARK-1"}) {
		t.Fatalf("after the restart %v with %v, before %v with the coupon", got.Total, co3.Coupons(), withCoupon.Total)
	}

	// Parked again, the promotion turned off, resumed: priced without it.
	parked, err = co3.Park(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.PromotionList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		p.Active = false
		if _, err := s.SavePromotion(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	co4 := couponCheckout(t, s)
	if _, err := co4.Resume(ctx, s, parked.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := co4.Totals(); got.Total != withCoupon.Total.Add(cny(100)) || len(co4.Coupons()) != 0 {
		t.Fatalf("resumed after the promotion ended: %v with %v", got.Total, co4.Coupons())
	}
}
