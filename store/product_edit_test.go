package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

func saveForm(t *testing.T, s *Store, f app.ProductForm) (app.Product, error) {
	t.Helper()
	set, err := s.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return app.SaveProduct(context.Background(), s, set, f, app.SystemSession("owner"), time.Now())
}

func journalPayloads(t *testing.T, s *Store, kind string) []string {
	t.Helper()
	rows, err := s.r.Query(`SELECT payload FROM journal WHERE kind = ? ORDER BY seq`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestSaveProductCreatesEditsAndDeactivates(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	form := app.ProductForm{SKU: "TEA-001", Name: "Jasmine tea 250g", NameZH: "茉莉花茶 250克", Category: "Tea", Unit: "piece",
		Price: "18.50", Cost: "11.00", ReorderPoint: "6", TaxClass: "reduced", Barcodes: []string{"6901234567892", "96385074"}, Active: true}
	tea, err := saveForm(t, s, form)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.ProductDetail(ctx, tea.ID)
	if err != nil || got.Product.Price != cny(1850) || got.Product.Cost != cny(1100) || got.Product.ReorderPoint != 6000 ||
		strings.Join(got.Barcodes, ",") != "96385074,6901234567892" || got.Product.Category != "Tea" {
		t.Fatalf("created = %+v, %v", got, err)
	}
	if found, _ := s.SearchProducts(ctx, "mlhc", 5); len(found) != 1 || found[0].ID != tea.ID {
		t.Errorf("pinyin initials of a new product: %+v", found)
	}

	// Edit: new price and name, one barcode swapped.
	form = app.FormOf(got)
	form.Name, form.Price, form.Barcodes = "Jasmine green tea 250g", "19.90", []string{"6901234567892", "4006381333931"}
	if _, err := saveForm(t, s, form); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProductByBarcode(ctx, "4006381333931"); err != nil || p.ID != tea.ID || p.Price != cny(1990) {
		t.Errorf("the new barcode finds %+v, %v", p, err)
	}
	if _, err := s.ProductByBarcode(ctx, "96385074"); !errors.Is(err, app.ErrUnknownBarcode) {
		t.Errorf("the removed barcode still sells: %v", err)
	}
	if found, _ := s.SearchProducts(ctx, "green", 5); len(found) != 1 || found[0].ID != tea.ID {
		t.Errorf("search by the new name: %+v", found)
	}
	if found, _ := s.SearchProducts(ctx, "mine tea", 5); len(found) != 0 {
		t.Errorf("search by a piece of the old name only: %+v", found)
	}
	// The search index agrees with the products' names (product_trigrams indexes them in place).
	checkSearchIndex(t, s)
	prices := journalPayloads(t, s, "price")
	if len(prices) != 2 || !strings.Contains(prices[0], `"old":""`) || !strings.Contains(prices[0], `"new":"18.50"`) ||
		!strings.Contains(prices[1], `"old":"18.50"`) || !strings.Contains(prices[1], `"new":"19.90"`) {
		t.Errorf("price journal: %q", prices)
	}
	// Saving without a price change journals nothing more.
	form.Category = "Drinks"
	if _, err := saveForm(t, s, form); err != nil || len(journalPayloads(t, s, "price")) != 2 {
		t.Errorf("a save without a price change: %v, %d price entries", err, len(journalPayloads(t, s, "price")))
	}

	// Deactivated: not sold, not offered to the cashier, still found by the manager.
	form.Active = false
	if _, err := saveForm(t, s, form); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.SearchProducts(ctx, "jasmine", 5); len(found) != 0 {
		t.Errorf("the cashier finds an inactive product: %+v", found)
	}
	if found, _ := s.SearchCatalog(ctx, "jasmine", 5); len(found) != 1 || found[0].Active {
		t.Errorf("the manager does not find the inactive product: %+v", found)
	}
	cats, err := s.Categories(ctx)
	if err != nil || !slices.Contains(cats, "Drinks") || slices.Contains(cats, "Tea") || !slices.IsSorted(cats) {
		t.Errorf("categories = %q, %v", cats, err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// Bad forms and clashes with other products are refused and change nothing.
func TestSaveProductRefusesBadFormsAndClashes(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	cola, err := s.ProductByBarcode(ctx, "5449000000996")
	if err != nil {
		t.Fatal(err)
	}
	colaEntry, _ := s.ProductDetail(ctx, cola.ID)
	good := app.ProductForm{SKU: "NEW-001", Name: "Pen", Unit: "piece", Price: "1.00", TaxClass: "standard",
		Barcodes: []string{"6901234567892"}, Active: true}
	for _, tt := range []struct {
		name   string
		edit   func(f *app.ProductForm)
		reason string
	}{
		{"bad check digit", func(f *app.ProductForm) { f.Barcodes = []string{"6901234567893"} }, "check digit"},
		{"negative price", func(f *app.ProductForm) { f.Price = "-1" }, "negative price"},
		{"unknown tax class", func(f *app.ProductForm) { f.TaxClass = "luxury" }, `unknown tax class "luxury"`},
		{"no name", func(f *app.ProductForm) { f.Name = " " }, "no name"},
		{"no barcode", func(f *app.ProductForm) { f.Barcodes = nil }, "no barcode"},
		{"same code twice", func(f *app.ProductForm) { f.Barcodes = []string{"6901234567892", "06901234567892"} }, "listed twice"},
		{"cola's barcode", func(f *app.ProductForm) { f.Barcodes = append(f.Barcodes, "5449000000996") }, "already on product DRK-001"},
		{"cola's SKU", func(f *app.ProductForm) { f.SKU = "DRK-001" }, "already another product's"},
		{"weight reorder point on a piece", func(f *app.ProductForm) { f.ReorderPoint = "0.5" }, "reorder_point"},
		// Hostile text: each would reach receipts, the printer and the head office.
		{"NUL in the name", func(f *app.ProductForm) { f.Name = "Pen\x00" + "cap" }, "name: control character U+0000"},
		{"tab in the SKU", func(f *app.ProductForm) { f.SKU = "NEW\t001" }, "sku: control character U+0009"},
		{"line break in the Chinese name", func(f *app.ProductForm) { f.NameZH = "笔\n芯" }, "name_zh: control character U+000A"},
		{"ESC in the category", func(f *app.ProductForm) { f.Category = "office\x1b@" }, "category: control character U+001B"},
		{"C1 control", func(f *app.ProductForm) { f.Name = "Pe\u009bn" }, "name: control character U+009B"},
		{"right-to-left override", func(f *app.ProductForm) { f.Name = "Pen \u202egpj.exe" }, "name: control character U+202E"},
		{"replacement character", func(f *app.ProductForm) { f.Name = "Pen \ufffd" }, "name: character 5"},
		{"201-character name", func(f *app.ProductForm) { f.Name = strings.Repeat("笔", 201) }, "name: 201 characters, at most 200"},
		{"65-character tax class", func(f *app.ProductForm) { f.TaxClass = strings.Repeat("x", 65) }, "tax_class: 65 characters, at most 64"},
	} {
		f := good
		tt.edit(&f)
		_, err := saveForm(t, s, f)
		if !errors.Is(err, app.ErrInvalidProduct) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if n, _ := s.CountProducts(ctx); n != 4 {
		t.Errorf("refused forms left %d products", n)
	}
	// Editing the cola to take another product's code changes nothing of it.
	f := app.FormOf(colaEntry)
	f.Barcodes, f.Price = append(f.Barcodes, "6924743915770"), "9.99" // the chips' code
	if _, err := saveForm(t, s, f); !errors.Is(err, app.ErrInvalidProduct) {
		t.Fatalf("took the chips' code: %v", err)
	}
	if after, _ := s.ProductDetail(ctx, cola.ID); after.Product.Price != cola.Price || len(after.Barcodes) != len(colaEntry.Barcodes) {
		t.Errorf("a refused edit changed the cola: %+v", after)
	}
	if len(journalPayloads(t, s, "price")) != 0 {
		t.Error("a refused edit was journaled")
	}
}

// The editor's Chinese category is stored with a new product, changed by an edit and cleared by one,
// without touching anything else of the product.
func TestSaveProductKeepsTheChineseCategory(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	form := app.ProductForm{SKU: "PRO-100", Name: "Lychee", NameZH: "荔枝", Category: "produce", CategoryZH: "生鲜果蔬", Unit: "kg",
		Price: "19.98", TaxClass: "reduced", Barcodes: []string{"2000130000008"}, Active: true}
	created, err := saveForm(t, s, form)
	if err != nil {
		t.Fatal(err)
	}
	read := func() app.Product {
		t.Helper()
		e, err := s.ProductDetail(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		return e.Product
	}
	if p := read(); p.CategoryZH != "生鲜果蔬" || p.Category != "produce" || p.Unit != app.UnitKg {
		t.Fatalf("created %+v", p)
	}
	for _, zh := range []string{"水果", ""} {
		form = app.FormOf(app.CatalogEntry{Product: read(), Barcodes: form.Barcodes})
		form.CategoryZH = zh
		if _, err := saveForm(t, s, form); err != nil {
			t.Fatal(err)
		}
		if p := read(); p.CategoryZH != zh || p.Category != "produce" || p.NameZH != "荔枝" || p.Price != cny(1998) {
			t.Errorf("after setting %q: %+v", zh, p)
		}
	}
	// A bad one changes nothing.
	form.CategoryZH = "水\x00果"
	if _, err := saveForm(t, s, form); !errors.Is(err, app.ErrInvalidProduct) {
		t.Errorf("a NUL in the Chinese category: %v", err)
	}
	if p := read(); p.CategoryZH != "" {
		t.Errorf("a refused form stored %q", p.CategoryZH)
	}
}
