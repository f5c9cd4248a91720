package client_test

import (
	"context"
	"errors"
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
