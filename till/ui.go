package till

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/app/receiptimage"
	"checkout/app/reportpdf"
	"checkout/assets"
	"checkout/devices/cardreader"
	"checkout/devices/scale"
	"checkout/devices/scanner"
	"checkout/devices/screens"
	"checkout/ui"
)

// Everything the till hands package ui is here: the screens' options and services, the devices' events
// and statuses, the sync status, and the windows' lifetime.

// Run starts the till on cfg's database and shows its windows until they are closed. newApp makes the
// Fyne app: main passes Fyne's driver in, which needs cgo, so that this package builds without it.
func Run(ctx context.Context, cfg Config, newApp func() fyne.App) error {
	if err := checkDisplay(); err != nil {
		return err
	}
	quietDesktop()
	t, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer t.Close()
	a := newApp()
	a.SetIcon(assets.Icon)
	t.Start(a)
	go t.Serve()
	t.UI.Show()
	// Once the windows exist: the customer display to its place (then, for a kiosk, full screen there).
	a.Lifecycle().SetOnStarted(func() {
		placeDisplay(t.UI)
		if cfg.Kiosk {
			t.UI.Kiosk()
		}
		go releaseStartup()
	})
	a.Run()
	return nil
}

// placeDisplay moves the customer display to the second monitor when there is one, else beside the sale
// window (screens.Place): without a window manager both would open at the same place. Where windows
// cannot be placed (no X11, no cgo) they stay where the system puts them.
func placeDisplay(u *ui.Till) {
	monitors, err := screens.Monitors()
	if err != nil {
		return
	}
	main, display := u.Window().Canvas().Size(), u.Display().Window().Canvas().Size()
	x, y := screens.Place(monitors, int(main.Width), int(main.Height), int(display.Width), int(display.Height))
	if nw, ok := u.Display().Window().(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			if x11, ok := ctx.(driver.X11WindowContext); ok {
				if err := screens.Move(x11.WindowHandle, x, y); err != nil {
					slog.Info("customer display not placed", "err", err)
				}
			}
		})
	}
}

// Start builds the screens on a and starts the head office sync worker; Serve then feeds the screens the
// devices' events.
func (t *Till) Start(a fyne.App) {
	opt := ui.Options{
		Language:       lang.SystemLocale().LanguageString(),
		DeviceStatus:   lang.L("Scanner: keyboard"),
		WedgeGap:       wedgeGap(t.settings),
		Keypad:         onscreenKeypad(t.settings, screens.HasTouchscreen),
		Ports:          scanner.ListPorts,
		ScaleProtocols: scale.ProtocolNames(),
		SetSetting: func(key, value string) error {
			if err := CheckSetting(key, value); err != nil {
				return err
			}
			_, err := t.Store.SetSetting(context.Background(), key, value, time.Now())
			return err
		},
	}
	auth := app.NewAuth(t.Store, t.settings.Till, t.pins, time.Now)
	if err := auth.SetSealKey(t.cardKey); err != nil {
		slog.Warn("two-factor sign-in unavailable", "err", err)
	}
	stockroom := app.NewStockroom(t.settings, t.Store, time.Now)
	svc := ui.Services{
		Selling:    t.Store,
		Payments:   payments(t.settings, filepath.Dir(t.dbPath), t.Store, func() (app.Settings, error) { return t.Store.Settings(context.Background()) }),
		Members:    app.NewMemberDesk(t.settings, t.Store, t.pins, time.Now),
		Shifts:     app.NewShiftDesk(t.settings, snapshotAtZ{t.Store, t.backups}, time.Now),
		Stock:      stockroom,
		Reports:    app.GuardedReports{Book: t.Store, Session: t.Checkout.Session},
		Staff:      auth,
		Promotions: app.NewPromotionDesk(t.settings, t.Store, t.Store, stockroom.FindProduct, time.Now),
	}
	if _, err := t.Store.SyncLink(context.Background()); err == nil {
		svc.Sync = t.Store // an enrolled till has a sync page
	}
	opt.CardKey = t.cardKey
	t.receiptOptions(&opt)
	opt.Background = t.Background
	if t.Sim != nil {
		next := 0
		opt.SimulateScan = func() {
			// With the simulated card reader, the demo sequence ends with the demo member's card tapped.
			steps := len(demoCodes)
			if t.SimCards != nil {
				steps++
			}
			i := next % steps
			next++
			if i == len(demoCodes) {
				t.SimCards.Remove()
				t.SimCards.Tap(demoCardUID)
				return
			}
			t.Sim.Scan(demoCodes[i])
		}
	}
	opt.Scale = t.scale != nil
	if t.SimScale != nil {
		opt.SimulateWeighing = func() { t.SimScale.Weigh(demoLoad()) }
	}
	if s, ok := t.scale.(*scale.Scale); ok {
		if s.Can(scale.Tare) {
			opt.ScaleTare = func() error { return s.Send(scale.Tare) }
		}
		if s.Can(scale.Zero) {
			opt.ScaleZero = func() error { return s.Send(scale.Zero) }
		}
	}
	t.UI = ui.NewTill(a, t.Checkout, svc, opt)
	t.UI.SetPaymentsState(svc.Payments)
	notKept := t.UI.SaleNotKept
	t.cartNotKept.Store(&notKept)
	showBackup := t.UI.SetBackupStatus
	t.showBackup.Store(&showBackup)
	showBackup(t.BackupStatus())
	show := func(st app.SyncStatus) {
		t.syncStatus.Store(&st)
		t.UI.SetSyncStatus(st)
	}
	t.watchLatePayments(svc.Payments)
	// While the head office is out of reach, prepaid payments keep to the offline limit.
	t.Checkout.SetOffline(func() bool {
		st := t.syncStatus.Load()
		return st != nil && st.Offline(time.Now())
	})
	stop, err := startSync(t.Store, t.Checkout, t.sales, t.settings.Currency, show)
	if err != nil {
		// The till sells without the head office; the owner sees why in the status bar.
		show(app.SyncStatus{Enrolled: true, LastError: err.Error()})
		return
	}
	t.cleanup.push(func() error {
		stop()
		return nil
	})
}

