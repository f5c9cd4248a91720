package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	_ "modernc.org/sqlite"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
	"checkout/till"
)

// cli runs the checkout command line and returns its exit code and output.
func cli(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestLangFlagSelectsChinese(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	if code, _, errOut := cli("-lang", "zh-Hans", "version"); code != 0 {
		t.Fatal(errOut)
	}
	defer setLanguage("en")
	if got := lang.L("Pay"); got != "付款" {
		t.Errorf(`after -lang zh-Hans, lang.L("Pay") = %q`, got)
	}
	// Product names follow the locale's language.
	if got := lang.SystemLocale().LanguageString(); !strings.HasPrefix(got, "zh") {
		t.Errorf("locale language = %q, want zh", got)
	}
}

func TestDepsWithoutAptExplains(t *testing.T) {
	// A system with neither dpkg nor apt: make deps must say what to install instead of failing obscurely.
	cmd := exec.Command("/bin/bash", ".ci/apt-install", "libusb-1.0-0-dev", "pkg-config")
	cmd.Env = []string{"PATH=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "No apt-get on this system") ||
		!strings.Contains(string(out), "libusb-1.0-0-dev pkg-config") {
		t.Errorf("apt-install without apt = %v\n%s", err, out)
	}
}

func TestTillWithoutDisplayExplains(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errOut := cli("-db", filepath.Join(t.TempDir(), "x.db"))
	if code != 1 || !strings.Contains(errOut, "no display") {
		t.Errorf("till without a display = %d %q", code, errOut)
	}
}

func TestCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	tests := []struct {
		args     []string
		code     int
		stdout   string
		stderr   string
		describe string
	}{
		{[]string{"version"}, 0, "checkout 0.", "", "version from FyneApp.toml"},
		{[]string{"-h"}, 0, "", "verify-journal", "help lists commands"},
		{[]string{"help"}, 0, "seed-demo", "", "help command"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, "unknown command"},
		{[]string{"-lang", "fr", "version"}, 2, "", `-lang "fr"`, "unsupported language"},
		{[]string{"-db", db, "seed-demo"}, 0, "added ", "", "seed into an empty database"},
		{[]string{"-db", db, "set", "cash_rounding", "0.10"}, 0, "cash_rounding = 0.10", "", "set"},
		{[]string{"-db", db, "set", "cash_rounding", "0.03"}, 1, "", "cash rounding", "bad setting"},
		{[]string{"-db", db, "set", "till"}, 1, "", "set takes KEY VALUE", "set without value"},
		{[]string{"-db", db, "settings"}, 0, "cash_rounding = 0.10", "", "settings"},
		{[]string{"-db", db, "verify-journal"}, 0, "journal OK: 1 rows verified", "", "the setting change is journaled"},
		{[]string{"-db", db, "set", "scanner.terminator", "semicolon"}, 1, "", "scanner terminator", "bad terminator"},
		{[]string{"-db", db, "set", "scanner.baud", "fast"}, 1, "", "scanner.baud", "bad baud"},
		{[]string{"-db", db, "set", "keyboard.wedge_gap_ms", "500"}, 1, "", "10 to 150", "wedge gap out of range"},
		{[]string{"-db", db, "set", "scanner.terminator", "crlf"}, 0, "scanner.terminator = crlf", "", "terminator"},
		{[]string{"-db", db, "set", "barcode_layout.25", "PPIIIIIMMMMMC"}, 0, "barcode_layout.25", "", "layout"},
		{[]string{"-db", db, "set", "printer.width", "76"}, 1, "", "58 or 80", "bad paper width"},
		{[]string{"-db", db, "set", "printer.lang", "fr"}, 1, "", "en or zh-Hans", "bad receipt language"},
		{[]string{"-db", db, "set", "printer.port", "usb:12"}, 1, "", "usb:VID:PID", "bad USB printer"},
		{[]string{"-db", db, "set", "printer.paper", "thermal"}, 1, "", "unknown setting", "unknown printer setting"},
		{[]string{"-db", db, "set", "printer.port", "tcp://192.168.1.50"}, 0, "printer.port = tcp://192.168.1.50", "", "network printer"},
		{[]string{"-db", db, "set", "printer.width", "58"}, 0, "printer.width = 58", "", "58 mm paper"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%s: checkout %v = %d\nstdout %q\nstderr %q", tt.describe, tt.args, code, out, errOut)
		}
	}
}

func TestStockCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-db", db, "seed-demo"}, 0, "added ", ""},
		{[]string{"-db", db, "receive", "5449000000996", "24", "1.50", "Acme"}, 0, "24 on hand", ""},
		{[]string{"-db", db, "receive", "5449000000996", "2.5", "1.50"}, 1, "", "pieces are whole"},
		{[]string{"-db", db, "adjust", "5449000000996", "-2", "damage"}, 0, "22 on hand", ""},
		{[]string{"-db", db, "adjust", "5449000000996", "-2", "borrowed"}, 1, "", "reason"},
		{[]string{"-db", db, "transfer", "5449000000996", "-6", "Riverside"}, 0, "16 on hand", ""},
		{[]string{"-db", db, "transfer", "5449000000996", "2", "Riverside"}, 0, "18 on hand", ""},
		{[]string{"-db", db, "transfer", "5449000000996", "2", " "}, 1, "", "names the other shop"},
		{[]string{"-db", db, "reorder-point", "5449000000996", "30"}, 0, "reorder at 30", ""},
		{[]string{"-db", db, "low-stock"}, 0, "order       42\n1 products low", ""},
		{[]string{"-db", db, "stock", "0000000000000"}, 1, "", "no product"},
		{[]string{"-db", db, "set-price", "DRK-001", "3.50"}, 0, "3.00 → 3.50 (journaled)", ""},
		{[]string{"-db", db, "set-price", "DRK-001", "-1"}, 1, "", "invalid amount"},
		{[]string{"-db", db, "verify-journal"}, 0, "journal OK", ""},
		{[]string{"-db", db, "set", "cardreader.vid", "072f"}, 0, "cardreader.vid = 072f", ""},
		{[]string{"-db", db, "set", "cardreader.vid", "acr"}, 1, "", "hexadecimal USB ID"},
		{[]string{"-db", db, "set", "cardreader.mode", "bluetooth"}, 1, "", "usb or sim"},
	} {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args[2:], code, out, errOut)
		}
	}
}

func TestImportCatalogChecksThenImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	file := filepath.Join(dir, "catalog.csv")
	if err := os.WriteFile(file, []byte("sku,barcode,name,unit,price,tax_class\n"+
		"NEW-001,6901234567892,Pen,piece,1.00,standard\n"+
		"NEW-002,5449000000996,Cola again,piece,3.00,standard\n"+ // the demo cola's code
		"NEW-003,96385074,Gum,piece,-1,standard\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := cli("-db", db, "import-catalog", file)
	if code != 1 || !strings.Contains(out, "line 3: barcode 5449000000996 is already on product DRK-001") ||
		!strings.Contains(out, "line 4: negative price") || !strings.Contains(out, "1 good rows, 2 bad") || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("dry run = %d\n%s%s", code, out, errOut)
	}
	if _, out, _ := cli("-db", db, "stock", "6901234567892"); strings.Contains(out, "NEW-001") {
		t.Fatal("the dry run imported")
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", file); code != 0 || !strings.Contains(out, "imported 1 products") {
		t.Fatalf("-apply = %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := cli("-db", db, "stock", "6901234567892"); code != 0 || !strings.Contains(out, "NEW-001 Pen") {
		t.Fatalf("after -apply: %d %s", code, out)
	}
}

// TestCatalogRoundTrip: a 100,000-product catalog exported and imported into an empty till comes back the
// same, byte for byte when exported again.
func TestCatalogRoundTrip(t *testing.T) {
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 2_000
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("sku,barcode,name,name_zh,category,unit,price,cost,reorder_point,tax_class,active\n")
	for i := range n {
		data := fmt.Sprintf("69%010d", i)
		fmt.Fprintf(&b, "GEN-%06d,%s,Product %d,商品%d,cat%d,piece,%d.%02d,1.00,%d,standard,yes\n", i, data+string(barcode.CheckDigit(data)), i, i, i%50, 1+i%90, i%100, i%20)
	}
	first := filepath.Join(dir, "first.csv")
	if err := os.WriteFile(first, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	a, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "c.db")
	start := time.Now()
	if code, out, errOut := cli("-db", a, "import-catalog", "-apply", first); code != 0 || !strings.Contains(out, fmt.Sprintf("imported %d products", n)) {
		t.Fatalf("import = %d\n%s%s", code, out, errOut)
	}
	t.Logf("imported %d rows in %v", n, time.Since(start).Round(time.Millisecond))
	exportA, exportC := filepath.Join(dir, "a.csv"), filepath.Join(dir, "c.csv")
	if code, _, errOut := cli("-db", a, "export-catalog", exportA); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", c, "import-catalog", "-apply", exportA); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", c, "export-catalog", exportC); code != 0 {
		t.Fatal(errOut)
	}
	x, _ := os.ReadFile(exportA)
	y, _ := os.ReadFile(exportC)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("the catalog changed in a round trip (%d and %d bytes)", len(x), len(y))
	}
	if lines := bytes.Count(x, []byte("\n")); lines != n+1 {
		t.Fatalf("export has %d lines for %d products", lines, n)
	}
}

