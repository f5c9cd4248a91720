package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/till"
)

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
		{[]string{"export-sales", "-from", today, "-to", today}, 0, "receipt,time,sku,name,qty,unit_price,total,tax,tenders,unit\nT01-000001,", ""},
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
		!strings.HasSuffix(lines[1], ",1,3.00,3.00,0.35,cash,piece") {
		t.Errorf("exported file: %q, %v", body, err)
	}
}

// The Z report prints the journal's head at it, its own journal row (sequence and the first 16 hex
// digits of its hash), and z-reports shows that row as the journal holds it now: paper to compare with.
func TestZReportPrintsTheJournalHead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	for _, args := range [][]string{{"seed-demo"}, {"shift-open", "100"}, {"cash-in", "50", "change"}} {
		if code, _, errOut := cli(append([]string{"-db", db}, args...)...); code != 0 {
			t.Fatalf("checkout %v: %s", args, errOut)
		}
	}
	code, out, errOut := cli("-db", db, "z-report")
	if code != 0 {
		t.Fatalf("z-report: %s", errOut)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var seq int64
	var hash string
	if err := raw.QueryRow(`SELECT seq, hash FROM journal WHERE kind = 'zreport'`).Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	head := fmt.Sprintf("journal head %d · %s\n", seq, hash[:16])
	if !strings.Contains(out, head) {
		t.Errorf("z-report printed %q, want %q", out, head)
	}
	if code, _, errOut := cli("-db", db, "cash-in", "10", "change"); code != 0 { // the journal goes on
		t.Fatal(errOut)
	}
	if _, out, _ := cli("-db", db, "z-reports", "T01-Z0001"); !strings.Contains(out, "as stored; journal head "+head[len("journal head "):len(head)-1]+":") {
		t.Errorf("z-reports T01-Z0001 printed %q, want its head %q", out, head)
	}
	if _, out, _ := cli("-db", db, "z-reports"); !strings.Contains(out, head[len("journal head "):len(head)-1]) {
		t.Errorf("z-reports printed %q, want the head %q", out, head)
	}
}
