package labelprinter

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/shelflabel"
)

var (
	cny   = money.CNY
	stock = shelflabel.DefaultStock()
	coke  = shelflabel.Item{SKU: "COKE330", Name: "Coca-Cola 330ml", NameZH: "可口可乐", Price: money.New(350, cny),
		Unit: app.UnitPiece, Barcode: "5449000000996"}
	apples = shelflabel.Item{SKU: "APPLE", Name: "Apples", Price: money.New(1280, cny), Unit: app.UnitKg, Barcode: "96385074"}
	tea    = shelflabel.Item{SKU: "PLU-17", Name: "Loose tea", Price: money.New(8800, cny), Unit: app.UnitKg, Barcode: "PLU-17"}
	chips  = shelflabel.Item{SKU: "CHIPS", Name: "Lay's Classic Potato Chips Family Size Party Bag 400g", NameZH: strings.Repeat("乐事薯片", 7),
		Price: money.New(1990, cny), Unit: app.UnitPiece}
	pen = shelflabel.Item{SKU: "PEN-1", Name: "Pen", Price: money.New(199, money.Currency{Code: "USD", Exponent: 2}), Unit: app.UnitPiece}
)

// hostile is a label whose texts were never through the layout's cleaning: each tries to end its
// string, field or label and start commands of its own.
func hostile() shelflabel.Label {
	return shelflabel.Label{Stock: stock, Elements: []shelflabel.Element{
		{Kind: shelflabel.KindText, X: 16, Y: 16, Scale: 1, Text: "Cola\" ,0,1,1,\"x\"\r\nPRINT 999,1\r\n\\[\"]"},
		{Kind: shelflabel.KindText, X: 16, Y: 44, Scale: 1, Text: "Cola^XZ^XA^FO0,0^FDpwned^FS~JR_5E"},
		{Kind: shelflabel.KindText, X: 16, Y: 72, Scale: 1, Text: "€😀\x00\x1b\x7f\u0085"},
		// Barcode data no symbology takes: left off, never sent raw.
		{Kind: shelflabel.KindBarcode, X: 16, Y: 100, Symbology: shelflabel.Code128, Text: "A\"^XZ>", Height: 50, Module: 2},
		{Kind: shelflabel.KindBarcode, X: 16, Y: 100, Symbology: shelflabel.EAN13, Text: "54490000", Height: 50, Module: 2},
		{Kind: shelflabel.KindBarcode, X: 16, Y: 100, Symbology: shelflabel.EAN8, Text: "9638507\"", Height: 50, Module: 2},
	}}
}

func TestTSPLHostileTextStaysText(t *testing.T) {
	got := TSPL([]shelflabel.Label{hostile()})
	want := "SIZE 50 mm,30 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"Cola' ,0,1,1,'x'PRINT 999,1/[']\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,1,1,\"Cola^XZ^XA^FO0,0^FDpwned^FS~JR_5E\"\r\n" +
		"TEXT 16,72,\"TSS24.BF2\",0,1,1,\"??\"\r\n" +
		"PRINT 1,1\r\n"
	if string(got) != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if n := bytes.Count(got, []byte("PRINT ")); n != 2 { // the name's, inside its string, and the label's own
		t.Errorf("%d PRINTs", n)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(got), "\r\n"), "\r\n") {
		if strings.HasPrefix(line, "TEXT ") && strings.Count(line, `"`) != 4 {
			t.Errorf("line %d %q: a string ends early", i, line)
		}
	}
}

func TestZPLHostileTextStaysText(t *testing.T) {
	got := ZPL([]shelflabel.Label{hostile()}, "E:SIMSUN.TTF^XZ")
	want := "^XA\n^CI28\n^PW400\n^LL240\n" +
		"^FO16,16^A@N,24,24,E:SIMSUN.TTFXZ^FH_^FDCola\" ,0,1,1,\"x\"PRINT 999,1\\[\"]^FS\n" +
		"^FO16,44^A@N,24,24,E:SIMSUN.TTFXZ^FH_^FDCola_5EXZ_5EXA_5EFO0,0_5EFDpwned_5EFS_7EJR_5F5E^FS\n" +
		"^FO16,72^A@N,24,24,E:SIMSUN.TTFXZ^FH_^FD€😀^FS\n" +
		"^XZ\n"
	if string(got) != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if n := bytes.Count(got, []byte("^XZ")); n != 1 {
		t.Errorf("%d ^XZ: a name ended the label", n)
	}
	if bytes.ContainsRune(got, '~') {
		t.Error("a ~ command went out")
	}
}

