package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"time"

	"checkout/till"
	"checkout/till/simulate"
)

// simulateCommand is `checkout simulate [-sales N] [-rate R] [-seed S]` (simulate.Run).
func simulateCommand(ctx context.Context, st *till.Store, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt simulate.Options
	fs.IntVar(&opt.Sales, "sales", 1000, "how many sales")
	fs.Float64Var(&opt.Rate, "rate", 0, "sales per second (0: as fast as the till can)")
	fs.Uint64Var(&opt.Seed, "seed", uint64(time.Now().UnixNano()), "random seed: the same seed gives the same baskets")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opt.Sales < 0 || opt.Rate < 0 || fs.NArg() != 0 {
		return errors.New("simulate takes -sales N [-rate R] [-seed S]")
	}
	return simulate.Run(ctx, st, opt, stdout, stderr)
}
