package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"checkout/app"
	"checkout/hq/server"
)

// promotionCommand saves the promotions of a file for a shop's tills (promotion-save SHOP FILE), or
// lists the shop's promotions (promotions SHOP).
func promotionCommand(ctx context.Context, srv *server.Server, name string, args []string, stdout io.Writer) error {
	if name == "promotions" {
		if len(args) != 1 {
			return errors.New("promotions takes SHOP")
		}
		ps, err := srv.Promotions(ctx, args[0])
		if err != nil {
			return err
		}
		uses, err := srv.PromotionCouponUses(ctx, args[0])
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tON\tKIND\tNAME\tCOUPON\tUSED\tLIMIT\tPER TILL")
		for _, p := range ps {
			on := "yes"
			if !p.Active {
				on = "no"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.HQID, on, p.Rule.Kind, app.InLanguage("en", p.Rule.Name, p.Rule.NameZH),
				p.Rule.Coupon, uses[p.HQID], limitText(p.CouponLimit), limitText(p.TillAllowance()))
		}
		return w.Flush()
	}
	if len(args) != 2 {
		return errors.New("promotion-save takes SHOP FILE.json")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	ps, err := app.ReadPromotions(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	ids, err := srv.SavePromotions(ctx, args[0], ps)
	if err != nil {
		return err
	}
	for i, p := range ps {
		fmt.Fprintf(stdout, "%s promotion %d saved: %s\n", args[0], ids[i], app.InLanguage("en", p.Rule.Name, p.Rule.NameZH))
	}
	return nil
}

func limitText(n int64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}
