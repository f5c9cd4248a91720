package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The Z report prints the journal's head at it, its own journal row (sequence and the first 16 hex
// digits of its hash), and z-reports shows that row as the journal holds it now: paper to compare with.
func TestZReportPrintsTheJournalHead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	for _, args := range [][]string{{"seed-demo"}, {"shift-open", "100"}, {"cash-in", "50", "change"}} {
		if code, _, errOut := cli(append([]string{"-db", db}, args...)...); code != 0 {
			t.Fatalf("checkout %v: %s", args, errOut)
		}
	}
	code, out, errOut := cli("-db", db, "z-report")
	if code != 0 {
		t.Fatalf("z-report: %s", errOut)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var seq int64
	var hash string
	if err := raw.QueryRow(`SELECT seq, hash FROM journal WHERE kind = 'zreport'`).Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	head := fmt.Sprintf("journal head %d · %s\n", seq, hash[:16])
	if !strings.Contains(out, head) {
		t.Errorf("z-report printed %q, want %q", out, head)
	}
	if code, _, errOut := cli("-db", db, "cash-in", "10", "change"); code != 0 { // the journal goes on
		t.Fatal(errOut)
	}
	if _, out, _ := cli("-db", db, "z-reports", "T01-Z0001"); !strings.Contains(out, "as stored; journal head "+head[len("journal head "):len(head)-1]+":") {
		t.Errorf("z-reports T01-Z0001 printed %q, want its head %q", out, head)
	}
	if _, out, _ := cli("-db", db, "z-reports"); !strings.Contains(out, head[len("journal head "):len(head)-1]) {
		t.Errorf("z-reports printed %q, want the head %q", out, head)
	}
}
