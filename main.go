// Command checkout is a shop's till: the sale screen and customer display when run without a command, and
// commands for owners, scripts and support (checkout -h lists them).
package main

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"checkout/assets"
	"checkout/till"
)

// fyneAppTOML is the app's metadata, which the fyne packaging tool reads too: the one place the version is kept.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// versionTag is the release's git tag, set at link time by the Makefile (-X main.versionTag=1.2.3); a build
// without it reports FyneApp.toml's version.
var versionTag string

var version = cmp.Or(versionTag, metadataValue(fyneAppTOML, "Version"))

// metadataValue returns the quoted value of key in FyneApp.toml's simple `Key = "value"` lines.
func metadataValue(toml, key string) string {
	for _, line := range strings.Split(toml, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return "unknown"
}

// appID matches FyneApp.toml; Fyne keys the app's preferences and storage on it.
const appID = "com.checkout.till"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `Usage: checkout [flags] [command]

With no command, checkout starts the till: the sale screen and the customer display.

Commands:
  version          print the version
  seed-demo        add the demo corner-shop catalog (products already there are kept)
  import-catalog [-apply] FILE
                   check a catalog CSV (UTF-8 or GB18030), listing every bad row; -apply adds the good
                   rows in batches (products whose SKU is there are kept; run again to resume)
  export-catalog [FILE]
                   the catalog as UTF-8 CSV, to FILE or standard output
  verify-journal   recompute the journal's hash chain and check every row bound to it; exit 1 naming the
                   first bad row
  report [-day YYYY-MM-DD | -from YYYY-MM-DD -to YYYY-MM-DD] [-csv | -pdf FILE]
                   a day's figures (default today) beside the same weekday last week, or the days -from
                   to -to (both included); -csv as CSV, -pdf as a PDF file (needs a Chinese TrueType
                   font: fonts-droid-fallback, or $CHECKOUT_PDF_FONT)
  export-sales -from YYYY-MM-DD -to YYYY-MM-DD [FILE]
                   one CSV row per sold line of those days (both included), to FILE or standard output
  x-report         the figures since the last Z report, nothing stored
  z-report         close the day: the figures since the last Z report, stored and journaled (Z0001, …)
  shift            the open cashier shift and the cash its drawer should hold
  shift-open FLOAT open a shift with FLOAT in the drawer (as $USER)
  cash-in AMOUNT REASON, cash-out AMOUNT REASON
                   cash into or out of the drawer; REASON: change, safe_drop, bank_deposit, supplier,
                   petty_cash, or "other: …"
  shift-close DENOMxCOUNT …
                   close the shift with the drawer counted, e.g. 100x3 50x1 1x12 0.5x4: prints
                   expected, counted and over/short
  users            the staff: name, role, active or locked
  user-add NAME ROLE
                   add a cashier, supervisor or owner; the PIN is read from standard input
  user-set NAME role ROLE|pin|active|inactive|unlock|two-factor-off
                   change a user (pin: the new PIN from standard input)
  autostart on|off start the till full screen (-kiosk) when this user logs in, or no longer
  simulate [-sales N] [-rate R] [-seed S]
                   ring up N random sales (cash, card, QR, prepaid, split; now and then a refund) through
                   the real checkout, printing a JSON line after each commit; for demos, load and crash tests
  backup [-encrypt] FILE
                   a consistent copy of the database, taken while the till runs, then checked;
                   -encrypt seals it with a passphrase read from standard input
  restore FILE     replace the database with a backup once it passes every check (the till must be
                   closed); the database it replaces is kept beside it
  z-reports [N | Z-NUMBER]
                   the last N (30) Z reports, or one (T01-Z0001) exactly as it was stored
  enrol [-ca FILE] [-force] URL CODE
                   join the head office at URL with the one-time CODE from checkout-hq enrol-code;
                   -ca trusts a head office certificate authority besides the system's; -force
                   enrols an enrolled till again (into another shop: its catalog and members replace
                   the old shop's)
  sync             upload the documents the head office has not acknowledged, once, and print counts
                   (the till uploads by itself while it runs, once enrolled)
  settings         print the shop's settings
  stock CODE       a product's stock (CODE: barcode or SKU)
  low-stock        products at or below their reorder point, with a suggested order
  receive CODE QTY UNIT_COST [SUPPLIER]
                   goods in from a supplier
  adjust CODE DELTA REASON
                   correct stock (-2 damage); REASON: damage, theft, expiry, found, correction
  transfer CODE DELTA SHOP
                   stock sent to (-5) or received from (5) another of the owner's shops
  reorder-point CODE QTY
                   the stock at which a product is low
  set-price CODE PRICE
                   change a product's price (journaled with the old price)
  set KEY VALUE    change a setting: till, currency, tax_mode, cash_rounding, cash_rounding_mode
                   (nearest, or down: 抹零), tax_rate.CLASS,
                   barcode_layout.PREFIX (e.g. 20 PPIIIIIWWWWWC, or none), member_prefix,
                   shop_name, shop_city, shop_country, qr_guid, qr_merchant_id, qr_mcc, qr_static,
                   payment_url, payment_merchant_id (the secret comes from $CHECKOUT_PAY_SECRET),
                   second_currency (USD, or none), second_rate (0.1380),
                   scanner.ports, scanner.baud, scanner.terminator (auto, cr, lf, crlf, tab, etx),
                   scanner.prefix, keyboard.wedge_gap_ms,
                   discount_limit (10: the % a cashier may take off a line), idle_lock_minutes (5),
                   pin_tries (5: 3 to 10), pin_lock_minutes (15: at least 1),
                   prepaid_offline_limit (50: what a card may spend here while offline; 0: its balance),
                   printer.port (/dev/ttyUSB0, tcp://HOST[:9100], usb, usb:VID:PID or sim),
                   printer.baud, printer.width (58 or 80), printer.lang (en or zh-Hans),
                   printer.charset (gb18030 or ascii)

Flags:
`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("checkout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defaultDB, err := till.DefaultDBPath()
	if err != nil {
		defaultDB = "checkout.db"
	}
	var cfg till.Config
	var language string
	fs.StringVar(&cfg.DBPath, "db", defaultDB, "database `file`")
	fs.StringVar(&language, "lang", "", "user interface `language`: en or zh-Hans (default: the system's)")
	fs.BoolVar(&cfg.Demo, "demo", false, "load the demo catalog at start even if the catalog is not empty")
	fs.BoolVar(&cfg.Kiosk, "kiosk", false, "a dedicated till: the sale screen and customer display full screen")
	fs.StringVar(&cfg.Scanners, "scanner", "", "serial scanner `ports`, comma-separated (default: the scanner.ports setting, else USB scanners found)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := setLanguage(language); err != nil {
		fmt.Fprintln(stderr, "checkout:", err)
		return 2
	}
	ctx := context.Background()
	command, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	switch command {
	case "":
		if err := till.Run(ctx, cfg, func() fyne.App { return fyneapp.NewWithID(appID) }); err != nil {
			fmt.Fprintln(stderr, "checkout:", err)
			return 1
		}
		return 0
	case "version":
		fmt.Fprintln(stdout, "checkout", version)
		return 0
	case "autostart":
		if err := autostart(rest, stdout); err != nil {
			fmt.Fprintln(stderr, "checkout:", err)
			return 1
		}
		return 0
	case "restore":
		// Not through runCommand: the database to replace must not be open, by this process either.
		if err := restoreCommand(ctx, cfg, rest, stdout); err != nil {
			fmt.Fprintln(stderr, "checkout:", err)
			return 1
		}
		return 0
	case "help":
		fs.SetOutput(stdout)
		fs.Usage()
		return 0
	case "seed-demo", "verify-journal", "settings", "set", "stock", "low-stock", "receive", "adjust", "transfer", "reorder-point", "set-price",
		"import-catalog", "export-catalog", "report", "export-sales", "x-report", "z-report", "shift", "shift-open", "cash-in", "cash-out", "shift-close",
		"users", "user-add", "user-set", "z-reports", "backup", "simulate", "enrol", "sync":
		if err := runCommand(ctx, cfg, command, rest, stdout); err != nil {
			fmt.Fprintln(stderr, "checkout:", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "checkout: unknown command %q (checkout -h lists them)\n", command)
	return 2
}

func runCommand(ctx context.Context, cfg till.Config, command string, args []string, stdout io.Writer) error {
	st, err := till.OpenStore(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case stockCommands[command]:
		return runStockCommand(ctx, st, command, args, stdout)
	case command == "simulate":
		return simulateCommand(ctx, st, args, stdout, os.Stderr)
	case command == "backup":
		return backupCommand(ctx, st, args, stdout)
	case command == "z-reports":
		return pastZReports(ctx, st, args, stdout)
	case userCommands[command]:
		return runUserCommand(ctx, st, command, args, stdout)
	case reportCommands[command]:
		return runReportCommand(ctx, st, command, args, stdout)
	case shiftCommands[command]:
		return runShiftCommand(ctx, st, command, args, stdout)
	case command == "import-catalog":
		return importCatalog(ctx, st, args, stdout)
	case command == "export-catalog":
		return exportCatalog(ctx, st, args, stdout)
	case command == "enrol":
		return enrol(ctx, st, args, stdout)
	case command == "sync":
		return st.SyncOnce(ctx, stdout)
	}
	switch command {
	case "seed-demo":
		n, err := st.SeedDemo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %d demo products to %s\n", n, st.Path())
	case "verify-journal":
		n, err := st.VerifyJournal(ctx)
		if err != nil {
			return fmt.Errorf("verify-journal: %w (%d rows before it verified)", err, n)
		}
		if err := st.VerifyStock(ctx); err != nil {
			return fmt.Errorf("verify-journal: %w", err)
		}
		if err := st.VerifyMembers(ctx); err != nil {
			return fmt.Errorf("verify-journal: %w", err)
		}
		if err := st.VerifyOutbox(ctx); err != nil {
			return fmt.Errorf("verify-journal: %w", err)
		}
		anchored, err := st.CompareWithHQ(ctx)
		if err != nil {
			return fmt.Errorf("verify-journal: %w", err)
		}
		fmt.Fprintf(stdout, "journal OK: %d rows verified\n", n)
		if anchored != "" {
			fmt.Fprintf(stdout, "head office: %s\n", anchored)
		}
	case "settings":
		set, err := st.Settings(ctx)
		if err != nil {
			return err
		}
		for _, kv := range set.Values() {
			fmt.Fprintf(stdout, "%s = %s\n", kv[0], kv[1])
		}
	case "set":
		if len(args) != 2 {
			return errors.New("set takes KEY VALUE, e.g. checkout set cash_rounding 0.10")
		}
		if err := till.CheckSetting(args[0], args[1]); err != nil {
			return err
		}
		if _, err := st.SetSetting(ctx, args[0], args[1], time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s = %s (takes effect when the till next starts)\n", args[0], args[1])
	}
	return nil
}

// setLanguage makes Fyne's translations and the locale follow -lang. Fyne reads the locale from the
// environment, so the flag sets it before the translations load.
func setLanguage(language string) error {
	switch language {
	case "":
	case "en", "zh-Hans":
		os.Setenv("LANGUAGE", language)
		os.Setenv("LC_ALL", strings.ReplaceAll(language, "-", "_"))
	default:
		return fmt.Errorf("-lang %q: en or zh-Hans", language)
	}
	return lang.AddTranslationsFS(assets.Translations, "translations")
}
