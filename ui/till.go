package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"checkout/app"
)

// openBackOffice opens the back office window with the pages this till has services for, or brings it to
// the front. A user with two-factor sign-in gives their code first.
func (t *Till) openBackOffice() {
	if t.office != nil {
		t.office.win.RequestFocus()
		return
	}
	if t.co.Session().NeedsSecondFactor() {
		t.askSecondFactor(t.openBackOffice)
		return
	}
	o := newBackOffice(t.app, lang.L("Products and stock")+" — "+t.co.Settings().Till, t.sh, t.co, t.opt)
	stock := t.svc.Stock
	products := newProductsPage(o, stock)
	changed := products.reload
	receive, adjust := newReceivePage(o, stock, changed), newAdjustPage(o, stock, changed)
	count, low, imports := newCountPage(o, stock, changed), newLowStockPage(o, stock), newImportPage(o, stock, changed)
	productsTab := o.add(fyne.KeyF2, lang.L("Products")+" (F2)", products.content, products.opened, products.scanned)
	o.add(fyne.KeyF3, lang.L("Receive")+" (F3)", receive.content, receive.opened, receive.scanned)
	o.add(fyne.KeyF4, lang.L("Adjust")+" (F4)", adjust.content, adjust.opened, adjust.scanned)
	o.add(fyne.KeyF5, lang.L("Count")+" (F5)", count.content, count.opened, count.scanned)
	o.add(fyne.KeyF6, lang.L("Low stock")+" (F6)", low.content, low.opened, nil)
	o.add(fyne.KeyF7, lang.L("Import")+" (F7)", imports.content, imports.opened, nil)
	o.newProduct = func() {
		o.tabs.Select(productsTab.tab)
		products.create()
	}
	if t.svc.Reports != nil {
		day := newDayPage(o, t.svc.Reports)
		o.add(fyne.KeyF10, lang.L("Day")+" (F10)", day.content, day.opened, nil)
	}
	var sync *syncPage
	var syncTab *officePage
	if t.svc.Sync != nil {
		sync = newSyncPage(o, t.svc.Sync, func() app.SyncStatus { return t.syncStatus })
		// No F-key of its own (F9 acts on the count, day and users pages): the till menu (F1) opens it.
		syncTab = o.add("", lang.L("Sync"), sync.content, sync.opened, nil)
	}
	if t.svc.Staff != nil {
		users := newUsersPage(o, t.svc.Staff)
		o.add(fyne.KeyF1, lang.L("Users")+" (F1)", users.content, users.opened, nil)
	}
	o.win.SetOnClosed(func() {
		imports.cancel()
		t.office = nil
	})
	t.office = &openOffice{BackOffice: o, sync: sync, syncTab: syncTab}
	o.win.Show()
	products.reload()
	o.focusPage()
}

// openOffice is the back office window while it is open, with its sync page when it has one: the status
// the sync worker reports is shown there as it comes.
type openOffice struct {
	*BackOffice
	sync    *syncPage
	syncTab *officePage
}

// openSyncPage opens the back office on its head-office sync page.
func (t *Till) openSyncPage() {
	t.openBackOffice()
	if o := t.office; o != nil && o.syncTab != nil {
		o.open(o.syncTab)
	}
}

// BackOffice returns the open back office window's screens, or nil while it is closed.
func (t *Till) BackOffice() *BackOffice {
	if t.office == nil {
		return nil
	}
	return t.office.BackOffice
}
