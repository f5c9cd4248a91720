package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestShiftCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	t.Setenv("USER", "li")
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"shift"}, 0, "no shift is open", ""},
		{[]string{"cash-in", "100", "change"}, 1, "", "no shift is open"},
		{[]string{"shift-open", "500"}, 0, "shift 1 opened with a float of 500.00 CNY", ""},
		{[]string{"shift-open", "100"}, 1, "", "a shift is already open"},
		{[]string{"shift-open", "-5"}, 1, "", ""},
		{[]string{"cash-in", "100", "change"}, 0, "the drawer should now hold 600.00 CNY", ""},
		{[]string{"cash-out", "12.50", "other:", "window", "cleaner"}, 0, "(other: window cleaner); the drawer should now hold 587.50 CNY", ""},
		{[]string{"cash-out", "12.50", "lunch"}, 1, "", "needs a reason"},
		{[]string{"cash-out", "0", "safe_drop"}, 1, "", "invalid amount"},
		{[]string{"shift"}, 0, "by li", ""},
		{[]string{"x-report"}, 0, "open shift expected  587.50", ""},
		{[]string{"shift-close", "100x5", "25x1"}, 1, "", "25.00 is not a CNY denomination"},
		{[]string{"shift-close", "100x5", "50x1", "20x1", "10x1", "5x1", "1x2", "0.5x1", "0.1x3"}, 0, "expected    587.50\ncounted     587.80\nover_short  0.30", ""},
		{[]string{"shift"}, 0, "no shift is open", ""},
		{[]string{"z-report"}, 0, "over/short     0.30", ""},
		{[]string{"verify-journal"}, 0, "journal OK", ""},
	} {
		code, out, errOut := cli(append([]string{"-db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args, code, out, errOut)
		}
	}
}
