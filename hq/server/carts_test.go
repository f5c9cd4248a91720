package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

const cartID = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1c01"

// parkedCart is a cart parked at till a minute ago, which passes document.CheckCart.
func parkedCart(id, till string) document.Cart {
	return parkedAt(id, till, time.Now().Add(-time.Minute))
}

// parkedAt is parkedCart parked at at.
func parkedAt(id, till string, at time.Time) document.Cart {
	return document.Cart{ID: id, Till: till, ParkedAt: at.UTC().Format(document.CartTime), Currency: "CNY", Total: "9.18", Member: "M000001",
		Lines: []document.CartLine{{SKU: "DRK-001", Name: "Cola", NameZH: "可乐", Qty: "2", Unit: "piece", Price: "3.00"},
			{SKU: "PRO-001", Name: "Banana", Qty: "0.455", Unit: "kg", Price: "6.98", DiscountBP: 500}}}
}

func enrolled(t *testing.T, h *hqtest.HQ, shop, till string) *client.Client {
	t.Helper()
	c, err := client.New(h.Enrol(shop, till))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func apiCode(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// A cart T01 offers is listed to the shop's other tills, never to T01 itself nor to another shop; one
// claim takes it (again by the same till is fine), the next till's is refused naming the taker, and a
// claimed cart is listed no more, even when offered again.
func TestCartOfferListClaim(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2, t3 := enrolled(t, h, "north", "T01"), enrolled(t, h, "north", "T02"), enrolled(t, h, "north", "T03")
	s1 := enrolled(t, h, "south", "S01")
	cart := parkedCart(cartID, "T01")
	for range 2 { // a retry after a lost reply
		if err := t1.OfferCart(ctx, cart); err != nil {
			t.Fatal(err)
		}
	}
	list := func(c *client.Client) []document.Cart {
		t.Helper()
		carts, err := c.ShopCarts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return carts
	}
	if got := list(t1); len(got) != 0 {
		t.Fatalf("T01 lists its own cart: %+v", got)
	}
	if got := list(s1); len(got) != 0 {
		t.Fatalf("another shop's till lists north's cart: %+v", got)
	}
	got := list(t2)
	if len(got) != 1 || got[0].ID != cartID || got[0].Member != "M000001" || len(got[0].Lines) != 2 || got[0].Lines[1].Qty != "0.455" {
		t.Fatalf("T02 lists %+v", got)
	}
	if err := s1.ClaimCart(ctx, cartID); apiCode(err) != "not_found" {
		t.Fatalf("south claims north's cart: %v", err)
	}
	if err := t2.ClaimCart(ctx, cartID); err != nil {
		t.Fatal(err)
	}
	if err := t2.ClaimCart(ctx, cartID); err != nil {
		t.Fatalf("T02 claims its cart again: %v", err)
	}
	var e *api.Error
	if err := t1.ClaimCart(ctx, cartID); !errors.As(err, &e) || e.Status != http.StatusConflict || e.Code != "taken" || e.ClaimedBy != "T02" {
		t.Fatalf("T01 claims the cart T02 took: %v", err)
	}
	if err := t1.OfferCart(ctx, cart); !errors.As(err, &e) || e.Code != "taken" || e.ClaimedBy != "T02" {
		t.Fatalf("T01 offers again the cart T02 took: %v", err)
	}
	if got := list(t3); len(got) != 0 {
		t.Fatalf("T03 lists a claimed cart: %+v", got)
	}
	// A till that resumed its own cart and parks it again offers it anew.
	const own = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1c03"
	if err := t1.OfferCart(ctx, parkedCart(own, "T01")); err != nil {
		t.Fatal(err)
	}
	if err := t1.ClaimCart(ctx, own); err != nil {
		t.Fatal(err)
	}
	if got := list(t3); len(got) != 0 {
		t.Fatalf("T03 lists a cart T01 resumed: %+v", got)
	}
	again := parkedCart(own, "T01")
	again.Total = "3.00"
	if err := t1.OfferCart(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got := list(t3); len(got) != 1 || got[0].Total != "3.00" {
		t.Fatalf("T03 lists %+v, want T01's cart parked again", got)
	}
	// Another till cannot offer T01's cart, nor one under T01's cart's id.
	if err := t2.OfferCart(ctx, cart); apiCode(err) != "forbidden" {
		t.Fatalf("T02 offers T01's cart: %v", err)
	}
	if err := t2.OfferCart(ctx, parkedCart(cartID, "T02")); apiCode(err) != "conflict" {
		t.Fatalf("T02 offers a cart under T01's cart's id: %v", err)
	}

	// Tills racing for one cart: exactly one gets it.
	const raced = "0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1c02"
	if err := t1.OfferCart(ctx, parkedCart(raced, "T01")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { errs[i] = []*client.Client{t2, t3}[i%2].ClaimCart(ctx, raced) })
	}
	wg.Wait()
	var won, lost int
	for _, err := range errs {
		switch apiCode(err) {
		case "":
			if err != nil {
				t.Fatal(err)
			}
			won++
		case "taken":
			lost++
		default:
			t.Fatal(err)
		}
	}
	// The winner's retries succeed too; the other till's are all refused.
	if won != 3 || lost != 3 {
		t.Fatalf("%d claims won, %d lost; want the 3 of one till", won, lost)
	}
}

// What a till cannot offer: a body over the limit, a cart that fails CheckCart (a NUL, a bad number, a
// huge quantity, an unknown field), nothing at all; a claim of what is not a cart id; a call without a
// till's token or for another shop. None of it is stored.
func TestCartHostileRequests(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	cfg := h.Enrol("north", "T01")
	t2 := enrolled(t, h, "north", "T02")
	send := func(method, path, token string, body []byte) int {
		t.Helper()
		req, _ := http.NewRequest(method, h.URL+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	edited := func(f func(c *document.Cart)) []byte {
		c := parkedCart(cartID, "T01")
		f(&c)
		return mustJSON(c)
	}
	huge := parkedCart(cartID, "T01")
	for len(mustJSON(huge)) <= api.MaxCartBody {
		huge.Lines = append(huge.Lines, huge.Lines...)
	}
	good := mustJSON(parkedCart(cartID, "T01"))
	path := api.CartsPath("north")
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"huge", mustJSON(huge), http.StatusRequestEntityTooLarge},
		{"too many lines", edited(func(c *document.Cart) {
			for len(c.Lines) <= document.MaxCartLines {
				c.Lines = append(c.Lines, c.Lines[0])
			}
		}), http.StatusBadRequest},
		{"NUL in a name", edited(func(c *document.Cart) { c.Lines[0].Name = "Co\x00la" }), http.StatusBadRequest},
		{"NUL in the member", edited(func(c *document.Cart) { c.Member = "M\x00" }), http.StatusBadRequest},
		{"bad price", edited(func(c *document.Cart) { c.Lines[0].Price = "1e3" }), http.StatusBadRequest},
		{"negative price", edited(func(c *document.Cart) { c.Lines[0].Price = "-3.00" }), http.StatusBadRequest},
		{"huge quantity", edited(func(c *document.Cart) { c.Lines[0].Qty = "99999999" }), http.StatusBadRequest},
		{"bad total", edited(func(c *document.Cart) { c.Total = "NaN" }), http.StatusBadRequest},
		{"bad id", edited(func(c *document.Cart) { c.ID = "../../x" }), http.StatusBadRequest},
		{"no lines", edited(func(c *document.Cart) { c.Lines = nil }), http.StatusBadRequest},
		{"unknown field", bytes.Replace(good, []byte(`"total"`), []byte(`"paid":"1.00","total"`), 1), http.StatusBadRequest},
		{"not JSON", []byte("\x00\x01"), http.StatusBadRequest},
		{"empty", nil, http.StatusBadRequest},
	} {
		if got := send(http.MethodPost, path, cfg.Token, tc.body); got != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.status)
		}
	}
	if got := send(http.MethodPost, path, "", good); got != http.StatusUnauthorized {
		t.Errorf("no token: %d", got)
	}
	if got := send(http.MethodGet, path, "", nil); got != http.StatusUnauthorized {
		t.Errorf("list without a token: %d", got)
	}
	if got := send(http.MethodPost, api.CartsPath("south"), cfg.Token, good); got != http.StatusForbidden {
		t.Errorf("another shop's path: %d", got)
	}
	for _, id := range []string{"x", strings.Repeat("a", 5000), "0B9A2C1E-6A0F-4C36-9A57-1F0C7E8D1C01"} {
		if got := send(http.MethodPost, api.ClaimPath("north", id), h.Enrol("north", "T09").Token, nil); got != http.StatusBadRequest {
			t.Errorf("claim %.20q: %d", id, got)
		}
	}
	if carts, err := t2.ShopCarts(ctx); err != nil || len(carts) != 0 {
		t.Fatalf("after the refusals T02 lists %+v, %v", carts, err)
	}
}

