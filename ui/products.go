package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// Product list paging: the list reads listPage products at a time by key, the next page when the owner
// scrolls near the end, so a million-product catalog opens as fast as a small one. A search shows its
// first, ranked page only.
const (
	listPage   = 100
	searchPage = 50
)

// productsPage lists the catalog, searches it as the owner types, and opens the product editor.
type productsPage struct {
	office   *BackOffice
	stock    app.StockService
	labels   LabelPrinter // nil: no shelf labels
	printing bool         // a label is on its way: F9 again waits
	since    *KeyEntry    // the day the labels for price changes start from
	content  fyne.CanvasObject
	query    *KeyEntry
	list     *widget.List
	count    *widget.Label
	note     notice
	items    []app.Product
	more     bool // another page may follow the last one read
	loading  bool
	gen      int // bumps when the query changes: a page read for an older query is dropped
	selected int
}

func newProductsPage(o *BackOffice, stock app.StockService, labels LabelPrinter) *productsPage {
	pg := &productsPage{office: o, stock: stock, labels: labels, selected: -1, note: newNotice(o)}
	pg.query = o.field(lang.L("Search by name, pinyin initials, SKU or barcode"), func() { pg.edit(pg.selected) })
	pg.query.OnChanged = func(string) {
		pg.note.say("", widget.MediumImportance)
		pg.reload()
	}
	addKeys(pg.query, map[fyne.KeyName]func(){
		fyne.KeyDown: func() { pg.move(+1) },
		fyne.KeyUp:   func() { pg.move(-1) },
		fyne.KeyF9:   pg.printLabel,
		fyne.KeyEscape: func() {
			if pg.query.Text == "" { // nothing to clear: back to the till
				o.key(&fyne.KeyEvent{Name: fyne.KeyEscape})
				return
			}
			pg.query.SetText("")
		},
	})
	pg.list = widget.NewList(func() int { return len(pg.items) }, pg.newRow, pg.showRow)
	pg.list.OnSelected = func(id widget.ListItemID) { pg.selected = id }
	pg.count = widget.NewLabel("")
	pg.count.Importance = widget.LowImportance
	newProduct := widget.NewButtonWithIcon(lang.L("New product")+" (F8)", theme.ContentAddIcon(), pg.create)
	edit := widget.NewButtonWithIcon(lang.L("Edit")+" (Enter)", theme.DocumentCreateIcon(), func() { pg.edit(pg.selected) })
	header := container.New(productColumns, bold(lang.L("SKU")), bold(lang.L("Name")), bold(lang.L("Category")),
		bold(lang.L("Price")), bold(lang.L("On hand")), bold(lang.L("Status")))
	buttons := container.NewHBox(edit, newProduct)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, buttons, pg.query), pg.note, header)
	if labels != nil {
		buttons.Add(widget.NewButtonWithIcon(lang.L("Shelf label")+" (F9)", theme.DocumentPrintIcon(), pg.printLabel))
		pg.since = o.field(lang.L("YYYY-MM-DD (empty: today)"), pg.printChanged)
		changed := widget.NewButtonWithIcon(lang.L("Labels for price changes since"), theme.DocumentPrintIcon(), pg.printChanged)
		top = container.NewVBox(container.NewBorder(nil, nil, nil, buttons, pg.query),
			container.NewBorder(nil, nil, changed, nil, pg.since), pg.note, header)
	}
	pg.content = container.NewBorder(top, pg.count, nil, nil, pg.list)
	return pg
}

// opened gives the search field the keys when the page comes up.
func (pg *productsPage) opened() fyne.Focusable { return pg.query }

func (pg *productsPage) newRow() fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, 6)
	for i := range cells {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		cells[i] = l
	}
	return container.New(productColumns, cells...)
}

// productColumns are the list's column widths: SKU, name, category, price, on hand, status.
var productColumns = weightedColumns{1.3, 4, 1.6, 1.3, 1.1, 1.1}

// weightedColumns lays out a row of objects, each as wide as its share of the weights.
type weightedColumns []float32

func (w weightedColumns) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		size.Width += m.Width
		size.Height = max(size.Height, m.Height)
	}
	return size
}

