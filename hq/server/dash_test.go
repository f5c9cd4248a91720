package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// dashDay is the day the dashboard tests sell on, in the server's time zone (the test's).
var dashDay = time.Date(2026, 3, 12, 0, 0, 0, 0, time.Local)

// tillDocs builds a till's documents in its journal's order: sales, refunds and alarms.
type tillDocs struct {
	till string
	n    int64 // receipt numbers and journal rows used
	refs int64 // refund numbers used
	docs []api.Document
	// sold remembers each sale for its refunds.
	sold map[string]document.Sale
}

func newTillDocs(till string) *tillDocs {
	return &tillDocs{till: till, sold: map[string]document.Sale{}}
}

func (d *tillDocs) id() string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", len(d.docs)+1, time.Now().UnixNano()&0xffffffffffff)
}

type soldLine struct {
	sku, name, nameZH string
	qty               int64
	price             string
}

// sale adds a sale at at: its lines (tax-free, no discount), paid whole by one tender of kind.
func (d *tillDocs) sale(at time.Time, kind string, lines ...soldLine) document.Sale {
	d.n++
	cur := money.CNY
	total := money.Zero(cur)
	var ls []document.Line
	var items int64
	for i, l := range lines {
		p, err := money.Parse(l.price, cur)
		if err != nil {
			panic(err)
		}
		t := money.New(p.Minor()*l.qty, cur)
		total = total.Add(t)
		items += l.qty
		ls = append(ls, document.Line{ProductID: int64(i + 1), SKU: l.sku, Name: l.name, NameZH: l.nameZH, Qty: fmt.Sprint(l.qty),
			Unit: "piece", UnitPrice: p.Decimal(), Gross: t.Decimal(), Discount: "0.00", Total: t.Decimal(), TaxClass: "zero", Tax: "0.00"})
	}
	ts := at.Format(time.RFC3339Nano)
	s := document.Sale{ID: d.id(), Till: d.till, Number: d.n, ReceiptNo: fmt.Sprintf("%s-%06d", d.till, d.n), OpenedAt: ts, CompletedAt: ts,
		Currency: "CNY", TaxMode: "inclusive", Subtotal: total.Decimal(), Discount: "0.00", Tax: "0.00", Total: total.Decimal(),
		Rounding: "0.00", ItemCount: items, Paid: total.Decimal(), Change: "0.00", Lines: ls,
		Tenders: []document.Tender{{Kind: kind, Amount: total.Decimal(), Tendered: total.Decimal(), Change: "0.00"}}}
	body, _ := json.Marshal(s)
	d.docs = append(d.docs, api.Document{ID: s.ID, Kind: document.KindSale, Version: document.Version, Seq: int64(len(d.docs) + 1), At: at, Body: body})
	d.sold[s.ReceiptNo] = s
	return s
}

// refund gives back the whole of the first line of sale, in cash, at at.
func (d *tillDocs) refund(s document.Sale, at time.Time) document.Refund {
	d.refs++
	l := s.Lines[0]
	qty, _ := money.ParseFixed(l.Qty, 0)
	r := document.Refund{ID: d.id(), Till: d.till, Number: d.refs, ReceiptNo: fmt.Sprintf("%s-R%06d", d.till, d.refs), SaleReceipt: s.ReceiptNo,
		At: at.Format(time.RFC3339Nano), Currency: "CNY", Reason: "damaged", Total: l.Total, Tax: "0.00", Rounding: "0.00",
		Tender: document.Tender{Kind: "cash", Amount: l.Total, Tendered: l.Total, Change: "0.00"},
		Lines:  []document.RefundLine{{LineNo: 1, Qty: qty * 1000, Total: l.Total, Tax: "0.00"}}}
	body, _ := json.Marshal(r)
	d.docs = append(d.docs, api.Document{ID: r.ID, Kind: document.KindRefund, Version: document.Version, Seq: int64(len(d.docs) + 1), At: at, Body: body})
	return r
}

