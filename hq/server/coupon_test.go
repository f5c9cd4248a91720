package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/promo"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// couponSale is sale number n of till, made at minute, using coupons: a document that passes the head
// office's checks.
func couponSale(till string, n int64, minute int, coupons ...string) api.Document {
	id := fmt.Sprintf("0b9a2c1e-6a0f-4c36-9a57-%04d%08d", tillNumber(till), n)
	d := hqtest.SaleDoc(id, n, "3.00")
	var sale document.Sale
	if err := json.Unmarshal(d.Body, &sale); err != nil {
		panic(err)
	}
	at := time.Date(2026, 1, 2, 10, minute, 0, 0, time.UTC).Format(time.RFC3339Nano)
	sale.Till, sale.ReceiptNo, sale.OpenedAt, sale.CompletedAt, sale.Coupons = till, fmt.Sprintf("%s-%06d", till, n), at, at, coupons
	d.Body = mustJSON(sale)
	return d
}

func tillNumber(till string) int {
	var n int
	fmt.Sscanf(strings.TrimPrefix(till, "T"), "%d", &n)
	return n
}

// couponTill is a till of shop north at the head office.
func couponTill(t *testing.T, h *hqtest.HQ, name string) *client.Client {
	t.Helper()
	c, err := client.New(h.Enrol("north", name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func upload(t *testing.T, c *client.Client, docs ...api.Document) api.UploadReply {
	t.Helper()
	reply, err := c.Upload(context.Background(), api.UploadRequest{Pending: int64(len(docs)), Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	return reply
}

// couponAlarms returns the head office's coupon overuse alarms, oldest sale first.
func couponAlarms(t *testing.T, h *hqtest.HQ) []document.Alarm { return alarmsOf(t, h, "coupon_limit") }

func alarmsOf(t *testing.T, h *hqtest.HQ, rule string) []document.Alarm {
	t.Helper()
	as, err := h.Server.Alarms(context.Background(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var out []document.Alarm
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].Alarm.Rule == rule {
			out = append(out, as[i].Alarm)
		}
	}
	return out
}

// couponPromotion is an active promotion of coupon code (a new one when id is 0).
func couponPromotion(id int64, code string, limit, perTill int64) app.Promotion {
	return app.Promotion{Active: true, CouponLimit: limit, CouponTillLimit: perTill, Rule: promo.Rule{ID: id, Name: "Coupon " + code,
		Kind: promo.BasketSpend, Target: promo.Target{All: true}, Tiers: []promo.Tier{{Threshold: 1_00, Off: 1_00}}, Coupon: code}}
}

// savePromotions saves ps for shop, returning their ids.
func savePromotions(t *testing.T, h *hqtest.HQ, shop string, ps ...app.Promotion) []int64 {
	t.Helper()
	h.Server.AddShop(context.Background(), shop) // already there is fine
	ids, err := h.Server.SavePromotions(context.Background(), shop, ps)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func saveCoupon(t *testing.T, h *hqtest.HQ, code string, limit, perTill int64) {
	t.Helper()
	savePromotions(t, h, "north", couponPromotion(0, code, limit, perTill))
}

// Two tills use a single-use coupon offline: both sales are stored (the money was taken), both uses are
// counted, and the second is an alarm the owner sees with the others. An upload replayed, whole or with
// a new document, counts nothing twice; a code no promotion has is kept, counts against no limit, and
// raises no alarm (a till's own promotions have coupons the head office never issued).
func TestCouponUsedBeyondItsLimitAcrossTillsRaisesOneAlarm(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	saveCoupon(t, h, "ONCE", 1, 1)
	t1, t2 := couponTill(t, h, "T01"), couponTill(t, h, "T02")
	first := couponSale("T01", 1, 5, "ONCE")
	if r := upload(t, t1, first); len(r.Stored) != 1 {
		t.Fatalf("%+v", r)
	}
	if as := couponAlarms(t, h); len(as) != 0 {
		t.Fatalf("alarms after one use: %+v", as)
	}
	second := couponSale("T02", 1, 7, "ONCE", "FORGED-123")
	if r := upload(t, t2, second); len(r.Stored) != 1 || len(r.Rejected) != 0 {
		t.Fatalf("the second till's sale was not stored: %+v", r)
	}
	// Replays: the same batch, and the same document beside a new one.
	for range 2 {
		if r := upload(t, t2, second); len(r.Duplicates) != 1 {
			t.Fatalf("%+v", r)
		}
	}
	if r := upload(t, t1, first, couponSale("T01", 2, 9)); len(r.Duplicates) != 1 || len(r.Stored) != 1 {
		t.Fatalf("%+v", r)
	}
	uses, err := h.Server.CouponUses(ctx, "north")
	if err != nil || uses["ONCE"] != 2 || uses["FORGED-123"] != 1 || len(uses) != 2 {
		t.Fatalf("uses %v, %v", uses, err)
	}
	as := couponAlarms(t, h)
	if len(as) != 1 || as[0].Till != "T02" || !strings.Contains(as[0].Action, "coupon ONCE used 2 times, limit 1") {
		t.Fatalf("alarms %+v", as)
	}
	if as[0].ID != second.ID {
		t.Fatalf("the alarm names %s, not the sale %s", as[0].ID, second.ID)
	}
}

// However the tills' uploads interleave (a till offline for days uploads its older sales last), a coupon
// used n times against a limit of l raises exactly n−l alarms; uploads at the same moment from many
// tills do not both miss the limit.
func TestCouponOverusesDoNotDependOnUploadOrder(t *testing.T) {
	h := hqtest.StartHQ(t)
	saveCoupon(t, h, "FIVE", 5, 2)
	tills := make([]*client.Client, 4)
	for i := range tills {
		tills[i] = couponTill(t, h, fmt.Sprintf("T0%d", i+1))
	}
	// T04 sold first but uploads last; the others upload all at once.
	var wg sync.WaitGroup
	for i, c := range tills[:3] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("T0%d", i+1)
			for n := int64(1); n <= 2; n++ {
				if _, err := c.Upload(context.Background(), api.UploadRequest{Documents: []api.Document{couponSale(name, n, 30+int(n), "FIVE")}}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	upload(t, tills[3], couponSale("T04", 1, 1, "FIVE"), couponSale("T04", 2, 2, "FIVE"))
	uses, err := h.Server.CouponUses(context.Background(), "north")
	if err != nil || uses["FIVE"] != 8 {
		t.Fatalf("uses %v, %v", uses, err)
	}
	as := couponAlarms(t, h)
	if len(as) != 3 {
		t.Fatalf("%d alarms for 8 uses of a coupon of 5: %+v", len(as), as)
	}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.ID] {
			t.Fatalf("sale %s alarmed twice", a.ID)
		}
		seen[a.ID] = true
	}
}

// A sale whose coupons break the document's rules (too many, one twice, a space, a control character, a
// megabyte) is rejected with the reason, kept apart, and uses nothing.
func TestHostileCouponListsAreRejected(t *testing.T) {
	h := hqtest.StartHQ(t)
	saveCoupon(t, h, "ONCE", 1, 0)
	c := couponTill(t, h, "T01")
	many := make([]string, document.MaxCoupons+1)
	for i := range many {
		many[i] = fmt.Sprintf("C%d", i)
	}
	huge := make([]string, 10_000)
	for i := range huge {
		huge[i] = "ONCE"
	}
	bad := [][]string{many, huge, {"ONCE", "ONCE"}, {"ON CE"}, {"ONCE\x00"}, {strings.Repeat("X", 1<<20)}, {""}}
	for i, coupons := range bad {
		r := upload(t, c, couponSale("T01", int64(i+1), i, coupons...))
		if len(r.Rejected) != 1 || !strings.Contains(r.Rejected[0].Reason, "coupon") || len(r.Rejected[0].Reason) > 500 {
			t.Fatalf("coupons %d (%d of them): %+v", i, len(coupons), r)
		}
	}
	if uses, err := h.Server.CouponUses(context.Background(), "north"); err != nil || len(uses) != 0 {
		t.Fatalf("rejected sales used coupons: %v, %v", uses, err)
	}
	if as := couponAlarms(t, h); len(as) != 0 {
		t.Fatalf("alarms %+v", as)
	}
}

// A switched-off promotion's coupon limit is not the coupon's: an old rule with a limit of 1 raises no
// alarm against the active one's limit of 3, which still raises one at its fourth use.
func TestInactivePromotionsCouponLimitIsIgnored(t *testing.T) {
	h := hqtest.StartHQ(t)
	old := couponPromotion(0, "SPRING", 1, 0)
	old.Active = false
	savePromotions(t, h, "north", old, couponPromotion(0, "SPRING", 3, 0))
	c := couponTill(t, h, "T01")
	upload(t, c, couponSale("T01", 1, 1, "SPRING"), couponSale("T01", 2, 2, "SPRING"), couponSale("T01", 3, 3, "SPRING"))
	if as := couponAlarms(t, h); len(as) != 0 {
		t.Fatalf("alarms against the switched-off limit: %+v", as)
	}
	fourth := couponSale("T01", 4, 4, "SPRING")
	upload(t, c, fourth)
	as := couponAlarms(t, h)
	if len(as) != 1 || as[0].ID != fourth.ID || !strings.Contains(as[0].Action, "coupon SPRING used 4 times, limit 3") {
		t.Fatalf("alarms %+v", as)
	}
}

// A code an earlier promotion used, switched off, and given to a new promotion starts the new one's count
// afresh: the earlier promotion's uses (and its alarm) do not count against the new limit, however often
// their uploads are replayed.
func TestCouponReusedByANewPromotionCountsOnlyItsOwnUses(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	first := savePromotions(t, h, "north", couponPromotion(0, "ONCE", 1, 0))[0]
	c := couponTill(t, h, "T01")
	early := []api.Document{couponSale("T01", 1, 1, "ONCE"), couponSale("T01", 2, 2, "ONCE")}
	upload(t, c, early...)
	if as := couponAlarms(t, h); len(as) != 1 {
		t.Fatalf("alarms under the first promotion: %+v", as)
	}
	off := couponPromotion(first, "ONCE", 1, 0)
	off.Active = false
	second := savePromotions(t, h, "north", off, couponPromotion(0, "ONCE", 2, 0))[1]
	upload(t, c, early...) // a replay adds nothing to anyone's count
	upload(t, c, couponSale("T01", 3, 3, "ONCE"), couponSale("T01", 4, 4, "ONCE"))
	upload(t, c, early...)
	if as := couponAlarms(t, h); len(as) != 1 {
		t.Fatalf("the earlier promotion's uses counted against the new one: %+v", as)
	}
	third := couponSale("T01", 5, 5, "ONCE")
	upload(t, c, third)
	upload(t, c, third)
	as := couponAlarms(t, h)
	if len(as) != 2 || as[1].ID != third.ID || !strings.Contains(as[1].Action, "coupon ONCE used 3 times, limit 2") {
		t.Fatalf("alarms %+v", as)
	}
	if uses, err := h.Server.CouponUses(ctx, "north"); err != nil || uses["ONCE"] != 5 {
		t.Fatalf("uses %v, %v", uses, err)
	}
	if uses, err := h.Server.PromotionCouponUses(ctx, "north"); err != nil || uses[first] != 2 || uses[second] != 3 || len(uses) != 2 {
		t.Fatalf("uses by promotion %v, %v", uses, err)
	}
}

// A code no promotion of the shop has (a till's own coupon, or another shop's) is recorded, counted for
// no promotion, and raises no alarm: the head office never saw the till's own promotions.
func TestUnknownCouponIsRecordedWithoutAlarm(t *testing.T) {
	h := hqtest.StartHQ(t)
	savePromotions(t, h, "south", couponPromotion(0, "SOUTH-ONLY", 0, 0))
	savePromotions(t, h, "north", couponPromotion(0, "REAL", 1, 0))
	c := couponTill(t, h, "T01")
	own, theirs := couponSale("T01", 1, 1, "TILL-OWN"), couponSale("T01", 2, 2, "REAL", "SOUTH-ONLY")
	for range 3 {
		upload(t, c, own, theirs)
	}
	uses, err := h.Server.CouponUses(context.Background(), "north")
	if err != nil || uses["TILL-OWN"] != 1 || uses["SOUTH-ONLY"] != 1 || uses["REAL"] != 1 {
		t.Fatalf("uses %v, %v", uses, err)
	}
	if as := couponAlarms(t, h); len(as) != 0 {
		t.Fatalf("alarms %+v", as)
	}
}