// latePaymentSweep is how often the QR orders the till gave up on are asked about.
const latePaymentSweep = time.Minute

// watchLatePayments asks, at the start and then every minute, about the QR orders the till gave up on
// (app.SweepLatePayments): one the shopper paid after all is reversed, and the cashier is told.
func (t *Till) watchLatePayments(p app.Payments) {
	if p.Late == nil || p.Gateway == nil {
		return
	}
	ctx, stop := context.WithCancel(context.Background()) // closing the till does not wait on a silent provider
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			refunded, err := app.SweepLatePayments(ctx, p.Gateway, p.Late, time.Now())
			if err != nil {
				slog.Warn("late payments", "err", err)
			}
			for _, w := range refunded {
				slog.Warn("late QR payment reversed", "reference", w.Reference, "amount", w.Amount.String())
				t.UI.LatePaymentReversed(w.Reference, w.Amount)
			}
			select {
			case <-done:
				return
			case <-time.After(latePaymentSweep):
			}
		}
	}()
	t.cleanup.push(func() error {
		stop()
		close(done)
		<-stopped
		return nil
	})
}

// snapshotAtZ is the shift book that asks the backups for a snapshot once a shift has closed: the day's
// books, as the Z report printed them, leave the till's disk sealed.
type snapshotAtZ struct {
	*Store
	backups *Backups
}

func (b snapshotAtZ) CloseShift(ctx context.Context, at time.Time, user string, counts []app.DenominationCount) (*app.Shift, error) {
	sh, err := b.Store.CloseShift(ctx, at, user, counts)
	if err == nil && b.backups != nil {
		b.backups.Snapshot("z")
	}
	return sh, err
}

// receiptOptions gives the screens the printer, and where and how receipts are saved as PNG: beside the
// database, drawn with a Chinese font where the system has one.
func (t *Till) receiptOptions(opt *ui.Options) {
	if t.Printer != nil {
		opt.Printer = t.Printer
	}
	opt.PreviewReceipt = t.Printer == nil || t.SimPrinter != nil
	opt.ReceiptDir = filepath.Join(filepath.Dir(t.dbPath), "receipts")
	var fonts receiptimage.Fonts
	if path, err := reportpdf.FindFont(); err == nil {
		fonts.LoadCJK = func() ([]byte, error) { return os.ReadFile(path) }
	}
	r, err := receiptimage.New(fonts)
	if err != nil {
		slog.Warn("receipt image font", "err", err)
		r, _ = receiptimage.New(receiptimage.Fonts{})
	}
	opt.ReceiptImage = r
	labels, err := newShelfLabels(t.settings, filepath.Join(filepath.Dir(t.dbPath), "labels"), r, opt.Language)
	if err != nil {
		slog.Warn("label printer", "err", err)
	}
	labels.changed = t.Store.PriceChangedSince
	opt.Labels = labels
}

// Serve feeds the scanners' codes, the card reader's taps, the scale's readings and their status to the screens until the
// devices close.
func (t *Till) Serve() {
	if t.Printer != nil {
		go func() {
			_, err := t.Printer.Status()
			t.UI.SetPrinterState(err)
		}()
	}
	go func() {
		for ev := range t.cards.Events() {
			showCardEvent(ev, t.UI)
		}
	}()
	if t.scale != nil {
		go func() {
			for ev := range t.scale.Events() {
				showScaleEvent(ev, t.UI)
			}
		}()
	}
	for ev := range t.ScannerEvents() {
		showScannerEvent(ev, t.UI)
	}
}

// showScannerEvent hands one scanner event to the screens.
func showScannerEvent(ev scanner.Event, screens *ui.Till) {
	switch ev.Kind {
	case scanner.Scan:
		screens.RecordDeviceInput(ev.Scanner, ev.Code, nil)
		screens.ScanFromDevice(ev.Code)
	case scanner.FrameError:
		screens.RecordDeviceInput(ev.Scanner, "", ev.Err)
	case scanner.StatusChange:
		screens.SetDeviceState(ev.Scanner, ev.Status.String())
	}
}

// showCardEvent hands one card reader event to the screens: a tapped card finds its member.
func showCardEvent(ev cardreader.Event, screens *ui.Till) {
	switch ev.Kind {
	case cardreader.CardPresent:
		screens.CardFromDevice(ev.UID, ev.UID)
	case cardreader.ReadError:
		screens.RecordDeviceInput(ev.Reader, "", ev.Err)
	case cardreader.StatusChange:
		screens.SetCardReaderState(ev.Reader, ev.Status.String())
	}
}

// showScaleEvent hands one scale event to the screens: a reading to the weighing dialog, a dropped frame
// to the devices screen's live view.
func showScaleEvent(ev scale.Event, screens *ui.Till) {
	switch ev.Kind {
	case scale.Weight:
		r := ev.Reading
		screens.ScaleReading(app.ScaleReading{Grams: r.Grams, Weighed: r.Weighed, Stable: r.Stable, Overload: r.Overload, Underload: r.Underload})
	case scale.FrameError:
		screens.RecordDeviceInput(ev.Scale, "", ev.Err)
	case scale.StatusChange:
		screens.SetScaleState(ev.Scale, ev.Status.String())
	}
}
