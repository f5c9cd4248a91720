package cli

import (
	"context"
	"fmt"

	"checkout/till"
)

// verifyJournal recomputes the journal's hash chain and checks every row bound to it, the stock and
// member ledgers and the outbox, and, on an enrolled till, the journal against the head office's copy.
func verifyJournal(ctx context.Context, st *till.Store, c *call) error {
	n, err := st.VerifyJournal(ctx)
	if err != nil {
		return fmt.Errorf("verify-journal: %w (%d rows before it verified)", err, n)
	}
	if err := st.VerifyStock(ctx); err != nil {
		return fmt.Errorf("verify-journal: %w", err)
	}
	if err := st.VerifyMembers(ctx); err != nil {
		return fmt.Errorf("verify-journal: %w", err)
	}
	if err := st.VerifyOutbox(ctx); err != nil {
		return fmt.Errorf("verify-journal: %w", err)
	}
	anchored, err := st.CompareWithHQ(ctx)
	if err != nil {
		return fmt.Errorf("verify-journal: %w", err)
	}
	fmt.Fprintf(c.stdout, "journal OK: %d rows verified\n", n)
	if anchored != "" {
		fmt.Fprintf(c.stdout, "head office: %s\n", anchored)
	}
	return nil
}

// rebuildReports recomputes the report totals from the rows.
func rebuildReports(ctx context.Context, st *till.Store, c *call) error {
	n, err := st.RebuildReportTotals(ctx)
	if err != nil {
		return fmt.Errorf("rebuild-reports: %w", err)
	}
	fmt.Fprintf(c.stdout, "report totals rebuilt: %d hour rows\n", n)
	return nil
}
