package ui

import (
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// backupText is the status bar's backup part: "Backup 14:02:05 · T01-000123", or since when it has not
// reached its target.
func backupText(st app.BackupStatus, now time.Time) string {
	if st.Target == "" {
		return ""
	}
	if st.Warn(now) {
		since := st.Replicated
		if since.IsZero() {
			since = st.Since
		}
		// Why is on the Backups page: a reason as long as an S3 error would widen the window past the screen.
		return lang.L("No backup since {{.Time}} (till menu: Backups)", map[string]any{"Time": shortTime(since, now)})
	}
	if st.Replicated.IsZero() {
		return lang.L("Backup: starting")
	}
	text := lang.L("Backup {{.Time}}", map[string]any{"Time": st.Replicated.Local().Format("15:04:05")})
	if st.ReplicatedReceipt != "" {
		text += " · " + st.ReplicatedReceipt
	}
	return text
}

// shortTime is a time of today as 15:04, of another day with its date.
func shortTime(at, now time.Time) string {
	at = at.Local()
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04")
	}
	return at.Format("2006-01-02 15:04")
}

// showBackup shows the backups in the status bar; red once no write has reached the folder for
// app.BackupWarnAfter (the till sells on).
func (s *saleScreen) showBackup(st app.BackupStatus) {
	s.backupStatus = st
	text := backupText(st, s.now())
	if text == "" {
		s.backup.Hide()
		return
	}
	s.backup.SetText(text)
	s.backup.Importance = widget.LowImportance
	if st.Warn(s.now()) {
		s.backup.Importance = widget.DangerImportance
	}
	s.backup.Refresh()
	s.backup.Show()
}

// backupPage shows the owner where the books are copied and when each copy last succeeded.
type backupPage struct {
	status                             func() app.BackupStatus
	content                            fyne.CanvasObject
	target, replica, snapshot, snapErr *widget.Label
	keys                               *KeyEntry
}

func newBackupPage(o *BackOffice, status func() app.BackupStatus) *backupPage {
	p := &backupPage{status: status}
	label := wrappingLabel
	p.target, p.replica, p.snapshot, p.snapErr = label(), label(), label(), label()
	p.snapErr.Importance = widget.DangerImportance
	p.content, p.keys = statusPage(o, p.reload,
		widget.NewFormItem(lang.L("Backup folder"), p.target),
		widget.NewFormItem(lang.L("Continuous copy"), p.replica),
		widget.NewFormItem(lang.L("Last snapshot"), p.snapshot),
		widget.NewFormItem(lang.L("Snapshot problem"), p.snapErr),
	)
	return p
}

func (p *backupPage) opened() fyne.Focusable {
	p.reload()
	return p.keys
}

func (p *backupPage) reload() {
	st, now := p.status(), time.Now()
	if st.Target == "" {
		p.target.SetText(lang.L("None set: checkout set backup.target FOLDER (a USB drive or NAS share)"))
		p.replica.SetText("")
		p.snapshot.SetText("")
		p.snapErr.SetText("")
		return
	}
	p.target.SetText(st.Target)
	switch {
	case st.Replicated.IsZero() && st.ReplicaError != "":
		p.replica.SetText(lang.L("Not written yet") + " · " + st.ReplicaError)
	case st.Replicated.IsZero():
		p.replica.SetText(lang.L("Not written yet"))
	default:
		// Before this run's first sale it names no receipt: everything committed before the time is there.
		text := lang.L("Everything up to {{.Time}}", map[string]any{"Time": shortTime(st.Replicated, now)})
		if st.ReplicatedReceipt != "" {
			text = lang.L("Every sale up to {{.Receipt}}, at {{.Time}}", map[string]any{"Receipt": st.ReplicatedReceipt, "Time": shortTime(st.Replicated, now)})
		}
		if st.ReplicaError != "" {
			text += " · " + st.ReplicaError
		}
		p.replica.SetText(text)
	}
	p.replica.Importance = widget.MediumImportance
	if st.Warn(now) {
		p.replica.Importance = widget.DangerImportance
	}
	p.replica.Refresh()
	if st.Snapshot.IsZero() {
		p.snapshot.SetText(lang.L("None yet"))
	} else {
		p.snapshot.SetText(shortTime(st.Snapshot, now) + " · " + filepath.Base(st.SnapshotFile))
	}
	p.snapErr.Importance = widget.DangerImportance
	if problem := strings.TrimSpace(st.SnapshotError); problem != "" {
		p.snapErr.SetText(problem)
	} else {
		p.snapErr.Importance = widget.MediumImportance
		p.snapErr.SetText(lang.L("None"))
	}
}