// The list holds the carts parked in the last api.CartsListed, newest first, the newest api.MaxCarts when
// there are more: a cart from yesterday is not among them, however often its till offers it again.
func TestCartsListedNewestFirst(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := enrolled(t, h, "north", "T01"), enrolled(t, h, "north", "T02")
	id := func(i int) string { return fmt.Sprintf("0b9a2c1e-6a0f-4c36-9a57-%012x", i) }
	now := time.Now()
	stale := parkedAt(id(999), "T01", now.Add(-api.CartsListed-time.Minute))
	for range 2 { // offered again after the next sync: still not listed
		if err := t1.OfferCart(ctx, stale); err != nil {
			t.Fatal(err)
		}
	}
	const n = api.MaxCarts + 5
	for i := range n { // cart i parked i minutes ago, offered oldest first
		if err := t1.OfferCart(ctx, parkedAt(id(n-1-i), "T01", now.Add(-time.Duration(n-1-i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	carts, err := t2.ShopCarts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(carts) != api.MaxCarts {
		t.Fatalf("T02 lists %d carts, want %d", len(carts), api.MaxCarts)
	}
	for i, c := range carts {
		if c.ID != id(i) {
			t.Fatalf("cart %d of the list is %s, want %s (parked %d minutes ago)", i, c.ID, id(i), i)
		}
	}
}

// A cart untouched for api.CartsKept is deleted when a till of its shop next offers one, claimed or not;
// a cart claimed more lately is kept, so a late offer of it is still told "taken". Another shop's old
// carts wait for that shop's offers.
func TestOldCartsDeleted(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := enrolled(t, h, "north", "T01"), enrolled(t, h, "north", "T02")
	s1 := enrolled(t, h, "south", "S01")
	const (
		unclaimed = "0b9a2c1e-6a0f-4c36-9a57-000000000001"
		claimed   = "0b9a2c1e-6a0f-4c36-9a57-000000000002"
		recent    = "0b9a2c1e-6a0f-4c36-9a57-000000000003" // claimed days ago, within CartsKept
		south     = "0b9a2c1e-6a0f-4c36-9a57-000000000004"
	)
	for _, id := range []string{unclaimed, claimed, recent} {
		if err := t1.OfferCart(ctx, parkedCart(id, "T01")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s1.OfferCart(ctx, parkedCart(south, "S01")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{claimed, recent} {
		if err := t2.ClaimCart(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Back in time: all offered a week and a day ago; claimed then, or two days ago.
	if _, err := conn.Exec(ctx, `UPDATE parked_carts SET offered_at = now() - $1::interval - interval '1 day',
		parked_at = now() - $1::interval - interval '1 day',
		claimed_at = CASE WHEN id = $2 THEN now() - interval '2 days' WHEN claimed_at IS NOT NULL THEN now() - $1::interval END`,
		api.CartsKept, recent); err != nil {
		t.Fatal(err)
	}
	if err := t2.OfferCart(ctx, parkedCart("0b9a2c1e-6a0f-4c36-9a57-000000000005", "T02")); err != nil {
		t.Fatal(err)
	}
	var left []string
	rows, err := conn.Query(ctx, `SELECT id::text FROM parked_carts ORDER BY id`)
	if err == nil {
		left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{recent, south, "0b9a2c1e-6a0f-4c36-9a57-000000000005"}; !slices.Equal(left, want) {
		t.Fatalf("carts kept %v, want %v", left, want)
	}
	var e *api.Error
	if err := t1.OfferCart(ctx, parkedCart(recent, "T01")); !errors.As(err, &e) || e.Code != "taken" || e.ClaimedBy != "T02" {
		t.Fatalf("T01 offers again the cart T02 claimed two days ago: %v", err)
	}
	if err := t1.ClaimCart(ctx, claimed); apiCode(err) != "not_found" {
		t.Fatalf("T01 claims a deleted cart: %v", err)
	}
}
