package ui

import (
	"context"
	"fmt"
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

// reload lists the promotions, the ones on first.
func (pg *promotionsPage) reload() {
	ps, err := pg.desk.Promotions(context.Background())
	if err != nil {
		pg.note.fail(err)
		return
	}
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
	if len(ps) == 0 {
		pg.note.say(lang.L("No promotions yet: choose a kind, fill in the fields and save (F12)."), widget.MediumImportance)
	}
}

// form is the page's fields as app.PromotionForm reads them.
func (pg *promotionsPage) form() app.PromotionForm {
	v := func(name string) string { return pg.fields[name].entry.Text }
	f := app.PromotionForm{Name: v("name"), NameZH: v("name_zh"), Products: v("products"), Category: v("category"),
		All: pg.all.Checked && pg.all.Visible(), Percent: v("percent"), Amount: v("amount"), Price: v("price"), Qty: v("qty"),
		Free: v("free"), Tiers: v("tiers"), MemberTier: v("tier"), Coupon: v("coupon"),
		CouponLimit: v("coupon_limit"), CouponTillLimit: v("coupon_till"), Start: v("start"), End: v("end"),
		From: v("from"), To: v("to"), Active: pg.active.Checked}
	if i := pg.kind.SelectedIndex(); i >= 0 {
		f.Kind = pg.kinds[i]
	}
	if f.Kind == promo.Bundle {
		f.Products, f.Category, f.Groups = "", "", []string{v("group1"), v("group2"), v("group3")}
	}
	if f.Kind == promo.BasketSpend {
		f.All = true // a basket rule counts the whole basket
	}
	for d, c := range pg.days {
		f.Days[d] = c.Checked
	}
	return f
}

// save adds the promotion the form describes, warning of the products it sells below cost.
func (pg *promotionsPage) save() {
	p, low, err := pg.desk.Save(context.Background(), pg.office.session(), pg.form())
	if err != nil {
		pg.note.fail(err)
		return
	}
	pg.reload()
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

// toggle turns the promotion whose number is typed off, or on again.
func (pg *promotionsPage) toggle() {
	id, err := strconv.ParseInt(strings.TrimSpace(pg.number.Text), 10, 64)
	if err != nil {
		pg.note.say(lang.L("Type the number of the promotion to turn off or on."), widget.WarningImportance)
		pg.office.win.Canvas().Focus(pg.number)
		return
	}
	for _, p := range pg.shown {
		if p.Rule.ID != id {
			continue
		}
		if err := pg.desk.SetActive(context.Background(), pg.office.session(), id, !p.Active); err != nil {
			pg.note.fail(err)
			return
		}
		pg.reload()
		msg := lang.L("Promotion {{.Number}} is on.", map[string]any{"Number": id})
		if p.Active {
			msg = lang.L("Promotion {{.Number}} is off.", map[string]any{"Number": id})
		}
		pg.note.say(msg, widget.SuccessImportance)
		pg.number.SetText("")
		return
	}
	pg.note.say(lang.L("No promotion has the number {{.Number}}.", map[string]any{"Number": id}), widget.WarningImportance)
}
