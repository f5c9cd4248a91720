package promo

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// noon is a Monday at noon, inside every window the tests do not set.
var noon = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func pieces(product int64, category string, qty, price int64) Item {
	return Item{Product: product, Category: category, Qty: qty, UnitPrice: price, Gross: qty * price}
}

func weighed(product int64, category string, gross, grams int64) Item {
	return Item{Product: product, Category: category, Weighed: true, Qty: 1, UnitPrice: gross, Gross: gross, Grams: grams}
}

func mustSet(t *testing.T, rules ...Rule) *Set {
	t.Helper()
	s, err := NewSet(rules)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPriceEachKind(t *testing.T) {
	products := func(ids ...int64) Target { return Target{Products: ids} }
	tests := []struct {
		name  string
		rules []Rule
		items []Item
		ctx   Context
		want  []Saving
	}{{
		// 10% of 19.95 is 1.995 → 2.00 and of 19.85 is 1.985 → 1.98: halves to even, per unit.
		name:  "percent off, halves to even",
		rules: []Rule{{ID: 1, Name: "10% off", Kind: PercentOff, PercentBP: 1000, Target: products(1, 2)}},
		items: []Item{pieces(1, "a", 3, 1995), pieces(2, "a", 1, 1985), pieces(3, "a", 1, 1000)},
		want:  []Saving{{1, 0, 600}, {1, 1, 198}},
	}, {
		name:  "amount off, never below zero",
		rules: []Rule{{ID: 1, Name: "减3元", Kind: AmountOff, Amount: 300, Target: Target{Categories: []string{"snacks"}}}},
		items: []Item{pieces(1, "snacks", 2, 250), pieces(2, "snacks", 1, 1000)},
		want:  []Saving{{1, 0, 500}, {1, 1, 300}},
	}, {
		// 2×4.50 + 4.00 = 13.00 for 10.00: 3.00 split 900:400 → 207.69 and 92.31, the cent to the larger remainder.
		name:  "any 3 for ¥10",
		rules: []Rule{{ID: 1, Name: "任选3件10元", Kind: FixedPrice, Qty: 3, Price: 1000, Target: products(1, 2)}},
		items: []Item{pieces(1, "a", 2, 450), pieces(2, "a", 1, 400)},
		want:  []Saving{{1, 0, 208}, {1, 1, 92}},
	}, {
		name:  "any 3 for ¥10 with too few units",
		rules: []Rule{{ID: 1, Name: "任选3件10元", Kind: FixedPrice, Qty: 3, Price: 1000, Target: products(1, 2)}},
		items: []Item{pieces(1, "a", 2, 450)},
	}, {
		// 8.00 8.00 6.00 5.00, second at half price: (8,8)+(6,5) saves 4.00+2.50; (8,6)+(8,5) only 5.50.
		name:  "第二件半价 pairs the units well",
		rules: []Rule{{ID: 7, NameZH: "第二件半价", Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000, Target: Target{Categories: []string{"drink"}}}},
		items: []Item{pieces(1, "drink", 2, 800), pieces(2, "drink", 1, 600), pieces(3, "drink", 1, 500)},
		want:  []Saving{{7, 0, 400}, {7, 1, 136}, {7, 2, 114}}, // 2.50 over 600:500: 136.36 and 113.64
	}, {
		name:  "buy 2 get 1 free: the cheapest is free",
		rules: []Rule{{ID: 1, Name: "buy 2 get 1", Kind: BuyGet, Qty: 2, Free: 1, PercentBP: 10000, Target: products(1, 2)}},
		items: []Item{pieces(1, "a", 2, 300), pieces(2, "a", 1, 200)},
		want:  []Saving{{1, 0, 150}, {1, 1, 50}}, // 200 over 600:200
	}, {
		// 15.00 + 6.00 for 18.00: 3.00 over 1500:600 → 214.29 and 85.71.
		name: "meal deal",
		rules: []Rule{{ID: 1, Name: "Meal deal", NameZH: "套餐", Kind: Bundle, Price: 1800,
			Groups: []Target{{Categories: []string{"main"}}, {Categories: []string{"drink"}}}}},
		items: []Item{pieces(1, "main", 1, 1500), pieces(2, "drink", 2, 600)},
		want:  []Saving{{1, 0, 214}, {1, 1, 86}},
	}, {
		name:  "满100减20, 满200减50: the highest tier met",
		rules: []Rule{{ID: 1, NameZH: "满减", Kind: BasketSpend, Tiers: []Tier{{10000, 2000}, {20000, 5000}}}},
		items: []Item{pieces(1, "a", 1, 15000), pieces(2, "a", 1, 10000)},
		want:  []Saving{{1, 0, 3000}, {1, 1, 2000}},
	}, {
		name:  "member price for a member",
		rules: []Rule{{ID: 1, Name: "member", Kind: MemberPrice, Price: 800, Target: products(1)}},
		items: []Item{pieces(1, "a", 2, 1000)},
		ctx:   Context{Member: true},
		want:  []Saving{{1, 0, 400}},
	}, {
		name:  "member price, not a member",
		rules: []Rule{{ID: 1, Name: "member", Kind: MemberPrice, Price: 800, Target: products(1)}},
		items: []Item{pieces(1, "a", 2, 1000)},
	}, {
		name:  "member price of another tier",
		rules: []Rule{{ID: 1, Name: "gold", Kind: MemberPrice, Price: 800, MemberTier: "gold", Target: products(1)}},
		items: []Item{pieces(1, "a", 2, 1000)},
		ctx:   Context{Member: true, MemberTier: "silver"},
	}, {
		name:  "member price above the shelf price saves nothing",
		rules: []Rule{{ID: 1, Name: "member", Kind: MemberPrice, Price: 1200, Target: products(1)}},
		items: []Item{pieces(1, "a", 2, 1000)},
		ctx:   Context{Member: true},
	}, {
		name: "a unit takes one deal: the best, the lower rule on a tie",
		rules: []Rule{
			{ID: 3, Name: "10%", Kind: PercentOff, PercentBP: 1000, Target: products(1)},
			{ID: 2, Name: "1.00 off", Kind: AmountOff, Amount: 100, Target: products(1)},
			{ID: 4, Name: "5%", Kind: PercentOff, PercentBP: 500, Target: products(1)},
		},
		items: []Item{pieces(1, "a", 2, 1000)},
		want:  []Saving{{2, 0, 200}},
	}, {
		// 38.50 of apples at 12.00/kg; 30% is 11.55; the member's 9.80/kg on 3,208 g is 31.4384 → 31.44.
		name: "weighed: percent and member price per kg, no amount off or multi-unit deal",
		rules: []Rule{
			{ID: 1, Name: "30%", Kind: PercentOff, PercentBP: 3000, Target: products(1)},
			{ID: 2, Name: "member", Kind: MemberPrice, Price: 980, Target: products(2)},
			{ID: 3, Name: "off", Kind: AmountOff, Amount: 100, Target: products(1, 2)},
			{ID: 4, Name: "2 for 1", Kind: FixedPrice, Qty: 2, Price: 100, Target: products(1, 2)},
		},
		items: []Item{weighed(1, "fruit", 3850, 3208), weighed(2, "fruit", 3850, 3208), weighed(2, "fruit", 500, 0)},
		ctx:   Context{Member: true},
		want:  []Saving{{1, 0, 1155}, {2, 1, 3850 - 3144}},
	}, {
		name: "a line priced by hand takes no item deal but counts toward the basket",
		rules: []Rule{
			{ID: 1, Name: "10%", Kind: PercentOff, PercentBP: 1000, Target: Target{All: true}},
			{ID: 2, Name: "满100减10", Kind: BasketSpend, Tiers: []Tier{{10000, 1000}}},
		},
		items: []Item{{Product: 1, Qty: 1, UnitPrice: 6000, Gross: 6000, NoItemDeals: true}, pieces(2, "a", 1, 5000)},
		// 5.00 off the second; spend 105.00 meets 满100: 10.00 over 6000:4500.
		want: []Saving{{2, 0, 571}, {1, 1, 500}, {2, 1, 429}},
	}, {
		name:  "a deal that would cost more is never taken",
		rules: []Rule{{ID: 1, Name: "3 for 10", Kind: FixedPrice, Qty: 3, Price: 1000, Target: Target{All: true}}},
		items: []Item{pieces(1, "a", 3, 300)},
	}, {
		// Half of 0.01 rounds to 0.00 (half to even): the pair saves nothing, so no deal is recorded.
		name:  "a buy-get whose discount rounds to nothing",
		rules: []Rule{{ID: 1, Name: "b1g1 half", Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000, Target: Target{All: true}}},
		items: []Item{pieces(1, "a", 2, 1)},
	}, {
		name:  "a piece line whose gross is not price × quantity takes no item deal",
		rules: []Rule{{ID: 1, Name: "10%", Kind: PercentOff, PercentBP: 1000, Target: Target{All: true}}},
		items: []Item{{Product: 1, Qty: 3, UnitPrice: 1000, Gross: 2500}, pieces(2, "a", 1, 5000)},
		want:  []Saving{{1, 1, 500}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ctx.Now.IsZero() {
				tt.ctx.Now = noon
			}
			res := mustSet(t, tt.rules...).mustPrice(t, tt.items, tt.ctx)
			var total int64
			for _, s := range tt.want {
				total += s.Amount
			}
			if !reflect.DeepEqual(res.Savings, tt.want) || res.Total != total {
				t.Errorf("got %+v total %d, want %+v total %d", res.Savings, res.Total, tt.want, total)
			}
			checkSplit(t, tt.items, res)
		})
	}
}

// TestPriceSkipsADealThatLosesATier: a deal that drops the spend below a 满减 tier is worth skipping when
// the tier saves more, and a smaller deal can still be taken.
func TestPriceSkipsADealThatLosesATier(t *testing.T) {
	set := mustSet(t,
		Rule{ID: 1, Name: "A 20%", Kind: PercentOff, PercentBP: 2000, Target: Target{Products: []int64{1}}},
		Rule{ID: 2, Name: "B 5%", Kind: PercentOff, PercentBP: 500, Target: Target{Products: []int64{2}}},
		Rule{ID: 3, NameZH: "满100减15", Kind: BasketSpend, Tiers: []Tier{{10000, 1500}}},
	)
	items := []Item{pieces(1, "a", 1, 6000), pieces(2, "a", 1, 5000)}
	// Both deals: 14.50 and a spend of 95.50, no tier. A alone: 12.00. Neither: 15.00. B alone: 2.50 and a
	// spend of 107.50, so 17.50: the tier's 15.00 over 6000:4750 is 837.21 and 662.79 → 837 and 663.
	res := set.mustPrice(t, items, Context{Now: noon})
	want := []Saving{{3, 0, 837}, {2, 1, 250}, {3, 1, 663}}
	if !reflect.DeepEqual(res.Savings, want) || res.Total != 1750 {
		t.Errorf("got %+v total %d, want %+v total 1750", res.Savings, res.Total, want)
	}

	// The same with a multi-unit deal: 2 for 90.00 on 2×50.00 would save 10.00 but lose 满100减15.
	set = mustSet(t,
		Rule{ID: 1, Name: "2 for 90", Kind: FixedPrice, Qty: 2, Price: 9000, Target: Target{Products: []int64{1}}},
		Rule{ID: 3, NameZH: "满100减15", Kind: BasketSpend, Tiers: []Tier{{10000, 1500}}},
	)
	res = set.mustPrice(t, []Item{pieces(1, "a", 2, 5000)}, Context{Now: noon})
	if want := []Saving{{3, 0, 1500}}; !reflect.DeepEqual(res.Savings, want) {
		t.Errorf("got %+v, want %+v", res.Savings, want)
	}
}

func TestWindows(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	at := func(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
		return time.Date(y, m, d, hh, mm, 0, 0, loc)
	}
	from := at(shanghai, 2026, 12, 1, 0, 0)
	to := at(shanghai, 2026, 12, 8, 0, 0)
	fri := uint8(1 << time.Friday)
	tests := []struct {
		name string
		w    Window
		now  time.Time
		want bool
	}{
		{"open-ended", Window{}, noon, true},
		{"at From", Window{From: from, To: to}, from, true},
		{"just before From", Window{From: from, To: to}, from.Add(-time.Second), false},
		{"just before To", Window{From: from, To: to}, to.Add(-time.Second), true},
		{"at To: exclusive", Window{From: from, To: to}, to, false},
		{"To in another zone", Window{To: to}, to.UTC().Add(-time.Nanosecond), true},
		{"weekend only, on Saturday", Window{Days: 1<<time.Saturday | 1<<time.Sunday}, at(shanghai, 2026, 12, 5, 10, 0), true},
		{"weekend only, on Monday", Window{Days: 1<<time.Saturday | 1<<time.Sunday}, at(shanghai, 2026, 12, 7, 10, 0), false},
		// Read on the shop's clock: Monday 01:00 in Shanghai is Sunday in UTC.
		{"day in the shop's zone", Window{Days: 1 << time.Monday}, at(shanghai, 2026, 12, 7, 1, 0), true},
		{"早市 07:00–09:00, 06:59", Window{StartMinute: 7 * 60, EndMinute: 9 * 60}, at(shanghai, 2026, 12, 7, 6, 59), false},
		{"早市 07:00–09:00, 07:00", Window{StartMinute: 7 * 60, EndMinute: 9 * 60}, at(shanghai, 2026, 12, 7, 7, 0), true},
		{"早市 07:00–09:00, 09:00", Window{StartMinute: 7 * 60, EndMinute: 9 * 60}, at(shanghai, 2026, 12, 7, 9, 0), false},
		{"晚市 20:00–02:00, 23:59", Window{StartMinute: 20 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 7, 23, 59), true},
		{"晚市 20:00–02:00, 01:59", Window{StartMinute: 20 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 7, 1, 59), true},
		{"晚市 20:00–02:00, 02:00", Window{StartMinute: 20 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 7, 2, 0), false},
		{"晚市 20:00–02:00, noon", Window{StartMinute: 20 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 7, 12, 0), false},
		{"Friday night, Saturday 01:00", Window{Days: fri, StartMinute: 22 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 5, 1, 0), true},
		{"Friday night, Friday 01:00", Window{Days: fri, StartMinute: 22 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 4, 1, 0), false},
		{"Friday night, Friday 23:00", Window{Days: fri, StartMinute: 22 * 60, EndMinute: 2 * 60}, at(shanghai, 2026, 12, 4, 23, 0), true},
		{"until midnight", Window{StartMinute: 22 * 60, EndMinute: 24 * 60}, at(shanghai, 2026, 12, 4, 23, 59), true},
		// Berlin skips 02:00–03:00 on 29 March 2026 and has 02:00–03:00 twice on 25 October 2026.
		{"DST spring, 01:59 CET", Window{StartMinute: 60, EndMinute: 3 * 60}, at(berlin, 2026, 3, 29, 1, 59), true},
		{"DST spring, 03:00 CEST", Window{StartMinute: 60, EndMinute: 3 * 60}, time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC).In(berlin), false},
		{"DST autumn, first 02:30", Window{StartMinute: 2 * 60, EndMinute: 3 * 60}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(berlin), true},
		{"DST autumn, second 02:30", Window{StartMinute: 2 * 60, EndMinute: 3 * 60}, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC).In(berlin), true},
		{"DST autumn, 03:00 CET", Window{StartMinute: 2 * 60, EndMinute: 3 * 60}, time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC).In(berlin), false},
	}
	for _, tt := range tests {
		if got := tt.w.Contains(tt.now); got != tt.want {
			t.Errorf("%s: Contains(%s) = %v, want %v", tt.name, tt.now.Format(time.RFC3339), got, tt.want)
		}
	}
	// Price honours the window.
	set := mustSet(t, Rule{ID: 1, NameZH: "晚市八折", Kind: PercentOff, PercentBP: 2000, Target: Target{All: true},
		Window: Window{StartMinute: 20 * 60, EndMinute: 2 * 60}})
	items := []Item{pieces(1, "a", 1, 1000)}
	if got := set.mustPrice(t, items, Context{Now: at(shanghai, 2026, 12, 7, 21, 0)}).Total; got != 200 {
		t.Errorf("at 21:00: saves %d, want 200", got)
	}
	if got := set.mustPrice(t, items, Context{Now: at(shanghai, 2026, 12, 7, 19, 0)}).Total; got != 0 {
		t.Errorf("at 19:00: saves %d, want 0", got)
	}
}

