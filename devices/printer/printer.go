package printer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"checkout/app"
)

// Conn is an open connection to a printer: bytes out and, where the transport has a way back, the
// printer's status bytes in.
type Conn interface {
	Write(p []byte) (int, error)
	// Read waits up to timeout for bytes from the printer: n == 0 with a nil error is a timeout;
	// ErrNoReturn means the transport cannot carry bytes back at all.
	Read(p []byte, timeout time.Duration) (int, error)
	Close() error
}

// ErrNoReturn is a transport that only carries bytes to the printer (a USB printer without a bulk-IN
// endpoint): its status cannot be asked, and printing goes ahead blind.
var ErrNoReturn = errors.New("printer: the connection carries no status back")

// oneWay is a connection that knows it carries nothing back (a file, a USB printer without bulk-IN):
// the status is not asked, rather than waited for.
type oneWay interface{ OneWay() bool }

// Config is one receipt printer.
type Config struct {
	// Port is where the printer is: a serial port ("/dev/ttyUSB0", "COM3"), "tcp://HOST[:9100]" for a
	// network printer, "usb" for the first USB printer or "usb:VID:PID" (hexadecimal) for one, or
	// "file:PATH" to append the bytes to a file.
	Port  string
	Baud  int // serial only; 9600 when 0
	Paper int // paper width in mm: 58 or 80 (the default)
	// Lang is the receipts' language ("en", "zh-Hans"); Chinese turns on the printer's Chinese mode and
	// GB18030 text, which Chinese-market printers have and most others print as garbage.
	Lang    string
	Chinese bool
	Timeout time.Duration // how long to wait for the printer to connect or answer; 2 s when 0
}

// ParseConfig reads the printer.* settings: printer.port (required), printer.baud, printer.width (58 or
// 80), printer.lang (en or zh-Hans; default lang) and printer.charset (gb18030, the default, or ascii).
func ParseConfig(get func(key string) string, lang string) (Config, error) {
	c := Config{Port: strings.TrimSpace(get("printer.port")), Paper: 80, Lang: lang, Chinese: true}
	for _, key := range []string{"printer.baud", "printer.width", "printer.lang", "printer.charset"} {
		if err := CheckSetting(key, get(key)); err != nil {
			return Config{}, err
		}
	}
	if v := get("printer.baud"); v != "" {
		c.Baud, _ = strconv.Atoi(v)
	}
	if v := get("printer.width"); v != "" {
		c.Paper, _ = strconv.Atoi(v)
	}
	if v := get("printer.lang"); v != "" {
		c.Lang = v
	}
	c.Chinese = get("printer.charset") != "ascii"
	return c, nil
}

// CheckSetting refuses a printer.* setting the printer could not use, before it is saved.
func CheckSetting(key, value string) error {
	bad := func(want string) error {
		return fmt.Errorf("%w: %s %q: %s", app.ErrInvalidSetting, key, value, want)
	}
	if value == "" {
		return nil
	}
	switch key {
	case "printer.port":
		if _, _, err := parseUSB(value); strings.HasPrefix(value, "usb") && err != nil {
			return bad("usb, or usb:VID:PID in hexadecimal such as usb:0416:5011")
		}
	case "printer.baud":
		if n, err := strconv.Atoi(value); err != nil || n <= 0 {
			return bad("a positive number such as 9600")
		}
	case "printer.width":
		if n, err := strconv.Atoi(value); err != nil || (n != 58 && n != 80) {
			return bad("58 or 80 (mm)")
		}
	case "printer.lang":
		if value != "en" && value != "zh-Hans" {
			return bad("en or zh-Hans")
		}
	case "printer.charset":
		if value != "gb18030" && value != "ascii" {
			return bad("gb18030 (Chinese-market printers) or ascii")
		}
	default:
		return fmt.Errorf("%w: unknown setting %q (printer.port, printer.baud, printer.width, printer.lang, printer.charset)", app.ErrInvalidSetting, key)
	}
	return nil
}

// Printer prints receipts, one connection per job: a printer unplugged, switched off or out of paper
// between two sales is simply found again for the next one.
type Printer struct {
	cfg  Config
	open func() (Conn, error)
	mu   sync.Mutex // one job at a time
}

// New returns the printer cfg.Port names. Nothing is opened until the first job.
func New(cfg Config) (*Printer, error) {
	open, err := opener(cfg)
	if err != nil {
		return nil, err
	}
	return NewWith(cfg, open), nil
}

