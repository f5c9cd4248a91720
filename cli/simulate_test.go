package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// The simulated till sells, splits and refunds under every cash rounding the shop can set without
// stopping (it stopped after 38 to 56 sales with "the sale is not fully paid" before cash parts were
// whole steps), and what it stored adds up: every sale paid its total and its rounding, the rounding
// only of cash and under a step, no sale's refunds gave back more than it took, members' balances and
// points are their ledgers, and the journal verifies.
func TestSimulateWithEveryCashRounding(t *testing.T) {
	for _, step := range []string{"0", "0.05", "0.10", "1.00"} {
		for _, mode := range []string{"nearest", "down"} {
			t.Run(step+" "+mode, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "checkout.db")
				for _, args := range [][]string{{"seed-demo"}, {"set", "cash_rounding", step}, {"set", "cash_rounding_mode", mode},
					{"simulate", "-sales", "250", "-seed", "28"}, {"verify-journal"}} {
					if code, out, errOut := cli(append([]string{"-db", db}, args...)...); code != 0 {
						t.Fatalf("checkout %s = %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
					}
				}
				raw, err := sql.Open("sqlite", db)
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				stepMinor := map[string]int64{"0": 1, "0.05": 5, "0.10": 10, "1.00": 100}[step]
				for what, query := range map[string]string{
					"sales that do not add up": `SELECT count(*) FROM sales s
						WHERE s.total + s.rounding != (SELECT coalesce(sum(amount), 0) FROM tenders WHERE sale_id = s.id)`,
					// x is what was left for cash after the other tenders: the rounding is x's, rounded by the mode.
					"rounding that is not the cash part's": `SELECT count(*) FROM (SELECT s.rounding, s.total - (SELECT coalesce(sum(amount), 0)
							FROM tenders WHERE sale_id = s.id AND kind != 'cash') AS x FROM sales s)
						WHERE rounding != CASE ?2 WHEN 'down' THEN (x / ?1) * ?1 ELSE ((2 * x + ?1) / (2 * ?1)) * ?1 END - x`,
					"cash off the step": `SELECT count(*) FROM tenders WHERE kind = 'cash' AND (amount % ?1 != 0 OR tendered % ?1 != 0)`,
					"sales refunded beyond what they took": `SELECT count(*) FROM sales s
						WHERE (SELECT coalesce(sum(tender_amount), 0) FROM refunds WHERE sale_id = s.id) > s.total + s.rounding
						OR (SELECT coalesce(sum(total), 0) FROM refunds WHERE sale_id = s.id) > s.total`,
					"cash sales refunded in full but not given back what they took": `SELECT count(*) FROM sales s
						WHERE NOT EXISTS (SELECT 1 FROM tenders WHERE sale_id = s.id AND kind != 'cash')
						AND (SELECT coalesce(sum(total), 0) FROM refunds WHERE sale_id = s.id) = s.total AND s.total > 0
						AND (SELECT coalesce(sum(tender_amount), 0) FROM refunds WHERE sale_id = s.id) != s.total + s.rounding`,
					"members whose balance or points are not their ledger": `SELECT count(*) FROM members m
						WHERE m.balance != (SELECT coalesce(sum(amount), 0) FROM member_ledger WHERE member_id = m.id)
						OR m.points != (SELECT coalesce(sum(points), 0) FROM member_ledger WHERE member_id = m.id)`,
				} {
					var n int64
					if err := raw.QueryRow(query, stepMinor, mode).Scan(&n); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					if n != 0 {
						t.Errorf("%d %s", n, what)
					}
				}
				var sales, refunds, rounded, split int64
				if err := raw.QueryRow(`SELECT (SELECT count(*) FROM sales), (SELECT count(*) FROM refunds),
					(SELECT count(*) FROM sales WHERE rounding != 0),
					(SELECT count(*) FROM sales s WHERE (SELECT count(*) FROM tenders WHERE sale_id = s.id) > 1)`).Scan(&sales, &refunds, &rounded, &split); err != nil {
					t.Fatal(err)
				}
				if sales != 250 || refunds == 0 || split == 0 || (step != "0" && rounded == 0) {
					t.Errorf("%d sales, %d refunds, %d rounded, %d split", sales, refunds, rounded, split)
				}
			})
		}
	}
}