func (d *tillDocs) alarm(at time.Time, rule, cashier, action string) {
	a := document.Alarm{ID: d.id(), Till: d.till, Rule: rule, Cashier: cashier, At: at.Format(time.RFC3339Nano), Action: action}
	body, _ := json.Marshal(a)
	d.docs = append(d.docs, api.Document{ID: a.ID, Kind: document.KindAlarm, Version: document.Version, Seq: int64(len(d.docs) + 1), At: at, Body: body})
}

// upload sends the documents as the till's uploader would, and checks the head office stored them all.
func (d *tillDocs) upload(t testing.TB, h *hqtest.HQ, shop string) {
	t.Helper()
	cfg := h.Enrol(shop, d.till)
	cfg.Version = "1.4.2"
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := c.Upload(context.Background(), api.UploadRequest{Pending: int64(len(d.docs)), Documents: d.docs})
	if err != nil || len(reply.Stored) != len(d.docs) {
		t.Fatalf("upload to %s: %+v, %v", shop, reply, err)
	}
}

// expected sums what the documents hold of a day, per shop: what the dashboard must show.
type expected struct {
	revenue, refunded money.Amount
	sales, refunds    int64
	weekRevenue       money.Amount
	weekSales         int64
	tenders           map[string]money.Amount
	products          map[string]money.Amount // by SKU
	hours, weekHours  map[int]money.Amount
	alarmActions      []string
	tillNames         []string
	otherDays         int // sales on days no figure may count
	// log is every sale and refund the shop's tills uploaded, whatever its day, for the figures of any
	// period (dash_period_test.go).
	log []loggedDoc
}

// loggedDoc is an uploaded sale or refund.
type loggedDoc struct {
	at     time.Time
	sale   *document.Sale
	refund *document.Refund
}

func newExpected() *expected {
	z := money.Zero(money.CNY)
	return &expected{revenue: z, refunded: z, weekRevenue: z, tenders: map[string]money.Amount{}, products: map[string]money.Amount{},
		hours: map[int]money.Amount{}, weekHours: map[int]money.Amount{}}
}

func amount(s string) money.Amount {
	a, err := money.Parse(s, money.CNY)
	if err != nil {
		panic(err)
	}
	return a
}

func addTo[K comparable](m map[K]money.Amount, k K, a money.Amount) {
	if _, ok := m[k]; !ok {
		m[k] = money.Zero(a.Currency())
	}
	m[k] = m[k].Add(a)
}

func (e *expected) sold(s document.Sale, at time.Time) {
	e.log = append(e.log, loggedDoc{at: at, sale: &s})
	switch day := at.In(time.Local); {
	case !day.Before(dashDay) && day.Before(dashDay.AddDate(0, 0, 1)):
		e.sales++
		e.revenue = e.revenue.Add(amount(s.Total))
		for _, t := range s.Tenders {
			addTo(e.tenders, t.Kind, amount(t.Amount))
		}
		for _, l := range s.Lines {
			addTo(e.products, l.SKU, amount(l.Total))
		}
		addTo(e.hours, day.Hour(), amount(s.Total))
	case !day.Before(dashDay.AddDate(0, 0, -7)) && day.Before(dashDay.AddDate(0, 0, -6)):
		e.weekSales++
		e.weekRevenue = e.weekRevenue.Add(amount(s.Total))
		addTo(e.weekHours, day.Hour(), amount(s.Total))
	default:
		e.otherDays++
	}
}

func (e *expected) refund(r document.Refund) {
	e.logRefund(r)
	e.refunds++
	e.refunded = e.refunded.Add(amount(r.Total))
}

// logRefund notes a refund for the figures of other periods than the day's.
func (e *expected) logRefund(r document.Refund) {
	at, err := time.Parse(time.RFC3339Nano, r.At)
	if err != nil {
		panic(err)
	}
	e.log = append(e.log, loggedDoc{at: at, refund: &r})
}

// basket is the day's average sale as the dashboard rounds it (half-even).
func (e *expected) basket() money.Amount {
	if e.sales == 0 {
		return money.Zero(money.CNY)
	}
	v, _ := money.MulDiv(e.revenue.Minor(), 1, e.sales)
	return money.New(v, money.CNY)
}

