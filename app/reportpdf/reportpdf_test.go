package reportpdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func cny(minor int64) money.Amount { return money.New(minor, money.CNY) }

// daySummary is a day as the store would sum it: two sales (one with a member), a cash refund, a top-up.
func daySummary(day time.Time) app.DaySummary {
	from, to := app.DayBounds(day)
	s := app.NewDaySummary(from, to, money.CNY)
	s.Sales, s.Items, s.Revenue, s.Tax = 2, 5, cny(123456), cny(14203)
	s.TaxByRate = []app.RateTax{{RateBP: 900, Tax: cny(203)}, {RateBP: 1300, Tax: cny(14000)}}
	s.Tenders = []app.TenderTotal{{Kind: app.TenderCash, Count: 1, Amount: cny(23456)}, {Kind: app.TenderWallet, Count: 1, Amount: cny(100000)}}
	s.Refunds, s.RefundTotal = 1, cny(200)
	s.RefundsByKind = []app.TenderTotal{{Kind: app.TenderCash, Count: 1, Amount: cny(200)}}
	s.TopUps, s.TopUpTotal = 1, cny(50000)
	s.TopUpsByKind = []app.TenderTotal{{Kind: app.TenderCash, Count: 1, Amount: cny(50000)}}
	s.Voids = 1
	s.ByHour[9] = app.HourTotal{Sales: 1, Revenue: cny(23456)}
	s.ByHour[17] = app.HourTotal{Sales: 1, Revenue: cny(100000)}
	s.ByCategory = []app.CategoryTotal{{Category: "Drinks", CategoryZH: "饮料", Qty: 4000, Revenue: cny(100000)}, {Category: "snacks", Qty: 1000, Revenue: cny(23456)}}
	s.TopProducts = []app.ProductTotal{{SKU: "DRK-002", Name: "Nongfu Spring 550ml", NameZH: "农夫山泉 550ml", Unit: app.UnitPiece, Qty: 4000, Revenue: cny(100000)},
		{SKU: "PRO-001", Name: "Banana", Unit: app.UnitKg, Qty: 1250, Revenue: cny(23456)}}
	s.MemberSales, s.MemberRevenue = 1, cny(100000)
	before, wang := app.NewCashierTotal("", money.CNY), app.NewCashierTotal("王芳", money.CNY)
	before.Sales, before.Revenue = 1, cny(23456)
	wang.Sales, wang.Revenue, wang.Refunds, wang.RefundTotal, wang.Voids, wang.VoidsPaid = 1, cny(100000), 1, cny(200), 1, 1
	s.ByCashier = []app.CashierTotal{before, wang}
	return s
}

// zhHans translates with the till's own Chinese translations.
func zhHans(t *testing.T) func(string, ...any) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "assets", "translations", "zh-Hans.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table map[string]string
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	return func(key string, data ...any) string {
		v, ok := table[key]
		if !ok {
			t.Errorf("no Chinese translation of %q", key)
			return key
		}
		if len(data) == 1 { // a template's fields, as lang.L fills them
			if fields, ok := data[0].(map[string]any); ok {
				for name, value := range fields {
					v = strings.ReplaceAll(v, "{{."+name+"}}", fmt.Sprint(value))
				}
			}
		}
		return v
	}
}

// withFonts adds the fonts the tests print with to r: make test installs fonts-droid-fallback and
// fonts-dejavu-core.
func withFonts(t *testing.T, r Report) Report {
	t.Helper()
	var err error
	if r.Font, r.LatinFont, err = LoadFonts(); err != nil {
		t.Fatal(err)
	}
	return r
}

// pdfText is the text of a PDF as pdftotext -layout reads it (make test installs poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (from poppler-utils): %v", err)
	}
	return string(out)
}

// spaces squeezes runs of spaces, so a test can look for "label value" across -layout's columns.
var spaces = regexp.MustCompile(` {2,}`)

