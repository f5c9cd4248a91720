package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/store"
)

// syncedTill enrols tl at the head office as till name of shop and returns its uploader with a
// downloader, as the running till has them.
func syncedTill(t testing.TB, h *hqtest.HQ, tl *till, shop, name string, page int) *client.Uploader {
	t.Helper()
	cfg := h.Enrol(shop, name)
	if err := tl.store.SetSyncLink(context.Background(), store.SyncLink{URL: cfg.URL, Shop: shop, Till: name, EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	u := uploader(t, cfg, tl.store, 0)
	u.Down = &client.Downloader{Link: tl.store, Client: u.Client, Currency: cnyCurrency, Page: page}
	return u
}

var cnyCurrency = cny(0).Currency()

func syncNow(t testing.TB, u *client.Uploader) app.HQApplied {
	t.Helper()
	_, applied, err := u.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return applied
}

// The owner changes a price at the head office; the till's next sync brings it, and the till sells at it.
// A product new at the head office arrives with its barcode.
func TestDownSyncPriceChange(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	hqCatalog := append(append([]app.CatalogEntry{}, catalog...), app.CatalogEntry{Product: app.Product{SKU: "TEA-001",
		Name: "Green tea 500ml", NameZH: "绿茶", Price: cny(400), Unit: app.UnitPiece, TaxClass: "standard", Active: true},
		Barcodes: []string{"6920202888883"}})
	if _, err := h.Server.ImportCatalog(ctx, "north", hqCatalog); err != nil {
		t.Fatal(err)
	}
	if err := h.Server.SetPrice(ctx, "north", "DRK-001", "3.50"); err != nil {
		t.Fatal(err)
	}
	if err := h.Server.SetPrice(ctx, "north", "NOPE", "1.00"); err == nil {
		t.Fatal("a price for an unknown SKU was accepted")
	}
	if got := syncNow(t, u); got.Products != 4 {
		t.Fatalf("applied %+v, want 4 products", got)
	}
	for _, code := range []string{"5449000000996", "6920202888883"} {
		if _, err := tl.co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if got := tl.co.Due(); got.Minor() != 750 {
		t.Fatalf("due %s, want 7.50 (3.50 and 4.00)", got)
	}
	if _, err := tl.co.PayCash(tl.co.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := tl.co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sale.Totals.Total.Minor() != 750 {
		t.Fatalf("sold for %s", sale.Totals.Total)
	}
	// Nothing new: the next sync applies nothing and the mark stays.
	seq, _ := tl.store.DownSeq(ctx)
	if got := syncNow(t, u); got.Products != 0 {
		t.Fatalf("second sync applied %+v", got)
	}
	if again, _ := tl.store.DownSeq(ctx); again != seq || seq == 0 {
		t.Fatalf("high-water mark %d then %d", seq, again)
	}
}

// Changes come in pages of the size asked, in sequence order, and every row arrives once.
func TestDownSyncPaging(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 10)
	ctx := context.Background()
	var entries []app.CatalogEntry
	for i := range 25 {
		entries = append(entries, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%03d", i), Name: fmt.Sprintf("Thing %d", i),
			Price: cny(int64(100 + i)), Unit: app.UnitPiece, TaxClass: "standard", Active: true}})
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", entries); err != nil {
		t.Fatal(err)
	}
	var shop int64
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT id FROM shops WHERE code = 'north'`).Scan(&shop); err != nil {
		t.Fatal(err)
	}
	var after int64
	var pages []int
	for {
		page, err := h.Server.Changes(ctx, shop, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		if page.Next <= after {
			break
		}
		for i := 1; i < len(page.Products); i++ {
			if page.Products[i].Seq <= page.Products[i-1].Seq {
				t.Fatal("page out of sequence order")
			}
		}
		pages = append(pages, len(page.Products))
		after = page.Next
	}
	if fmt.Sprint(pages) != "[10 10 5]" {
		t.Fatalf("pages %v, want [10 10 5]", pages)
	}
	if got := syncNow(t, u); got.Products != 25 {
		t.Fatalf("applied %+v, want 25 products", got)
	}
	if n, _ := tl.store.CountProducts(ctx); n != 28 {
		t.Fatalf("till has %d products, want 3 + 25", n)
	}
	if _, err := tl.store.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	if seq, _ := tl.store.DownSeq(ctx); seq != after {
		t.Fatalf("till's high-water mark %d, the head office's last %d", seq, after)
	}
}

// A till sees only its own shop's rows: another shop's till gets none of them, and asking for them by the
// other shop's path is refused.
func TestDownSyncOwnShopOnly(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	north := newTill(t, "T01")
	syncedTill(t, h, north, "north", "T01", 0)
	south := newTill(t, "S01")
	us := syncedTill(t, h, south, "south", "S01", 0)
	if _, err := h.Server.ImportCatalog(ctx, "north", []app.CatalogEntry{{Product: app.Product{SKU: "NORTH-ONLY", Name: "North",
		Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.Server.SetMember(ctx, "north", "M000777", "Li Lei", "", ""); err != nil {
		t.Fatal(err)
	}
	if got := syncNow(t, us); got.Products != 0 || got.Members != 0 {
		t.Fatalf("south's till got %+v of north's rows", got)
	}
	if _, err := us.Client.Changes(ctx, 0, 0, 0); err != nil { // its own shop: fine
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, h.URL+api.ChangesPath("north")+"?after=0", nil)
	req.Header.Set("Authorization", "Bearer "+tokenOf(t, h, "south", "S02"))
	resp, err := h.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("south's token reading north's changes: %d, want 403", resp.StatusCode)
	}
}

func tokenOf(t testing.TB, h *hqtest.HQ, shop, till string) string {
	t.Helper()
	return h.Enrol(shop, till).Token
}

// Two tills sell the same prepaid card while both are offline: each keeps to the card's last-known
// balance and the offline limit (60.00), so neither can take more; back online, the head office stores
// both spends (a sale is never refused), the card's balance is what its ledger says (100 − 120 = −20),
// the overdraw is reported as a conflict, and the next down-sync stops the card at both tills.
func TestTwoTillsPrepaidOffline(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := newTill(t, "T01"), newTill(t, "T02")
	u1 := syncedTill(t, h, t1, "north", "T01", 0)
	u2 := syncedTill(t, h, t2, "north", "T02", 0)
	m, err := t1.store.SaveMember(ctx, app.Member{Name: "Wang Fang"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := t1.store.Settings(ctx)
	tu, err := app.NewTopUp(set, m, cny(10000), app.Tender{Kind: app.TenderCash}, "owner", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := t1.store.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	syncNow(t, u1) // the top-up reaches the head office
	if got := syncNow(t, u2); got.Members != 1 {
		t.Fatalf("T02 applied %+v, want the member", got)
	}
	for i, tl := range []*till{t1, t2} {
		if _, err := tl.store.SetSetting(ctx, "prepaid_offline_limit", "60", time.Now()); err != nil {
			t.Fatal(err)
		}
		tl.open(t) // the checkout reads the limit
		u := []*client.Uploader{u1, u2}[i]
		u.Outbox, u.Down.Link = tl.store, tl.store
		// Both lose the head office: their next sync fails, and the checkout asks the link's status.
		nowhere, err := client.New(client.Config{URL: "https://127.0.0.1:1", Shop: "north", Token: "x", Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		off := &client.Uploader{Outbox: tl.store, Client: nowhere, Down: &client.Downloader{Link: tl.store, Client: nowhere, Currency: cnyCurrency}}
		if _, _, err := off.Sync(ctx); err == nil {
			t.Fatal("a sync to nowhere succeeded")
		}
		tl.co.SetOffline(func() bool { return off.Status().Offline(time.Now()) })
		got, err := tl.store.MemberByNumber(ctx, m.Number)
		if err != nil || got.Balance.Minor() != 10000 || !got.HQKnown || got.HQBalance.Minor() != 10000 {
			t.Fatalf("%s: member %+v, %v", tl.path, got, err)
		}
	}

	// payPrepaid rings up 78.00 and tries to pay amount of it from the card.
	payPrepaid := func(tl *till, amount int64) error {
		t.Helper()
		if err := tl.co.Void(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.Scan(ctx, "12*6924743915763"); err != nil {
			t.Fatal(err)
		}
		mem, err := tl.store.MemberByNumber(ctx, m.Number)
		if err != nil {
			t.Fatal(err)
		}
		if err := tl.co.SetMember(mem); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.PayPrepaid(cny(amount)); err != nil {
			return err
		}
		if _, err := tl.co.PayCash(tl.co.CashDue()); err != nil {
			t.Fatal(err)
		}
		_, err = tl.co.Complete(ctx)
		return err
	}
	if err := payPrepaid(t1, 7000); !errors.Is(err, app.ErrOfflineLimit) {
		t.Fatalf("T01 offline, 70.00 of a 60.00 limit: %v", err)
	}
	if err := payPrepaid(t1, 4000); err != nil {
		t.Fatal(err)
	}
	if err := payPrepaid(t1, 2001); !errors.Is(err, app.ErrOfflineLimit) {
		t.Fatalf("T01 offline, 40.00 + 20.01 of a 60.00 limit: %v", err)
	}
	if err := payPrepaid(t1, 2000); err != nil {
		t.Fatal(err)
	}
	if err := payPrepaid(t2, 6000); err != nil {
		t.Fatal(err)
	}
	if err := payPrepaid(t2, 1); !errors.Is(err, app.ErrOfflineLimit) {
		t.Fatalf("T02 offline past its limit: %v", err)
	}
	if err := t2.co.Void(ctx); err != nil {
		t.Fatal(err)
	}

	// Back online: both upload, then both bring the card's true balance down.
	syncNow(t, u1)
	syncNow(t, u2)
	got1 := syncNow(t, u1)
	if len(got1.Overdrawn) != 1 || got1.Overdrawn[0] != m.Number {
		t.Fatalf("T01's down-sync: %+v, want the card overdrawn", got1)
	}
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ledger, balance int64
	if err := conn.QueryRow(ctx, `SELECT (sum(prepaid) * 100)::bigint FROM member_movements WHERE member = $1`, m.Number).Scan(&ledger); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT (prepaid * 100)::bigint FROM members WHERE number = $1`, m.Number).Scan(&balance); err != nil {
		t.Fatal(err)
	}
	if ledger != -2000 || balance != ledger {
		t.Fatalf("head office: ledger %d, balance %d, want -2000 both (100 − 60 − 60)", ledger, balance)
	}
	conflicts, err := h.Server.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflicts) != 1 || conflicts[0].Member != m.Number || conflicts[0].Over != "20" || conflicts[0].Balance != "-20" ||
		conflicts[0].Till != "T02" {
		t.Fatalf("conflicts %+v, want T02's spend 20 over", conflicts)
	}
	// The overdraw stays within the offline limit: at most one till's limit past zero.
	if -balance > 6000 {
		t.Fatalf("overdrawn by %d, beyond the offline limit", -balance)
	}
	for _, tl := range []*till{t1, t2} {
		mem, err := tl.store.MemberByNumber(ctx, m.Number)
		if err != nil {
			t.Fatal(err)
		}
		if mem.Balance.Minor() != 0 || mem.HQBalance.Minor() != -2000 {
			t.Fatalf("%s: balance %s, head office %s; want 0 here and -20.00 there", tl.path, mem.Balance, mem.HQBalance)
		}
		tl.co.SetOffline(nil)
		if err := payPrepaid(tl, 1); !errors.Is(err, app.ErrInsufficientBalance) {
			t.Fatalf("the overdrawn card paid again: %v", err)
		}
		if err := tl.co.Void(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tl.store.VerifyMembers(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(m.Number, set.MemberPrefix) {
		t.Fatalf("member number %s", m.Number)
	}
}

// Prices change at the head office while a till pulls changes in small pages: the till never skips a
// change committed behind its high-water mark, so once the writers stop, one more sync leaves every
// price on the till as the head office has it.
func TestDownSyncMissesNothingUnderConcurrentChanges(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 5)
	ctx := context.Background()
	var entries []app.CatalogEntry
	for i := range 20 {
		entries = append(entries, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%03d", i), Name: fmt.Sprintf("Thing %d", i),
			Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}})
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", entries); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := range 25 {
				sku := fmt.Sprintf("GEN-%03d", (w*7+i)%20)
				if err := h.Server.SetPrice(ctx, "north", sku, fmt.Sprintf("%d.%02d", 1+w, i)); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	writers := 4
	for writers > 0 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			writers--
		default:
			if _, err := u.Down.DownloadChanges(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	syncNow(t, u)
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT sku, (price * 100)::bigint FROM products`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for rows.Next() {
		var sku string
		var price int64
		if err := rows.Scan(&sku, &price); err != nil {
			t.Fatal(err)
		}
		want[sku] = price
	}
	if len(want) != 20 {
		t.Fatalf("head office has %d products", len(want))
	}
	for sku, price := range want {
		found, err := tl.store.SearchCatalog(ctx, sku, 1)
		if err != nil || len(found) != 1 || found[0].Price.Minor() != price {
			t.Fatalf("%s: till %+v, head office %d (%v)", sku, found, price, err)
		}
	}
}

// The changes endpoint refuses a request without a till's token and malformed parameters.
func TestChangesRefusals(t *testing.T) {
	h := hqtest.StartHQ(t)
	token := tokenOf(t, h, "north", "T01")
	for _, tc := range []struct {
		query, token string
		status       int
	}{
		{"?after=0", "", http.StatusUnauthorized},
		{"?after=0", "wrong", http.StatusUnauthorized},
		{"?after=abc", token, http.StatusBadRequest},
		{"?after=-1", token, http.StatusBadRequest},
		{"", token, http.StatusBadRequest},
		{"?after=0&limit=1001", token, http.StatusBadRequest},
		{"?after=0&limit=0", token, http.StatusBadRequest},
		{"?after=0&limit=1000", token, http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, h.URL+api.ChangesPath("north")+tc.query, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s (token %q): %d, want %d", tc.query, tc.token, resp.StatusCode, tc.status)
		}
	}
}

// The head office's Chinese category names come down with its products: a new product with one, a
// weighed one, one without; importing again without them clears them on the till. A page whose Chinese
// category is not text the till would store (a control character, a bidi override, over 200
// characters) is refused whole: the till's catalog and its mark stay as they were.
func TestDownSyncCategoryZH(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	withZH := []app.CatalogEntry{
		{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", NameZH: "可口可乐", Category: "drinks", CategoryZH: "饮料",
			Price: cny(300), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}},
		{Product: app.Product{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Category: "produce", CategoryZH: "生鲜果蔬",
			Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000101000006"}},
		{Product: app.Product{SKU: "TEA-001", NameZH: "绿茶", CategoryZH: "茶饮", // Chinese only
			Price: cny(400), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6920202888883"}},
		{Product: app.Product{SKU: "SNK-001", Name: "Lay's chips original 70g", Category: "snacks", // none
			Price: cny(650), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915763"}},
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", withZH); err != nil {
		t.Fatal(err)
	}
	if got := syncNow(t, u); got.Products != 4 {
		t.Fatalf("applied %+v", got)
	}
	want := map[string][2]string{"5449000000996": {"drinks", "饮料"}, "2000101000006": {"produce", "生鲜果蔬"},
		"6920202888883": {"", "茶饮"}, "6924743915763": {"snacks", ""}}
	for code, w := range want {
		p, err := tl.store.ProductByBarcode(ctx, code)
		if err != nil || p.Category != w[0] || p.CategoryZH != w[1] {
			t.Errorf("%s: %q / %q, %v; want %q", code, p.Category, p.CategoryZH, err, w)
		}
	}
	// Imported again without them: the head office's catalog is the till's.
	without := append([]app.CatalogEntry{}, withZH[:2]...)
	for i := range without {
		without[i].Product.CategoryZH = ""
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", without); err != nil {
		t.Fatal(err)
	}
	if got := syncNow(t, u); got.Products != 2 {
		t.Fatalf("applied %+v", got)
	}
	if p, _ := tl.store.ProductByBarcode(ctx, "2000101000006"); p.CategoryZH != "" || p.Category != "produce" {
		t.Errorf("banana after the second import: %q / %q", p.Category, p.CategoryZH)
	}

	seq, _ := tl.store.DownSeq(ctx)
	before, _ := tl.store.ProductByBarcode(ctx, "5449000000996")
	for _, bad := range []string{"饮料\x1b[31m", "饮料\u202e", strings.Repeat("饮", 201)} {
		hostile := withZH[0]
		hostile.Product.CategoryZH = bad
		hostile.Product.Price = cny(999)
		if _, err := h.Server.ImportCatalog(ctx, "north", []app.CatalogEntry{hostile}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := u.Sync(ctx); err == nil || !strings.Contains(err.Error(), "category_zh") {
			t.Errorf("%q: sync = %v, want the page refused for its category_zh", bad, err)
		}
		if p, _ := tl.store.ProductByBarcode(ctx, "5449000000996"); p != before || p.Price != cny(300) {
			t.Errorf("%q: the refused page changed the product: %q %s", bad, p.CategoryZH, p.Price)
		}
		if again, _ := tl.store.DownSeq(ctx); again != seq {
			t.Errorf("%q: the mark moved from %d to %d", bad, seq, again)
		}
	}
}

// Products priced per 斤 and per 100 g come down with their price unit and sell by it. A page with a
// price unit the till does not know (a newer head office's), or one on a product sold by the piece, is
// refused whole with the product named: the till keeps selling at what it had rather than price per the
// wrong weight.
func TestDownSyncPriceUnits(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	weighed := []app.CatalogEntry{
		{Product: app.Product{SKU: "RIC-001", Name: "Rice", NameZH: "大米", Price: cny(699), Unit: app.UnitKg, PriceUnit: app.PerJin,
			TaxClass: "reduced", Active: true}, Barcodes: []string{"2000202000004"}},
		{Product: app.Product{SKU: "DEL-001", Name: "Olives", NameZH: "橄榄", Price: cny(150), Unit: app.UnitKg, PriceUnit: app.Per100g,
			TaxClass: "reduced", Active: true}, Barcodes: []string{"2000303000002"}},
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", weighed); err != nil {
		t.Fatal(err)
	}
	if got := syncNow(t, u); got.Products != 2 {
		t.Fatalf("applied %+v", got)
	}
	for _, e := range weighed {
		p, err := tl.store.ProductByBarcode(ctx, e.Barcodes[0])
		if err != nil || p.PriceUnit != e.Product.PriceUnit || p.Price != e.Product.Price {
			t.Errorf("%s on the till: %+v, %v", e.Product.SKU, p, err)
		}
	}
	if _, err := tl.co.Scan(ctx, "1.5*2000202000004"); err != nil {
		t.Fatal(err)
	}
	if got := tl.co.Due(); got.Minor() != 1048 { // 750 g at 6.99/斤
		t.Errorf("1.5 斤 of rice due %s, want 10.48", got)
	}

	// A till from before price units asks without api.PriceUnitsParam, and would ignore the field: it gets
	// the exact price per kg instead, which charges every weight the same.
	for query, want := range map[string]map[string][2]string{
		"?after=0":                               {"RIC-001": {"13.98", ""}, "DEL-001": {"15", ""}},
		"?after=0&" + api.PriceUnitsParam + "=1": {"RIC-001": {"6.99", "jin"}, "DEL-001": {"1.5", "100g"}},
	} {
		req, _ := http.NewRequest(http.MethodGet, h.URL+api.ChangesPath("north")+query, nil)
		req.Header.Set("Authorization", "Bearer "+tokenOf(t, h, "north", "T09"))
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Products []map[string]any `json:"products"`
		}
		err = json.NewDecoder(resp.Body).Decode(&raw)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range raw.Products {
			w := want[p["sku"].(string)]
			per, has := p["price_unit"]
			if p["price"] != w[0] || (w[1] == "" && has) || (w[1] != "" && per != w[1]) {
				t.Errorf("%s: %s at %v per %v, want %s per %q", query, p["sku"], p["price"], per, w[0], w[1])
			}
		}
	}

	db, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	// A newer head office, with a unit this till has never heard of.
	if _, err := db.Exec(ctx, `ALTER TABLE products DROP CONSTRAINT products_price_unit_check`); err != nil {
		t.Fatal(err)
	}
	seq, _ := tl.store.DownSeq(ctx)
	for _, bad := range []struct{ unit, per string }{{"kg", "liang"}, {"piece", "jin"}, {"dozen", ""}} {
		if _, err := db.Exec(ctx, `UPDATE products SET unit = $1, price_unit = $2, price = 9.99, seq = nextval('change_seq') WHERE sku = 'RIC-001'`,
			bad.unit, bad.per); err != nil {
			t.Fatal(err)
		}
		_, _, err := u.Sync(ctx)
		if err == nil || !strings.Contains(err.Error(), "RIC-001") || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad.per)) {
			t.Errorf("%s per %q: sync = %v, want the page refused naming the product and its unit", bad.unit, bad.per, err)
		}
		if p, _ := tl.store.ProductByBarcode(ctx, "2000202000004"); p.Price != cny(699) || p.PriceUnit != app.PerJin {
			t.Errorf("%s per %q: the refused page changed rice: %s per %q", bad.unit, bad.per, p.Price, p.PriceUnit)
		}
		if again, _ := tl.store.DownSeq(ctx); again != seq {
			t.Errorf("%s per %q: the mark moved from %d to %d", bad.unit, bad.per, seq, again)
		}
	}
}
