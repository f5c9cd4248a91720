package server

import (
	"io/fs"
	"regexp"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func TestAmountOf(t *testing.T) {
	for _, tt := range []struct {
		sum  string
		cur  money.Currency
		want int64
		bad  bool
	}{
		{"12.5000", money.CNY, 1250, false},
		{"0", money.CNY, 0, false},
		{"-3.1000", money.CNY, -310, false},
		{"1200.0000", money.JPY, 1200, false},
		{"12.3450", money.CNY, 0, true}, // more decimals than the currency: refused, never rounded
		{"x", money.CNY, 0, true},
	} {
		a, err := amountOf(tt.sum, tt.cur)
		if (err != nil) != tt.bad || err == nil && a.Minor() != tt.want {
			t.Errorf("amountOf(%q, %s) = %v, %v", tt.sum, tt.cur.Code, a, err)
		}
	}
}

func TestChange(t *testing.T) {
	p := &dashPage{Lang: "en"}
	y := func(minor int64) money.Amount { return money.New(minor, money.CNY) }
	for _, tt := range []struct {
		now, before any
		want        change
	}{
		{y(11000), y(10000), change{"▲ +10.0%", "up"}},
		{y(9000), y(10000), change{"▼ -10.0%", "down"}},
		{int64(3), int64(3), change{"±0%", "same"}},
		{int64(3), int64(0), change{"new", "up"}},
		{int64(2), int64(3), change{"▼ -33.3%", "down"}},
		{int64(10001), int64(10000), change{"±0%", "same"}}, // under a tenth of a percent
	} {
		if got := p.Change(tt.now, tt.before); got != tt.want {
			t.Errorf("Change(%v, %v) = %v, want %v", tt.now, tt.before, got, tt.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/dash/shops/north?date=2026-01-02": "/dash/shops/north?date=2026-01-02",
		"":                                  "/dash/",
		"https://evil.example/dash/":        "/dash/",
		"//evil.example/dash/":              "/dash/",
		"/v1/shops/x/upload":                "/dash/",
		"/dash":                             "/dash/",
		"javascript:alert(1)":               "/dash/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !checkPassword(h, "correct horse battery") || checkPassword(h, "correct horse batterY") {
		t.Error("the hash does not tell the password")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=4194304,t=2,p=2$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5"} {
		if checkPassword(bad, "") {
			t.Errorf("%q taken", bad)
		}
	}
}

func TestNiceTop(t *testing.T) {
	for top, want := range map[int64]int64{0: 1, 1: 1, 100: 1, 101: 2, 9900: 100, 10001: 200, 45000: 500, 123456: 2000} {
		if got := niceTop(top, money.CNY); got != want {
			t.Errorf("niceTop(%d) = %d, want %d", top, got, want)
		}
	}
}

// A period's span follows the till's rules: Monday to Sunday against the week before, a month against the
// month before, and while under way against the compared period up to the same moment.
func TestSpan(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	for _, tt := range []struct {
		p                           app.Period
		date, now                   time.Time
		from, to, cfrom, cto, sofar time.Time
	}{
		{app.PeriodDay, at(3, 12, 0), at(4, 1, 0), at(3, 12, 0), at(3, 13, 0), at(3, 5, 0), at(3, 6, 0), at(3, 6, 0)},
		{app.PeriodWeek, at(3, 12, 0), at(4, 1, 0), at(3, 9, 0), at(3, 16, 0), at(3, 2, 0), at(3, 9, 0), at(3, 9, 0)},
		{app.PeriodWeek, at(3, 15, 0), at(3, 11, 15), at(3, 9, 0), at(3, 16, 0), at(3, 2, 0), at(3, 9, 0), at(3, 4, 15)},
		{app.PeriodMonth, at(3, 31, 0), at(3, 31, 9), at(3, 1, 0), at(4, 1, 0), at(2, 1, 0), at(3, 1, 0), at(3, 1, 0)},
		{app.PeriodMonth, at(3, 1, 0), at(3, 20, 9), at(3, 1, 0), at(4, 1, 0), at(2, 1, 0), at(3, 1, 0), at(2, 20, 9)},
	} {
		s := newSpan(tt.p, tt.date, tt.now)
		if !s.From.Equal(tt.from) || !s.To.Equal(tt.to) || !s.CFrom.Equal(tt.cfrom) || !s.CTo.Equal(tt.cto) || !s.CSoFar.Equal(tt.sofar) {
			t.Errorf("newSpan(%v, %v, %v) = %+v", tt.p, tt.date, tt.now, s)
		}
		if s.UnderWay() != tt.sofar.Before(tt.cto) {
			t.Errorf("%+v: under way %v", s, s.UnderWay())
		}
		if b := s.bounds(s.From, s.To); !b[0].Equal(s.From) || !b[len(b)-1].Equal(s.To) {
			t.Errorf("%+v: bars %v", s, b)
		}
	}
}

// Every text the templates translate has its Chinese, and so do the texts the pages' methods translate.
func TestDashboardChinese(t *testing.T) {
	keys := map[string]bool{}
	files, _ := fs.Glob(dashFiles, "dash/*.html")
	for _, f := range files {
		b, _ := dashFiles.ReadFile(f)
		for _, m := range regexp.MustCompile(`\.T "([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for _, m := range []map[string]string{tenderNames, ruleNames, kindNames} {
		for _, v := range m {
			keys[v] = true
		}
	}
	for _, m := range []map[app.Period]string{chainTitles, shopTitles} {
		for _, v := range m {
			keys[v] = true
		}
	}
	for _, k := range []string{"day", "week", "month", "Last week", "Week before", "Month before", "No sales this day.", "No sales this week.",
		"No sales this month.", "Each figure against the same weekday last week (%s).", "Each figure against the week before (%s).",
		"Each figure against the month before (%s).", "The period is under way: it is set against the same part of that one, to %s.",
		"piece", "kg"} { // a low product's unit
		keys[k] = true
	}
	for k := range keys {
		if _, ok := dashZH[k]; !ok {
			t.Errorf("no Chinese for %q", k)
		}
	}
}
