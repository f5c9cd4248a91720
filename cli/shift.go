package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/till"
)

// shiftCommand opens, shows and closes the till's shift and moves cash in and out of its drawer, as
// the user named by $USER.
func shiftCommand(ctx context.Context, st *till.Store, call *call) error {
	command, args, stdout := call.name, call.args, call.stdout
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	c, session := set.Currency, cliSession()
	desk := app.NewShiftDesk(set, st, time.Now)
	switch command {
	case "shift":
		if len(args) != 0 {
			return errors.New("shift takes no arguments")
		}
		sh, err := desk.CurrentShift(ctx)
		if errors.Is(err, app.ErrNoShift) {
			fmt.Fprintln(stdout, "no shift is open (checkout shift-open FLOAT opens one)")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shift %d at %s, opened %s by %s\n", sh.Number, sh.Till, sh.OpenedAt.Local().Format(time.DateTime), sh.User)
		return writeShift(stdout, sh)
	case "shift-open":
		if len(args) != 1 {
			return errors.New("shift-open takes FLOAT, the cash in the drawer, e.g. 500")
		}
		float, err := money.Parse(args[0], c)
		if err != nil {
			return fmt.Errorf("float %q: %w", args[0], err)
		}
		sh, err := desk.OpenShift(ctx, session, float)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shift %d opened with a float of %s\n", sh.Number, sh.Float)
	case "cash-in", "cash-out":
		if len(args) < 2 {
			return fmt.Errorf("%s takes AMOUNT REASON; REASON: %s, or \"other: …\"", command, strings.Join(app.CashReasons[:len(app.CashReasons)-1], ", "))
		}
		amount, err := money.Parse(args[0], c)
		if err != nil {
			return fmt.Errorf("amount %q: %w", args[0], err)
		}
		kind := app.CashIn
		if command == "cash-out" {
			kind = app.CashOut
		}
		if _, err := desk.MoveCash(ctx, session, kind, amount, strings.Join(args[1:], " ")); err != nil {
			return err
		}
		sh, err := desk.CurrentShift(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "cash %s: %s (%s); the drawer should now hold %s\n", kind, amount, strings.Join(args[1:], " "), sh.Expected)
	case "shift-close":
		if len(args) == 0 {
			return errors.New("shift-close takes the count, DENOMINATIONxCOUNT each: 100x3 50x1 1x12 0.5x4 (or one total for a currency without a list)")
		}
		var counts []app.DenominationCount
		for _, a := range args {
			n, err := app.ParseCount(a, c)
			if err != nil {
				return err
			}
			counts = append(counts, n)
		}
		sh, err := desk.CloseShift(ctx, session, counts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shift %d closed\n", sh.Number)
		return writeShift(stdout, sh)
	}
	return nil
}

// writeShift prints a shift's drawer: what it should hold and, once closed, what was counted.
func writeShift(w io.Writer, sh *app.Shift) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "float\t%s\n", sh.Float.Decimal())
	fmt.Fprintf(tw, "cash_sales\t%s\n", sh.CashSales.Decimal())
	fmt.Fprintf(tw, "cash_in\t%s\n", sh.CashIn.Decimal())
	fmt.Fprintf(tw, "cash_out\t%s\n", sh.CashOut.Decimal())
	fmt.Fprintf(tw, "expected\t%s\n", sh.Expected.Decimal())
	if !sh.Open() {
		fmt.Fprintf(tw, "counted\t%s\n", sh.CountedTotal.Decimal())
		fmt.Fprintf(tw, "over_short\t%s\n", sh.OverShort.Decimal())
	}
	return tw.Flush()
}
