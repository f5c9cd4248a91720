package app

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
	"checkout/app/promo"
)

func TestPromotionFormReadsWhatTheOwnerTyped(t *testing.T) {
	ctx := context.Background()
	find := func(ctx context.Context, code string) (Product, error) { return testShelf.ProductByBarcode(ctx, code) }
	shanghai := time.FixedZone("CST", 8*3600)
	f := PromotionForm{Kind: promo.BasketSpend, Name: " Spend more ", NameZH: "满减", All: true, Tiers: "100:10， 200：25",
		Days: [7]bool{time.Saturday: true, time.Sunday: true}, Start: "17:30", End: "24:00", From: "2026-12-01", To: "2026-12-31", Active: true}
	r, err := f.Rule(ctx, find, money.CNY, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	want := promo.Rule{Kind: promo.BasketSpend, Name: "Spend more", NameZH: "满减", Target: promo.Target{All: true},
		Tiers: []promo.Tier{{Threshold: 100_00, Off: 10_00}, {Threshold: 200_00, Off: 25_00}},
		Window: promo.Window{Days: 1<<time.Saturday | 1<<time.Sunday, StartMinute: 17*60 + 30, EndMinute: 24 * 60,
			From: time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai), To: time.Date(2027, 1, 1, 0, 0, 0, 0, shanghai)}}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("rule\n %+v\nwant\n %+v", r, want)
	}
	second := PromotionForm{Kind: promo.BuyGet, Name: "第二件半价", Products: "6900000000014, DRK-001", Qty: "1", Free: "1", Percent: "50%"}
	shelfBySKU := func(ctx context.Context, code string) (Product, error) {
		if code == "DRK-001" {
			return cola, nil
		}
		return find(ctx, code)
	}
	r, err = second.Rule(ctx, shelfBySKU, money.CNY, shanghai)
	if err != nil || r.PercentBP != 5_000 || !reflect.DeepEqual(r.Target.Products, []int64{cola.ID, cola.ID}) {
		t.Fatalf("buy-get: %+v, %v", r, err)
	}
	for _, tt := range []struct {
		name string
		f    PromotionForm
		want string
	}{
		{"an unknown product", PromotionForm{Kind: promo.PercentOff, Name: "x", Products: "999", Percent: "10"}, "product 999"},
		{"a percent over 100", PromotionForm{Kind: promo.PercentOff, Name: "x", All: true, Percent: "150"}, "percent"},
		{"a percent that is no number", PromotionForm{Kind: promo.PercentOff, Name: "x", All: true, Percent: "half"}, "percent"},
		{"a price with too many decimals", PromotionForm{Kind: promo.MemberPrice, Name: "x", All: true, Price: "1.005"}, "price"},
		{"a tier without a colon", PromotionForm{Kind: promo.BasketSpend, Name: "x", All: true, Tiers: "100-10"}, "tier"},
		{"a time that is no time", PromotionForm{Kind: promo.PercentOff, Name: "x", All: true, Percent: "10", Start: "25:00"}, "start"},
		{"a date that is no date", PromotionForm{Kind: promo.PercentOff, Name: "x", All: true, Percent: "10", From: "12/01/2026"}, "date"},
		{"a quantity of zero", PromotionForm{Kind: promo.FixedPrice, Name: "x", All: true, Qty: "0", Price: "10"}, "quantity"},
		{"nothing it applies to", PromotionForm{Kind: promo.PercentOff, Name: "x", Percent: "10"}, "applies to nothing"},
	} {
		if _, err := tt.f.Rule(ctx, find, money.CNY, shanghai); !errors.Is(err, ErrInvalidPromotion) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestPromotionTextsAreHeldToTheCatalogsRules(t *testing.T) {
	base := promo.Rule{Name: "ok", Kind: promo.PercentOff, PercentBP: 100, Target: promo.Target{All: true}}
	for _, tt := range []struct {
		name string
		edit func(*promo.Rule)
	}{
		{"a NUL in the name", func(r *promo.Rule) { r.Name = "a\x00b" }},
		{"a right-to-left override", func(r *promo.Rule) { r.NameZH = "促销\u202e" }},
		{"a newline that would split the receipt", func(r *promo.Rule) { r.Name = "half\nprice" }},
		{"invalid UTF-8", func(r *promo.Rule) { r.Name = "\xff\xfe" }},
		{"a coupon with a space", func(r *promo.Rule) { r.Coupon = "CPN 1" }},
		{"a coupon in Chinese", func(r *promo.Rule) { r.Coupon = "优惠券" }},
		{"a huge coupon", func(r *promo.Rule) { r.Coupon = strings.Repeat("A", 65) }},
	} {
		r := base
		tt.edit(&r)
		if err := CheckPromotion(r); !errors.Is(err, ErrInvalidPromotion) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if err := CheckPromotion(base); err != nil {
		t.Fatal(err)
	}
}

func TestPromotionDeskTurnsOneOffAndOn(t *testing.T) {
	ctx := context.Background()
	repo := &promotionsRepo{}
	desk := NewPromotionDesk(DefaultSettings(), repo, nil, testShelf.ProductByBarcode, time.Now)
	owner, cashier := SystemSession("Olivia"), &Session{user: User{Name: "Li", Role: RoleCashier, Active: true}}
	f := PromotionForm{Kind: promo.PercentOff, Name: "Cola 10%", Products: "6900000000014", Percent: "10", Active: true}
	if _, _, err := desk.Save(ctx, cashier, f); !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("a cashier saved: %v", err)
	}
	p, _, err := desk.Save(ctx, owner, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.SetActive(ctx, cashier, p.Rule.ID, false); !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("a cashier turned it off: %v", err)
	}
	if err := desk.SetActive(ctx, owner, p.Rule.ID, false); err != nil {
		t.Fatal(err)
	}
	list, _ := desk.Promotions(ctx)
	if last := list[len(list)-1]; last.Active || last.Rule.ID != p.Rule.ID {
		t.Fatalf("after turning it off: %+v", list)
	}
	if err := desk.SetActive(ctx, owner, 42, true); !errors.Is(err, ErrInvalidPromotion) {
		t.Fatalf("an unknown promotion: %v", err)
	}
}

func TestPromotionDeskReadsCouponLimits(t *testing.T) {
	ctx := context.Background()
	repo := &promotionsRepo{}
	desk := NewPromotionDesk(DefaultSettings(), repo, nil, testShelf.ProductByBarcode, time.Now)
	owner := SystemSession("Olivia")
	f := PromotionForm{Kind: promo.PercentOff, Name: "Coupon 10%", All: true, Percent: "10", Coupon: "CPN-10",
		CouponLimit: "100", CouponTillLimit: " 5 ", Active: true}
	p, _, err := desk.Save(ctx, owner, f)
	if err != nil || p.CouponLimit != 100 || p.CouponTillLimit != 5 {
		t.Fatalf("Save = %+v, %v", p, err)
	}
	for _, tt := range []struct {
		edit func(*PromotionForm)
		want string
	}{
		{func(f *PromotionForm) { f.CouponLimit = "-1" }, "coupon uses"},
		{func(f *PromotionForm) { f.CouponTillLimit = "many" }, "coupon uses at this till"},
		{func(f *PromotionForm) { f.Coupon = "" }, "needs a coupon code"},
	} {
		bad := f
		tt.edit(&bad)
		if _, _, err := desk.Save(ctx, owner, bad); !errors.Is(err, ErrInvalidPromotion) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", bad, err, tt.want)
		}
	}
	if len(repo.saved) != 1 {
		t.Fatalf("%d saved", len(repo.saved))
	}
}

