package cli

import (
	"context"
	"errors"
	"flag"

	"checkout/till"
)

// enrol is `checkout enrol [-ca FILE] [-force] URL CODE` (till.Store.Enrol).
func enrol(ctx context.Context, st *till.Store, c *call) error {
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var e till.Enrolment
	fs.StringVar(&e.CAFile, "ca", "", "a CA certificate `file` (PEM) to trust for the head office, besides the system's")
	fs.BoolVar(&e.Force, "force", false, "enrol a till that is enrolled already (into another shop: its catalog and members replace the old shop's)")
	if err := fs.Parse(c.args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("enrol takes [-ca FILE] [-force] URL CODE, e.g. checkout enrol https://hq.example.com:8443 ABCD2345EFGH")
	}
	e.URL, e.Code = fs.Arg(0), fs.Arg(1)
	return st.Enrol(ctx, e, c.stdout)
}

// syncOnce uploads and downloads once (till.Store.SyncOnce).
func syncOnce(ctx context.Context, st *till.Store, c *call) error { return st.SyncOnce(ctx, c.stdout) }