// chainFixture uploads a day of two shops' sales (and the same weekday a week before, and the day after,
// which no figure may count), refunds and alarms, and returns what each shop's figures must be.
func chainFixture(t testing.TB, h *hqtest.HQ) map[string]*expected {
	t.Helper()
	at := func(days, hour, minute int) time.Time {
		return dashDay.AddDate(0, 0, days).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	cola := soldLine{"DRK-001", "Cola 330ml", "可乐 330毫升", 2, "3.50"}
	rice := soldLine{"RCE-005", "Jasmine rice 5kg", "茉莉香米 5公斤", 1, "49.90"}
	tea := soldLine{"TEA-100", "Green tea", "绿茶", 3, "4.20"}
	soap := soldLine{"=HYPERLINK(\"x\")", "Soap", "", 1, "6.00"}
	want := map[string]*expected{"north": newExpected(), "-south": newExpected()}

	n := newTillDocs("T01")
	e := want["north"]
	for _, s := range []struct {
		days, hour, min int
		kind            string
		lines           []soldLine
	}{
		{0, 8, 15, "cash", []soldLine{cola, rice}},
		{0, 9, 5, "card", []soldLine{tea}},
		{0, 9, 40, "qr", []soldLine{rice, tea, cola}},
		{0, 13, 0, "cash", []soldLine{cola}},
		{0, 23, 59, "wallet", []soldLine{soap}},
		{-7, 9, 30, "cash", []soldLine{rice}},
		{-7, 17, 30, "card", []soldLine{tea, cola}},
		{1, 0, 0, "cash", []soldLine{rice, rice}},
		{-1, 23, 59, "cash", []soldLine{tea}},
		{-28, 10, 0, "card", []soldLine{rice, tea}}, // the month before's
	} {
		when := at(s.days, s.hour, s.min)
		e.sold(n.sale(when, s.kind, s.lines...), when)
	}
	first := n.sold["T01-000001"]
	e.refund(n.refund(first, at(0, 10, 0)))
	e.logRefund(n.refund(n.sold["T01-000006"], at(-6, 9, 0))) // the day after last week's: counted on no day's page
	n.alarm(at(0, 10, 0), "refunds", "Li Na", "refund T01-R000001")
	e.alarmActions = append(e.alarmActions, "refund T01-R000001")
	n.upload(t, h, "north")
	n2 := newTillDocs("T02")
	when := at(0, 18, 30)
	e.sold(n2.sale(when, "cash", tea, tea), when)
	n2.upload(t, h, "north")
	e.tillNames = []string{"T01", "T02"}

	s := newTillDocs("T01")
	e = want["-south"]
	for _, x := range []struct {
		days, hour int
		lines      []soldLine
	}{{0, 11, []soldLine{rice}}, {0, 12, []soldLine{tea}}, {-7, 12, []soldLine{rice, rice, tea}}} {
		when := at(x.days, x.hour, 0)
		e.sold(s.sale(when, "cash", x.lines...), when)
	}
	s.alarm(at(0, 12, 30), "no_sales", "Wang Wei", "SOUTH-SECRET-ALARM")
	e.alarmActions = append(e.alarmActions, "SOUTH-SECRET-ALARM")
	s.upload(t, h, "-south")
	e.tillNames = []string{"T01"}
	return want
}

// dashClient is a browser of the dashboard: cookies kept, redirects not followed.
type dashClient struct {
	t    testing.TB
	h    *hqtest.HQ
	c    *http.Client
	csrf string // the last page's form token
}

func newDashClient(t testing.TB, h *hqtest.HQ) *dashClient {
	jar, _ := cookiejar.New(nil)
	c := *h.HTTPClient() // the test server's one client, copied: its transport shared, a jar of its own
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &dashClient{t: t, h: h, c: &c}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (d *dashClient) do(req *http.Request) (int, string, http.Header) {
	d.t.Helper()
	resp, err := d.c.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		d.csrf = string(m[1])
	}
	return resp.StatusCode, string(b), resp.Header
}

func (d *dashClient) get(path string, header ...string) (int, string, http.Header) {
	d.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, d.h.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return d.do(req)
}

// post sends a form as the dashboard's own page would (same origin), with header's pairs set on top.
func (d *dashClient) post(path string, form url.Values, header ...string) (int, string, http.Header) {
	d.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, d.h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", d.h.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return d.do(req)
}

// signIn signs in with the code of the authenticator at at.
func (d *dashClient) signIn(name, password, secret string, at time.Time) (int, string) {
	d.t.Helper()
	d.get("/dash/signin")
	code, err := app.TOTPCode(secret, at)
	if err != nil {
		d.t.Fatal(err)
	}
	status, body, _ := d.post("/dash/signin", url.Values{"csrf": {d.csrf}, "name": {name}, "password": {password}, "code": {code}})
	return status, body
}

const dashPassword = "correct horse battery"

func addUser(t testing.TB, h *hqtest.HQ, name, role string, shops ...string) string {
	t.Helper()
	e, err := h.Server.AddDashUser(context.Background(), name, role, dashPassword, shops)
	if err != nil {
		t.Fatal(err)
	}
	return e.Secret
}

func signedIn(t testing.TB, h *hqtest.HQ, name, secret string) *dashClient {
	t.Helper()
	d := newDashClient(t, h)
	if status, body := d.signIn(name, dashPassword, secret, time.Now()); status != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d %s", name, status, body)
	}
	return d
}

