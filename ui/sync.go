package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
)

// syncText is the status bar's sync part, e.g. "Sync: online · 0 pending · last sync 14:02".
func syncText(st app.SyncStatus, now time.Time) string {
	parts := []string{lang.L("Sync: offline")}
	if st.Online {
		parts[0] = lang.L("Sync: online")
	}
	parts = append(parts, lang.L("{{.Count}} pending", map[string]any{"Count": st.Pending}))
	if !st.LastSync.IsZero() {
		parts = append(parts, lang.L("last sync {{.Time}}", map[string]any{"Time": shortTime(st.LastSync, now)}))
	}
	if st.Online && !st.Oldest.IsZero() && now.Sub(st.Oldest) > app.StuckAfter {
		parts = append(parts, lang.L("oldest unsent {{.Minutes}} min", map[string]any{"Minutes": int(now.Sub(st.Oldest).Minutes())}))
	}
	if st.Rejected > 0 {
		parts = append(parts, lang.L("{{.Count}} rejected by the head office", map[string]any{"Count": st.Rejected}))
	}
	if st.Conflicts > 0 {
		parts = append(parts, lang.L("{{.Count}} cards overdrawn", map[string]any{"Count": st.Conflicts}))
	}
	if st.LastError != "" {
		parts = append(parts, st.LastError)
	}
	return strings.Join(parts, " · ")
}
