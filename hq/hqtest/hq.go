package hqtest

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/server"
)

// HQ is a head office for a test: the real server on a real PostgreSQL schema, over TLS.
type HQ struct {
	URL    string // https://127.0.0.1:PORT
	Addr   string
	CAPEM  []byte // the test certificate, which tills pin at enrolment
	DBURL  string
	Server *server.Server
	// Requests counts the tills' requests this server answered (across restarts).
	Requests atomic.Int64

	t    testing.TB
	http *httptest.Server
}

// StartHQ starts a head office on a fresh schema; it stops with the test.
func StartHQ(t testing.TB) *HQ {
	t.Helper()
	return StartHQOn(t, PostgresURL(t))
}

// StartHQOn starts a head office on the database at dbURL: a schema from PostgresURL the test has written
// to (as an older head office did), or a Pair's database; it stops with the test.
func StartHQOn(t testing.TB, dbURL string) *HQ {
	t.Helper()
	h := &HQ{t: t, DBURL: dbURL}
	h.start("127.0.0.1:0")
	t.Cleanup(h.Kill)
	return h
}

// Restart starts the head office again on its address after Kill.
func (h *HQ) Restart() {
	h.t.Helper()
	h.start(h.Addr)
}

func (h *HQ) start(addr string) {
	h.t.Helper()
	srv, err := server.Open(context.Background(), h.DBURL, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		h.t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(counting(srv.Handler(), &h.Requests))
	hs.Listener.Close()
	hs.Listener = ln
	// No session tickets: after the handshake the server writes only replies, which the fault proxy
	// relies on to cut a reply (not a ticket).
	hs.TLS = &tls.Config{SessionTicketsDisabled: true}
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes the fault proxy breaks
	hs.StartTLS()
	h.Server, h.http, h.Addr, h.URL = srv, hs, ln.Addr().String(), hs.URL
	h.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw})
}

// Kill stops the head office: open connections are cut, requests in flight are abandoned (their
// transactions roll back), and the pool is closed.
func (h *HQ) Kill() {
	if h.http == nil {
		return
	}
	h.http.CloseClientConnections()
	h.http.Close()
	h.Server.Close()
	h.http = nil
}

// Enrol adds shop (if new), makes an enrolment code for till and enrols it through the API, returning the
// till's client configuration.
func (h *HQ) Enrol(shop, till string) client.Config {
	h.t.Helper()
	ctx := context.Background()
	h.Server.AddShop(ctx, shop) // already there is fine
	code, err := h.Server.EnrolCode(ctx, shop, till)
	if err != nil {
		h.t.Fatal(err)
	}
	reply, err := client.Enrol(ctx, h.URL, h.CAPEM, api.EnrolRequest{Code: code})
	if err != nil {
		h.t.Fatal(err)
	}
	return client.Config{URL: h.URL, Shop: reply.Shop, Token: reply.Token, CAPEM: h.CAPEM, Timeout: 5 * time.Second}
}

// HTTPClient returns a plain HTTP client that trusts the test head office, for raw requests.
func (h *HQ) HTTPClient() *http.Client { return h.http.Client() }

// SaleDoc is a sale document of till T01 that passes the head office's checks: number n (its receipt
// T01-00000n), one line of total, paid in cash, at seq n of the till's journal.
func SaleDoc(id string, n int64, total string) api.Document {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(n) * time.Minute).Format(time.RFC3339Nano)
	sale := document.Sale{ID: id, Till: "T01", Number: n, ReceiptNo: fmt.Sprintf("T01-%06d", n), OpenedAt: t, CompletedAt: t,
		Currency: "CNY", TaxMode: "inclusive", Subtotal: total, Discount: "0.00", Tax: "0.00", Total: total, Rounding: "0.00",
		ItemCount: 1, Paid: total, Change: "0.00",
		Lines: []document.Line{{ProductID: 1, SKU: "DRK-001", Name: "Cola", NameZH: "可乐", Qty: "1", Unit: "piece", UnitPrice: total,
			Gross: total, Discount: "0.00", Total: total, TaxClass: "zero", Tax: "0.00"}},
		Tenders: []document.Tender{{Kind: "cash", Amount: total, Tendered: total, Change: "0.00"}}}
	body, _ := json.Marshal(sale)
	return api.Document{ID: id, Kind: document.KindSale, Version: document.Version, Seq: n, At: time.Now(), Body: body}
}
