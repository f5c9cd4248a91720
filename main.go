// Command checkout is a shop's till: the sale screen and customer display when run without a command, and
// commands for owners, scripts and support (checkout -h lists them).
package main

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/emvqr"
	"checkout/app/money"
	"checkout/assets"
	"checkout/devices/paygate"
	"checkout/devices/printer"
	"checkout/devices/scanner"
	"checkout/devices/sim"
	"checkout/store"
	"checkout/ui"
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

// Config is what the flags set.
type Config struct {
	DBPath   string // the database file
	Language string // "en", "zh-Hans", or "" for the system's
	Demo     bool   // load the demo catalog even into a database that already has one
	Scanners string // serial scanner ports, comma-separated; overrides the scanner.ports setting
	Kiosk    bool   // a dedicated till: both windows full screen, without window decorations
}

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
	defaultDB, err := store.DefaultPath()
	if err != nil {
		defaultDB = "checkout.db"
	}
	var cfg Config
	fs.StringVar(&cfg.DBPath, "db", defaultDB, "database `file`")
	fs.StringVar(&cfg.Language, "lang", "", "user interface `language`: en or zh-Hans (default: the system's)")
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
	if err := setLanguage(cfg.Language); err != nil {
		fmt.Fprintln(stderr, "checkout:", err)
		return 2
	}
	ctx := context.Background()
	command, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	switch command {
	case "":
		return runTill(ctx, cfg, stderr)
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

func runCommand(ctx context.Context, cfg Config, command string, args []string, stdout io.Writer) error {
	st, err := openStore(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case stockCommands[command]:
		return runStockCommand(ctx, st, command, args, stdout)
	case command == "simulate":
		return simulate(ctx, st, args, stdout, os.Stderr)
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
		return syncOnce(ctx, st, stdout)
	}
	switch command {
	case "seed-demo":
		n, err := seedDemo(ctx, st)
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
		anchored, err := compareWithHQ(ctx, st)
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
		if err := checkDeviceSetting(args[0], args[1]); err != nil {
			return err
		}
		if _, err := st.SetSetting(ctx, args[0], args[1], time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s = %s (takes effect when the till next starts)\n", args[0], args[1])
	}
	return nil
}

// seedDemo adds the embedded demo catalog.
func seedDemo(ctx context.Context, st *store.Store) (int, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return 0, err
	}
	entries, err := app.ReadCatalogCSV(bytes.NewReader(assets.DemoCatalog), set)
	if err != nil {
		return 0, fmt.Errorf("demo catalog: %w", err)
	}
	n, err := st.AddProducts(ctx, entries)
	if err != nil {
		return n, err
	}
	return n, st.SearchIndexed(ctx)
}

// nameDemoShop gives a first-run till a shop name and a clearly fake QR account, so the customer display
// and QR payments can be tried before the owner sets the real ones (checkout set shop_name …).
func nameDemoShop(ctx context.Context, st *store.Store) error {
	for _, kv := range [][2]string{{"shop_name", "Demo Corner Shop"}, {"shop_city", "Shanghai"},
		{"qr_guid", "com.example.demo"}, {"qr_merchant_id", "DEMO0001"}} {
		if _, err := st.SetSetting(ctx, kv[0], kv[1], time.Now()); err != nil {
			return err
		}
	}
	return nil
}

// paymentGateway is the shop's wallet payment provider (payment_url, payment_merchant_id, and the signing
// secret from $CHECKOUT_PAY_SECRET, kept out of the database), or, until one is set up, a simulated one:
// shoppers confirm after 1.5 s, pay codes ending 0000 are declined and 9999 lose the first reply.
func paymentGateway(set app.Settings) app.PaymentGateway {
	if set.Provider.URL == "" {
		return sim.NewGateway(1500 * time.Millisecond)
	}
	return paygate.New(set.Provider.URL, set.Provider.MerchantID, []byte(os.Getenv("CHECKOUT_PAY_SECRET")), 10*time.Second)
}

// merchantQR builds the shop's dynamic payment QR payloads; with no QR account it shows the shop's static
// collection code (qr_static), and with neither it is nil.
func merchantQR(set app.Settings) func(money.Amount, string) (string, error) {
	if set.PaymentQR.GUID == "" {
		if static := set.PaymentQR.Static; static != "" {
			return func(money.Amount, string) (string, error) { return static, nil }
		}
		return nil
	}
	m := emvqr.Merchant{GUID: set.PaymentQR.GUID, MerchantID: set.PaymentQR.MerchantID, MCC: set.PaymentQR.MCC,
		Country: set.Shop.Country, Name: set.Shop.Name, City: set.Shop.City}
	return func(amount money.Amount, reference string) (string, error) {
		return emvqr.Dynamic(m, amount, reference)
	}
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

// Main is the whole till wired together: the store, the checkout, the scanners and, once started, its
// screens.
type Main struct {
	Store    *store.Store
	Checkout *app.Checkout
	Till     *ui.Till
	// Sim is the simulated scanner, when no serial scanner is configured or found; SimCards the simulated
	// card reader, when the USB one cannot be used.
	Sim      *sim.Scanner
	SimCards *sim.CardReader
	// Printer prints the receipts (nil: none, receipts are shown on screen); SimPrinter is the simulated
	// one, when it is.
	Printer    *printer.Printer
	SimPrinter *sim.Printer
	// Background runs the screens' slow work, such as printing (ui.Options.Background; nil: a goroutine
	// each). Tests run it in place, since the test driver has no UI goroutine to hand results back to.
	Background func(func())

	settings app.Settings
	dbPath   string
	scanners scannerSource
	cards    cardSource
	cardKey  []byte
	pins     *app.PINs // peppered with till.key
	sales    *wakingLog
	stopSync func()
	// syncStatus is the head office link's latest status; nil for a till not enrolled.
	syncStatus atomic.Pointer[app.SyncStatus]
}

// Open opens the database, loads the demo catalog on first run (or when cfg.Demo asks) and builds the
// checkout.
func Open(ctx context.Context, cfg Config) (*Main, error) {
	_, statErr := os.Stat(cfg.DBPath)
	firstRun := errors.Is(statErr, os.ErrNotExist)
	st, err := openStore(ctx, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	if firstRun || cfg.Demo {
		if _, err := seedDemo(ctx, st); err != nil {
			st.Close()
			return nil, err
		}
	}
	if firstRun {
		if err := seedDemoMember(ctx, st); err != nil {
			st.Close()
			return nil, err
		}
		if err := nameDemoShop(ctx, st); err != nil {
			st.Close()
			return nil, err
		}
	}
	set, err := st.Settings(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	sales := &wakingLog{SaleLog: st}
	co, err := app.NewCheckout(set, st, sales, time.Now)
	if err != nil {
		st.Close()
		return nil, err
	}
	configs, err := scannerConfigs(cfg.Scanners, set)
	if err != nil {
		st.Close()
		return nil, err
	}
	scanners, simulated, err := openScanners(configs)
	if err != nil {
		st.Close()
		return nil, err
	}
	key, err := cardKey(cfg.DBPath)
	var pins *app.PINs
	if err == nil {
		pins, err = tillPINs(cfg.DBPath, set.Security)
	}
	if err != nil {
		scanners.Close()
		st.Close()
		return nil, err
	}
	cards, simCards, err := openCardReader(set, simulated != nil)
	if err != nil {
		scanners.Close()
		st.Close()
		return nil, err
	}
	prn, simPrinter, err := openPrinter(set, cfg.DBPath, lang.SystemLocale().LanguageString(), simulated != nil)
	if err != nil {
		cards.Close()
		scanners.Close()
		st.Close()
		return nil, err
	}
	return &Main{Store: st, Checkout: co, Sim: simulated, SimCards: simCards, Printer: prn, SimPrinter: simPrinter,
		settings: set, dbPath: cfg.DBPath, scanners: scanners, cards: cards, cardKey: key, pins: pins, sales: sales}, nil
}

// Start builds the screens on a; Serve then feeds them the scanners' codes.
func (m *Main) Start(a fyne.App) {
	opt := ui.Options{
		Language:     lang.SystemLocale().LanguageString(),
		DeviceStatus: lang.L("Scanner: keyboard"),
		WedgeGap:     wedgeGap(m.settings),
		Ports:        listPorts,
		SetSetting: func(key, value string) error {
			if err := checkDeviceSetting(key, value); err != nil {
				return err
			}
			_, err := m.Store.SetSetting(context.Background(), key, value, time.Now())
			return err
		},
	}
	auth := app.NewAuth(m.Store, m.settings.Till, m.pins, time.Now)
	if err := auth.SetSealKey(m.cardKey); err != nil {
		slog.Warn("two-factor sign-in unavailable", "err", err)
	}
	svc := ui.Services{
		Selling: m.Store,
		Payments: app.Payments{Gateway: paymentGateway(m.settings), QR: merchantQR(m.settings),
			Wait: app.PaymentWait{Poll: 500 * time.Millisecond, Timeout: 30 * time.Second}},
		Members: app.NewMemberDesk(m.settings, m.Store, m.pins, time.Now),
		Shifts:  app.NewShiftDesk(m.settings, m.Store, time.Now),
		Stock:   app.NewStockroom(m.settings, m.Store, time.Now),
		Reports: app.GuardedReports{Book: m.Store, Session: m.Checkout.Session},
		Staff:   auth,
	}
	if _, err := m.Store.SyncLink(context.Background()); err == nil {
		svc.Sync = m.Store // an enrolled till has a sync page
	}
	opt.CardKey = m.cardKey
	m.receiptOptions(&opt, m.dbPath)
	opt.Background = m.Background
	if m.Sim != nil {
		next := 0
		opt.SimulateScan = func() {
			// With the simulated card reader, the demo sequence ends with the demo member's card tapped.
			steps := len(demoCodes)
			if m.SimCards != nil {
				steps++
			}
			i := next % steps
			next++
			if i == len(demoCodes) {
				m.SimCards.Remove()
				m.SimCards.Tap(demoCardUID)
				return
			}
			m.Sim.Scan(demoCodes[i])
		}
	}
	m.Till = ui.NewTill(a, m.Checkout, svc, opt)
	show := func(st app.SyncStatus) {
		m.syncStatus.Store(&st)
		m.Till.SetSyncStatus(st)
	}
	// While the head office is out of reach, prepaid payments keep to the offline limit.
	m.Checkout.SetOffline(func() bool {
		st := m.syncStatus.Load()
		return st != nil && st.Offline(time.Now())
	})
	stop, err := startSync(m.Store, m.sales, m.settings.Currency, show)
	if err != nil {
		// The till sells without the head office; the owner sees why in the status bar.
		show(app.SyncStatus{Enrolled: true, LastError: err.Error()})
		stop = func() {}
	}
	m.stopSync = stop
}

// ScannerEvents delivers the scanners' events; Serve hands them to the screens.
func (m *Main) ScannerEvents() <-chan scanner.Event { return m.scanners.Events() }

// Serve feeds the scanners' codes, the card reader's taps and their status to the screens until the
// devices close.
func (m *Main) Serve() {
	if m.Printer != nil {
		go func() {
			_, err := m.Printer.Status()
			m.Till.SetPrinterState(err)
		}()
	}
	go func() {
		for ev := range m.cards.Events() {
			showCardEvent(ev, m.Till)
		}
	}()
	for ev := range m.ScannerEvents() {
		showScannerEvent(ev, m.Till)
	}
}

// Close stops the devices and closes the database; every completed sale is already on disk.
func (m *Main) Close() error {
	if m.stopSync != nil {
		m.stopSync()
	}
	m.cards.Close()
	m.scanners.Close()
	return m.Store.Close()
}

func runTill(ctx context.Context, cfg Config, stderr io.Writer) int {
	if err := checkDisplay(); err != nil {
		fmt.Fprintln(stderr, "checkout:", err)
		return 1
	}
	m, err := Open(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "checkout:", err)
		return 1
	}
	defer m.Close()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(assets.Icon)
	m.Start(a)
	go m.Serve()
	m.Till.Show()
	if cfg.Kiosk {
		m.Till.Kiosk()
	}
	a.Run()
	return 0
}

// checkDisplay explains what the graphics library would otherwise answer with a panic: on Linux and the
// BSDs the till needs an X11 or Wayland session.
func checkDisplay() error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no display: start the till from a desktop session (DISPLAY or WAYLAND_DISPLAY unset); commands such as verify-journal work without one")
		}
	}
	return nil
}