func (w weightedColumns) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, x := range w {
		total += x
	}
	var at float32
	for i, o := range objects {
		width := size.Width * w[i%len(w)] / total
		o.Move(fyne.NewPos(at, 0))
		o.Resize(fyne.NewSize(width, size.Height))
		at += width
	}
}

func (pg *productsPage) showRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(pg.items) {
		return
	}
	if id >= len(pg.items)-listPage/4 {
		pg.loadMore()
	}
	p := pg.items[id]
	price := unitPrice(p, pg.office.language)
	status := lang.L("for sale")
	if !p.Active {
		status = lang.L("inactive")
	} else if p.ReorderPoint > 0 && p.OnHand <= p.ReorderPoint {
		status = lang.L("low stock")
	}
	cells := o.(*fyne.Container).Objects
	for i, text := range []string{p.SKU, pg.office.name(p), p.DisplayCategory(pg.office.language), price, quantity(p.OnHand, p.Unit), status} {
		cells[i].(*widget.Label).SetText(text)
	}
}

// reload starts the list again from the first page for the query typed.
func (pg *productsPage) reload() {
	pg.gen++
	pg.items, pg.more, pg.loading, pg.selected = nil, true, false, -1
	pg.list.UnselectAll()
	pg.list.Refresh()
	pg.loadMore()
	if strings.TrimSpace(pg.query.Text) == "" {
		pg.showCount()
	}
}

// loadMore reads the next page in the background; scrolling near the end asks for it.
func (pg *productsPage) loadMore() {
	if pg.loading || !pg.more {
		return
	}
	pg.loading = true
	q, gen, after := strings.TrimSpace(pg.query.Text), pg.gen, ""
	if len(pg.items) > 0 {
		after = pg.items[len(pg.items)-1].SKU
	}
	m := pg.stock
	pg.office.background(func() {
		var page []app.Product
		var err error
		if q == "" {
			page, err = m.ProductPage(context.Background(), after, listPage)
		} else {
			page, err = m.SearchCatalog(context.Background(), q, searchPage)
		}
		onUI(func() {
			if gen != pg.gen {
				return
			}
			pg.loading = false
			if err != nil {
				pg.more = false
				pg.note.fail(err)
				return
			}
			pg.items = append(pg.items, page...)
			pg.more = q == "" && len(page) == listPage
			if q != "" && len(page) == 0 {
				pg.note.say(lang.L("No product matches “{{.Query}}”.", map[string]any{"Query": q}), widget.MediumImportance)
			}
			if pg.selected < 0 && len(pg.items) > 0 && q != "" {
				pg.selected = 0
				pg.list.Select(0)
			}
			pg.list.Refresh()
		})
	})
}

// showCount shows how many products there are, counted in the background: at a million products the
// count takes longer than the first page.
func (pg *productsPage) showCount() {
	m := pg.stock
	pg.office.background(func() {
		n, err := m.CountProducts(context.Background())
		onUI(func() {
			if err != nil {
				pg.note.fail(err)
				return
			}
			pg.count.SetText(lang.L("{{.Count}} products in the catalog", map[string]any{"Count": n}))
		})
	})
}

func (pg *productsPage) move(delta int) {
	if len(pg.items) == 0 {
		return
	}
	pg.selected = min(max(pg.selected+delta, 0), len(pg.items)-1)
	pg.list.Select(pg.selected)
	pg.list.ScrollTo(pg.selected)
	pg.office.win.Canvas().Focus(pg.query)
}

// printLabel prints the selected product's shelf label, away from the UI goroutine (a network printer
// may take seconds to answer), and says where it went.
func (pg *productsPage) printLabel() {
	if pg.labels == nil || pg.printing || pg.selected < 0 || pg.selected >= len(pg.items) {
		return
	}
	e, err := pg.stock.ProductDetail(context.Background(), pg.items[pg.selected].ID)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.printing = true
	pg.office.background(func() {
		saved, err := pg.labels.PrintLabel(e)
		onUI(func() {
			pg.printing = false
			sku := map[string]any{"SKU": e.Product.SKU, "File": saved}
			switch {
			case err != nil:
				pg.note.say(labelFailure(err, lang.L("The shelf label was not printed: {{.Detail}}", map[string]any{"Detail": err.Error()})), widget.DangerImportance)
			case saved != "":
				pg.note.say(lang.L("No label printer (labels.printer): {{.SKU}}'s shelf label is saved as {{.File}}", sku), widget.SuccessImportance)
			default:
				pg.note.say(lang.L("{{.SKU}}'s shelf label is printing.", sku), widget.SuccessImportance)
			}
		})
	})
}

