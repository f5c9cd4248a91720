package ui

import (
	"context"
	"fmt"
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

// dayPage is the owner's page of a day, a week or a month at a glance: the headline figures against the
// compared period (the same weekday last week, the week or the month before), sales by hour (by day for
// a week or a month) beside the compared period's, the tender mix and the categories as bars, the top
// products, the figures by cashier and the anomaly list. Today by default; PageUp and PageDown step a
// period, Up and Down switch between day, week and month. F9 saves what is shown as a PDF, F11 shows the
// X report, F12 closes the day with a Z report after asking; those two show the drawer.
type dayPage struct {
	office   *BackOffice
	reports  app.ReportService
	content  fyne.CanvasObject
	day      *KeyEntry
	period   app.Period
	periods  [3]*widget.Button // day, week, month
	kpis     *kpiTiles         // the headline figures, with their change against the compared period
	chartOf  *widget.Label     // "Sales by hour" or "Sales by day"
	chart    *barChart
	figures  *dataGrid
	cats     *dataGrid
	top      *dataGrid
	tenders  *dataGrid
	cashiers *dataGrid
	unusual  *dataGrid // the anomaly list
	alarms   *dataGrid // what the guard stopped
	shopRate *widget.Label
	drawer   *fyne.Container
	drawerOf *dataGrid
	note     notice
	showing  time.Time    // the first instant of the period shown
	anchor   time.Time    // the day asked for: a period chosen is the one holding it
	reportOf string       // "" for a period; "X" while the X report is shown
	shownZ   *app.ZReport // the Z report shown, for the PDF; nil for a period or an X report
	// shown and shownLast are the figures on the page (shownLast nil when not compared), and shownSoFar
	// the compared period up to now while the period is under way, for the PDF.
	shown      app.DaySummary
	shownLast  *app.DaySummary
	shownSoFar *app.DaySummary
	anomalies  []app.Anomaly
	alarmList  []app.Alarm // what the guard stopped in the period shown, for the PDF
	saving     bool        // a PDF is being written
}

func newDayPage(o *BackOffice, reports app.ReportService) *dayPage {
	figure := func(title string) gridColumn { return gridColumn{title: title, figure: true} }
	word := func(title string) gridColumn { return gridColumn{title: title} }
	pg := &dayPage{office: o, reports: reports, note: newNotice(o), kpis: newKPITiles(), chartOf: bold(""),
		chart:   newBarChart(func(v int64) string { return axisMoney(v, o.settings.Currency, o.language) }),
		figures: newDataGrid("", word(lang.L("Figure")), figure(lang.L("Value"))),
		cats:    newDataGrid(lang.L("No sales"), word(lang.L("Category")), word(""), figure(lang.L("Revenue")), figure(lang.L("Share"))),
		top:     newDataGrid(lang.L("No sales"), figure("#"), word(lang.L("Product")), figure(lang.L("Quantity")), figure(lang.L("Revenue"))),
		tenders: newDataGrid(lang.L("No payments"), word(lang.L("Tender")), word(""), figure(lang.L("Payments")),
			figure(lang.L("Amount")), figure(lang.L("Share"))),
		cashiers: newDataGrid(lang.L("No sales"), word(lang.L("Cashier")), figure(lang.L("Sales")), figure(lang.L("Revenue")),
			figure(lang.L("Refunds")), figure(lang.L("Voids")), figure(lang.L("After payment")), figure(lang.L("No-sales")),
			figure(lang.L("Discounts")), figure(lang.L("Approvals"))),
		unusual: newDataGrid(lang.L("No anomalies"), word(lang.L("Cashier")), word(lang.L("What")), figure(lang.L("Times")),
			figure(lang.L("Sales")), figure(lang.L("Per 100 sales")), figure(lang.L("Usual"))),
		alarms: newDataGrid(lang.L("The guard stopped nothing."), word(lang.L("Time")), word(lang.L("Cashier")), word(lang.L("What")),
			word(lang.L("Why")), word(lang.L("Approved by"))),
		shopRate: widget.NewLabel(lang.L("* the shop's usual rate: too little history of their own")),
		drawerOf: newDataGrid("", word(lang.L("Drawer")), figure(lang.L("Amount")))}
	pg.day = o.field("YYYY-MM-DD", func() { pg.load() })
	addKeys(pg.day, map[fyne.KeyName]func(){
		fyne.KeyPageUp:   func() { pg.step(-1) },
		fyne.KeyPageDown: func() { pg.step(+1) },
		fyne.KeyUp:       func() { pg.choose(max(pg.period-1, app.PeriodDay)) },
		fyne.KeyDown:     func() { pg.choose(min(pg.period+1, app.PeriodMonth)) },
		fyne.KeyF9:       pg.savePDF,
		fyne.KeyF11:      pg.xReport,
		fyne.KeyF12:      pg.closeDay,
	})
	for i, name := range []string{lang.L("Daily"), lang.L("Weekly"), lang.L("Monthly")} {
		pg.periods[i] = widget.NewButton(name, func() { pg.choose(app.Period(i)) })
	}
	pg.markPeriod()
	prev := widget.NewButtonWithIcon(lang.L("Before")+" (PgUp)", theme.NavigateBackIcon(), func() { pg.step(-1) })
	next := widget.NewButtonWithIcon(lang.L("After")+" (PgDn)", theme.NavigateNextIcon(), func() { pg.step(+1) })
	save := widget.NewButtonWithIcon(lang.L("Save PDF")+" (F9)", theme.DocumentSaveIcon(), pg.savePDF)
	x := widget.NewButtonWithIcon(lang.L("X report")+" (F11)", theme.DocumentIcon(), pg.xReport)
	z := widget.NewButtonWithIcon(lang.L("Close the day: Z report")+" (F12)", theme.ConfirmIcon(), pg.closeDay)
	z.Importance = widget.DangerImportance
	periods := container.NewHBox(touchSized(pg.periods[0]), touchSized(pg.periods[1]), touchSized(pg.periods[2]), widget.NewLabel("↑↓"))
	top := container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(periods, touchSized(prev)),
		container.NewHBox(touchSized(next), touchSized(save), touchSized(x), touchSized(z)), touchSized(pg.day)), pg.note)
	pg.shopRate.Hide()
	pg.drawer = container.NewVBox(bold(lang.L("Drawer")), pg.drawerOf.box)
	pg.drawer.Hide()
	columns := container.NewGridWithColumns(2,
		container.NewVBox(pg.chartOf, pg.chart, widget.NewSeparator(), bold(lang.L("Top products")), pg.top.box),
		container.NewVBox(bold(lang.L("Tenders")), pg.tenders.box, bold(lang.L("By category")), pg.cats.box,
			bold(lang.L("More figures")), pg.figures.box))
	body := container.NewVBox(pg.kpis.content, widget.NewSeparator(), columns, widget.NewSeparator(),
		bold(lang.L("Stopped by the guard")), pg.alarms.box,
		bold(lang.L("By cashier")), pg.cashiers.box, bold(lang.L("Anomalies")), pg.unusual.box, pg.shopRate, pg.drawer)
	pg.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
	return pg
}

