// Package till is the composition root: it opens the till's database with the keys from its secret
// files, starts the devices, the head-office sync worker and the screens, and closes them again. It is
// named for what it assembles, the till at the counter; the commands (cli) and the window (main) start
// it, and it is the one package that imports store. Everything it hands package ui is built in ui.go.
package till

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/devices/cardreader"
	"checkout/devices/printer"
	"checkout/devices/scanner"
	"checkout/devices/sim"
	"checkout/ui"
)

// Config is how the till starts: what the flags set.
type Config struct {
	DBPath   string // the database file
	Demo     bool   // load the demo catalog even into a database that already has one; simulate a scale when none is set
	Scanners string // serial scanner ports, comma-separated; overrides the scanner.ports setting
	Kiosk    bool   // a dedicated till: both windows full screen, without window decorations
	Version  string // the program's release, named to the head office (Store.Version)
}

// Till is the whole till wired together: the store, the checkout, the devices and, once started, its
// screens and the sync worker.
type Till struct {
	Store    *Store
	Checkout *app.Checkout
	UI       *ui.Till // the screens, once Start has built them
	// Sim is the simulated scanner, when no serial scanner is configured or found; SimCards the simulated
	// card reader, when the USB one cannot be used.
	Sim      *sim.Scanner
	SimCards *sim.CardReader
	// Printer prints the receipts (nil: none, receipts are shown on screen); SimPrinter is the simulated
	// one, when it is.
	Printer    *printer.Printer
	SimPrinter *sim.Printer
	// SimScale is the simulated counter scale, when scale.port is sim or a demo till has none.
	SimScale *sim.Scale
	// Background runs the screens' slow work, such as printing (ui.Options.Background; nil: a goroutine
	// each). Tests run it in place, since the test driver has no UI goroutine to hand results back to.
	Background func(func())

	settings app.Settings
	dbPath   string
	scanners scannerSource
	cards    cardreader.Source
	scale    scaleSource // nil: no counter scale, weights are typed
	cardKey  []byte
	pins     *app.PINs // peppered with till.key
	sales    *wakingLog
	// syncStatus is the head office link's latest status; nil for a till not enrolled.
	syncStatus atomic.Pointer[app.SyncStatus]
	// backups are the till's off-disk copies; nil when no backup folder is set. Their status reaches
	// the screens through showBackup once they are built.
	backups    *Backups
	showBackup atomic.Pointer[func(app.BackupStatus)]
	// cartNotKept tells the screens, once built, that the sale in progress could not be written.
	cartNotKept  atomic.Pointer[func(error)]
	backupFailed *app.BackupStatus // why they did not start
	// cleanup undoes what Open and Start set up, last first: the sync worker, the devices, the store.
	cleanup cleanups
}

