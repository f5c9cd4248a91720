package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/money"
)

// The owner's web dashboard (issue 24 §2), under /dash/ beside the tills' /v1/ API on the same listener:
// the chain's day, a shop's day, the tills' alarms and the tills' health, for owners (every shop) and area
// managers (the shops granted), in English and Simplified Chinese. Pages are rendered on the server
// (html/template, SVG charts drawn here, no script); sign-in takes a password and a two-factor code;
// sessions live in the database, so any number of servers share them.

// dashboard serves the pages. It holds no state of its own but the limit on password hashes at once.
type dashboard struct {
	s *Server
	// hashing bounds the argon2id hashes running at once (128 MiB each): a flood of sign-ins waits
	// instead of taking the server's memory.
	hashing   chan struct{}
	dummyHash func() string
	loc       *time.Location
	// figures is what every page's figures and rejected documents are read through (read-only queries,
	// none in a transaction): the owner's reads (Server.reads: the replica when one is set and usable, else
	// the primary). Sign-in and sessions write, and stay on the primary.
	figures dashReader
}

// dashReader runs the dashboard's read-only queries: Server.reads, or a *pgxpool.Pool.
type dashReader interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// dashboard adds the dashboard's routes to mux.
func (s *Server) dashboard(mux *http.ServeMux) {
	d := &dashboard{s: s, hashing: make(chan struct{}, 2), loc: time.Local, figures: s.reads(),
		dummyHash: sync.OnceValue(func() string { h, _ := hashPassword(randomToken()); return h })}
	mux.Handle("GET /dash/{$}", d.page(d.chainPage))
	mux.Handle("GET /dash/shops/{shop}", d.page(d.shopPage))
	mux.Handle("GET /dash/alarms", d.page(d.alarmsPage))
	mux.Handle("GET /dash/tills", d.page(d.tillsPage))
	mux.Handle("GET /dash/stock", d.page(d.stockPage))
	mux.Handle("GET /dash/rejected", d.page(d.rejectedPage))
	mux.Handle("GET /dash/export.csv", d.page(d.exportCSV))
	mux.Handle("GET /dash/export.pdf", d.page(d.exportPDF))
	mux.Handle("GET /dash/shops/{shop}/export.pdf", d.page(d.exportShopPDF))
	mux.Handle("POST /dash/signout", d.page(d.signOutPost))
	mux.HandleFunc("GET /dash/signin", d.signInForm)
	mux.HandleFunc("POST /dash/signin", d.signInPost)
	mux.HandleFunc("GET /dash/dash.css", d.css)
	mux.HandleFunc("/dash/", func(w http.ResponseWriter, r *http.Request) {
		d.headers(w)
		d.render(w, r, http.StatusNotFound, "error", &dashPage{Title: "Not found", Message: "There is no such page."})
	})
}

func (d *dashboard) hashSlot(f func()) {
	d.hashing <- struct{}{}
	defer func() { <-d.hashing }()
	f()
}

// dashRequest is what a signed-in request carries to its page.
type dashRequest struct {
	user  *dashUser
	shops []shopRef
}

type dashHandler func(w http.ResponseWriter, r *http.Request, q *dashRequest)

// headers are every dashboard response's: no caching of figures, no framing, no scripts at all, styles
// only from the dashboard's own stylesheet.
func (d *dashboard) headers(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Strict-Transport-Security", "max-age=31536000")
}

// page wraps a signed-in page: the session (else to sign-in), for a POST its origin and CSRF token, and
// the shops the user sees.
func (d *dashboard) page(h dashHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.headers(w)
		var session string
		if c, err := r.Cookie(sessionCookie); err == nil {
			session = c.Value
		}
		u, err := d.sessionUser(r.Context(), session)
		if err != nil {
			d.fail(w, r, err)
			return
		}
		if u == nil {
			if r.Method != http.MethodGet {
				d.forbidden(w, r, "You are signed out.")
				return
			}
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/dash/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
			http.Redirect(w, r, "/dash/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if why := d.checkPost(r, csrfToken(session)); why != "" {
				d.s.log.Warn("dashboard post refused", "user", u.name, "path", r.URL.Path, "reason", why)
				d.forbidden(w, r, "This form has expired or came from another site. Reload the page and try again.")
				return
			}
		}
		shops, err := d.visibleShops(r.Context(), u)
		if err != nil {
			d.fail(w, r, err)
			return
		}
		h(w, r, &dashRequest{user: u, shops: shops})
	})
}

