package ui

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/money"
)

// The rows of the owner's page's grids by cashier, of anomalies and of the drawer.

// cashierRows is each cashier's sales, revenue, refunds, voids, voids after payment, no-sales, discounted
// sales and approvals.
func cashierRows(rows []app.CashierTotal, f func(money.Amount) string) [][]string {
	var out [][]string
	for _, r := range rows {
		out = append(out, []string{labels().Cashier(r.Cashier), fmt.Sprint(r.Sales), f(r.Revenue),
			fmt.Sprintf("%d · %s", r.Refunds, f(r.RefundTotal)), fmt.Sprint(r.Voids), fmt.Sprint(r.VoidsPaid), fmt.Sprint(r.NoSales),
			fmt.Sprintf("%d · %s", r.Discounted, f(r.DiscountTotal)), fmt.Sprint(r.Approvals)})
	}
	return out
}

// anomalyRows is who, what, how many in how many sales, the rate per 100 sales and the usual rate
// (marked * when it is the shop's, which shopRate then says).
func anomalyRows(list []app.Anomaly) (rows [][]string, shopRate bool) {
	for _, a := range list {
		rate, usual := labels().AnomalyRates(a)
		shopRate = shopRate || a.Shop
		rows = append(rows, []string{labels().Cashier(a.Cashier), labels().AnomalyKind(a.Kind), fmt.Sprint(a.Count), fmt.Sprint(a.Sales), rate, usual})
	}
	return rows, shopRate
}

// drawerRows is the cash reconciliation of an X or Z report's shifts; nil when there were none.
func drawerRows(d app.Drawer, f func(money.Amount) string) [][]string {
	if !d.Any() {
		return nil
	}
	rows := [][]string{
		{lang.L("Shifts closed"), fmt.Sprint(d.Shifts)},
		{lang.L("Floats"), f(d.Floats)},
		{lang.L("Cash in"), f(d.CashIn)},
		{lang.L("Cash out"), f(d.CashOut)},
		{lang.L("Expected"), f(d.Expected)},
		{lang.L("Counted"), f(d.Counted)},
		{lang.L("Over/short"), f(d.OverShort)},
	}
	if d.Open {
		rows = append(rows, []string{lang.L("Open shift expected"), f(d.OpenExpected)})
	}
	return rows
}
