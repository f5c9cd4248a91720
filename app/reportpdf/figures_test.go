package reportpdf

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A document of tables in Chinese and English: every cell is in the PDF as text, the figures of a
// column right-aligned on one edge, and a malformed section is refused before anything is written.
func TestWriteFigures(t *testing.T) {
	r := withFonts(t, Report{})
	f := Figures{Title: "连锁日报 Chain's day", Subtitle: "2026年3月12日 星期四 · 对比上周同一天", Made: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC),
		Font: r.Font, LatinFont: r.LatinFont,
		Sections: []Section{
			{Title: "门店", Headers: []string{"门店", "营业额", "销售笔数"}, Right: []bool{false, true, true},
				Rows: [][]string{{"north", "¥177.20", "6"}, {"=HYPERLINK(\"x\")", "¥62.50", "2"}, {"合计", "¥239.70", "8"}}, Totals: 1},
			{Title: "热销商品", Headers: []string{"商品", "数量"}, Right: []bool{false, true}, Empty: "这一天没有销售。"},
		}}
	var buf bytes.Buffer
	if err := WriteFigures(&buf, f); err != nil {
		t.Fatal(err)
	}
	text := spaces.ReplaceAllString(pdfText(t, buf.Bytes()), " ")
	for _, want := range []string{"连锁日报 Chain's day", "门店 营业额 销售笔数", "north ¥177.20 6", `=HYPERLINK("x") ¥62.50 2`,
		"合计 ¥239.70 8", "这一天没有销售。"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF has no %q:\n%s", want, text)
		}
	}
	for _, bad := range []Section{
		{Title: "x", Headers: []string{"a", "b"}, Right: []bool{false}},
		{Title: "x", Headers: []string{"a", "b"}, Right: []bool{false, true}, Rows: [][]string{{"1"}}},
		{Title: "x", Headers: []string{"a"}, Right: []bool{false}, Rows: [][]string{{"1"}}, Totals: 2},
	} {
		var out bytes.Buffer
		if err := WriteFigures(&out, Figures{Title: "t", Font: r.Font, LatinFont: r.LatinFont, Sections: []Section{bad}}); err == nil || out.Len() > 0 {
			t.Errorf("%+v: %v, %d bytes", bad, err, out.Len())
		}
	}
}
