package ui_test

import (
	"testing"
	"time"

	"checkout/app"
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
}
