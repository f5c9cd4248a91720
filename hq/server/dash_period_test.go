package server_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
	"checkout/hq/hqtest"
)

// sums are what a shop's uploaded documents hold of [from, to).
type sums struct {
	revenue, refunded money.Amount
	sales, refunds    int64
	byDay             map[string]money.Amount // by local date, YYYY-MM-DD
}

func (e *expected) in(from, to time.Time) sums {
	z := money.Zero(money.CNY)
	s := sums{revenue: z, refunded: z, byDay: map[string]money.Amount{}}
	for _, d := range e.log {
		if d.at.Before(from) || !d.at.Before(to) {
			continue
		}
		if d.sale != nil {
			s.sales++
			s.revenue = s.revenue.Add(amount(d.sale.Total))
			addTo(s.byDay, d.at.In(time.Local).Format(time.DateOnly), amount(d.sale.Total))
		} else {
			s.refunds++
			s.refunded = s.refunded.Add(amount(d.refund.Total))
		}
	}
	return s
}

func (s sums) day(t time.Time) money.Amount {
	if a, ok := s.byDay[t.Format(time.DateOnly)]; ok {
		return a
	}
	return money.Zero(money.CNY)
}

// productTotal is what the tills sold of a product in a period, across shops.
type productTotal struct {
	qty     int64
	revenue money.Amount
	shops   map[string]bool
}

func productsIn(want map[string]*expected, from, to time.Time) map[string]*productTotal {
	out := map[string]*productTotal{}
	for shop, e := range want {
		for _, d := range e.log {
			if d.sale == nil || d.at.Before(from) || !d.at.Before(to) {
				continue
			}
			for _, l := range d.sale.Lines {
				p := out[l.SKU]
				if p == nil {
					p = &productTotal{revenue: money.Zero(money.CNY), shops: map[string]bool{}}
					out[l.SKU] = p
				}
				var q int64
				fmt.Sscan(l.Qty, &q)
				p.qty += q
				p.revenue = p.revenue.Add(amount(l.Total))
				p.shops[shop] = true
			}
		}
	}
	return out
}

