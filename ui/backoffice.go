package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// BackOffice is the owner's window beside the till, with the pages the till has services for: products,
// receiving, adjusting, counting, low stock and catalog import over app.StockService; the day over
// app.ReportService; the head office link over app.SyncService; the users over app.StaffService. Each page
// but the sync page has an F-key, and a scanner's codes go to the page that is open. Its methods run on
// Fyne's goroutine.
type BackOffice struct {
	win        fyne.Window
	tabs       *container.AppTabs
	pages      []*officePage
	session    func() *app.Session
	settings   app.Settings
	language   string
	background func(func())
	now        func() time.Time
	wedge      *wedge
	after      func(time.Duration, func())
	// newProduct is F8 from any page: the product editor on a new product.
	newProduct func()
}

// officePage is a page of the back office: its tab, its F-key, what it does on coming up (reading what it
// shows again) with the field that then takes the keys, and where a scanner's codes go while it is open.
type officePage struct {
	key     fyne.KeyName // "": none
	tab     *container.TabItem
	opened  func() fyne.Focusable
	scanned func(code string) // nil: the page takes no scans
}

// newBackOffice opens an empty back office window titled title; add gives it its pages. The sale screen's
// wedge times its keys, so a scan is told from typing in either window.
func newBackOffice(a fyne.App, title string, sh *shell, co *app.Checkout, opt Options) *BackOffice {
	o := &BackOffice{win: a.NewWindow(title), tabs: container.NewAppTabs(), session: co.Session, settings: co.Settings(),
		language: opt.Language, background: opt.Background, now: opt.Now, wedge: sh.wedge, after: opt.After, newProduct: func() {}}
	o.tabs.OnSelected = func(*container.TabItem) { o.focusPage() }
	// A close button for a finger, and for a full-screen till whose window has no frame to close it by.
	closeButton := widget.NewButtonWithIcon(lang.L("Back to the till")+" (Esc)", theme.CancelIcon(), func() { o.win.Close() })
	o.win.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), touchSized(closeButton)), nil, nil, o.tabs))
	o.win.Resize(fyne.NewSize(1000, 680))
	o.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { o.key(k) })
	return o
}

// add adds a page: its tab labelled label, its F-key (or ""), its content, what it does on coming up, and
// where scans go while it is open (nil: nowhere).
func (o *BackOffice) add(key fyne.KeyName, label string, content fyne.CanvasObject, opened func() fyne.Focusable, scanned func(string)) *officePage {
	p := &officePage{key: key, tab: container.NewTabItem(label, content), opened: opened, scanned: scanned}
	o.pages = append(o.pages, p)
	o.tabs.Append(p.tab)
	return p
}

// Window returns the back office window.
func (o *BackOffice) Window() fyne.Window { return o.win }

// open selects page p.
func (o *BackOffice) open(p *officePage) {
	o.tabs.Select(p.tab)
	o.focusPage()
}

// showing reports whether page p is the one open.
func (o *BackOffice) showing(p *officePage) bool { return o.tabs.Selected() == p.tab }

// page is the page open.
func (o *BackOffice) page() *officePage {
	for _, p := range o.pages {
		if o.showing(p) {
			return p
		}
	}
	return nil
}

// key switches pages with their F-keys from any field, and F8 starts a new product; it reports whether
// it used the key.
func (o *BackOffice) key(k *fyne.KeyEvent) bool {
	switch k.Name {
	case fyne.KeyF8:
		o.newProduct()
		return true
	case fyne.KeyEscape: // a page that has a use for Esc has taken it already
		o.win.Close()
		return true
	}
	for _, p := range o.pages {
		if p.key != "" && p.key == k.Name {
			o.open(p)
			return true
		}
	}
	return false
}

// focusPage brings the open page up to date and gives its field the keys.
func (o *BackOffice) focusPage() {
	if p := o.page(); p != nil {
		o.win.Canvas().Focus(p.opened())
	}
}

// scan takes a scanner's code for the open page; it reports false when that page takes no scans.
func (o *BackOffice) scan(code string) bool {
	p := o.page()
	if p == nil || p.scanned == nil {
		return false
	}
	p.scanned(code)
	return true
}

// field is a back office entry: F-keys switch pages, Enter runs enter, a wedge scanner's codes go to
// the open page.
func (o *BackOffice) field(placeholder string, enter func()) *KeyEntry {
	e := NewKeyEntry()
	e.SetPlaceHolder(placeholder)
	e.useWedge(o.wedge, "", o.after)
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

// name is a product's name in the UI language.
func (o *BackOffice) name(p app.Product) string { return p.DisplayName(o.language) }

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
	askApproval(windowHost{o.win}, o.session(), err, "", func() {
		n.say(lang.L("Approved: do it again to go ahead."), widget.SuccessImportance)
	}, func() {
		if focused != nil {
			o.win.Canvas().Focus(focused)
		}
	})
}

// productColumn is a product as the first columns of a table row.
func (o *BackOffice) productColumn(p app.Product) string {
	return column(p.SKU, 12) + " " + column(o.name(p), 30)
}

// scanProduct finds in stock the product a code scanned or typed into field names, clearing the field; a
// code that names none is said on n.
func scanProduct(stock app.StockService, field *KeyEntry, code string, n notice) (app.Product, bool) {
	field.SetText("")
	if strings.TrimSpace(code) == "" {
		return app.Product{}, false
	}
	p, err := stock.FindProduct(context.Background(), code)
	if err != nil {
		n.fail(err)
		return app.Product{}, false
	}
	return p, true
}

// describe is a product with its stock, as a page shows the one being worked on.
func (o *BackOffice) describe(p app.Product) string {
	return o.name(p) + "  ·  " + p.SKU + "  ·  " + lang.L("on hand {{.Qty}}", map[string]any{"Qty": quantity(p.OnHand, p.Unit)})
}