func TestTSPLPrograms(t *testing.T) {
	got := TSPL([]shelflabel.Label{
		shelflabel.Lay(stock, coke, "zh-Hans"),
		shelflabel.Lay(stock, apples, "en"),
		shelflabel.Lay(stock, tea, "zh-Hans"),
		shelflabel.Lay(stock, chips, "zh-Hans"),
		shelflabel.Lay(stock, pen, "en"),
	})
	want := "SIZE 50 mm,30 mm\r\nGAP 2 mm,0 mm\r\n" +
		// EAN-13, the Chinese name (GBK) above the English, ￥ (A3 A4) and 件.
		"CLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"\xbf\xc9\xbf\xda\xbf\xc9\xc0\xd6\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,1,1,\"Coca-Cola 330ml\"\r\n" +
		"TEXT 16,72,\"TSS24.BF2\",0,2,2,\"\xa3\xa43.50\"\r\n" +
		"TEXT 164,96,\"TSS24.BF2\",0,1,1,\"/\xbc\xfe\"\r\n" +
		"BARCODE 16,128,\"EAN13\",72,1,0,2,2,\"544900000099\"\r\n" +
		"TEXT 300,128,\"TSS24.BF2\",0,1,1,\"COKE330\"\r\n" +
		"PRINT 1,1\r\n" +
		// Weighed: the price per kg; EAN-8.
		"CLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"Apples\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,2,2,\"\xa3\xa412.80\"\r\n" +
		"TEXT 188,68,\"TSS24.BF2\",0,1,1,\"/kg\"\r\n" +
		"BARCODE 16,100,\"EAN8\",100,1,0,2,2,\"9638507\"\r\n" +
		"TEXT 324,100,\"TSS24.BF2\",0,1,1,\"APPLE\"\r\n" +
		"PRINT 1,1\r\n" +
		// Weighed, a store code as Code 128, per 千克.
		"CLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"Loose tea\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,2,2,\"\xa3\xa488.00\"\r\n" +
		"TEXT 188,68,\"TSS24.BF2\",0,1,1,\"/\xc7\xa7\xbf\xcb\"\r\n" +
		"BARCODE 16,100,\"128\",100,1,0,2,2,\"PLU-17\"\r\n" +
		"TEXT 312,100,\"TSS24.BF2\",0,1,1,\"PLU-17\"\r\n" +
		"PRINT 1,1\r\n" +
		// Both names too long for the 30 columns of 12 dots in 46 mm: cut between characters
		// (乐事薯片 ×3, 乐事, ".." in 30; "Lay's … F" and "..").
		"CLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"" + strings.Repeat("\xc0\xd6\xca\xc2\xca\xed\xc6\xac", 3) + "\xc0\xd6\xca\xc2..\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,1,1,\"Lay's Classic Potato Chips F..\"\r\n" +
		"TEXT 16,72,\"TSS24.BF2\",0,2,2,\"\xa3\xa419.90\"\r\n" +
		"TEXT 188,96,\"TSS24.BF2\",0,1,1,\"/\xbc\xfe\"\r\n" +
		"TEXT 16,128,\"TSS24.BF2\",0,1,1,\"CHIPS\"\r\n" +
		"PRINT 1,1\r\n" +
		// Another currency: its code.
		"CLS\r\n" +
		"TEXT 16,16,\"TSS24.BF2\",0,1,1,\"Pen\"\r\n" +
		"TEXT 16,44,\"TSS24.BF2\",0,2,2,\"USD 1.99\"\r\n" +
		"TEXT 212,68,\"TSS24.BF2\",0,1,1,\"/each\"\r\n" +
		"TEXT 16,100,\"TSS24.BF2\",0,1,1,\"PEN-1\"\r\n" +
		"PRINT 1,1\r\n"
	if string(got) != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if TSPL(nil) != nil {
		t.Error("no labels made a program")
	}
}

