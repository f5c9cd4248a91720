package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/promo"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// hqCoupon is a head office promotion: 满10减1 on every item with the coupon code, limited to limit uses
// in all and perTill at each till.
func hqCoupon(code string, limit, perTill int64) app.Promotion {
	return app.Promotion{Active: true, CouponLimit: limit, CouponTillLimit: perTill, Rule: promo.Rule{Name: "Coupon " + code,
		NameZH: "优惠券", Kind: promo.BasketSpend, Target: promo.Target{All: true}, Tiers: []promo.Tier{{Threshold: 1_00, Off: 1_00}},
		Coupon: code}}
}

func pgConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// The owner's promotions, checked at the head office before any is stored, reach the shop's tills at their
// next sync and apply from the next sale; a change moves the same rule. A till that does not ask for
// promotions (one from before them) gets none and syncs on.
func TestHQPromotionsReachTheTills(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	syncNow(t, u)

	nul := hqCoupon("NUL", 0, 0)
	nul.Rule.Name = "Half\x00price"
	percent := hqCoupon("PCT", 0, 0)
	percent.Rule.Kind, percent.Rule.PercentBP, percent.Rule.Tiers = promo.PercentOff, 10001*100, nil
	huge := hqCoupon("HUGE", 0, 0)
	huge.Rule.Name = strings.Repeat("x", 1<<20)
	byID := hqCoupon("ID", 0, 0)
	byID.Rule.Kind, byID.Rule.PercentBP, byID.Rule.Tiers, byID.Rule.Target = promo.PercentOff, 1000, nil, promo.Target{Products: []int64{1}}
	for _, bad := range []app.Promotion{nul, percent, huge, byID} {
		if _, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("GOOD", 0, 0), bad}); !errors.Is(err, app.ErrInvalidPromotion) {
			t.Fatalf("%s saved: %.300v", bad.Rule.Coupon, err)
		}
	}
	if _, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{{Active: true, Rule: promo.Rule{ID: 999, Name: "x",
		Kind: promo.BasketSpend, Target: promo.Target{All: true}, Tiers: []promo.Tier{{Threshold: 1, Off: 1}}}}}); err == nil {
		t.Fatal("a change to a promotion the shop does not have was saved")
	}
	if ps, err := h.Server.Promotions(ctx, "north"); err != nil || len(ps) != 0 {
		t.Fatalf("refused files stored %d promotions, %v", len(ps), err)
	}

	ids, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("HQ10", 5, 2)})
	if err != nil || len(ids) != 1 {
		t.Fatal(ids, err)
	}
	if applied := syncNow(t, u); applied.Promotions != 1 {
		t.Fatalf("applied %+v", applied)
	}
	d, err := tl.store.ActiveDeals(ctx)
	if err != nil || !d.IsCoupon("HQ10") {
		t.Fatalf("the till's deals lack the head office's coupon: %v", err)
	}
	tl.co.SetDealsSource(tl.store)
	if _, err := tl.co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if err := tl.co.AddCoupon("HQ10"); err != nil {
		t.Fatal(err)
	}
	if due := tl.co.CashDue(); due.Minor() != 200 {
		t.Fatalf("due %s, want 2.00 after the head office's coupon", due)
	}
	if err := tl.co.Void(ctx); err != nil {
		t.Fatal(err)
	}

	// Turned off at the head office: the next sync takes it off the till.
	off := hqCoupon("HQ10", 5, 2)
	off.Rule.ID, off.Active = ids[0], false
	if _, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{off}); err != nil {
		t.Fatal(err)
	}
	syncNow(t, u)
	ps, _ := tl.store.PromotionList(ctx)
	if len(ps) != 1 || ps[0].Active || ps[0].HQID != ids[0] {
		t.Fatalf("till promotions %+v", ps)
	}
	if d, _ := tl.store.ActiveDeals(ctx); d.IsCoupon("HQ10") {
		t.Fatal("a promotion turned off still applies")
	}

	// A till from before promotions asks without promotions_after, and gets a page without them.
	req, _ := http.NewRequest(http.MethodGet, h.URL+api.ChangesPath("north")+"?after=0", nil)
	req.Header.Set("Authorization", "Bearer "+h.Enrol("north", "T02").Token)
	resp, err := h.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var page map[string]json.RawMessage
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &page) != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if _, ok := page["promotions"]; ok || page["next"] == nil {
		t.Fatalf("an old till's page: %s", body)
	}
}

