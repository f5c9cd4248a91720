package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/store/storetest"
)

// What a sale writes, part by part: the benchmarks below take one index or trigger away from a second
// store and commit the same sales on both, alternately, so what the machine is doing weighs on both alike.

// saleParts are the b-trees a sale writes beyond its own rows, journal entry and outbox row, each with
// what takes it away: SQL, or for the report totals a statement that adds nothing in place of the upsert.
var saleParts = []struct{ name, btrees, drop string }{
	{"sales_completed_at", "sales_completed_at", `DROP INDEX sales_completed_at`},
	{"sale_lines_by_product", "sale_lines_by_product", `DROP INDEX sale_lines_by_product`},
	{"outbox_pending", "outbox_pending", `DROP INDEX outbox_pending`},
	{"stock_on_hand", "products products_low_stock", `DROP TRIGGER sale_lines_keep_on_hand`},
	{"products_low_stock", "products_low_stock", `DROP INDEX products_low_stock`},
	{"report_hours", "report_hours", "addSaleFacts"},
	{"product_hours", "product_hours", "addSaleProducts"},
}

// partsCatalog is how many products the sales of these benchmarks choose from, five lines each, 120 sales an
// hour: the hour's product totals spread over several pages, as on a supermarket's till.
const partsCatalog = 5_000

// partsStore opens a store with the test catalog and partsCatalog more products, runs drop on it, and
// returns it with its path and the products.
func partsStore(b *testing.B, drop string) (*Store, string, []app.Product) {
	b.Helper()
	s, path := openTestStore(b)
	ctx := context.Background()
	entries := make([]app.CatalogEntry, partsCatalog)
	for i := range entries {
		name, nameZH := storetest.ProductName(i)
		entries[i] = app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("PRT-%05d", i), Name: name, NameZH: nameZH,
			Category: []string{"drinks", "snacks", "dairy", "produce", "bakery", "household", "frozen", "tobacco"}[i%8], Price: cny(int64(100 + i%2000)), Cost: cny(int64(70 + i%1400)),
			Unit: app.UnitPiece, TaxClass: "standard", Active: true}}
	}
	if _, err := s.AddProducts(ctx, entries); err != nil {
		b.Fatal(err)
	}
	// Stock received: a product on the shelf is not on the low-stock list (its index) until it runs low.
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET on_hand = 1000000`); err != nil {
		b.Fatal(err)
	}
	switch drop {
	case "":
	case "addSaleFacts", "addSaleProducts":
		stmts, columns := &s.q.addSaleFacts, 12
		if drop == "addSaleProducts" {
			stmts, columns = &s.q.addSaleProducts, 4
		}
		for n := range stmts {
			nothing, err := s.w.PrepareContext(ctx, `SELECT 1 WHERE 0 AND coalesce(`+strings.TrimSuffix(strings.Repeat("?, ", columns*(n+1)), ", ")+`)`)
			if err != nil {
				b.Fatal(err)
			}
			stmts[n] = nothing
		}
	default:
		if _, err := s.w.ExecContext(ctx, drop); err != nil {
			b.Fatal(err)
		}
	}
	products := make([]app.Product, partsCatalog)
	for i := range products {
		p, err := s.ProductBySKU(ctx, fmt.Sprintf("PRT-%05d", i))
		if err != nil {
			b.Fatal(err)
		}
		products[i] = p
	}
	return s, path, products
}

// partsSales returns a function making the i-th sale of a sequence: five random products, the template's
// tender, 30 s after the one before.
func partsSales(template *app.Sale, products []app.Product) func(i int) app.Sale {
	start := time.Now().Add(-24 * time.Hour)
	return func(i int) app.Sale {
		rng := rand.New(rand.NewPCG(uint64(i), 26))
		sale := *template
		sale.ID = app.NewID()
		sale.Lines = slices.Clone(template.Lines[:1])
		for len(sale.Lines) < 5 {
			sale.Lines = append(sale.Lines, sale.Lines[0])
		}
		for j := range sale.Lines {
			sale.Lines[j].Product = products[rng.IntN(len(products))]
		}
		sale.CompletedAt = start.Add(time.Duration(i) * 30 * time.Second)
		sale.OpenedAt = sale.CompletedAt.Add(-time.Minute)
		return sale
	}
}

// BenchmarkSaleCommitParts measures, for each of saleParts, what it adds to a durable sale commit (the
// median of the difference, µs) and how many pages it writes to the log per sale; and, on the whole store,
// the pages of every b-tree a sale writes. The sales are saleParts' five random lines of 5,000 products.
func BenchmarkSaleCommitParts(b *testing.B) {
	ctx := context.Background()
	whole, path, products := partsStore(b, "")
	template := sellCash(b, whole, "5449000000996")
	next := partsSales(template, products)
	n := 0
	commit := func(s *Store, i int) time.Duration {
		sale := next(i)
		start := time.Now()
		if err := s.CommitSale(ctx, &sale); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for ; n < 600; n++ { // the trees at a working depth, the hour's totals filled
		commit(whole, n)
	}
	pages := map[string]int{}
	const profiled = 60
	for range profiled {
		for name, p := range walPages(b, whole, path, func() { commit(whole, n) }) {
			pages[name] += p
		}
		n++
	}
	b.Run("pages", func(b *testing.B) {
		var all int
		for name, p := range pages {
			all += p
			b.ReportMetric(float64(p)/profiled, name+"-pages")
		}
		b.ReportMetric(float64(all)/profiled, "all-pages")
	})
	for _, part := range saleParts {
		b.Run(part.name, func(b *testing.B) {
			without, _, _ := partsStore(b, part.drop)
			for i := range n {
				commit(without, i)
			}
			with, less := make(latencies, 0, b.N), make(latencies, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				with = append(with, commit(whole, n+i))
				less = append(less, commit(without, n+i))
			}
			b.StopTimer()
			n += b.N
			var partPages int
			for _, t := range strings.Fields(part.btrees) {
				partPages += pages[t]
			}
			b.ReportMetric(micros(with.quantile(0.5)-less.quantile(0.5)), "cost-p50-µs")
			b.ReportMetric(micros(with.quantile(0.5)), "sale-p50-µs")
			b.ReportMetric(float64(partPages)/profiled, "pages")
		})
	}
}

// walPages runs commit on s with the write-ahead log emptied first, and returns how many pages the
// commit wrote to it for each b-tree (table or index, by name; "?" for pages no b-tree holds, such as
// the free list).
func walPages(b *testing.B, s *Store, path string, commit func()) map[string]int {
	b.Helper()
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	commit()
	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		b.Fatal(err)
	}
	pageSize := int(binary.BigEndian.Uint32(wal[8:12]))
	owner := map[uint32]string{}
	err = each(ctx, s.r, func(rows *sql.Rows) error {
		var name string
		var page uint32
		err := rows.Scan(&name, &page)
		owner[page] = name
		return err
	}, `SELECT name, pageno FROM dbstat`)
	if err != nil {
		b.Fatal(err)
	}
	pages := map[string]int{}
	seen := map[uint32]bool{}
	for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
		page := binary.BigEndian.Uint32(wal[off : off+4])
		if seen[page] {
			continue // a page written twice in one commit is counted once: the log keeps its last copy
		}
		seen[page] = true
		name, ok := owner[page]
		if !ok {
			name = "?"
		}
		pages[name]++
	}
	return pages
}
