package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// BackOffice is the owner's window beside the till: the product list and editor, receiving, stock
// adjustments, stock counts, the low-stock list and catalog import. Each page has an F-key, and a
// scanner's codes go to the page that is open. Its methods run on Fyne's goroutine.
type BackOffice struct {
	till  *Till
	stock app.StockService
	win   fyne.Window
	tabs  *container.AppTabs

	products  *productsPage
	receive   *receivePage
	adjust    *adjustPage
	count     *countPage
	low       *lowStockPage
	imports   *importPage
	day       *dayPage   // nil when the till has no reports
	sync      *syncPage  // nil when the till has no sync page
	syncIndex int        // the sync page's tab; -1 without one
	users     *usersPage // nil when the till has no sign-in
	reports   app.ReportService
}

// openBackOffice opens the back office window, or brings it to the front.
func (t *Till) openBackOffice() {
	if t.svc.Stock == nil {
		return
	}
	if t.office != nil {
		t.office.win.RequestFocus()
		return
	}
	if t.co.Session().NeedsSecondFactor() {
		t.askSecondFactor(t.openBackOffice)
		return
	}
	o := &BackOffice{till: t, stock: t.svc.Stock, reports: t.svc.Reports}
	o.win = fyne.CurrentApp().NewWindow(lang.L("Products and stock") + " — " + t.co.Settings().Till)
	o.products, o.receive, o.adjust = newProductsPage(o), newReceivePage(o), newAdjustPage(o)
	o.count, o.low, o.imports = newCountPage(o), newLowStockPage(o), newImportPage(o)
	o.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Products")+" (F2)", o.products.content),
		container.NewTabItem(lang.L("Receive")+" (F3)", o.receive.content),
		container.NewTabItem(lang.L("Adjust")+" (F4)", o.adjust.content),
		container.NewTabItem(lang.L("Count")+" (F5)", o.count.content),
		container.NewTabItem(lang.L("Low stock")+" (F6)", o.low.content),
		container.NewTabItem(lang.L("Import")+" (F7)", o.imports.content),
	)
	if o.reports != nil {
		o.day = newDayPage(o)
		o.tabs.Append(container.NewTabItem(lang.L("Day")+" (F10)", o.day.content))
	}
	o.syncIndex = -1
	if t.svc.Sync != nil {
		o.sync, o.syncIndex = newSyncPage(o), len(o.tabs.Items)
		// No F-key of its own (F9 acts on the count, day and users pages): the till menu (F1) opens it.
		o.tabs.Append(container.NewTabItem(lang.L("Sync"), o.sync.content))
	}
	if t.svc.Staff != nil {
		o.users = newUsersPage(o)
		o.tabs.Append(container.NewTabItem(lang.L("Users")+" (F1)", o.users.content))
	}
	o.tabs.OnSelected = func(*container.TabItem) { o.focusPage() }
	o.win.SetContent(o.tabs)
	o.win.Resize(fyne.NewSize(1000, 680))
	o.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { o.key(k) })
	o.win.SetOnClosed(func() {
		o.imports.cancel()
		t.office = nil
	})
	t.office = o
	o.win.Show()
	o.products.reload()
	o.focusPage()
}

// openSyncPage opens the back office on its head-office sync page.
func (t *Till) openSyncPage() {
	t.openBackOffice()
	if o := t.office; o != nil && o.sync != nil {
		o.tabs.SelectIndex(o.syncIndex)
		o.focusPage()
	}
}

// BackOffice returns the open back office window's screens, or nil while it is closed.
func (t *Till) BackOffice() *BackOffice { return t.office }

// Window returns the back office window.
func (o *BackOffice) Window() fyne.Window { return o.win }