func TestCoupons(t *testing.T) {
	set := mustSet(t,
		Rule{ID: 1, Name: "coupon 5 off", Kind: AmountOff, Amount: 500, Coupon: "SAVE5", Target: Target{Products: []int64{1}}},
		Rule{ID: 2, NameZH: "券满50减10", Kind: BasketSpend, Coupon: "MJ10", Tiers: []Tier{{5000, 1000}}},
	)
	items := []Item{pieces(1, "a", 1, 6000)}
	for _, tt := range []struct {
		coupons []string
		want    int64
	}{
		{nil, 0},
		{[]string{"save5"}, 0}, // codes are exact
		{[]string{"SAVE5"}, 500},
		{[]string{"SAVE5", "SAVE5"}, 500}, // one code twice unlocks nothing more
		{[]string{"MJ10", "MJ10"}, 1000},
		{[]string{"MJ10", "SAVE5"}, 1500},
	} {
		if got := set.mustPrice(t, items, Context{Now: noon, Coupons: tt.coupons}).Total; got != tt.want {
			t.Errorf("coupons %q: saves %d, want %d", tt.coupons, got, tt.want)
		}
	}
}

func TestNewSetRefuses(t *testing.T) {
	valid := Rule{ID: 1, NameZH: "第二件半价", Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000, Target: Target{Categories: []string{"饮料"}}}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		edit func(*Rule)
		want string
	}{
		{"no id", func(r *Rule) { r.ID = 0 }, "id"},
		{"no name", func(r *Rule) { r.NameZH = "" }, "no name"},
		{"no kind", func(r *Rule) { r.Kind = "" }, "no kind"},
		{"unknown kind", func(r *Rule) { r.Kind = "bogof" }, "unknown kind"},
		{"negative price", func(r *Rule) { r.Price = -1 }, "price -1 is below zero"},
		{"negative amount", func(r *Rule) { r.Kind, r.Amount = AmountOff, -100 }, "amount -100 is below zero"},
		{"percent above 100%", func(r *Rule) { r.PercentBP = 10001 }, "outside 1..10000"},
		{"percent zero", func(r *Rule) { r.Kind, r.PercentBP = PercentOff, 0 }, "outside 1..10000"},
		{"buy 0", func(r *Rule) { r.Qty = 0 }, "at least 1"},
		{"fixed price Qty 0", func(r *Rule) { r.Kind, r.Qty = FixedPrice, 0 }, "quantity 0 is below 1"},
		{"empty target", func(r *Rule) { r.Target = Target{} }, "applies to nothing"},
		{"bundle of one", func(r *Rule) { r.Kind, r.Groups = Bundle, []Target{{All: true}} }, "at least 2 groups"},
		{"bundle group empty", func(r *Rule) { r.Kind, r.Groups = Bundle, []Target{{All: true}, {}} }, "group 2 takes nothing"},
		{"no tiers", func(r *Rule) { r.Kind, r.Target = BasketSpend, Target{} }, "no tiers"},
		{"basket with a target", func(r *Rule) { r.Kind, r.Tiers = BasketSpend, []Tier{{100, 10}} }, "whole basket"},
		{"tiers not ascending", func(r *Rule) {
			r.Kind, r.Target, r.Tiers = BasketSpend, Target{}, []Tier{{20000, 5000}, {10000, 2000}}
		}, "tier 2 does not ascend"},
		{"tier saves more than its spend", func(r *Rule) { r.Kind, r.Target, r.Tiers = BasketSpend, Target{}, []Tier{{100, 200}} }, "more than its spend"},
		{"window ends before it starts", func(r *Rule) { r.Window = Window{From: from, To: from.Add(-time.Hour)} }, "ends"},
		{"window empty", func(r *Rule) { r.Window = Window{From: from, To: from} }, "ends"},
		{"minute out of the day", func(r *Rule) { r.Window.EndMinute = 1441 }, "end minute"},
		{"day bits", func(r *Rule) { r.Window.Days = 0x80 }, "day mask"},
		{"too many units in one deal", func(r *Rule) { r.Qty = 40 }, "above"},
	}
	if _, err := NewSet([]Rule{valid}); err != nil {
		t.Fatalf("the valid rule: %v", err)
	}
	for _, tt := range tests {
		r := valid
		tt.edit(&r)
		_, err := NewSet([]Rule{{ID: 99, Name: "fine", Kind: AmountOff, Amount: 1, Target: Target{All: true}}, r})
		if !errors.Is(err, ErrInvalidRule) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want one containing %q", tt.name, err, tt.want)
			continue
		}
		if r.ID != 0 && !strings.Contains(err.Error(), "1 \"") {
			t.Errorf("%s: %v does not name the rule", tt.name, err)
		}
	}
	if _, err := NewSet([]Rule{valid, valid}); err == nil || !strings.Contains(err.Error(), "第二件半价") {
		t.Errorf("two rules with one id: %v", err)
	}
}

