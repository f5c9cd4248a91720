package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

// priceRow is one row of the price history, as the test reads it back.
type priceRow struct {
	SKU string
	Old sql.NullInt64
	New int64
	By  string
	At  string
}

func priceHistory(t *testing.T, s *Store) []priceRow {
	t.Helper()
	// An import's ranges first (imports come first in these tests), a row per product at its price now.
	rows, err := s.r.Query(`SELECT sku, old_price, new_price, changed_by, at FROM (
		SELECT 0 AS part, r.first_id AS n, p.sku, NULL AS old_price, p.price AS new_price, 'import' AS changed_by, r.at
			FROM price_change_imports r JOIN products p ON p.id BETWEEN r.first_id AND r.last_id
		UNION ALL SELECT 1, c.id, p.sku, c.old_price, c.new_price, c.changed_by, c.at FROM price_changes c JOIN products p ON p.id = c.product_id)
		ORDER BY part, n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []priceRow
	for rows.Next() {
		var r priceRow
		if err := rows.Scan(&r.SKU, &r.Old, &r.New, &r.By, &r.At); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func skus(entries []app.CatalogEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Product.SKU)
	}
	return out
}

// Every writer of a price writes its history row in the same transaction: the import's new products,
// the product editor (new, changed; unchanged writes none), set-price, and the head office's down-sync.
// A failed write leaves neither the price nor its row.
func TestEveryPriceWriterRecordsTheChange(t *testing.T) {
	s, _ := openTestStore(t) // the import of testCatalog
	ctx := context.Background()
	start := len(testCatalog)
	imported := priceHistory(t, s)
	if len(imported) != start {
		t.Fatalf("the import wrote %d price rows for %d products", len(imported), start)
	}
	for _, r := range imported {
		if r.Old.Valid || r.By != "import" {
			t.Errorf("imported %+v", r)
		}
	}

	// The product editor: a new product, then its price changed, then saved unchanged.
	form := app.ProductForm{SKU: "TEA-001", Name: "Jasmine tea", Unit: "piece", Price: "18.50", TaxClass: "standard",
		Barcodes: []string{"6901234567892"}, Active: true}
	tea, err := saveForm(t, s, form)
	if err != nil {
		t.Fatal(err)
	}
	form.ID, form.Price = tea.ID, "19.90"
	if _, err := saveForm(t, s, form); err != nil {
		t.Fatal(err)
	}
	form.Name = "Jasmine tea 250g"
	if _, err := saveForm(t, s, form); err != nil {
		t.Fatal(err)
	}
	// set-price, and set-price to the same price.
	coke, err := s.ProductBySKU(ctx, "DRK-001")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrice(ctx, coke.ID, cny(320), "Li", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrice(ctx, coke.ID, cny(320), "Li", time.Now()); err != nil {
		t.Fatal(err)
	}
	// The head office: one price changed, one product new.
	enrolled(t, s)
	page := app.HQChanges{Next: 3, Products: []app.CatalogEntry{
		{Product: app.Product{SKU: "PRO-001", Name: "Banana", Price: cny(750), Unit: app.UnitKg, TaxClass: "reduced", Active: true}},
		{Product: app.Product{SKU: "HQ-NEW", Name: "Oolong", Price: cny(2800), Unit: app.UnitPiece, TaxClass: "standard", Active: true}},
	}}
	if _, err := s.ApplyChanges(ctx, page, time.Now()); err != nil {
		t.Fatal(err)
	}
	// A failed editor save: a barcode another product has. Nothing is written.
	form.Price, form.Barcodes = "25.00", []string{"6901234567892", "5449000000996"}
	if _, err := saveForm(t, s, form); err == nil {
		t.Fatal("saved a barcode another product has")
	}

	got := priceHistory(t, s)[start:]
	want := []priceRow{
		{SKU: "TEA-001", New: 1850, By: "owner"},
		{SKU: "TEA-001", Old: sql.NullInt64{Int64: 1850, Valid: true}, New: 1990, By: "owner"},
		{SKU: "DRK-001", Old: sql.NullInt64{Int64: 300, Valid: true}, New: 320, By: "Li"},
		{SKU: "PRO-001", Old: sql.NullInt64{Int64: 698, Valid: true}, New: 750, By: "hq"},
		{SKU: "HQ-NEW", New: 2800, By: "hq"},
	}
	if len(got) != len(want) {
		t.Fatalf("history %+v\nwant %+v", got, want)
	}
	for i := range want {
		g := got[i]
		g.At = ""
		if g != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, g, want[i])
		}
	}
}

// "Every price change since a date" is a range of the index on at, and names each product once, active
// products only, with its barcodes.
func TestPriceChangedSince(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		sku   string
		price int64
		at    time.Time
	}{
		{"DRK-001", 310, day.Add(-time.Hour)}, // before the day
		{"DRK-001", 320, day.Add(2 * time.Hour)},
		{"DRK-001", 330, day.Add(3 * time.Hour)}, // twice since: one label
		{"PRO-001", 750, day},                    // at the very start of the day
		{"OLD-001", 260, day.Add(time.Hour)},     // inactive: no label
	} {
		p, err := s.ProductBySKU(ctx, c.sku)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPrice(ctx, p.ID, cny(c.price), "Li", c.at); err != nil {
			t.Fatal(err)
		}
	}
	// The import wrote its rows at the time it ran, after the day: move them before it.
	if _, err := s.w.Exec(`UPDATE price_change_imports SET at = ?`, timestamp(day.AddDate(0, 0, -7))); err != nil {
		t.Fatal(err)
	}
	got, err := s.PriceChangedSince(ctx, day, 100)
	if err != nil {
		t.Fatal(err)
	}
	if g := skus(got); len(g) != 2 || g[0] != "DRK-001" || g[1] != "PRO-001" {
		t.Fatalf("changed since %v: %v", day, g)
	}
	if got[0].Product.Price.Minor() != 330 || len(got[0].Barcodes) != 1 || got[0].Barcodes[0] != "5449000000996" {
		t.Errorf("DRK-001 reads %+v", got[0])
	}
	if got, _ := s.PriceChangedSince(ctx, day.Add(150*time.Minute), 100); len(got) != 1 || got[0].Product.SKU != "DRK-001" {
		t.Errorf("since 02:30: %v", skus(got))
	}
	if got, _ := s.PriceChangedSince(ctx, day, 1); len(got) != 1 {
		t.Errorf("limit 1: %v", skus(got))
	}
	if got, _ := s.PriceChangedSince(ctx, day.AddDate(0, 0, -8), 100); len(got) != len(testCatalog)-1 {
		t.Errorf("since the import: %v", skus(got))
	}

	for _, q := range []struct{ query, index string }{
		{`SELECT product_id FROM price_changes WHERE at >= ?`, "price_changes_at"},
		{`SELECT first_id FROM price_change_imports WHERE at >= ?`, "price_change_imports_at"},
	} {
		var plan string
		rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+q.query, timestamp(day))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan += detail + "\n"
		}
		rows.Close()
		if !strings.Contains(plan, q.index) {
			t.Errorf("%s does not use %s:\n%s", q.query, q.index, plan)
		}
	}
}

// A till upgraded to the price history has the changes its journal recorded before: the migration
// reads them from the journal's "price" entries.
func TestPriceHistoryFromTheJournal(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	coke, err := s.ProductBySKU(ctx, "DRK-001")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, price := range []int64{320, 1005} {
		if err := s.SetPrice(ctx, coke.ID, cny(price), "Li", day.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	form := app.ProductForm{SKU: "TEA-001", Name: "Jasmine tea", Unit: "piece", Price: "18.50", TaxClass: "standard",
		Barcodes: []string{"6901234567892"}, Active: true}
	if _, err := saveForm(t, s, form); err != nil {
		t.Fatal(err)
	}
	want := priceHistory(t, s)[len(testCatalog):] // the import's rows have no journal entry
	// Back to the schema before 0046.
	if _, err := s.w.ExecContext(ctx, `DROP TABLE price_changes; DELETE FROM schema_migrations WHERE version = 46`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := priceHistory(t, s)[len(testCatalog):] // the import's range (0048) is kept
	if len(got) != 3 || len(want) != 3 {
		t.Fatalf("from the journal %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[1].New != 1005 || got[1].Old.Int64 != 320 || got[2].Old.Valid {
		t.Errorf("prices read back as %+v", got)
	}
}
