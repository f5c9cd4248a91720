// Package printer prints receipts on ESC/POS thermal printers and kicks the cash drawer wired to them. The
// ESC/POS bytes are built by pure functions (escpos.go), tested byte-exact; the transports that carry
// them (serial, USB printer class, TCP port 9100, a file for the simulated printer) are thin.
package printer

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"checkout/app"
)

// The ESC/POS control characters.
const (
	lf  = 0x0A
	esc = 0x1B
	gs  = 0x1D
	fs  = 0x1C
	dle = 0x10
	eot = 0x04
)

// Commands builds ESC/POS bytes. Its zero value is ready; each method appends one command.
type Commands struct {
	buf bytes.Buffer
	// Chinese is set by ChineseMode: text then goes out in GB18030, else as ASCII with '?' for the rest.
	chinese bool
}

// Bytes returns the commands so far.
func (c *Commands) Bytes() []byte { return c.buf.Bytes() }

// Init is ESC @: clear the print buffer and reset every mode to the printer's defaults.
func (c *Commands) Init() *Commands { c.buf.Write([]byte{esc, '@'}); return c }

// Align is ESC a n: 0 left, 1 centre, 2 right, for the lines that start after it.
func (c *Commands) Align(a app.Align) *Commands {
	n := byte(0)
	switch a {
	case app.AlignCenter:
		n = 1
	case app.AlignRight:
		n = 2
	}
	c.buf.Write([]byte{esc, 'a', n})
	return c
}

// Bold is ESC E n: emphasised on (1) or off (0).
func (c *Commands) Bold(on bool) *Commands {
	c.buf.Write([]byte{esc, 'E', b2i(on)})
	return c
}

// Size is GS ! n: character width and height each 1× or 2× (bits 4–6 width, 0–2 height).
func (c *Commands) Size(wide, tall bool) *Commands {
	c.buf.Write([]byte{gs, '!', b2i(wide)<<4 | b2i(tall)})
	return c
}

// ChineseMode is FS & (on: bytes from 0x81 up are GB18030 characters, two columns each) or FS . (off:
// single-byte code page). Text after it is encoded to match.
func (c *Commands) ChineseMode(on bool) *Commands {
	if on {
		c.buf.Write([]byte{fs, '&'})
	} else {
		c.buf.Write([]byte{fs, '.'})
	}
	c.chinese = on
	return c
}

// Text appends s in the current mode's encoding, without a line feed.
func (c *Commands) Text(s string) *Commands {
	c.buf.Write(Encode(s, c.chinese))
	return c
}

// Line appends s and a line feed (LF prints the buffer and feeds one line).
func (c *Commands) Line(s string) *Commands {
	c.Text(s)
	c.buf.WriteByte(lf)
	return c
}

// Feed is ESC d n: print and feed n lines.
func (c *Commands) Feed(n byte) *Commands { c.buf.Write([]byte{esc, 'd', n}); return c }

// QR prints data as a QR code with GS ( k: select model 2 (function 165), module size dots (167),
// error correction level M (169), store the data (180), print it (181).
func (c *Commands) QR(data string, dots byte) *Commands {
	c.buf.Write([]byte{gs, '(', 'k', 4, 0, '1', 'A', '2', 0})
	c.buf.Write([]byte{gs, '(', 'k', 3, 0, '1', 'C', dots})
	c.buf.Write([]byte{gs, '(', 'k', 3, 0, '1', 'E', '1'})
	n := len(data) + 3
	c.buf.Write([]byte{gs, '(', 'k', byte(n), byte(n >> 8), '1', 'P', '0'})
	c.buf.WriteString(data)
	c.buf.Write([]byte{gs, '(', 'k', 3, 0, '1', 'Q', '0'})
	return c
}

// Barcode128 prints data (printable ASCII) as a Code 128 barcode in code set B with GS k m=73, the
// digits under it (GS H 2), 2-dot modules (GS w) and 80 dots high (GS h).
func (c *Commands) Barcode128(data string) *Commands {
	c.buf.Write([]byte{gs, 'H', 2, gs, 'w', 2, gs, 'h', 80})
	payload := "{B" + data
	c.buf.Write([]byte{gs, 'k', 73, byte(len(payload))})
	c.buf.WriteString(payload)
	return c
}

// Raster prints img as a raster bit image with GS v 0 m xL xH yL yH d1…dk: m = 0 (normal size), x the
// bytes across a row (8 dots each, the leftmost dot in bit 7, a partial last byte padded with white), y
// the rows, top first; a dot prints where the pixel is dark (grey under half). It is for small pictures,
// such as a signature: x ≤ 255 bytes and y ≤ 2303 rows, a little more than any receipt printer takes.
func (c *Commands) Raster(img image.Image) *Commands {
	b := img.Bounds()
	x, y := (b.Dx()+7)/8, b.Dy()
	c.buf.Write([]byte{gs, 'v', '0', 0, byte(x), byte(x >> 8), byte(y), byte(y >> 8)})
	row := make([]byte, x)
	for py := b.Min.Y; py < b.Max.Y; py++ {
		clear(row)
		for px := b.Min.X; px < b.Max.X; px++ {
			if color.GrayModel.Convert(img.At(px, py)).(color.Gray).Y < 0x80 {
				i := px - b.Min.X
				row[i/8] |= 0x80 >> (i % 8)
			}
		}
		c.buf.Write(row)
	}
	return c
}

