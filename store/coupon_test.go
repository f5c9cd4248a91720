package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
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
