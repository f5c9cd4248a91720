package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// scaleWeighing takes a weighed product's weight from the counter scale, at a till that has one
// (Options.Scale): its dialog shows the live weight and why it cannot be taken yet (moving, zero, below
// zero, over capacity, or the goods weighed last still on it), and adds the product with the first
// stable weight the scale sends. There is nothing to type: the scale decides. Esc leaves with nothing
// added.
type scaleWeighing struct {
	sh       *shell
	co       *app.Checkout
	sale     saleView
	language string
	simulate func() // puts a demo load on the simulated scale (Options.SimulateWeighing); nil with a real one
	// tare and zero tell the scale to tare or zero (Options.ScaleTare, ScaleZero); nil when it cannot.
	tare, zero func() error
	state      string // the scale's connection state (DeviceConnected, …); "" until it reports
	view       *weighView
	// sold is the weight the last weighing sold. While unmoved, the scale has shown nothing else since:
	// the same stable weight is the goods just sold still lying there, not the next ones.
	sold    int64
	unmoved bool
}

// weighView is the open weighing dialog.
type weighView struct {
	product       app.Product
	live, problem *widget.Label
	dialog        dialog.Dialog
}

// weigh opens the dialog for p and waits for the scale.
func (w *scaleWeighing) weigh(p app.Product) {
	if w.sh.busy() {
		return
	}
	v := &weighView{product: p, live: widget.NewLabel(""), problem: widget.NewLabel("")}
	v.live.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	v.problem.Importance = widget.WarningImportance
	v.problem.Wrapping = fyne.TextWrapWord
	keys := newHotkeys(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			v.dialog.Hide()
		}
	})
	tare := func() { w.command(w.tare, lang.L("The scale was asked to tare.")) }
	zero := func() { w.command(w.zero, lang.L("The scale was asked to zero.")) }
	keys.onRune = func(r rune) {
		switch r {
		case 't', 'T':
			tare()
		case 'z', 'Z':
			zero()
		}
	}
	// Buttons for touch, each named with its key; tare and zero only where the scale has them.
	buttons := container.NewHBox(touchSized(widget.NewButton(lang.L("Cancel")+" (Esc)", func() { v.dialog.Hide() })))
	if w.tare != nil {
		buttons.Add(touchSized(widget.NewButton(lang.L("Tare")+" (T)", tare)))
	}
	if w.zero != nil {
		buttons.Add(touchSized(widget.NewButton(lang.L("Set to zero")+" (Z)", zero)))
	}
	prompt := lang.L("Put {{.Name}} on the scale", map[string]any{"Name": p.DisplayName(w.language)})
	content := container.NewVBox(widget.NewLabel(prompt), v.live, v.problem, buttons, keys)
	v.dialog = w.sh.open(lang.L("Weight"), container.NewGridWrap(fyne.NewSize(440, content.MinSize().Height+40), content), keys)
	w.view = v
	v.live.SetText("—")
	w.showState()
	if w.simulate != nil {
		w.simulate()
	}
}

// command sends the scale a tare or zero (send nil: it has none) and says so in the open dialog.
func (w *scaleWeighing) command(send func() error, done string) {
	v := w.view
	if send == nil || v == nil {
		return
	}
	if err := send(); err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.problem.SetText(done)
}

// showState says what the scale's connection is, while it is not connected.
func (w *scaleWeighing) showState() {
	v := w.view
	switch {
	case v == nil:
	case w.state != "" && w.state != DeviceConnected:
		v.problem.SetText(lang.L("The scale is {{.State}}.", map[string]any{"State": stateText(w.state)}))
	case v.live.Text == "—":
		v.problem.SetText(lang.L("Waiting for the scale…"))
	}
}

// setState records the scale's connection state and shows it in the open dialog.
func (w *scaleWeighing) setState(state string) {
	w.state = state
	if w.view != nil && w.sh.showing(w.view.dialog) {
		w.showState()
	}
}

// reading shows what the scale sends in the open dialog; the first stable weight that can be sold adds
// the product and closes it. Readings while no weighing dialog is open change nothing.
func (w *scaleWeighing) reading(r app.ScaleReading) {
	if w.unmoved && (!r.Stable || !r.Weighed || r.Grams != w.sold) {
		w.unmoved = false
	}
	v := w.view
	if v == nil || !w.sh.showing(v.dialog) {
		w.view = nil
		return
	}
	v.live.SetText(liveWeight(r, v.product))
	q, err := r.Sellable()
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	if w.unmoved {
		v.problem.SetText(lang.L("The scale still shows the goods weighed last: take them off first."))
		return
	}
	added, err := w.co.AddProduct(v.product, q)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	w.view = nil
	w.sold, w.unmoved = r.Grams, true
	v.dialog.Hide()
	w.sale.selectLine(added.Line)
	w.sale.say(v.product.DisplayName(w.language)+" "+quantityText(app.Line{Product: v.product, Qty: app.Grams(r.Grams)}), widget.MediumImportance)
}

// liveWeight is the scale's display as the dialog shows it: the weight in the unit p is priced in (kg,
// 斤, g), or what stands for it.
func liveWeight(r app.ScaleReading, p app.Product) string {
	switch {
	case r.Overload:
		return lang.L("Over capacity")
	case r.Underload:
		return lang.L("Below zero")
	case !r.Weighed:
		return "—"
	}
	sign, g := "", r.Grams
	if g < 0 {
		sign, g = "-", -g
	}
	return sign + quantityText(app.Line{Product: p, Qty: app.Grams(g)})
}
