package app

import (
	"strings"
	"testing"
)

// printableASCII agrees with the plain byte-by-byte test for every byte in every position of a word.
func TestPrintableASCII(t *testing.T) {
	for b := range 256 {
		for pos := range 17 {
			s := []byte(strings.Repeat("a", 17))
			s[pos] = byte(b)
			want := b >= ' ' && b <= '~'
			if got := printableASCII(string(s)); got != want {
				t.Errorf("byte %#x at %d: %v", b, pos, got)
			}
		}
	}
}
