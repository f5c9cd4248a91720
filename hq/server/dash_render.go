package server

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"checkout/app"
	"checkout/app/money"
)

//go:embed dash
var dashFiles embed.FS

// dashZH is the Simplified Chinese of the dashboard's English texts, keyed by the English (as the till's
// translations are). A text missing here is shown in English.
var dashZH = func() map[string]string {
	b, err := dashFiles.ReadFile("dash/zh-Hans.json")
	if err != nil {
		panic(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("dash/zh-Hans.json: %v", err))
	}
	return m
}()

var dashLangs = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

const langCookie = "dash_lang"

// pickLang chooses the page's language: ?lang= (remembered in a cookie), else the cookie, else the
// browser's Accept-Language.
func pickLang(w http.ResponseWriter, r *http.Request) string {
	choose := func(tags ...string) string {
		tag, _ := language.MatchStrings(dashLangs, tags...)
		if base, _ := tag.Base(); base.String() == "zh" {
			return "zh-Hans"
		}
		return "en"
	}
	if v := r.URL.Query().Get("lang"); v == "en" || v == "zh-Hans" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: v, Path: "/dash/", MaxAge: 365 * 24 * 3600, Secure: true,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return v
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh-Hans") {
		return c.Value
	}
	return choose(r.Header.Get("Accept-Language"))
}

// dashPage is what every page's template gets.
type dashPage struct {
	Title, Nav, Message string
	Span                span // the period shown, for the pages of a period
	Body                any

	Lang string
	user *dashUser
	csrf string // the sign-in form's token (the pages' is the session's)
	url  *url.URL
}

// T translates an English text into the page's language.
func (p *dashPage) T(s string) string {
	if p.Lang == "zh-Hans" {
		if t, ok := dashZH[s]; ok {
			return t
		}
	}
	return s
}

// User is the signed-in account's name, "" on the sign-in page.
func (p *dashPage) User() string {
	if p.user == nil {
		return ""
	}
	return p.user.name
}

// Role is the signed-in account's role, translated.
func (p *dashPage) Role() string {
	if p.user == nil {
		return ""
	}
	return p.T(p.user.role)
}

// CSRF is the token the page's forms carry.
func (p *dashPage) CSRF() string {
	if p.user != nil {
		return csrfToken(p.user.session)
	}
	return p.csrf
}