// opened shows today the first time the page comes up.
func (pg *dayPage) opened() fyne.Focusable {
	if pg.showing.IsZero() {
		pg.load()
	}
	return pg.day
}

// choose shows the day, week or month holding the day shown.
func (pg *dayPage) choose(p app.Period) {
	pg.period = p
	pg.markPeriod()
	pg.load()
}

// markPeriod makes the button of the period shown stand out.
func (pg *dayPage) markPeriod() {
	for i, b := range pg.periods {
		b.Importance = widget.MediumImportance
		if app.Period(i) == pg.period {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
}

// step shows the period before or after the one shown.
func (pg *dayPage) step(n int) {
	if pg.showing.IsZero() {
		pg.showing, _ = pg.period.Bounds(pg.office.now())
	}
	pg.anchor = pg.period.Step(pg.showing, n)
	pg.day.SetText(pg.anchor.Format(time.DateOnly))
	pg.load()
}

// load shows the period holding the day typed, or today.
func (pg *dayPage) load() {
	now := pg.office.now()
	if pg.anchor.IsZero() {
		pg.anchor = now
	}
	// The field shows the period's first day; the day asked for stands until another is typed.
	if text := strings.TrimSpace(pg.day.Text); text != "" && (pg.showing.IsZero() || text != pg.showing.Format(time.DateOnly)) {
		d, err := time.ParseInLocation(time.DateOnly, text, now.Location())
		if err != nil {
			pg.note.say(lang.L("Type a day as YYYY-MM-DD."), widget.WarningImportance)
			return
		}
		pg.anchor = d
	}
	from, to := pg.period.Bounds(pg.anchor)
	page, err := pg.reports.DayPage(context.Background(), from, to)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.showing, pg.reportOf, pg.shownZ = from, "", nil
	pg.day.SetText(from.Format(time.DateOnly))
	pg.note.say(periodTitle(from, to, true), widget.MediumImportance)
	pg.show(page.Day, &page.Compared, page.ComparedSoFar, page.Anomalies)
	pg.showAlarms(page.Alarms)
}

// periodTitle names [from, to) as the page's notice and the PDF head it: the day and its weekday, or the
// first and last days, with the compared period's when compared.
func periodTitle(from, to time.Time, compared bool) string {
	days := func(from, to time.Time) string {
		last := to.AddDate(0, 0, -1)
		if !last.After(from) {
			return labels().Date(from)
		}
		return lang.L("{{.From}} to {{.To}}", map[string]any{"From": labels().Date(from), "To": labels().Date(last)})
	}
	if !compared {
		return days(from, to)
	}
	cf, ct := app.ComparedPeriod(from, to)
	return lang.L("{{.Period}}, beside {{.Compared}}", map[string]any{"Period": days(from, to), "Compared": days(cf, ct)})
}

// show fills the page with sum, compared with last when it is not nil (its headline figures with soFar
// when that is not nil: the period is under way), and its anomalies.
func (pg *dayPage) show(sum app.DaySummary, last, soFar *app.DaySummary, anomalies []app.Anomaly) {
	pg.shown, pg.shownLast, pg.shownSoFar, pg.anomalies = sum, last, soFar, anomalies
	pg.showAlarms(nil) // a period's are read with it (load); an X or Z report lists none
	f := func(a money.Amount) string { return money.Format(a, pg.office.language) }
	if soFar != nil {
		pg.kpis.show(sum, soFar, true, f)
	} else {
		pg.kpis.show(sum, last, false, f)
	}
	pg.showChart(sum, last)
	pg.figures.set([][]string{
		{lang.L("Items per basket"), money.FormatFixed(sum.ItemsPerBasket(), 2)},
		{lang.L("Discounts"), f(sum.Discounts)},
		{lang.L("Tax"), f(sum.Tax)},
		{lang.L("Voids"), fmt.Sprint(sum.Voids)},
		{lang.L("Top-ups"), fmt.Sprintf("%d · %s", sum.TopUps, f(sum.TopUpTotal))},
		{lang.L("Member sales"), money.FormatFixed(sum.MemberShareBP(), 2) + "%"},
		{lang.L("Cash expected"), f(sum.CashExpected())},
	})

	var texts [][]string
	var cells [][]fyne.CanvasObject
	var largest int64
	for _, c := range sum.ByCategory {
		largest = max(largest, c.Revenue.Minor())
	}
	for i, c := range sum.ByCategory {
		if i == 8 {
			break
		}
		row := []string{categoryName(c, pg.office.language), "", f(c.Revenue), share(c.Revenue.Minor(), sum.Revenue.Minor())}
		texts = append(texts, row)
		cells = append(cells, pg.cats.barRow(row, 1, newShareBar(c.Revenue.Minor(), largest)))
	}
	pg.cats.setCells(texts, cells)

	var top [][]string
	for i, p := range sum.TopProducts {
		top = append(top, []string{fmt.Sprint(i + 1), app.InLanguage(pg.office.language, p.Name, p.NameZH), quantityText(app.Line{Product: app.Product{Unit: p.Unit, PriceUnit: p.PriceUnit}, Qty: p.Qty}), f(p.Revenue)})
	}
	pg.top.set(top)

	paid, largest := int64(0), int64(0)
	for _, t := range sum.Tenders {
		paid += t.Amount.Minor()
		largest = max(largest, t.Amount.Minor())
	}
	texts, cells = nil, nil
	for _, t := range sum.Tenders {
		row := []string{labels().TenderKind(t.Kind), "", fmt.Sprint(t.Count), f(t.Amount), share(t.Amount.Minor(), paid)}
		texts = append(texts, row)
		cells = append(cells, pg.tenders.barRow(row, 1, newShareBar(t.Amount.Minor(), largest)))
	}
	pg.tenders.setCells(texts, cells)

	pg.cashiers.set(cashierRows(sum.ByCashier, f))
	rows, shopRate := anomalyRows(anomalies)
	pg.unusual.set(rows)
	pg.shopRate.Hidden = !shopRate
	pg.shopRate.Refresh()
	if d := drawerRows(sum.Drawer, f); d != nil {
		pg.drawerOf.set(d)
		pg.drawer.Show()
	} else {
		pg.drawer.Hide()
	}
}

// showAlarms lists what the guard stopped: when, who, by which rule and why, and who approved it.
func (pg *dayPage) showAlarms(alarms []app.Alarm) {
	pg.alarmList = alarms
	var rows [][]string
	for _, a := range alarms {
		rows = append(rows, []string{a.At.In(pg.office.now().Location()).Format("01-02 15:04"), labels().Cashier(a.Cashier),
			labels().AlarmKind(a.Kind), labels().Alarm(a), labels().ApprovedBy(a)})
	}
	pg.alarms.set(rows)
}

// categoryName is a category as the owner reads it, in their language; products without one are
// "Uncategorised".
func categoryName(c app.CategoryTotal, language string) string {
	if name := app.InLanguage(language, c.Category, c.CategoryZH); name != "" {
		return name
	}
	return lang.L("Uncategorised")
}

// showChart draws sales by hour of a day, or by day of a longer period, beside the compared period's.
func (pg *dayPage) showChart(sum app.DaySummary, last *app.DaySummary) {
	var slots []string
	var now, then []int64
	if len(sum.ByDay) > 1 {
		pg.chartOf.SetText(lang.L("Sales by day"))
		for i, d := range sum.ByDay {
			label := fmt.Sprint(d.Day.Day())
			if len(sum.ByDay) <= 7 {
				label = labels().Weekday(d.Day.Weekday())
			} else if i%2 == 1 {
				label = ""
			}
			slots, now = append(slots, label), append(now, d.Revenue.Minor())
			if last != nil && i < len(last.ByDay) {
				then = append(then, last.ByDay[i].Revenue.Minor())
			}
		}
	} else {
		pg.chartOf.SetText(lang.L("Sales by hour"))
		first, end := openHours(sum, last)
		for h := first; h < end; h++ {
			label := fmt.Sprint(h)
			if end-first > 14 && h%2 == 1 {
				label = ""
			}
			slots, now = append(slots, label), append(now, sum.ByHour[h].Revenue.Minor())
			if last != nil {
				then = append(then, last.ByHour[h].Revenue.Minor())
			}
		}
	}
	shown := []series{{name: periodName(sum.From, sum.To), values: now}}
	if last != nil {
		shown = append(shown, series{name: periodName(last.From, last.To), values: then})
	}
	pg.chart.set(slots, shown...)
}

// openHours is the span of hours the chart shows: the hours with sales in either period, and at least
// 8:00 to 20:00 so a quiet morning still reads as a day.
func openHours(sum app.DaySummary, last *app.DaySummary) (first, end int) {
	first, end = 8, 20
	for h := range 24 {
		if sum.ByHour[h].Sales > 0 || (last != nil && last.ByHour[h].Sales > 0) {
			first, end = min(first, h), max(end, h+1)
		}
	}
	return first, end
}

// periodName names a period in a chart's legend: its day, its month, or a week's first day.
func periodName(from, to time.Time) string {
	switch span := to.Sub(from); {
	case span <= 25*time.Hour:
		return labels().Date(from)
	case span > 8*24*time.Hour:
		return from.Format("2006-01")
	}
	return lang.L("from {{.Day}}", map[string]any{"Day": from.Format(time.DateOnly)})
}

// axisMoney writes an axis value, money in minor units, without a fraction of zeros: "¥1,500".
func axisMoney(v int64, c money.Currency, language string) string {
	s := money.Format(money.New(v, c), language)
	if v%c.MinorPerMajor() == 0 {
		for _, zeros := range []string{".00", ",00", ".0", ",0"} {
			if i := strings.Index(s, zeros); i >= 0 && (i+len(zeros) == len(s) || s[i+len(zeros)] == ' ') {
				return s[:i] + s[i+len(zeros):]
			}
		}
	}
	return s
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
	r := reportpdf.Report{Shop: pg.office.settings.Shop.Name, Summary: pg.shown, Compare: pg.shownLast, CompareSoFar: pg.shownSoFar, Anomalies: pg.anomalies, Alarms: pg.alarmList,
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
func saveReportPDF(r reportpdf.Report) (string, error) {
	dir, err := reportpdf.DocumentsDir()
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, reportpdf.FileName(r.Summary.From, r.Summary.To))
	return file, reportpdf.WriteFile(file, r)
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
	pg.show(sum, nil, nil, anomalies)
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
			pg.show(z.Summary, nil, nil, anomalies)
			if aerr != nil {
				pg.note.fail(aerr)
			}
		}, func() { o.win.Canvas().Focus(pg.day) })
}