// A bundle's form: its groups are the rule's groups, whatever the product fields hold, and a blank last
// group makes a two-group bundle.
func TestPromotionFormBundle(t *testing.T) {
	ctx := context.Background()
	find := func(ctx context.Context, code string) (Product, error) { return testShelf.ProductByBarcode(ctx, code) }
	for _, tt := range []struct {
		name string
		f    PromotionForm
		want promo.Rule
	}{
		{"two groups, the third blank",
			PromotionForm{Kind: promo.Bundle, Name: "Meal deal", Groups: []string{"6900000000014", " 6900000000021 ", "  "}, Price: "8.00",
				Products: "2000101000006", Category: "drinks", All: true, Tiers: "100:10"},
			promo.Rule{Kind: promo.Bundle, Name: "Meal deal", Price: 800,
				Groups: []promo.Target{{Products: []int64{cola.ID}}, {Products: []int64{chips.ID}}}}},
		{"three groups, several codes in one",
			PromotionForm{Kind: promo.Bundle, Name: "套餐", Groups: []string{"6900000000014，6900000000021", "2000101000006", "6900000000021"}, Price: "12"},
			promo.Rule{Kind: promo.Bundle, Name: "套餐", Price: 1200,
				Groups: []promo.Target{{Products: []int64{cola.ID, chips.ID}}, {Products: []int64{banana.ID}}, {Products: []int64{chips.ID}}}}},
	} {
		r, err := tt.f.Rule(ctx, find, money.CNY, time.UTC)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(r, tt.want) {
			t.Errorf("%s: rule\n %+v\nwant\n %+v", tt.name, r, tt.want)
		}
	}
	for _, tt := range []struct {
		name   string
		groups []string
		price  string
		want   string
	}{
		{"no groups", nil, "8", "at least two groups"},
		{"every group blank", []string{"", " ", "\t"}, "8", "at least two groups"},
		{"one group", []string{"6900000000014", "", ""}, "8", "1 filled in"},
		{"a group of separators only", []string{"6900000000014", " , ，", ""}, "8", "group 2"},
		{"an unknown product", []string{"6900000000014", "999", ""}, "8", "group 2"},
		{"a NUL in a code", []string{"6900000000014", "69000\x0000021", ""}, "8", "not a barcode or SKU"},
		{"a huge code", []string{"6900000000014", strings.Repeat("9", 100_000), ""}, "8", "not a barcode or SKU"},
		{"no price", []string{"6900000000014", "6900000000021"}, "", "price"},
		{"a price of zero", []string{"6900000000014", "6900000000021"}, "0", "price"},
		{"a negative price", []string{"6900000000014", "6900000000021"}, "-8", "price"},
		{"a price that is no number", []string{"6900000000014", "6900000000021"}, "eight", "price"},
		{"a huge price", []string{"6900000000014", "6900000000021"}, "99999999999999999999", "price"},
		{"a price above the engine's bound", []string{"6900000000014", "6900000000021"}, "100000000000", "price"},
	} {
		f := PromotionForm{Kind: promo.Bundle, Name: "Meal deal", Groups: tt.groups, Price: tt.price}
		r, err := f.Rule(ctx, find, money.CNY, time.UTC)
		if !errors.Is(err, ErrInvalidPromotion) || !strings.Contains(err.Error(), tt.want) || !reflect.DeepEqual(r, promo.Rule{}) {
			t.Errorf("%s: %+v, %v, want an error saying %q", tt.name, r, err, tt.want)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("%s: an error of %d bytes", tt.name, len(err.Error()))
		}
	}
}

