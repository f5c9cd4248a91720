package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"checkout/app"
	"checkout/app/barcode"
)

// genCatalog is a catalog file of n valid products, GEN-000000 upwards.
func genCatalog(n int) string {
	var b strings.Builder
	b.WriteString("sku,barcode,name,name_zh,unit,price,tax_class\n")
	for i := range n {
		data := fmt.Sprintf("68%010d", i) // a prefix the test catalog does not use
		fmt.Fprintf(&b, "GEN-%06d,%s,Product %d,商品%d,piece,%d.%02d,standard\n", i, data+string(barcode.CheckDigit(data)), i, i, 1+i%90, i%100)
	}
	return b.String()
}

func textFile(s string) app.CatalogFile {
	return app.CatalogFile{Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }, Size: int64(len(s))}
}

// A cancelled import keeps whole batches only, and importing the file again adds the rest.
func TestCatalogImportCancelsBetweenBatchesAndResumes(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.CountProducts(ctx)
	n := 2*app.ImportBatch + 5_000
	file := textFile(genCatalog(n))
	var reports []app.ImportProgress
	check, err := app.CheckCatalog(ctx, s, set, file, func(p app.ImportProgress) { reports = append(reports, p) })
	if err != nil || check.Good != n || len(check.Bad) != 0 {
		t.Fatalf("check: %+v, %v", check, err)
	}
	last := reports[len(reports)-1]
	if last.Applying || last.Rows != n || last.Fraction() != 1 || reports[0].Fraction() >= 1 {
		t.Errorf("check progress: first %+v, last %+v", reports[0], last)
	}
	if got, _ := s.CountProducts(ctx); got != before {
		t.Fatalf("the check added %d products", got-before)
	}

	stop, cancel := context.WithCancel(ctx)
	added, err := check.Apply(stop, app.SystemSession("owner"), func(p app.ImportProgress) {
		if p.Added >= app.ImportBatch {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || added != app.ImportBatch {
		t.Fatalf("cancelled apply = %d, %v", added, err)
	}
	if got, _ := s.CountProducts(ctx); got != before+int64(app.ImportBatch) {
		t.Fatalf("after cancelling %d products are in, want the first batch (%d)", got-before, app.ImportBatch)
	}

	reports = nil
	added, err = check.Apply(ctx, app.SystemSession("owner"), func(p app.ImportProgress) { reports = append(reports, p) })
	if err != nil || added != n-app.ImportBatch {
		t.Fatalf("resumed apply = %d, %v", added, err)
	}
	// The bar follows the rows the catalog took (the batch already in counts), not the file read ahead.
	for i, p := range reports {
		if i > 0 && p.Fraction() < reports[i-1].Fraction() {
			t.Errorf("apply progress went back: %+v after %+v", p, reports[i-1])
		}
	}
	if last := reports[len(reports)-1]; !last.Applying || last.Fraction() != 1 || last.Added != n-app.ImportBatch || last.Done != n {
		t.Errorf("apply progress at the end: %+v", last)
	}
	if got, _ := s.CountProducts(ctx); got != before+int64(n) {
		t.Fatalf("after resuming: %d products added of %d", got-before, n)
	}
	if found, err := s.SearchProducts(ctx, "GEN-024999", 1); err != nil || len(found) != 1 {
		t.Errorf("the last row is not searchable: %v %v", found, err)
	}
}

// The check lists rows that clash with the catalog, and applying skips them.
func TestCatalogImportSkipsRowsClashingWithTheCatalog(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	set, _ := s.Settings(ctx)
	file := textFile("sku,barcode,name,unit,price,tax_class\n" +
		"NEW-001,6901234567892,Pen,piece,1.00,standard\n" +
		"NEW-002,5449000000996,Cola again,piece,3.00,standard\n" + // the demo cola's code
		"NEW-003,96385074,Gum,piece,-1,standard\n")
	check, err := app.CheckCatalog(ctx, s, set, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, r := range check.Bad {
		bad = append(bad, fmt.Sprintf("%d %s", r.Line, r.Reason))
	}
	if check.Good != 1 || strings.Join(bad, "; ") != "3 barcode 5449000000996 is already on product DRK-001; 4 negative price" {
		t.Fatalf("check = %d good, bad %q", check.Good, bad)
	}
	if added, err := check.Apply(ctx, app.SystemSession("owner"), nil); err != nil || added != 1 {
		t.Fatalf("apply = %d, %v", added, err)
	}
	if p, _ := s.ProductByBarcode(ctx, "5449000000996"); p.SKU != "DRK-001" {
		t.Errorf("the cola's code moved to %s", p.SKU)
	}
}

// A file whose Chinese text is GB18030 after 64 KB of ASCII is read as GB18030 throughout (it was read
// as UTF-8, storing 茅台 as "ę́"), and a file that is neither UTF-8 nor GB18030 is refused whole.
func TestCatalogImportDecodesTheWholeFileOneWay(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	set, _ := s.Settings(ctx)
	gbk := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	text := strings.ReplaceAll(genCatalog(1500), "商品", "") + gbk("MT-001,6901234567892,Moutai,茅台,piece,1499.00,standard\nDRK-009,4006381333931,Cola,可口可乐,piece,3.00,standard\n")
	check, err := app.CheckCatalog(ctx, s, set, textFile(text), nil)
	if err != nil || check.Good != 1502 {
		t.Fatalf("check: %+v, %v", check, err)
	}
	if _, err := check.Apply(ctx, app.SystemSession("owner"), nil); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProductByBarcode(ctx, "6901234567892"); err != nil || p.NameZH != "茅台" {
		t.Errorf("Moutai: %q, %v", p.NameZH, err)
	}
	before, _ := s.CountProducts(ctx)
	broken := "sku,barcode,name,name_zh,unit,price,tax_class\n" + gbk("NEW-001,96385074,Gum,口香糖,piece,1.00,standard\n") +
		"NEW-002,12345670,Tea,\xff,piece,1.00,standard\n"
	if _, err := app.CheckCatalog(ctx, s, set, textFile(broken), nil); err == nil || !strings.Contains(err.Error(), "line 3, byte") {
		t.Errorf("a file neither UTF-8 nor GB18030: %v", err)
	}
	if after, _ := s.CountProducts(ctx); after != before {
		t.Errorf("%d products added", after-before)
	}
}

// TestHostileCatalogFilesStayInBoundedMemory checks 50 MB catalog files of every hostile shape — one line,
// one quoted field over many lines, rows just under the row limit with fields over the field limit, and
// millions of tiny bad rows — and measures the Go heap and the resident set while it does (memPeak): each
// stays under 300 MB (the tiny rows took 1.7 GB of heap before, every bad row held), and each is refused
// with a clear error or its bad rows are counted with the first ones listed.
func TestHostileCatalogFilesStayInBoundedMemory(t *testing.T) {
	size := 50 << 20
	if testing.Short() || raceEnabled {
		size = 5 << 20
	}
	s, _ := openTestStore(t)
	ctx := context.Background()
	set, _ := s.Settings(ctx)
	const header = "sku,barcode,name,unit,price,tax_class\n"
	for _, tt := range []struct {
		name  string
		write func(w *bufio.Writer)
		err   string // the file is refused with this error, or
		bad   string // its bad rows have this reason
	}{
		{"one line", func(w *bufio.Writer) {
			w.WriteString("HUGE,5449000000996,")
			w.WriteString(strings.Repeat("x", size))
			w.WriteString(",piece,1.00,standard\n")
		}, "line 2: a row longer than 1 MiB", ""},
		{"one quoted field over many lines", func(w *bufio.Writer) {
			w.WriteString("HUGE,5449000000996,\"")
			for range size / 64 {
				w.WriteString(strings.Repeat("y", 63) + "\n")
			}
			w.WriteString("\",piece,1.00,standard\n")
		}, "a row longer than 1 MiB", ""},
		{"rows of 900 KiB, fields over 64 KiB", func(w *bufio.Writer) {
			for i := range size / (900 << 10) {
				fmt.Fprintf(w, "R%d,5449000000996,%s,piece,1.00,standard,%s\n", i, strings.Repeat("z", 100<<10), strings.Repeat("z", 790<<10))
			}
		}, "", "longer than 64 KiB"},
		{"millions of tiny rows", func(w *bufio.Writer) {
			for range size / 2 {
				w.WriteString("x\n")
			}
		}, "", "no name"},
	} {
		path := filepath.Join(t.TempDir(), "hostile.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString(header)
		tt.write(w)
		if err := errors.Join(w.Flush(), f.Close()); err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(path)
		file := app.CatalogFile{Open: func() (io.ReadCloser, error) { return os.Open(path) }, Size: info.Size()}

		// The earlier tests of the package leave the process holding memory it no longer uses: handed back
		// first, the peak is the check's.
		debug.FreeOSMemory()
		stop := memPeak()
		start := time.Now()
		check, err := app.CheckCatalog(ctx, s, set, file, nil)
		heap, rss := stop()
		t.Logf("%s (%d MB): %v, peak heap %d MB, peak RSS %d MB", tt.name, info.Size()>>20, time.Since(start).Round(time.Millisecond), heap>>20, rss>>20)
		if heap > 300<<20 || (rss > 300<<20 && !raceEnabled) {
			t.Errorf("%s: peak heap %d MB, peak RSS %d MB", tt.name, heap>>20, rss>>20)
		}
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case check.Good != 0 || len(check.Bad) == 0 || len(check.Bad) > app.MaxListedRows || !strings.Contains(check.Bad[0].Reason, tt.bad):
			t.Errorf("%s: %d good, %d bad listed of %d, first %+v", tt.name, check.Good, len(check.Bad), check.BadRows, check.Bad[0])
		}
		os.Remove(path)
	}
	if m := maxRSS(); m > 0 {
		t.Logf("the test process's peak RSS: %d MB", m>>20)
	}
}

// pendingTrigrams is how many ranges of products search_pending lists as having no trigrams yet.
func pendingTrigrams(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(context.Background(), `SELECT count(*) FROM search_pending WHERE trigrams`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkGenFound checks that search finds the generated products i by a piece of their Chinese name (the
// trigram index) and by their words, each once.
func checkGenFound(t *testing.T, s *Store, is ...int) {
	t.Helper()
	ctx := context.Background()
	for _, i := range is {
		sku := fmt.Sprintf("GEN-%06d", i)
		for _, q := range []string{fmt.Sprintf("商品%d", i), fmt.Sprintf("product %d", i)} {
			found, err := s.SearchProducts(ctx, q, 100)
			if err != nil {
				t.Fatal(err)
			}
			times := 0
			for _, p := range found {
				if p.SKU == sku {
					times++
				}
			}
			if times != 1 {
				t.Errorf("search %q finds %s %d times in %d products", q, sku, times, len(found))
			}
		}
	}
}

// An import of many batches leaves its trigrams to a pass every few batches and one at its end, and every
// product is then in both indexes exactly once; an update of a few rows into that catalog is indexed with its batch. VerifySearch
// (FTS5's integrity-check against the products) is shown to catch a product missing from the trigrams and
// one indexed twice, so it would catch a bulk pass that did either.
func TestBulkImportIndexesEveryProductOnce(t *testing.T) {
	// The second batch indexes the trigrams of the first two, the end those of the third.
	defer func(was int64) { bulkTrigramRows = was }(bulkTrigramRows)
	bulkTrigramRows = 2 * app.ImportBatch
	s, _ := openTestStore(t)
	ctx := context.Background()
	set, _ := s.Settings(ctx)
	n := 2*app.ImportBatch + 321
	check, err := app.CheckCatalog(ctx, s, set, textFile(genCatalog(n)), nil)
	if err != nil || check.Good != n {
		t.Fatalf("check: %+v, %v", check, err)
	}
	deferred, caughtUp := 0, false
	added, err := check.Apply(ctx, app.SystemSession("owner"), func(p app.ImportProgress) {
		pending := pendingTrigrams(t, s)
		caughtUp = caughtUp || deferred > 0 && pending == 0
		deferred = max(deferred, pending)
	})
	if err != nil || added != n {
		t.Fatalf("apply = %d, %v", added, err)
	}
	if deferred == 0 || !caughtUp {
		t.Errorf("an import of three batches left trigrams (%v) and indexed them before its end (%v)", deferred > 0, caughtUp)
	}
	if got := pendingTrigrams(t, s); got != 0 {
		t.Errorf("%d ranges still without trigrams once the import returned", got)
	}
	checkSearchIndex(t, s)
	checkGenFound(t, s, 0, 1, app.ImportBatch-1, app.ImportBatch, 2*app.ImportBatch, n-1)

	// An update: rows already in (kept as they are) and a few new ones, indexed with their batch.
	update := "sku,barcode,name,name_zh,unit,price,tax_class\n"
	for i := n - 40; i < n+10; i++ {
		data := fmt.Sprintf("68%010d", i)
		update += fmt.Sprintf("GEN-%06d,%s,Product %d,商品%d,piece,2.00,standard\n", i, data+string(barcode.CheckDigit(data)), i, i)
	}
	check, err = app.CheckCatalog(ctx, s, set, textFile(update), nil)
	if err != nil {
		t.Fatal(err)
	}
	deferred = 0
	added, err = check.Apply(ctx, app.SystemSession("owner"), func(p app.ImportProgress) { deferred = max(deferred, pendingTrigrams(t, s)) })
	if err != nil || added != 10 {
		t.Fatalf("update = %d, %v", added, err)
	}
	if deferred != 0 {
		t.Error("an update of one batch left its trigrams to a pass at the end")
	}
	checkSearchIndex(t, s)
	checkGenFound(t, s, n-40, n-1, n, n+9)

	// The check itself: a product missing from product_trigrams, and one in it twice, fail it.
	var id int64
	if err := s.r.QueryRowContext(ctx, `SELECT id FROM products WHERE sku = ?`, fmt.Sprintf("GEN-%06d", app.ImportBatch)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM product_trigrams WHERE rowid = ?`, id); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifySearch(ctx); err == nil {
		t.Error("VerifySearch passes a product missing from the trigrams")
	}
	for range 2 {
		if err := s.write(ctx, func(tx *sql.Tx) error { return insertTrigrams(ctx, tx, []int64{id}) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.VerifySearch(ctx); err == nil {
		t.Error("VerifySearch passes a product indexed twice in the trigrams")
	}
}

// An import killed before its end (here: cancelled, and the files copied as the kill would leave them)
// leaves products without trigrams listed in search_pending: the next start indexes them once, from the
// names as they are then (a product edited meanwhile is found by its new name only), and resuming the
// import indexes the rest.
func TestKilledBulkImportIndexedAtNextStart(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	set, _ := s.Settings(ctx)
	n := 3 * app.ImportBatch
	file := textFile(genCatalog(n))
	check, err := app.CheckCatalog(ctx, s, set, file, nil)
	if err != nil || check.Good != n {
		t.Fatalf("check: %+v, %v", check, err)
	}
	stop, cancel := context.WithCancel(ctx)
	if _, err := check.Apply(stop, app.SystemSession("owner"), func(p app.ImportProgress) {
		if p.Added >= app.ImportBatch {
			cancel()
		}
	}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled apply: %v", err)
	}
	if got := pendingTrigrams(t, s); got == 0 {
		t.Fatal("the cancelled import left no trigrams pending: the test no longer tests a kill before the end")
	}
	// An edit of a product whose trigrams are pending, in the same transaction's view as a kill would see.
	edited, err := s.ProductBySKU(ctx, "GEN-000007")
	if err != nil {
		t.Fatal(err)
	}
	edited.Name, edited.NameZH = "Renamed walnut", "核桃仁"
	if err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.saveProduct(ctx, tx, app.CatalogEntry{Product: edited}, "owner", time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.words.wait() // a kill between the word index's commits, not inside one
	copied := filepath.Join(t.TempDir(), "till.db")
	for _, side := range []string{"", "-wal", "-search", "-search-wal"} {
		b, err := os.ReadFile(path + side)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copied+side, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	k, err := Open(ctx, copied)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if got := pendingTrigrams(t, k); got != 0 {
		t.Errorf("%d ranges without trigrams after the start", got)
	}
	checkSearchIndex(t, k)
	checkGenFound(t, k, 0, 8, app.ImportBatch-1)
	if found, _ := k.SearchProducts(ctx, "核桃仁", 5); len(found) != 1 || found[0].SKU != "GEN-000007" {
		t.Errorf("the edited product by its new name: %+v", found)
	}
	var old int
	if err := k.r.QueryRowContext(ctx, `SELECT count(*) FROM product_trigrams WHERE product_trigrams MATCH '"商品7"' AND rowid = ?`,
		edited.ID).Scan(&old); err != nil || old != 0 {
		t.Errorf("the edited product's old name is in the trigrams: %d, %v", old, err)
	}
	check, err = app.CheckCatalog(ctx, k, set, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if added, err := check.Apply(ctx, app.SystemSession("owner"), nil); err != nil || added != n-app.ImportBatch {
		t.Fatalf("resumed apply = %d, %v", added, err)
	}
	checkSearchIndex(t, k)
	checkGenFound(t, k, app.ImportBatch, n-1)
}