// printChanged prints the labels of every product whose price changed since the day typed (today when
// none), away from the UI goroutine, and says how many and where they went.
func (pg *productsPage) printChanged() {
	if pg.labels == nil || pg.printing {
		return
	}
	since := pg.office.now()
	if text := strings.TrimSpace(pg.since.Text); text != "" {
		day, err := time.ParseInLocation(time.DateOnly, text, time.Local)
		if err != nil {
			pg.note.say(lang.L("Type the day as YYYY-MM-DD, e.g. {{.Today}}.", map[string]any{"Today": since.Format(time.DateOnly)}), widget.WarningImportance)
			return
		}
		since = day
	}
	pg.printing = true
	pg.office.background(func() {
		n, saved, err := pg.labels.PrintChanged(since)
		onUI(func() {
			pg.printing = false
			args := map[string]any{"Count": n, "Day": since.Format(time.DateOnly), "File": saved}
			switch {
			case err != nil:
				pg.note.say(labelFailure(err, lang.L("The shelf labels were not printed: {{.Detail}}", map[string]any{"Detail": err.Error()})), widget.DangerImportance)
			case n == 0:
				pg.note.say(lang.L("No price has changed since {{.Day}}.", args), widget.MediumImportance)
			case saved != "":
				pg.note.say(lang.L("No label printer (labels.printer): {{.Count}} shelf labels for the prices changed since {{.Day}} are saved as {{.File}}", args), widget.SuccessImportance)
			default:
				pg.note.say(lang.L("{{.Count}} shelf labels for the prices changed since {{.Day}} are printing.", args), widget.SuccessImportance)
			}
		})
	})
}

// scanned finds the product a scanned code is on and opens it, or offers a new product with that code.
func (pg *productsPage) scanned(code string) {
	p, err := pg.stock.FindProduct(context.Background(), code)
	if err == nil {
		pg.openProduct(p.ID)
		return
	}
	if app.ErrorCode(err) == app.ErrUnknownBarcode.Code {
		pg.open(app.ProductForm{Unit: string(app.UnitPiece), Active: true, Barcodes: []string{strings.TrimSpace(code)}})
		return
	}
	pg.note.fail(err)
}

// create opens the editor on a new product.
func (pg *productsPage) create() { pg.open(app.ProductForm{Unit: string(app.UnitPiece), Active: true}) }

func (pg *productsPage) edit(i int) {
	if i < 0 || i >= len(pg.items) {
		return
	}
	pg.openProduct(pg.items[i].ID)
}

func (pg *productsPage) openProduct(id int64) {
	e, err := pg.stock.ProductDetail(context.Background(), id)
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.open(app.FormOf(e))
}

