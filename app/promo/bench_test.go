package promo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"checkout/cmd/benchtable/idle"
)

// benchProducts and benchCategories are the shop the benchmark's rules are written for.
const (
	benchProducts   = 1_000_000
	benchCategories = 200
)

func benchCategory(product int64) string { return fmt.Sprintf("cat%03d", product%benchCategories) }

// benchBasket returns a 100-line basket: pieces 1–5 of a product, one line in six weighed.
func benchBasket(rng *rand.Rand) []Item {
	items := make([]Item, 0, 100)
	for range 100 {
		p := 1 + rng.Int64N(benchProducts)
		if rng.IntN(6) == 0 {
			grams := 200 + rng.Int64N(2000)
			perKg := 800 + rng.Int64N(6000)
			items = append(items, Item{Product: p, Category: benchCategory(p), Weighed: true, Qty: 1, Grams: grams,
				UnitPrice: perKg * grams / 1000, Gross: perKg * grams / 1000})
			continue
		}
		it := pieces(p, benchCategory(p), 1+rng.Int64N(5), 150+rng.Int64N(4850))
		it.NoItemDeals = rng.IntN(40) == 0
		items = append(items, it)
	}
	return items
}

// benchRules returns 1,000 rules of every kind over the product space, about 40 of them written for the
// basket's products and categories (as a shop's current deals touch a full trolley), and five 满减 rules.
func benchRules(rng *rand.Rand, basket []Item) []Rule {
	inBasket := map[string]bool{}
	for _, it := range basket {
		inBasket[it.Category] = true
	}
	var away []string // categories with nothing in the basket
	for c := range benchCategories {
		if name := fmt.Sprintf("cat%03d", c); !inBasket[name] {
			away = append(away, name)
		}
	}
	kinds := []Kind{PercentOff, AmountOff, MemberPrice, FixedPrice, BuyGet, Bundle}
	rules := make([]Rule, 0, 1000)
	for i := range 995 {
		touch := i%25 == 0 // 40 of them
		target := func() Target {
			var t Target
			if rng.IntN(5) == 0 {
				if touch {
					t.Categories = []string{basket[rng.IntN(len(basket))].Category}
				} else {
					t.Categories = []string{away[rng.IntN(len(away))]}
				}
				return t
			}
			for range 1 + rng.IntN(8) {
				t.Products = append(t.Products, 1+rng.Int64N(benchProducts))
			}
			if touch {
				t.Products = append(t.Products, basket[rng.IntN(len(basket))].Product)
			}
			return t
		}
		r := Rule{ID: int64(i + 1), Name: fmt.Sprintf("deal %d", i+1), NameZH: fmt.Sprintf("促销%d", i+1), Kind: kinds[rng.IntN(len(kinds))], Target: target()}
		switch r.Kind {
		case PercentOff:
			r.PercentBP = 500 + 500*rng.Int64N(6)
		case AmountOff:
			r.Amount = 50 + 50*rng.Int64N(10)
		case MemberPrice:
			r.Price = 100 + rng.Int64N(3000)
		case FixedPrice:
			r.Qty = 2 + rng.Int64N(2)
			r.Price = r.Qty * (200 + rng.Int64N(2000))
		case BuyGet:
			r.Qty, r.Free = 1+rng.Int64N(2), 1
			r.PercentBP = []int64{5000, 10000}[rng.IntN(2)]
		case Bundle:
			r.Target = Target{}
			r.Groups = []Target{target(), target()}
			r.Price = 500 + rng.Int64N(2000)
		}
		if rng.IntN(10) == 0 {
			r.Window = Window{StartMinute: 20 * 60, EndMinute: 2 * 60} // 晚市: open in the benchmark's evening
		}
		rules = append(rules, r)
	}
	for i := range 5 {
		base := int64(20_000 * (i + 1))
		rules = append(rules, Rule{ID: int64(996 + i), NameZH: fmt.Sprintf("满%d减", base/100), Kind: BasketSpend,
			Tiers: []Tier{{base, base / 10}, {base * 10, base * 10 / 8}, {base * 15, base * 15 / 7}}})
	}
	return rules
}

// BenchmarkPromoPrice measures Price on a 100-line basket (pieces and weighed lines) against 1,000 active
// rules of every kind over a 1,000,000-product space and 200 categories, about 45 of them touching the
// basket. Each call gets one of 64 baskets with rules written for it. Target: p99 < 5 ms.
func BenchmarkPromoPrice(b *testing.B) {
	rng := rand.New(rand.NewPCG(2026, 12))
	type job struct {
		set   *Set
		items []Item
	}
	ctx := Context{Now: time.Date(2026, 12, 7, 21, 30, 0, 0, time.FixedZone("CST", 8*3600)), Member: true}
	var jobs []job
	var touching []int
	for range 64 {
		items := benchBasket(rng)
		set, err := NewSet(benchRules(rng, items))
		if err != nil {
			b.Fatal(err)
		}
		touching = append(touching, len(set.candidates(items, ctx)))
		jobs = append(jobs, job{set, items})
	}
	slices.Sort(touching)
	if touching[0] < 30 || touching[len(touching)-1] > 60 {
		b.Fatalf("rules touching the basket: %v, want 30–60", touching)
	}
	lat := make([]time.Duration, 0, b.N)
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := jobs[i%len(jobs)]
		start := time.Now()
		res := j.set.mustPrice(b, j.items, ctx)
		lat = append(lat, time.Since(start))
		if res.Total <= 0 {
			b.Fatal("the basket saved nothing")
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(float64(touching[len(touching)/2]), "rules-touching")
}