func TestChineseReportWithComparison(t *testing.T) {
	day := time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local)
	sum := daySummary(day)
	last := app.NewDaySummary(sum.From.AddDate(0, 0, -7), sum.To.AddDate(0, 0, -7), money.CNY)
	last.Sales, last.Items, last.Revenue = 1, 2, cny(61728)
	var buf bytes.Buffer
	anomalies := []app.Anomaly{{Cashier: "王芳", Kind: app.AnomalyVoids, Count: 3, Sales: 1, Rate: 30000, Shop: true}}
	alarms := []app.Alarm{{Kind: app.AlarmBelowCost, Cashier: "王芳", At: sum.From.Add(10 * time.Hour), SKU: "SNK-001", Price: cny(325),
		Other: cny(433), ApprovedBy: "赵强"}, {Kind: app.AlarmWrongPINs, Cashier: "李雷", At: sum.From.Add(11 * time.Hour)}}
	err := Write(&buf, withFonts(t, Report{Shop: "街角小店", Summary: sum, Compare: &last, Anomalies: anomalies, Alarms: alarms,
		Language: "zh-Hans", Translate: zhHans(t)}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	text := pdfText(t, buf.Bytes())
	flat := spaces.ReplaceAllString(text, " ")
	for _, want := range []string{
		"街角小店 · 销售报表",
		"2026-11-24 周二 (对比 2026-11-17 周二)",
		"营业额 销售笔数 客单价 退款 毛利", // the tiles
		"¥1,234.56 2 ¥617.28 ¥2.00 —",
		"+100.00% +100.00% = 持平 上周同日无",
		"无成本数据",
		"净营业额 ¥1,232.56", // less the ¥2.00 refund
		"每单件数 2.50 2.00 +25.00%",
		"会员销售占比 50.00%",
		"9.00% ¥2.03", "13.00% ¥140.00",
		"现金 × 1 ¥234.56", "钱包付款码 × 1 ¥1,000.00",
		"按退款方式", "现金 × 1 ¥2.00",
		"充值", "¥500.00",
		"按小时销售", "¥1,000.00", "¥800", // the tallest hour's bar is labelled, the axis in round amounts
		"饮料 ¥1,000.00 81.0%",
		"1 农夫山泉 550ml 4 件 ¥1,000.00", // the Chinese name, the unit in Chinese
		"2 Banana 1.250 公斤 ¥234.56",  // no Chinese name: the English one
		"snacks ¥234.56",
		"应有现金 ¥732.56", // 234.56 cash + 500.00 cash top-up − 2.00 cash refund
		"按收银员", "（启用用户前） 1 ¥234.56 0 · ¥0.00 0 0 0 0 · ¥0.00",
		"王芳 1 ¥1,000.00 1 · ¥2.00 1 1 0 0 · ¥0.00",
		"异常", "王芳 作废 3 1 300.00 0.00*", "* 全店的平常比率",
		"风控拦截", "王芳 低于成本 SNK-001 将以 3.25 售出，低于成本 4.33 赵强", "李雷 PIN 错误 PIN 多次错误，李雷 已被锁定 —",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, text)
		}
	}
}

func TestEnglishRangeWithoutComparison(t *testing.T) {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local)
	sum := daySummary(from)
	sum.To = from.AddDate(0, 0, 7)
	sum.ByDay = app.NewDaySummary(sum.From, sum.To, money.CNY).ByDay
	sum.ByDay[0].HourTotal = app.HourTotal{Sales: 1, Revenue: cny(23456)}
	sum.ByDay[3].HourTotal = app.HourTotal{Sales: 1, Revenue: cny(100000)}
	var buf bytes.Buffer
	if err := Write(&buf, withFonts(t, Report{Summary: sum, Language: "en"})); err != nil {
		t.Fatal(err)
	}
	flat := spaces.ReplaceAllString(pdfText(t, buf.Bytes()), " ")
	for _, want := range []string{"Sales report", "2026-11-01 – 2026-11-07", "Wallet × 1 ¥1,000.00 81.0%", "Revenue Sales Average basket Refunds Margin",
		"¥1,234.56 2 ¥617.28 ¥2.00 —", "Net revenue ¥1,232.56", "Sales by day",
		"1 2 3 4 5 6 7", "Sun Mon Tue Wed Thu Fri Sat", // each day of the week, and its weekday
		"1 Nongfu Spring 550ml 4 pcs ¥1,000.00", "Drinks ¥1,000.00", "Cash expected ¥732.56", "By cashier", "(before users) 1 ¥234.56", "No anomalies"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, flat)
		}
	}
	if strings.Contains(flat, "Change") {
		t.Error("a report without a comparison has a Change column")
	}
}

// A Z report's PDF prints its number and the journal's head at it, in either language.
func TestZReportPrintsTheJournalHead(t *testing.T) {
	sum := daySummary(time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local))
	z := &app.ZReport{No: "T01-Z0003", Summary: sum, Head: app.NewChainHead(1234, "0123456789abcdef0123456789abcdef")}
	for _, tt := range []struct {
		r    Report
		want string
	}{
		{Report{Summary: sum, Z: z, Language: "en"}, "Z report T01-Z0003 Journal head 1234 · 0123456789abcdef"},
		{Report{Summary: sum, Z: z, Language: "zh-Hans", Translate: zhHans(t)}, "Z 报表 T01-Z0003 日志链头 1234 · 0123456789abcdef"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, withFonts(t, tt.r)); err != nil {
			t.Fatal(err)
		}
		if flat := spaces.ReplaceAllString(pdfText(t, buf.Bytes()), " "); !strings.Contains(flat, tt.want) {
			t.Errorf("the PDF does not say %q:\n%s", tt.want, flat)
		}
	}
}