func TestLowestUnitPrice(t *testing.T) {
	tests := []struct {
		rule Rule
		want int64
	}{
		{Rule{Kind: PercentOff, PercentBP: 1500}, 850},
		{Rule{Kind: AmountOff, Amount: 300}, 700},
		{Rule{Kind: AmountOff, Amount: 3000}, 0},
		{Rule{Kind: MemberPrice, Price: 799}, 799},
		{Rule{Kind: MemberPrice, Price: 1299}, 1000},
		{Rule{Kind: FixedPrice, Qty: 3, Price: 1000}, 333},
		{Rule{Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000}, 750},
		{Rule{Kind: BuyGet, Qty: 2, Free: 1, PercentBP: 10000}, 666},
		{Rule{Kind: Bundle, Price: 1500, Groups: []Target{{All: true}, {All: true}}}, 750},
		{Rule{Kind: BasketSpend, Tiers: []Tier{{10000, 2000}, {20000, 5000}}}, 750},
	}
	for _, tt := range tests {
		if got := tt.rule.LowestUnitPrice(1000); got != tt.want {
			t.Errorf("%s %+v: LowestUnitPrice(1000) = %d, want %d", tt.rule.Kind, tt.rule, got, tt.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		weights := make([]int64, 1+rng.IntN(6))
		var sum int64
		for i := range weights {
			if rng.IntN(4) > 0 {
				weights[i] = rng.Int64N(1_000_000_000_000)
			}
			sum += weights[i]
		}
		if sum == 0 {
			continue
		}
		amount := rng.Int64N(sum + 1)
		parts := allocate(amount, weights)
		var got int64
		for i, p := range parts {
			if p < 0 || p > weights[i] {
				t.Fatalf("allocate(%d, %v) = %v: part %d out of 0..%d", amount, weights, parts, i, weights[i])
			}
			got += p
		}
		if got != amount {
			t.Fatalf("allocate(%d, %v) = %v: sums to %d", amount, weights, parts, got)
		}
	}
	if got := allocate(2, []int64{1, 1, 1}); !reflect.DeepEqual(got, []int64{1, 1, 0}) {
		t.Errorf("ties go to the earlier line: %v", got)
	}
}

func TestPriceIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 300 {
		rules, items, ctx := randomBasket(rng)
		set, err := NewSet(rules)
		if err != nil {
			continue
		}
		first := set.mustPrice(t, items, ctx)
		for range 3 {
			if again := set.mustPrice(t, items, ctx); !reflect.DeepEqual(again, first) {
				t.Fatalf("%+v then %+v", first, again)
			}
		}
	}
}

// TestPriceLargeBaskets checks the split on the benchmark's baskets, where components, the 满减 check
// and every kind meet at scale: exact sums, no line below zero, and each rule's ID one of the set's.
func TestPriceLargeBaskets(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	ctx := Context{Now: time.Date(2026, 12, 7, 21, 30, 0, 0, time.FixedZone("CST", 8*3600)), Member: true}
	for range 16 {
		items := benchBasket(rng)
		rules := benchRules(rng, items)
		set, err := NewSet(rules)
		if err != nil {
			t.Fatal(err)
		}
		res := set.mustPrice(t, items, ctx)
		if res.Total <= 0 {
			t.Fatal("nothing saved")
		}
		checkSplit(t, items, res)
		ids := map[int64]Kind{}
		for _, r := range rules {
			ids[r.ID] = r.Kind
		}
		for _, s := range res.Savings {
			if _, ok := ids[s.Rule]; !ok {
				t.Fatalf("saving %+v names no rule", s)
			}
			if items[s.Item].NoItemDeals && ids[s.Rule] != BasketSpend {
				t.Fatalf("saving %+v: an item deal on a line priced by hand", s)
			}
		}
	}
}

// TestPriceLargeComponentInTheTierCheck: a component too large to enumerate (3^12 states) can still drop
// applications in the 满减 check.
func TestPriceLargeComponentInTheTierCheck(t *testing.T) {
	var items []Item
	for i := range 12 {
		items = append(items, pieces(int64(i+1), "yogurt", 2, 500))
	}
	items = append(items, pieces(100, "wine", 1, 10000))
	set := mustSet(t,
		Rule{ID: 1, NameZH: "酸奶任选2件8元", Kind: FixedPrice, Qty: 2, Price: 800, Target: Target{Categories: []string{"yogurt"}}},
		Rule{ID: 3, NameZH: "满205减15", Kind: BasketSpend, Tiers: []Tier{{20500, 1500}}},
	)
	// Twelve pairs save 24.00 and leave 196.00, below 205. Seven pairs leave 206.00: 14.00 + 15.00.
	res := set.mustPrice(t, items, Context{Now: noon})
	if res.Total != 2900 {
		t.Fatalf("saves %d, want 2900: %+v", res.Total, res.Savings)
	}
	var yogurt, basket int64
	for _, s := range res.Savings {
		switch s.Rule {
		case 1:
			yogurt += s.Amount
		case 3:
			basket += s.Amount
		}
	}
	if yogurt != 1400 || basket != 1500 {
		t.Errorf("yogurt %d, basket %d; want 1400 and 1500", yogurt, basket)
	}
	checkSplit(t, items, res)
}

// TestPriceConcurrently: a Set is read-only once made, so tills' goroutines may share it (run with -race).
func TestPriceConcurrently(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	items := benchBasket(rng)
	set, err := NewSet(benchRules(rng, items))
	if err != nil {
		t.Fatal(err)
	}
	ctx := Context{Now: time.Date(2026, 12, 7, 21, 30, 0, 0, time.UTC), Member: true}
	want := set.mustPrice(t, items, ctx)
	done := make(chan Result)
	for range 4 {
		go func() {
			res, err := set.Price(items, ctx)
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
	}
	for range 4 {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Errorf("concurrent Price differs: %+v", got)
		}
	}
}

// TestPriceLargeComponentsStayValid prices random baskets whose components are too large to enumerate,
// with 满减 tiers near their spend: the split stays exact, and the result is never worse than the best
// item deals with whatever tier they leave.
func TestPriceLargeComponentsStayValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 21))
	better := 0
	for n := range 200 {
		var items []Item
		for i := range 8 + rng.IntN(6) {
			items = append(items, pieces(int64(i+1), []string{"yogurt", "milk"}[rng.IntN(2)], 1+rng.Int64N(3), 100+rng.Int64N(900)))
		}
		var gross int64
		for _, it := range items {
			gross += it.Gross
		}
		deals := []Rule{
			{ID: 1, Name: "3 for", Kind: FixedPrice, Qty: 3, Price: 600 + rng.Int64N(1200), Target: Target{Categories: []string{"yogurt", "milk"}}},
			{ID: 2, Name: "b1g1", Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000, Target: Target{Categories: []string{"yogurt"}}},
			{ID: 3, Name: "meal", Kind: Bundle, Price: 500 + rng.Int64N(800), Groups: []Target{{Categories: []string{"milk"}}, {Categories: []string{"yogurt"}}}},
			{ID: 4, Name: "10%", Kind: PercentOff, PercentBP: 1000, Target: Target{Categories: []string{"milk"}}},
		}
		itemsOnly := mustSet(t, deals...).mustPrice(t, items, Context{Now: noon}).Total
		threshold := gross - itemsOnly + 1 + rng.Int64N(itemsOnly/2+1)
		tier := Rule{ID: 5, NameZH: "满减", Kind: BasketSpend, Tiers: []Tier{{threshold, 1 + rng.Int64N(min(threshold, itemsOnly))}}}
		res := mustSet(t, append(deals, tier)...).mustPrice(t, items, Context{Now: noon})
		if res.Total < itemsOnly {
			t.Fatalf("basket %d: saves %d, less than the item deals alone (%d)", n, res.Total, itemsOnly)
		}
		if res.Total > itemsOnly {
			better++
		}
		checkSplit(t, items, res)
	}
	if better < 50 {
		t.Errorf("only %d of 200 baskets gained a tier by giving up item deals", better)
	}
}

