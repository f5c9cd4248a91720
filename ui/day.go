package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/reportpdf"
)

// dayPage is the owner's day at a glance: the headline figures against the same weekday last week, sales
// by hour, by category, the top products, the tender mix, the figures by cashier and the anomaly list,
// for a chosen day (today by default; PageUp and PageDown step a day). F9 saves what is shown as a PDF,
// F11 shows the X report, F12 closes the day with a Z report after asking; those two show the drawer.
type dayPage struct {
	office   *BackOffice
	reports  app.ReportService
	content  fyne.CanvasObject
	day      *KeyEntry
	figures  *widget.Label
	kpis     *kpiTiles // the headline figures, with their change against last week
	hours    *barChart
	cats     *widget.Label
	top      *widget.Label
	tenders  *widget.Label
	cashiers *widget.Label
	unusual  *widget.Label // the anomaly list
	drawer   *fyne.Container
	drawerOf *widget.Label
	note     notice
	showing  time.Time    // the first instant of the day shown
	reportOf string       // "" for a day; "X" while the X report is shown
	shownZ   *app.ZReport // the Z report shown, for the PDF; nil for a day or an X report
	// shown and shownLast are the figures on the page (shownLast nil when not compared), for the PDF.
	shown     app.DaySummary
	shownLast *app.DaySummary
	anomalies []app.Anomaly
	saving    bool // a PDF is being written
}

func newDayPage(o *BackOffice, reports app.ReportService) *dayPage {
	pg := &dayPage{office: o, reports: reports, note: newNotice(o), figures: table(), cats: table(), top: table(), tenders: table(), hours: newBarChart(),
		cashiers: table(), unusual: table(), drawerOf: table(), kpis: newKPITiles()}
	pg.day = o.field("YYYY-MM-DD", func() { pg.load() })
	addKeys(pg.day, map[fyne.KeyName]func(){
		fyne.KeyPageUp:   func() { pg.step(-1) },
		fyne.KeyPageDown: func() { pg.step(+1) },
		fyne.KeyF9:       pg.savePDF,
		fyne.KeyF11:      pg.xReport,
		fyne.KeyF12:      pg.closeDay,
	})
	prev := widget.NewButtonWithIcon(lang.L("Day before")+" (PgUp)", theme.NavigateBackIcon(), func() { pg.step(-1) })
	next := widget.NewButtonWithIcon(lang.L("Day after")+" (PgDn)", theme.NavigateNextIcon(), func() { pg.step(+1) })
	save := widget.NewButtonWithIcon(lang.L("Save PDF")+" (F9)", theme.DocumentSaveIcon(), pg.savePDF)
	x := widget.NewButtonWithIcon(lang.L("X report")+" (F11)", theme.DocumentIcon(), pg.xReport)
	z := widget.NewButtonWithIcon(lang.L("Close the day: Z report")+" (F12)", theme.ConfirmIcon(), pg.closeDay)
	z.Importance = widget.DangerImportance
	top := container.NewVBox(container.NewBorder(nil, nil, prev, container.NewHBox(next, save, x, z), pg.day), pg.note)
	left := container.NewVBox(pg.figures, widget.NewSeparator(), bold(lang.L("Sales by hour")), pg.hours)
	right := container.NewVBox(bold(lang.L("By category")), pg.cats, bold(lang.L("Top products")), pg.top,
		bold(lang.L("Tenders")), pg.tenders)
	pg.drawer = container.NewVBox(bold(lang.L("Drawer")), pg.drawerOf)
	pg.drawer.Hide()
	body := container.NewVBox(pg.kpis.content, widget.NewSeparator(), container.NewGridWithColumns(2, left, right), bold(lang.L("By cashier")), pg.cashiers,
		bold(lang.L("Anomalies")), pg.unusual, pg.drawer)
	pg.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
	return pg
}

// opened shows today the first time the page comes up.
func (pg *dayPage) opened() fyne.Focusable {
	if pg.showing.IsZero() {
		pg.load()
	}
	return pg.day
}