// figure reads the cell data-figure=name of the row data-shop=shop.
func figure(t testing.TB, page, shop, name string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-shop="` + regexp.QuoteMeta(shop) + `">(.*?)</tr>`).FindStringSubmatch(page)
	if row == nil {
		t.Fatalf("no row for shop %q", shop)
	}
	cell := regexp.MustCompile(`data-figure="` + name + `">([^<]*)`).FindStringSubmatch(row[1])
	if cell == nil {
		t.Fatalf("shop %q: no %s", shop, name)
	}
	return strings.TrimSpace(cell[1])
}

func yuan(a money.Amount) string { return money.Format(a, "en") }

// The chain's day shows each shop's revenue, sales, average basket and refunds exactly as the tills'
// uploaded documents sum them, the totals row their sums, and nothing of another day.
func TestDashboardChainDayEqualsUploads(t *testing.T) {
	h := hqtest.StartHQ(t)
	want := chainFixture(t, h)
	d := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	status, page, _ := d.get("/dash/?date=" + dashDay.Format(time.DateOnly))
	if status != 200 {
		t.Fatalf("chain page: %d %s", status, page)
	}
	total, totalSales, totalRefunded := money.Zero(money.CNY), int64(0), money.Zero(money.CNY)
	for shop, e := range want {
		for name, v := range map[string]string{"revenue": yuan(e.revenue), "sales": fmt.Sprint(e.sales), "basket": yuan(e.basket()),
			"refunds": yuan(e.refunded)} {
			if got := figure(t, page, shop, name); !strings.HasPrefix(got, v) {
				t.Errorf("%s %s: %q, want %q", shop, name, got, v)
			}
		}
		total, totalSales, totalRefunded = total.Add(e.revenue), totalSales+e.sales, totalRefunded.Add(e.refunded)
	}
	if got := figure(t, page, "", "revenue"); got != yuan(total) {
		t.Errorf("total revenue %q, want %s", got, yuan(total))
	}
	if got := figure(t, page, "", "sales"); got != fmt.Sprint(totalSales) {
		t.Errorf("total sales %q, want %d", got, totalSales)
	}
	if got := figure(t, page, "", "refunds"); got != yuan(totalRefunded) {
		t.Errorf("total refunds %q, want %s", got, yuan(totalRefunded))
	}
	// Last week's figure is what the change is against.
	if !strings.Contains(page, "vs "+yuan(want["north"].weekRevenue.Add(want["-south"].weekRevenue))) {
		t.Errorf("the page does not set the total against last week's %s", yuan(want["north"].weekRevenue.Add(want["-south"].weekRevenue)))
	}

	// The CSV holds the same figures; the shop whose code starts like a formula is guarded.
	status, body, hdr := d.get("/dash/export.csv?date=" + dashDay.Format(time.DateOnly))
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="chain-2026-03-12.csv"`) {
		t.Fatalf("export: %d %v", status, hdr)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("export: %q, %v", rows, err)
	}
	byShop := map[string][]string{}
	for _, r := range rows[1:] {
		byShop[r[1]] = r
	}
	if r := byShop["'-south"]; r == nil || r[3] != want["-south"].revenue.Decimal() || r[4] != fmt.Sprint(want["-south"].sales) {
		t.Errorf("export's -south row: %q (rows %q)", r, rows)
	}
	if r := byShop["north"]; r == nil || r[3] != want["north"].revenue.Decimal() || r[7] != want["north"].refunded.Decimal() ||
		r[8] != want["north"].weekRevenue.Decimal() {
		t.Errorf("export's north row: %q", r)
	}
	if r := byShop["TOTAL"]; r == nil || r[3] != total.Decimal() {
		t.Errorf("export's total: %q", r)
	}

	// The PDF, in Chinese, holds the same figures as the page, read back with pdftotext.
	status, body, hdr = d.get("/dash/export.pdf?lang=zh-Hans&date=" + dashDay.Format(time.DateOnly))
	if status != 200 || hdr.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
		!strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="chain-2026-03-12.pdf"`) {
		t.Fatalf("PDF export: %d %v", status, hdr)
	}
	if dir := os.Getenv("CHECKOUT_DASH_SHOTS"); dir != "" { // to look at
		os.WriteFile(filepath.Join(dir, "chain-zh.pdf"), []byte(body), 0o644)
	}
	text := pdfText(t, []byte(body))
	for _, want := range []string{"连锁日报", "门店", "north " + yuan(want["north"].revenue), "-south " + yuan(want["-south"].revenue),
		"合计 " + yuan(total)} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF has no %q:\n%s", want, text)
		}
	}
}

// pdfText is a PDF's text as pdftotext reads it (make test installs poppler-utils), runs of spaces as one.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "export.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (from poppler-utils): %v", err)
	}
	return regexp.MustCompile(` {2,}`).ReplaceAllString(string(out), " ")
}

// A shop's day shows the shop's figures, its sales by hour against last week's, its tenders and its top
// products, each as the uploaded sales sum them.
func TestDashboardShopDayEqualsUploads(t *testing.T) {
	h := hqtest.StartHQ(t)
	e := chainFixture(t, h)["north"]
	d := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	status, page, _ := d.get("/dash/shops/north?date=" + dashDay.Format(time.DateOnly))
	if status != 200 {
		t.Fatalf("shop page: %d %s", status, page)
	}
	for name, v := range map[string]string{"revenue": yuan(e.revenue), "sales": fmt.Sprint(e.sales), "basket": yuan(e.basket()),
		"refunds": yuan(e.refunded)} {
		if got := regexp.MustCompile(`data-figure="` + name + `">([^<]*)`).FindStringSubmatch(page); got == nil || got[1] != v {
			t.Errorf("%s: %q, want %s", name, got, v)
		}
	}
	for kind, a := range e.tenders {
		name := map[string]string{"cash": "Cash", "card": "Card", "qr": "QR code", "wallet": "Wallet"}[kind]
		if !regexp.MustCompile(`<th scope="row">` + name + `</th><td>\d+</td><td>` + regexp.QuoteMeta(yuan(a)) + `</td>`).MatchString(page) {
			t.Errorf("tender %s: %s not on the page", kind, yuan(a))
		}
	}
	for sku, a := range e.products {
		if !regexp.MustCompile(`<small>` + regexp.QuoteMeta(template(sku)) + `</small></th><td>[0-9.]+</td><td>` + regexp.QuoteMeta(yuan(a))).MatchString(page) {
			t.Errorf("product %s: %s not on the page", sku, yuan(a))
		}
	}
	for hour, a := range e.hours {
		w := money.Zero(money.CNY)
		if x, ok := e.weekHours[hour]; ok {
			w = x
		}
		row := fmt.Sprintf(`<tr><th scope="row">%02d:00</th><td>%s</td><td>\d+</td><td>%s</td>`, hour, regexp.QuoteMeta(yuan(a)), regexp.QuoteMeta(yuan(w)))
		if !regexp.MustCompile(row).MatchString(page) {
			t.Errorf("hour %02d: %s against %s not on the page", hour, yuan(a), yuan(w))
		}
	}
	if !strings.Contains(page, "<svg") || !strings.Contains(page, `class="day"`) {
		t.Error("no chart")
	}
	// In Chinese, the product names are the tills' Chinese names.
	_, zh, _ := d.get("/dash/shops/north?lang=zh-Hans&date=" + dashDay.Format(time.DateOnly))
	if !strings.Contains(zh, "茉莉香米 5公斤") || !strings.Contains(zh, "营业额") || !strings.Contains(zh, `<html lang="zh-Hans">`) {
		t.Error("the Chinese page lacks the Chinese names")
	}

	// The page as a PDF, in English: the same figures, tenders, hours and products.
	status, body, hdr := d.get("/dash/shops/north/export.pdf?lang=en&date=" + dashDay.Format(time.DateOnly))
	if status != 200 || hdr.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="shop-north-2026-03-12.pdf"`) {
		t.Fatalf("shop PDF: %d %v", status, hdr)
	}
	if dir := os.Getenv("CHECKOUT_DASH_SHOTS"); dir != "" { // to look at
		os.WriteFile(filepath.Join(dir, "shop-en.pdf"), []byte(body), 0o644)
	}
	text := pdfText(t, []byte(body))
	wants := []string{"Shop north", "Revenue " + yuan(e.revenue), "Average basket " + yuan(e.basket())}
	for kind, a := range e.tenders {
		wants = append(wants, map[string]string{"cash": "Cash", "card": "Card", "qr": "QR code", "wallet": "Wallet"}[kind]+" ")
		wants = append(wants, yuan(a))
	}
	for hour, a := range e.hours {
		wants = append(wants, fmt.Sprintf("%02d:00 %s", hour, yuan(a)))
	}
	for _, a := range e.products {
		wants = append(wants, yuan(a))
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the shop's PDF has no %q:\n%s", want, text)
		}
	}
	if status, _, _ := d.get("/dash/shops/nowhere/export.pdf?date=" + dashDay.Format(time.DateOnly)); status != 404 {
		t.Errorf("another shop's PDF: %d", status)
	}
}