// An owner's pile of overlapping multi-unit deals is searched at most maxComponentDeals at a time: the
// rest are left out of the basket (the first by rule order stay), and what is chosen still adds up.
func TestPriceBoundsTheDealsOneComponentSearches(t *testing.T) {
	var items []Item
	for i := range 20 {
		items = append(items, pieces(int64(i+1), "drinks", 1+int64(i%3), 150+int64(i)*37))
	}
	var rules []Rule
	for id := int64(1); id <= 12; id++ {
		r := Rule{ID: id, Name: "deal", Target: Target{Categories: []string{"drinks"}}}
		if id%2 == 0 {
			r.Kind, r.Qty, r.Price = FixedPrice, 2+id%3, 300+id*20
		} else {
			r.Kind, r.Qty, r.Free, r.PercentBP = BuyGet, 1+id%3, 1, 3000+id*100
		}
		rules = append(rules, r)
	}
	s := mustSet(t, rules...)
	start := time.Now()
	res := s.mustPrice(t, items, Context{Now: noon})
	took := time.Since(start)
	if res.Total <= 0 {
		t.Fatal("no deal applied")
	}
	used := map[int64]bool{}
	for _, sv := range res.Savings {
		used[sv.Rule] = true
	}
	for id := range used {
		if id > maxComponentDeals {
			t.Errorf("rule %d applied: only the first %d share a component", id, maxComponentDeals)
		}
	}
	checkSplit(t, items, res)
	t.Logf("12 deals over 20 lines: %v, saving %d", took, res.Total)
}

