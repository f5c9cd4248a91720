package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"checkout/app"
	"checkout/app/money"
	"checkout/store/storetest"
)

func TestProductByBarcode(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	p, err := s.ProductByBarcode(ctx, "6924743915770") // the second code of the chips
	if err != nil || p.SKU != "SNK-001" || p.Price != cny(650) || p.NameZH != "乐事原味薯片 70g" || !p.Active {
		t.Errorf("ProductByBarcode = %+v, %v", p, err)
	}
	if _, err := s.ProductByBarcode(ctx, "4006381333931"); !errors.Is(err, app.ErrUnknownBarcode) {
		t.Errorf("unknown code: %v", err)
	}
	if p, err := s.ProductByBarcode(ctx, "6900000000014"); err != nil || p.Active {
		t.Errorf("inactive product = %+v, %v", p, err)
	}
}

// A GTIN is found in any of its lengths, however it was imported.
func TestProductByBarcodeGTINForms(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	soup := app.CatalogEntry{Product: app.Product{SKU: "IMP-001", Name: "Soup", Price: cny(350), Unit: app.UnitPiece,
		TaxClass: "standard", Active: true}, Barcodes: []string{"036000291452", "96385074"}}
	if _, err := s.AddProducts(ctx, []app.CatalogEntry{soup}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"036000291452", "0036000291452", "00036000291452", "96385074", "00000096385074"} {
		if p, err := s.ProductByBarcode(ctx, code); err != nil || p.SKU != "IMP-001" {
			t.Errorf("ProductByBarcode(%q) = %+v, %v", code, p, err)
		}
	}
	if found, err := s.SearchProducts(ctx, "0036000291452", 5); err != nil || len(found) != 1 || found[0].SKU != "IMP-001" {
		t.Errorf("search by EAN-13 form = %+v, %v", found, err)
	}
	// A same GTIN in another length is the same barcode.
	dup := soup
	dup.Product.SKU, dup.Barcodes = "IMP-002", []string{"0036000291452"}
	if _, err := s.AddProducts(ctx, []app.CatalogEntry{dup}); err == nil {
		t.Error("the EAN-13 form of a stored UPC-A was added to another product")
	}

	// A database from before migration 0002 has its codes as imported; the migration normalises them.
	if _, err := s.w.ExecContext(ctx, `UPDATE barcodes SET code = '036000291452' WHERE code = '00036000291452'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stored string
	if err := s.r.QueryRowContext(ctx, `SELECT code FROM barcodes b JOIN products p ON p.id = b.product_id
		WHERE p.sku = 'IMP-001' AND length(code) = 14 AND code LIKE '%291452'`).Scan(&stored); err != nil || stored != "00036000291452" {
		t.Errorf("after migration: %q, %v", stored, err)
	}
}

func TestSearchProducts(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	tests := []struct {
		query string
		want  []string
	}{
		{"cola", []string{"DRK-001"}}, // the discontinued cola is not offered
		{"COLA", []string{"DRK-001"}},
		{"CoCa-c", []string{"DRK-001"}},        // mixed case, punctuation
		{"ola 33", []string{"DRK-001"}},        // a substring and a word prefix
		{"hips orig", []string{"SNK-001"}},     // a substring across words
		{"薯片", []string{"SNK-001"}},            // two Chinese characters: trigrams cannot, pieces can
		{"香", []string{"PRO-001"}},             // one
		{"可口可", []string{"DRK-001"}},           // a Chinese substring
		{"原味薯", []string{"SNK-001"}},           // inside the name
		{"kkkl", []string{"DRK-001"}},          // pinyin initials of 可口可乐
		{"kk", []string{"DRK-001"}},            // their start
		{"xiangjiao", []string{"PRO-001"}},     // full pinyin of 香蕉
		{"xiang jiao", []string{"PRO-001"}},    // syllable by syllable
		{"SNK-001", []string{"SNK-001"}},       // SKU
		{"snk", []string{"SNK-001"}},           // SKU prefix, any case
		{"2000101000006", []string{"PRO-001"}}, // barcode
		{"692474", []string{"SNK-001"}},        // barcode prefix
		{"ba", []string{"PRO-001"}},            // word prefix
		{"zzzz", nil},                          // nothing
		{"cocan", nil},                         // its trigrams are all in "Coca-Cola 330ml can", it is not
		{"100%", nil},                          // LIKE wildcards are text
		{"_", nil},
		{`"cola" OR NEAR(x) *`, nil},            // FTS5 syntax is text, and no error
		{"cola'; DROP TABLE products; --", nil}, // so is SQL
		{"  ", nil},
	}
	for _, tt := range tests {
		got, err := s.SearchProducts(ctx, tt.query, 10)
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, p := range got {
			skus = append(skus, p.SKU)
		}
		if len(skus) != len(tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, skus, tt.want)
			continue
		}
		for i := range skus {
			if skus[i] != tt.want[i] {
				t.Errorf("Search(%q) = %v, want %v", tt.query, skus, tt.want)
				break
			}
		}
	}
	if got, _ := s.SearchProducts(ctx, "69", 1); len(got) != 0 {
		t.Errorf("a two-digit code prefix searched codes: %d", len(got))
	}
	if got, _ := s.SearchProducts(ctx, "c", 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d", len(got))
	}
}

// A word longer than product_words' prefix indexes is searched by its first six letters and checked
// here (wordMatches): the same products, in the same order, as FTS5 finds by the whole word, also past
// the products it checks that share its first six letters.
func TestSearchLongWords(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	var entries []app.CatalogEntry
	add := func(sku, name, nameZH string) {
		entries = append(entries, app.CatalogEntry{Product: app.Product{SKU: sku, Name: name, NameZH: nameZH,
			Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}})
	}
	for i := range 2*searchCandidates + 10 {
		add(fmt.Sprintf("CHD-%04d", i), fmt.Sprintf("Chocolade %d", i), "")
	}
	add("CHS-001", "Chocolates dark 100g", "巧克力")
	add("WIN-001", "Gewürztraminer 750ml", "")
	add("KSF-001", "Green tea 500ml", "康师傅绿茶")
	add("JAS-001", "Jasmine tea", "茉莉花茶")
	if _, err := s.AddProducts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if err := s.catchUpWords(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"chocolat", []string{"CHS-001"}}, // not the Chocolade before it
		{"chocolates dark", []string{"CHS-001"}},
		{"chocolade 99", []string{"CHD-0099"}},
		{"gewurztr", []string{"WIN-001"}}, // diacritics aside, as the tokenizer folds them
		{"GEWÜRZTRAMINER", []string{"WIN-001"}},
		{"kangshifu", []string{"KSF-001"}}, // pinyin run together
		{"kangshifulv", []string{"KSF-001"}},
		{"jasmine tea", []string{"JAS-001"}},
		{"molihuacha", []string{"JAS-001"}},
		{"jasmines", nil},
		{"chocolatier", nil},
	}
	for _, tt := range tests {
		got, err := s.SearchProducts(ctx, tt.query, 10)
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, p := range got {
			skus = append(skus, p.SKU)
		}
		if !slices.Equal(skus, tt.want) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, skus, tt.want)
		}
	}
	for _, q := range []string{"chocolat", "chocolade", "chocolade 1", "gewürztraminer", "kangshifu", "jasmine", "molihuacha tea"} {
		terms := wordTerms(q)
		got, err := s.wordMatches(ctx, terms, searchCandidates)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		rows, err := s.r.QueryContext(ctx, `SELECT rowid FROM product_words WHERE product_words MATCH ? LIMIT ?`, wordsQuery(terms), searchCandidates)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
		}
		rows.Close()
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("wordMatches(%q) = %v, FTS5 finds %v", q, got, want)
		}
	}
}

// trigramsQuery asks a query of several words for some of its pieces only: the names holding the query
// are the same as by all its pieces.
func TestTrigramPiecesFindTheSame(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	var entries []app.CatalogEntry
	for i := range 1200 {
		name, nameZH := storetest.ProductName(i * 7)
		entries = append(entries, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%04d", i), Name: name, NameZH: nameZH,
			Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}})
	}
	if _, err := s.AddProducts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	found := func(match, q string) []int64 {
		rows, err := s.r.QueryContext(ctx, `SELECT rowid FROM product_trigrams WHERE product_trigrams MATCH ? AND has_text(name, name_zh, ?)`, match, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		return ids
	}
	for _, q := range []string{"tea milk", "ea mil", "a b c", "spicy cash", "ashews spicy", "master kong gr", "ter kon", "可乐 330ml",
		"乐 33", "cola  500g", "ab cd", "hips orig", "ews spicy 2", "s s", "tea original 1", `"t" "`} {
		rs := []rune(q)
		var all []string
		for i := 0; i+3 <= len(rs); i++ {
			all = append(all, `"`+strings.ReplaceAll(string(rs[i:i+3]), `"`, `""`)+`"`)
		}
		want := found(strings.Join(all, " AND "), q)
		if got := found(trigramsQuery(q), q); !slices.Equal(got, want) {
			t.Errorf("%q: %s finds %d names, all pieces %d", q, trigramsQuery(q), len(got), len(want))
		}
	}
}