// checkPost says why a POST is refused, or "": it must come from a page of this site (Sec-Fetch-Site, or
// else Origin, when the browser sends them) and carry the token (compared in constant time).
func (d *dashboard) checkPost(r *http.Request, token string) string {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return "Sec-Fetch-Site " + site
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		scheme := "https"
		if r.TLS == nil {
			scheme = "http"
		}
		if origin != scheme+"://"+r.Host {
			return "Origin " + origin
		}
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 16<<10)
	got := r.PostFormValue("csrf")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return "CSRF token"
	}
	return ""
}

func (d *dashboard) fail(w http.ResponseWriter, r *http.Request, err error) {
	d.s.log.Error("dashboard", "path", r.URL.Path, "err", err)
	d.render(w, r, http.StatusServiceUnavailable, "error", &dashPage{Title: "Unavailable",
		Message: "The head office database did not answer. Try again in a moment."})
}

func (d *dashboard) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	d.render(w, r, http.StatusForbidden, "error", &dashPage{Title: "Refused", Message: msg})
}

// notFound answers for a shop that does not exist and for one the user may not see alike.
func (d *dashboard) notFound(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	d.render(w, r, http.StatusNotFound, "error", &dashPage{Title: "Not found", Message: "There is no such page.", user: q.user})
}

// periods are the ?period= values the pages take, day by default.
var periods = map[string]app.Period{"day": app.PeriodDay, "week": app.PeriodWeek, "month": app.PeriodMonth}

// periodName is the ?period= value of p.
func periodName(p app.Period) string {
	switch p {
	case app.PeriodWeek:
		return "week"
	case app.PeriodMonth:
		return "month"
	}
	return "day"
}

// span reads ?period=day|week|month and ?date=YYYY-MM-DD (any day of the period; today by default).
func (d *dashboard) span(r *http.Request) (span, bool) {
	now := time.Now().In(d.loc)
	date := now
	if v := r.URL.Query().Get("date"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, d.loc)
		if err != nil || t.Year() < 2000 || t.Year() >= 3000 {
			return span{}, false
		}
		date = t
	}
	p := app.PeriodDay
	if v := r.URL.Query().Get("period"); v != "" {
		var ok bool
		if p, ok = periods[v]; !ok {
			return span{}, false
		}
	}
	return newSpan(p, date, now), true
}

// chainTitles and shopTitles name the pages of each period.
var (
	chainTitles = map[app.Period]string{app.PeriodDay: "Chain's day", app.PeriodWeek: "Chain's week", app.PeriodMonth: "Chain's month"}
	shopTitles  = map[app.Period]string{app.PeriodDay: "Shop's day", app.PeriodWeek: "Shop's week", app.PeriodMonth: "Shop's month"}
)

// chainPeriod is the chain page's body: the shops' figures and the products the chain sold most.
type chainPeriod struct {
	chainDay
	Products []productSum // in the first currency's totals (one, in practice)
	Currency money.Currency
}

func (d *dashboard) chainPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	body, sp, ok := d.chainRequested(w, r, q)
	if !ok {
		return
	}
	d.render(w, r, http.StatusOK, "chain", &dashPage{Title: chainTitles[sp.Period], Nav: "chain", Span: sp, user: q.user, Body: body})
}

// chainPeriod reads the chain's page: the figures of the shops q may see, and what they sold most.
func (d *dashboard) chainPeriod(ctx context.Context, q *dashRequest, sp span) (chainPeriod, error) {
	day, err := d.chainDay(ctx, q.shops, sp)
	if err != nil {
		return chainPeriod{}, err
	}
	body := chainPeriod{chainDay: day}
	if len(day.Totals) > 0 {
		body.Currency = day.Totals[0].currencyOf
		body.Products, err = d.topProducts(ctx, shopIDs(q.shops), body.Currency, sp.From, sp.To, topProducts)
	}
	return body, err
}

// shopDay is a shop's page.
type shopDay struct {
	Shop     string
	Figures  []shopFigures
	Chart    []barChart // one per currency the shop took (one, in practice)
	Tenders  []tenderSum
	Products []productSum
	Currency money.Currency
}

// shopRequested reads the page of the path's {shop} for the period asked; ok is false when it has answered
// itself: 404 for a bad period or a shop the user does not see (alike, so a shop not granted looks like no
// shop at all), 503 when the database did not answer.
func (d *dashboard) shopRequested(w http.ResponseWriter, r *http.Request, q *dashRequest) (page shopDay, sp span, ok bool) {
	sp, ok = d.span(r)
	shop := shopOf(r, q)
	if shop == nil || !ok {
		d.notFound(w, r, q)
		return page, sp, false
	}
	page, err := d.shopDay(r.Context(), shop, sp)
	if err != nil {
		d.fail(w, r, err)
		return page, sp, false
	}
	return page, sp, true
}