// LangURL is this page in the other language.
func (p *dashPage) LangURL() string {
	u := *p.url
	q := u.Query()
	if p.Lang == "zh-Hans" {
		q.Set("lang", "en")
	} else {
		q.Set("lang", "zh-Hans")
	}
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// StepURL is this page for the period n periods from the one shown.
func (p *dashPage) StepURL(n int) string {
	return p.periodURL(p.Span.Period, p.Span.Period.Step(p.Span.From, n))
}

// PeriodURL is this page for the period named (day, week, month) holding the first day shown, or the
// day shown in a week or month when it is within it (the link back to the day keeps the day).
func (p *dashPage) PeriodURL(name string) string {
	return p.periodURL(periods[name], p.Span.From)
}

func (p *dashPage) periodURL(period app.Period, date time.Time) string {
	u := *p.url
	q := u.Query()
	q.Set("date", date.Format(time.DateOnly))
	if period == app.PeriodDay {
		q.Del("period")
	} else {
		q.Set("period", periodName(period))
	}
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// PeriodName is the shown period's ?period= value.
func (p *dashPage) PeriodName() string { return periodName(p.Span.Period) }

// Periods are the periods a page of a period offers.
func (p *dashPage) Periods() []string { return []string{"day", "week", "month"} }

// Link is the dashboard page at path ("/dash/shops/north") for the period shown.
func (p *dashPage) Link(path string) string {
	q := url.Values{"date": {p.ISODate()}}
	if p.Span.Period != app.PeriodDay {
		q.Set("period", periodName(p.Span.Period))
	}
	return path + "?" + q.Encode()
}

// ISODate is the first day shown as YYYY-MM-DD.
func (p *dashPage) ISODate() string { return p.Span.From.Format(time.DateOnly) }

// LongDate is a date as people of the page's language write it.
func (p *dashPage) LongDate(t time.Time) string {
	if p.Lang == "zh-Hans" {
		return fmt.Sprintf("%d年%d月%d日 %s", t.Year(), t.Month(), t.Day(), zhWeekday(t))
	}
	return t.Format("Mon 2 Jan 2006")
}

func zhWeekday(t time.Time) string {
	return "星期" + []string{"日", "一", "二", "三", "四", "五", "六"}[t.Weekday()]
}

// Shown names the period shown, PeriodOf the one from..to of the same kind.
func (p *dashPage) Shown() string { return p.PeriodOf(p.Span.From, p.Span.To) }

// Compared names the period the figures are set against.
func (p *dashPage) Compared() string { return p.PeriodOf(p.Span.CFrom, p.Span.CTo) }

// PeriodOf names [from, to), a period of the page's kind: a day by its date, a week by its first and
// last days, a month by its name.
func (p *dashPage) PeriodOf(from, to time.Time) string {
	last := to.AddDate(0, 0, -1)
	zh := p.Lang == "zh-Hans"
	switch p.Span.Period {
	case app.PeriodWeek:
		if zh {
			return fmt.Sprintf("%d年%d月%d日 – %d月%d日", from.Year(), from.Month(), from.Day(), last.Month(), last.Day())
		}
		if from.Month() == last.Month() {
			return fmt.Sprintf("%s – %s", from.Format("Mon 2"), last.Format("Mon 2 Jan 2006"))
		}
		return fmt.Sprintf("%s – %s", from.Format("Mon 2 Jan"), last.Format("Mon 2 Jan 2006"))
	case app.PeriodMonth:
		if zh {
			return fmt.Sprintf("%d年%d月", from.Year(), from.Month())
		}
		return from.Format("January 2006")
	}
	return p.LongDate(from)
}

// CompareNote says what the figures are set against.
func (p *dashPage) CompareNote() string {
	key := map[app.Period]string{app.PeriodDay: "Each figure against the same weekday last week (%s).",
		app.PeriodWeek: "Each figure against the week before (%s).", app.PeriodMonth: "Each figure against the month before (%s)."}[p.Span.Period]
	note := fmt.Sprintf(p.T(key), p.Compared())
	if p.Span.UnderWay() {
		note += " " + fmt.Sprintf(p.T("The period is under way: it is set against the same part of that one, to %s."), p.When(p.Span.CSoFar))
	}
	return note
}

// Bar names a bar of the chart as its table row: an hour ("09:00") for a day, a day otherwise.
func (p *dashPage) Bar(t time.Time) string {
	if p.Span.Period == app.PeriodDay {
		return t.Format("15:04")
	}
	if p.Lang == "zh-Hans" {
		return fmt.Sprintf("%d月%d日 %s", t.Month(), t.Day(), zhWeekday(t))
	}
	return t.Format("Mon 2 Jan")
}

// ThenName heads the compared period's column: last week, the week or the month before.
func (p *dashPage) ThenName() string {
	return p.T(map[app.Period]string{app.PeriodDay: "Last week", app.PeriodWeek: "Week before", app.PeriodMonth: "Month before"}[p.Span.Period])
}

// NoSales is the empty tables' text for the period.
func (p *dashPage) NoSales() string {
	return p.T(map[app.Period]string{app.PeriodDay: "No sales this day.", app.PeriodWeek: "No sales this week.",
		app.PeriodMonth: "No sales this month."}[p.Span.Period])
}

// When is a moment as the owner reads it: local time to the second, or "never".
func (p *dashPage) When(t time.Time) string {
	if t.IsZero() {
		return p.T("never")
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// Ago is how long ago t was, in minutes or hours, or "-" for zero.
func (p *dashPage) Ago(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return p.T("just now")
	case d < time.Hour:
		return fmt.Sprintf(p.T("%d min ago"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(p.T("%d h ago"), int(d.Hours()))
	}
	return fmt.Sprintf(p.T("%d days ago"), int(d.Hours()/24))
}

// Behind is a replica's lag in seconds, in the page's language.
func (p *dashPage) Behind(lag time.Duration) string {
	return fmt.Sprintf(p.T("%.1f s behind the primary"), lag.Seconds())
}

// Count is n things, "1 refund" or "3 refunds", in the page's language.
func (p *dashPage) Count(n int64, one, many string) string {
	if n == 1 {
		return p.T("1 " + one)
	}
	return fmt.Sprintf(p.T("%d "+many), n)
}

// Stale reports whether t (a till's last contact or oldest unsent document) is over an hour ago.
func (p *dashPage) Stale(t time.Time) bool { return !t.IsZero() && time.Since(t) > time.Hour }

// ProductName is a product's name in the page's language, where the till had one.
func (p *dashPage) ProductName(x productSum) string {
	if p.Lang == "zh-Hans" && x.NameZH != "" {
		return x.NameZH
	}
	return x.Name
}

// StockName is the name of a product a till says is low, in the page's language where the till had one,
// made safe to show as a rejection's reason is (a till's text is a claim: no control or format character
// turns a row around).
func (p *dashPage) StockName(a stockAlert) string {
	if p.Lang == "zh-Hans" && a.NameZH != "" {
		return p.Short(a.NameZH)
	}
	return p.Short(a.Name)
}

// AlarmTime is an alarm's time as the till wrote it, shown in local time.
func (p *dashPage) AlarmTime(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return at
	}
	return p.When(t)
}

// reasonShown is how many characters of a rejection's reason a row shows; the rest opens below it.
const reasonShown = 200

// Short is s made safe to show and cut to reasonShown characters: a rejection's reason can quote a till's
// text, so control and format characters (a right-to-left override turning the rest of a row around)
// become U+FFFD, and a reason of kilobytes does not make a row a page long. html/template escapes it.
func (p *dashPage) Short(s string) string { return shown(s, reasonShown) }

// Long is s made safe to show, at most 4000 characters.
func (p *dashPage) Long(s string) string { return shown(s, 4000) }

// Cut reports whether Short cuts s.
func (p *dashPage) Cut(s string) bool { return utf8.RuneCountInString(s) > reasonShown }

func shown(s string, n int) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i == n {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) && r != ' ' {
			r = unicode.ReplacementChar
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

// kpis are the figures of one shop (or the chain) for the page's cards.
type kpis struct {
	P *dashPage
	F shopFigures
}

// With pairs the page with figures, for the cards' template.
func (p *dashPage) With(f shopFigures) kpis { return kpis{p, f} }

var (
	tenderNames = map[string]string{"cash": "Cash", "card": "Card", "qr": "QR code", "wallet": "Wallet", "prepaid": "Prepaid card", "points": "Points"}
	ruleNames   = map[string]string{"refunds": "Refunds (rule)", "voids_after_payment": "Voids after payment",
		"no_sales": "Drawer opened without a sale", "discounts": "Discounts", "below_cost": "Below cost", "price_change": "Price change",
		"coupon_limit": "Coupon over its limit"}
)

var kindNames = map[string]string{"sale": "Sale", "refund": "Refund", "topup": "Top-up", "stock": "Stock movement",
	"shift_open": "Shift opened", "cash_in": "Cash in", "cash_out": "Cash out", "shift_close": "Shift closed", "zreport": "Z report",
	"alarm": "Alarm"}

// Kind names a kind of document.
func (p *dashPage) Kind(kind string) string {
	if n, ok := kindNames[kind]; ok {
		return p.T(n)
	}
	return kind
}

// Tender names a kind of tender.
func (p *dashPage) Tender(kind string) string {
	if n, ok := tenderNames[kind]; ok {
		return p.T(n)
	}
	return kind
}

// Rule names an alarm's rule.
func (p *dashPage) Rule(rule string) string {
	if n, ok := ruleNames[rule]; ok {
		return strings.TrimSuffix(p.T(n), " (rule)")
	}
	return rule
}

// Money is an amount as the page shows it ("¥1,234.50").
func (p *dashPage) Money(a money.Amount) string { return money.Format(a, p.Lang) }

// change is a figure set against last week's: "+12.3%" with its direction, for the page to colour.
type change struct {
	Text, Dir string // Dir: up, down or same
}

// Change compares a figure (money.Amount or a count) with the one a week before.
func (p *dashPage) Change(now, before any) change {
	var a, b int64
	switch v := now.(type) {
	case money.Amount:
		a, b = v.Minor(), before.(money.Amount).Minor()
	case int64:
		a, b = v, before.(int64)
	}
	switch {
	case a == b:
		return change{"±0%", "same"}
	case b == 0:
		return change{p.T("new"), "up"}
	}
	permille, ok := money.MulDiv(a-b, 1000, b)
	if !ok {
		return change{"–", "same"}
	}
	if b < 0 {
		permille = -permille
	}
	text := money.FormatFixed(permille, 1) + "%"
	if permille > 0 {
		return change{"▲ +" + text, "up"}
	}
	if permille < 0 {
		return change{"▼ " + text, "down"}
	}
	return change{"±0%", "same"}
}

var dashTemplates = func() map[string]*template.Template {
	layout := template.Must(template.ParseFS(dashFiles, "dash/layout.html"))
	pages := map[string]*template.Template{}
	for _, name := range []string{"signin", "chain", "shop", "alarms", "tills", "rejected", "stock", "error"} {
		pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(dashFiles, "dash/"+name+".html"))
	}
	return pages
}()

// render writes page with the template name, in the request's language.
func (d *dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, p *dashPage) {
	p.Lang, p.url = pickLang(w, r), r.URL
	var b bytes.Buffer
	if err := dashTemplates[name].ExecuteTemplate(&b, "layout", p); err != nil {
		d.s.log.Error("dashboard template", "page", name, "err", err)
		http.Error(w, "page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Lang)
	w.Header().Set("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func (d *dashboard) css(w http.ResponseWriter, r *http.Request) {
	b, _ := dashFiles.ReadFile("dash/dash.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// barChart is a period's revenue by hour (a day) or by day (a week, a month) set against the compared
// period's, bar by bar, drawn as SVG.
type barChart struct {
	Wide, Narrow template.HTML // for wide screens and phones: each keeps its text readable
	Bars         []barRow      // the same figures as a table
	ByDay        bool
}

// barRow is one bar: its start, this period's figures and the compared period's same bar (the same hour
// of the day a week before; the same day of the week or month before).
type barRow struct {
	At               time.Time
	Tick             string // the axis label: the hour ("08") or the day of the month ("9")
	Revenue, Then    money.Amount
	Sales, ThenSales int64
}

func newBarChart(sp span, this, then bars, cur money.Currency) barChart {
	bounds := sp.bounds(sp.From, sp.To)
	n := len(this.Revenue)
	first, last := 0, n
	if sp.Period == app.PeriodDay {
		// The hours shown: those with any sale on either day, at least 08:00 to 20:00.
		first, last = 8, 20
		for i := 0; i < n; i++ {
			if this.Sales[i] > 0 || i < len(then.Sales) && then.Sales[i] > 0 {
				first, last = min(first, i), max(last, i+1)
			}
		}
		last = min(last, n)
	}
	c := barChart{ByDay: sp.Period != app.PeriodDay}
	var top int64
	for i := first; i < last; i++ {
		w := money.Zero(cur)
		var ws int64
		if i < len(then.Revenue) {
			w, ws = then.Revenue[i], then.Sales[i]
		}
		tick := bounds[i].Format("15")
		if c.ByDay {
			tick = strconv.Itoa(bounds[i].Day())
		}
		c.Bars = append(c.Bars, barRow{At: bounds[i], Tick: tick, Revenue: this.Revenue[i], Then: w, Sales: this.Sales[i], ThenSales: ws})
		top = max(top, this.Revenue[i].Minor(), w.Minor())
	}
	every := 1
	if len(c.Bars) > 16 {
		every = 2
	}
	c.Wide = drawBarChart(c.Bars, top, cur, 1080, 300, every)
	c.Narrow = drawBarChart(c.Bars, top, cur, 360, 220, (len(c.Bars)+7)/8)
	return c
}

// niceTop is the chart's top in whole major units: 1, 2 or 5 times a power of ten, at or above top.
func niceTop(top int64, cur money.Currency) int64 {
	major := (top + cur.MinorPerMajor() - 1) / cur.MinorPerMajor()
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= major || p > 1e15 {
				return m * p
			}
		}
	}
}

// drawBarChart draws the bars (the compared period's pale behind, this period's in front), gridlines at
// quarters of a round top, a label every labelEvery bars. Text stays 12 units high whatever the width.
func drawBarChart(hours []barRow, top int64, cur money.Currency, width, height, labelEvery int) template.HTML {
	const left, right, upper, lower = 52, 6, 10, 24
	topMajor := niceTop(top, cur)
	pw, ph := float64(width-left-right), float64(height-upper-lower)
	y := func(minor int64) float64 {
		return float64(upper) + ph - ph*float64(minor)/float64(topMajor*cur.MinorPerMajor())
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" class="chart" font-size="12">`, width, height)
	for q := int64(0); q <= 4; q++ {
		v := topMajor * q / 4
		yy := y(v * cur.MinorPerMajor())
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" class="grid"/>`, left, width-right, yy, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" class="axis">%s</text>`, left-6, yy+4,
			template.HTMLEscapeString(cur.Symbol+groupThousands(v)))
	}
	slot := pw / float64(max(len(hours), 1))
	bar := slot * 0.36
	for i, h := range hours {
		x := float64(left) + slot*float64(i)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="week"><title>%s</title></rect>`,
			x+slot*0.12, y(h.Then.Minor()), bar, y(0)-y(h.Then.Minor()), template.HTMLEscapeString(h.Tick+" "+h.Then.Decimal()))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="day"><title>%s</title></rect>`,
			x+slot*0.12+bar, y(h.Revenue.Minor()), bar, y(0)-y(h.Revenue.Minor()), template.HTMLEscapeString(h.Tick+" "+h.Revenue.Decimal()))
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" class="axis">%s</text>`, x+slot/2, height-6, h.Tick)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func groupThousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
