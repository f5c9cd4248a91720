package app

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The most characters (runes) a text field of a product or member may hold. Every text that enters the
// till or the head office — a catalog file, the product editor, the member dialog, checkout-hq — is
// bounded, so no one row can outgrow a down-sync page, a receipt line or the memory of a check.
const (
	maxNameRunes = 200  // names: a product's (English and Chinese), a category's, a member's
	maxCodeRunes = 64   // SKU, unit, tax class, tier, a catalog file's numbers and yes/no
	maxNoteRunes = 1000 // a member's notes; a product's list of barcodes
)

// checkText says why value cannot be the text field named, nil when it can: it must be valid UTF-8
// without replacement characters (text decoded with the wrong encoding before it got here), hold no
// control character and have at most max characters. Every field is one line of printable text, so
// tab, CR and LF are control characters too: they split CSV cells, receipt lines and the screen's rows.
func checkText(field, value string, max int) error {
	n := 0
	for _, r := range value {
		n++
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("%s: character %d is not valid text (invalid UTF-8 or U+FFFD)", field, n)
		case isControl(r):
			return fmt.Errorf("%s: control character %U at character %d", field, r, n)
		}
	}
	if n > max {
		return fmt.Errorf("%s: %d characters, at most %d", field, n, max)
	}
	return nil
}

// isControl reports the characters no text field may hold: C0 (NUL, tab, LF, CR, ESC …), DEL and C1;
// the line and paragraph separators; and the bidirectional embeddings, overrides and isolates, which
// reorder what the cashier and the receipt show ("Pen \u202egpj.exe").
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}
