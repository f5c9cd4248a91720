package printer

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"checkout/app"
)

// fakePrinter is the printer's end of a connection: it answers DLE EOT n with the status byte it is
// told and keeps everything else it is sent.
type fakePrinter struct {
	mu       sync.Mutex
	status   map[byte]byte // DLE EOT n → answer; a missing n is not answered
	received bytes.Buffer
}

func newFakePrinter() *fakePrinter {
	return &fakePrinter{status: map[byte]byte{1: 0x16, 2: 0x12, 4: 0x12}}
}

func (f *fakePrinter) set(n, b byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[n] = b
}

func (f *fakePrinter) got() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.received.Bytes()...)
}

// serve reads rw until it is closed, answering status requests. A pseudo-terminal's master reads EIO
// while no one has the terminal open, as between two print jobs: that is waited out.
func (f *fakePrinter) serve(rw io.ReadWriter) {
	buf := make([]byte, 4096)
	var pending []byte
	for {
		n, err := rw.Read(buf)
		if errors.Is(err, os.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, []byte{0x10, 0x04})
			if i < 0 || i+2 >= len(pending) {
				break
			}
			f.mu.Lock()
			f.received.Write(pending[:i])
			answer, ok := f.status[pending[i+2]]
			f.mu.Unlock()
			if ok {
				rw.Write([]byte{answer})
			}
			pending = pending[i+3:]
		}
		if !bytes.Contains(pending, []byte{0x10}) {
			f.mu.Lock()
			f.received.Write(pending)
			f.mu.Unlock()
			pending = nil
		}
	}
}

