package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// Report totals that differ from the sales fail verify-journal, naming the hour and the command that
// mends them; rebuild-reports does.
func TestRebuildReports(t *testing.T) {
	db := filepath.Join(t.TempDir(), "checkout.db")
	for _, args := range [][]string{{"seed-demo"}, {"simulate", "-sales", "40", "-seed", "26"}, {"verify-journal"}} {
		if code, out, errOut := cli(append([]string{"-db", db}, args...)...); code != 0 {
			t.Fatalf("checkout %s = %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE report_hours SET amount = amount - 100 WHERE kind = 'tender' AND key = 'cash'`); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli("-db", db, "verify-journal"); code != 1 || !strings.Contains(errOut, "report totals of the hour from") ||
		!strings.Contains(errOut, "checkout rebuild-reports") {
		t.Fatalf("verify-journal over changed totals = %d: %s", code, errOut)
	}
	if code, out, errOut := cli("-db", db, "rebuild-reports"); code != 0 || !strings.Contains(out, "report totals rebuilt: ") {
		t.Fatalf("rebuild-reports = %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := cli("-db", db, "verify-journal"); code != 0 {
		t.Fatalf("verify-journal after the rebuild = %d: %s%s", code, out, errOut)
	}
}
