package ui_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// The status bar says nothing of backups at a till without a backup folder; with one it shows the last
// write and the receipt it holds, and after ten minutes without the folder it says since when, in red.
func TestBackupStatusInStatusBar(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	till.SetBackupStatus(app.BackupStatus{})
	if shows(w, "Backup") {
		t.Fatal("a till without a backup folder shows a backup status")
	}
	now := time.Now()
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: now})
	mustShow(t, w, "Backup: starting")
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: now, Replicated: now, ReplicatedReceipt: "T01-000123"})
	mustShow(t, w, "Backup "+now.Format("15:04:05")+" · T01-000123")
	if label := labelWith(w, "T01-000123"); label == nil || label.Importance == widget.DangerImportance {
		t.Fatal("a backup that is up to date is shown as a problem")
	}
	// The drive was pulled out eleven minutes ago: the till sells on, and says so in red.
	gone := now.Add(-11 * time.Minute)
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: gone.Add(-time.Hour), Replicated: gone,
		ReplicatedReceipt: "T01-000100", ReplicaError: "backup folder /media/usb is not there (drive unplugged or not mounted?)"})
	mustShow(t, w, "No backup since "+gone.Format("15:04")+" (till menu: Backups)")
	if label := labelWith(w, "No backup since"); label == nil || label.Importance != widget.DangerImportance {
		t.Fatal("ten minutes without a backup is not shown in red")
	}
}

// The back office's Backups page (till menu F1 → Backups) shows the folder, through which receipt the
// replica holds the books, the last snapshot and why snapshots fail.
func TestBackupPage(t *testing.T) {
	till, _ := newTill(t, withStock)
	now := time.Now()
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: now, Replicated: now, ReplicatedReceipt: "T01-000007",
		SnapshotError: "no snapshots: no passphrase set (checkout backup-passphrase)"})
	tw := till.Window()
	press(tw, fyne.KeyF1)
	for _, label := range screen(tw) {
		if n, rest, ok := strings.Cut(label, "  "); ok && rest == "Backups" {
			typeIn(tw, n)
		}
	}
	office := till.BackOffice()
	if office == nil {
		t.Fatal("the till menu did not open the backups page")
	}
	w := office.Window()
	mustShow(t, w, "/media/usb", "Every sale up to T01-000007, at "+now.Format("15:04"), "None yet",
		"no passphrase set (checkout backup-passphrase)")
	snap := now.Add(-time.Hour)
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: now, Replicated: now, ReplicatedReceipt: "T01-000008",
		Snapshot: snap, SnapshotFile: "/media/usb/checkout-T01/snapshots/checkout-20261206T120000Z-z.db.age"})
	mustShow(t, w, "T01-000008", snap.Format("15:04")+" · checkout-20261206T120000Z-z.db.age")
	if shows(w, "no passphrase set") {
		t.Fatal("the page kept the old snapshot problem")
	}
	// Before the first sale since the till started, it names no receipt, and the drive being gone is said.
	till.SetBackupStatus(app.BackupStatus{Target: "/media/usb", Since: now, Replicated: now,
		ReplicaError: "backup folder /media/usb is not there (drive unplugged or not mounted?)"})
	mustShow(t, w, "Everything up to "+now.Format("15:04")+" · backup folder /media/usb is not there")
}

// labelWith finds the label in w whose text contains text.
func labelWith(w fyne.Window, text string) *widget.Label {
	var found *widget.Label
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			found = l
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, child := range c.Objects {
				walk(child)
			}
		}
	}
	walk(w.Content())
	return found
}
