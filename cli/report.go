package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/reportpdf"
	"checkout/till"
)

// dateLayout is how report days are typed: YYYY-MM-DD, local time.
const dateLayout = "2006-01-02"

// xReport prints the figures since the last Z report, storing nothing.
func xReport(ctx context.Context, st *till.Store, c *call) error {
	if len(c.args) != 0 {
		return errors.New("x-report takes no arguments")
	}
	sum, err := st.XReport(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "X report (nothing stored), %s\n", period(sum))
	anomalies, err := st.Anomalies(ctx, sum)
	if err != nil {
		return err
	}
	return writeRows(c.stdout, append(summaryRows(sum), anomalyRows(anomalies)...), nil)
}

// zReport closes the day: the figures since the last Z report, stored and journaled, then printed.
func zReport(ctx context.Context, st *till.Store, c *call) error {
	if len(c.args) != 0 {
		return errors.New("z-report takes no arguments")
	}
	z, err := st.CloseDay(ctx, time.Now(), cliSession().Name())
	if err != nil {
		return err
	}
	by := ""
	if z.User != "" {
		by = " by " + z.User
	}
	fmt.Fprintf(c.stdout, "Z report %s (stored and journaled)%s, %s\njournal head %s\n", z.No, by, period(z.Summary), z.Head)
	anomalies, err := st.Anomalies(ctx, z.Summary)
	if err != nil {
		return fmt.Errorf("the Z report is stored, but its anomalies: %w", err)
	}
	return writeRows(c.stdout, append(summaryRows(z.Summary), anomalyRows(anomalies)...), nil)
}

func period(s app.DaySummary) string {
	return fmt.Sprintf("%s to %s", s.From.Local().Format(time.DateTime), s.To.Local().Format(time.DateTime))
}

// dayReport prints a day's summary beside the same weekday last week's, or the days -from to -to (both
// included) on their own, as text, CSV or a PDF file.
func dayReport(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	day := fs.String("day", "", "the day, YYYY-MM-DD (default today)")
	fromDay := fs.String("from", "", "first day, YYYY-MM-DD")
	toDay := fs.String("to", "", "last day, YYYY-MM-DD (included)")
	asCSV := fs.Bool("csv", false, "write CSV")
	pdfFile := fs.String("pdf", "", "write a PDF to this file")
	const how = "report takes [-day YYYY-MM-DD | -from YYYY-MM-DD -to YYYY-MM-DD] [-csv | -pdf FILE]"
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || (*asCSV && *pdfFile != "") ||
		(*day != "" && (*fromDay != "" || *toDay != "")) || ((*fromDay == "") != (*toDay == "")) {
		return errors.New(how)
	}
	var from, to time.Time
	var last *app.DaySummary
	if *fromDay != "" {
		var err error
		if from, err = time.ParseInLocation(dateLayout, *fromDay, time.Local); err != nil {
			return fmt.Errorf("-from %q: a date as YYYY-MM-DD", *fromDay)
		}
		lastDay, err := time.ParseInLocation(dateLayout, *toDay, time.Local)
		if err != nil || lastDay.Before(from) {
			return fmt.Errorf("-to %q: a day as YYYY-MM-DD on or after -from", *toDay)
		}
		// A range stands alone: a week earlier would overlap any range longer than a week.
		_, to = app.DayBounds(lastDay)
	} else {
		when := time.Now()
		if *day != "" {
			var err error
			if when, err = time.ParseInLocation(dateLayout, *day, time.Local); err != nil {
				return fmt.Errorf("-day %q: a date as YYYY-MM-DD", *day)
			}
		}
		from, to = app.DayBounds(when)
		lastFrom, lastTo := app.ComparedPeriod(from, to)
		sum, err := st.DaySummary(ctx, lastFrom, lastTo)
		if err != nil {
			return err
		}
		last = &sum
	}
	sum, err := st.DaySummary(ctx, from, to)
	if err != nil {
		return err
	}
	anomalies, err := st.Anomalies(ctx, sum)
	if err != nil {
		return err
	}
	if *pdfFile != "" {
		if err := writeReportPDF(ctx, st, *pdfFile, sum, last, anomalies); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "PDF report of %s written to %s\n", reportpdf.PeriodLabel(from, to), *pdfFile)
		return nil
	}
	rows := append(summaryRows(sum), anomalyRows(anomalies)...)
	var lastRows []reportRow
	if last != nil {
		lastRows = summaryRows(*last)
	}
	if *asCSV {
		return writeCSV(stdout, rows, lastRows)
	}
	if last == nil {
		fmt.Fprintln(stdout, reportpdf.PeriodLabel(from, to))
		return writeRows(stdout, rows, nil)
	}
	fmt.Fprintf(stdout, "%s (%s), beside %s\n", from.Format(dateLayout), from.Weekday(), last.From.Format(dateLayout))
	cmp := sum.Compare(*last)
	fmt.Fprintf(stdout, "revenue %s, sales %s, average basket %s, refunds %s against last week\n",
		percent(cmp.Revenue), percent(cmp.Sales), percent(cmp.AverageBasket), percent(cmp.Refunds))
	return writeRows(stdout, rows, lastRows)
}