// Open opens the database, loads the demo catalog on first run (or when cfg.Demo asks), builds the
// checkout and opens the devices. What it opened before an error is closed again.
func Open(ctx context.Context, cfg Config) (_ *Till, err error) {
	t := &Till{dbPath: cfg.DBPath}
	defer func() {
		if err != nil {
			t.Close()
		}
	}()
	_, statErr := os.Stat(cfg.DBPath)
	firstRun := errors.Is(statErr, os.ErrNotExist)
	if t.Store, err = OpenStore(ctx, cfg.DBPath); err != nil {
		return nil, err
	}
	t.cleanup.push(t.Store.Close)
	t.Store.Version = cfg.Version
	if firstRun || cfg.Demo {
		if _, err := t.Store.SeedDemo(ctx); err != nil {
			return nil, err
		}
	}
	if firstRun {
		if err := seedDemoStock(ctx, t.Store); err != nil {
			return nil, err
		}
		if err := seedDemoMember(ctx, t.Store); err != nil {
			return nil, err
		}
		if err := nameDemoShop(ctx, t.Store); err != nil {
			return nil, err
		}
	}
	if t.settings, err = t.Store.Settings(ctx); err != nil {
		return nil, err
	}
	t.sales = &wakingLog{SaleLog: t.Store}
	t.startBackups()
	if t.Checkout, err = app.NewCheckout(t.settings, t.Store, t.sales, time.Now); err != nil {
		return nil, err
	}
	t.Checkout.SetGuard(app.NewGuard(t.settings.Guard, t.settings.Till, t.Store, time.Now))
	t.Checkout.SetDealsSource(t.Store)
	t.Checkout.SetCouponCounter(t.Store)
	// The sale in progress is kept as the till's open cart as it changes, off the scan path; the next
	// start resumes it at sign-in (ui.Till). Closed before the store: what is waiting is written first.
	keeper := app.NewCartKeeper(t.Store, t.settings.Till, func(err error) {
		slog.Warn("open cart", "err", err)
		if tell := t.cartNotKept.Load(); tell != nil {
			(*tell)(err)
		}
	})
	t.Checkout.SetKeeper(keeper)
	t.cleanup.push(keeper.Close)
	configs, err := scanner.ParseConfigs(cfg.Scanners, t.settings.Device)
	if err != nil {
		return nil, err
	}
	if t.scanners, t.Sim, err = openScanners(configs); err != nil {
		return nil, err
	}
	t.cleanup.push(quietly(t.scanners.Close))
	if t.cardKey, err = t.Store.Secrets.CardKey(); err != nil {
		return nil, err
	}
	if t.pins, err = t.Store.Secrets.PINs(t.settings.Security); err != nil {
		return nil, err
	}
	demo := t.Sim != nil
	if t.cards, t.SimCards, err = openCardReader(t.settings, demo); err != nil {
		return nil, err
	}
	t.cleanup.push(quietly(t.cards.Close))
	language := lang.SystemLocale().LanguageString()
	if t.Printer, t.SimPrinter, err = openPrinter(t.settings, cfg.DBPath, language, demo); err != nil {
		return nil, err
	}
	// Only a till started as a demo gets the simulated scale unasked: at a real counter without a scale,
	// a simulated one would sell made-up weights, so there the weight is typed.
	if t.scale, t.SimScale, err = openScale(t.settings, cfg.Demo); err != nil {
		return nil, err
	}
	if t.scale != nil {
		t.cleanup.push(quietly(t.scale.Close))
	}
	return t, nil
}

// startBackups starts the backups the settings ask for. One that cannot start is reported where their
// status is shown: the till sells without them.
func (t *Till) startBackups() {
	show := func(st app.BackupStatus) {
		if f := t.showBackup.Load(); f != nil {
			(*f)(st)
		}
	}
	b, err := StartBackups(t.Store, t.settings, show)
	if err != nil {
		failed := app.BackupStatus{Target: t.settings.Backup.Target, Since: time.Now(), ReplicaError: err.Error()}
		t.backupFailed = &failed
		return
	}
	if b == nil {
		return
	}
	t.backups = b
	t.cleanup.push(b.Close)
	committed := b.Committed
	t.sales.committed.Store(&committed)
}

// BackupStatus returns the backups' status; its Target is "" when none are set up.
func (t *Till) BackupStatus() app.BackupStatus {
	if t.backups != nil {
		return t.backups.Status()
	}
	if t.backupFailed != nil {
		return *t.backupFailed
	}
	return app.BackupStatus{}
}

// ScannerEvents delivers the scanners' events; Serve hands them to the screens.
func (t *Till) ScannerEvents() <-chan scanner.Event { return t.scanners.Events() }

// Close stops the sync worker and the devices and closes the database; every completed sale is already
// on disk. It returns the database's error, and does nothing the second time.
func (t *Till) Close() error { return t.cleanup.run() }

// cleanups is a stack of things to undo, run last first.
type cleanups []func() error

func (c *cleanups) push(undo func() error) { *c = append(*c, undo) }

// run undoes everything pushed, last first, once; it returns their errors joined.
func (c *cleanups) run() error {
	var errs []error
	for i := len(*c) - 1; i >= 0; i-- {
		errs = append(errs, (*c)[i]())
	}
	*c = nil
	return errors.Join(errs...)
}

// quietly is close for a cleanup whose error does not matter: a device that does not close cleanly at
// shutdown is gone anyway, and the till's Close reports the database's error alone.
func quietly(close func() error) func() error {
	return func() error {
		close()
		return nil
	}
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
