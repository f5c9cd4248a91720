package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// The head office tells a till which other tills of its shop used a member's account lately, by its own
// clock: never the asking till, never another shop's tills, and a number that is not a member's is
// refused without a row written.
func TestMemberUsesAcrossTills(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	uses := func(shop, name string) *client.AccountUses {
		c, err := client.New(h.Enrol(shop, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return &client.AccountUses{Client: c}
	}
	t1, t2, south := uses("north", "T01"), uses("north", "T02"), uses("south", "T01")
	db, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	use := func(a *client.AccountUses, member string) []app.AccountUse {
		t.Helper()
		got, err := a.Use(ctx, member)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := use(t1, "M000777"); len(got) != 0 {
		t.Fatalf("the first use: %+v", got)
	}
	if got := use(t1, "M000777"); len(got) != 0 {
		t.Fatalf("T01 is told of its own use: %+v", got)
	}
	got := use(t2, "M000777")
	if len(got) != 1 || got[0].Till != "T01" || got[0].Ago < 0 || got[0].Ago > time.Minute {
		t.Fatalf("T02 is told %+v", got)
	}
	if got := use(t1, "M000777"); len(got) != 1 || got[0].Till != "T02" {
		t.Fatalf("T01 again is told %+v", got)
	}
	if got := use(south, "M000777"); len(got) != 0 {
		t.Fatalf("another shop's till is told %+v", got)
	}
	if got := use(t2, "M000778"); len(got) != 0 {
		t.Fatalf("another member: %+v", got)
	}

	// An hour-old use is not an answer; a day-old one is gone.
	if _, err := db.Exec(ctx, `UPDATE member_uses SET at = now() - interval '2 hours' WHERE member = 'M000777'`); err != nil {
		t.Fatal(err)
	}
	if got := use(t2, "M000777"); len(got) != 0 {
		t.Fatalf("two-hour-old uses: %+v", got)
	}
	if _, err := db.Exec(ctx, `UPDATE member_uses SET at = now() - interval '2 days' WHERE till_id <> (SELECT id FROM tills WHERE name = 'T02' LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	use(t2, "M000779")
	var left int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM member_uses WHERE at < now() - interval '1 day'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d day-old uses left, %v", left, err)
	}

	for _, bad := range []string{"", "m000777", "M 777", "M\x00777", "M000777000777000777000777000777000"} {
		var e *api.Error
		if _, err := t1.Use(ctx, bad); !errors.As(err, &e) || e.Status != 400 {
			t.Errorf("member %q: %v", bad, err)
		}
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM member_uses WHERE member NOT LIKE 'M00077_'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows for bad numbers, %v", n, err)
	}
}

// What a broken or hostile till sends to the member-uses endpoint is refused whole and writes nothing: a
// body over 1 KiB, unknown fields, JSON with a NUL, another shop's path, no token.
func TestMemberUsesRefusals(t *testing.T) {
	h := hqtest.StartHQ(t)
	north, south := h.Enrol("north", "T01"), h.Enrol("south", "T01")
	post := func(cfg client.Config, shop, body string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, h.URL+api.MemberUsePath(shop), strings.NewReader(body))
		if cfg.Token != "" {
			req.Header.Set("Authorization", "Bearer "+cfg.Token)
		}
		resp, err := h.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		cfg        client.Config
		shop, body string
		want       int
	}{
		{north, "north", `{"member":"M000777","pad":"` + strings.Repeat("x", 2000) + `"}`, http.StatusRequestEntityTooLarge},
		{north, "north", `{"member":"M000777","till":"T02"}`, http.StatusBadRequest},
		{north, "north", "{\"member\":\"M00\u0000777\"}", http.StatusBadRequest},
		{north, "north", `{"member":"M000777"} {"member":"M000778"}`, http.StatusBadRequest},
		{south, "north", `{"member":"M000777"}`, http.StatusForbidden},
		{client.Config{}, "north", `{"member":"M000777"}`, http.StatusUnauthorized},
	} {
		if got := post(c.cfg, c.shop, c.body); got != c.want {
			t.Errorf("%.60s to %s: %d, want %d", c.body, c.shop, got, c.want)
		}
	}
	conn, err := pgx.Connect(context.Background(), h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM member_uses`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d uses written by refused requests, %v", n, err)
	}
}
