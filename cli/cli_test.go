package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/till"
)

// childArgs, when set, makes the test binary run the checkout command line instead of the tests: the
// crash tests start it as a child process they can kill.
const childArgs = "CHECKOUT_TEST_CHILD_ARGS"

// metadata is the root's FyneApp.toml, which main embeds.
var metadata string

func TestMain(m *testing.M) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	metadata = string(b)
	if args := os.Getenv(childArgs); args != "" {
		p := Program{Metadata: metadata, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
		os.Exit(p.Run(strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

// cli runs the checkout command line with nothing on standard input, and returns its exit code and output.
func cli(args ...string) (code int, stdout, stderr string) { return cliInput("", args...) }

// cliInput runs the checkout command line with input on standard input.
func cliInput(input string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	p := Program{Metadata: metadata, Stdin: strings.NewReader(input), Stdout: &out, Stderr: &errOut}
	code = p.Run(args)
	return code, out.String(), errOut.String()
}

func TestCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	tests := []struct {
		args     []string
		code     int
		stdout   string
		stderr   string
		describe string
	}{
		{[]string{"version"}, 0, "checkout 0.", "", "version from FyneApp.toml"},
		{[]string{"-h"}, 0, "", "verify-journal", "help lists commands"},
		{[]string{"help"}, 0, "seed-demo", "", "help command"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, "unknown command"},
		{[]string{"-lang", "fr", "version"}, 2, "", `-lang "fr"`, "unsupported language"},
		{[]string{"-db", db, "seed-demo"}, 0, "added ", "", "seed into an empty database"},
		{[]string{"-db", db, "set", "cash_rounding", "0.10"}, 0, "cash_rounding = 0.10", "", "set"},
		{[]string{"-db", db, "set", "cash_rounding", "0.03"}, 1, "", "cash rounding", "bad setting"},
		{[]string{"-db", db, "set", "till"}, 1, "", "set takes KEY VALUE", "set without value"},
		{[]string{"-db", db, "settings"}, 0, "cash_rounding = 0.10", "", "settings"},
		{[]string{"-db", db, "verify-journal"}, 0, "journal OK: 1 rows verified", "", "the setting change is journaled"},
		{[]string{"-db", db, "set", "scanner.terminator", "semicolon"}, 1, "", "scanner terminator", "bad terminator"},
		{[]string{"-db", db, "set", "scanner.baud", "fast"}, 1, "", "scanner.baud", "bad baud"},
		{[]string{"-db", db, "set", "keyboard.wedge_gap_ms", "500"}, 1, "", "10 to 150", "wedge gap out of range"},
		{[]string{"-db", db, "set", "scanner.terminator", "crlf"}, 0, "scanner.terminator = crlf", "", "terminator"},
		{[]string{"-db", db, "set", "barcode_layout.25", "PPIIIIIMMMMMC"}, 0, "barcode_layout.25", "", "layout"},
		{[]string{"-db", db, "set", "printer.width", "76"}, 1, "", "58 or 80", "bad paper width"},
		{[]string{"-db", db, "set", "printer.lang", "fr"}, 1, "", "en or zh-Hans", "bad receipt language"},
		{[]string{"-db", db, "set", "printer.port", "usb:12"}, 1, "", "usb:VID:PID", "bad USB printer"},
		{[]string{"-db", db, "set", "printer.paper", "thermal"}, 1, "", "unknown setting", "unknown printer setting"},
		{[]string{"-db", db, "set", "printer.port", "tcp://192.168.1.50"}, 0, "printer.port = tcp://192.168.1.50", "", "network printer"},
		{[]string{"-db", db, "set", "printer.width", "58"}, 0, "printer.width = 58", "", "58 mm paper"},
	}
	for _, tt := range tests {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%s: checkout %v = %d\nstdout %q\nstderr %q", tt.describe, tt.args, code, out, errOut)
		}
	}
}

func TestLangFlagSelectsChinese(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	if code, _, errOut := cli("-lang", "zh-Hans", "version"); code != 0 {
		t.Fatal(errOut)
	}
	defer setLanguage("en")
	if got := lang.L("Pay"); got != "付款" {
		t.Errorf(`after -lang zh-Hans, lang.L("Pay") = %q`, got)
	}
	// Product names follow the locale's language.
	if got := lang.SystemLocale().LanguageString(); !strings.HasPrefix(got, "zh") {
		t.Errorf("locale language = %q, want zh", got)
	}
}

func TestTillWithoutDisplayExplains(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errOut := cli("-db", filepath.Join(t.TempDir(), "x.db"))
	if code != 1 || !strings.Contains(errOut, "no display") {
		t.Errorf("till without a display = %d %q", code, errOut)
	}
}

// sellForCash sells one of each code in one sale, paid in cash, at the till whose database is db.
func sellForCash(t *testing.T, db string, codes ...string) {
	t.Helper()
	ctx := context.Background()
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, _ := st.Settings(ctx)
	co, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := co.SettleCash(ctx, co.CashDue()); err != nil {
		t.Fatal(err)
	}
}

// -lang zh-Hans sets a real locale (zh_CN), by which Fyne finds the Chinese system font's bold face;
// the language read back is still zh-Hans.
func TestLangSetsARealLocale(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	if err := setLanguage("zh-Hans"); err != nil {
		t.Fatal(err)
	}
	if got := os.Getenv("LC_ALL"); got != "zh_CN.UTF-8" {
		t.Errorf("LC_ALL = %q", got)
	}
	if got := lang.SystemLocale().LanguageString(); !strings.HasPrefix(got, "zh") {
		t.Errorf("the system locale reads %q", got)
	}
	if err := setLanguage("fr"); err == nil {
		t.Error("-lang fr accepted")
	}
}

// The till started with no desktop to show it says so and exits 1, where Fyne's driver panicked.
func TestTillWithoutADisplaySaysSo(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := checkDisplay(os.Getenv); err == nil {
		t.Skip("this system always has a display")
	}
	code, _, stderr := cli("-db", filepath.Join(t.TempDir(), "c.db"))
	if code != 1 || !strings.Contains(stderr, "no display") || strings.Contains(stderr, "panic") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := checkDisplay(func(k string) string { return map[string]string{"WAYLAND_DISPLAY": "wayland-0"}[k] }); err != nil {
		t.Fatalf("a Wayland session: %v", err)
	}
}