// writeReportPDF writes sum (beside last when not nil) and its anomalies to file in the -lang language, in
// the system's fonts. A file half written is removed.
func writeReportPDF(ctx context.Context, st *till.Store, file string, sum app.DaySummary, last *app.DaySummary, anomalies []app.Anomaly) error {
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	return reportpdf.WriteFile(file, reportpdf.Report{Shop: set.Shop.Name, Summary: sum, Compare: last, Anomalies: anomalies,
		Language: lang.SystemLocale().LanguageString(), Translate: lang.L})
}

// percent shows a change as a signed percentage, or "new" when there was nothing to compare with.
func percent(c app.Change) string {
	switch {
	case c.HasPercent && c.PercentBP >= 0:
		return "+" + money.FormatFixed(c.PercentBP, 2) + "%"
	case c.HasPercent:
		return money.FormatFixed(c.PercentBP, 2) + "%"
	case c.Now == 0:
		return "±0"
	}
	return "new"
}

// reportRow is one figure of a summary: "tender", "cash", "123.45".
type reportRow struct{ figure, key, value string }

// summaryRows lists a summary's figures in the order they are printed. Hours with no sales are left out.
func summaryRows(s app.DaySummary) []reportRow {
	rows := []reportRow{
		{"sales", "", fmt.Sprint(s.Sales)},
		{"revenue", "", s.Revenue.Decimal()},
		{"net_revenue", "after refunds", s.NetRevenue().Decimal()},
		{"average_basket", "", s.AverageBasket().Decimal()},
		{"items_per_basket", "", money.FormatFixed(s.ItemsPerBasket(), 2)},
		{"discounts", "", s.Discounts.Decimal()},
		{"tax", "", s.Tax.Decimal()},
	}
	for _, r := range s.TaxByRate {
		rows = append(rows, reportRow{"tax", money.FormatFixed(r.RateBP, 2) + "%", r.Tax.Decimal()})
	}
	rows = append(rows, reportRow{"cash_rounding", "", s.Rounding.Decimal()})
	for _, t := range s.Tenders {
		rows = append(rows, reportRow{"tender", string(t.Kind), t.Amount.Decimal()}, reportRow{"tender_count", string(t.Kind), fmt.Sprint(t.Count)})
	}
	rows = append(rows, reportRow{"refunds", "", fmt.Sprint(s.Refunds)}, reportRow{"refund_total", "", s.RefundTotal.Decimal()})
	for _, t := range s.RefundsByKind {
		rows = append(rows, reportRow{"refund", string(t.Kind), t.Amount.Decimal()})
	}
	rows = append(rows, reportRow{"voids", "", fmt.Sprint(s.Voids)},
		reportRow{"topups", "", fmt.Sprint(s.TopUps)}, reportRow{"topup_total", "", s.TopUpTotal.Decimal()},
		reportRow{"cash_expected", "", s.CashExpected().Decimal()})
	if d := s.Drawer; d.Any() {
		rows = append(rows, reportRow{"shifts_closed", "", fmt.Sprint(d.Shifts)}, reportRow{"drawer", "floats", d.Floats.Decimal()},
			reportRow{"drawer", "cash in", d.CashIn.Decimal()}, reportRow{"drawer", "cash out", d.CashOut.Decimal()},
			reportRow{"drawer", "expected", d.Expected.Decimal()}, reportRow{"drawer", "counted", d.Counted.Decimal()},
			reportRow{"drawer", "over/short", d.OverShort.Decimal()})
		if d.Open {
			rows = append(rows, reportRow{"drawer", "open shift expected", d.OpenExpected.Decimal()})
		}
	}
	for _, c := range s.ByCashier {
		name := c.Cashier
		if name == "" {
			name = "(before users)"
		}
		rows = append(rows, reportRow{"cashier_sales", name, fmt.Sprint(c.Sales)},
			reportRow{"cashier_revenue", name, c.Revenue.Decimal()},
			reportRow{"cashier_refunds", name, fmt.Sprint(c.Refunds)},
			reportRow{"cashier_refund_total", name, c.RefundTotal.Decimal()},
			reportRow{"cashier_voids", name, fmt.Sprint(c.Voids)},
			reportRow{"cashier_voids_after_payment", name, fmt.Sprint(c.VoidsPaid)},
			reportRow{"cashier_no_sales", name, fmt.Sprint(c.NoSales)},
			reportRow{"cashier_discounted_sales", name, fmt.Sprint(c.Discounted)},
			reportRow{"cashier_discount_total", name, c.DiscountTotal.Decimal()},
			reportRow{"cashier_approvals", name, fmt.Sprint(c.Approvals)})
	}
	rows = append(rows,
		reportRow{"member_share", "of sales", money.FormatFixed(s.MemberShareBP(), 2) + "%"},
		reportRow{"member_share", "of revenue", money.FormatFixed(s.MemberRevenueShareBP(), 2) + "%"})
	for h, t := range s.ByHour {
		if t.Sales > 0 {
			rows = append(rows, reportRow{"hour", fmt.Sprintf("%02d:00", h), t.Revenue.Decimal()})
		}
	}
	for _, c := range s.ByCategory {
		name := c.Category
		if name == "" {
			name = "(none)"
		}
		rows = append(rows, reportRow{"category", name, c.Revenue.Decimal()})
	}
	for i, p := range s.TopProducts {
		rows = append(rows, reportRow{"top_product", fmt.Sprintf("%d %s %s × %s", i+1, p.SKU, p.Name, soldQty(p)), p.Revenue.Decimal()})
	}
	return rows
}

