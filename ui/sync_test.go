package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/app/money"
	"checkout/store"
)

// The status bar says nothing of sync until the uploader reports, then shows what it reports.
func TestSyncStatusInStatusBar(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	if shows(w, "Sync") {
		t.Fatal("a till not enrolled shows a sync status")
	}
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: false, Pending: 12, LastError: "connection refused"})
	mustShow(t, w, "Sync: offline · 12 pending · connection refused")
	last := time.Now().Add(-time.Minute)
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: true, LastSync: last})
	mustShow(t, w, "Sync: online · 0 pending · last sync "+last.Format("15:04"))
	// Online, yet the oldest document has waited 25 minutes: something keeps failing, and it says so.
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: true, LastSync: last, Pending: 3, Oldest: time.Now().Add(-25 * time.Minute)})
	mustShow(t, w, "Sync: online · 3 pending · last sync "+last.Format("15:04")+" · oldest unsent 25 min")
}

// The back office's sync page (till menu F1 → Head office sync) shows the link's latest status and the cards the head office holds
// overdrawn, and follows the uploader's reports while it is open.
func TestSyncPage(t *testing.T) {
	till, st := newTill(t, withStock, func(s *setup) { s.svc.Sync = s.st })
	ctx := context.Background()
	if err := st.SetSyncLink(ctx, store.SyncLink{URL: "https://hq.example", Shop: "north", Till: "T01", EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyChanges(ctx, app.HQChanges{Next: 3, Members: []app.HQMember{
		{Number: "M000042", Name: "Wang Fang", Balance: money.New(-2000, money.CNY), Seq: 3}}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	last := time.Now().Add(-time.Minute)
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: false, Pending: 4, LastSync: last, LastDown: last,
		LastError: "connection refused"})
	tw := till.Window()
	press(tw, fyne.KeyF1)
	for _, label := range screen(tw) {
		if n, rest, ok := strings.Cut(label, "  "); ok && rest == "Head office sync" {
			typeIn(tw, n)
		}
	}
	w := till.BackOffice().Window()
	mustShow(t, w, "offline: prepaid cards keep to the offline limit", "4 documents", "connection refused",
		"M000042 Wang Fang: -20.00", last.Local().Format("2006-01-02 15:04:05"))
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: true, LastSync: time.Now(), LastDown: time.Now()})
	mustShow(t, w, "online", "0 documents")
	if shows(w, "connection refused") {
		t.Fatal("the page kept the old error")
	}

	// A document the head office rejected is listed with its reason, and the status bar says so in red.
	sale := sellOne(t, st)
	if err := st.MarkRejected(ctx, []app.Rejection{{ID: sale.ID, Reason: "refunds give back more than the sale took"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	till.SetSyncStatus(app.SyncStatus{Enrolled: true, Online: true, LastSync: time.Now(), Rejected: 1})
	mustShow(t, w, sale.ReceiptNo+" sale (", "): refunds give back more than the sale took")
	mustShow(t, tw, "Sync: online · 0 pending · last sync "+time.Now().Format("15:04")+" · 1 rejected by the head office")
}

// sellOne sells a can of cola for cash through the real use case on st.
func sellOne(t *testing.T, st *store.Store) *app.Sale {
	t.Helper()
	ctx := context.Background()
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	co.SetSession(app.SystemSession("Olivia"))
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	sale, err := co.SettleCash(ctx, co.CashDue())
	if err != nil {
		t.Fatal(err)
	}
	return sale
}
