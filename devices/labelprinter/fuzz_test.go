package labelprinter

import (
	"bytes"
	"strings"
	"testing"

	"checkout/app/shelflabel"
)

// Whatever a product's name holds, it stays one string of one command: a TSPL TEXT line has its four
// quotes and no CR or LF of its own, a ZPL field no ^ or ~ of its own.
func FuzzNamesCannotInject(f *testing.F) {
	for _, e := range hostile().Elements {
		f.Add(e.Text)
	}
	f.Add("可口可乐\"\r\n^XZ~JR_\\[\"]")
	f.Add("\xbf\x5c[\"]") // a GBK lead byte before a backslash
	f.Fuzz(func(t *testing.T, name string) {
		l := shelflabel.Label{Stock: stock, Elements: []shelflabel.Element{{Kind: shelflabel.KindText, X: 16, Y: 16, Scale: 1, Text: name}}}
		tspl := TSPL([]shelflabel.Label{l})
		lines := strings.Split(string(tspl), "\r\n")
		if len(lines) != 6 || lines[5] != "" || lines[4] != "PRINT 1,1" {
			t.Fatalf("%q made %d lines: %q", name, len(lines), tspl)
		}
		text := lines[3]
		if !strings.HasPrefix(text, `TEXT 16,16,"TSS24.BF2",0,1,1,"`) || !strings.HasSuffix(text, `"`) || strings.Count(text, `"`) != 4 ||
			strings.ContainsAny(text, "\r\n") {
			t.Fatalf("%q: %q", name, text)
		}
		zpl := ZPL([]shelflabel.Label{l}, DefaultZPLFont)
		field := zpl[bytes.Index(zpl, []byte("^FH_^FD"))+len("^FH_^FD"):]
		field = field[:bytes.Index(field, []byte("^FS\n^XZ\n"))]
		if bytes.ContainsAny(field, "^~") || bytes.Count(zpl, []byte("^XZ")) != 1 {
			t.Fatalf("%q: ZPL %q", name, zpl)
		}
	})
}
