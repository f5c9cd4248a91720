package shelflabel

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"checkout/app"
	"checkout/app/money"
)

// A name is the one field of a label the shop types freely (or a head office or a catalog file
// sends): whatever it holds, the label gets printable text that fits, cut between characters.
func TestHostileNamesArePrintableAndFit(t *testing.T) {
	s := DefaultStock()
	cols := (s.Width() - 2*margin*s.DotsPerMM) / CellW // 30 columns of 12 dots in 46 mm
	for _, name := range []string{
		"Cola\"\r\nPRINT 999,1\r\n",      // TSPL: close the string, end the command, print 999 labels
		"Cola^XZ^XA^FO0,0^FDpwned^FS~JR", // ZPL: end the label, start another; ~ commands run at once
		"Cola\x00\x1b@\x7f\u0085\u2028\u202egpj.exe",
		strings.Repeat("可口可乐", 20),
		strings.Repeat("a可", 30),
		"\xff\xfe broken UTF-8",
	} {
		l := Lay(s, Item{SKU: "X1", Name: name, NameZH: name, Price: money.New(100, money.CNY), Unit: app.UnitPiece}, "en")
		for _, e := range l.Elements {
			if e.Kind != KindText {
				continue
			}
			if !utf8.ValidString(e.Text) && !strings.Contains(name, "\xff") {
				t.Errorf("%q: text %q is not UTF-8", name, e.Text)
			}
			if strings.ContainsFunc(e.Text, func(r rune) bool { return r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x202e }) {
				t.Errorf("%q: text %q holds a control character", name, e.Text)
			}
			if w := app.ReceiptColumns(e.Text) * e.Scale * CellW; e.X+w > s.Width()-margin*s.DotsPerMM {
				t.Errorf("%q: text %q ends at dot %d, past the label's %d", name, e.Text, e.X+w, s.Width())
			}
		}
	}
	if got := Fit(strings.Repeat("a可", 30), cols); app.ReceiptColumns(got) > cols || !strings.HasSuffix(got, "..") || strings.ContainsRune(got, utf8.RuneError) {
		t.Errorf("Fit cut %q", got)
	}
}

func TestFitCutsBetweenCharacters(t *testing.T) {
	for _, tt := range []struct {
		s    string
		cols int
		want string
	}{
		{"Coca-Cola", 9, "Coca-Cola"},
		{"Coca-Cola", 8, "Coca-C.."},
		{"可口可乐", 8, "可口可乐"},
		{"可口可乐", 7, "可口.."}, // 可口可 would take 6 + 2 for ".."
		{"可口可乐", 6, "可口.."},
		{"a可口", 4, "a.."},
		{"可口", 2, ""},
		{"", 5, ""},
	} {
		if got := Fit(tt.s, tt.cols); got != tt.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.s, tt.cols, got, tt.want)
		}
	}
}

func TestSymbol(t *testing.T) {
	for _, tt := range []struct {
		code string
		sym  Symbology
		data string
	}{
		{"5449000000996", EAN13, "5449000000996"},
		{"5449000000997", Code128, "5449000000997"}, // a bad check digit is no EAN: printed as it is
		{"96385074", EAN8, "96385074"},
		{"036000291452", EAN13, "0036000291452"}, // UPC-A reads as the EAN-13 with a 0 in front
		{"00036000291452", EAN13, "0036000291452"},
		{"SKU-12/a.b", Code128, "SKU-12/a.b"},
		{`A"B`, NoBarcode, ""},
		{"A^B", NoBarcode, ""},
		{"A>B", NoBarcode, ""},
		{"A~B", NoBarcode, ""},
		{`A\B`, NoBarcode, ""},
		{"可口", NoBarcode, ""},
		{strings.Repeat("1", 21), NoBarcode, ""},
		{"", NoBarcode, ""},
	} {
		if sym, data := Symbol(tt.code); sym != tt.sym || data != tt.data {
			t.Errorf("Symbol(%q) = %v %q, want %v %q", tt.code, sym, data, tt.sym, tt.data)
		}
	}
}