// A basket rule's form (满减): its tiers in the shop's currency, over the whole basket whatever the product
// fields hold.
func TestPromotionFormBasketSpend(t *testing.T) {
	ctx := context.Background()
	find := func(ctx context.Context, code string) (Product, error) { return testShelf.ProductByBarcode(ctx, code) }
	for _, tt := range []struct {
		name string
		f    PromotionForm
		want []promo.Tier
	}{
		{"one tier", PromotionForm{Tiers: "100:10"}, []promo.Tier{{Threshold: 100_00, Off: 10_00}}},
		{"Chinese punctuation", PromotionForm{Tiers: "100：10；200：25"}, []promo.Tier{{Threshold: 100_00, Off: 10_00}, {Threshold: 200_00, Off: 25_00}}},
		{"cents and spaces", PromotionForm{Tiers: " 99.90 : 9.90 , 199.90:20 "}, []promo.Tier{{Threshold: 99_90, Off: 9_90}, {Threshold: 199_90, Off: 20_00}}},
		{"products, a category and groups do not count",
			PromotionForm{Tiers: "50:5", Products: "6900000000014", Category: "drinks", Groups: []string{"6900000000021", "999"}},
			[]promo.Tier{{Threshold: 50_00, Off: 5_00}}},
		{"a saving as large as the spend", PromotionForm{Tiers: "10:10"}, []promo.Tier{{Threshold: 10_00, Off: 10_00}}},
	} {
		tt.f.Kind, tt.f.Name = promo.BasketSpend, "Spend more"
		r, err := tt.f.Rule(ctx, find, money.CNY, time.UTC)
		want := promo.Rule{Kind: promo.BasketSpend, Name: "Spend more", Target: promo.Target{All: true}, Tiers: tt.want}
		if err != nil || !reflect.DeepEqual(r, want) {
			t.Errorf("%s: %+v, %v\nwant %+v", tt.name, r, err, want)
		}
	}
	for _, tt := range []struct{ name, tiers, want string }{
		{"no tiers", "", "needs its tiers"},
		{"separators only", " , ;，", "needs its tiers"},
		{"a saving above the spend", "10:100", "more than its spend"},
		{"a later saving above its spend", "100:10, 20:25", "more than its spend"},
		{"no colon", "100-10", "spend:save"},
		{"a spend that is no number", "lots:10", "spend is not an amount"},
		{"a saving that is no number", "100:ten", "saving is not an amount"},
		{"a negative spend", "-100:10", "above zero"},
		{"a negative saving", "100:-10", "above zero"},
		{"a saving of zero", "100:0", "above zero"},
		{"a NUL byte", "100\x00:10", "spend is not an amount"},
		{"a huge spend", "99999999999999999999:10", "spend is not an amount"},
		{"a spend above the engine's bound", "100000000000:10", "too large"},
		{"too many decimals", "100.001:10", "spend is not an amount"},
		{"tiers that do not ascend", "200:25, 100:10", "does not ascend"},
		{"a huge field", strings.Repeat("1", 100_000) + ":1", "too long"},
	} {
		f := PromotionForm{Kind: promo.BasketSpend, Name: "Spend more", Tiers: tt.tiers}
		r, err := f.Rule(ctx, find, money.CNY, time.UTC)
		if !errors.Is(err, ErrInvalidPromotion) || !strings.Contains(err.Error(), tt.want) || !reflect.DeepEqual(r, promo.Rule{}) {
			t.Errorf("%s: %+v, %v, want an error saying %q", tt.name, r, err, tt.want)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("%s: an error of %d bytes", tt.name, len(err.Error()))
		}
	}
}

// Only a bundle takes groups and only a basket rule tiers: the other kinds leave them out of the rule.
func TestPromotionFormOtherKindsIgnoreGroupsAndTiers(t *testing.T) {
	find := func(ctx context.Context, code string) (Product, error) { return testShelf.ProductByBarcode(ctx, code) }
	f := PromotionForm{Kind: promo.PercentOff, Name: "Cola 10%", Products: "6900000000014", Percent: "10",
		Groups: []string{"6900000000021", "2000101000006"}, Tiers: "not a tier"}
	r, err := f.Rule(context.Background(), find, money.CNY, time.UTC)
	if err != nil || r.Groups != nil || r.Tiers != nil || !reflect.DeepEqual(r.Target.Products, []int64{cola.ID}) {
		t.Fatalf("%+v, %v", r, err)
	}
}
