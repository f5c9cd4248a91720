package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// saleDoc is a sale that passes the head office's checks, number seq of till T01.
func saleDoc(id string, seq int64, total string) api.Document { return hqtest.SaleDoc(id, seq, total) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

const (
	id1 = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a01"
	id2 = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a02"
)

// documents counts what the head office stores, over every till.
func documents(t *testing.T, h *hqtest.HQ) int64 {
	t.Helper()
	sts, err := h.Server.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, st := range sts {
		n += st.Documents
	}
	return n
}

// A document sent twice is stored once and acknowledged both times; the reply says which were new.
func TestUploadIsIdempotent(t *testing.T) {
	h := hqtest.StartHQ(t)
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reply, err := c.Upload(ctx, api.UploadRequest{Pending: 1, Documents: []api.Document{saleDoc(id1, 1, "3.00")}})
	if err != nil || len(reply.Stored) != 1 || len(reply.Duplicates) != 0 {
		t.Fatalf("first upload: %+v, %v", reply, err)
	}
	reply, err = c.Upload(ctx, api.UploadRequest{Pending: 2, Documents: []api.Document{saleDoc(id1, 1, "3.00"), saleDoc(id2, 2, "6.50")}})
	if err != nil || len(reply.Stored) != 1 || reply.Stored[0] != id2 || len(reply.Duplicates) != 1 || reply.Duplicates[0] != id1 {
		t.Fatalf("retry: %+v, %v", reply, err)
	}
	if n := documents(t, h); n != 2 {
		t.Fatalf("%d documents stored, want 2", n)
	}
}

// Every bad request is refused with a status and a message that say why, and stores nothing.
func TestUploadRefusesBadRequests(t *testing.T) {
	h := hqtest.StartHQ(t)
	north := h.Enrol("north", "T01")
	south := h.Enrol("south", "T01")
	good, _ := json.Marshal(api.UploadRequest{Pending: 1, Documents: []api.Document{saleDoc(id1, 1, "3.00")}})
	huge := append([]byte(`{"pending":1,"documents":[{"id":"`+id1+`","kind":"sale","seq":1,"at":"2026-01-02T03:04:05Z","body":{"x":"`),
		bytes.Repeat([]byte("a"), api.MaxBody)...)
	huge = append(huge, `"}}]}`...)
	tests := []struct {
		name, shop, token string
		body              []byte
		status            int
		want              string
	}{
		{"no token", "north", "", good, 401, "no till token"},
		{"wrong token", "north", "not-a-token", good, 401, "unknown till token"},
		{"another shop's token", "north", south.Token, good, 403, "belongs to shop south"},
		{"unknown shop", "nowhere", north.Token, good, 403, "not nowhere"},
		{"malformed JSON", "north", north.Token, []byte(`{"documents": [{"id": `), 400, "malformed JSON"},
		{"unknown field", "north", north.Token, []byte(`{"docs": []}`), 400, "unknown field"},
		{"trailing data", "north", north.Token, append(append([]byte{}, good...), `{}`...), 400, "data after"},
		{"oversized body", "north", north.Token, huge, 413, "request body over"},
		{"no documents", "north", north.Token, []byte(`{"documents": []}`), 400, "no documents"},
		{"same document twice", "north", north.Token, mustJSON(api.UploadRequest{Documents: []api.Document{saleDoc(id1, 1, "3.00"), saleDoc(id1, 2, "3.00")}}), 400, "twice in one upload"},
		{"out of order", "north", north.Token, mustJSON(api.UploadRequest{Documents: []api.Document{saleDoc(id1, 2, "3.00"), saleDoc(id2, 1, "3.00")}}), 400, "out of the till's order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, h.URL+api.UploadPath(tt.shop), bytes.NewReader(tt.body))
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			c := h.HTTPClient()
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e api.Error
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatalf("status %d, body not a JSON error: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.status || !strings.Contains(e.Message, tt.want) || e.Code == "" {
				t.Errorf("status %d %+v, want %d and a message with %q", resp.StatusCode, e, tt.status, tt.want)
			}
		})
	}
	if n := documents(t, h); n != 0 {
		t.Fatalf("%d documents stored from bad requests, want none", n)
	}
	// The same document, uploaded by each shop's till, is each shop's own.
	for _, cfg := range []client.Config{north, south} {
		c, _ := client.New(cfg)
		if reply, err := c.Upload(context.Background(), api.UploadRequest{Documents: []api.Document{saleDoc(id1, 1, "3.00")}}); err != nil || len(reply.Stored) != 1 {
			t.Fatalf("%s: %+v, %v", cfg.Shop, reply, err)
		}
	}
}