// Cut is GS V 66 n: feed n dots more (to get the last line past the blade) and cut, leaving a hinge.
func (c *Commands) Cut(feed byte) *Commands { c.buf.Write([]byte{gs, 'V', 66, feed}); return c }

// Drawer is ESC p m t1 t2: a pulse on the drawer kick-out connector pin 2 (m=0), on for 2×25 = 50 ms
// and off for 250×2 = 500 ms, which opens every common cash drawer.
func (c *Commands) Drawer() *Commands { c.buf.Write([]byte{esc, 'p', 0, 25, 250}); return c }

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Encode turns text into the printer's bytes: GB18030 in Chinese mode (with ¥, which GBK lacks, as
// the full-width ￥), else ASCII with '?' for every other character.
func Encode(s string, chinese bool) []byte {
	if !chinese {
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r >= 0x20 && r < 0x7F {
				b = append(b, byte(r))
			} else {
				b = append(b, '?')
			}
		}
		return b
	}
	s = strings.ReplaceAll(s, "¥", "￥")
	enc := simplifiedchinese.GB18030.NewEncoder()
	var out []byte
	for _, r := range s {
		if r < 0x80 {
			if r >= 0x20 && r < 0x7F {
				out = append(out, byte(r))
			} else {
				out = append(out, '?')
			}
			continue
		}
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || r == utf8.RuneError {
			b = []byte{'?'}
		}
		out = append(out, b...)
	}
	return out
}

// Options say how a receipt is printed.
type Options struct {
	Chinese bool // the printer's Chinese mode and GB18030 text
	Drawer  bool // kick the cash drawer after the cut
}

// Render turns a laid-out receipt into ESC/POS bytes: init, Chinese mode on or off, each row in its
// alignment and style, the QR code, feed, cut and, if asked, the drawer kick.
func Render(rows []app.ReceiptRow, o Options) []byte {
	c := &Commands{}
	c.Init().ChineseMode(o.Chinese)
	for _, row := range rows {
		switch row.Kind {
		case app.RowFeed:
			c.Line("")
		case app.RowQR:
			c.Align(row.Align).QR(row.Text, 6).Line("")
		case app.RowImage:
			if row.Image != nil {
				c.Align(row.Align).Raster(row.Image)
			}
		default:
			c.Align(row.Align)
			styled := row.Bold || row.Wide || row.Tall
			if styled {
				c.Bold(row.Bold).Size(row.Wide, row.Tall)
			}
			c.Line(row.Text)
			if styled {
				c.Bold(false).Size(false, false)
			}
		}
	}
	c.Align(app.AlignLeft).Feed(3).Cut(0)
	if o.Drawer {
		c.Drawer()
	}
	return c.Bytes()
}

// StatusRequest is DLE EOT n, a real-time status request the printer answers with one byte even when
// it is busy or out of paper: n=1 printer, 2 offline cause, 4 paper roll sensor.
func StatusRequest(n byte) []byte { return []byte{dle, eot, n} }

// Status is what the printer said about itself.
type Status struct {
	Offline   bool
	CoverOpen bool
	PaperOut  bool
	PaperLow  bool
	Error     bool // an error the printer cannot print through (cutter jam, overheated head)
}

// OK reports whether the printer can print.
func (s Status) OK() bool { return !s.Offline && !s.CoverOpen && !s.PaperOut && !s.Error }

// Err says what stops the printer, or nil when it can print: paper out before cover open before other
// errors, the order a shop assistant fixes them in.
func (s Status) Err() error {
	switch {
	case s.PaperOut:
		return ErrPaperOut
	case s.CoverOpen:
		return ErrCoverOpen
	case s.Error:
		return ErrPrinterError
	case s.Offline:
		return ErrOffline
	}
	return nil
}

// ParseStatus reads the printer's answer b to StatusRequest(n) into st. Every answer has bits 1 and 4
// set and bits 0 and 7 clear; any other byte is not a status (ErrBadStatus).
func ParseStatus(n, b byte, st *Status) error {
	if b&0x93 != 0x12 {
		return fmt.Errorf("%w: %#02x to DLE EOT %d", ErrBadStatus, b, n)
	}
	switch n {
	case 1:
		st.Offline = b&0x08 != 0
	case 2:
		st.CoverOpen = b&0x04 != 0
		st.PaperOut = st.PaperOut || b&0x20 != 0
		st.Error = b&0x40 != 0
	case 4:
		st.PaperLow = b&0x0C != 0
		st.PaperOut = st.PaperOut || b&0x60 != 0
	default:
		return fmt.Errorf("%w: DLE EOT %d is not asked", ErrBadStatus, n)
	}
	return nil
}