// key switches pages with F2–F7 and F10 from any field, and F8 starts a new product; it reports whether
// it used the key.
func (o *BackOffice) key(k *fyne.KeyEvent) bool {
	if k.Name == fyne.KeyF8 {
		o.tabs.SelectIndex(0)
		o.products.create()
		return true
	}
	pages := map[fyne.KeyName]int{fyne.KeyF2: 0, fyne.KeyF3: 1, fyne.KeyF4: 2, fyne.KeyF5: 3, fyne.KeyF6: 4, fyne.KeyF7: 5}
	if o.day != nil {
		pages[fyne.KeyF10] = 6
	}
	if o.users != nil {
		pages[fyne.KeyF1] = len(o.tabs.Items) - 1
	}
	i, ok := pages[k.Name]
	if !ok || i >= len(o.tabs.Items) {
		return false
	}
	o.tabs.SelectIndex(i)
	o.focusPage()
	return true
}

func (o *BackOffice) focusPage() {
	if o.users != nil && o.tabs.SelectedIndex() == len(o.tabs.Items)-1 {
		o.users.reload()
		o.win.Canvas().Focus(o.users.name)
		return
	}
	if o.sync != nil && o.tabs.SelectedIndex() == o.syncIndex {
		o.sync.reload()
		o.win.Canvas().Focus(o.sync.keys)
		return
	}
	switch o.tabs.SelectedIndex() {
	case 0:
		o.win.Canvas().Focus(o.products.query)
	case 1:
		o.win.Canvas().Focus(o.receive.code)
	case 2:
		o.win.Canvas().Focus(o.adjust.code)
	case 3:
		o.win.Canvas().Focus(o.count.code)
	case 4:
		o.low.reload()
		o.win.Canvas().Focus(o.low.keys)
	case 5:
		o.win.Canvas().Focus(o.imports.path)
	case 6:
		if o.day.showing.IsZero() {
			o.day.load()
		}
		o.win.Canvas().Focus(o.day.day)
	}
}

// scan takes a scanner's code for the open page; it reports false when that page takes no scans.
func (o *BackOffice) scan(code string) bool {
	switch o.tabs.SelectedIndex() {
	case 0:
		o.products.scanned(code)
	case 1:
		o.receive.scanned(code)
	case 2:
		o.adjust.scanned(code)
	case 3:
		o.count.scanned(code)
	default:
		return false
	}
	return true
}

// field is a back office entry: F-keys switch pages, Enter runs enter, a wedge scanner's codes go to
// the open page.
func (o *BackOffice) field(placeholder string, enter func()) *KeyEntry {
	e := NewKeyEntry()
	e.SetPlaceHolder(placeholder)
	e.useWedge(o.till.sh.wedge, "", o.till.opt.After)
	e.OnScan = func(code string) { o.scan(code) }
	e.OnKey = func(k *fyne.KeyEvent) bool {
		if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && enter != nil {
			enter()
			return true
		}
		return o.key(k)
	}
	return e
}

// find returns the product a code names: a barcode, else an SKU.
func (o *BackOffice) find(code string) (app.Product, error) {
	return o.stock.FindProduct(context.Background(), code)
}

// name is a product's name in the UI language.
func (o *BackOffice) name(p app.Product) string { return p.DisplayName(o.till.opt.Language) }

// quantity is q as the owner reads it: "3" pieces, "1.250 kg".
func quantity(q app.Quantity, u app.Unit) string {
	if u == app.UnitKg {
		return q.Format(u) + " " + lang.L("kg")
	}
	return q.Format(u)
}

// notice is a page's one line of feedback.
type notice struct {
	*widget.Label
	office *BackOffice
}

func newNotice(o *BackOffice) notice {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return notice{l, o}
}

func (n notice) say(text string, importance widget.Importance) {
	n.Importance = importance
	n.SetText(text)
}

// fail shows why an action failed. When it needs a supervisor, it asks for one; once approved, the
// action is done by doing it again.
func (n notice) fail(err error) {
	n.say(errorMessage(err), widget.DangerImportance)
	o := n.office
	focused := o.win.Canvas().Focused()
	askApproval(windowHost{o.win}, o.till.co.Session(), err, "", func() {
		n.say(lang.L("Approved: do it again to go ahead."), widget.SuccessImportance)
	}, func() {
		if focused != nil {
			o.win.Canvas().Focus(focused)
		}
	})
}
