package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"checkout/app"
	"checkout/till"
)

// userCommand manages the staff: users, user-add and user-set. It acts with the owner's rights
// (cliSession), so a shop whose owner forgot their PIN can set a new one at the till's computer.
func userCommand(ctx context.Context, st *till.Store, call *call) error {
	command, args, stdout := call.name, call.args, call.stdout
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	pins, err := st.Secrets.PINs(set.Security)
	if err != nil {
		return err
	}
	auth := app.NewAuth(st, set.Till, pins, time.Now)
	by := cliSession()
	switch command {
	case "users":
		users, err := auth.Staff(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tROLE\tSTATE")
		for _, u := range users {
			state := "active"
			switch {
			case !u.Active:
				state = "inactive"
			case u.Locked(time.Now()):
				state = "locked until " + u.LockedUntil.Local().Format("15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", u.Name, u.Role, state)
		}
		return w.Flush()
	case "user-add":
		if len(args) != 2 {
			return errors.New("user-add takes NAME ROLE (the PIN is read from standard input)")
		}
		role, err := app.ParseRole(args[1])
		if err != nil {
			return err
		}
		pin, err := readPIN(call.stdin)
		if err != nil {
			return err
		}
		u, err := auth.AddUser(ctx, by, args[0], role, pin)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Name, u.Role)
		return nil
	case "user-set":
		if len(args) < 2 {
			return errors.New("user-set takes NAME role ROLE | pin | active | inactive | unlock | two-factor-off")
		}
		var c app.UserChange
		switch what := args[1]; {
		case what == "role" && len(args) == 3:
			role, err := app.ParseRole(args[2])
			if err != nil {
				return err
			}
			c.Role = &role
		case what == "pin" && len(args) == 2:
			pin, err := readPIN(call.stdin)
			if err != nil {
				return err
			}
			c.PIN = &pin
		case (what == "active" || what == "inactive") && len(args) == 2:
			active := what == "active"
			c.Active = &active
		case what == "unlock" && len(args) == 2:
			c.Unlock = true
		case what == "two-factor-off" && len(args) == 2:
			// The owner's way back in after losing the phone with the authenticator app.
			if err := auth.DisableTwoFactor(ctx, by, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: two-factor sign-in off\n", args[0])
			return nil
		default:
			return fmt.Errorf("user-set %s: role ROLE, pin, active, inactive, unlock or two-factor-off", strings.Join(args[1:], " "))
		}
		u, err := auth.ChangeUser(ctx, by, args[0], c)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s, active %v\n", u.Name, u.Role, u.Active)
		return nil
	}
	return nil
}

// readPIN reads a PIN from the first line of standard input, so it stays out of the shell's history.
func readPIN(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pin := strings.TrimSpace(line)
	if pin == "" {
		return "", errors.New("no PIN on standard input (echo 1234 | checkout user-add …)")
	}
	return pin, nil
}