func TestZPLPrograms(t *testing.T) {
	got := ZPL([]shelflabel.Label{
		shelflabel.Lay(stock, coke, "zh-Hans"),
		shelflabel.Lay(stock, apples, "en"),
		shelflabel.Lay(stock, tea, "en"),
	}, DefaultZPLFont)
	const f = "^A@N,24,24,E:SIMSUN.TTF^FH_^FD"
	want := "^XA\n^CI28\n^PW400\n^LL240\n" +
		"^FO16,16" + f + "可口可乐^FS\n" +
		"^FO16,44" + f + "Coca-Cola 330ml^FS\n" +
		"^FO16,72^A@N,48,48,E:SIMSUN.TTF^FH_^FD￥3.50^FS\n" +
		"^FO164,96" + f + "/件^FS\n" +
		"^FO16,128^BY2^BEN,72,Y,N^FD544900000099^FS\n" +
		"^FO300,128" + f + "COKE330^FS\n" +
		"^XZ\n" +
		"^XA\n^CI28\n^PW400\n^LL240\n" +
		"^FO16,16" + f + "Apples^FS\n" +
		"^FO16,44^A@N,48,48,E:SIMSUN.TTF^FH_^FD￥12.80^FS\n" +
		"^FO188,68" + f + "/kg^FS\n" +
		"^FO16,100^BY2^B8N,100,Y,N^FD9638507^FS\n" +
		"^FO324,100" + f + "APPLE^FS\n" +
		"^XZ\n" +
		"^XA\n^CI28\n^PW400\n^LL240\n" +
		"^FO16,16" + f + "Loose tea^FS\n" +
		"^FO16,44^A@N,48,48,E:SIMSUN.TTF^FH_^FD￥88.00^FS\n" +
		"^FO188,68" + f + "/kg^FS\n" +
		"^FO16,100^BY2^BCN,100,Y,N,N^FDPLU-17^FS\n" +
		"^FO312,100" + f + "PLU-17^FS\n" +
		"^XZ\n"
	if string(got) != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// Without a downloaded font: the built-in scalable font, half as wide as tall.
	latin := ZPL([]shelflabel.Label{shelflabel.Lay(stock, pen, "en")}, "")
	if !bytes.Contains(latin, []byte("^FO16,44^A0N,48,24^FH_^FDUSD 1.99^FS\n")) {
		t.Errorf("built-in font: %q", latin)
	}
}

func TestParseTarget(t *testing.T) {
	for in, want := range map[string]Config{
		"tspl:tcp://192.168.1.50:9100": {Language: LangTSPL, Port: "tcp://192.168.1.50:9100"},
		"ZPL:/dev/ttyUSB0":             {Language: LangZPL, Port: "/dev/ttyUSB0"},
		"tspl:usb:1203:0230":           {Language: LangTSPL, Port: "usb:1203:0230"},
		"zpl:file:labels.zpl":          {Language: LangZPL, Port: "file:labels.zpl"},
	} {
		if got, err := ParseTarget(in); err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "tspl", "tspl:", "escpos:/dev/ttyUSB0", "/dev/ttyUSB0", "tcp://host:9100"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) passed", bad)
		}
	}
}

// A job of several labels reaches the printer as the one program: TSPL's SIZE and GAP once.
func TestPrintOverTheTransports(t *testing.T) {
	labels := []shelflabel.Label{shelflabel.Lay(stock, coke, "zh-Hans"), shelflabel.Lay(stock, apples, "en")}
	path := filepath.Join(t.TempDir(), "labels.prn")
	if err := Print(Config{Language: LangTSPL, Port: "file:" + path}, labels); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, TSPL(labels)) {
		t.Errorf("file got\n%q\nwant\n%q", got, TSPL(labels))
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		got <- b
	}()
	if err := Print(Config{Language: LangZPL, Port: "tcp://" + ln.Addr().String(), Timeout: time.Second}, labels); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, ZPL(labels, DefaultZPLFont)) {
		t.Errorf("network printer got\n%q", b)
	}

	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln2.Addr().String()
	ln2.Close() // nothing listens there now
	if err := Print(Config{Language: LangTSPL, Port: "tcp://" + addr, Timeout: time.Second}, labels); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("unreachable printer: %v", err)
	}
}

