package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/hq/server"
	"checkout/store"
)

// A chain's head office as it runs: two stateless servers on one PostgreSQL behind HAProxy. Four keyed
// tills of two shops sell while a fault proxy cuts replies after the head office committed (the till
// retries on a new connection, which HAProxy gives the other server), one server is killed mid-trading
// and started again, and prices change through two servers while the tills pull changes. At the end
// every sale is stored once with the tills' totals, every till's journal chain continued unbroken (a
// link out of order refuses the batch, and the outbox would never drain), both servers took uploads,
// and every till has every price the head office has.
func TestChainBehindHAProxy(t *testing.T) {
	c := hqtest.StartCluster(t, 2)
	proxy := hqtest.NewFaultProxy(t, c.Addr, 11)
	proxy.Cut = 0.15
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type shopTill struct{ shop, name string }
	names := []shopTill{{"north", "T01"}, {"north", "T02"}, {"south", "T01"}, {"south", "T02"}}
	var products []app.CatalogEntry
	for i := range 10 {
		products = append(products, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("GEN-%03d", i), Name: fmt.Sprintf("Thing %d", i),
			NameZH: fmt.Sprintf("东西 %d", i), Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}})
	}
	tills := make([]*till, len(names))
	uploaders := make([]*client.Uploader, len(names))
	var running sync.WaitGroup
	for i, n := range names {
		tills[i] = keyedTill(t, n.name)
		cfg := c.Enrol(n.shop, n.name)
		if err := tills[i].store.SetSyncLink(ctx, store.SyncLink{URL: cfg.URL, Shop: n.shop, Till: n.name, EnrolledAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Servers[i%2].Server.ImportCatalog(ctx, n.shop, products); err != nil {
			t.Fatal(err)
		}
		cfg.URL, cfg.Timeout = "https://"+proxy.Addr, 2*time.Second
		u := uploader(t, cfg, tills[i].store, 10)
		u.JournalKey = journalKey
		u.Down = &client.Downloader{Link: tills[i].store, Client: u.Client, Currency: cnyCurrency, Page: 3}
		uploaders[i] = u
		running.Go(func() { u.Run(ctx) })
	}

	var selling sync.WaitGroup
	for _, tl := range tills {
		selling.Go(func() {
			for range 120 {
				tl.sell(t)
			}
		})
	}
	// Prices change through two servers' pools of their own while the tills sell and sync.
	writers := make([]*server.Server, 2)
	for i := range writers {
		srv, err := server.Open(ctx, c.DBURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		writers[i] = srv
	}
	selling.Go(func() {
		for i := range 40 {
			shop := []string{"north", "south"}[i%2]
			sku, price := fmt.Sprintf("GEN-%03d", i%10), fmt.Sprintf("%d.%02d", 1+i/10, i)
			if err := writers[i%2].SetPrice(ctx, shop, sku, price); err != nil {
				t.Error(err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	time.Sleep(300 * time.Millisecond)
	c.Servers[0].Kill() // a head-office server restarts mid-trading
	time.Sleep(500 * time.Millisecond)
	c.Servers[0].Restart()
	selling.Wait()
	defer func() {
		if t.Failed() {
			for i, u := range uploaders {
				t.Logf("%+v: %+v", names[i], u.Status())
			}
		}
	}()
	waitDrained(t, time.Minute, tills...)
	cancel()
	running.Wait()

	for i, n := range names {
		checkExactlyOnceIn(t, c.DBURL, n.shop, n.name, tills[i], 120)
	}
	if proxy.Cuts.Load() == 0 {
		t.Error("no reply was cut after the head office committed")
	}
	for i, h := range c.Servers {
		if h.Requests.Load() == 0 {
			t.Errorf("server %d answered nothing: HAProxy did not balance", i+1)
		}
		t.Logf("server %d answered %d requests", i+1, h.Requests.Load())
	}

	// One more sync each, and every till has its shop's prices as the head office has them.
	conn, err := pgx.Connect(context.Background(), c.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for i, n := range names {
		syncNow(t, uploaders[i])
		rows, _ := conn.Query(context.Background(), `SELECT p.sku, (p.price * 100)::bigint FROM products p JOIN shops s ON s.id = p.shop_id
			WHERE s.code = $1`, n.shop)
		want, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
			SKU   string
			Price int64
		}])
		if err != nil || len(want) != 10 {
			t.Fatalf("%s's products at the head office: %d, %v", n.shop, len(want), err)
		}
		for _, p := range want {
			found, err := tills[i].store.SearchCatalog(context.Background(), p.SKU, 1)
			if err != nil || len(found) != 1 || found[0].Price.Minor() != p.Price {
				t.Fatalf("%s %s %s: till %+v, head office %d (%v)", n.shop, n.name, p.SKU, found, p.Price, err)
			}
		}
	}
}

// checkExactlyOnceIn is checkExactlyOnce for a till of shop on the head office's database at dbURL.
func checkExactlyOnceIn(t testing.TB, dbURL, shop, name string, tl *till, want int64) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, distinct, total, docs int64
	err = conn.QueryRow(ctx, `SELECT count(s.id), count(DISTINCT s.id), coalesce(sum(s.total) * 100, 0)::bigint,
			(SELECT count(*) FROM documents d WHERE d.till_id = t.id AND d.kind = 'sale')
		FROM tills t JOIN shops sh ON sh.id = t.shop_id LEFT JOIN sales s ON s.till_id = t.id
		WHERE sh.code = $1 AND t.name = $2 GROUP BY t.id`, shop, name).Scan(&rows, &distinct, &total, &docs)
	sum := tl.sales(t)
	if err != nil || docs != rows || sum.Count != want || rows != want || distinct != want || total != sum.Total {
		t.Fatalf("%s %s: till %d sales totalling %d; head office %d rows (%d documents), %d distinct, totalling %d (%v)",
			shop, name, sum.Count, sum.Total, rows, docs, distinct, total, err)
	}
	if n, err := tl.store.PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("%s %s: %d pending, %v", shop, name, n, err)
	}
}

// Two servers take the same till's batches at the same moment: two uploaders of one till, one talking
// to each server directly, send the same pending documents and journal links concurrently. The servers
// take turns on the till's chain (its row locked), so each document is stored once, the chain continues
// unbroken, and both uploaders end with nothing pending.
func TestSameTillsBatchesOnTwoServersAtOnce(t *testing.T) {
	c := hqtest.StartCluster(t, 2)
	ctx := context.Background()
	tl := keyedTill(t, "T01")
	cfg := c.Enrol("north", "T01")
	if err := tl.store.SetSyncLink(ctx, store.SyncLink{URL: cfg.URL, Shop: "north", Till: "T01", EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for range 300 {
		tl.sell(t)
	}
	var uploads sync.WaitGroup
	sent := make([]int, len(c.Servers))
	for i, h := range c.Servers {
		direct := cfg
		direct.URL = h.URL
		u := uploader(t, direct, tl.store, 20)
		u.JournalKey = journalKey
		uploads.Go(func() {
			for range 100 {
				n, err := u.UploadPending(ctx)
				sent[i] += n
				if err == nil {
					if n, _ := tl.store.PendingCount(ctx); n == 0 {
						return
					}
				}
			}
			t.Errorf("uploading to %s: still pending", h.URL)
		})
	}
	uploads.Wait()
	t.Logf("documents each uploader had acknowledged: %v", sent)
	if sent[0] == 0 || sent[1] == 0 || sent[0]+sent[1] <= 300 {
		t.Errorf("the uploaders sent %v: not the same batches to both servers", sent)
	}
	checkExactlyOnceIn(t, c.DBURL, "north", "T01", tl, 300)
	for i, h := range c.Servers {
		if h.Requests.Load() < 2 {
			t.Errorf("server %d answered %d requests", i+1, h.Requests.Load())
		}
	}
}
