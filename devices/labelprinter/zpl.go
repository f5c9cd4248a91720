package labelprinter

import (
	"bytes"
	"fmt"
	"strings"

	"checkout/app/shelflabel"
)

// DefaultZPLFont is the font ZPL labels print their text in: a TrueType Chinese font (SimSun) the shop
// downloads to the printer's E: drive with Zebra's tools. Zebra's built-in fonts have no Chinese, so
// without it Chinese names do not print; with it, ASCII takes half a character's width, as the layout
// measures.
const DefaultZPLFont = "E:SIMSUN.TTF"

// ZPL returns labels as ZPL II (Zebra), one ^XA … ^XZ format a label, in UTF-8 (^CI28), each field on a
// line of its own. Syntax from Zebra's ZPL II Programming Guide: ^CI28 UTF-8; ^PW label width and ^LL
// length in dots; ^FOx,y field origin; ^A@o,h,w,d:f.x a font by name; ^FH field hexadecimal indicator,
// "_" and two hex digits; ^FD field data up to ^FS; ^BYw module width; ^BEo,h,f,g EAN-13 and ^B8o,h,f,g
// EAN-8 (data digits; the printer adds the check digit); ^BCo,h,f,g,e Code 128.
//
// A field's data ends at the next ^ or ~ (which start commands, ~ at once), so text goes out under ^FH
// with ^, ~ and the indicator _ itself written as _5E, _7E and _5F, and without control characters: no
// name can end its field or the label. font is the ^A@ font (DefaultZPLFont); "" uses the built-in
// scalable font 0, Latin only.
func ZPL(labels []shelflabel.Label, font string) []byte {
	var b bytes.Buffer
	for _, l := range labels {
		fmt.Fprintf(&b, "^XA\n^CI28\n^PW%d\n^LL%d\n", l.Stock.Width(), l.Stock.Height())
		for _, e := range l.Elements {
			switch e.Kind {
			case shelflabel.KindText:
				h := shelflabel.CellH * e.Scale
				fmt.Fprintf(&b, "^FO%d,%d", e.X, e.Y)
				if font != "" {
					fmt.Fprintf(&b, "^A@N,%d,%d,%s", h, h, zplFont(font))
				} else {
					fmt.Fprintf(&b, "^A0N,%d,%d", h, h/2)
				}
				fmt.Fprintf(&b, "^FH_^FD%s^FS\n", zplText(e.Text))
			case shelflabel.KindBarcode:
				cmd, data, ok := zplBarcode(e.Symbology, e.Text, e.Height)
				if !ok {
					continue
				}
				fmt.Fprintf(&b, "^FO%d,%d^BY%d%s^FD%s^FS\n", e.X, e.Y, e.Module, cmd, data)
			}
		}
		b.WriteString("^XZ\n")
	}
	return b.Bytes()
}

// zplText is s as ^FH field data: the characters that would start a command, and the indicator, in hex.
func zplText(s string) string {
	return strings.NewReplacer("_", "_5F", "^", "_5E", "~", "_7E").Replace(shelflabel.Clean(s))
}

// zplFont keeps a font name to what a printer's file names are: a drive, letters, digits, "." and "_".
func zplFont(f string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ':' || r == '.' || r == '_' {
			return r
		}
		return -1
	}, f)
}

// zplBarcode is the barcode command and data for sym: the human-readable digits below (f Y), none above.
func zplBarcode(sym shelflabel.Symbology, data string, h int) (cmd, code string, ok bool) {
	switch sym {
	case shelflabel.EAN13:
		if len(data) != 13 || !digits(data) {
			return "", "", false
		}
		return fmt.Sprintf("^BEN,%d,Y,N", h), data[:12], true
	case shelflabel.EAN8:
		if len(data) != 8 || !digits(data) {
			return "", "", false
		}
		return fmt.Sprintf("^B8N,%d,Y,N", h), data[:7], true
	case shelflabel.Code128:
		// No ">": in ^BC data it starts an invocation code; safe128 admits none.
		return fmt.Sprintf("^BCN,%d,Y,N,N", h), data, safe128(data)
	}
	return "", "", false
}
