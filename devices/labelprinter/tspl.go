package labelprinter

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"

	"checkout/app/shelflabel"
)

// TSPL returns labels as a TSPL program (TSC and most Chinese label printers): the stock's SIZE and GAP
// once, then per label CLS, its TEXT and BARCODE commands and PRINT 1,1, each line ended CR LF.
// Syntax from TSC's TSPL/TSPL2 Programming Manual: SIZE m mm,n mm; GAP m mm,n mm; CLS;
// TEXT x,y,"font",rotation,x-multiplication,y-multiplication,"content";
// BARCODE x,y,"code type",height,human readable,rotation,narrow,wide,"code"; PRINT m,n.
//
// Text is in the printer's 24-dot simplified Chinese font "TSS24.BF2" (ASCII 12 dots wide, a GB2312
// character 24: the cells shelflabel measures in), encoded GBK; a character GBK has not prints as "?".
// A TSPL string ends at the next double quote and a command at CR or LF, and only newer firmware knows
// the \["] escape, so text loses its control characters and a double quote prints as a single one, a
// backslash as a slash: no name can end the string and add a command.
func TSPL(labels []shelflabel.Label) []byte {
	if len(labels) == 0 {
		return nil
	}
	b := tsplSetup(labels[0].Stock)
	for _, l := range labels {
		b = append(b, tsplLabel(l)...)
	}
	return b
}

// tsplSetup is the label stock's size and the gap between labels, sent once before the labels.
func tsplSetup(s shelflabel.Stock) []byte {
	return fmt.Appendf(nil, "SIZE %d mm,%d mm\r\nGAP %d mm,0 mm\r\n", s.WidthMM, s.HeightMM, s.GapMM)
}

// tsplLabel is one label: cleared, drawn, printed once.
func tsplLabel(l shelflabel.Label) []byte {
	var b bytes.Buffer
	b.WriteString("CLS\r\n")
	for _, e := range l.Elements {
		switch e.Kind {
		case shelflabel.KindText:
			fmt.Fprintf(&b, "TEXT %d,%d,\"TSS24.BF2\",0,%d,%d,\"", e.X, e.Y, e.Scale, e.Scale)
			b.Write(tsplText(e.Text))
			b.WriteString("\"\r\n")
		case shelflabel.KindBarcode:
			kind, data, ok := tsplBarcode(e.Symbology, e.Text)
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "BARCODE %d,%d,\"%s\",%d,1,0,%d,%d,\"%s\"\r\n", e.X, e.Y, kind, e.Height, e.Module, e.Module, data)
		}
	}
	b.WriteString("PRINT 1,1\r\n")
	return b.Bytes()
}

// tsplText is s as a TSPL string's bytes in GBK, with nothing that could end the string or the command.
func tsplText(s string) []byte {
	s = strings.NewReplacer(`"`, `'`, `\`, `/`).Replace(shelflabel.Clean(s))
	enc := simplifiedchinese.GBK.NewEncoder()
	var out []byte
	for _, r := range s {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(b) != 2 {
			b = []byte{'?'}
		}
		out = append(out, b...)
	}
	return out
}

// tsplBarcode is the code type and the data TSPL takes: an EAN's data digits (the printer adds the
// check digit), Code 128's characters, which shelflabel.Symbol keeps to letters, digits and "-./".
func tsplBarcode(sym shelflabel.Symbology, data string) (kind, code string, ok bool) {
	switch sym {
	case shelflabel.EAN13:
		if len(data) != 13 || !digits(data) {
			return "", "", false
		}
		return "EAN13", data[:12], true
	case shelflabel.EAN8:
		if len(data) != 8 || !digits(data) {
			return "", "", false
		}
		return "EAN8", data[:7], true
	case shelflabel.Code128:
		return "128", data, safe128(data)
	}
	return "", "", false
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// safe128 reports data that no label language reads as anything but characters to encode.
func safe128(s string) bool {
	if s == "" {
		return false
	}
	sym, got := shelflabel.Symbol(s)
	return sym == shelflabel.Code128 && got == s
}
