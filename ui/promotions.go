package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/promo"
)

// promotionsPage lists the shop's promotions and adds new ones: the kind chosen, only the fields that
// kind uses are shown. A promotion is turned off and on by its number (F9); to change one, the owner
// turns it off and adds its successor, so what each sale applied stays as it was.
type promotionsPage struct {
	office  *BackOffice
	desk    app.PromotionService
	content fyne.CanvasObject
	list    *widget.Label
	note    notice

	number *KeyEntry // the promotion F9 turns off or on
	kind   *widget.Select
	kinds  []promo.Kind
	fields map[string]*promoField
	all    *widget.Check
	active *widget.Check
	days   [7]*widget.Check
	shown  []app.Promotion
	// The service runs in the background: save and toggle are their buttons, disabled while theirs
	// runs (F12 and F9 are refused then too), and listed counts the lists asked for, so an older list
	// that arrives late is dropped.
	saveButton, toggleButton *widget.Button
	saving, toggling         bool
	listed                   int
}

// promoField is one labelled entry of the form, hidden for the kinds that do not use it.
type promoField struct {
	entry *KeyEntry
	row   *fyne.Container
}

// promoKinds are the kinds the page offers, in the order an owner meets them, with what each uses.
var promoKinds = []struct {
	kind   promo.Kind
	fields []string
}{
	{promo.PercentOff, []string{"products", "category", "percent"}},
	{promo.AmountOff, []string{"products", "category", "amount"}},
	{promo.FixedPrice, []string{"products", "category", "qty", "price"}},
	{promo.BuyGet, []string{"products", "category", "qty", "free", "percent"}},
	{promo.Bundle, []string{"group1", "group2", "group3", "price"}},
	{promo.BasketSpend, []string{"tiers"}},
	{promo.MemberPrice, []string{"products", "category", "price", "tier"}},
}

// kindLabel names a kind of promotion in the UI language.
func kindLabel(k promo.Kind) string {
	switch k {
	case promo.PercentOff:
		return lang.L("Percentage off")
	case promo.AmountOff:
		return lang.L("Amount off each")
	case promo.FixedPrice:
		return lang.L("Any N for a price")
	case promo.BuyGet:
		return lang.L("Buy N, get M off")
	case promo.Bundle:
		return lang.L("Bundle (one from each group)")
	case promo.BasketSpend:
		return lang.L("Spend X, save Y")
	case promo.MemberPrice:
		return lang.L("Member price")
	}
	return string(k)
}

// example is a field's placeholder showing what to type.
func example(text string) string { return lang.L("e.g. {{.Example}}", map[string]any{"Example": text}) }

// weekdays are the days' short names in the UI language, Sunday first as time.Weekday counts.
func weekdays() [7]string {
	return [7]string{lang.L("Sun"), lang.L("Mon"), lang.L("Tue"), lang.L("Wed"), lang.L("Thu"), lang.L("Fri"), lang.L("Sat")}
}