// NewWith returns a printer reached through open, such as a simulated one.
func NewWith(cfg Config, open func() (Conn, error)) *Printer {
	if cfg.Paper == 0 {
		cfg.Paper = 80
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	return &Printer{cfg: cfg, open: open}
}

// Dial opens a raw connection to the printer at port (the forms Config.Port takes) for another
// command language than ESC/POS: a label printer speaking TSPL or ZPL is reached through the same serial,
// USB printer-class, TCP and file transports. Nothing is sent; the caller writes and closes.
func Dial(port string, baud int, timeout time.Duration) (Conn, error) {
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	open, err := opener(Config{Port: port, Baud: baud, Timeout: timeout})
	if err != nil {
		return nil, err
	}
	return open()
}

func opener(cfg Config) (func() (Conn, error), error) {
	port := cfg.Port
	switch {
	case port == "":
		return nil, errors.New("printer: no port (printer.port)")
	case strings.HasPrefix(port, "tcp://"):
		addr := strings.TrimPrefix(port, "tcp://")
		if !strings.Contains(addr, ":") {
			addr += ":9100"
		}
		return func() (Conn, error) { return dialTCP(addr, cfg.Timeout) }, nil
	case strings.HasPrefix(port, "usb"):
		vid, pid, err := parseUSB(port)
		if err != nil {
			return nil, err
		}
		return func() (Conn, error) { return openUSB(vid, pid) }, nil
	case strings.HasPrefix(port, "file:"):
		path := strings.TrimPrefix(port, "file:")
		return func() (Conn, error) { return openFile(path) }, nil
	}
	return func() (Conn, error) { return openSerial(port, cfg.Baud) }, nil
}

// parseUSB reads "usb" (any printer-class device) or "usb:VID:PID".
func parseUSB(port string) (vid, pid uint16, err error) {
	if port == "usb" {
		return 0, 0, nil
	}
	parts := strings.Split(port, ":")
	if len(parts) != 3 || parts[0] != "usb" {
		return 0, 0, fmt.Errorf("printer: port %q: usb or usb:VID:PID", port)
	}
	v, err1 := strconv.ParseUint(parts[1], 16, 16)
	p, err2 := strconv.ParseUint(parts[2], 16, 16)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("printer: port %q: VID and PID in hexadecimal, usb:0416:5011", port)
	}
	return uint16(v), uint16(p), nil
}

// Columns is how many characters a line of this printer's paper holds.
func (p *Printer) Columns() int {
	cols, err := app.ReceiptWidth(p.cfg.Paper)
	if err != nil {
		return 48
	}
	return cols
}

// Lang is the language the printer's receipts are in.
func (p *Printer) Lang() string { return p.cfg.Lang }

// Receipt returns r's ESC/POS bytes as this printer prints them (its width, language and character set).
func (p *Printer) Receipt(r app.Receipt) []byte {
	if r.Lang == "" {
		r.Lang = p.cfg.Lang
	}
	return Render(r.Layout(p.Columns()), Options{Chinese: p.cfg.Chinese, Drawer: r.OpenDrawer})
}

// PrintReceipt prints r (and kicks the drawer if r says so). The error says what to fix: paper out,
// cover open, offline.
func (p *Printer) PrintReceipt(r app.Receipt) error { return p.Send(p.Receipt(r)) }

// OpenDrawer kicks the cash drawer wired to the printer.
func (p *Printer) OpenDrawer() error {
	c := &Commands{}
	return p.send(c.Drawer().Bytes(), false)
}

// Send checks the printer can print and sends b.
func (p *Printer) Send(b []byte) error { return p.send(b, true) }

func (p *Printer) send(b []byte, needPaper bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	conn, err := p.open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrOffline, err)
	}
	defer conn.Close()
	st, err := p.status(conn)
	switch {
	case errors.Is(err, ErrNoReturn):
	case err != nil:
		return err
	case needPaper && !st.OK():
		return st.Err()
	case !needPaper && st.Offline:
		return ErrOffline
	}
	if _, err := conn.Write(b); err != nil {
		return fmt.Errorf("%w: %v", ErrOffline, err)
	}
	return nil
}

// Status asks the printer how it is.
func (p *Printer) Status() (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	conn, err := p.open()
	if err != nil {
		return Status{Offline: true}, fmt.Errorf("%w: %v", ErrOffline, err)
	}
	defer conn.Close()
	return p.status(conn)
}

// status asks DLE EOT 1, 2 and 4 in turn. A printer that does not answer is offline.
func (p *Printer) status(conn Conn) (Status, error) {
	var st Status
	if ow, ok := conn.(oneWay); ok && ow.OneWay() {
		return st, ErrNoReturn
	}
	buf := make([]byte, 16)
	for _, n := range []byte{1, 2, 4} {
		if _, err := conn.Write(StatusRequest(n)); err != nil {
			return Status{Offline: true}, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		got, err := conn.Read(buf, p.cfg.Timeout)
		if err != nil {
			if errors.Is(err, ErrNoReturn) {
				return st, err
			}
			return Status{Offline: true}, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		if got == 0 {
			return Status{Offline: true}, fmt.Errorf("%w: no answer to a status request within %v", ErrOffline, p.cfg.Timeout)
		}
		// Some printers send an automatic status first: the answer is the last byte.
		if err := ParseStatus(n, buf[got-1], &st); err != nil {
			return Status{Offline: true}, err
		}
	}
	return st, nil
}
