package ui

import (
	"context"
	"testing"
	"time"

	"checkout/app"
)

// syncDesk is an app.SyncService with one overdrawn member and one rejected document.
type syncDesk struct{}

func (syncDesk) OverdrawnMembers(context.Context) ([]app.Member, error) {
	return []app.Member{{Number: "M000042", Name: "Wang Fang", HQBalance: cny(-2000)}}, nil
}

func (syncDesk) RejectedOutbox(context.Context) ([]app.Rejection, error) {
	return []app.Rejection{{Kind: "sale", Receipt: "T01-000007", Reason: "bad digest", At: time.Date(2026, 11, 24, 9, 30, 0, 0, time.Local)}}, nil
}

// The sync page shows the status the sync worker last reported, the cards overdrawn and the documents the
// head office refused.
func TestSyncPageShowsTheLink(t *testing.T) {
	h := newHarness(t)
	o := newOffice(h)
	status := app.SyncStatus{}
	p := newSyncPage(o, syncDesk{}, func() app.SyncStatus { return status })
	o.open(o.add("", "Sync", p.content, p.opened, nil))
	mustShowIn(t, o.win, "not enrolled", "M000042 Wang Fang: -20.00", "T01-000007 sale (2026-11-24 09:30): bad digest")
	status = app.SyncStatus{Enrolled: true, Online: true, Pending: 4, LastSync: time.Now(), LastDown: time.Now()}
	p.reload()
	mustShowIn(t, o.win, "online", "4 documents")
}