// template is s as html/template writes it in text.
func template(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;").Replace(s)
}

// An area manager sees the shops granted and nothing of the others: not on the chain's day, not in the
// CSV, not among alarms or tills, and a shop's page that is not theirs is as absent as one that is not.
func TestDashboardManagerSeesOnlyGrantedShops(t *testing.T) {
	h := hqtest.StartHQ(t)
	want := chainFixture(t, h)
	d := signedIn(t, h, "lee", addUser(t, h, "lee", "manager", "north"))
	date := "?date=" + dashDay.Format(time.DateOnly)
	south := yuan(want["-south"].revenue)
	_, chain, _ := d.get("/dash/" + date)
	if strings.Contains(chain, "-south") || figure(t, chain, "", "revenue") != yuan(want["north"].revenue) {
		t.Errorf("the manager's chain page shows another shop, or its total is not north's alone")
	}
	for _, path := range []string{"/dash/shops/-south" + date, "/dash/shops/nowhere" + date} {
		status, page, _ := d.get(path)
		if status != http.StatusNotFound || strings.Contains(page, south) || strings.Contains(page, "Jasmine") {
			t.Errorf("%s: %d, or the page shows the shop's figures", path, status)
		}
	}
	_, body, _ := d.get("/dash/export.csv" + date)
	if strings.Contains(body, "south") {
		t.Errorf("the manager's CSV holds another shop: %s", body)
	}
	_, alarms, _ := d.get("/dash/alarms?days=366")
	if strings.Contains(alarms, "SOUTH-SECRET-ALARM") || !strings.Contains(alarms, "refund T01-R000001") {
		t.Errorf("the manager's alarms: %s", alarms)
	}
	_, tills, _ := d.get("/dash/tills")
	if strings.Contains(tills, "-south") || !strings.Contains(tills, "T02") {
		t.Errorf("the manager's tills: %s", tills)
	}
	// Granted the shop later, they see it.
	if err := h.Server.GrantDashShop(context.Background(), "lee", "-south"); err != nil {
		t.Fatal(err)
	}
	if status, page, _ := d.get("/dash/shops/-south" + date); status != 200 || !strings.Contains(page, south) {
		t.Errorf("after the grant: %d", status)
	}
	// A manager granted nothing sees nothing (and no error).
	d = signedIn(t, h, "new", addUser(t, h, "new", "manager"))
	if status, page, _ := d.get("/dash/" + date); status != 200 || strings.Contains(page, "north") || strings.Contains(page, south) {
		t.Errorf("a manager of no shop: %d", status)
	}
}