func TestFileNameAndPeriod(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		from, to    time.Time
		file, label string
	}{
		{day, day.AddDate(0, 0, 1), "checkout-2026-11-24.pdf", "2026-11-24"},
		{day, day.AddDate(0, 0, 7), "checkout-2026-11-24-to-2026-11-30.pdf", "2026-11-24 – 2026-11-30"},
		{day.Add(9 * time.Hour), day.Add(17*time.Hour + 30*time.Minute), "checkout-2026-11-24-0900-to-2026-11-24-1730.pdf", "2026-11-24 09:00 – 2026-11-24 17:30"},
	} {
		if got := FileName(tt.from, tt.to); got != tt.file {
			t.Errorf("FileName = %q, want %q", got, tt.file)
		}
		if got := PeriodLabel(tt.from, tt.to); got != tt.label {
			t.Errorf("PeriodLabel = %q, want %q", got, tt.label)
		}
	}
}

func TestFontsThatCannotBeEmbedded(t *testing.T) {
	dir := t.TempDir()
	ttc := filepath.Join(dir, "collection.ttc")
	if err := os.WriteFile(ttc, []byte("ttcf\x00\x02\x00\x00\x00\x00\x00\x02"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(FontEnv, ttc)
	if _, err := FindFont(); !errors.Is(err, ErrNotTrueType) || !strings.Contains(err.Error(), FontEnv) {
		t.Errorf("a .ttc in $%s: %v", FontEnv, err)
	}
	t.Setenv(FontEnv, filepath.Join(dir, "missing.ttf"))
	if _, err := FindFont(); err == nil {
		t.Error("a missing font was found")
	}
	otf := []byte("OTTO\x00\x0a\x00\x80\x00\x03\x00\x20")
	if err := Write(&bytes.Buffer{}, Report{Summary: daySummary(time.Now()), Font: otf}); !errors.Is(err, ErrNotTrueType) {
		t.Errorf("a CFF font: %v", err)
	}
}

func TestFontFromTheEnvironment(t *testing.T) {
	path, err := FindFont()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(FontEnv, path)
	if got, err := FindFont(); got != path || err != nil {
		t.Errorf("FindFont with $%s set = %q, %v", FontEnv, got, err)
	}
}

// Droid Sans Fallback draws no digits or Latin letters: figures must be set in the Latin font, Chinese in
// the Chinese one, and both embedded, or the PDF shows empty boxes (which pdftotext cannot notice).
func TestFiguresAreSetInAFontThatHasThem(t *testing.T) {
	r := withFonts(t, Report{})
	cjk := newGlyphs(r.Font)
	if !cjk.has('农') || !cjk.has('￥') {
		t.Fatal("the Chinese font has no 农")
	}
	if cjk.has('0') {
		t.Skip("this Chinese font has its own digits: no Latin font needed")
	}
	latin := newGlyphs(r.LatinFont)
	if !latin.has('0') || !latin.has('¥') || latin.has('农') {
		t.Fatal("the Latin font's coverage is not what the test expects")
	}
	p := &page{cjk: cjk, latin: latin, hasLatin: true}
	got := p.runs("1 农夫山泉 550ml ¥1,000.00")
	want := []run{{latinFont, "1 "}, {cjkFont, "农夫山泉"}, {latinFont, " 550ml ¥1,000.00"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("runs = %q, want %q", got, want)
	}

	var buf bytes.Buffer
	r.Summary, r.Language = daySummary(time.Now()), "zh-Hans"
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", file).Output()
	if err != nil {
		t.Fatalf("pdffonts (from poppler-utils): %v", err)
	}
	// fpdf names the embedded fonts after their aliases.
	for _, want := range []string{cjkFont, latinFont} {
		if !regexp.MustCompile(`(?m)^utf8` + want + ` .* yes `).Match(out) {
			t.Errorf("the PDF does not embed the %s font:\n%s", want, out)
		}
	}
}

// A day under way is set against the same weekday last week up to the same time: the tiles and the
// figures table both, and the table's column says until when.
func TestDayUnderWayIsComparedSoFar(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)
	sum := daySummary(day)
	last := daySummary(day.AddDate(0, 0, -7))
	soFar := app.NewDaySummary(last.From, last.From.Add(15*time.Hour+30*time.Minute), money.CNY)
	soFar.Sales, soFar.Revenue = 1, cny(61728)
	var buf bytes.Buffer
	if err := Write(&buf, withFonts(t, Report{Summary: sum, Compare: &last, CompareSoFar: &soFar, Language: "en"})); err != nil {
		t.Fatal(err)
	}
	flat := spaces.ReplaceAllString(pdfText(t, buf.Bytes()), " ")
	for _, want := range []string{"+100.00% +100.00%", "vs last week by this time", "2026-11-17 00:00 – 2026-11-17 15:30 Change"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, flat)
		}
	}
}