// chainRequested reads the chain's page for the period asked; ok is false when it has answered itself
// (404 for a bad period, 503 when the database did not answer).
func (d *dashboard) chainRequested(w http.ResponseWriter, r *http.Request, q *dashRequest) (body chainPeriod, sp span, ok bool) {
	if sp, ok = d.span(r); !ok {
		d.notFound(w, r, q)
		return body, sp, false
	}
	body, err := d.chainPeriod(r.Context(), q, sp)
	if err != nil {
		d.fail(w, r, err)
		return body, sp, false
	}
	return body, sp, true
}

// shopOf is the shop of the path's {shop} among those the user sees, or nil.
func shopOf(r *http.Request, q *dashRequest) *shopRef {
	code := r.PathValue("shop")
	for i := range q.shops {
		if q.shops[i].code == code {
			return &q.shops[i]
		}
	}
	return nil
}

func (d *dashboard) shopPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	page, sp, ok := d.shopRequested(w, r, q)
	if !ok {
		return
	}
	d.render(w, r, http.StatusOK, "shop", &dashPage{Title: shopTitles[sp.Period], Nav: "chain", Span: sp, user: q.user, Body: page})
}

// shopDay reads a shop's page: its figures, its chart against the compared period, its tenders and its
// top products.
func (d *dashboard) shopDay(ctx context.Context, shop *shopRef, sp span) (shopDay, error) {
	day, err := d.chainDay(ctx, []shopRef{*shop}, sp)
	if err != nil {
		return shopDay{}, err
	}
	page := shopDay{Shop: shop.code, Figures: day.Shops}
	for _, f := range day.Shops {
		this, err := d.bars(ctx, shop.id, f.currencyOf, sp.bounds(sp.From, sp.To))
		if err != nil {
			return page, err
		}
		then, err := d.bars(ctx, shop.id, f.currencyOf, sp.bounds(sp.CFrom, sp.CTo))
		if err != nil {
			return page, err
		}
		page.Chart = append(page.Chart, newBarChart(sp, this, then, f.currencyOf))
	}
	if len(day.Shops) > 0 {
		cur := day.Shops[0].currencyOf
		page.Currency = cur
		if page.Tenders, err = d.tenders(ctx, shop.id, cur, sp.From, sp.To); err == nil {
			page.Products, err = d.topProducts(ctx, []int64{shop.id}, cur, sp.From, sp.To, topProducts)
		}
	}
	return page, err
}

// alarmsDays are the look-backs the alarms page offers.
var alarmsDays = []int64{1, 7, 30}

func (d *dashboard) alarmsPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	days := 7
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			d.notFound(w, r, q)
			return
		}
		days = n
	}
	as, err := d.s.alarms(r.Context(), shopIDs(q.shops), time.Now().AddDate(0, 0, -days), 500)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.render(w, r, http.StatusOK, "alarms", &dashPage{Title: "Alarms", Nav: "alarms", user: q.user,
		Body: struct {
			Days    int64
			Choices []int64
			Alarms  []ShopAlarm
		}{int64(days), alarmsDays, as}})
}

// rejectedDays are the look-backs the rejected documents' page offers, and the most it lists.
var rejectedDays = []int64{7, 30, 365}

const rejectedLimit = 500

// rejectedPage lists what the head office refused to count, newest first: the documents it rejected
// (stored apart, never in the figures), and the tills whose last upload it refused whole.
func (d *dashboard) rejectedPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3660 {
			d.notFound(w, r, q)
			return
		}
		days = n
	}
	docs, err := d.rejectedOf(r.Context(), shopIDs(q.shops), time.Now().AddDate(0, 0, -days), rejectedLimit)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	sts, err := d.s.tills(r.Context(), shopIDs(q.shops), false)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	var refused []TillStatus
	for _, st := range sts {
		if strings.HasPrefix(st.LastError, refusedPrefix) {
			refused = append(refused, st)
		}
	}
	d.render(w, r, http.StatusOK, "rejected", &dashPage{Title: "Rejected", Nav: "rejected", user: q.user,
		Body: struct {
			Days      int64
			Choices   []int64
			Documents []rejectedDoc
			Full      bool // the list stopped at rejectedLimit
			Refused   []TillStatus
		}{int64(days), rejectedDays, docs, len(docs) == rejectedLimit, refused}})
}

func (d *dashboard) tillsPage(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	sts, err := d.s.tills(r.Context(), shopIDs(q.shops), true)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.render(w, r, http.StatusOK, "tills", &dashPage{Title: "Tills", Nav: "tills", user: q.user,
		Body: struct {
			Tills   []TillStatus
			Replica ReplicaState // where the owner's reads go, and the replica's lag
		}{sts, d.s.Replica()}})
}

