package app

import (
	"fmt"
	"unicode/utf8"

	"checkout/app/document"
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
	// Most text is printable ASCII: a byte a character, nothing to decode.
	if printableASCII(value) {
		if len(value) > max {
			return fmt.Errorf("%s: %d characters, at most %d", field, len(value), max)
		}
		return nil
	}
	n := 0
	for _, r := range value {
		n++
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("%s: character %d is not valid text (invalid UTF-8 or U+FFFD)", field, n)
		case document.IsControl(r):
			return fmt.Errorf("%s: control character %U at character %d", field, r, n)
		}
	}
	if n > max {
		return fmt.Errorf("%s: %d characters, at most %d", field, n, max)
	}
	return nil
}

// printableASCII reports whether s is all printable ASCII, ' ' to '~', eight bytes at a time: an import
// checks every cell of a million rows.
func printableASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte has its high bit set if it is not ASCII, if taking ' ' from it borrows (a control
		// character), or if adding 1 carries into it (DEL). A borrow or carry that spills into the next
		// byte can only follow a byte already caught.
		if (x|(x-' '*ones)|(x+ones))&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