func newPromotionsPage(o *BackOffice, desk app.PromotionService) *promotionsPage {
	pg := &promotionsPage{office: o, desk: desk, list: table(), note: newNotice(o), fields: map[string]*promoField{}}
	keys := map[fyne.KeyName]func(){fyne.KeyF12: pg.save, fyne.KeyF9: pg.toggle}
	field := func(name, label, hint string) *promoField {
		e := o.field(hint, pg.save)
		addKeys(e, keys)
		f := &promoField{entry: e, row: container.NewBorder(nil, nil, widget.NewLabel(label), nil, e)}
		pg.fields[name] = f
		return f
	}
	pg.number = o.field(lang.L("Promotion number"), pg.toggle)
	addKeys(pg.number, keys)
	var labels []string
	for _, k := range promoKinds {
		labels = append(labels, kindLabel(k.kind))
		pg.kinds = append(pg.kinds, k.kind)
	}
	pg.kind = widget.NewSelect(labels, func(string) { pg.showFields() })
	rows := []fyne.CanvasObject{
		field("name", lang.L("Name"), lang.L("e.g. Second cola half price")).row,
		field("name_zh", lang.L("Chinese name"), "例如 可乐第二件半价").row,
		field("products", lang.L("Products"), lang.L("Barcodes or SKUs, separated by commas")).row,
		field("category", lang.L("Category"), lang.L("A category, e.g. drinks")).row,
		field("group1", lang.L("Group 1"), lang.L("Barcodes or SKUs, separated by commas")).row,
		field("group2", lang.L("Group 2"), lang.L("Barcodes or SKUs, separated by commas")).row,
		field("group3", lang.L("Group 3"), lang.L("Barcodes or SKUs (empty: two groups)")).row,
		field("percent", lang.L("Percent off"), example("50%")).row,
		field("amount", lang.L("Amount off"), example("1.00")).row,
		field("qty", lang.L("Quantity (N)"), example("3")).row,
		field("free", lang.L("Discounted (M)"), example("1")).row,
		field("price", lang.L("Price"), example("10.00")).row,
		field("tiers", lang.L("Spend:save"), example("100:10, 200:25")).row,
		field("tier", lang.L("Member tier (empty: every member)"), "").row,
		field("coupon", lang.L("Coupon code (empty: none needed)"), "").row,
		field("coupon_limit", lang.L("Coupon uses in all"), lang.L("empty: no limit")).row,
		field("coupon_till", lang.L("Coupon uses at this till"), lang.L("empty: the uses in all")).row,
		field("start", lang.L("From (time)"), lang.L("HH:MM (empty: all day)")).row,
		field("end", lang.L("Until (time)"), "HH:MM").row,
		field("from", lang.L("First day"), lang.L("YYYY-MM-DD (empty: from today)")).row,
		field("to", lang.L("Last day"), lang.L("YYYY-MM-DD (empty: no end)")).row,
	}
	pg.all = widget.NewCheck(lang.L("Every product"), nil)
	pg.active = widget.NewCheck(lang.L("On"), nil)
	pg.active.SetChecked(true)
	dayRow := container.NewHBox(widget.NewLabel(lang.L("Days (none: every day)")))
	for d, name := range weekdays() {
		pg.days[d] = widget.NewCheck(name, nil)
		dayRow.Add(pg.days[d])
	}
	save := widget.NewButtonWithIcon(lang.L("Save")+" (F12)", theme.DocumentSaveIcon(), pg.save)
	save.Importance = widget.HighImportance
	toggle := widget.NewButtonWithIcon(lang.L("On / off")+" (F9)", theme.VisibilityIcon(), pg.toggle)
	pg.saveButton, pg.toggleButton = save, toggle
	form := container.NewVBox(append([]fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewLabel(lang.L("Kind")), nil, pg.kind)},
		append(rows, container.NewHBox(pg.all, pg.active), dayRow, touchSized(save))...)...)
	top := container.NewVBox(pg.note, container.NewBorder(nil, nil, nil, touchSized(toggle), pg.number))
	split := container.NewHSplit(container.NewVScroll(pg.list), container.NewVScroll(form))
	split.Offset = 0.45
	pg.content = container.NewBorder(top, nil, nil, nil, split)
	pg.kind.SetSelectedIndex(0)
	return pg
}

// opened lists the promotions when the page comes up.
func (pg *promotionsPage) opened() fyne.Focusable {
	pg.reload()
	return pg.fields["name"].entry
}

// showFields shows the fields the chosen kind uses, and hides the rest.
func (pg *promotionsPage) showFields() {
	used := map[string]bool{"name": true, "name_zh": true, "coupon": true, "coupon_limit": true, "coupon_till": true, "start": true, "end": true, "from": true, "to": true}
	i := pg.kind.SelectedIndex()
	if i < 0 {
		return
	}
	for _, f := range promoKinds[i].fields {
		used[f] = true
	}
	for name, f := range pg.fields {
		if used[name] {
			f.row.Show()
		} else {
			f.row.Hide()
		}
	}
	if used["products"] {
		pg.all.Show()
	} else {
		pg.all.Hide()
	}
}

// reload lists the promotions in the background.
func (pg *promotionsPage) reload() {
	pg.listed++
	gen, desk := pg.listed, pg.desk
	pg.office.background(func() {
		ps, err := desk.Promotions(context.Background())
		onUI(func() {
			if gen != pg.listed {
				return // a newer list is on its way
			}
			if err != nil {
				pg.note.fail(err)
				return
			}
			pg.show(ps)
			if len(ps) == 0 {
				pg.note.say(lang.L("No promotions yet: choose a kind, fill in the fields and save (F12)."), widget.MediumImportance)
			}
		})
	})
}

// show lists ps, the ones on first.
func (pg *promotionsPage) show(ps []app.Promotion) {
	pg.shown = ps
	var b strings.Builder
	fmt.Fprintf(&b, "%6s %s %s %s\n", lang.L("No."), column(lang.L("State"), 5), column(lang.L("Kind"), 22), lang.L("Name"))
	for _, on := range []bool{true, false} {
		for _, p := range ps {
			if p.Active != on {
				continue
			}
			state := lang.L("on")
			if !on {
				state = lang.L("off")
			}
			r := p.Rule
			fmt.Fprintf(&b, "%6d %s %s %s", r.ID, column(state, 5), column(kindLabel(r.Kind), 22), app.InLanguage(pg.office.language, r.Name, r.NameZH))
			if r.Coupon != "" {
				b.WriteString("  [" + r.Coupon + "]")
			}
			b.WriteString("\n")
		}
	}
	pg.list.SetText(b.String())
}

