package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"time"

	"checkout/app"
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
	// With a backup folder set, the sales are replicated as the till's are, and each write that carried
	// new ones says through which receipt the replica holds them (the replica's crash test reads it).
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	last := ""
	b, err := till.StartBackups(st, set, func(s app.BackupStatus) {
		mu.Lock()
		defer mu.Unlock()
		if s.ReplicatedReceipt != "" && s.ReplicatedReceipt != last {
			last = s.ReplicatedReceipt
			fmt.Fprintf(c.stderr, "replicated through %s\n", last)
		}
	})
	if err != nil {
		return err
	}
	if b == nil {
		return simulate.Run(ctx, st, opt, c.stdout, c.stderr)
	}
	defer b.Close()
	return simulate.Run(ctx, b.Watch(st), opt, c.stdout, c.stderr)
}
