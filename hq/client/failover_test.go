package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/store"
)

// failoverTill enrols a keyed till of north with the head office h and returns its uploader, through
// url (the head office's, or a proxy's).
func failoverTill(t testing.TB, h *hqtest.HQ, name, url string) (*till, *client.Uploader) {
	t.Helper()
	tl := keyedTill(t, name)
	cfg := h.Enrol("north", name)
	if err := tl.store.SetSyncLink(context.Background(), store.SyncLink{URL: cfg.URL, Shop: "north", Till: name, EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	cfg.URL, cfg.Timeout = url, 2*time.Second
	u := uploader(t, cfg, tl.store, 10)
	u.JournalKey = journalKey
	return tl, u
}

// syncUntil syncs until the head office answers (it is reconnecting to the promoted database), and
// returns the first answer that is not unavailability.
func syncUntil(t testing.TB, u *client.Uploader, limit time.Duration) error {
	t.Helper()
	var err error
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_, _, err = u.Sync(context.Background())
		var refused *api.Error
		if err == nil || errors.As(err, &refused) && refused.Permanent() {
			return err
		}
	}
	return err
}

// With asynchronous replication, a batch the old primary committed and acknowledged but had not sent to
// its replica is gone after the failover: the promoted database's head of the till's chain is behind
// the head the till was told. The till finds its journal continues the head office's, and sends again
// what the head office lost: every sale ends there once.
func TestAsyncFailoverLosesAnAcknowledgedBatch(t *testing.T) {
	pair := hqtest.StartPair(t, false)
	h := hqtest.StartHQOn(t, pair.FailoverURL())
	tl, u := failoverTill(t, h, "T01", h.URL)
	for range 5 {
		tl.sell(t)
	}
	if err := syncUntil(t, u, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	pair.WaitReplayed()
	pair.Detach() // the replica stops receiving: what the primary commits now is the primary's alone
	for range 5 {
		tl.sell(t)
	}
	if err := syncUntil(t, u, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnceIn(t, pair.Primary.URL, "north", "T01", tl, 10)
	pair.Stop(pair.Primary)
	pair.Promote()
	for range 5 {
		tl.sell(t)
	}
	if err := syncUntil(t, u, 30*time.Second); err != nil {
		t.Fatalf("after the failover: %v", err)
	}
	checkExactlyOnceIn(t, pair.Replica.URL, "north", "T01", tl, 15)
	ctx := context.Background()
	ch, err := u.Client.Chain(ctx)
	head, _ := tl.store.JournalHead(ctx)
	if err != nil || ch.Head != (api.Head{Seq: head.Seq, Hash: head.Hash}) {
		t.Fatalf("head office's chain %+v, till's head %+v, %v", ch, head, err)
	}
}

// Two tills sell on through everything a chain's head office goes through, one after another: a network
// partition between the shop and the head office (the tills queue, and drain when it heals), a restart
// of the head-office server, and a PostgreSQL failover (the primary crashes, its synchronous standby is
// promoted, and the server, given both hosts with target_session_attrs=read-write, reconnects to it).
// At the end every sale is in the promoted database exactly once and both chains run unbroken to the
// tills' heads.
func TestTillsSurviveFailover(t *testing.T) {
	pair := hqtest.StartPair(t, true)
	h := hqtest.StartHQOn(t, pair.FailoverURL())
	proxy := hqtest.NewFaultProxy(t, h.Addr, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	names := []string{"T01", "T02"}
	tills := make([]*till, len(names))
	uploaders := make([]*client.Uploader, len(names))
	var running sync.WaitGroup
	for i, name := range names {
		tills[i], uploaders[i] = failoverTill(t, h, name, "https://"+proxy.Addr)
		u := uploaders[i]
		running.Go(func() { u.Run(ctx) })
	}
	const each = 90
	sold := make(chan struct{}, len(names)*each)
	var selling sync.WaitGroup
	for _, tl := range tills {
		selling.Go(func() {
			for range each {
				tl.sell(t)
				sold <- struct{}{}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	after := func(n int) {
		for range n {
			<-sold
		}
	}
	pending := func() int64 {
		var n int64
		for _, tl := range tills {
			p, _ := tl.store.PendingCount(context.Background())
			n += p
		}
		return n
	}

	after(30)
	proxy.Partition(true) // (c) the shop loses the head office
	after(30)
	if n := pending(); n < 20 {
		t.Errorf("partitioned: only %d documents queued", n)
	}
	proxy.Partition(false)

	after(30)
	h.Kill() // (a) the head-office server restarts
	time.Sleep(300 * time.Millisecond)
	h.Restart()

	after(30)
	pair.Stop(pair.Primary) // (b) the database fails over
	time.Sleep(300 * time.Millisecond)
	pair.Promote()

	selling.Wait()
	defer func() {
		if t.Failed() {
			for i, u := range uploaders {
				t.Logf("%s: %+v", names[i], u.Status())
			}
		}
	}()
	waitDrained(t, time.Minute, tills...)
	cancel()
	running.Wait()
	for i, name := range names {
		checkExactlyOnceIn(t, pair.Replica.URL, "north", name, tills[i], each)
		ch, err := uploaders[i].Client.Chain(context.Background())
		head, _ := tills[i].store.JournalHead(context.Background())
		if err != nil || ch.Head != (api.Head{Seq: head.Seq, Hash: head.Hash}) {
			t.Errorf("%s: head office's chain %+v, till's head %+v, %v", name, ch, head, err)
		}
	}
}
