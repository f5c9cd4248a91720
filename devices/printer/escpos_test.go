package printer

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

var update = flag.Bool("update", false, "rewrite the golden receipt files in testdata")

func TestCommandsByteExact(t *testing.T) {
	tests := []struct {
		name string
		cmd  func(c *Commands)
		want []byte
	}{
		{"init", func(c *Commands) { c.Init() }, []byte{0x1B, 0x40}},
		{"align left", func(c *Commands) { c.Align(app.AlignLeft) }, []byte{0x1B, 0x61, 0}},
		{"align centre", func(c *Commands) { c.Align(app.AlignCenter) }, []byte{0x1B, 0x61, 1}},
		{"align right", func(c *Commands) { c.Align(app.AlignRight) }, []byte{0x1B, 0x61, 2}},
		{"bold on", func(c *Commands) { c.Bold(true) }, []byte{0x1B, 0x45, 1}},
		{"bold off", func(c *Commands) { c.Bold(false) }, []byte{0x1B, 0x45, 0}},
		{"double width and height", func(c *Commands) { c.Size(true, true) }, []byte{0x1D, 0x21, 0x11}},
		{"double height", func(c *Commands) { c.Size(false, true) }, []byte{0x1D, 0x21, 0x01}},
		{"normal size", func(c *Commands) { c.Size(false, false) }, []byte{0x1D, 0x21, 0x00}},
		{"Chinese mode", func(c *Commands) { c.ChineseMode(true) }, []byte{0x1C, 0x26}},
		{"Chinese mode off", func(c *Commands) { c.ChineseMode(false) }, []byte{0x1C, 0x2E}},
		{"feed", func(c *Commands) { c.Feed(3) }, []byte{0x1B, 0x64, 3}},
		{"cut", func(c *Commands) { c.Cut(0) }, []byte{0x1D, 0x56, 0x42, 0}},
		{"drawer pin 2, 50 ms on, 500 ms off", func(c *Commands) { c.Drawer() }, []byte{0x1B, 0x70, 0, 25, 250}},
		{"line", func(c *Commands) { c.Line("Hi") }, []byte{'H', 'i', 0x0A}},
		{"Chinese line", func(c *Commands) { c.ChineseMode(true).Line("合计￥1") },
			[]byte{0x1C, 0x26, 0xBA, 0xCF, 0xBC, 0xC6, 0xA3, 0xA4, '1', 0x0A}},
		{"QR", func(c *Commands) { c.QR("T01-000042", 6) }, []byte{
			0x1D, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0, // fn 165: model 2
			0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x43, 6, // fn 167: 6-dot modules
			0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x45, 0x31, // fn 169: error correction M
			0x1D, 0x28, 0x6B, 13, 0, 0x31, 0x50, 0x30, 'T', '0', '1', '-', '0', '0', '0', '0', '4', '2', // fn 180: store
			0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30, // fn 181: print
		}},
		{"Code 128", func(c *Commands) { c.Barcode128("T01-000042") }, []byte{
			0x1D, 0x48, 2, 0x1D, 0x77, 2, 0x1D, 0x68, 80,
			0x1D, 0x6B, 73, 12, '{', 'B', 'T', '0', '1', '-', '0', '0', '0', '0', '4', '2',
		}},
		{"status request", func(c *Commands) { c.buf.Write(StatusRequest(4)) }, []byte{0x10, 0x04, 4}},
		// 10×2 dots: row 0 dark at 0 and 9, row 1 dark from 1 to 8. Two bytes a row, the tenth dot in bit 6
		// of the second byte and the six dots past the picture white.
		{"raster", func(c *Commands) {
			c.Raster(tinyImage(10, 2, [][2]int{{0, 0}, {9, 0}, {1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 1}}))
		},
			[]byte{0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0x40, 0x7F, 0x80}},
		{"raster over 255 rows, off the origin", func(c *Commands) {
			img := image.NewGray(image.Rect(5, 5, 13, 5+300)) // 8 dots across: one byte; 300 = 0x012C rows
			for i := range img.Pix {
				img.Pix[i] = 0xFF
			}
			img.SetGray(12, 5, color.Gray{0x7F}) // the last dot of the first row, just dark enough
			b := (&Commands{}).Raster(img).Bytes()
			c.buf.Write(b[:10])
		}, []byte{0x1D, 0x76, 0x30, 0, 1, 0, 0x2C, 0x01, 0x01, 0x00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Commands{}
			tt.cmd(c)
			if got := c.Bytes(); !bytes.Equal(got, tt.want) {
				t.Errorf("% X\nwant % X", got, tt.want)
			}
		})
	}
}

