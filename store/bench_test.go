package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/devices/scanner"
)

// latencies collects per-operation durations and reports their median and 99th percentile.
type latencies []time.Duration

func (l latencies) quantile(q float64) time.Duration {
	s := slices.Clone(l)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// BenchmarkSaleCommit measures the durable commit of a 5-line, 1-tender sale against one bare single-row
// INSERT transaction on a file with the same settings, in the same run. Target: median ratio ≤ 1.5.
func BenchmarkSaleCommit(b *testing.B) {
	s, _ := openTestStore(b)
	ctx := context.Background()
	template := sellCash(b, s, "5449000000996", "6924743915763", "6924743915770", "5449000000996", "0.455*2000101000006", "0.300*2000101000006")
	if len(template.Lines) != 4 {
		// two piece lines merged: add a fifth line so the sale has 5
		b.Fatalf("template has %d lines", len(template.Lines))
	}
	template.Lines = append(template.Lines, template.Lines[3])

	bare, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), "bare.db"), false))
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	bare.SetMaxOpenConns(1)
	if _, err := bare.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}

	sales, inserts := make(latencies, 0, b.N), make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sale := *template
		sale.ID = app.NewID()
		start := time.Now()
		if err := s.CommitSale(ctx, &sale); err != nil {
			b.Fatal(err)
		}
		sales = append(sales, time.Since(start))

		b.StopTimer()
		start = time.Now()
		tx, err := bare.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES (?)`, sale.ID); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		inserts = append(inserts, time.Since(start))
		b.StartTimer()
	}
	b.ReportMetric(micros(sales.quantile(0.5)), "sale-p50-µs")
	b.ReportMetric(micros(sales.quantile(0.99)), "sale-p99-µs")
	b.ReportMetric(micros(inserts.quantile(0.5)), "bare-p50-µs")
	b.ReportMetric(micros(inserts.quantile(0.99)), "bare-p99-µs")
	b.ReportMetric(float64(sales.quantile(0.5))/float64(inserts.quantile(0.5)), "ratio-p50")
}

const bigCatalog = 1_000_000

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigCatalogStore returns a store holding a generated 1,000,000-product catalog, built once per run.
func bigCatalogStore(b *testing.B) *Store {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "checkout-bench-")
		if bigErr != nil {
			return
		}
		var s *Store
		if s, bigErr = Open(context.Background(), filepath.Join(bigDir, "big.db")); bigErr != nil {
			return
		}
		defer s.Close()
		start := time.Now()
		batch := make([]app.CatalogEntry, 0, 10_000)
		for i := range bigCatalog {
			name, nameZH := benchName(i)
			batch = append(batch, app.CatalogEntry{
				Product: app.Product{SKU: fmt.Sprintf("GEN-%07d", i), Name: name, NameZH: nameZH,
					Price: cny(int64(100 + i%9900)), Unit: app.UnitPiece, TaxClass: "standard", Active: true},
				Barcodes: []string{benchCode(i)},
			})
			if len(batch) == cap(batch) {
				if _, bigErr = s.AddProducts(context.Background(), batch); bigErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
		fmt.Fprintf(os.Stderr, "generated %d products in %v\n", bigCatalog, time.Since(start).Round(time.Millisecond))
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	s, err := Open(context.Background(), filepath.Join(bigDir, "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// Words of generated product names: a supermarket's brands, goods and sizes, in English and Chinese.
var (
	benchBrands   = []string{"Master Kong", "Uni-President", "Nongfu", "Wahaha", "Yili", "Mengniu", "Bright", "Coca-Cola", "Pepsi", "Lay's", "Oreo", "Dove", "Nestle", "Haitian", "Lee Kum Kee", "Want Want", "Dali", "Three Squirrels", "Liangpin", "Bestore"}
	benchBrandsZH = []string{"康师傅", "统一", "农夫山泉", "娃哈哈", "伊利", "蒙牛", "光明", "可口可乐", "百事", "乐事", "奥利奥", "德芙", "雀巢", "海天", "李锦记", "旺旺", "达利园", "三只松鼠", "良品铺子", "百草味"}
	benchGoods    = []string{"green tea", "jasmine tea", "milk", "yoghurt", "cola", "orange juice", "instant noodles", "soy sauce", "oyster sauce", "biscuits", "chocolate", "potato chips", "cashews", "walnuts", "bread", "cake", "rice", "vinegar", "mineral water", "coffee", "sparkling water", "dried mango", "beef jerky", "sunflower seeds", "rice crackers", "sausage", "candy", "gum", "ice tea", "soda water"}
	benchGoodsZH  = []string{"绿茶", "茉莉花茶", "纯牛奶", "酸奶", "可乐", "橙汁", "方便面", "酱油", "蚝油", "饼干", "巧克力", "薯片", "腰果", "核桃", "面包", "蛋糕", "大米", "香醋", "矿泉水", "咖啡", "苏打水", "芒果干", "牛肉干", "瓜子", "米饼", "香肠", "糖果", "口香糖", "冰红茶", "汽水"}
	benchSizes    = []string{"250ml", "330ml", "500ml", "1L", "1.5L", "70g", "100g", "200g", "500g", "1kg"}
	benchFlavours = []string{"original", "spicy", "sweet", "light", "classic", "family pack", "mini", "extra", "lemon", "honey"}
)

// benchName returns the i-th generated product's English and Chinese names.
func benchName(i int) (string, string) {
	b, g, sz, f := i%len(benchBrands), (i/len(benchBrands))%len(benchGoods), (i/600)%len(benchSizes), (i/6000)%len(benchFlavours)
	return fmt.Sprintf("%s %s %s %s", benchBrands[b], benchGoods[g], benchFlavours[f], benchSizes[sz]),
		fmt.Sprintf("%s%s %s", benchBrandsZH[b], benchGoodsZH[g], benchSizes[sz])
}

// benchCode returns the i-th generated EAN-13: 69 + ten digits + check digit.
func benchCode(i int) string {
	data := fmt.Sprintf("69%010d", i)
	return data + string(barcode.CheckDigit(data))
}

// BenchmarkBarcodeLookup measures barcode → product over a 1,000,000-product catalog, random codes.
// Target: p99 < 1 ms.
func BenchmarkBarcodeLookup(b *testing.B) {
	s := bigCatalogStore(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := benchCode(rng.IntN(bigCatalog))
		start := time.Now()
		p, err := s.ProductByBarcode(ctx, code)
		lat = append(lat, time.Since(start))
		if err != nil || p.ID == 0 {
			b.Fatalf("lookup %s: %+v, %v", code, p, err)
		}
	}
	b.ReportMetric(micros(lat.quantile(0.5)), "p50-µs")
	b.ReportMetric(micros(lat.quantile(0.99)), "p99-µs")
}

// BenchmarkScanToCart measures a scanner frame's arrival to its line in the cart over a 1,000,000-product
// catalog: framing, barcode rules, lookup and cart update (not rendering). Target: p99 < 5 ms.
func BenchmarkScanToCart(b *testing.B) {
	s := bigCatalogStore(b)
	ctx := context.Background()
	co := newCheckout(b, s)
	framer := scanner.NewFramer(scanner.FrameConfig{})
	rng := rand.New(rand.NewPCG(3, 4))
	lat := make(latencies, 0, b.N)
	var scanErr error
	emit := func(code string, err error) {
		if err == nil {
			_, err = co.Scan(ctx, code)
		}
		scanErr = err
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%30 == 29 { // a basket is about 30 scans; start the next one
			b.StopTimer()
			if err := co.Void(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		frame := []byte(benchCode(rng.IntN(bigCatalog)) + "\r")
		start := time.Now()
		framer.Push(start, frame, emit)
		lat = append(lat, time.Since(start))
		if scanErr != nil {
			b.Fatalf("scan %q: %v", frame, scanErr)
		}
	}
	b.ReportMetric(micros(lat.quantile(0.5)), "p50-µs")
	b.ReportMetric(micros(lat.quantile(0.99)), "p99-µs")
}

// BenchmarkNameSearch measures search as the cashier types, over 1,000,000 products: word and pinyin
// prefixes, Chinese pieces and substrings, SKU and code prefixes. Target: p95 < 20 ms.
func BenchmarkNameSearch(b *testing.B) {
	s := bigCatalogStore(b)
	ctx := context.Background()
	queries := []string{"mas", "master kong gr", "nongfu min", "可乐", "薯片", "康师傅绿", "奶", "ksf", "nfsq", "kekou", "hunter",
		"jasmine", "ter kon", "GEN-00123", "6900001", "spicy cash", "zzzz", "三只松鼠腰果", "walnuts 1kg", "lemon"}
	lat := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		if _, err := s.SearchProducts(ctx, q, 20); err != nil {
			b.Fatalf("search %q: %v", q, err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(micros(lat.quantile(0.5)), "p50-µs")
	b.ReportMetric(micros(lat.quantile(0.95)), "p95-µs")
	b.ReportMetric(micros(lat.quantile(0.99)), "p99-µs")
}

// BenchmarkProductListPage measures opening the product list at 1,000,000 products — the first page — and
// paging deep into it. Target: first page < 100 ms.
func BenchmarkProductListPage(b *testing.B) {
	s := bigCatalogStore(b)
	ctx := context.Background()
	first, deep := make(latencies, 0, b.N), make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		page, err := s.ProductPage(ctx, "", 50)
		first = append(first, time.Since(start))
		if err != nil || len(page) != 50 {
			b.Fatalf("first page: %d, %v", len(page), err)
		}
		start = time.Now()
		page, err = s.ProductPage(ctx, fmt.Sprintf("GEN-%07d", (i*7919)%(bigCatalog-100)), 50)
		deep = append(deep, time.Since(start))
		if err != nil || len(page) != 50 {
			b.Fatalf("deep page: %d, %v", len(page), err)
		}
	}
	b.ReportMetric(micros(first.quantile(0.5)), "first-p50-µs")
	b.ReportMetric(micros(first.quantile(0.99)), "first-p99-µs")
	b.ReportMetric(micros(deep.quantile(0.99)), "deep-p99-µs")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}
