package till

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/client"
)

// The till's low-stock list reaches the head office from the real store: a product sold down to its
// reorder point is in the next list, one restocked leaves it, and an unchanged list is not sent again.
func TestLowStockListReachesHeadOffice(t *testing.T) {
	ctx := context.Background()
	m := demoTill(t)
	var mu sync.Mutex
	var puts []*document.StockAlerts
	hq := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a, err := document.CheckStockAlerts(body)
		if r.Method != http.MethodPut || r.URL.Path != "/v1/shops/north/stock-alerts" || err != nil {
			t.Errorf("%s %s: %v", r.Method, r.URL.Path, err)
			http.Error(w, "no", http.StatusBadRequest)
			return
		}
		mu.Lock()
		puts = append(puts, a)
		mu.Unlock()
		w.Write([]byte(`{"products":0}`))
	}))
	defer hq.Close()
	c, err := client.New(client.Config{URL: hq.URL, Shop: "north", Token: "token",
		CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hq.Certificate().Raw})})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	now := time.Now()
	low := &app.LowStockReporter{Stock: m.Store, To: &client.StockAlerts{Client: c}, Now: func() time.Time { return now }}
	report := func(want int) *document.StockAlerts {
		t.Helper()
		now = now.Add(app.LowStockReportEvery)
		if err := low.Report(ctx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(puts) != want {
			t.Fatalf("%d lists put, want %d", len(puts), want)
		}
		return puts[len(puts)-1]
	}

	cola, err := m.Store.ProductByBarcode(ctx, "5449000000996")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.SetReorderPoint(ctx, cola.ID, app.Pieces(23)); err != nil { // 24 on the shelf: not low yet
		t.Fatal(err)
	}
	if got := report(1); len(got.Products) != 0 {
		t.Fatalf("first list %+v, want nothing low", got.Products)
	}
	report(1) // unchanged: not sent

	// One sold: 23 left, at the reorder point.
	if _, err := m.Checkout.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Checkout.PayCash(m.Checkout.Due()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Checkout.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	got := report(2)
	if len(got.Products) != 1 || got.Products[0] != (document.LowStock{SKU: cola.SKU, Name: cola.Name, NameZH: cola.NameZH, Unit: "piece",
		OnHand: "23", ReorderPoint: "23"}) {
		t.Fatalf("list after the sale %+v", got.Products)
	}
	report(2) // unchanged

	// Twelve received: 35, above the reorder point again.
	if err := app.NewInventory(m.Store, time.Now).Receive(ctx, "Swire", m.Checkout.Session(),
		[]app.ReceiveLine{{Product: cola, Qty: app.Pieces(12), UnitCost: money.New(150, cola.Price.Currency())}}); err != nil {
		t.Fatal(err)
	}
	if got := report(3); len(got.Products) != 0 {
		t.Fatalf("list after the delivery %+v", got.Products)
	}
	report(3)
}