// anomalyRows lists the anomalies (app.FindAnomalies): "anomaly", "Ann refunds", "3 in 6 sales: 50.00 per
// 100 sales, usually 1.20", the usual rate marked "(shop)" when it is the whole shop's; one "anomalies",
// "none" row when there are none.
func anomalyRows(list []app.Anomaly) []reportRow {
	if len(list) == 0 {
		return []reportRow{{"anomalies", "", "none"}}
	}
	var rows []reportRow
	for _, a := range list {
		rate := "no sales"
		if a.Sales > 0 {
			rate = money.FormatFixed(a.Rate, 2) + " per 100 sales"
		}
		usual := "usually " + money.FormatFixed(a.UsualRate, 2)
		if a.Shop {
			usual += " (shop)"
		}
		rows = append(rows, reportRow{"anomaly", a.Cashier + " " + strings.ReplaceAll(string(a.Kind), "_", "-"),
			fmt.Sprintf("%d in %d sales: %s, %s", a.Count, a.Sales, rate, usual)})
	}
	return rows
}

// lastWeekValue finds the same figure in last week's rows; top products are ranks and anomalies are the
// day's own, neither comparable.
func lastWeekValue(r reportRow, last []reportRow) string {
	if r.figure == "top_product" || r.figure == "anomaly" || r.figure == "anomalies" {
		return ""
	}
	for _, l := range last {
		if l.figure == r.figure && l.key == r.key {
			return l.value
		}
	}
	return ""
}

