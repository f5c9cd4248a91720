package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// putAlerts puts body as the low-stock list of the till whose token cfg holds, to shop's path, and
// returns the status.
func putAlerts(t *testing.T, h *hqtest.HQ, cfg client.Config, shop string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, h.URL+api.StockAlertsPath(shop), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+cfg.Token)
	resp, err := h.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func alertsBody(products ...document.LowStock) []byte {
	b, _ := json.Marshal(document.StockAlerts{Products: append([]document.LowStock{}, products...)})
	return b
}

func lowPiece(sku, name, onHand, point string) document.LowStock {
	return document.LowStock{SKU: sku, Name: name, Unit: "piece", OnHand: onHand, ReorderPoint: point}
}

// storedAlerts reads what the head office keeps for each till: its products' SKUs, in order, by till.
func storedAlerts(t *testing.T, db *pgx.Conn) map[string]string {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT t.name, coalesce(string_agg(p->>'sku', ',' ORDER BY n), '')
		FROM stock_alerts a JOIN tills t ON t.id = a.till_id LEFT JOIN jsonb_array_elements(a.products) WITH ORDINALITY AS e(p, n) ON true
		GROUP BY t.name`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var till, skus string
		if err := rows.Scan(&till, &skus); err != nil {
			t.Fatal(err)
		}
		out[till] = skus
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A till's list replaces its own last one and no other till's; another shop's till cannot write this
// shop's; hostile lists are refused whole and change nothing.
func TestStockAlertsReplaceTheTillsOwn(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	db, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	t1, t2, s1 := h.Enrol("north", "T01"), h.Enrol("north", "T02"), h.Enrol("south", "S01")
	c1, err := client.New(t1)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	put := func(cfg client.Config, shop string, body []byte, want int) {
		t.Helper()
		if got := putAlerts(t, h, cfg, shop, body); got != want {
			t.Fatalf("put %.80s: %d, want %d", body, got, want)
		}
	}
	if reply, err := c1.PutStockAlerts(ctx, document.StockAlerts{Products: []document.LowStock{lowPiece("DRK-001", "Cola", "2", "6"),
		{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Unit: "kg", OnHand: "0.455", ReorderPoint: "5.000"}}}); err != nil || reply.Products != 2 {
		t.Fatalf("put: %+v, %v", reply, err)
	}
	put(t2, "north", alertsBody(lowPiece("SNK-001", "Chips", "-1", "0")), http.StatusOK)
	put(t1, "north", alertsBody(lowPiece("WTR-001", "Water", "0", "12")), http.StatusOK)
	want := map[string]string{"T01": "WTR-001", "T02": "SNK-001"}
	if got := storedAlerts(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	// The south shop's till cannot write north's list, nor can a request with no token.
	put(s1, "north", alertsBody(lowPiece("EVIL-1", "Evil", "0", "1")), http.StatusForbidden)
	put(client.Config{Token: "not-a-token"}, "north", alertsBody(), http.StatusUnauthorized)

	many := make([]document.LowStock, 10_000)
	for i := range many {
		many[i] = lowPiece(fmt.Sprintf("SKU-%05d", i), "Cola", "0", "1")
	}
	hostile := map[string][]byte{
		"a control character": alertsBody(lowPiece("DRK-001", "Cola\u001b[2J", "2", "6")),
		"10,000 products":     alertsBody(many...),
		"a huge name":         alertsBody(lowPiece("DRK-001", strings.Repeat("可", 5000), "2", "6")),
		"a negative reorder":  alertsBody(lowPiece("DRK-001", "Cola", "-2", "-1")),
		"not low":             alertsBody(lowPiece("DRK-001", "Cola", "9", "6")),
		"invalid UTF-8":       []byte(`{"products":[{"sku":"DRK-001","name":"Co` + "\xff" + `la","unit":"piece","on_hand":"2","reorder_point":"6"}]}`),
		"an unknown field":    []byte(`{"products":[],"shop":"south"}`),
		"no list":             []byte(`{}`),
		"not JSON":            []byte(`products`),
		"a float quantity":    alertsBody(lowPiece("DRK-001", "Cola", "1e3", "6")),
		"twice one SKU":       alertsBody(lowPiece("DRK-001", "Cola", "2", "6"), lowPiece("DRK-001", "Cola", "1", "6")),
	}
	for name, body := range hostile {
		if got := putAlerts(t, h, t1, "north", body); got != http.StatusBadRequest && got != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d", name, got)
		}
	}
	huge := append([]byte(`{"products":[`), bytes.Repeat([]byte(` `), api.MaxStockAlertsBody)...)
	put(t1, "north", append(huge, `]}`...), http.StatusRequestEntityTooLarge)
	if got := storedAlerts(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after hostile lists %v, want %v", got, want)
	}
	// An empty list says nothing is low: the till's row stays, empty.
	put(t1, "north", alertsBody(), http.StatusOK)
	if got := storedAlerts(t, db); got["T01"] != "" || got["T02"] != "SNK-001" {
		t.Fatalf("after an empty list %v", got)
	}
}

// The stock page shows what each till sent, per shop, lowest cover first, with the till and when; a
// manager sees only the shops granted, and a page with nothing low says so.
func TestDashboardStockAlerts(t *testing.T) {
	h := hqtest.StartHQ(t)
	t1, t2, s1 := h.Enrol("north", "T01"), h.Enrol("north", "T02"), h.Enrol("south", "S01")
	sent := map[string]document.LowStock{
		"T01/DRK-001": lowPiece("DRK-001", "Cola", "2", "6"),
		"T01/PRO-001": {SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Unit: "kg", OnHand: "0.455", ReorderPoint: "5.000"},
		"T02/DRK-001": lowPiece("DRK-001", "Cola", "-3", "0"),
		"S01/SEC-001": lowPiece("SEC-001", "SOUTH-SECRET-GOODS", "1", "10"),
	}
	// A name with a right-to-left override is refused at the door, as the till's own checks refuse it.
	if got := putAlerts(t, h, t2, "north", alertsBody(lowPiece("DRK-001", "Cola\u202ealoc", "-3", "0"))); got != http.StatusBadRequest {
		t.Fatalf("a right-to-left override in a name: %d", got)
	}
	for _, p := range []struct {
		cfg  client.Config
		shop string
		keys []string
	}{{t1, "north", []string{"T01/DRK-001", "T01/PRO-001"}}, {t2, "north", []string{"T02/DRK-001"}}, {s1, "south", []string{"S01/SEC-001"}}} {
		var ps []document.LowStock
		for _, k := range p.keys {
			ps = append(ps, sent[k])
		}
		if got := putAlerts(t, h, p.cfg, p.shop, alertsBody(ps...)); got != http.StatusOK {
			t.Fatalf("put %v: %d", p.keys, got)
		}
	}
	rowRe := regexp.MustCompile(`(?s)<tr data-sku="([^"]+)" data-till="([^"]+)">(.*?)</tr>`)
	cell := func(row, name string) string {
		m := regexp.MustCompile(`(?s)data-figure="` + name + `"[^>]*>(.*?)</td>`).FindStringSubmatch(row)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	rows := func(page string) (keys []string) {
		for _, m := range rowRe.FindAllStringSubmatch(page, -1) {
			key := m[2] + "/" + m[1]
			keys = append(keys, key)
			p, ok := sent[key]
			if !ok {
				t.Errorf("a row nobody sent: %s", key)
				continue
			}
			if got, want := cell(m[3], "on-hand"), p.OnHand+" "+map[string]string{"piece": "piece", "kg": "kg"}[p.Unit]; got != want {
				t.Errorf("%s on hand %q, want %q", key, got, want)
			}
			if got := cell(m[3], "reorder-point"); got != p.ReorderPoint {
				t.Errorf("%s reorder point %q, want %q", key, got, p.ReorderPoint)
			}
			if got := cell(m[3], "reported"); got != "just now" {
				t.Errorf("%s reported %q", key, got)
			}
		}
		return keys
	}
	owner := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	status, page, _ := owner.get("/dash/stock")
	// North: below zero first, then the least cover (0.455 of 5 kg before 2 of 6); then south.
	if got := rows(page); status != http.StatusOK || strings.Join(got, " ") != "T02/DRK-001 T01/PRO-001 T01/DRK-001 S01/SEC-001" {
		t.Fatalf("owner's stock page: %d, rows %v", status, got)
	}
	if !strings.Contains(page, `href="/dash/stock" aria-current="page"`) || strings.Contains(page, `id="no-stock-alerts"`) {
		t.Error("the page is not marked in the nav, or says nothing is low")
	}
	if strings.Contains(page, "\u202e") || strings.Contains(page, "aloc") {
		t.Error("a till's right-to-left override reached the page")
	}
	_, zh, _ := owner.get("/dash/stock?lang=zh-Hans")
	if !strings.Contains(zh, "库存预警") || !strings.Contains(zh, "香蕉") || !strings.Contains(zh, "千克") {
		t.Error("the Chinese stock page lacks its title, the Chinese name or the unit")
	}

	lee := signedIn(t, h, "lee", addUser(t, h, "lee", "manager", "north"))
	_, page, _ = lee.get("/dash/stock")
	if got := rows(page); strings.Contains(page, "SOUTH-SECRET") || strings.Contains(page, `data-shop="south"`) || len(got) != 3 {
		t.Errorf("the north manager's stock page: rows %v, or it shows south", got)
	}
	nobody := signedIn(t, h, "new", addUser(t, h, "new", "manager"))
	_, page, _ = nobody.get("/dash/stock")
	if len(rows(page)) != 0 || !strings.Contains(page, `id="no-stock-alerts"`) {
		t.Error("a manager of no shop sees stock alerts, or no empty state")
	}
}
