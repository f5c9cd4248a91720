package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// importPage imports a catalog file: Enter checks it (a dry run listing every bad row), then "Import"
// adds the good rows in batches. Both show their progress and can be cancelled; a cancelled import keeps
// the batches it committed and the same file imported again carries on.
type importPage struct {
	office   *BackOffice
	stock    app.StockService
	changed  func() // the product list shows what was imported
	content  fyne.CanvasObject
	path     *KeyEntry
	progress *widget.ProgressBar
	status   notice
	bad      *widget.List
	badRows  []app.RowError
	check    *app.CatalogCheck
	apply    *widget.Button
	stop     *widget.Button
	checkBtn *widget.Button
	cancelFn context.CancelFunc // cancels the pass running, nil when none is
}

func newImportPage(o *BackOffice, stock app.StockService, changed func()) *importPage {
	pg := &importPage{office: o, stock: stock, changed: changed, status: newNotice(o), progress: widget.NewProgressBar()}
	pg.path = o.field(lang.L("Catalog file (CSV, UTF-8 or GB18030)"), pg.startCheck)
	browse := widget.NewButtonWithIcon(lang.L("Browse…"), theme.FolderOpenIcon(), pg.browse)
	pg.checkBtn = widget.NewButtonWithIcon(lang.L("Check file")+" (Enter)", theme.SearchIcon(), pg.startCheck)
	pg.apply = widget.NewButtonWithIcon(lang.L("Import good rows"), theme.DownloadIcon(), pg.startApply)
	pg.apply.Importance = widget.HighImportance
	pg.apply.Disable()
	pg.stop = widget.NewButtonWithIcon(lang.L("Cancel")+" (Esc)", theme.CancelIcon(), pg.cancel)
	pg.stop.Disable()
	addKeys(pg.path, map[fyne.KeyName]func(){fyne.KeyEscape: pg.cancel})
	pg.progress.Hide()
	pg.bad = widget.NewList(func() int { return len(pg.badRows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, obj fyne.CanvasObject) {
			if id < len(pg.badRows) {
				r := pg.badRows[id]
				obj.(*widget.Label).SetText(lang.L("line {{.Line}}: {{.Reason}}", map[string]any{"Line": r.Line, "Reason": r.Reason}))
			}
		})
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, browse, pg.path),
		container.NewHBox(pg.checkBtn, pg.apply, pg.stop),
		pg.progress, pg.status)
	pg.content = container.NewBorder(top, nil, nil, nil, pg.bad)
	return pg
}

// opened gives the file field the keys when the page comes up.
func (pg *importPage) opened() fyne.Focusable { return pg.path }

func (pg *importPage) browse() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		pg.path.SetText(r.URI().Path())
		pg.startCheck()
	}, pg.office.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// busy shows a pass running: only Cancel works until it ends.
func (pg *importPage) busy(on bool) {
	if on {
		pg.progress.SetValue(0)
		pg.progress.Show()
		pg.stop.Enable()
		pg.checkBtn.Disable()
		pg.apply.Disable()
		return
	}
	pg.cancelFn = nil
	pg.stop.Disable()
	pg.checkBtn.Enable()
}

// file opens the file named for reading in passes.
func (pg *importPage) file() (app.CatalogFile, error) {
	path := strings.TrimSpace(pg.path.Text)
	info, err := os.Stat(path)
	if err != nil {
		return app.CatalogFile{}, err
	}
	return app.CatalogFile{Open: func() (io.ReadCloser, error) { return os.Open(path) }, Size: info.Size()}, nil
}

func (pg *importPage) startCheck() {
	if pg.cancelFn != nil {
		return
	}
	pg.check, pg.badRows = nil, nil
	pg.bad.Refresh()
	file, err := pg.file()
	if err != nil {
		pg.status.say(lang.L("Cannot open the file: {{.Detail}}", map[string]any{"Detail": err.Error()}), widget.DangerImportance)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	pg.cancelFn = cancel
	pg.busy(true)
	pg.status.say(lang.L("Checking…"), widget.MediumImportance)
	m := pg.stock
	pg.office.background(func() {
		check, err := m.CheckCatalog(ctx, file, pg.report)
		onUI(func() {
			cancel()
			pg.busy(false)
			switch {
			case errors.Is(err, context.Canceled):
				pg.progress.Hide()
				pg.status.say(lang.L("Check cancelled. Nothing was imported."), widget.WarningImportance)
			case err != nil:
				pg.progress.Hide()
				pg.status.say(lang.L("The file cannot be read as a catalog: {{.Detail}}", map[string]any{"Detail": err.Error()}), widget.DangerImportance)
			default:
				pg.check, pg.badRows = check, check.Bad
				pg.bad.Refresh()
				pg.progress.SetValue(1)
				importance := widget.SuccessImportance
				if check.BadRows > 0 {
					importance = widget.WarningImportance
				}
				msg := lang.L("{{.Good}} good rows, {{.Bad}} bad. Nothing imported yet.", map[string]any{"Good": check.Good, "Bad": check.BadRows})
				if len(check.Bad) < check.BadRows {
					msg += " " + lang.L("The first {{.Listed}} bad rows are listed.", map[string]any{"Listed": len(check.Bad)})
				}
				pg.status.say(msg, importance)
				if check.Good > 0 {
					pg.apply.SetText(fmt.Sprintf("%s (%d)", lang.L("Import good rows"), check.Good))
					pg.apply.Enable()
				}
			}
		})
	})
}

// report shows a pass's progress; it is called from the pass's goroutine.
func (pg *importPage) report(p app.ImportProgress) {
	onUI(func() {
		pg.progress.SetValue(p.Fraction())
		if p.Applying {
			pg.status.say(lang.L("Importing… {{.Added}} products added", map[string]any{"Added": p.Added}), widget.MediumImportance)
		} else {
			pg.status.say(lang.L("Checking… {{.Rows}} rows read", map[string]any{"Rows": p.Rows}), widget.MediumImportance)
		}
	})
}

func (pg *importPage) startApply() {
	check := pg.check
	if check == nil || pg.cancelFn != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	pg.cancelFn = cancel
	pg.busy(true)
	session := pg.office.session()
	pg.office.background(func() {
		added, err := check.Apply(ctx, session, pg.report)
		onUI(func() {
			cancel()
			pg.busy(false)
			pg.check = nil
			pg.apply.SetText(lang.L("Import good rows"))
			switch {
			case errors.Is(err, context.Canceled):
				pg.status.say(lang.L("Import cancelled: {{.Added}} products were added and kept. Import the file again to add the rest.",
					map[string]any{"Added": added}), widget.WarningImportance)
			case err != nil:
				pg.status.say(lang.L("Import stopped: {{.Added}} products were added and kept. Import the file again to continue. ({{.Detail}})",
					map[string]any{"Added": added, "Detail": err.Error()}), widget.DangerImportance)
			default:
				pg.progress.SetValue(1)
				pg.status.say(lang.L("Imported {{.Added}} products; {{.Kept}} already in the catalog were kept.",
					map[string]any{"Added": added, "Kept": check.Good - added}), widget.SuccessImportance)
			}
			pg.changed()
		})
	})
}

// cancel stops the pass running, if one is.
func (pg *importPage) cancel() {
	if pg.cancelFn != nil {
		pg.cancelFn()
	}
}