// A rule that reaches the till although the head office's checks would refuse it (written into its
// database by hand, or from a newer head office) is held back by the till with an error naming it in the
// sync status: no promotion is written and their mark stays, while the prices come down as ever. The
// promotions follow once the rule is put right.
func TestHostileHQPromotionIsHeldBackByTheTill(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	syncNow(t, u)
	ids, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("HQ10", 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Server.ImportCatalog(ctx, "north", catalog[:1]); err != nil {
		t.Fatal(err)
	}
	if err := h.Server.SetPrice(ctx, "north", "DRK-001", "9.99"); err != nil {
		t.Fatal(err)
	}
	conn := pgConn(t, h.DBURL)
	before, _ := tl.store.DownSeq(ctx)
	for _, hostile := range []string{
		`jsonb_set(jsonb_set(jsonb_set(rule, '{Kind}', '"percent_off"'), '{PercentBP}', '1000100'), '{Tiers}', 'null')`,
		`jsonb_set(rule, '{Name}', to_jsonb(repeat('x', 1048576)))`,
		`jsonb_set(rule, '{Target}', '{"Products": [1]}')`,
		`rule || '{"Unknown": 1}'`,
	} {
		if _, err := conn.Exec(ctx, `UPDATE promotions SET rule = `+hostile+`, seq = nextval('change_seq') WHERE id = $1`, ids[0]); err != nil {
			t.Fatal(err)
		}
		_, applied, err := u.Sync(ctx)
		if err != nil || applied.PromotionsHeld == nil {
			t.Fatalf("%s: %+v, %v", hostile, applied, err)
		}
		if st := u.Status(); !st.Online || !strings.Contains(st.LastError, "promotions held back") ||
			!strings.Contains(st.LastError, "promotion") || len(st.LastError) > 2000 {
			t.Fatalf("%s: status %+v", hostile, st)
		}
		if ps, _ := tl.store.PromotionList(ctx); len(ps) != 0 {
			t.Fatalf("%s: stored %d promotions", hostile, len(ps))
		}
		if p, _ := tl.store.ProductBySKU(ctx, "DRK-001"); p.Price.Minor() != 999 {
			t.Fatalf("%s: the page's price was held back with the promotions: %s", hostile, p.Price)
		}
		if seq, _ := tl.store.DownSeq(ctx); seq <= before {
			t.Fatalf("%s: mark %d, was %d", hostile, seq, before)
		}
		if seq, _ := tl.store.PromotionsSeq(ctx); seq != 0 {
			t.Fatalf("%s: promotions mark %d", hostile, seq)
		}
	}
	// The head office refuses to save beside the broken rule too (they are checked as a set), quoting no
	// more of its name than an error should.
	_, err = h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("HQ10", 0, 0)})
	if err == nil || len(err.Error()) > 2000 {
		t.Fatalf("saved beside a broken rule, or an unreadable error: %.300v", err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM promotions WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("HQ10", 0, 0)}); err != nil {
		t.Fatal(err)
	}
	syncNow(t, u)
	if d, _ := tl.store.ActiveDeals(ctx); !d.IsCoupon("HQ10") {
		t.Fatal("the good rule did not arrive")
	}
	if st := u.Status(); st.LastError != "" {
		t.Fatalf("status after the fix: %+v", st)
	}
}

// Two tills each take a single-use coupon of the head office's offline (each within its own allowance):
// both sales upload and are believed, the coupon's uses are counted once each whatever the retries, and
// the owner sees one alarm; each till then refuses the coupon itself.
func TestSingleUseCouponAtTwoTillsOffline(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := keyedTill(t, "T01"), keyedTill(t, "T02")
	u1, u2 := syncedTill(t, h, t1, "north", "T01", 0), syncedTill(t, h, t2, "north", "T02", 0)
	if _, err := h.Server.SavePromotions(ctx, "north", []app.Promotion{hqCoupon("ONCE", 1, 1)}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*client.Uploader{u1, u2} {
		syncNow(t, u)
	}
	for _, tl := range []*till{t1, t2} { // the head office is away now: each sells on its own count
		tl.co.SetDealsSource(tl.store)
		tl.co.SetCouponCounter(tl.store)
		if _, err := tl.co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if err := tl.co.AddCoupon("ONCE"); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.PayCash(tl.co.CashDue()); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.Complete(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if err := tl.co.AddCoupon("ONCE"); !errors.Is(err, app.ErrCouponSpent) {
			t.Fatalf("%s took the coupon a second time: %v", tl.co.Settings().Till, err)
		}
		if err := tl.co.Void(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		for _, u := range []*client.Uploader{u2, u1} {
			syncNow(t, u)
		}
	}
	if rs, _ := h.Server.Rejections(ctx); len(rs) != 0 {
		t.Fatalf("rejected: %+v", rs)
	}
	uses, err := h.Server.CouponUses(ctx, "north")
	if err != nil || uses["ONCE"] != 2 {
		t.Fatalf("uses %v, %v", uses, err)
	}
	as, err := h.Server.Alarms(ctx, time.Now().AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	var coupon []string
	for _, a := range as {
		if a.Alarm.Rule == "coupon_limit" {
			coupon = append(coupon, a.Till)
		}
	}
	if len(coupon) != 1 {
		t.Fatalf("coupon alarms from %v", coupon)
	}
}

// More promotions than a page holds come down over several pages, every one applied once.
func TestManyHQPromotionsComeDownInPages(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	u := syncedTill(t, h, tl, "north", "T01", 0)
	ctx := context.Background()
	syncNow(t, u)
	ps := make([]app.Promotion, api.MaxPromotions+50)
	for i := range ps {
		ps[i] = hqCoupon(fmt.Sprintf("C%03d", i), 0, 0)
	}
	if _, err := h.Server.SavePromotions(ctx, "north", ps); err != nil {
		t.Fatal(err)
	}
	if applied := syncNow(t, u); applied.Promotions != len(ps) {
		t.Fatalf("applied %+v", applied)
	}
	got, err := tl.store.PromotionList(ctx)
	if err != nil || len(got) != len(ps) {
		t.Fatalf("%d promotions, %v", len(got), err)
	}
	d, err := tl.store.ActiveDeals(ctx)
	if err != nil || !d.IsCoupon("C000") || !d.IsCoupon(fmt.Sprintf("C%03d", len(ps)-1)) {
		t.Fatalf("deals: %v", err)
	}
	if applied := syncNow(t, u); applied.Promotions != 0 {
		t.Fatalf("applied again: %+v", applied)
	}
}