// Sign-in takes the right password and a fresh code together, and nothing less: a wrong code, a code
// already used (within its window), a wrong password; too many wrong tries lock the account, in the
// database, even against the right password and code.
func TestDashboardSignInAttacks(t *testing.T) {
	h := hqtest.StartHQ(t)
	secret := addUser(t, h, "boss", "owner")
	now := time.Now()
	d := newDashClient(t, h)
	noSession := func(what string) {
		t.Helper()
		if status, _, hdr := d.get("/dash/"); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/dash/signin") {
			t.Errorf("%s: the dashboard answers %d, not the sign-in page", what, status)
		}
	}
	// A wrong code: the right code of another secret.
	other, _ := app.NewTOTPSecret()
	if status, body := d.signIn("boss", dashPassword, other, now); status != http.StatusUnauthorized || !strings.Contains(body, "Wrong name, password or code") {
		t.Errorf("wrong code: %d", status)
	}
	noSession("wrong code")
	if status, _ := d.signIn("boss", "not the password", secret, now); status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", status)
	}
	if status, _ := d.signIn("nobody", dashPassword, secret, now); status != http.StatusUnauthorized {
		t.Errorf("unknown name: %d", status)
	}
	// The right code signs in once; the same code again (still in its window) does not.
	if status, _ := d.signIn("boss", dashPassword, secret, now); status != http.StatusSeeOther {
		t.Fatalf("right password and code: %d", status)
	}
	replay := newDashClient(t, h)
	if status, _ := replay.signIn("boss", dashPassword, secret, now); status != http.StatusUnauthorized {
		t.Errorf("a replayed code: %d", status)
	}
	// So does an earlier one of the window.
	if status, _ := replay.signIn("boss", dashPassword, secret, now.Add(-30*time.Second)); status != http.StatusUnauthorized {
		t.Errorf("the code before the one used: %d", status)
	}
	// Wrong tries in a row lock the account: then even the right password and next code are refused.
	for range 5 {
		replay.signIn("boss", "guess", secret, now.Add(30*time.Second))
	}
	if status, body := replay.signIn("boss", dashPassword, secret, now.Add(30*time.Second)); status != http.StatusTooManyRequests ||
		!strings.Contains(body, "locked") {
		t.Errorf("a locked account: %d", status)
	}
	// The lock is in the database: it ends when it ends, and the right code then signs in.
	conn, err := pgx.Connect(context.Background(), h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var locked bool
	conn.QueryRow(context.Background(), `SELECT locked_until > now() FROM dash_users WHERE name = 'boss'`).Scan(&locked)
	if !locked {
		t.Error("the lock is not in the database")
	}
	conn.Exec(context.Background(), `UPDATE dash_users SET locked_until = now() - interval '1 second' WHERE name = 'boss'`)
	if status, _ := replay.signIn("boss", dashPassword, secret, now.Add(30*time.Second)); status != http.StatusSeeOther {
		t.Errorf("after the lock: %d", status)
	}
	// Sign-in's own form is protected: no token, or posted from another site.
	c := newDashClient(t, h)
	c.get("/dash/signin")
	code, _ := app.TOTPCode(secret, now.Add(30*time.Second))
	form := url.Values{"name": {"boss"}, "password": {dashPassword}, "code": {code}}
	if status, _, _ := c.post("/dash/signin", form); status != http.StatusForbidden {
		t.Errorf("sign-in without its token: %d", status)
	}
	form.Set("csrf", c.csrf)
	if status, _, _ := c.post("/dash/signin", form, "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Errorf("sign-in from another site: %d", status)
	}
}