// An enrolment code works once; the client's error says why a second use fails.
func TestEnrolCodeIsOneTime(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	if err := h.Server.AddShop(ctx, "north"); err != nil {
		t.Fatal(err)
	}
	code, err := h.Server.EnrolCode(ctx, "north", "T01")
	if err != nil {
		t.Fatal(err)
	}
	first, err := client.Enrol(ctx, h.URL, h.CAPEM, api.EnrolRequest{Code: code})
	if err != nil || first.Shop != "north" || first.Till != "T01" {
		t.Fatalf("enrol: %+v, %v", first, err)
	}
	_, err = client.Enrol(ctx, h.URL, h.CAPEM, api.EnrolRequest{Code: code})
	var e *api.Error
	if !errors.As(err, &e) || e.Status != 401 || !strings.Contains(e.Message, "used or expired") {
		t.Fatalf("second use: %v", err)
	}
	if _, err := h.Server.EnrolCode(ctx, "nowhere", "T01"); err == nil {
		t.Fatal("a code for an unknown shop was made")
	}
	if _, err := client.Enrol(ctx, strings.Replace(h.URL, "https", "http", 1), h.CAPEM, api.EnrolRequest{Code: "whatever"}); err == nil || !strings.Contains(err.Error(), "want https") {
		t.Fatalf("enrol over plain HTTP: %v", err)
	}
	// Without the pinned certificate the till refuses the head office.
	if _, err := client.Enrol(ctx, h.URL, nil, api.EnrolRequest{Code: "whatever"}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("enrol without the CA: %v", err)
	}
}

// zeros is an endless body of a's that costs its sender nothing to send.
type zeros struct{ left int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := min(len(p), z.left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	z.left -= n
	return n, nil
}

// Enrolment is open to anyone: forty 8 MiB bodies at once are each refused after 4 KiB, and the head
// office does not hold them (it grew by 919 MB before).
func TestEnrolRefusesBigBodiesCheaply(t *testing.T) {
	h := hqtest.StartHQ(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make(chan int, 40)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, h.URL+api.EnrolPath, io.MultiReader(strings.NewReader(`{"code":"`), &zeros{left: 8 << 20}))
			resp, err := h.HTTPClient().Do(req)
			if err != nil {
				statuses <- 0 // the server may close the connection mid-body: that is a refusal too
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	close(statuses)
	for s := range statuses {
		if s != http.StatusRequestEntityTooLarge && s != 0 {
			t.Errorf("a big enrolment body got %d", s)
		}
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 64<<20 {
		t.Errorf("forty big enrolment bodies grew the heap by %d MB", grew>>20)
	}
}

// A shop whose catalog has huge rows (1,100 products with 9 KB names, stored before names were bounded)
// still comes down: every page of changes stays within what a till reads, and the pages cover them all.
func TestChangesPagesAreSizedByBytes(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	h.Enrol("north", "T01")
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO products (shop_id, sku, name, unit, price, tax_class)
		SELECT (SELECT id FROM shops WHERE code = 'north'), 'SKU-' || n, repeat('名', 3000), 'piece', 1, 'standard'
		FROM generate_series(1, 1100) n`); err != nil {
		t.Fatal(err)
	}
	var shopID int64
	if err := conn.QueryRow(ctx, `SELECT id FROM shops WHERE code = 'north'`).Scan(&shopID); err != nil {
		t.Fatal(err)
	}
	seen, after, pages := 0, int64(0), 0
	for more := true; more; pages++ {
		page, err := h.Server.Changes(ctx, shopID, after, api.MaxChanges)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(page); len(b) > api.MaxBody {
			t.Fatalf("page %d is %d bytes, more than a till reads", pages, len(b))
		}
		seen, after, more = seen+len(page.Products), page.Next, page.More
	}
	if seen != 1100 || pages < 3 {
		t.Fatalf("%d products in %d pages", seen, pages)
	}
}