// writeRows prints rows as aligned text, with last week's values beside them when last is not nil.
func writeRows(w io.Writer, rows, last []reportRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "figure\t\tvalue"
	if last != nil {
		header += "\tlast week"
	}
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		line := r.figure + "\t" + r.key + "\t" + r.value
		if last != nil {
			line += "\t" + lastWeekValue(r, last)
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

// writeCSV writes rows as CSV, with last week's values beside them; names in keys are text cells.
func writeCSV(w io.Writer, rows, last []reportRow) error {
	cw, _ := app.NewCSVWriter(w, []string{"figure", "key", "value", "same_weekday_last_week"}, "value", "same_weekday_last_week")
	for _, r := range rows {
		_ = cw.Write(r.figure, r.key, r.value, lastWeekValue(r, last))
	}
	return cw.Flush()
}

// exportSales writes one CSV row per sold line of the days -from to -to (both included), as it reads them.
func exportSales(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
	fs := flag.NewFlagSet("export-sales", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fromDay := fs.String("from", "", "first day, YYYY-MM-DD")
	toDay := fs.String("to", "", "last day, YYYY-MM-DD (included)")
	const how = "export-sales takes -from YYYY-MM-DD -to YYYY-MM-DD [FILE]"
	if err := fs.Parse(args); err != nil || fs.NArg() > 1 || *fromDay == "" || *toDay == "" {
		return errors.New(how)
	}
	from, err := time.ParseInLocation(dateLayout, *fromDay, time.Local)
	if err != nil {
		return fmt.Errorf("-from %q: %s", *fromDay, how)
	}
	last, err := time.ParseInLocation(dateLayout, *toDay, time.Local)
	if err != nil || last.Before(from) {
		return fmt.Errorf("-to %q: a day on or after -from", *toDay)
	}
	_, to := app.DayBounds(last)

	out, file := stdout, fs.Arg(0)
	var f *os.File
	if file != "" {
		if f, err = os.Create(file); err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	cw, _ := app.NewCSVWriter(bw, []string{"receipt", "time", "sku", "name", "qty", "unit_price", "total", "tax", "tenders", "unit"},
		"qty", "unit_price", "total", "tax")
	n := 0
	err = st.EachSoldLine(ctx, from, to, func(l app.SoldLine) error {
		n++
		return cw.Write(l.ReceiptNo, l.At.Local().Format(time.RFC3339), l.SKU, l.Name, l.Qty.Format(l.Unit),
			l.UnitPrice.Decimal(), l.Total.Decimal(), l.Tax.Decimal(), l.Tenders,
			app.Product{Unit: l.Unit, PriceUnit: l.PriceUnit}.UnitCode()) // what unit_price is for: kg, jin (斤), 100g, piece
	})
	if err != nil {
		return fmt.Errorf("export-sales: %w", err)
	}
	if err := errors.Join(cw.Flush(), bw.Flush()); err != nil {
		return fmt.Errorf("export-sales: %w", err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d sale lines written to %s\n", n, file)
	}
	return nil
}

// pastZReports lists the stored Z reports (`z-reports [N]`) or prints one as it was stored
// (`z-reports T01-Z0001`): a closed day is read back, never recomputed. The journal head beside it is its
// journal row as the journal holds it now: compared with the one printed on the day, it shows whether
// the journal was rewritten since.
func pastZReports(ctx context.Context, st *till.Store, c *call) error {
	args, stdout := c.args, c.stdout
	if len(args) > 1 {
		return errors.New("z-reports takes at most one argument: how many to list, or a Z number")
	}
	limit := 30
	if len(args) == 1 {
		if _, err := fmt.Sscan(args[0], &limit); err != nil || limit <= 0 {
			z, err := st.ZReportByNo(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Z report %s by %s, %s to %s, as stored; journal head %s:\n", z.No, z.User,
				z.From.Local().Format("2006-01-02 15:04"), z.To.Local().Format("2006-01-02 15:04"), z.Head)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, []byte(z.Document), "", "  "); err != nil {
				return err
			}
			_, err = fmt.Fprintln(stdout, pretty.String())
			return err
		}
	}
	zs, err := st.ZReports(ctx, limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Z\tFROM\tTO\tSALES\tREVENUE\tREFUNDS\tCASH EXPECTED\tBY\tJOURNAL HEAD\t")
	for _, z := range zs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", z.No, z.From.Local().Format("2006-01-02 15:04"),
			z.To.Local().Format("2006-01-02 15:04"), z.Sales, z.Revenue.Decimal(), z.RefundTotal.Decimal(), z.CashExpected.Decimal(), z.User, z.Head)
	}
	return w.Flush()
}

// soldQty is a top product's quantity: "3", "0.455" (kg) as before, and for a product priced per 斤 or
// 100 g in that unit, named ("1.5 jin", "250 g"), so it is not read as kilograms.
func soldQty(t app.ProductTotal) string {
	p := app.Product{Unit: t.Unit, PriceUnit: t.PriceUnit}
	if t.PriceUnit != app.PerUnit {
		return t.Qty.FormatSold(p) + " " + p.SoldIn()
	}
	return t.Qty.FormatSold(p)
}