// open shows the product editor on form: Enter in any field or Save stores it, Esc closes.
func (pg *productsPage) open(form app.ProductForm) {
	o := pg.office
	set := o.settings
	var d dialog.Dialog
	var save func()
	field := func(placeholder, text string) *KeyEntry {
		e := o.field(placeholder, func() { save() })
		addKeys(e, map[fyne.KeyName]func(){fyne.KeyEscape: func() { d.Hide() }})
		e.SetText(text)
		return e
	}
	sku := field("ABC-001", form.SKU)
	name := field(lang.L("Name in English"), form.Name)
	nameZH := field(lang.L("Name in Chinese"), form.NameZH)
	price := field("0.00", form.Price)
	cost := field("0.00", form.Cost)
	reorder := field(lang.L("0: never low"), form.ReorderPoint)
	codes := field(lang.L("Scan or type; several separated by spaces"), strings.Join(form.Barcodes, " "))
	codes.OnScan = func(code string) { codes.SetText(strings.TrimSpace(codes.Text + " " + code)) }
	categories, _ := pg.stock.Categories(context.Background())
	category := widget.NewSelectEntry(categories)
	category.SetText(form.Category)
	categoryZH := field(lang.L("Category in Chinese"), form.CategoryZH)
	unit := widget.NewSelect(app.UnitChoices, nil) // piece, kg, jin (斤), 100g
	unit.SetSelected(form.Unit)
	tax := widget.NewSelect(set.TaxClasses(), nil)
	tax.SetSelected(form.TaxClass)
	if tax.Selected == "" && len(set.TaxClasses()) > 0 {
		tax.SetSelected(set.TaxClasses()[0])
	}
	active := widget.NewCheck(lang.L("For sale"), nil)
	active.SetChecked(form.Active)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	save = func() {
		f := app.ProductForm{ID: form.ID, SKU: sku.Text, Name: name.Text, NameZH: nameZH.Text, Category: category.Text,
			CategoryZH: categoryZH.Text, Unit: unit.Selected, Price: price.Text, Cost: cost.Text, ReorderPoint: reorder.Text, TaxClass: tax.Selected,
			Barcodes: strings.FieldsFunc(codes.Text, func(r rune) bool { return r == ' ' || r == ',' || r == '|' }), Active: active.Checked}
		p, err := pg.stock.SaveProduct(context.Background(), o.session(), f)
		if err != nil {
			problem.SetText(productMessage(err))
			problem.Show()
			return
		}
		d.Hide()
		pg.note.say(lang.L("Saved {{.SKU}} {{.Name}}.", map[string]any{"SKU": p.SKU, "Name": o.name(p)}), widget.SuccessImportance)
		pg.reload()
	}
	form2 := widget.NewForm(
		widget.NewFormItem(lang.L("SKU"), sku),
		widget.NewFormItem(lang.L("Name"), name),
		widget.NewFormItem(lang.L("Chinese name"), nameZH),
		widget.NewFormItem(lang.L("Barcodes"), codes),
		// The category and its Chinese name share a row: the dialog keeps room for a two-line problem.
		widget.NewFormItem(lang.L("Category"), container.NewGridWithColumns(2, category, categoryZH)),
		widget.NewFormItem(lang.L("Unit"), unit),
		widget.NewFormItem(lang.L("Price"), price),
		widget.NewFormItem(lang.L("Cost"), cost),
		widget.NewFormItem(lang.L("Tax class"), tax),
		widget.NewFormItem(lang.L("Reorder point"), reorder),
		widget.NewFormItem("", active),
	)
	saveButton := widget.NewButtonWithIcon(lang.L("Save")+" (Enter)", theme.DocumentSaveIcon(), save)
	saveButton.Importance = widget.HighImportance
	closeButton := widget.NewButtonWithIcon(lang.L("Close")+" (Esc)", theme.CancelIcon(), func() { d.Hide() })
	title := lang.L("New product")
	if form.ID != 0 {
		title = fmt.Sprintf("%s %s", lang.L("Edit"), form.SKU)
	}
	content := container.NewVBox(form2, problem, container.NewGridWithColumns(2, closeButton, saveButton))
	d = dialog.NewCustomWithoutButtons(title, container.NewGridWrap(fyne.NewSize(620, 560), content), o.win)
	d.SetOnClosed(func() { o.win.Canvas().Focus(pg.query) })
	d.Show()
	if form.SKU == "" {
		o.win.Canvas().Focus(sku)
	} else {
		// Editing is mostly repricing: the price is selected, so typing replaces it.
		o.win.Canvas().Focus(price)
		price.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

// productMessage says why a product was not saved.
func productMessage(err error) string {
	if app.ErrorCode(err) == app.ErrInvalidProduct.Code {
		_, detail, _ := strings.Cut(err.Error(), ": ")
		return lang.L("Not saved: {{.Detail}}", map[string]any{"Detail": detail})
	}
	return errorMessage(err)
}

// labelFailure is what the page says when labels did not print: other, unless the label printer took
// nothing in the time allowed (app.ErrPrinterOffline), which says what to look at.
func labelFailure(err error, other string) string {
	if errors.Is(err, app.ErrPrinterOffline) {
		return lang.L("The label printer takes nothing: is it switched on, connected and loaded with labels? {{.Detail}}",
			map[string]any{"Detail": err.Error()})
	}
	return other
}