// report -pdf writes the day (in Chinese with -lang zh-Hans) or a range as a PDF that pdftotext reads back.
func TestReportPDF(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	defer setLanguage("en")
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	ctx := context.Background()
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	water := app.CatalogEntry{Product: app.Product{SKU: "DRK-002", Name: "农夫山泉 550ml", Price: money.New(200, money.CNY),
		Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6921168509256"}}
	if _, err := st.AddProducts(ctx, []app.CatalogEntry{water}); err != nil {
		t.Fatal(err)
	}
	if err := st.SearchIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetSetting(ctx, "shop_name", "街角小店", time.Now()); err != nil {
		t.Fatal(err)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 1} { // ¥4.00 and ¥2.00 in cash
		co, err := app.NewCheckout(set, st, st, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			if _, err := co.Scan(ctx, "6921168509256"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := co.SettleCash(ctx, co.CashDue()); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	today := time.Now().Format("2006-01-02")
	dayFile, rangeFile := filepath.Join(dir, "day.pdf"), filepath.Join(dir, "range.pdf")
	code, out, errOut := cli("-db", db, "-lang", "zh-Hans", "report", "-day", today, "-pdf", dayFile)
	if code != 0 || !strings.Contains(out, "written to "+dayFile) {
		t.Fatalf("report -pdf = %d\n%s\n%s", code, out, errOut)
	}
	text := pdfText(t, dayFile)
	for _, want := range []string{"街角小店 · 销售报表", today, "营业额", "¥6.00", "客单价", "¥3.00", "农夫山泉 550ml", "应有现金", "变化"} {
		if !strings.Contains(text, want) {
			t.Errorf("the day's PDF does not say %q:\n%s", want, text)
		}
	}

	setLanguage("en")
	t.Setenv("LANGUAGE", "en")
	t.Setenv("LC_ALL", "en_US")
	weekAgo := time.Now().AddDate(0, 0, -6).Format("2006-01-02")
	code, out, errOut = cli("-db", db, "report", "-from", weekAgo, "-to", today, "-pdf", rangeFile)
	if code != 0 {
		t.Fatalf("report -from -to -pdf = %d\n%s\n%s", code, out, errOut)
	}
	text = pdfText(t, rangeFile)
	for _, want := range []string{"Sales report", weekAgo + " – " + today, "Revenue", "¥6.00", "农夫山泉 550ml"} {
		if !strings.Contains(text, want) {
			t.Errorf("the range's PDF does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Change") {
		t.Errorf("a range was compared with something:\n%s", text)
	}

	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"report", "-from", weekAgo, "-to", today, "-csv"}, 0, "sales,,2,\nrevenue,,6.00,\n", ""},
		{[]string{"report", "-from", weekAgo, "-to", today}, 0, weekAgo + " – " + today + "\nfigure", ""},
		{[]string{"report", "-from", today}, 1, "", "report takes"},
		{[]string{"report", "-day", today, "-from", today, "-to", today}, 1, "", "report takes"},
		{[]string{"report", "-csv", "-pdf", rangeFile}, 1, "", "report takes"},
		{[]string{"report", "-from", today, "-to", weekAgo}, 1, "", "on or after -from"},
		{[]string{"report", "-pdf", filepath.Join(dir, "no such dir", "r.pdf")}, 1, "", "no such file or directory"},
	} {
		code, out, errOut := cli(append([]string{"-db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args, code, out, errOut)
		}
	}
}

// pdfText is a PDF file's text as pdftotext -layout reads it (make test installs poppler-utils).
func pdfText(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

func TestReportCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		co, err := app.NewCheckout(set, st, st, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		co.SetSession(app.SystemSession("Ann"))
		if _, err := co.SettleCash(ctx, co.CashDue()); err != nil {
			t.Fatal(err)
		}
		// Ann abandons two carts after each sale: four voids in two sales, and no history.
		for range 2 {
			if _, err := co.Scan(ctx, "5449000000996"); err != nil {
				t.Fatal(err)
			}
			if err := co.Void(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	st.Close()

	today := time.Now().Format("2006-01-02")
	file := filepath.Join(dir, "sales.csv")
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"report"}, 0, "revenue new, sales new", ""},
		{[]string{"report", "-day", today}, 0, "sales", ""},
		{[]string{"report", "-csv"}, 0, "figure,key,value,same_weekday_last_week\nsales,,2,0\n", ""},
		{[]string{"report", "-csv"}, 0, "cashier_sales,Ann,2,\ncashier_revenue,Ann,6.00,\n", ""},
		{[]string{"report", "-csv"}, 0, "cashier_voids,Ann,4,\n", ""},
		{[]string{"report", "-csv"}, 0, "anomaly,Ann voids,\"4 in 2 sales: 200.00 per 100 sales, usually 0.00 (shop)\",\n", ""},
		{[]string{"report", "-day", "2020-01-01", "-csv"}, 0, "anomalies,,none,\n", ""},
		{[]string{"report", "-day", "2020-13-01"}, 1, "", "YYYY-MM-DD"},
		{[]string{"report", "-day", "2020-01-01", "-csv"}, 0, "sales,,0,0\n", ""},
		{[]string{"export-sales", "-from", today, "-to", today, file}, 0, "2 sale lines written", ""},
		{[]string{"export-sales", "-from", today, "-to", today}, 0, "receipt,time,sku,name,qty,unit_price,total,tax,tenders\nT01-000001,", ""},
		{[]string{"export-sales", "-from", today}, 1, "", "export-sales takes -from"},
		{[]string{"export-sales", "-from", today, "-to", "2000-01-01"}, 1, "", "on or after -from"},
		{[]string{"x-report"}, 0, "X report (nothing stored)", ""},
		{[]string{"x-report"}, 0, "anomaly                      Ann voids", ""},
		{[]string{"z-report"}, 0, "Z report T01-Z0001", ""},
		{[]string{"z-report"}, 0, "Z report T01-Z0002", ""},
		{[]string{"z-reports"}, 0, "T01-Z0002", ""},
		{[]string{"z-reports", "T01-Z0001"}, 0, "\"sales\": 2,", ""},
		{[]string{"z-reports", "T01-Z0009"}, 1, "", "not found"},
		{[]string{"verify-journal"}, 0, "journal OK", ""},
	} {
		code, out, errOut := cli(append([]string{"-db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args, code, out, errOut)
		}
	}
	body, err := os.ReadFile(file)
	if lines := strings.Split(strings.TrimSpace(string(body)), "\n"); err != nil || len(lines) != 3 ||
		!strings.HasSuffix(lines[1], ",1,3.00,3.00,0.35,cash") {
		t.Errorf("exported file: %q, %v", body, err)
	}
}

// The owner's commands for staff: add with the PIN on standard input, list, change, and a wrong use.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	withStdin := func(text string) { stdin = strings.NewReader(text) }
	t.Cleanup(func() { stdin = os.Stdin })
	withStdin("1234\n")
	if code, out, errOut := cli("-db", db, "user-add", "Wang", "supervisor"); code != 0 || out != "added Wang (supervisor)\n" {
		t.Fatalf("user-add = %d %q %q", code, out, errOut)
	}
	withStdin("12\n")
	if code, _, errOut := cli("-db", db, "user-add", "Li", "cashier"); code != 1 || !strings.Contains(errOut, "4 to 6 digits") {
		t.Errorf("user-add with a short PIN = %d %q", code, errOut)
	}
	if code, _, errOut := cli("-db", db, "user-add", "Li", "boss"); code != 1 || !strings.Contains(errOut, "not cashier, supervisor or owner") {
		t.Errorf("user-add with a bad role = %d %q", code, errOut)
	}
	if code, out, _ := cli("-db", db, "user-set", "wang", "inactive"); code != 0 || !strings.Contains(out, "Wang: supervisor, active false") {
		t.Errorf("user-set inactive = %d %q", code, out)
	}
	withStdin("5678\n")
	if code, _, errOut := cli("-db", db, "user-set", "Wang", "pin"); code != 0 {
		t.Errorf("user-set pin = %d %q", code, errOut)
	}
	if code, out, _ := cli("-db", db, "user-set", "Wang", "two-factor-off"); code != 0 || !strings.Contains(out, "two-factor sign-in off") {
		t.Errorf("user-set two-factor-off = %d %q", code, out)
	}
	code, out, _ := cli("-db", db, "users")
	if code != 0 || !strings.Contains(out, "Wang  supervisor  inactive") {
		t.Errorf("users = %d %q", code, out)
	}
	if code, _, errOut := cli("-db", db, "user-set", "Wang", "active"); code != 0 {
		t.Errorf("user-set active = %d %q", code, errOut)
	}
	// The till signs in with the PIN the command hashed, peppered with the same till.key.
	st, err := till.OpenStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pins, err := till.SecretsOf(db).PINs(app.DefaultSecurity())
	if err != nil {
		t.Fatal(err)
	}
	auth := app.NewAuth(st, "T01", pins, time.Now)
	if _, err := auth.SignIn(context.Background(), "Wang", "1234"); !errors.Is(err, app.ErrWrongPIN) {
		t.Errorf("the old PIN: %v", err)
	}
	if _, err := auth.SignIn(context.Background(), "Wang", "5678"); err != nil {
		t.Errorf("user-set pin did not change the PIN: %v", err)
	}
}

// backup while the database is open elsewhere, restore refused while it is, then restored.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	st, err := till.OpenStore(context.Background(), db) // the till, running
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if code, out, errOut := cli("-db", db, "backup", backup); code != 0 || !strings.Contains(out, "backed up to "+backup+": 0 sales") {
		t.Fatalf("backup = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli("-db", db, "restore", backup); code != 1 || !strings.Contains(errOut, "in use") {
		t.Errorf("restore under a running till = %d %q", code, errOut)
	}
	st.Close()
	if code, out, errOut := cli("-db", db, "restore", backup); code != 0 || !strings.Contains(out, "is kept as "+db+".before-restore-") {
		t.Errorf("restore = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli("-db", db, "restore", filepath.Join(dir, "missing.db")); code != 1 || errOut == "" {
		t.Errorf("restore of a missing file = %d %q", code, errOut)
	}
}

func TestAutostart(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if code, out, errOut := cli("autostart", "on"); code != 0 || !strings.Contains(out, "starts full screen at login") {
		t.Fatalf("autostart on = %d %q %q", code, out, errOut)
	}
	entry := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", "checkout.desktop")
	body, err := os.ReadFile(entry)
	if err != nil || !strings.Contains(string(body), "Exec=\"") || !strings.Contains(string(body), "\" -kiosk\n") {
		t.Errorf("autostart entry %q, %v", body, err)
	}
	if code, _, _ := cli("autostart", "off"); code != 0 {
		t.Error("autostart off failed")
	}
	if _, err := os.Stat(entry); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("autostart off left %s", entry)
	}
	if code, _, errOut := cli("autostart", "maybe"); code != 1 || !strings.Contains(errOut, "on or off") {
		t.Errorf("autostart maybe = %d %q", code, errOut)
	}
}

// An encrypted backup opens only with its passphrase, and a changed byte is refused.
func TestEncryptedBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	t.Cleanup(func() { stdin = os.Stdin })
	sealed := filepath.Join(dir, "b.age")
	stdin = strings.NewReader("short\n")
	if code, _, errOut := cli("-db", db, "backup", "-encrypt", sealed); code != 1 || !strings.Contains(errOut, "at least 12") {
		t.Errorf("a short passphrase = %d %q", code, errOut)
	}
	stdin = strings.NewReader("correct horse battery\n")
	if code, out, errOut := cli("-db", db, "backup", "-encrypt", sealed); code != 0 || !strings.Contains(out, "encrypted") {
		t.Fatalf("backup -encrypt = %d %q %q", code, out, errOut)
	}
	body, _ := os.ReadFile(sealed)
	if bytes.Contains(body, []byte("SQLite format 3")) || bytes.Contains(body, []byte("Coca-Cola")) {
		t.Error("the encrypted backup shows its contents")
	}
	stdin = strings.NewReader("wrong horse battery\n")
	if code, _, errOut := cli("-db", db, "restore", sealed); code != 1 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("restore with a wrong passphrase = %d %q", code, errOut)
	}
	tampered := filepath.Join(dir, "t.age")
	body[len(body)-100] ^= 1
	if err := os.WriteFile(tampered, body, 0o600); err != nil {
		t.Fatal(err)
	}
	stdin = strings.NewReader("correct horse battery\n")
	if code, _, errOut := cli("-db", db, "restore", tampered); code != 1 || !strings.Contains(errOut, "changed or cut short") {
		t.Errorf("restore of a changed file = %d %q", code, errOut)
	}
	stdin = strings.NewReader("correct horse battery\n")
	if code, out, errOut := cli("-db", db, "restore", sealed); code != 0 || !strings.Contains(out, "restored") {
		t.Errorf("restore = %d %q %q", code, out, errOut)
	}
}

// TestExportsKeepFormulasOutOfSpreadsheets: product text that a spreadsheet would run as a formula (=, +,
// -, @) leaves every CSV export with a leading ' (OWASP's CSV injection advice), while amounts, negative
// ones too, stay numbers; and an exported catalog imports back unchanged, ' and all.
func TestExportsKeepFormulasOutOfSpreadsheets(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli("-db", db, "set", "cash_rounding", "0.10"); code != 0 {
		t.Fatal(errOut)
	}
	hostile := filepath.Join(dir, "hostile.csv")
	if err := os.WriteFile(hostile, []byte("sku,barcode,name,name_zh,category,unit,price,tax_class\n"+
		`-X1,6901234567892,"=HYPERLINK(""http://evil.example/"",""Click"")",+1,@SUM(A1),piece,3.01,standard`+"\n"+
		// A file's ' before a formula is a spreadsheet's quote and comes off: this name is stored as '=already quoted.
		`X2,6924743915770,''=already quoted,-2+3,'plain,piece,1.00,standard`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli("-db", db, "import-catalog", "-apply", hostile); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	sellForCash(t, db, "6901234567892")

	today := time.Now().Format("2006-01-02")
	_, report, _ := cli("-db", db, "report", "-csv")
	_, sales, _ := cli("-db", db, "export-sales", "-from", today, "-to", today)
	catalogFile := filepath.Join(dir, "catalog.csv")
	if code, _, errOut := cli("-db", db, "export-catalog", catalogFile); code != 0 {
		t.Fatal(errOut)
	}
	catalog, _ := os.ReadFile(catalogFile)
	for _, tt := range []struct{ what, got, want string }{
		{"report: a category", report, "\ncategory,'@SUM(A1),3.01,"},
		{"report: a negative amount", report, "\ncash_rounding,,-0.01,"},
		{"export-sales: text", sales, `,'-X1,"'=HYPERLINK(""http://evil.example/"",""Click"")",1,3.01,3.01,`},
		{"export-catalog: text", string(catalog), `'-X1,6901234567892,"'=HYPERLINK(""http://evil.example/"",""Click"")",'+1,'@SUM(A1),piece,3.01,`},
		{"export-catalog: an apostrophe already there", string(catalog), "X2,6924743915770,''=already quoted,'-2+3,'plain,piece,1.00,"},
	} {
		if !strings.Contains(tt.got, tt.want) {
			t.Errorf("%s: no %q in\n%s", tt.what, tt.want, tt.got)
		}
	}

	// The export imports into an empty till as the same products, and exports the same bytes again.
	db2 := filepath.Join(dir, "c2.db")
	if code, out, errOut := cli("-db", db2, "import-catalog", "-apply", catalogFile); code != 0 {
		t.Fatalf("import the export: %s%s", out, errOut)
	}
	again := filepath.Join(dir, "again.csv")
	if code, _, errOut := cli("-db", db2, "export-catalog", again); code != 0 {
		t.Fatal(errOut)
	}
	if b, _ := os.ReadFile(again); !bytes.Equal(b, catalog) {
		t.Errorf("the catalog changed in a round trip:\n%s\n%s", catalog, b)
	}
	ctx := context.Background()
	st2, err := till.OpenStore(ctx, db2)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	for code, want := range map[string][3]string{
		"6901234567892": {`=HYPERLINK("http://evil.example/","Click")`, "+1", "@SUM(A1)"},
		"6924743915770": {"'=already quoted", "-2+3", "'plain"},
	} {
		p, err := st2.ProductByBarcode(ctx, code)
		if err != nil || [3]string{p.Name, p.NameZH, p.Category} != want {
			t.Errorf("%s came back as %q %q %q (%v), want %q", code, p.Name, p.NameZH, p.Category, err, want)
		}
	}
}

// A backup, plain or encrypted, is private and whole in its folder, and one that fails (here: the till's
// journal was tampered with, so the copy fails its check) leaves nothing there at all.
func TestFailedBackupsLeaveNothingBehind(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	t.Cleanup(func() { stdin = os.Stdin })
	backups := filepath.Join(dir, "usb")
	folder := func() string {
		entries, _ := os.ReadDir(backups)
		var names []string
		for _, e := range entries {
			info, _ := e.Info()
			names = append(names, fmt.Sprintf("%s %v", e.Name(), info.Mode().Perm()))
		}
		return strings.Join(names, ", ")
	}
	if code, _, errOut := cli("-db", db, "backup", filepath.Join(backups, "plain.db")); code != 0 {
		t.Fatal(errOut)
	}
	stdin = strings.NewReader("correct horse battery\n")
	if code, _, errOut := cli("-db", db, "backup", "-encrypt", filepath.Join(backups, "sealed.age")); code != 0 {
		t.Fatal(errOut)
	}
	if got := folder(); got != "plain.db -rw-------, sealed.age -rw-------" {
		t.Fatalf("backup folder: %s", got)
	}

	// A sale, and then its journal entry changed.
	sellForCash(t, db, "5449000000996")
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := raw.Exec(`DROP TRIGGER journal_append_only_update; UPDATE journal SET payload = payload || ' ' WHERE kind = 'sale'`); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d journal rows changed", n)
	}
	raw.Close()
	if code, _, errOut := cli("-db", db, "backup", filepath.Join(backups, "plain2.db")); code != 1 || !strings.Contains(errOut, "journal") {
		t.Errorf("plain backup of a tampered till = %d %q", code, errOut)
	}
	stdin = strings.NewReader("correct horse battery\n")
	if code, _, errOut := cli("-db", db, "backup", "-encrypt", filepath.Join(backups, "sealed2.age")); code != 1 || !strings.Contains(errOut, "journal") {
		t.Errorf("encrypted backup of a tampered till = %d %q", code, errOut)
	}
	if got := folder(); got != "plain.db -rw-------, sealed.age -rw-------" {
		t.Errorf("after failed backups the folder holds: %s", got)
	}
}

// sellForCash sells one of each code in one sale, paid in cash, at the till whose database is db.
func sellForCash(t *testing.T, db string, codes ...string) {
	t.Helper()
	ctx := context.Background()
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, _ := st.Settings(ctx)
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := co.SettleCash(ctx, co.CashDue()); err != nil {
		t.Fatal(err)
	}
}
