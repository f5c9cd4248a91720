package app

import (
	"strings"
	"testing"
)

// Text cells that would start a formula are written with a ', numbers are not, and a catalog file's cell
// is read back as it was: the quoting round-trips however many ' a name starts with.
func TestCSVWriterQuotesFormulasAndReadsThemBack(t *testing.T) {
	var b strings.Builder
	w, err := NewCSVWriter(&b, []string{"name", "price"}, "price")
	if err != nil {
		t.Fatal(err)
	}
	cells := []string{"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=1+1", "''@x", "'tis", "plain", "", "'", "3-1"}
	for _, c := range cells {
		_ = w.Write(c, "-1.50")
	}
	_ = w.Write("x", "=1+1")
	_ = w.Write("x", "12.50%")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "name,price\n'=1+1,-1.50\n'+1,-1.50\n'-2,-1.50\n'@SUM(A1),-1.50\n'\tx,-1.50\n\"'\rx\",-1.50\n" +
		"''=1+1,-1.50\n'''@x,-1.50\n'tis,-1.50\nplain,-1.50\n,-1.50\n',-1.50\n3-1,-1.50\nx,'=1+1\nx,12.50%\n"
	if b.String() != want {
		t.Errorf("written:\n%q\nwant\n%q", b.String(), want)
	}
	for _, c := range cells {
		if got := csvUntext(csvText(c)); got != c {
			t.Errorf("%q came back as %q", c, got)
		}
	}
}