// A line of the most pieces the cart takes (100,000) prices as fast as a shelf's worth: the multi-unit
// search never walks a unit at a time through it.
func TestPriceHugeQuantity(t *testing.T) {
	fixed := Rule{ID: 1, Name: "3 for 10", Kind: FixedPrice, Qty: 3, Price: 1000, Target: Target{Products: []int64{1, 2}}}
	bundle := Rule{ID: 2, Name: "meal", Kind: Bundle, Price: 800, Groups: []Target{{Products: []int64{1}}, {Products: []int64{2}}}}
	half := Rule{ID: 3, Name: "second half", Kind: BuyGet, Qty: 1, Free: 1, PercentBP: 5000, Target: Target{Products: []int64{1}}}
	tier := Rule{ID: 4, Name: "满减", Kind: BasketSpend, Tiers: []Tier{{Threshold: 100_000_000, Off: 500_000}}}
	for _, n := range []int64{maxDealLineUnits, 100_000} {
		items := []Item{pieces(1, "drinks", n, 450), pieces(2, "snacks", n, 650)}
		for _, rules := range [][]Rule{{fixed}, {bundle}, {half, tier}, {fixed, bundle, half, tier}} {
			start := time.Now()
			res := mustSet(t, rules...).mustPrice(t, items, Context{Now: noon})
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("%d rules over two lines of %d pieces: %v", len(rules), n, took)
			}
			t.Logf("%d rules, two lines of %d: %v, saving %d", len(rules), n, time.Since(start), res.Total)
			checkSplit(t, items, res)
		}
	}
}

