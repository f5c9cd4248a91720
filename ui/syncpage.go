package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// syncPage shows the till's link to the head office: online or not, documents waiting, the last upload
// and down-sync, the last error, and the cards two tills overdrew.
type syncPage struct {
	office                           *BackOffice
	sync                             app.SyncService
	status                           func() app.SyncStatus // the latest the sync worker reported
	content                          fyne.CanvasObject
	link, pending, up, down, lastErr *widget.Label
	overdrawn, rejected              *widget.Label
	keys                             *KeyEntry // takes the F-keys while the page is open
}

func newSyncPage(o *BackOffice, sync app.SyncService, status func() app.SyncStatus) *syncPage {
	p := &syncPage{office: o, sync: sync, status: status}
	label := wrappingLabel
	p.link, p.pending, p.up, p.down, p.lastErr, p.overdrawn, p.rejected = label(), label(), label(), label(), label(), label(), label()
	p.rejected.Importance = widget.DangerImportance
	p.content, p.keys = statusPage(o, p.reload,
		widget.NewFormItem(lang.L("Head office"), p.link),
		widget.NewFormItem(lang.L("Pending"), p.pending),
		widget.NewFormItem(lang.L("Last upload"), p.up),
		widget.NewFormItem(lang.L("Last down-sync"), p.down),
		widget.NewFormItem(lang.L("Last error"), p.lastErr),
		widget.NewFormItem(lang.L("Overdrawn cards"), p.overdrawn),
		widget.NewFormItem(lang.L("Rejected by the head office"), p.rejected),
	)
	return p
}

// wrappingLabel is a status page's value: a long error wraps rather than widening the window.
func wrappingLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// statusPage lays a back office page of labelled values out under a field that takes the F-keys and
// refreshes the page on Enter.
func statusPage(o *BackOffice, reload func(), items ...*widget.FormItem) (fyne.CanvasObject, *KeyEntry) {
	keys := o.field(lang.L("Press Enter to refresh"), reload)
	return container.NewBorder(keys, nil, nil, nil, container.NewVScroll(widget.NewForm(items...))), keys
}

// opened shows the latest status when the page comes up.
func (p *syncPage) opened() fyne.Focusable {
	p.reload()
	return p.keys
}

// reload shows the latest status the sync worker reported and the overdrawn cards.
func (p *syncPage) reload() {
	st := p.status()
	when := func(at time.Time) string {
		if at.IsZero() {
			return lang.L("never")
		}
		return at.Local().Format("2006-01-02 15:04:05")
	}
	switch {
	case !st.Enrolled:
		p.link.SetText(lang.L("not enrolled (checkout enrol URL CODE)"))
	case st.Offline(p.office.now()):
		p.link.SetText(lang.L("offline: prepaid cards keep to the offline limit"))
	default:
		p.link.SetText(lang.L("online"))
	}
	p.pending.SetText(lang.L("{{.Count}} documents", map[string]any{"Count": st.Pending}))
	p.up.SetText(when(st.LastSync))
	p.down.SetText(when(st.LastDown))
	p.lastErr.SetText(st.LastError)
	p.showRejected()
	members, err := p.sync.OverdrawnMembers(context.Background())
	if err != nil {
		p.overdrawn.SetText(errorMessage(err))
		return
	}
	if len(members) == 0 {
		p.overdrawn.SetText(lang.L("none"))
		return
	}
	lines := make([]string, len(members))
	for i, m := range members {
		lines[i] = m.Number + " " + m.Name + ": " + m.HQBalance.Decimal()
	}
	p.overdrawn.SetText(strings.Join(lines, "\n"))
}

// showRejected lists the documents the head office refused to believe, with its reasons: they are not
// sent again, and the owner must find out why (a tampered database, a bug, a setting the head office
// does not share).
func (p *syncPage) showRejected() {
	rejected, err := p.sync.RejectedOutbox(context.Background())
	switch {
	case err != nil:
		p.rejected.SetText(errorMessage(err))
	case len(rejected) == 0:
		p.rejected.SetText(lang.L("none"))
	default:
		lines := make([]string, len(rejected))
		for i, r := range rejected {
			lines[i] = strings.TrimSpace(r.Receipt+" "+r.Kind) + " (" + r.At.Local().Format("2006-01-02 15:04") + "): " + r.Reason
		}
		p.rejected.SetText(strings.Join(lines, "\n"))
	}
}
