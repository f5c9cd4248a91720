package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/hq/hqtest"
	"checkout/hq/server"
)

// The owner's reads come from the streaming replica: a sale uploaded to the primary shows on the
// dashboard once the replica has replayed it, and not before (replay paused: the page still shows the
// replica's figures, and the status report too); a replica further behind than the lag allowed is passed
// over for the primary; with the replica stopped every page still answers, from the primary, and the
// reads go back to the replica when it returns.
func TestDashboardReadsFromReplica(t *testing.T) {
	pair := hqtest.StartPair(t, false)
	ctx := context.Background()
	h := hqtest.StartHQOn(t, pair.Primary.URL)
	if err := h.Server.UseReplica(ctx, pair.Replica.URL, time.Minute); err != nil {
		t.Fatal(err)
	}
	if on, err := h.Server.ReadsFromReplica(ctx); err != nil || !on {
		t.Fatalf("the owner's reads on a standby: %v, %v (%+v)", on, err, h.Server.Replica())
	}
	sell := func(till, price string) {
		t.Helper()
		d := newTillDocs(till)
		d.sale(dashDay.Add(10*time.Hour), "cash", soldLine{"DRK-001", "Cola", "可乐", 1, price})
		d.upload(t, h, "north")
	}
	d := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	chain := func() (sales, revenue string) {
		t.Helper()
		status, page, _ := d.get("/dash/?date=" + dashDay.Format(time.DateOnly))
		if status != 200 {
			t.Fatalf("chain page: %d %s", status, page)
		}
		return figure(t, page, "north", "sales"), figure(t, page, "north", "revenue")
	}
	tillsPage := func() string {
		t.Helper()
		status, page, _ := d.get("/dash/tills")
		if status != 200 {
			t.Fatalf("tills page: %d %s", status, page)
		}
		return page
	}
	storedSales := func(srv *server.Server) int64 {
		t.Helper()
		sts, err := srv.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, st := range sts {
			n += st.Sales
		}
		return n
	}

	sell("T01", "12.50")
	pair.WaitReplayed()
	if sales, revenue := chain(); sales != "1" || !strings.HasPrefix(revenue, "¥12.50") {
		t.Fatalf("after one sale, replayed: %s sales, %s", sales, revenue)
	}
	if page := tillsPage(); !strings.Contains(page, "Figures read from the replica") || !strings.Contains(page, "s behind the primary") {
		t.Errorf("the tills page does not say the figures come from the replica: %s", page)
	}

	// Replay paused: the primary has the second sale, the replica not yet, and the owner sees the replica.
	replica, err := pgx.Connect(ctx, pair.Replica.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close(ctx)
	if _, err := replica.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	sell("T02", "20.00")
	if sales, _ := chain(); sales != "1" {
		t.Errorf("replay paused: the dashboard shows %s sales: not read from the replica", sales)
	}
	if n := storedSales(h.Server); n != 1 {
		t.Errorf("replay paused: status says %d sales: not read from the replica", n)
	}
	// A server allowing the replica no lag at all reads the primary now.
	strict, err := server.Open(ctx, pair.Primary.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer strict.Close()
	if err := strict.UseReplica(ctx, pair.Replica.URL, time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	if st := strict.Replica(); st.Reading || !strings.Contains(st.Reason, "behind") {
		t.Errorf("a replica behind the lag allowed: %+v", st)
	}
	if n := storedSales(strict); n != 2 {
		t.Errorf("a replica too far behind: status says %d sales, want the primary's 2", n)
	}
	if _, err := replica.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	pair.WaitReplayed()
	if sales, revenue := chain(); sales != "2" || !strings.HasPrefix(revenue, "¥32.50") {
		t.Errorf("replay resumed: %s sales, %s", sales, revenue)
	}

	// The replica stops: the pages answer from the primary, at once.
	replica.Close(ctx)
	pair.Stop(pair.Replica)
	sell("T03", "7.50")
	if sales, revenue := chain(); sales != "3" || !strings.HasPrefix(revenue, "¥40.00") {
		t.Errorf("replica down: %s sales, %s", sales, revenue)
	}
	if on, err := h.Server.ReadsFromReplica(ctx); err != nil || on {
		t.Errorf("replica down: reads on a standby %v, %v", on, err)
	}
	if page := tillsPage(); !strings.Contains(page, "Figures read from the primary") {
		t.Errorf("replica down: the tills page does not say the figures come from the primary")
	}
	for _, path := range []string{"/dash/shops/north?date=" + dashDay.Format(time.DateOnly), "/dash/alarms", "/dash/export.csv"} {
		if status, page, _ := d.get(path); status != 200 {
			t.Errorf("replica down: %s: %d %s", path, status, page)
		}
	}
	if n := storedSales(h.Server); n != 3 {
		t.Errorf("replica down: status says %d sales", n)
	}

	// It comes back: the reads go to it again once it has caught up.
	pair.Start(pair.Replica)
	pair.WaitStreaming()
	pair.WaitReplayed()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if on, err := h.Server.ReadsFromReplica(ctx); err == nil && on {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reads did not go back to the replica: %+v", h.Server.Replica())
		}
	}
	if sales, _ := chain(); sales != "3" {
		t.Errorf("replica back: %s sales", sales)
	}
}