func TestAddProducts(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	// Seeding again adds nothing and fails nothing.
	if n, err := s.AddProducts(ctx, testCatalog); err != nil || n != 0 {
		t.Errorf("re-adding the catalog: %d, %v", n, err)
	}
	clash := []app.CatalogEntry{
		{Product: app.Product{SKU: "NEW-001", Name: "New", Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"4006381333931"}},
		{Product: app.Product{SKU: "NEW-002", Name: "Clash", Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}},
	}
	if _, err := s.AddProducts(ctx, clash); err == nil {
		t.Fatal("a barcode already on another product was accepted")
	}
	if n, _ := s.CountProducts(ctx); n != int64(len(testCatalog)) {
		t.Errorf("failed add left %d products, want %d", n, len(testCatalog))
	}
	if n, err := s.AddProducts(ctx, clash[:1]); err != nil || n != 1 {
		t.Errorf("add = %d, %v", n, err)
	}
}

func TestSettings(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	set, err := s.Settings(ctx)
	if err != nil || set.Till != "T01" || set.TaxMode != app.TaxInclusive || set.Currency != money.CNY {
		t.Fatalf("defaults = %+v, %v", set, err)
	}
	now := time.Now()
	if _, err := s.SetSetting(ctx, "cash_rounding", "0.10", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSetting(ctx, "tax_rate.standard", "6", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSetting(ctx, "cash_rounding", "0.03", now); !errors.Is(err, app.ErrInvalidSetting) {
		t.Errorf("rounding 0.03: %v", err)
	}
	if _, err := s.SetSetting(ctx, "colour", "red", now); !errors.Is(err, app.ErrInvalidSetting) {
		t.Errorf("unknown key: %v", err)
	}
	sellCash(t, s, "5449000000996")
	if _, err := s.SetSetting(ctx, "currency", "USD", now); !errors.Is(err, app.ErrInvalidSetting) {
		t.Errorf("currency after a sale: %v", err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	set, err = s.Settings(ctx)
	if err != nil || set.CashRounding.Step != 10 || set.TaxRates["standard"] != 600 {
		t.Errorf("after reopen: %+v, %v", set, err)
	}
	// Two accepted changes and one sale, each journaled.
	if n, err := s.VerifyJournal(ctx); err != nil || n != 3 {
		t.Errorf("journal: %d rows, %v", n, err)
	}
}

// A stop between the database's commit and the word index's leaves the products listed in search_pending:
// the next start writes their words.
func TestPendingWordsWrittenAtNextStart(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = 'DRK-001'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	s.words.wait() // the words of the test catalog
	if _, err := s.words.db.ExecContext(ctx, `DELETE FROM product_words WHERE rowid = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO search_pending (first_id, last_id) VALUES (?, ?)`, id, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchProducts(ctx, "kkkl", 5); len(got) != 0 {
		t.Fatalf("found %d products with no words", len(got))
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.SearchProducts(ctx, "kkkl", 5); len(got) != 1 || got[0].SKU != "DRK-001" {
		t.Fatalf("after the start: %+v", got)
	}
	var pending int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM search_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("%d pending after the start, %v", pending, err)
	}
	checkSearchIndex(t, s)
}

// Words the word index could not take are reported, and the products stay pending until the next start.
func TestFailedWordsReportedAndWrittenAtNextStart(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	s.words.wait()
	s.words.db.Close() // the word index file is gone from under the till
	added, err := s.AddProducts(ctx, []app.CatalogEntry{{Product: app.Product{SKU: "TEA-001", Name: "Oolong tea", NameZH: "乌龙茶",
		Price: cny(1200), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"4006381333931"}}})
	if err != nil || added != 1 {
		t.Fatalf("add: %d, %v", added, err)
	}
	if err := s.SearchIndexed(ctx); err == nil || !strings.Contains(err.Error(), "search index is behind") {
		t.Errorf("the failed words: %v", err)
	}
	if p, err := s.ProductByBarcode(ctx, "4006381333931"); err != nil || p.SKU != "TEA-001" {
		t.Errorf("the product is not sold: %+v, %v", p, err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"wlc", "oolong", "乌龙"} {
		if got, err := s.SearchProducts(ctx, q, 5); err != nil || len(got) != 1 || got[0].SKU != "TEA-001" {
			t.Errorf("search %q after the start: %+v, %v", q, got, err)
		}
	}
	checkSearchIndex(t, s)
}

// checkSearchIndex fails t unless VerifySearch passes and there are products.
func checkSearchIndex(t *testing.T, s *Store) {
	t.Helper()
	if err := s.VerifySearch(context.Background()); err != nil {
		t.Error(err)
	}
	if n, err := s.CountProducts(context.Background()); err != nil || n == 0 {
		t.Errorf("%d products, %v", n, err)
	}
}

// The word index is made again and filled in the background when it is missing, belongs to another copy of
// the database (a restored backup), or the till predates it (its words were in the database until
// migration 20).
func TestWordIndexRebuilt(t *testing.T) {
	ctx := context.Background()
	searchable := func(t *testing.T, s *Store) {
		t.Helper()
		if err := s.SearchIndexed(ctx); err != nil { // the till opened at once, the index is made behind it
			t.Fatal(err)
		}
		for q, sku := range map[string]string{"kkkl": "DRK-001", "可口": "DRK-001", "ola": "DRK-001"} {
			if got, err := s.SearchProducts(ctx, q, 5); err != nil || len(got) != 1 || got[0].SKU != sku {
				t.Errorf("search %q: %+v, %v", q, got, err)
			}
		}
		checkSearchIndex(t, s)
	}
	reopen := func(t *testing.T, path string, before func(s *Store)) *Store {
		t.Helper()
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		before(s)
		s.Close()
		if s, err = Open(ctx, path); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("missing", func(t *testing.T) {
		first, path := openTestStore(t)
		first.Close()
		searchable(t, reopen(t, path, func(*Store) {
			for _, side := range []string{"", "-wal", "-shm"} {
				os.Remove(searchPath(path) + side)
			}
		}))
	})
	t.Run("closed while it is made", func(t *testing.T) {
		first, path := openTestStore(t)
		var more []app.CatalogEntry
		for i := range 20_000 { // enough that closing at once stops the rebuild half-way
			more = append(more, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%06d", i), Name: fmt.Sprintf("Item %d", i),
				NameZH: fmt.Sprintf("货品%d号", i),
				Price:  cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{storetest.ProductCode(100_000 + i)}})
		}
		if _, err := first.AddProducts(ctx, more); err != nil {
			t.Fatal(err)
		}
		first.Close()
		removeWordIndex(path)
		searchable(t, reopen(t, path, func(*Store) {}))
	})
	t.Run("another generation", func(t *testing.T) {
		first, path := openTestStore(t)
		first.Close()
		searchable(t, reopen(t, path, func(s *Store) {
			if _, err := s.w.ExecContext(ctx, `UPDATE search_file SET generation = 'restored'`); err != nil {
				t.Fatal(err)
			}
		}))
	})
	t.Run("from before migration 20", func(t *testing.T) {
		first, path := openTestStore(t)
		first.Close()
		searchable(t, reopen(t, path, func(s *Store) {
			// Such a till has none of the later migrations of search_pending either.
			if _, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version IN (20, 43);
				DROP TABLE search_pending; DROP TABLE search_file;
				CREATE VIRTUAL TABLE product_words USING fts5(words, content = '', contentless_delete = 1)`); err != nil {
				t.Fatal(err)
			}
		}))
	})
}

func TestProductPagesAndJournaledPriceChange(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	var skus []string
	for after := ""; ; {
		page, err := s.ProductPage(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			skus = append(skus, p.SKU)
		}
		after = page[len(page)-1].SKU
	}
	if got := strings.Join(skus, ","); got != "DRK-001,OLD-001,PRO-001,SNK-001" {
		t.Fatalf("paged two at a time through %s", got)
	}
	cola, err := s.ProductByBarcode(ctx, "5449000000996")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrice(ctx, cola.ID, cny(350), "owner", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrice(ctx, cola.ID, cny(-1), "owner", time.Now()); err == nil {
		t.Error("a negative price was set")
	}
	if p, _ := s.ProductByBarcode(ctx, "5449000000996"); p.Price != cny(350) {
		t.Fatalf("price after change: %v", p.Price)
	}
	var payload string
	if err := s.r.QueryRowContext(ctx, `SELECT payload FROM journal WHERE kind = 'price'`).Scan(&payload); err != nil ||
		!strings.Contains(payload, `"old":"3.00"`) || !strings.Contains(payload, `"new":"3.50"`) || !strings.Contains(payload, `"sku":"DRK-001"`) {
		t.Fatalf("price journal entry %q, %v", payload, err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestAddProductsChunks: a batch spanning several multi-row INSERTs keeps each product's barcodes and
// search rows, skips a SKU already there or repeated, and a failure names its product.
func TestAddProductsChunks(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	var batch []app.CatalogEntry
	for i := range 260 {
		name, nameZH := storetest.ProductName(i)
		batch = append(batch, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("CHK-%03d", i), Name: name, NameZH: nameZH,
			Price: cny(int64(100 + i)), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{storetest.ProductCode(500_000 + i)}})
	}
	batch[70].Product.SKU = "CHK-003"                   // repeated within the batch: the first is kept
	batch[130].Product.SKU = testCatalog[0].Product.SKU // already in the catalog
	batch[200].Barcodes = append(batch[200].Barcodes, storetest.ProductCode(501_000))
	if n, err := s.AddProducts(ctx, batch); err != nil || n != 258 {
		t.Fatalf("add = %d, %v", n, err)
	}
	for i, e := range batch {
		p, err := s.ProductByBarcode(ctx, e.Barcodes[0])
		switch {
		case i == 70 || i == 130:
			if err == nil {
				t.Errorf("entry %d skipped, but its barcode is on %s", i, p.SKU)
			}
		case err != nil || p.SKU != e.Product.SKU || p.Name != e.Product.Name:
			t.Errorf("barcode %s = %+v, %v; want %s", e.Barcodes[0], p, err, e.Product.SKU)
		}
	}
	if p, err := s.ProductByBarcode(ctx, storetest.ProductCode(501_000)); err != nil || p.SKU != "CHK-200" {
		t.Errorf("second barcode = %s, %v", p.SKU, err)
	}
	for _, i := range []int{0, 49, 50, 199, 259} {
		got, err := s.SearchProducts(ctx, batch[i].Product.Name, 50)
		found := false
		for _, p := range got {
			found = found || p.SKU == batch[i].Product.SKU
		}
		if err != nil || !found {
			t.Errorf("search %q: %d products, not %s (%v)", batch[i].Product.Name, len(got), batch[i].Product.SKU, err)
		}
	}

	clash := slices.Clone(batch)
	for i := range clash {
		clash[i].Product.SKU = fmt.Sprintf("NEW-%03d", i)
		clash[i].Barcodes = []string{storetest.ProductCode(502_000 + i)}
	}
	clash[180].Barcodes = []string{storetest.ProductCode(500_005)}
	if _, err := s.AddProducts(ctx, clash); err == nil || !strings.Contains(err.Error(), "NEW-180") || !strings.Contains(err.Error(), storetest.ProductCode(500_005)) {
		t.Errorf("clash: %v", err)
	}
	clash[180].Barcodes = []string{storetest.ProductCode(502_180)}
	clash[120].Product.Price = cny(-1)
	if _, err := s.AddProducts(ctx, clash); err == nil || !strings.Contains(err.Error(), "NEW-120") {
		t.Errorf("negative price: %v", err)
	}
	if n, _ := s.CountProducts(ctx); n != int64(len(testCatalog)+258) {
		t.Errorf("failed adds left %d products", n)
	}
}

func TestRunPinyinIsLazyPinyin(t *testing.T) {
	for _, run := range []string{"可口可乐", "康师傅绿茶", "乐乐", "重庆", "〇"} {
		for range 2 { // the second time from the cache
			if got, want := runPinyin(run), pinyin.LazyPinyin(run, pinyin.NewArgs()); !slices.Equal(got, want) {
				t.Errorf("runPinyin(%q) = %q, want %q", run, got, want)
			}
		}
	}
}

// searchWords leaves out words that start another, and nothing a prefix search finds is lost: each
// syllable, the syllables run together, the initials and every one- and two-character piece of a Chinese
// name starts one of its words.
func TestSearchWordsFindEveryPiece(t *testing.T) {
	for i := range 3000 {
		nameZH := ""
		if i < 2000 {
			_, nameZH = storetest.ProductName(i * 7)
		} else {
			nameZH = []string{"可口可乐 330ml", "乐", "茶 500g 绿茶", "重庆火锅底料", "¥5 酸奶"}[i%5]
		}
		words := strings.Fields(searchWords("", nameZH))
		starts := func(piece string) bool {
			return slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, piece) })
		}
		var want []string
		for run := range strings.FieldsSeq(strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Han, r) {
				return r
			}
			return ' '
		}, nameZH)) {
			syllables := pinyin.LazyPinyin(run, pinyin.NewArgs())
			want = append(want, syllables...)
			want = append(want, strings.Join(syllables, ""))
			var initials string
			for _, s := range syllables {
				initials += s[:1]
			}
			want = append(want, initials)
			rs := []rune(run)
			for i := range rs {
				want = append(want, string(rs[i]))
				if i+1 < len(rs) {
					want = append(want, string(rs[i:i+2]))
				}
			}
		}
		for _, piece := range want {
			if !starts(piece) {
				t.Fatalf("%q: %q starts none of %q", nameZH, piece, words)
			}
		}
	}
}

// A category's Chinese name goes in with an import (AddProducts), comes back on every read of a product,
// and out in the export; the export imported into an empty till exports the same bytes again.
func TestCategoryZHImportedReadAndExported(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	added := []app.CatalogEntry{
		{Product: app.Product{SKU: "PRO-100", Name: "Lychee", NameZH: "荔枝", Category: "produce", CategoryZH: "生鲜果蔬",
			Price: cny(1998), Unit: app.UnitKg, TaxClass: "reduced", Active: true, ReorderPoint: 2500}, Barcodes: []string{"2000130000008"}},
		{Product: app.Product{SKU: "GUM-001", NameZH: "口香糖", CategoryZH: "口香糖,糖果", // a Chinese category only, with a comma
			Price: cny(250), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"96385074"}},
		{Product: app.Product{SKU: "PEN-001", Name: "Pen", Category: "stationery", // none
			Price: cny(150), Unit: app.UnitPiece, TaxClass: "standard", Active: false}, Barcodes: []string{"4006381333931"}},
	}
	if n, err := s.AddProducts(ctx, added); err != nil || n != 3 {
		t.Fatalf("added %d, %v", n, err)
	}
	for _, e := range added {
		want := e.Product
		p, err := s.ProductByBarcode(ctx, e.Barcodes[0])
		if err != nil || p.Category != want.Category || p.CategoryZH != want.CategoryZH {
			t.Errorf("%s by barcode: %q / %q, %v", want.SKU, p.Category, p.CategoryZH, err)
		}
		d, err := s.ProductDetail(ctx, p.ID)
		if err != nil || d.Product.CategoryZH != want.CategoryZH {
			t.Errorf("%s detail: %q, %v", want.SKU, d.Product.CategoryZH, err)
		}
	}
	page, err := s.ProductPage(ctx, "PRO-001", 1)
	if err != nil || len(page) != 1 || page[0].SKU != "PRO-100" || page[0].DisplayCategory("zh-Hans") != "生鲜果蔬" ||
		page[0].DisplayCategory("en") != "produce" {
		t.Errorf("product page: %+v, %v", page, err)
	}

	var first strings.Builder
	if _, err := s.ExportCatalog(ctx, &first); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"sku,barcode,name,name_zh,category,category_zh,unit,price,cost,reorder_point,tax_class,active\n",
		"GUM-001,96385074,,口香糖,,\"口香糖,糖果\",piece,2.50,0.00,0,standard,yes\n",
		"PEN-001,4006381333931,Pen,,stationery,,piece,1.50,0.00,0,standard,no\n",
		"PRO-100,2000130000008,Lychee,荔枝,produce,生鲜果蔬,kg,19.98,0.00,2.500,reduced,yes\n",
		"DRK-001,5449000000996,Coca-Cola 330ml can,可口可乐 330ml罐装,drinks,,piece,", // from before: none
	} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("no %q in the export:\n%s", want, first.String())
		}
	}
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := app.ReadCatalogCSV(strings.NewReader(first.String()), set)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.AddProducts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	var second strings.Builder
	if _, err := other.ExportCatalog(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("the export changed in a round trip:\n%s\n---\n%s", first.String(), second.String())
	}
}
