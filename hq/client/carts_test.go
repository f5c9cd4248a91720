package client_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// A shopper parks a cart at T01 with their member card on it and moves to the other counter: T02 lists
// the cart (T01 does not see its own among the shop's), resumes it with the member, and sells it; the
// head office has the sale from T02. T01 can no longer resume it, and its copy is gone. With the head
// office down, T02 sees only its own parked carts and resumes them.
func TestTwoTillsParkedCartMovesCounter(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := newTill(t, "T01"), newTill(t, "T02")
	u1 := syncedTill(t, h, t1, "north", "T01", 0)
	u2 := syncedTill(t, h, t2, "north", "T02", 0)
	if err := h.Server.SetMember(ctx, "north", "M000777", "Li Lei", "", ""); err != nil {
		t.Fatal(err)
	}
	syncNow(t, u1)
	syncNow(t, u2)
	carts1 := &client.Carts{Client: u1.Client, Currency: cnyCurrency}
	t1.co.SetShopCarts(carts1, t1.store, t1.store)
	t2.co.SetShopCarts(&client.Carts{Client: u2.Client, Currency: cnyCurrency}, t2.store, t2.store)

	for _, code := range []string{"2*5449000000996", "0.455*2000101000006"} {
		if _, err := t1.co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := t1.co.SetDiscount(1, app.Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	m, err := t1.store.MemberByNumber(ctx, "M000777")
	if err != nil {
		t.Fatal(err)
	}
	if err := t1.co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	want := t1.co.Totals().Total
	parked, err := t1.co.Park(ctx, t1.store)
	if err != nil {
		t.Fatal(err)
	}
	if own, _, err := t1.co.ShopParked(ctx); err != nil || len(own) != 0 {
		t.Fatalf("T01 lists the shop's carts: %+v, %v", own, err)
	}

	offered, _, err := t2.co.ShopParked(ctx)
	if err != nil || len(offered) != 1 || offered[0].ID != parked.ID || offered[0].Till != "T01" || offered[0].Member != "M000777" {
		t.Fatalf("T02 sees %+v, %v", offered, err)
	}
	lost, err := t2.co.ResumeFromShop(ctx, offered[0], t2.store)
	if err != nil || lost {
		t.Fatalf("T02 resumes T01's cart: member lost %v, %v", lost, err)
	}
	if got, ok := t2.co.Member(); !ok || got.Number != "M000777" {
		t.Fatalf("member on T02's sale: %+v %v", got, ok)
	}
	if got := t2.co.Totals().Total; got != want || len(t2.co.Lines()) != 2 {
		t.Fatalf("T02's cart comes to %s in %d lines, T01's to %s", got, len(t2.co.Lines()), want)
	}
	if _, err := t2.co.PayCash(t2.co.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := t2.co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sale.ID == parked.ID || sale.Totals.Total != want {
		t.Fatalf("T02's sale %s of %s (the cart was %s of %s)", sale.ID, sale.Totals.Total, parked.ID, want)
	}
	syncNow(t, u2)
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var from, member string
	if err := conn.QueryRow(ctx, `SELECT t.name, d.body->'member'->>'number' FROM documents d JOIN tills t ON t.id = d.till_id
		WHERE d.id = $1 AND d.status = 'accepted'`, sale.ID).Scan(&from, &member); err != nil || from != "T02" || member != "M000777" {
		t.Fatalf("the head office has the sale from %q for member %q (%v)", from, member, err)
	}

	// T01 no longer can: the cart is T02's. T01's next sync, offering its parked carts again, drops its
	// copy; and resuming it is refused, naming T02.
	if err := app.OfferParked(ctx, carts1, t1.store, t1.store, "T01"); err != nil {
		t.Fatal(err)
	}
	if left, _ := t1.store.ParkedAt(ctx, "T01"); len(left) != 0 {
		t.Fatalf("T01 still lists the cart T02 sold: %+v", left)
	}
	var taken *app.CartTakenError
	if _, err := t1.co.Resume(ctx, t1.store, parked.ID, t1.store); !errors.As(err, &taken) || taken.Till != "T02" {
		t.Fatalf("T01 resumes the cart T02 sold: %v", err)
	}
	if left, _ := t1.store.ParkedAt(ctx, "T01"); len(left) != 0 || len(t1.co.Lines()) != 0 {
		t.Fatalf("T01 keeps %d parked carts, %d lines", len(left), len(t1.co.Lines()))
	}

	// Each till parks one more; then the head office goes away.
	for _, tl := range []*till{t1, t2} {
		if _, err := tl.co.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
		if _, err := tl.co.Park(ctx, tl.store); err != nil {
			t.Fatal(err)
		}
	}
	if offered, _, err := t2.co.ShopParked(ctx); err != nil || len(offered) != 1 {
		t.Fatalf("T02 online sees %d of the shop's carts, %v", len(offered), err)
	}
	h.Kill()
	if offered, _, err := t2.co.ShopParked(ctx); err == nil || len(offered) != 0 {
		t.Fatalf("T02 offline lists %+v, %v", offered, err)
	}
	own, err := t2.store.ParkedAt(ctx, "T02")
	if err != nil || len(own) != 1 {
		t.Fatalf("T02's own parked carts: %+v, %v", own, err)
	}
	if _, err := t2.co.Resume(ctx, t2.store, own[0].ID, t2.store); err != nil || len(t2.co.Lines()) != 1 {
		t.Fatalf("T02 offline resumes its own cart: %v", err)
	}
}

// T01 parks a cart (offered to the shop), loses the head office, and resumes and sells the cart anyway.
// Its next sync withdraws the cart at the head office, after which T02 can no longer take it. Between the
// resume and that sync the head office still offers the cart, and T02 could take it and sell the same
// goods again: T01 has no way to tell anyone sooner. Then T01's sync can only say so, which it does.
func TestResumedOfflineCartWithdrawnAtSync(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	t1, t2 := newTill(t, "T01"), newTill(t, "T02")
	u1 := syncedTill(t, h, t1, "north", "T01", 0)
	u2 := syncedTill(t, h, t2, "north", "T02", 0)
	// T01's link cut: the head office's address as T01 knows it, refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	cut, err := client.New(client.Config{URL: "https://" + ln.Addr().String(), Shop: "north", Token: "unused", CAPEM: h.CAPEM})
	if err != nil {
		t.Fatal(err)
	}
	defer cut.Close()
	carts1 := &client.Carts{Client: u1.Client, Currency: cnyCurrency}
	t1.co.SetShopCarts(carts1, t1.store, t1.store)
	t2.co.SetShopCarts(&client.Carts{Client: u2.Client, Currency: cnyCurrency}, t2.store, t2.store)
	// sync is T01's sync, with what runs after it (till/headoffice.go), once the link is back.
	sync := func() error {
		t.Helper()
		carts1.Client = u1.Client
		syncNow(t, u1)
		return app.OfferParked(ctx, carts1, t1.store, t1.store, "T01")
	}
	parkOffline := func() app.ParkedCart {
		t.Helper()
		if _, err := t1.co.Scan(ctx, "2*5449000000996"); err != nil {
			t.Fatal(err)
		}
		parked, err := t1.co.Park(ctx, t1.store)
		if err != nil {
			t.Fatal(err)
		}
		carts1.Client = cut
		if _, err := t1.co.Resume(ctx, t1.store, parked.ID, t1.store); err != nil {
			t.Fatalf("T01 offline resumes its own cart: %v", err)
		}
		if _, err := t1.co.PayCash(t1.co.CashDue()); err != nil {
			t.Fatal(err)
		}
		if _, err := t1.co.Complete(ctx); err != nil {
			t.Fatal(err)
		}
		return parked
	}

	parked := parkOffline()
	// The window: the head office has not heard of the resume, and still offers the cart.
	offered, _, err := t2.co.ShopParked(ctx)
	if err != nil || len(offered) != 1 || offered[0].ID != parked.ID {
		t.Fatalf("T02 sees %+v, %v", offered, err)
	}
	if err := sync(); err != nil {
		t.Fatal(err)
	}
	if ids, err := t1.store.Withdrawals(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("T01 still has to withdraw %v (%v)", ids, err)
	}
	if others, _, err := t2.co.ShopParked(ctx); err != nil || len(others) != 0 {
		t.Fatalf("after T01's sync T02 sees %+v, %v", others, err)
	}
	var taken *app.CartTakenError
	if _, err := t2.co.ResumeFromShop(ctx, offered[0], t2.store); !errors.As(err, &taken) || taken.Till != "T01" || len(t2.co.Lines()) != 0 {
		t.Fatalf("T02 resumes the cart T01 sold: %v", err)
	}

	// T02 takes the cart inside the window: T01's sync cannot undo either sale, and says so.
	parked = parkOffline()
	offered, _, err = t2.co.ShopParked(ctx)
	if err != nil || len(offered) != 1 || offered[0].ID != parked.ID {
		t.Fatalf("T02 sees %+v, %v", offered, err)
	}
	if _, err := t2.co.ResumeFromShop(ctx, offered[0], t2.store); err != nil {
		t.Fatal(err)
	}
	err = sync()
	if !errors.As(err, &taken) || taken.Till != "T02" || !strings.Contains(err.Error(), "sold twice") {
		t.Fatalf("T01's sync after T02 took the cart it sold: %v", err)
	}
	if ids, _ := t1.store.Withdrawals(ctx); len(ids) != 0 {
		t.Fatalf("T01 still has to withdraw %v", ids)
	}
}
