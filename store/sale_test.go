package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

var testCatalog = []app.CatalogEntry{
	{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", NameZH: "可口可乐 330ml罐装", Category: "drinks", Price: cny(300), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}},
	{Product: app.Product{SKU: "SNK-001", Name: "Lay's chips original 70g", NameZH: "乐事原味薯片 70g", Category: "snacks", Price: cny(650), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915763", "6924743915770"}},
	{Product: app.Product{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Category: "produce", Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000101000006"}},
	{Product: app.Product{SKU: "OLD-001", Name: "Discontinued cola", Price: cny(250), Unit: app.UnitPiece, TaxClass: "standard", Active: false}, Barcodes: []string{"6900000000014"}},
}

func openTestStore(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "till.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.AddProducts(context.Background(), testCatalog); err != nil {
		t.Fatal(err)
	}
	if err := s.SearchIndexed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// newCheckout returns the till's use case on s, with the settings stored in s.
func newCheckout(t testing.TB, s *Store) *app.Checkout {
	t.Helper()
	set, err := s.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	co, err := app.NewCheckout(set, s, s, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	co.SetSession(app.SystemSession("Olivia")) // the owner: permissions are tested in user_test.go
	return co
}

// sellCash rings up codes through the real use case and pays exactly in cash.
func sellCash(t testing.TB, s *Store, codes ...string) *app.Sale {
	t.Helper()
	return sellWith(t, newCheckout(t, s), codes...)
}

func count(t testing.TB, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaleRoundTrip(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996", "6924743915770", "5449000000996", "0.455*2000101000006")
	if sale.ReceiptNo != "T01-000001" {
		t.Errorf("receipt = %s", sale.ReceiptNo)
	}
	got, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sale.ID || got.Totals.Total != sale.Totals.Total || got.Totals.Tax != sale.Totals.Tax ||
		got.Totals.ItemCount != 4 || got.Paid() != sale.Paid() || !got.CompletedAt.Equal(sale.CompletedAt.UTC().Truncate(time.Microsecond)) {
		t.Errorf("stored sale differs:\n got %+v\nwant %+v", got, sale)
	}
	if len(got.Lines) != 3 {
		t.Fatalf("stored %d lines", len(got.Lines))
	}
	for i, l := range got.Lines {
		w := sale.Lines[i]
		if l.Product.SKU != w.Product.SKU || l.Qty != w.Qty || l.Total != w.Total || l.Tax != w.Tax || l.TaxRateBP != w.TaxRateBP {
			t.Errorf("line %d = %+v, want %+v", i+1, l, w)
		}
	}
	if n := count(t, s, "outbox WHERE kind = 'sale' AND sent_at IS NULL AND id = '"+sale.ID+"'"); n != 1 {
		t.Errorf("outbox rows for the sale = %d", n)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 1 {
		t.Errorf("journal = %d rows, %v", n, err)
	}
	if next := sellCash(t, s, "5449000000996"); next.ReceiptNo != "T01-000002" {
		t.Errorf("second receipt = %s", next.ReceiptNo)
	}
	if _, err := s.SaleByReceipt(ctx, "T01-999999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing receipt: %v", err)
	}
}

func TestFailedSaleLeavesNoTrace(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	tables := []string{"sales", "sale_lines", "tenders", "journal", "outbox"}
	before := map[string]int64{}
	for _, tb := range tables {
		before[tb] = count(t, s, tb)
	}
	// The third line names a product the catalog never had: its INSERT fails on the foreign key after the
	// receipt number, the header and two lines were written.
	good := sellCash(t, s, "5449000000996", "6924743915763")
	bad := *good
	bad.ID, bad.Number, bad.ReceiptNo = app.NewID(), 0, ""
	ghost := bad.Lines[0]
	ghost.Product.ID = 424242
	bad.Lines = append(append([]app.Line(nil), bad.Lines...), ghost)
	before["sales"]++
	before["sale_lines"] += 2
	before["tenders"]++
	before["journal"]++
	before["outbox"]++

	if err := s.CommitSale(ctx, &bad); err == nil {
		t.Fatal("a sale with a line for an unknown product committed")
	}
	if bad.ReceiptNo != "" || bad.Number != 0 {
		t.Errorf("failed commit handed out receipt %q", bad.ReceiptNo)
	}
	for _, tb := range tables {
		if n := count(t, s, tb); n != before[tb] {
			t.Errorf("%s: %d rows after the failed sale, want %d", tb, n, before[tb])
		}
	}
	// The failed sale used no receipt number: numbering stays gap-free.
	if next := sellCash(t, s, "5449000000996"); next.ReceiptNo != "T01-000003" {
		t.Errorf("receipt after failure = %s, want T01-000003", next.ReceiptNo)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
}

func TestSameSaleIsNeverStoredTwice(t *testing.T) {
	s, _ := openTestStore(t)
	sale := sellCash(t, s, "5449000000996")
	again := *sale
	if err := s.CommitSale(context.Background(), &again); err == nil {
		t.Fatal("the same sale ID committed twice")
	}
	if n := count(t, s, "sales"); n != 1 {
		t.Errorf("%d sales", n)
	}
}

func TestJournalDetectsTampering(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	sellCash(t, s, "6924743915763", "6924743915763")
	if err := s.RecordVoid(ctx, app.Void{SaleID: app.NewID(), Till: "T01", At: time.Now(), Lines: 1, Total: cny(300)}); err != nil {
		t.Fatal(err)
	}
	sellCash(t, s, "5449000000996")
	if n, err := s.VerifyJournal(ctx); err != nil || n != 4 {
		t.Fatalf("clean journal: %d rows, %v", n, err)
	}
	if _, err := s.w.Exec(`UPDATE journal SET kind = 'x' WHERE seq = 2`); err == nil {
		t.Fatal("journal row updated despite the append-only trigger")
	}
	if _, err := s.w.Exec(`DELETE FROM journal WHERE seq = 4`); err == nil {
		t.Fatal("journal row deleted despite the append-only trigger")
	}
	// Someone with the file and sqlite3 drops the trigger and lowers a total.
	if _, err := s.w.Exec(`DROP TRIGGER journal_append_only_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`UPDATE journal SET payload = replace(payload, '"total":"13.00"', '"total":"1.30"') WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	n, err := s.VerifyJournal(ctx)
	var je *JournalError
	if !errors.As(err, &je) || je.Seq != 2 || n != 1 {
		t.Fatalf("VerifyJournal after tampering = %d, %v; want row 2 named", n, err)
	}
}

func TestJournalDetectsRemovedRow(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for range 3 {
		sellCash(t, s, "5449000000996")
	}
	// A tamperer with sqlite3 switches off what protects the rows.
	for _, q := range []string{`DROP TRIGGER journal_append_only_delete`, `PRAGMA foreign_keys = OFF`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.w.Exec(`DELETE FROM journal WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, err := s.VerifyJournal(ctx)
	var je *JournalError
	if !errors.As(err, &je) || je.Seq != 3 {
		t.Fatalf("VerifyJournal after a deletion = %v; want row 3 named", err)
	}
}

func TestReopenShowsEveryCompletedSale(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	var receipts []string
	for range 5 {
		receipts = append(receipts, sellCash(t, s, "5449000000996", "6924743915763").ReceiptNo)
	}
	var mode string
	var sync int
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	if err := s.w.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Errorf("synchronous = %d (want 2, FULL), %v", sync, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	sum, err := reopened.SummariseSales(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || sum.Count != 5 || sum.Total != 5*950 {
		t.Errorf("after reopen: %+v, %v", sum, err)
	}
	for _, r := range receipts {
		if _, err := reopened.SaleByReceipt(ctx, r); err != nil {
			t.Errorf("%s after reopen: %v", r, err)
		}
	}
	if n, err := reopened.VerifyJournal(ctx); err != nil || n != 5 {
		t.Errorf("journal after reopen: %d, %v", n, err)
	}
	if next := sellCash(t, reopened, "5449000000996"); next.ReceiptNo != "T01-000006" {
		t.Errorf("numbering after reopen: %s", next.ReceiptNo)
	}
}

func TestJournalBindsTheSaleRows(t *testing.T) {
	ctx := context.Background()
	tamper := []struct {
		name  string
		sql   []string
		wantJ int64  // journal row named, 0 for none
		want  string // in the error
	}{
		{"a line's total lowered", []string{`UPDATE sale_lines SET total = 1 WHERE sale_id = 2 AND line_no = 1`}, 2, "T01-000002: its stored rows differ"},
		{"a tender changed", []string{`UPDATE tenders SET amount = amount - 100 WHERE sale_id = 1`}, 1, "T01-000001: its stored rows differ"},
		{"a header changed", []string{`UPDATE sales SET total = 0 WHERE id = 3`}, 3, "T01-000003: its stored rows differ"},
		{"a sale deleted", []string{`PRAGMA foreign_keys = OFF`, `DELETE FROM sale_lines WHERE sale_id = 2`, `DELETE FROM tenders WHERE sale_id = 2`, `DELETE FROM sales WHERE id = 2`}, 2, "T01-000002 is missing"},
		{"a sale slipped in", []string{`INSERT INTO sales (id, uuid, till, receipt_no, opened_at, completed_at, currency, tax_mode,
			subtotal, discount, tax, total, rounding, item_count) SELECT 4, 'x', till, 'T01-000004', opened_at, completed_at,
			currency, tax_mode, subtotal, discount, tax, total, rounding, item_count FROM sales WHERE id = 1`}, 0, "T01-000004 has no journal entry"},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTestStore(t)
			sellCash(t, s, "5449000000996")
			sellCash(t, s, "6924743915763", "0.250*2000101000006")
			sellCash(t, s, "5449000000996", "5449000000996")
			if n, err := s.VerifyJournal(ctx); err != nil || n != 3 {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			for _, q := range tt.sql {
				if _, err := s.w.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			_, err := s.VerifyJournal(ctx)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("VerifyJournal = %v, want %q", err, tt.want)
			}
			var je *JournalError
			if tt.wantJ != 0 && (!errors.As(err, &je) || je.Seq != tt.wantJ) {
				t.Errorf("error %v does not name journal row %d", err, tt.wantJ)
			}
		})
	}
}

func TestConcurrentSalesAreSerialisedGapFree(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	template := sellCash(t, s, "5449000000996", "6924743915763")
	const workers, each = 8, 25
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				sale := *template
				sale.ID = app.NewID()
				errs <- s.CommitSale(ctx, &sale)
			}
		}()
	}
	// Readers run beside the writer.
	for range 50 {
		if _, err := s.ProductByBarcode(ctx, "5449000000996"); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	const total = workers*each + 1
	var n, maxID int64
	if err := s.r.QueryRow(`SELECT count(*), max(id) FROM sales`).Scan(&n, &maxID); err != nil || n != total || maxID != total {
		t.Errorf("%d sales, highest receipt %d, want %d and %d (gap-free), %v", n, maxID, total, total, err)
	}
	if v, err := s.VerifyJournal(ctx); err != nil || v != total {
		t.Errorf("journal: %d rows, %v", v, err)
	}
}

func TestSplitTenderRoundTrip(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "5449000000996", "5449000000996"} {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	third := money.New(co.Due().Minor()/3, co.Settings().Currency)
	if _, err := co.PayCard(third, "884211", "0005"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayQR(third, co.PaymentReference(), "4200009999"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Tenders) != 3 || got.Tenders[0] != sale.Tenders[0] || got.Tenders[1] != sale.Tenders[1] || got.Tenders[2] != sale.Tenders[2] {
		t.Fatalf("stored tenders %+v\nwant %+v", got.Tenders, sale.Tenders)
	}
	if got.Tenders[0].CardLast4 != "0005" || got.Tenders[1].Reference == "" || got.Tenders[1].Approval != "4200009999" {
		t.Errorf("tender details lost: %+v", got.Tenders)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 1 {
		t.Errorf("journal = %d rows, %v", n, err)
	}
	// The schema itself refuses a whole card number, whatever writes it.
	if _, err := s.w.Exec(`UPDATE tenders SET card_last4 = '4111111111111111' WHERE kind = 'card'`); err == nil {
		t.Error("a whole card number was stored")
	}
}