// The chain's and a shop's week and month are the uploaded documents of the calendar week (Monday to
// Sunday) and month holding the date asked for, each set against the week or month before, as the till's
// own page sets them (app.Period, app.ComparedPeriod); the shop's chart is by day, day against day; the
// arrows step a whole period; the CSV is the period's.
func TestDashboardWeekAndMonthEqualUploads(t *testing.T) {
	h := hqtest.StartHQ(t)
	want := chainFixture(t, h)
	d := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	week := time.Date(2026, 3, 9, 0, 0, 0, 0, time.Local) // dashDay is Thursday 12 March 2026
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		period           string
		from, to         time.Time
		cfrom, cto       time.Time
		title, prev, nxt string
	}{
		{"week", week, week.AddDate(0, 0, 7), week.AddDate(0, 0, -7), week, "Chain&#39;s week", "2026-03-02", "2026-03-16"},
		{"month", month, month.AddDate(0, 1, 0), month.AddDate(0, -1, 0), month, "Chain&#39;s month", "2026-02-01", "2026-04-01"},
	} {
		q := "?period=" + tt.period + "&date=" + dashDay.Format(time.DateOnly)
		status, page, _ := d.get("/dash/" + q)
		if status != 200 || !strings.Contains(page, tt.title) {
			t.Fatalf("%s: %d %s", tt.period, status, page)
		}
		total, then := money.Zero(money.CNY), money.Zero(money.CNY)
		var sales int64
		for shop, e := range want {
			now, before := e.in(tt.from, tt.to), e.in(tt.cfrom, tt.cto)
			if shop == "north" && (now.sales == e.sales || before.sales == 0) {
				t.Fatalf("%s: the fixture has nothing beyond the days to tell the periods from them", tt.period)
			}
			for name, v := range map[string]string{"revenue": yuan(now.revenue), "sales": fmt.Sprint(now.sales), "refunds": yuan(now.refunded)} {
				if got := figure(t, page, shop, name); !strings.HasPrefix(got, v) {
					t.Errorf("%s %s %s: %q, want %q", tt.period, shop, name, got, v)
				}
			}
			total, then, sales = total.Add(now.revenue), then.Add(before.revenue), sales+now.sales
		}
		if got := figure(t, page, "", "revenue"); got != yuan(total) {
			t.Errorf("%s total: %q, want %s", tt.period, got, yuan(total))
		}
		if !strings.Contains(page, "vs "+yuan(then)) {
			t.Errorf("%s: not set against the period before's %s", tt.period, yuan(then))
		}
		for _, step := range []string{tt.prev, tt.nxt} {
			if !regexp.MustCompile(`class="step" href="/dash/\?date=` + step + `&amp;period=` + tt.period + `"`).MatchString(page) {
				t.Errorf("%s: no step to %s", tt.period, step)
			}
		}

		// The shop's period, by day against the period before's same day.
		e := want["north"]
		_, shop, _ := d.get("/dash/shops/north" + q)
		now, before := e.in(tt.from, tt.to), e.in(tt.cfrom, tt.cto)
		if !strings.Contains(shop, `<p class="big" data-figure="revenue">`+yuan(now.revenue)+`<`) {
			t.Errorf("%s: the shop's revenue is not %s", tt.period, yuan(now.revenue))
		}
		rows := regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td>\d+</td><td>([^<]+)</td>`).FindAllStringSubmatch(shop, -1)
		if days := int(tt.to.Sub(tt.from).Hours()/24 + 0.5); len(rows) != days {
			t.Fatalf("%s: %d rows in the chart's table, want a row a day (%d)", tt.period, len(rows), days)
		}
		for i, r := range rows {
			day, cday := tt.from.AddDate(0, 0, i), tt.cfrom.AddDate(0, 0, i)
			wantThen := before.day(cday)
			if !cday.Before(tt.cto) {
				wantThen = money.Zero(money.CNY) // the month before had fewer days
			}
			if r[1] != day.Format("Mon 2 Jan") || r[2] != yuan(now.day(day)) || r[3] != yuan(wantThen) {
				t.Errorf("%s day %d: %q, want %s %s against %s", tt.period, i, r[1:], day.Format("Mon 2 Jan"), yuan(now.day(day)), yuan(wantThen))
			}
		}
		if !strings.Contains(shop, "Sales by day") {
			t.Errorf("%s: the chart is not by day", tt.period)
		}

		// The CSV of the period.
		status, body, hdr := d.get("/dash/export.csv" + q)
		name := fmt.Sprintf(`attachment; filename="chain-%s-%s.csv"`, tt.period, tt.from.Format(time.DateOnly))
		if status != 200 || hdr.Get("Content-Disposition") != name {
			t.Fatalf("%s export: %d %v", tt.period, status, hdr)
		}
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range records[1:] {
			if r[1] != "north" {
				continue
			}
			if r[3] != now.revenue.Decimal() || r[8] != before.revenue.Decimal() || r[11] != tt.period || r[12] != tt.cfrom.Format(time.DateOnly) {
				t.Errorf("%s export's north row: %q", tt.period, r)
			}
		}
	}
	for _, bad := range []string{"/dash/?period=year", "/dash/shops/north?period=Week", "/dash/export.csv?period=days"} {
		if status, _, _ := d.get(bad); status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, status)
		}
	}
}

// The chain's page ranks the products sold across the shops the user sees: quantity, revenue and in how
// many shops, as the uploaded sales' lines sum them; a manager's ranking holds only their shops' sales.
func TestDashboardTopProductsAcrossShops(t *testing.T) {
	h := hqtest.StartHQ(t)
	want := chainFixture(t, h)
	from, to := dashDay, dashDay.AddDate(0, 0, 1)
	check := func(d *dashClient, shops map[string]*expected, period string, from, to time.Time) {
		t.Helper()
		_, page, _ := d.get("/dash/?period=" + period + "&date=" + dashDay.Format(time.DateOnly))
		table := regexp.MustCompile(`(?s)<table class="figures" id="chain-products">.*?</table>`).FindString(page)
		ps := productsIn(shops, from, to)
		skus := make([]string, 0, len(ps))
		for sku := range ps {
			skus = append(skus, sku)
		}
		sort.Slice(skus, func(i, j int) bool { return ps[skus[i]].revenue.Minor() > ps[skus[j]].revenue.Minor() })
		got := regexp.MustCompile(`<tr data-sku="([^"]*)">`).FindAllStringSubmatch(table, -1)
		if len(got) != len(skus) || len(got) > 0 && got[0][1] != template(skus[0]) {
			t.Fatalf("%s: products %q, want %q by revenue", period, got, skus)
		}
		for sku, p := range ps {
			row := regexp.MustCompile(`(?s)<tr data-sku="` + regexp.QuoteMeta(template(sku)) + `">.*?</tr>`).FindString(table)
			cell := func(name string) string {
				m := regexp.MustCompile(`data-figure="` + name + `">([^<]*)<`).FindStringSubmatch(row)
				if m == nil {
					return ""
				}
				return m[1]
			}
			if cell("qty") != fmt.Sprint(p.qty) || cell("revenue") != yuan(p.revenue) || cell("shops") != fmt.Sprint(len(p.shops)) {
				t.Errorf("%s %s: %s %s %s, want %d %s %d", period, sku, cell("qty"), cell("revenue"), cell("shops"), p.qty, yuan(p.revenue), len(p.shops))
			}
		}
	}
	boss := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	check(boss, want, "day", from, to)
	if ps := productsIn(want, from, to); len(ps["RCE-005"].shops) != 2 {
		t.Fatal("the fixture sells no product in both shops")
	}
	check(boss, want, "month", time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local), time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local))
	lee := signedIn(t, h, "lee", addUser(t, h, "lee", "manager", "north"))
	check(lee, map[string]*expected{"north": want["north"]}, "day", from, to)
}