func shopIDs(shops []shopRef) []int64 {
	ids := make([]int64, len(shops)) // never nil: no shops is none, not all
	for i, s := range shops {
		ids[i] = s.id
	}
	return ids
}

// exportName is what an export of the chain's period sp is saved as, less its extension: chain-2026-03-12,
// chain-week-2026-03-09.
func exportName(sp span) string {
	if sp.Period != app.PeriodDay {
		return "chain-" + periodName(sp.Period) + "-" + sp.From.Format(time.DateOnly)
	}
	return "chain-" + sp.From.Format(time.DateOnly)
}

// exportCSV sends the chain's period as a CSV file: a row per shop, then the totals, every text cell
// guarded against formulas (app.CSVWriter). The compared period's figures are those the page sets the
// period against (up to the same moment while it is under way).
func (d *dashboard) exportCSV(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	sp, ok := d.span(r)
	if !ok {
		d.notFound(w, r, q)
		return
	}
	day, err := d.chainDay(r.Context(), q.shops, sp)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	from := sp.From.Format(time.DateOnly)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, exportName(sp)))
	// The columns of the first version stay where they were (a day's comparison is last week's); the
	// period and the compared period's start come after them.
	numbers := []string{"revenue", "sales", "average_basket", "refunds", "refunded", "revenue_last_week", "sales_last_week", "refunded_last_week"}
	c, err := app.NewCSVWriter(w, append(append([]string{"date", "shop", "currency"}, numbers...), "period", "compared_from"), numbers...)
	if err != nil {
		return
	}
	row := func(shop string, f shopFigures) {
		c.Write(from, shop, f.currencyOf.Code, f.Now.Revenue.Decimal(), strconv.FormatInt(f.Now.Sales, 10),
			f.Now.Basket().Decimal(), strconv.FormatInt(f.Now.Refunds, 10), f.Now.Refund.Decimal(),
			f.Then.Revenue.Decimal(), strconv.FormatInt(f.Then.Sales, 10), f.Then.Refund.Decimal(),
			periodName(sp.Period), sp.CFrom.Format(time.DateOnly))
	}
	for _, f := range day.Shops {
		row(f.Shop, f)
	}
	for _, f := range day.Totals {
		row("TOTAL", f)
	}
	if err := c.Flush(); err != nil {
		d.s.log.Warn("dashboard export", "err", err)
	}
}

func (d *dashboard) signOutPost(w http.ResponseWriter, r *http.Request, q *dashRequest) {
	if err := d.signOut(r.Context(), q.user.session); err != nil {
		d.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/dash/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/dash/signin", http.StatusSeeOther)
}

// The sign-in form has no session to derive its token from: it carries a random one that is also in a
// cookie (double submit), besides the origin check, so no other site can sign a browser in to its account.
const signInCookie = "dash_signin"

func (d *dashboard) signInForm(w http.ResponseWriter, r *http.Request) {
	d.headers(w)
	d.showSignIn(w, r, http.StatusOK, "")
}

func (d *dashboard) showSignIn(w http.ResponseWriter, r *http.Request, status int, msg string) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: token, Path: "/dash/", MaxAge: 3600, Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode})
	d.render(w, r, status, "signin", &dashPage{Title: "Sign in", Message: msg, csrf: token,
		Body: struct{ Next, Name string }{safeNext(r.FormValue("next")), r.PostFormValue("name")}})
}

// safeNext keeps a page to go to after sign-in only when it is a dashboard page of this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || len(u.Path) < 6 || u.Path[:6] != "/dash/" ||
		len(next) > 1 && next[1] == '/' || len(next) > 500 {
		return "/dash/"
	}
	return u.RequestURI()
}

func (d *dashboard) signInPost(w http.ResponseWriter, r *http.Request) {
	d.headers(w)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10) // a name, a password and a code
	var token string
	if c, err := r.Cookie(signInCookie); err == nil {
		token = c.Value
	}
	if token == "" || d.checkPost(r, token) != "" {
		d.showSignIn(w, r, http.StatusForbidden, "This form has expired or came from another site. Try again.")
		return
	}
	session, err := d.signIn(r.Context(), r.PostFormValue("name"), r.PostFormValue("password"), r.PostFormValue("code"), time.Now())
	var locked *lockedError
	switch {
	case errors.Is(err, errSignIn):
		d.showSignIn(w, r, http.StatusUnauthorized, "Wrong name, password or code.")
		return
	case errors.As(err, &locked):
		d.showSignIn(w, r, http.StatusTooManyRequests, "Too many wrong tries: this account is locked for a while.")
		return
	case err != nil:
		d.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Path: "/dash/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/dash/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}
