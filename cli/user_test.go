package cli

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/till"
)

// The owner's commands for staff: add with the PIN on standard input, list, change, and a wrong use.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	if code, out, errOut := cliInput("1234\n", "-db", db, "user-add", "Wang", "supervisor"); code != 0 || out != "added Wang (supervisor)\n" {
		t.Fatalf("user-add = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cliInput("12\n", "-db", db, "user-add", "Li", "cashier"); code != 1 || !strings.Contains(errOut, "4 to 6 digits") {
		t.Errorf("user-add with a short PIN = %d %q", code, errOut)
	}
	if code, _, errOut := cli("-db", db, "user-add", "Li", "boss"); code != 1 || !strings.Contains(errOut, "not cashier, supervisor or owner") {
		t.Errorf("user-add with a bad role = %d %q", code, errOut)
	}
	if code, out, _ := cli("-db", db, "user-set", "wang", "inactive"); code != 0 || !strings.Contains(out, "Wang: supervisor, active false") {
		t.Errorf("user-set inactive = %d %q", code, out)
	}
	if code, _, errOut := cliInput("5678\n", "-db", db, "user-set", "Wang", "pin"); code != 0 {
		t.Errorf("user-set pin = %d %q", code, errOut)
	}
	if code, out, _ := cli("-db", db, "user-set", "Wang", "two-factor-off"); code != 0 || !strings.Contains(out, "two-factor sign-in off") {
		t.Errorf("user-set two-factor-off = %d %q", code, out)
	}
	code, out, _ := cli("-db", db, "users")
	if code != 0 || !strings.Contains(out, "Wang  supervisor  inactive") {
		t.Errorf("users = %d %q", code, out)
	}
	if code, _, errOut := cli("-db", db, "user-set", "Wang", "active"); code != 0 {
		t.Errorf("user-set active = %d %q", code, errOut)
	}
	// The till signs in with the PIN the command hashed, peppered with the same till.key.
	st, err := till.OpenStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pins, err := till.SecretsOf(db).PINs(app.DefaultSecurity())
	if err != nil {
		t.Fatal(err)
	}
	auth := app.NewAuth(st, "T01", pins, time.Now)
	if _, err := auth.SignIn(context.Background(), "Wang", "1234"); !errors.Is(err, app.ErrWrongPIN) {
		t.Errorf("the old PIN: %v", err)
	}
	if _, err := auth.SignIn(context.Background(), "Wang", "5678"); err != nil {
		t.Errorf("user-set pin did not change the PIN: %v", err)
	}
}
