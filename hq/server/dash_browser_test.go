package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"checkout/app"
	"checkout/app/document"
	"checkout/hq/hqtest"
)

// A real browser (headless Chromium) signs in with the password and a code made here, opens the chain's
// day and a shop's day, and reads the same figures as the uploaded sales sum to; it signs out, and the
// dashboard asks it to sign in again. With CHECKOUT_DASH_SHOTS set to a directory, it leaves screenshots
// there at 1366 and 390 pixels wide, in English and Chinese.
func TestDashboardInBrowser(t *testing.T) {
	chromium := hqtest.Chromium(t)
	h := hqtest.StartHQ(t)
	want := chainFixture(t, h)
	hostileUploads(t, h)
	secret := addUser(t, h, "boss", "owner")
	putAlerts(t, h, h.Enrol("north", "T09"), "north", alertsBody(lowPiece("DRK-001", "Coca-Cola Original Taste 330ml can", "-3", "0"),
		document.LowStock{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Unit: "kg", OnHand: "0.455", ReorderPoint: "5.000"},
		lowPiece("SNK-001", "Lay's potato chips, classic, family pack", "2", "6")))
	shots := os.Getenv("CHECKOUT_DASH_SHOTS")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.WindowSize(1366, 900),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.Flag("lang", "en-GB"))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium's sandbox refuses to run as root
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(sel, err)
		return strings.TrimSpace(s)
	}
	shot := func(name string, width int64) {
		t.Helper()
		if shots == "" {
			return
		}
		must("viewport", chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must("screenshot", err)
		must("save", os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644))
	}
	both := func(name string) {
		shot(name, 1366)
		shot(name, 390)
		chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900))
	}
	if shots != "" {
		must("shots", os.MkdirAll(shots, 0o755))
	}
	date := dashDay.Format(time.DateOnly)

	// The dashboard sends a stranger to sign in, and back to the page asked for after.
	must("open", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/?date="+date), chromedp.WaitVisible(chromedp.CSS(`input[name=code]`))))
	both("signin")
	code, err := app.TOTPCode(secret, time.Now())
	must("code", err)
	must("sign in", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "boss"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), dashPassword),
		chromedp.SendKeys(chromedp.CSS(`input[name=code]`), code)))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`button.primary`)))
	must("submit", err)
	must("chain", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#chain`))))

	north, south := want["north"], want["-south"]
	for sel, v := range map[string]string{
		`tr[data-shop="north"] [data-figure="revenue"]`:  yuan(north.revenue),
		`tr[data-shop="north"] [data-figure="sales"]`:    fmt.Sprint(north.sales),
		`tr[data-shop="north"] [data-figure="basket"]`:   yuan(north.basket()),
		`tr[data-shop="-south"] [data-figure="revenue"]`: yuan(south.revenue),
		`tfoot [data-figure="revenue"]`:                  yuan(north.revenue.Add(south.revenue)),
		`tfoot [data-figure="sales"]`:                    fmt.Sprint(north.sales + south.sales),
	} {
		if got := text(sel); !strings.HasPrefix(got, v) {
			t.Errorf("chain's day %s: %q, want %q", sel, got, v)
		}
	}
	both("chain-en")

	// A shop's day, from its row.
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`tr[data-shop="north"] a`)))
	must("open north", err)
	must("shop", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#products`))))
	for sel, v := range map[string]string{
		`.kpi [data-figure="revenue"]`: yuan(north.revenue),
		`.kpi [data-figure="sales"]`:   fmt.Sprint(north.sales),
		`.kpi [data-figure="refunds"]`: yuan(north.refunded),
	} {
		if got := text(sel); got != v {
			t.Errorf("shop's day %s: %q, want %q", sel, got, v)
		}
	}
	both("shop-en")

	// In Chinese.
	must("zh", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/shops/north?lang=zh-Hans&date="+date), chromedp.WaitVisible(chromedp.CSS(`#products`))))
	if got := text(`.kpi h3`); got != "营业额" {
		t.Errorf("the Chinese shop page's first card: %q", got)
	}
	both("shop-zh")
	must("zh chain", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/?date="+date), chromedp.WaitVisible(chromedp.CSS(`#chain`))))
	both("chain-zh")
	must("alarms", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/alarms?days=366&lang=en"), chromedp.WaitVisible(chromedp.CSS(`#alarms`))))
	both("alarms-en")
	must("tills", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/tills"), chromedp.WaitVisible(chromedp.CSS(`#tills`))))
	both("tills-en")

	// The pages of a week and a month, the rejected documents and the tills, in both languages.
	for _, lang := range []string{"en", "zh-Hans"} {
		for _, pg := range []struct{ name, path, sel string }{
			{"chain-week", "/dash/?period=week&date=" + date, `#chain-products`},
			{"chain-month", "/dash/?period=month&date=" + date, `#chain-products`},
			{"shop-week", "/dash/shops/north?period=week&date=" + date, `#products`},
			{"shop-month", "/dash/shops/north?period=month&date=" + date, `#products`},
			{"rejected", "/dash/rejected?days=3660", `#rejected`},
			{"tills", "/dash/tills", `#tills`},
			{"stock", "/dash/stock", `#stock`},
		} {
			sep := "?"
			if strings.Contains(pg.path, "?") {
				sep = "&"
			}
			must(pg.name, chromedp.Do(ctx, chromedp.Navigate(h.URL+pg.path+sep+"lang="+lang), chromedp.WaitVisible(chromedp.CSS(pg.sel))))
			if pg.name == "shop-week" && lang == "zh-Hans" {
				if got := text(`.choices a[aria-current]`); got != "周" {
					t.Errorf("the Chinese week's period: %q", got)
				}
			}
			both(pg.name + "-" + lang)
		}
	}

	// Signing out (the browser's own POST, with its Origin and Sec-Fetch-Site) ends the session.
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.who button`)))
	must("sign out", err)
	must("after", chromedp.Do(ctx, chromedp.Navigate(h.URL+"/dash/"), chromedp.WaitVisible(chromedp.CSS(`input[name=code]`))))
}
