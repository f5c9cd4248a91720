package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/promo"
)

// hqSpendTen is a head office promotion: 满10减1 on every item, with a coupon.
func hqSpendTen(hqID int64, coupon string) app.Promotion {
	return app.Promotion{HQID: hqID, Active: true, CouponLimit: 10, CouponTillLimit: 2, Rule: promo.Rule{Name: "HQ spend 10 save 1",
		Kind: promo.BasketSpend, Target: promo.Target{All: true}, Tiers: []promo.Tier{{Threshold: 10_00, Off: 1_00}}, Coupon: coupon}}
}

// The head office's promotions land in the till's promotions table beside its own, each with the till's own
// id (the till's rule 1 and the head office's 1 do not clash), journaled, and the next sale's deals apply
// them; a later page changes the same row. The till refuses to change a head office rule itself.
func TestHQPromotionsAreAppliedBesideTheTillsOwn(t *testing.T) {
	s, _ := openTestStore(t)
	enrolled(t, s)
	ctx := context.Background()
	_, spendTen := promotionsFor(t, s)
	local := savePromotion(t, s, spendTen, true)
	before, err := s.ActiveDeals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.IsCoupon("HQ10") {
		t.Fatal("a coupon before the head office sent it")
	}
	journaled := journalCount(t, s, "promotion")
	done, err := s.ApplyChanges(ctx, app.HQChanges{Next: 0, PromotionsNext: 5, Promotions: []app.Promotion{hqSpendTen(local, "HQ10")}}, time.Now())
	if err != nil || done.Promotions != 1 {
		t.Fatalf("applied %+v, %v", done, err)
	}
	ps, err := s.PromotionList(ctx)
	if err != nil || len(ps) != 2 {
		t.Fatalf("%d promotions, %v", len(ps), err)
	}
	hq := ps[1]
	if ps[0].Rule.ID != local || ps[0].HQID != 0 || hq.Rule.ID == local || hq.HQID != local || hq.CouponLimit != 10 ||
		hq.CouponTillLimit != 2 || hq.Rule.Coupon != "HQ10" || hq.UpdatedBy != "hq" {
		t.Fatalf("promotions %+v", ps)
	}
	if journalCount(t, s, "promotion") != journaled+1 || journalCount(t, s, "catalog_sync") != 1 {
		t.Fatal("not journaled")
	}
	if seq, _ := s.PromotionsSeq(ctx); seq != 5 {
		t.Fatalf("promotions mark %d", seq)
	}
	if seq, _ := s.DownSeq(ctx); seq != 0 {
		t.Fatalf("the catalog's mark moved to %d", seq)
	}
	after, err := s.ActiveDeals(ctx)
	if err != nil || !after.IsCoupon("HQ10") {
		t.Fatalf("the next sale's deals lack the head office's coupon: %v", err)
	}

	// The same head office rule again: the same row, changed; a stale page changes nothing.
	changed := hqSpendTen(local, "HQ20")
	if _, err := s.ApplyChanges(ctx, app.HQChanges{PromotionsNext: 9, Promotions: []app.Promotion{changed}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	stale := hqSpendTen(local, "STALE")
	if _, err := s.ApplyChanges(ctx, app.HQChanges{PromotionsNext: 7, Promotions: []app.Promotion{stale}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	ps, _ = s.PromotionList(ctx)
	if len(ps) != 2 || ps[1].Rule.ID != hq.Rule.ID || ps[1].Rule.Coupon != "HQ20" {
		t.Fatalf("promotions %+v", ps)
	}
	if d, _ := s.ActiveDeals(ctx); !d.IsCoupon("HQ20") || d.IsCoupon("HQ10") {
		t.Fatal("the deals did not follow the change")
	}
	r := ps[1].Rule
	r.Name = "Till's own change"
	if _, err := s.SavePromotion(ctx, app.Promotion{Rule: r, Active: true, UpdatedAt: time.Now()}); !errors.Is(err, app.ErrHQPromotion) {
		t.Fatalf("the till changed a head office rule: %v", err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// A down-synced rule the till's engine refuses is held back with an error naming it: no promotion of the
// page is written and their mark stays, while the page's products (their own mark) are applied.
func TestHostileHQPromotionsAreHeldBack(t *testing.T) {
	s, _ := openTestStore(t)
	enrolled(t, s)
	ctx := context.Background()
	good := hqSpendTen(1, "GOOD")
	nul := hqSpendTen(2, "")
	nul.CouponLimit, nul.CouponTillLimit = 0, 0
	nul.Rule.Name = "Half\x00price"
	percent := app.Promotion{HQID: 3, Active: true, Rule: promo.Rule{Name: "Everything free and more", Kind: promo.PercentOff,
		PercentBP: 10001 * 100, Target: promo.Target{All: true}}}
	huge := hqSpendTen(4, "")
	huge.CouponLimit, huge.CouponTillLimit = 0, 0
	huge.Rule.Name = strings.Repeat("x", 1<<20)
	byID := app.Promotion{HQID: 5, Active: true, Rule: promo.Rule{Name: "A till's product 1", Kind: promo.PercentOff, PercentBP: 1000,
		Target: promo.Target{Products: []int64{1}}}}
	overTill := hqSpendTen(6, "OVER")
	overTill.CouponTillLimit = 11
	price := app.CatalogEntry{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", Price: cny(999), Unit: app.UnitPiece,
		TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}}
	for i, bad := range []app.Promotion{nul, percent, huge, byID, overTill, {HQID: 0, Active: true, Rule: good.Rule}} {
		price.Product.Price = cny(int64(900 + i))
		done, err := s.ApplyChanges(ctx, app.HQChanges{Next: int64(3 + i), Products: []app.CatalogEntry{price}, PromotionsNext: 4,
			Promotions: []app.Promotion{good, bad}}, time.Now())
		if err != nil || !errors.Is(done.PromotionsHeld, app.ErrInvalidPromotion) || done.Promotions != 0 || done.Products != 1 {
			t.Fatalf("hostile promotion %d %.40q: %+v, %v", bad.HQID, bad.Rule.Name, done, err)
		}
		if len(done.PromotionsHeld.Error()) > 2000 {
			t.Fatalf("the error repeats the rule: %d bytes", len(done.PromotionsHeld.Error()))
		}
		if ps, _ := s.PromotionList(ctx); len(ps) != 0 {
			t.Fatalf("hostile page stored %d promotions", len(ps))
		}
		if p, _ := s.ProductBySKU(ctx, "DRK-001"); p.Price.Minor() != int64(900+i) {
			t.Fatalf("the page's price was held back with its promotions: %s", p.Price)
		}
		if seq, _ := s.DownSeq(ctx); seq != int64(3+i) {
			t.Fatalf("mark %d", seq)
		}
		if seq, _ := s.PromotionsSeq(ctx); seq != 0 {
			t.Fatalf("promotions mark %d", seq)
		}
	}
	// A page of held promotions alone changes nothing.
	if done, err := s.ApplyChanges(ctx, app.HQChanges{Next: 8, PromotionsNext: 4, Promotions: []app.Promotion{nul}}, time.Now()); err != nil ||
		done.PromotionsHeld == nil || done.Products != 0 {
		t.Fatalf("%+v, %v", done, err)
	}
	// The same promotions without the hostile rule apply.
	done, err := s.ApplyChanges(ctx, app.HQChanges{Next: 8, PromotionsNext: 4, Promotions: []app.Promotion{good}}, time.Now())
	if err != nil || done.PromotionsHeld != nil || done.Promotions != 1 {
		t.Fatalf("%+v, %v", done, err)
	}
	if seq, _ := s.PromotionsSeq(ctx); seq != 4 {
		t.Fatalf("promotions mark %d", seq)
	}
}