// waitFor waits until the printer has received want.
func (f *fakePrinter) waitFor(t *testing.T, want []byte) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !bytes.Contains(f.got(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("printer got % X, want % X in it", f.got(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// plugSerialPrinter makes a pseudo-terminal appear at a path, as a USB-serial printer's port appears, and
// serves it as the fake printer.
func plugSerialPrinter(t *testing.T) (string, *fakePrinter, *os.File) {
	t.Helper()
	printerEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ttyPRINTER")
	if err := os.Symlink(tillEnd.Name(), path); err != nil {
		t.Fatal(err)
	}
	tillEnd.Close() // the printer package opens its own, by path
	f := newFakePrinter()
	go f.serve(printerEnd)
	t.Cleanup(func() { printerEnd.Close() })
	return path, f, printerEnd
}

func TestSerialPrinterOverPty(t *testing.T) {
	path, f, printerEnd := plugSerialPrinter(t)
	p, err := New(Config{Port: path, Baud: 19200, Paper: 58, Lang: "en", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := app.Receipt{Sale: testSale(t), OpenDrawer: true}
	if err := p.PrintReceipt(r); err != nil {
		t.Fatal(err)
	}
	f.waitFor(t, p.Receipt(r))

	f.set(4, 0x72) // paper end
	if err := p.PrintReceipt(r); !errors.Is(err, ErrPaperOut) {
		t.Fatalf("paper out: %v", err)
	}
	if st, err := p.Status(); err != nil || !st.PaperOut || st.OK() {
		t.Errorf("Status() = %+v, %v", st, err)
	}
	f.set(4, 0x12)
	f.set(2, 0x16) // cover open
	if err := p.PrintReceipt(r); !errors.Is(err, ErrCoverOpen) {
		t.Fatalf("cover open: %v", err)
	}
	if err := p.OpenDrawer(); err != nil { // the drawer opens with the cover up
		t.Fatal(err)
	}
	f.waitFor(t, []byte{0x1B, 0x70, 0, 25, 250})

	printerEnd.Close() // unplugged
	os.Remove(path)
	if err := p.PrintReceipt(r); !errors.Is(err, ErrOffline) {
		t.Fatalf("unplugged: %v", err)
	}
}

func TestSerialPrinterThatDoesNotAnswerIsOffline(t *testing.T) {
	path, f, _ := plugSerialPrinter(t)
	f.mu.Lock()
	f.status = map[byte]byte{}
	f.mu.Unlock()
	p, err := New(Config{Port: path, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Status(); !errors.Is(err, ErrOffline) {
		t.Fatalf("Status() err = %v, want offline", err)
	}
}

// listenPrinter is a network printer on a local port.
func listenPrinter(t *testing.T) (string, *fakePrinter) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f := newFakePrinter()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				f.serve(conn)
			}()
		}
	}()
	return ln.Addr().String(), f
}

func TestNetworkPrinter(t *testing.T) {
	addr, f := listenPrinter(t)
	p, err := New(Config{Port: "tcp://" + addr, Lang: "zh-Hans", Chinese: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := app.Receipt{Sale: testSale(t), Shop: app.Shop{Name: "林记便利店"}}
	if err := p.PrintReceipt(r); err != nil {
		t.Fatal(err)
	}
	f.waitFor(t, p.Receipt(r))
	f.set(1, 0x1E)
	if err := p.PrintReceipt(r); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline: %v", err)
	}
}

func TestNetworkPrinterUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	p, err := New(Config{Port: "tcp://" + addr, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := p.PrintReceipt(app.Receipt{Sale: testSale(t)}); !errors.Is(err, ErrOffline) {
		t.Fatalf("err = %v, want offline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestFilePrinterAppendsTheBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "receipts.escpos")
	p, err := New(Config{Port: "file:" + path, Paper: 58})
	if err != nil {
		t.Fatal(err)
	}
	r := app.Receipt{Sale: testSale(t)}
	for range 2 {
		if err := p.PrintReceipt(r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	one := p.Receipt(r)
	if !bytes.Equal(got, append(append([]byte(nil), one...), one...)) {
		t.Errorf("file holds %d bytes, want the receipt twice (%d each) and nothing else", len(got), len(one))
	}
}

func TestConfigAndSettings(t *testing.T) {
	set := map[string]string{"printer.port": "tcp://10.0.0.5", "printer.width": "58", "printer.charset": "ascii"}
	c, err := ParseConfig(func(k string) string { return set[k] }, "zh-Hans")
	if err != nil || c.Port != "tcp://10.0.0.5" || c.Paper != 58 || c.Chinese || c.Lang != "zh-Hans" {
		t.Errorf("ParseConfig = %+v, %v", c, err)
	}
	for _, kv := range [][2]string{{"printer.width", "76"}, {"printer.lang", "fr"}, {"printer.baud", "fast"},
		{"printer.charset", "latin1"}, {"printer.port", "usb:xyz"}, {"printer.colour", "red"}} {
		if err := CheckSetting(kv[0], kv[1]); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("CheckSetting(%s, %s) = %v", kv[0], kv[1], err)
		}
	}
	for _, kv := range [][2]string{{"printer.port", "/dev/ttyUSB0"}, {"printer.port", "usb:0416:5011"}, {"printer.port", "usb"},
		{"printer.width", "80"}, {"printer.lang", "en"}} {
		if err := CheckSetting(kv[0], kv[1]); err != nil {
			t.Errorf("CheckSetting(%s, %s) = %v", kv[0], kv[1], err)
		}
	}
	if _, err := New(Config{}); err == nil {
		t.Error("a printer with no port")
	}
}

// Dial hands another command language's bytes to the same transports, untouched: no ESC/POS status
// request goes first (a TSPL or ZPL printer would print it as text).
func TestDialSendsOnlyWhatIsWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.prn")
	conn, err := Dial("file:"+path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte("CLS\r\nPRINT 1,1\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "CLS\r\nPRINT 1,1\r\n" {
		t.Errorf("file got %q", got)
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
	conn, err = Dial("tcp://"+ln.Addr().String(), 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("^XA^XZ"))
	conn.Close()
	if b := <-got; string(b) != "^XA^XZ" {
		t.Errorf("network printer got %q", b)
	}

	for _, bad := range []string{"", "usb:zz:1"} {
		if _, err := Dial(bad, 0, 0); err == nil {
			t.Errorf("Dial(%q) opened", bad)
		}
	}
}
