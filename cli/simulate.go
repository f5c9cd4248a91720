package cli

import (
	"context"
	"errors"
	"flag"
	"time"

	"checkout/till"
	"checkout/till/simulate"
)

// simulateCommand is `checkout simulate [-sales N] [-rate R] [-seed S]` (simulate.Run).
func simulateCommand(ctx context.Context, st *till.Store, c *call) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var opt simulate.Options
	fs.IntVar(&opt.Sales, "sales", 1000, "how many sales")
	fs.Float64Var(&opt.Rate, "rate", 0, "sales per second (0: as fast as the till can)")
	fs.Uint64Var(&opt.Seed, "seed", uint64(time.Now().UnixNano()), "random seed: the same seed gives the same baskets")
	if err := fs.Parse(c.args); err != nil {
		return err
	}
	if opt.Sales < 0 || opt.Rate < 0 || fs.NArg() != 0 {
		return errors.New("simulate takes -sales N [-rate R] [-seed S]")
	}
	return simulate.Run(ctx, st, opt, c.stdout, c.stderr)
}
