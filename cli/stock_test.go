package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestStockCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-db", db, "seed-demo"}, 0, "added ", ""},
		{[]string{"-db", db, "receive", "5449000000996", "24", "1.50", "Acme"}, 0, "24 on hand", ""},
		{[]string{"-db", db, "receive", "5449000000996", "2.5", "1.50"}, 1, "", "pieces are whole"},
		{[]string{"-db", db, "adjust", "5449000000996", "-2", "damage"}, 0, "22 on hand", ""},
		{[]string{"-db", db, "adjust", "5449000000996", "-2", "borrowed"}, 1, "", "reason"},
		{[]string{"-db", db, "transfer", "5449000000996", "-6", "Riverside"}, 0, "16 on hand", ""},
		{[]string{"-db", db, "transfer", "5449000000996", "2", "Riverside"}, 0, "18 on hand", ""},
		{[]string{"-db", db, "transfer", "5449000000996", "2", " "}, 1, "", "names the other shop"},
		{[]string{"-db", db, "reorder-point", "5449000000996", "30"}, 0, "reorder at 30", ""},
		{[]string{"-db", db, "low-stock"}, 0, "order       42\n1 products low", ""},
		{[]string{"-db", db, "stock", "0000000000000"}, 1, "", "no product"},
		{[]string{"-db", db, "set-price", "DRK-001", "3.50"}, 0, "3.00 → 3.50 (journaled)", ""},
		{[]string{"-db", db, "set-price", "DRK-001", "-1"}, 1, "", "invalid amount"},
		{[]string{"-db", db, "verify-journal"}, 0, "journal OK", ""},
		{[]string{"-db", db, "set", "cardreader.vid", "072f"}, 0, "cardreader.vid = 072f", ""},
		{[]string{"-db", db, "set", "cardreader.vid", "acr"}, 1, "", "hexadecimal USB ID"},
		{[]string{"-db", db, "set", "cardreader.mode", "bluetooth"}, 1, "", "usb or sim"},
	} {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args[2:], code, out, errOut)
		}
	}
}