func TestSettings(t *testing.T) {
	for key, value := range map[string]string{"labels.printer": "tspl:tcp://10.0.0.9", "labels.size": "60x40"} {
		if err := CheckSetting(key, value); err != nil {
			t.Errorf("%s %s: %v", key, value, err)
		}
	}
	for key, value := range map[string]string{"labels.printer": "/dev/ttyUSB0", "labels.size": "60", "labels.colour": "red"} {
		if err := CheckSetting(key, value); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("%s %s: %v", key, value, err)
		}
	}
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, s, ok, err := Settings(get(map[string]string{"labels.printer": "zpl:usb", "labels.size": "60x40"}))
	if err != nil || !ok || c.Language != LangZPL || c.Port != "usb" || s.Width() != 480 {
		t.Errorf("Settings = %+v %+v %v %v", c, s, ok, err)
	}
	if _, s, ok, err := Settings(get(nil)); err != nil || ok || s != shelflabel.DefaultStock() {
		t.Errorf("no settings = %+v %v %v", s, ok, err)
	}
}

// A serial label printer that takes nothing (switched off with the adapter still in, jammed, holding the
// line): Print gives up after the timeout with ErrPrinterOffline instead of leaving F9 waiting. The
// pseudo-terminal's far end is open but never read, so once its buffer is full a write blocks, as the
// kernel blocks a write to a serial printer that takes nothing.
func TestPrintToAStuckSerialPrinterTimesOut(t *testing.T) {
	printerEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { printerEnd.Close() }) // ends the write left blocked
	path := filepath.Join(t.TempDir(), "ttyLABELS")
	if err := os.Symlink(tillEnd.Name(), path); err != nil {
		t.Fatal(err)
	}
	tillEnd.Close()                          // Print opens its own, by path
	labels := make([]shelflabel.Label, 2000) // ≈ 300 kB: more than a pseudo-terminal buffers
	for i := range labels {
		labels[i] = shelflabel.Lay(stock, chips, "zh-Hans")
	}
	const timeout = 300 * time.Millisecond
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- Print(Config{Language: LangTSPL, Port: path, Timeout: timeout}, labels) }()
	select {
	case err := <-done:
		if !errors.Is(err, app.ErrPrinterOffline) || !strings.Contains(err.Error(), path) {
			t.Fatalf("Print = %v, want the printer offline, naming its port", err)
		}
		if took := time.Since(start); took < timeout {
			t.Errorf("gave up after %v, before the timeout %v", took, timeout)
		}
	case <-time.After(10 * timeout):
		t.Fatalf("Print still waiting after %v with a timeout of %v", 10*timeout, timeout)
	}
}

// The label printer's serial speed, ZPL font and timeout come from the labels.* settings.
func TestSettingsSetTheConnection(t *testing.T) {
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, _, ok, err := Settings(get(map[string]string{"labels.printer": "zpl:/dev/ttyUSB1", "labels.baud": "19200",
		"labels.font": "E:MSUNG.TTF", "labels.timeout_ms": "2500"}))
	want := Config{Language: LangZPL, Port: "/dev/ttyUSB1", Baud: 19200, Font: "E:MSUNG.TTF", Timeout: 2500 * time.Millisecond}
	if err != nil || !ok || c != want {
		t.Errorf("Settings = %+v %v %v, want %+v", c, ok, err, want)
	}
	for key, value := range map[string]string{"labels.baud": "fast", "labels.font": "E:SIMSUN.TTF^XZ", "labels.timeout_ms": "100"} {
		if err := CheckSetting(key, value); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("%s %s: %v", key, value, err)
		}
		if _, _, ok, err := Settings(get(map[string]string{"labels.printer": "tspl:usb", key: value})); ok || !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("Settings with %s %s: ok %v, %v", key, value, ok, err)
		}
	}
}
