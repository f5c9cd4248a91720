package client_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/store"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

var catalog = []app.CatalogEntry{
	{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", Price: cny(300), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}},
	{Product: app.Product{SKU: "SNK-001", Name: "Lay's chips original 70g", Price: cny(650), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915763"}},
	{Product: app.Product{SKU: "PRO-001", Name: "Banana", Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000101000006"}},
}

// till is a till's database and use case, as the real till runs them.
type till struct {
	path  string
	keyed bool
	store *store.Store
	co    *app.Checkout
	n     int
}

// journalKey keys the journals of the tills that keyedTill opens.
var journalKey = bytes.Repeat([]byte{0x42}, 32)

// newTill opens a till named name on a new database with the test catalog, its journal not keyed (a
// till from before journal keys).
func newTill(t testing.TB, name string) *till { return openTill(t, name, false) }

// keyedTill is newTill for a till whose journal is keyed with journalKey, as every till's is now.
func keyedTill(t testing.TB, name string) *till { return openTill(t, name, true) }

func openTill(t testing.TB, name string, keyed bool) *till {
	t.Helper()
	tl := &till{path: filepath.Join(t.TempDir(), "till.db"), keyed: keyed}
	tl.open(t)
	ctx := context.Background()
	if _, err := tl.store.AddProducts(ctx, catalog); err != nil {
		t.Fatal(err)
	}
	if err := tl.store.SearchIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tl.store.SetSetting(ctx, "till", name, time.Now()); err != nil {
		t.Fatal(err)
	}
	tl.open(t) // again, so the checkout has the till's name
	return tl
}

// open (re)opens the till's database, as a till process starting does.
func (tl *till) open(t testing.TB) {
	t.Helper()
	if tl.store != nil {
		tl.store.Close()
	}
	var opts []store.Option
	if tl.keyed {
		opts = append(opts, store.WithJournalKey(journalKey, true))
	}
	s, err := store.Open(context.Background(), tl.path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	set, err := s.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	co, err := app.NewCheckout(set, s, s, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	co.SetSession(app.SystemSession("Olivia"))
	tl.store, tl.co = s, co
}

// sell rings up one of a few baskets through the real use case and pays in cash.
func (tl *till) sell(t testing.TB) {
	ctx := context.Background()
	baskets := [][]string{{"5449000000996"}, {"6924743915763", "5449000000996"}, {"0.455*2000101000006", "2*6924743915763"}}
	for _, code := range baskets[tl.n%len(baskets)] {
		if _, err := tl.co.Scan(ctx, code); err != nil {
			t.Errorf("scan %s: %v", code, err)
			return
		}
	}
	tl.n++
	if _, err := tl.co.PayCash(tl.co.CashDue()); err != nil {
		t.Error(err)
		return
	}
	if _, err := tl.co.Complete(ctx); err != nil {
		t.Error(err)
	}
}

// sales returns the till's count and total of sales.
func (tl *till) sales(t testing.TB) store.SalesSummary {
	t.Helper()
	sum, err := tl.store.SummariseSales(context.Background(), time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}