// form is the page's fields as app.PromotionForm reads them, copied as typed: which of them count for
// the kind chosen is the form's to decide.
func (pg *promotionsPage) form() app.PromotionForm {
	v := func(name string) string { return pg.fields[name].entry.Text }
	f := app.PromotionForm{Name: v("name"), NameZH: v("name_zh"), Products: v("products"), Category: v("category"),
		All: pg.all.Checked, Groups: []string{v("group1"), v("group2"), v("group3")},
		Percent: v("percent"), Amount: v("amount"), Price: v("price"), Qty: v("qty"),
		Free: v("free"), Tiers: v("tiers"), MemberTier: v("tier"), Coupon: v("coupon"),
		CouponLimit: v("coupon_limit"), CouponTillLimit: v("coupon_till"), Start: v("start"), End: v("end"),
		From: v("from"), To: v("to"), Active: pg.active.Checked}
	if i := pg.kind.SelectedIndex(); i >= 0 {
		f.Kind = pg.kinds[i]
	}
	for d, c := range pg.days {
		f.Days[d] = c.Checked
	}
	return f
}

// save adds the promotion the form describes, in the background (the below-cost check reads the
// products it takes), then says what was saved, warning of the products it sells below cost.
func (pg *promotionsPage) save() {
	if pg.saving {
		return // one save at a time: F12 twice is one promotion
	}
	f, by := pg.form(), pg.office.session()
	var p app.Promotion
	var low []app.BelowCost
	pg.change(&pg.saving, pg.saveButton, func(desk app.PromotionService) (err error) {
		p, low, err = desk.Save(context.Background(), by, f)
		return err
	}, func() { pg.saved(p, low) })
}

// saved says promotion p is saved, warning of the products in low it sells below cost.
func (pg *promotionsPage) saved(p app.Promotion, low []app.BelowCost) {
	name := app.InLanguage(pg.office.language, p.Rule.Name, p.Rule.NameZH)
	if len(low) == 0 {
		pg.note.say(lang.L("Promotion {{.Number}} saved: {{.Name}}. Sales from now on apply it.",
			map[string]any{"Number": p.Rule.ID, "Name": name}), widget.SuccessImportance)
		return
	}
	var skus []string
	for _, b := range low {
		skus = append(skus, b.Product.SKU+" "+pg.office.name(b.Product))
	}
	pg.note.say(lang.L("Promotion {{.Number}} saved, but it sells {{.Count}} products below cost: {{.Products}}",
		map[string]any{"Number": p.Rule.ID, "Count": len(low), "Products": strings.Join(skus, ", ")}), widget.WarningImportance)
}

// toggle turns the promotion whose number is typed off, or on again, in the background.
func (pg *promotionsPage) toggle() {
	if pg.toggling {
		return
	}
	id, err := strconv.ParseInt(strings.TrimSpace(pg.number.Text), 10, 64)
	if err != nil {
		pg.note.say(lang.L("Type the number of the promotion to turn off or on."), widget.WarningImportance)
		pg.office.win.Canvas().Focus(pg.number)
		return
	}
	i := slices.IndexFunc(pg.shown, func(p app.Promotion) bool { return p.Rule.ID == id })
	if i < 0 {
		pg.note.say(lang.L("No promotion has the number {{.Number}}.", map[string]any{"Number": id}), widget.WarningImportance)
		return
	}
	on, by := !pg.shown[i].Active, pg.office.session()
	pg.change(&pg.toggling, pg.toggleButton, func(desk app.PromotionService) error {
		return desk.SetActive(context.Background(), by, id, on)
	}, func() {
		msg := lang.L("Promotion {{.Number}} is off.", map[string]any{"Number": id})
		if on {
			msg = lang.L("Promotion {{.Number}} is on.", map[string]any{"Number": id})
		}
		pg.note.say(msg, widget.SuccessImportance)
		if strings.TrimSpace(pg.number.Text) == strconv.FormatInt(id, 10) {
			pg.number.SetText("") // unless the owner has typed the next one meanwhile
		}
	})
}

// change runs do, a change through the promotions service, in the background with button disabled and
// *busy set until it is done, and reads the list the change left in the same job. Back on the UI
// goroutine it shows the error, or the list and then done; when another read was asked for meanwhile
// (which may have read the list before this change) it reads the list again.
func (pg *promotionsPage) change(busy *bool, button *widget.Button, do func(app.PromotionService) error, done func()) {
	*busy = true
	button.Disable()
	pg.listed++ // a list asked for before is older than the one this change reads
	gen, desk := pg.listed, pg.desk
	pg.office.background(func() {
		err := do(desk)
		var ps []app.Promotion
		var listErr error
		if err == nil {
			ps, listErr = desk.Promotions(context.Background())
		}
		onUI(func() {
			*busy = false
			button.Enable()
			if err != nil {
				pg.note.fail(err)
				return
			}
			switch {
			case gen != pg.listed:
				// Another read began meanwhile, maybe before this change was made: read once more.
				defer pg.reload()
			case listErr == nil:
				pg.show(ps)
			}
			done() // the change is made: that is the news, even if the list could not be read again
		})
	})
}