// mustPrice is Price failing the test on an error.
func (s *Set) mustPrice(tb testing.TB, items []Item, ctx Context) Result {
	tb.Helper()
	res, err := s.Price(items, ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// The engine's assertions inside (here: the best choice of a component whose memo disagrees with the walk
// back through it) end at Price as an InternalError with no savings, never as a panic.
func TestPriceInconsistencyIsAnErrorNotAPanic(t *testing.T) {
	set := mustSet(t, Rule{ID: 1, Name: "任选3件10元", Kind: FixedPrice, Qty: 3, Price: 1000, Target: Target{Products: []int64{1, 2}}})
	items := []Item{pieces(1, "a", 2, 450), pieces(2, "a", 1, 400)}
	if res := set.mustPrice(t, items, Context{Now: noon}); res.Total != 300 {
		t.Fatalf("saves %d before the corruption, want 300", res.Total)
	}
	corrupted := 0
	set.testHookComponents = func(comps []*component) {
		for _, c := range comps {
			// The best from the first unit with nothing open claims more than any choice saves.
			st := make([]int64, c.width)
			if c.packed != nil {
				c.packed[packedKey{0, c.pack(st)}] = 1 << 40
			} else {
				c.memo[c.key(0, st)] = 1 << 40
			}
			corrupted++
		}
	}
	res, err := set.Price(items, Context{Now: noon})
	var ie *InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "cannot be retraced") || len(ie.Stack) == 0 {
		t.Fatalf("error %v, want an InternalError from the retrace", err)
	}
	if corrupted != 1 || res.Total != 0 || res.Savings != nil {
		t.Fatalf("corrupted %d components; result %+v, want none", corrupted, res)
	}
}
