package reportpdf

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

// laidOut renders the busy day in language and returns where each text went.
func laidOut(t *testing.T, language string) []box {
	t.Helper()
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)
	sum, last := busyDay(day, 10), busyDay(day.AddDate(0, 0, -7), 8)
	r := Report{Shop: "Corner Shop", Summary: sum, Compare: &last, Language: language,
		Anomalies: []app.Anomaly{{Cashier: "王芳", Kind: app.AnomalyDiscounts, Count: 14, Sales: 95, Rate: 1474, UsualRate: 420}}}
	if language != "en" {
		r.Translate = zhHans(t)
	}
	p, err := render(&bytes.Buffer{}, withFonts(t, r))
	if err != nil {
		t.Fatal(err)
	}
	return p.boxes
}

// rows groups the boxes of tables' cells by page, table and row.
func rows(boxes []box) map[string][]box {
	out := map[string][]box{}
	for _, b := range boxes {
		if b.table != "" {
			key := fmt.Sprintf("page %d %s row %d", b.page, b.table, b.row)
			out[key] = append(out[key], b)
		}
	}
	return out
}

// No two cells of a row overlap, headers included ("Voids" ran into "After payment"), in either language.
func TestCellsOfARowDoNotOverlap(t *testing.T) {
	for _, language := range []string{"en", "zh-Hans"} {
		for key, row := range rows(laidOut(t, language)) {
			sort.Slice(row, func(i, j int) bool { return row[i].x < row[j].x })
			for i := 1; i < len(row); i++ {
				a, b := row[i-1], row[i]
				if a.column != b.column && a.x+a.w > b.x-1 { // at least a millimetre apart
					t.Errorf("%s, %s: %q (%.1f–%.1f mm) runs into %q (from %.1f mm)", language, key, a.text, a.x, a.x+a.w, b.text, b.x)
				}
			}
		}
	}
}

// Figures are aligned on their right edge by their measured width, Chinese rows or not: every money
// cell of a column ends where the others end.
func TestMoneyIsRightAligned(t *testing.T) {
	for _, language := range []string{"en", "zh-Hans"} {
		edges := map[string][]float64{}
		for _, b := range laidOut(t, language) {
			if b.table != "" && b.row >= 0 && strings.Contains(b.text, "¥") {
				key := fmt.Sprintf("page %d %s column %d", b.page, b.table, b.column)
				edges[key] = append(edges[key], b.x+b.w)
			}
		}
		for _, table := range []string{"cashiers", "products", "tenders", "categories"} {
			found := false
			for key, e := range edges {
				if !strings.Contains(key, " "+table+" ") {
					continue
				}
				found = true
				for _, x := range e[1:] {
					if math.Abs(x-e[0]) > 0.01 {
						t.Errorf("%s, %s: right edges %v", language, key, e)
						break
					}
				}
			}
			if !found {
				t.Errorf("%s: no money in the %s table", language, table)
			}
		}
	}
}

// Every tender kind is named, the wallet too, in either language.
func TestTenderKindsAreNamed(t *testing.T) {
	for language, want := range map[string]string{"en": "Wallet × ", "zh-Hans": "钱包付款码 × "} {
		var labels []string
		for _, b := range laidOut(t, language) {
			if b.table == "tenders" && b.column == 0 {
				labels = append(labels, b.text)
				if strings.HasPrefix(b.text, " ×") || strings.HasPrefix(b.text, "×") {
					t.Errorf("%s: a tender without a name: %q", language, b.text)
				}
			}
		}
		if !strings.Contains(strings.Join(labels, "|"), want) {
			t.Errorf("%s: no %q among the tenders %q", language, want, labels)
		}
	}
}

// The tiles show each figure's change against last week, and nothing in a tile runs out of it.
func TestTilesCompareAndFit(t *testing.T) {
	for _, language := range []string{"en", "zh-Hans"} {
		texts := map[int][]string{}
		w := (210 - 2*margin - tileGap*4) / 5 // A4
		for _, b := range laidOut(t, language) {
			if b.table != "kpi" {
				continue
			}
			texts[b.column] = append(texts[b.column], b.text)
			left := margin + float64(b.column)*(w+tileGap)
			if b.x < left || b.x+b.w > left+w {
				t.Errorf("%s: %q (%.1f–%.1f mm) is outside its tile (%.1f–%.1f mm)", language, b.text, b.x, b.x+b.w, left, left+w)
			}
		}
		// Revenue, sales, basket: +30.07%, +30.07%, as last week; refunds up 25%, bad news; margin known.
		for col, want := range []string{"+30.07%", "+30.07%", "=", "+25.00%", "+30.06%"} {
			if !strings.Contains(strings.Join(texts[col], " "), want) {
				t.Errorf("%s: tile %d says %q, not %q", language, col, texts[col], want)
			}
		}
	}
}

func TestAxisSteps(t *testing.T) {
	for _, tt := range []struct {
		most, step int64
		lines      int
	}{
		{116_667, 25_000, 5}, {1_000_00, 20_000, 5}, {1_412_967, 500_000, 3}, {99, 20, 5}, {0, 100, 4}, {1, 1, 3},
	} {
		if step, lines := axis(tt.most); step != tt.step || lines != tt.lines || step*int64(lines) < tt.most {
			t.Errorf("axis(%d) = %d × %d, want %d × %d", tt.most, step, lines, tt.step, tt.lines)
		}
	}
}

// Chinese fonts have no bold face: bold Chinese is stroked (text render mode 2), as is bold Latin
// without a bold face; with one, bold Latin is set in it.
func TestBoldFaces(t *testing.T) {
	p := &page{bold: true}
	if !p.fakeBold(cjkFont) || !p.fakeBold(latinFont) {
		t.Error("bold without bold faces is not stroked")
	}
	p.hasLatinBold = true
	if !p.fakeBold(cjkFont) || p.fakeBold(latinFont) || p.face(latinFont) != latinBoldFont {
		t.Error("bold Latin is not set in the bold face")
	}
	p.bold = false
	if p.fakeBold(cjkFont) || p.face(latinFont) != latinFont {
		t.Error("regular text is bold")
	}
	bold, err := LoadBoldFont()
	if err != nil {
		t.Skip(err)
	}
	r := withFonts(t, Report{Summary: daySummary(time.Now()), Language: "zh-Hans", Translate: zhHans(t)})
	r.BoldFont = bold
	if err := Write(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
}