// tinyImage is a white w×h picture with the dots at dark.
func tinyImage(w, h int, dark [][2]int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for _, d := range dark {
		img.SetGray(d[0], d[1], color.Gray{})
	}
	return img
}

// A receipt row holding a picture prints as a raster image in its alignment.
func TestRenderImageRow(t *testing.T) {
	got := Render([]app.ReceiptRow{{Kind: app.RowImage, Align: app.AlignCenter, Image: tinyImage(8, 1, [][2]int{{7, 0}})}}, Options{})
	want := []byte{0x1B, 0x61, 1, 0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0x01}
	if !bytes.Contains(got, want) {
		t.Errorf("% X\nlacks % X", got, want)
	}
}

func TestQRStoreLengthOver255(t *testing.T) {
	data := string(bytes.Repeat([]byte{'A'}, 300))
	got := (&Commands{}).QR(data, 4).Bytes()
	store := []byte{0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30} // 303 = 0x012F
	if !bytes.Contains(got, store) {
		t.Errorf("no little-endian store length 303 in % X", got[:40])
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		in      string
		chinese bool
		want    []byte
	}{
		{"Cola 3.50", false, []byte("Cola 3.50")},
		{"可乐 ¥3", false, []byte("?? ?3")},
		{"可乐", true, []byte{0xBF, 0xC9, 0xC0, 0xD6}},
		{"¥3", true, []byte{0xA3, 0xA4, '3'}}, // GBK has no ¥: the full-width ￥ (A3A4)
		{"€", true, []byte{0xA2, 0xE3}},       // GB18030's euro sign
		{"\t", true, []byte{'?'}},
	}
	for _, tt := range tests {
		if got := Encode(tt.in, tt.chinese); !bytes.Equal(got, tt.want) {
			t.Errorf("Encode(%q, %v) = % X, want % X", tt.in, tt.chinese, got, tt.want)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		n, b byte
		want Status
		err  error
	}{
		{1, 0x16, Status{}, nil},                // online, drawer pin 3 high
		{1, 0x1E, Status{Offline: true}, nil},   // bit 3: offline
		{2, 0x12, Status{}, nil},                // no offline cause
		{2, 0x16, Status{CoverOpen: true}, nil}, // bit 2: cover open
		{2, 0x32, Status{PaperOut: true}, nil},  // bit 5: stopped by paper end
		{2, 0x52, Status{Error: true}, nil},     // bit 6: error
		{4, 0x12, Status{}, nil},                // paper present
		{4, 0x1E, Status{PaperLow: true}, nil},  // bits 2-3: near end
		{4, 0x72, Status{PaperOut: true}, nil},  // bits 5-6: paper end
		{4, 0x00, Status{}, ErrBadStatus},       // bits 1 and 4 must be set
		{4, 0x93, Status{}, ErrBadStatus},       // bits 0 and 7 must be clear
		{3, 0x12, Status{}, ErrBadStatus},       // not asked here
	}
	for _, tt := range tests {
		var st Status
		err := ParseStatus(tt.n, tt.b, &st)
		if !errors.Is(err, tt.err) || (err == nil && st != tt.want) {
			t.Errorf("ParseStatus(%d, %#02x) = %+v, %v; want %+v, %v", tt.n, tt.b, st, err, tt.want, tt.err)
		}
	}
	for st, want := range map[Status]error{
		{}: nil, {PaperLow: true}: nil, {PaperOut: true, CoverOpen: true}: ErrPaperOut, {CoverOpen: true}: ErrCoverOpen,
		{Offline: true}: ErrOffline, {Error: true}: ErrPrinterError,
	} {
		if err := st.Err(); !errors.Is(err, want) || (want == nil) != st.OK() {
			t.Errorf("%+v: Err() = %v, OK() = %v; want %v", st, err, st.OK(), want)
		}
	}
}

// testSale is a sale of three lines (one discounted, one weighed at the reduced rate), paid part by card
// and the rest in cash with change, by a member who earned points.
func testSale(t *testing.T) *app.Sale {
	t.Helper()
	c := app.NewCart(app.DefaultSettings())
	cny := func(minor int64) money.Amount { return money.New(minor, money.CNY) }
	add := func(p app.Product, q app.Quantity) int {
		p.Active = true
		i, err := c.Add(p, q)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	add(app.Product{ID: 1, Name: "Coca-Cola 330ml", NameZH: "可口可乐 330毫升", Price: cny(350), Unit: app.UnitPiece, TaxClass: "standard"}, 2000)
	i := add(app.Product{ID: 2, Name: "Oolong tea 500ml", NameZH: "乌龙茶 500毫升", Price: cny(600), Unit: app.UnitPiece, TaxClass: "standard"}, 1000)
	if err := c.SetDiscount(i, app.Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	add(app.Product{ID: 3, Name: "Bananas", NameZH: "香蕉", Price: cny(598), Unit: app.UnitKg, TaxClass: "reduced"}, 750)
	tot := c.Totals()
	card := cny(1000)
	cash := tot.Total.Sub(card)
	at := time.Date(2026, 11, 30, 13, 45, 7, 0, time.Local)
	return &app.Sale{ID: "0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a01", Till: "T01", Number: 42, ReceiptNo: "T01-000042",
		OpenedAt: at.Add(-time.Minute), CompletedAt: at, Currency: money.CNY, TaxMode: app.TaxInclusive,
		Lines: c.Lines(), Totals: tot, Cashier: "Lin",
		Tenders: []app.Tender{
			{Kind: app.TenderCard, Amount: card, Tendered: card, CardLast4: "4242"},
			{Kind: app.TenderCash, Amount: cash, Tendered: cny(2000), Change: cny(2000).Sub(cash)},
		},
		Member: &app.MemberOnSale{ID: 7, Number: "M000123", PointsEarned: 18},
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		at := 0
		for at < min(len(got), len(want)) && got[at] == want[at] {
			at++
		}
		t.Errorf("%s: %d bytes, want %d; first difference at byte %d: got % X, want % X", name, len(got), len(want),
			at, got[at:min(at+16, len(got))], want[at:min(at+16, len(want))])
	}
}

func TestGoldenEnglishReceipt58mm(t *testing.T) {
	p := NewWith(Config{Paper: 58, Lang: "en", Chinese: false}, nil)
	r := app.Receipt{Sale: testSale(t), Shop: app.Shop{Name: "Lin's Corner Shop", City: "Shanghai"},
		Member: &app.MemberAfterSale{Points: 118, Balance: money.New(5000, money.CNY)}, OpenDrawer: true}
	got := p.Receipt(r)
	golden(t, "receipt_en_58.bin", got)
	for _, want := range [][]byte{
		{0x1B, 0x40, 0x1C, 0x2E},                      // init, single-byte mode
		[]byte("TOTAL                  CNY 16.88\n"),  // the total, bold and double height
		{0x1D, 0x56, 0x42, 0, 0x1B, 0x70, 0, 25, 250}, // cut, then the drawer kick for cash
	} {
		if !bytes.Contains(got, want) {
			t.Errorf("receipt lacks % X", want)
		}
	}
}

func TestGoldenChineseReceiptCopy80mm(t *testing.T) {
	p := NewWith(Config{Paper: 80, Lang: "zh-Hans", Chinese: true}, nil)
	r := app.Receipt{Sale: testSale(t), Shop: app.Shop{Name: "林记便利店", City: "上海"}, Copy: true}
	got := p.Receipt(r)
	golden(t, "receipt_zh_80.bin", got)
	if !bytes.HasPrefix(got, []byte{0x1B, 0x40, 0x1C, 0x26}) {
		t.Errorf("does not start with init and Chinese mode: % X", got[:4])
	}
	for _, want := range []string{"林记便利店", "可口可乐 330毫升", "合计", "￥16.88", "*** 补打 ***"} {
		if !bytes.Contains(got, Encode(want, true)) {
			t.Errorf("receipt lacks %q in GB18030", want)
		}
	}
	if bytes.Contains(got, []byte{0x1B, 0x70}) {
		t.Error("a reprint kicks the drawer")
	}
	if bytes.Contains(got, []byte("\xc2\xa5")) || bytes.Contains(got, []byte("合计")) {
		t.Error("UTF-8 reached the printer")
	}
}

// FuzzStatusAndEncode: any status byte parses or is refused without panicking, and any text encodes to
// printable bytes only (no stray control byte can reach the printer as a command).
func FuzzStatusAndEncode(f *testing.F) {
	for _, seed := range []struct {
		n, b byte
		s    string
	}{{1, 0x16, "Cola"}, {2, 0x32, "可乐 ¥3"}, {4, 0x72, "\x1b@\x1dV"}, {3, 0x00, "€\t\n"}} {
		f.Add(seed.n, seed.b, seed.s)
	}
	f.Fuzz(func(t *testing.T, n, b byte, s string) {
		var st Status
		if err := ParseStatus(n, b, &st); err == nil && b&0x93 != 0x12 {
			t.Errorf("ParseStatus(%d, %#02x) accepted a byte without the fixed bits", n, b)
		}
		for _, chinese := range []bool{false, true} {
			for _, c := range Encode(s, chinese) {
				if c < 0x20 || c == 0x7F {
					t.Fatalf("Encode(%q, %v) lets control byte %#02x through", s, chinese, c)
				}
			}
		}
	})
}

// A line priced per 斤 prints its weight and price in 斤 in GB18030 (斤 is BD EF), and as "jin" on an
// English receipt, whose single-byte code page has no 斤.
func TestReceiptPricedPerJin(t *testing.T) {
	c := app.NewCart(app.DefaultSettings())
	rice := app.Product{ID: 9, Name: "Rice", NameZH: "大米", Price: money.New(699, money.CNY), Unit: app.UnitKg, PriceUnit: app.PerJin,
		TaxClass: "reduced", Active: true}
	if _, err := c.Add(rice, 750); err != nil {
		t.Fatal(err)
	}
	s := &app.Sale{Till: "T01", Number: 1, ReceiptNo: "T01-000001", Currency: money.CNY, TaxMode: app.TaxInclusive,
		Lines: c.Lines(), Totals: c.Totals(), CompletedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)}
	zh := NewWith(Config{Paper: 58, Lang: "zh-Hans", Chinese: true}, nil).Receipt(app.Receipt{Sale: s})
	jin := []byte{0xBD, 0xEF}
	want := append(append(append(append([]byte("  1.5 "), jin...), " x 6.99/"...), jin...), ' ')
	if !bytes.Contains(zh, want) || !bytes.Contains(zh, []byte("10.48\n")) {
		t.Errorf("the Chinese receipt lacks % X", want)
	}
	en := NewWith(Config{Paper: 58, Lang: "en", Chinese: false}, nil).Receipt(app.Receipt{Sale: s})
	if !bytes.Contains(en, []byte("  1.5 jin x 6.99/jin       10.48\n")) {
		t.Errorf("the English receipt:\n%q", en)
	}
}
