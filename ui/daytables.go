package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/money"
)

// The day page's figures by cashier, its anomaly list and its drawer figures, as the text of monospace
// labels: columns are padded by display width, so Chinese headers line up too.

// cashierTable lists each cashier's sales, refunds, voids, no-sales, discounted sales and approvals.
func cashierTable(rows []app.CashierTotal, f func(money.Amount) string) string {
	if len(rows) == 0 {
		return lang.L("No sales")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %6s %12s %16s %6s %8s %8s %16s %9s\n", column(lang.L("Cashier"), 16), right(lang.L("Sales"), 6),
		right(lang.L("Revenue"), 12), right(lang.L("Refunds"), 16), right(lang.L("Voids"), 6), right(lang.L("After payment"), 8),
		right(lang.L("No-sales"), 8), right(lang.L("Discounts"), 16), right(lang.L("Approvals"), 9))
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %6d %12s %16s %6d %8d %8d %16s %9d\n", column(labels().Cashier(r.Cashier), 16), r.Sales, f(r.Revenue),
			fmt.Sprintf("%d · %s", r.Refunds, f(r.RefundTotal)), r.Voids, r.VoidsPaid, r.NoSales,
			fmt.Sprintf("%d · %s", r.Discounted, f(r.DiscountTotal)), r.Approvals)
	}
	return strings.TrimRight(b.String(), "\n")
}

// anomalyTable lists the anomalies: who, what, how many in how many sales, the rate per 100 sales and
// the usual rate (marked * when it is the shop's).
func anomalyTable(list []app.Anomaly) string {
	if len(list) == 0 {
		return lang.L("No anomalies")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %6s %6s %14s %14s\n", column(lang.L("Cashier"), 16), column(lang.L("What"), 10), right(lang.L("Times"), 6),
		right(lang.L("Sales"), 6), right(lang.L("Per 100 sales"), 14), right(lang.L("Usual"), 14))
	shop := false
	for _, a := range list {
		rate, usual := labels().AnomalyRates(a)
		shop = shop || a.Shop
		fmt.Fprintf(&b, "%s %s %6d %6d %14s %14s\n", column(labels().Cashier(a.Cashier), 16), column(labels().AnomalyKind(a.Kind), 10), a.Count,
			a.Sales, rate, usual)
	}
	if shop {
		b.WriteString(lang.L("* the shop's usual rate: too little history of their own") + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// drawerTable shows the cash reconciliation of an X or Z report's shifts; "" when there were none.
func drawerTable(d app.Drawer, f func(money.Amount) string) string {
	if !d.Any() {
		return ""
	}
	rows := [][2]string{
		{lang.L("Shifts closed"), fmt.Sprint(d.Shifts)},
		{lang.L("Floats"), f(d.Floats)},
		{lang.L("Cash in"), f(d.CashIn)},
		{lang.L("Cash out"), f(d.CashOut)},
		{lang.L("Expected"), f(d.Expected)},
		{lang.L("Counted"), f(d.Counted)},
		{lang.L("Over/short"), f(d.OverShort)},
	}
	if d.Open {
		rows = append(rows, [2]string{lang.L("Open shift expected"), f(d.OpenExpected)})
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s %12s\n", column(r[0], 22), r[1])
	}
	return strings.TrimRight(b.String(), "\n")
}