// step shows the day before or after the one shown.
func (pg *dayPage) step(days int) {
	if pg.showing.IsZero() {
		pg.showing, _ = app.DayBounds(pg.office.now())
	}
	pg.day.SetText(pg.showing.AddDate(0, 0, days).Format(time.DateOnly))
	pg.load()
}

// load shows the day typed, or today.
func (pg *dayPage) load() {
	now := pg.office.now()
	day := now
	if text := strings.TrimSpace(pg.day.Text); text != "" {
		d, err := time.ParseInLocation(time.DateOnly, text, now.Location())
		if err != nil {
			pg.note.say(lang.L("Type a day as YYYY-MM-DD."), widget.WarningImportance)
			return
		}
		day = d
	}
	from, to := app.DayBounds(day)
	lastFrom, _ := app.SameWeekdayLastWeek(from, to)
	page, err := pg.reports.DayPage(context.Background(), from, to)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.showing, pg.reportOf, pg.shownZ = from, "", nil
	pg.day.SetText(from.Format(time.DateOnly))
	pg.note.say(lang.L("{{.Day}}, beside {{.LastWeek}} (the same weekday last week)", map[string]any{
		"Day": from.Format("2006-01-02 Mon"), "LastWeek": lastFrom.Format("2006-01-02")}), widget.MediumImportance)
	pg.show(page.Day, &page.LastWeek, page.Anomalies)
}

// show fills the page with sum, compared with last when it is not nil, and its anomalies.
func (pg *dayPage) show(sum app.DaySummary, last *app.DaySummary, anomalies []app.Anomaly) {
	pg.shown, pg.shownLast, pg.anomalies = sum, last, anomalies
	f := func(a money.Amount) string { return money.Format(a, pg.office.language) }
	pg.kpis.show(sum, last, f)
	// Revenue, sales and the average basket are the tiles above; the table has the rest.
	rows := [][2]string{
		{lang.L("Items per basket"), money.FormatFixed(sum.ItemsPerBasket(), 2)},
		{lang.L("Discounts"), f(sum.Discounts)},
		{lang.L("Tax"), f(sum.Tax)},
		{lang.L("Refunds"), fmt.Sprintf("%d · %s", sum.Refunds, f(sum.RefundTotal))},
		{lang.L("Voids"), fmt.Sprint(sum.Voids)},
		{lang.L("Top-ups"), fmt.Sprintf("%d · %s", sum.TopUps, f(sum.TopUpTotal))},
		{lang.L("Member sales"), money.FormatFixed(sum.MemberShareBP(), 2) + "%"},
		{lang.L("Cash expected"), f(sum.CashExpected())},
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %12s\n", column(r[0], 18), r[1])
	}
	pg.figures.SetText(strings.TrimRight(b.String(), "\n"))

	bars := make([]bar, 24)
	for h, t := range sum.ByHour {
		label := ""
		if h%3 == 0 {
			label = fmt.Sprint(h)
		}
		bars[h] = bar{label: label, value: t.Revenue.Minor()}
	}
	pg.hours.set(bars)

	b.Reset()
	for i, c := range sum.ByCategory {
		if i == 8 {
			break
		}
		fmt.Fprintf(&b, "%s %12s  %s\n", column(c.Category, 16), f(c.Revenue), share(c.Revenue.Minor(), sum.Revenue.Minor()))
	}
	pg.cats.SetText(strings.TrimRight(b.String(), "\n"))

	b.Reset()
	for i, p := range sum.TopProducts {
		fmt.Fprintf(&b, "%2d %s %8s %12s\n", i+1, column(p.Name, 24), quantity(p.Qty, p.Unit), f(p.Revenue))
	}
	pg.top.SetText(strings.TrimRight(b.String(), "\n"))

	b.Reset()
	paid := int64(0)
	for _, t := range sum.Tenders {
		paid += t.Amount.Minor()
	}
	for _, t := range sum.Tenders {
		fmt.Fprintf(&b, "%s %4d %12s  %s\n", column(labels().TenderKind(t.Kind), 14), t.Count, f(t.Amount), share(t.Amount.Minor(), paid))
	}
	pg.tenders.SetText(strings.TrimRight(b.String(), "\n"))

	pg.cashiers.SetText(cashierTable(sum.ByCashier, f))
	pg.unusual.SetText(anomalyTable(anomalies))
	if d := drawerTable(sum.Drawer, f); d != "" {
		pg.drawerOf.SetText(d)
		pg.drawer.Show()
	} else {
		pg.drawer.Hide()
	}
}

