package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"checkout/till"
)

// pastZReports lists the stored Z reports (`z-reports [N]`) or prints one as it was stored
// (`z-reports T01-Z0001`): a closed day is read back, never recomputed. The journal head beside it is its
// journal row as the journal holds it now: compared with the one printed on the day, it shows whether
// the journal was rewritten since.
func pastZReports(ctx context.Context, st *till.Store, args []string, stdout io.Writer) error {
	if len(args) > 1 {
		return errors.New("z-reports takes at most one argument: how many to list, or a Z number")
	}
	limit := 30
	if len(args) == 1 {
		if _, err := fmt.Sscan(args[0], &limit); err != nil || limit <= 0 {
			z, err := st.ZReportByNo(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Z report %s by %s, %s to %s, as stored; journal head %s:\n", z.No, z.User,
				z.From.Local().Format("2006-01-02 15:04"), z.To.Local().Format("2006-01-02 15:04"), z.Head)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, []byte(z.Document), "", "  "); err != nil {
				return err
			}
			_, err = fmt.Fprintln(stdout, pretty.String())
			return err
		}
	}
	zs, err := st.ZReports(ctx, limit)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Z\tFROM\tTO\tSALES\tREVENUE\tREFUNDS\tCASH EXPECTED\tBY\tJOURNAL HEAD\t")
	for _, z := range zs {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", z.No, z.From.Local().Format("2006-01-02 15:04"),
			z.To.Local().Format("2006-01-02 15:04"), z.Sales, z.Revenue.Decimal(), z.RefundTotal.Decimal(), z.CashExpected.Decimal(), z.User, z.Head)
	}
	return w.Flush()
}