func TestLayout(t *testing.T) {
	cny := money.CNY
	s := DefaultStock()
	for _, tt := range []struct {
		name string
		it   Item
		lang string
		want []Element
	}{
		{"EAN-13, Chinese name above the English", Item{SKU: "COKE330", Name: "Coca-Cola 330ml", NameZH: "可口可乐", Price: money.New(350, cny),
			Unit: app.UnitPiece, Barcode: "5449000000996"}, "zh-Hans", []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "可口可乐", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "Coca-Cola 330ml", Scale: 1},
			{Kind: KindText, X: 16, Y: 72, Text: "￥3.50", Scale: 2},
			{Kind: KindText, X: 164, Y: 96, Text: "/件", Scale: 1},
			{Kind: KindBarcode, X: 16, Y: 128, Text: "5449000000996", Symbology: EAN13, Height: 72, Module: 2},
			{Kind: KindText, X: 300, Y: 128, Text: "COKE330", Scale: 1},
		}},
		{"weighed, per kg, EAN-8, English only", Item{SKU: "APPLE", Name: "Apples", Price: money.New(1280, cny), Unit: app.UnitKg,
			Barcode: "96385074"}, "en", []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "Apples", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "￥12.80", Scale: 2},
			{Kind: KindText, X: 188, Y: 68, Text: "/kg", Scale: 1},
			{Kind: KindBarcode, X: 16, Y: 100, Text: "96385074", Symbology: EAN8, Height: 100, Module: 2},
			{Kind: KindText, X: 324, Y: 100, Text: "APPLE", Scale: 1},
		}},
		{"another currency, no barcode: the SKU", Item{SKU: "PEN-1", Name: "Pen", Price: money.New(199, money.Currency{Code: "USD", Exponent: 2}),
			Unit: app.UnitPiece}, "en", []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "Pen", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "USD 1.99", Scale: 2},
			{Kind: KindText, X: 212, Y: 68, Text: "/each", Scale: 1},
			{Kind: KindText, X: 16, Y: 100, Text: "PEN-1", Scale: 1},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := Lay(s, tt.it, tt.lang)
			if !reflect.DeepEqual(l.Elements, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", l.Elements, tt.want)
			}
		})
	}
}

// A small label keeps the price whole: single size when double would not fit, the unit under it when
// beside would not; a short one gives the barcode the second name's line.
func TestSmallLabels(t *testing.T) {
	cny := money.CNY
	small, _ := DefaultStock().ParseSize("30x20") // 17 columns
	short, _ := DefaultStock().ParseSize("50x22")
	for _, tt := range []struct {
		name  string
		stock Stock
		it    Item
		want  []Element
	}{
		{"a price too wide for double size", small, Item{SKU: "RICE", Name: "Rice", Price: money.New(123450, cny), Unit: app.UnitKg}, []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "Rice", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "￥1234.50", Scale: 1},
			{Kind: KindText, X: 128, Y: 44, Text: "/kg", Scale: 1},
			{Kind: KindText, X: 16, Y: 76, Text: "RICE", Scale: 1},
		}},
		{"no room for the unit beside", small, Item{SKU: "TV", Name: "TV", Price: money.New(1234567, money.Currency{Code: "USD", Exponent: 2}), Unit: app.UnitPiece}, []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "TV", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "USD 12345.67", Scale: 1},
			{Kind: KindText, X: 16, Y: 68, Text: "/each", Scale: 1},
			{Kind: KindText, X: 16, Y: 100, Text: "TV", Scale: 1},
		}},
		{"the English name leaves room for the barcode", short, Item{SKU: "COKE330", Name: "Coca-Cola 330ml", NameZH: "可口可乐", Price: money.New(350, cny),
			Barcode: "5449000000996"}, []Element{
			{Kind: KindText, X: 16, Y: 16, Text: "可口可乐", Scale: 1},
			{Kind: KindText, X: 16, Y: 44, Text: "￥3.50", Scale: 2},
			{Kind: KindText, X: 164, Y: 68, Text: "/each", Scale: 1},
			{Kind: KindBarcode, X: 16, Y: 100, Text: "5449000000996", Symbology: EAN13, Height: 36, Module: 2},
			{Kind: KindText, X: 300, Y: 100, Text: "COKE330", Scale: 1},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lay(tt.stock, tt.it, "en").Elements; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	s, err := DefaultStock().ParseSize("60X40")
	if err != nil || s.Width() != 480 || s.Height() != 320 || s.GapMM != 2 {
		t.Errorf("ParseSize(60X40) = %+v, %v", s, err)
	}
	for _, bad := range []string{"", "50", "50x", "x30", "10x10", "500x30", "50x30x2", "-50x30"} {
		if _, err := DefaultStock().ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) passed", bad)
		}
	}
}
