package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"checkout/till"
)

// printSettings prints the shop's settings, one `key = value` a line.
func printSettings(ctx context.Context, st *till.Store, c *call) error {
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	for _, kv := range set.Values() {
		fmt.Fprintf(c.stdout, "%s = %s\n", kv[0], kv[1])
	}
	return nil
}

// setSetting changes one setting, journaled; a device setting is checked by its device first.
func setSetting(ctx context.Context, st *till.Store, c *call) error {
	args := c.args
	if len(args) != 2 {
		return errors.New("set takes KEY VALUE, e.g. checkout set cash_rounding 0.10")
	}
	if err := till.CheckSetting(args[0], args[1]); err != nil {
		return err
	}
	if _, err := st.SetSetting(ctx, args[0], args[1], time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s = %s (takes effect when the till next starts)\n", args[0], args[1])
	if args[0] == "backup.target" {
		return sealKeys(ctx, st, c)
	}
	return nil
}