// share is part of whole as a percentage, for display.
func share(part, whole int64) string {
	if whole <= 0 {
		return ""
	}
	return money.FormatFixed(app.ShareBP(part, whole), 2) + "%"
}

// savePDF writes what the page shows as a PDF into the user's Documents folder, in the background (the
// font alone is megabytes), and then says where it went.
func (pg *dayPage) savePDF() {
	if pg.saving {
		return
	}
	if pg.shown.From.IsZero() {
		pg.load()
		if pg.shown.From.IsZero() {
			return
		}
	}
	pg.saving = true
	r := reportpdf.Report{Shop: pg.office.settings.Shop.Name, Summary: pg.shown, Compare: pg.shownLast, Anomalies: pg.anomalies,
		Z: pg.shownZ, Language: pg.office.language, Translate: lang.L}
	pg.office.background(func() {
		file, err := saveReportPDF(r)
		onUI(func() {
			pg.saving = false
			if err != nil {
				pg.note.say(lang.L("The PDF was not saved: {{.Detail}}", map[string]any{"Detail": err.Error()}), widget.DangerImportance)
				return
			}
			pg.note.say(lang.L("PDF saved: {{.File}}", map[string]any{"File": file}), widget.SuccessImportance)
		})
	})
}

// saveReportPDF writes r, in the system's fonts, to the Documents folder and returns the file's path.
// A file half written is removed.
func saveReportPDF(r reportpdf.Report) (string, error) {
	var err error
	if r.Font, r.LatinFont, err = reportpdf.LoadFonts(); err != nil {
		return "", err
	}
	dir, err := reportpdf.DocumentsDir()
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, reportpdf.FileName(r.Summary.From, r.Summary.To))
	f, err := os.Create(file)
	if err != nil {
		return "", err
	}
	if err := errors.Join(reportpdf.Write(f, r), f.Close()); err != nil {
		os.Remove(file)
		return "", err
	}
	return file, nil
}

// xReport shows everything since the last Z report; nothing is stored.
func (pg *dayPage) xReport() {
	ctx := context.Background()
	sum, err := pg.reports.XReport(ctx, pg.office.now())
	var anomalies []app.Anomaly
	if err == nil {
		anomalies, err = pg.reports.Anomalies(ctx, sum)
	}
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.reportOf, pg.shownZ = "X", nil
	pg.note.say(lang.L("X report (nothing stored): {{.From}} to {{.To}}", map[string]any{
		"From": sum.From.Local().Format("2006-01-02 15:04"), "To": sum.To.Local().Format("2006-01-02 15:04")}), widget.MediumImportance)
	pg.show(sum, nil, anomalies)
}

// closeDay stores the day's Z report after asking: it is numbered and can never be changed.
func (pg *dayPage) closeDay() {
	o := pg.office
	o.confirm(lang.L("Close the day: Z report"), lang.L("Close the day? The Z report is numbered and can never be changed. Enter: yes · Esc: no"),
		func() {
			ctx := context.Background()
			z, err := pg.reports.CloseDay(ctx, o.now(), o.session().Name())
			if err != nil {
				pg.note.fail(err)
				return
			}
			// The Z report is stored whatever follows: a failed anomaly read is said after it, with the
			// list left empty.
			anomalies, aerr := pg.reports.Anomalies(ctx, z.Summary)
			pg.reportOf, pg.shownZ = "Z", z
			pg.note.say(lang.L("Z report {{.No}} stored: {{.From}} to {{.To}} · journal head {{.Head}}", map[string]any{"No": z.No,
				"From": z.Summary.From.Local().Format("2006-01-02 15:04"), "To": z.Summary.To.Local().Format("2006-01-02 15:04"),
				"Head": z.Head.String()}), widget.SuccessImportance)
			pg.show(z.Summary, nil, anomalies)
			if aerr != nil {
				pg.note.fail(aerr)
			}
		}, func() { o.win.Canvas().Focus(pg.day) })
}