// Every POST needs the session's token and to come from the dashboard itself; signing out ends the
// session on the server, so its cookie signs nobody in after. Idle and old sessions end too.
func TestDashboardCSRFAndSignOut(t *testing.T) {
	h := hqtest.StartHQ(t)
	secret := addUser(t, h, "boss", "owner")
	d := signedIn(t, h, "boss", secret)
	status, _, _ := d.get("/dash/")
	if status != 200 || d.csrf == "" {
		t.Fatalf("the dashboard: %d, token %q", status, d.csrf)
	}
	token := d.csrf
	var cookie *http.Cookie
	u, _ := url.Parse(h.URL + "/dash/")
	for _, c := range d.c.Jar.Cookies(u) {
		if c.Name == "dash_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	for _, tt := range []struct {
		name   string
		form   url.Values
		header []string
	}{
		{"no token", url.Values{}, nil},
		{"a forged token", url.Values{"csrf": {"AAAA" + token[4:]}}, nil},
		{"another session's token", url.Values{"csrf": {signedIn(t, h, "boss", secretOther(t, h)).csrf}}, nil},
		{"the right token from another site", url.Values{"csrf": {token}}, []string{"Sec-Fetch-Site", "cross-site"}},
		{"the right token from another origin", url.Values{"csrf": {token}}, []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
	} {
		if status, _, _ := d.post("/dash/signout", tt.form, tt.header...); status != http.StatusForbidden {
			t.Errorf("sign-out with %s: %d, want 403", tt.name, status)
		}
		if status, _, _ := d.get("/dash/"); status != 200 {
			t.Fatalf("after sign-out with %s the session ended", tt.name)
		}
	}
	if status, body, _ := d.post("/dash/signout", url.Values{"csrf": {token}}); status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d %s", status, body)
	}
	// The signed-out session's cookie, sent again, is worth nothing.
	stolen := newDashClient(t, h)
	stolen.c.Jar.SetCookies(u, []*http.Cookie{{Name: "dash_session", Value: cookie.Value, Path: "/dash/"}})
	if status, _, _ := stolen.get("/dash/"); status != http.StatusSeeOther {
		t.Errorf("a signed-out session's cookie: %d", status)
	}
	if status, _, _ := stolen.post("/dash/signout", url.Values{"csrf": {token}}); status != http.StatusForbidden {
		t.Errorf("a signed-out session posts: %d", status)
	}

	// Idle and absolute expiry.
	conn, err := pgx.Connect(context.Background(), h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, age := range []string{
		`UPDATE dash_sessions SET last_seen_at = now() - interval '31 minutes'`,
		`UPDATE dash_sessions SET created_at = now() - interval '13 hours'`,
	} {
		d := signedIn(t, h, "boss", secretOther(t, h))
		if status, _, _ := d.get("/dash/"); status != 200 {
			t.Fatalf("fresh session: %d", status)
		}
		if _, err := conn.Exec(context.Background(), age); err != nil {
			t.Fatal(err)
		}
		if status, _, _ := d.get("/dash/"); status != http.StatusSeeOther {
			t.Errorf("%s: %d, want the sign-in page", age, status)
		}
	}
}

// secretOther gives boss a new two-factor secret, the last code's step forgotten, and returns it: a test
// signs boss in again without waiting 30 seconds for the next code.
func secretOther(t testing.TB, h *hqtest.HQ) string {
	t.Helper()
	secret, _ := app.NewTOTPSecret()
	conn, err := pgx.Connect(context.Background(), h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE dash_users SET totp_secret = $1, totp_last_step = 0 WHERE name = 'boss'`, secret); err != nil {
		t.Fatal(err)
	}
	return secret
}

// The page's language is the browser's (Accept-Language) until ?lang= chooses one, which is kept.
func TestDashboardLanguage(t *testing.T) {
	h := hqtest.StartHQ(t)
	d := newDashClient(t, h)
	if _, page, _ := d.get("/dash/signin", "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"); !strings.Contains(page, "登录") {
		t.Error("Accept-Language zh-CN: no Chinese")
	}
	if _, page, _ := d.get("/dash/signin?lang=en", "Accept-Language", "zh-CN"); strings.Contains(page, "登录") {
		t.Error("?lang=en: Chinese")
	}
	// The choice is kept.
	if _, page, _ := d.get("/dash/signin", "Accept-Language", "zh-CN"); strings.Contains(page, "登录") {
		t.Error("?lang=en is not remembered")
	}
}
