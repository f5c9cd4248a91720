package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/ui"
)

// At a till with a scale, a banana scanned without a label waits for the scale: the live weight shows
// while it moves, zero, below zero and overload are refused, and the first stable weight is sold.
func TestWeighedProductTakesTheScalesStableWeight(t *testing.T) {
	simulated := 0
	till, _ := newTill(t, func(s *setup) {
		s.opt.Scale = true
		s.opt.SimulateWeighing = func() { simulated++ }
	})
	w := till.Window()
	till.SetScaleState("/dev/ttyUSB0", ui.DeviceConnected)
	till.ScaleReading(app.ScaleReading{Grams: 300, Weighed: true, Stable: true}) // no dialog open: ignored
	scan(w, "2000101000006")
	mustShow(t, w, "Put Banana on the scale", "Waiting for the scale…", "Scale /dev/ttyUSB0: connected")
	if simulated != 1 {
		t.Errorf("the simulated scale was loaded %d times", simulated)
	}
	if shows(w, "Weight of Banana (kg)") {
		t.Fatal("the typed weight dialog opened at a till with a scale")
	}

	for _, step := range []struct {
		r    app.ScaleReading
		says []string
	}{
		{app.ScaleReading{Grams: 812, Weighed: true}, []string{"0.812 kg", "The scale is still moving: wait until it settles."}},
		{app.ScaleReading{Grams: 431, Weighed: true}, []string{"0.431 kg", "still moving"}},
		{app.ScaleReading{Weighed: true, Stable: true}, []string{"0.000 kg", "The scale reads zero: put the goods on it."}},
		{app.ScaleReading{Grams: -15, Weighed: true, Stable: true}, []string{"-0.015 kg", "below zero"}},
		{app.ScaleReading{Overload: true, Stable: true}, []string{"Over capacity", "Too heavy for the scale."}},
		{app.ScaleReading{Underload: true}, []string{"Below zero"}},
		{app.ScaleReading{Stable: true}, []string{"The scale sends no weight yet."}},
		{app.ScaleReading{Grams: 458, Weighed: true}, []string{"0.458 kg", "still moving"}},
	} {
		till.ScaleReading(step.r)
		mustShow(t, w, step.says...)
		if !shows(w, "Put Banana on the scale") || shows(w, "¥6.98/kg") {
			t.Fatalf("after %+v the dialog closed or the banana was sold", step.r)
		}
	}
	till.SetScaleState("/dev/ttyUSB0", ui.DeviceReconnecting)
	mustShow(t, w, "The scale is reconnecting.")
	till.SetScaleState("/dev/ttyUSB0", ui.DeviceConnected)

	till.ScaleReading(app.ScaleReading{Grams: 455, Weighed: true, Stable: true})
	mustShow(t, w, "0.455 kg", "¥6.98/kg", "¥3.18") // 6.98 × 0.455 = 3.1759
	if shows(w, "Put Banana on the scale") {
		t.Fatal("the dialog stayed open after a stable weight")
	}
	// Readings after it change nothing: the banana is on the sale once, at 455 g.
	till.ScaleReading(app.ScaleReading{Grams: 455, Weighed: true, Stable: true})
	mustShow(t, till.Display().Window(), "Banana  × 0.455 kg", "Total ¥3.18")

	// The next banana: the first one still lying on the scale is not sold again…
	scan(w, "2000101000006")
	till.ScaleReading(app.ScaleReading{Grams: 455, Weighed: true, Stable: true})
	mustShow(t, w, "Put Banana on the scale", "The scale still shows the goods weighed last: take them off first.")
	mustShow(t, till.Display().Window(), "Total ¥3.18")
	// …but once the load has moved, the same weight is a new one.
	till.ScaleReading(app.ScaleReading{Grams: 610, Weighed: true})
	till.ScaleReading(app.ScaleReading{Grams: 455, Weighed: true, Stable: true})
	mustShow(t, till.Display().Window(), "Total ¥6.36")
}

// T and Z in the weighing dialog tare and zero a scale whose protocol can; one that cannot shows no such keys.
func TestWeighingTaresAndZeroes(t *testing.T) {
	var sent []string
	till, _ := newTill(t, func(s *setup) {
		s.opt.Scale = true
		s.opt.ScaleTare = func() error { sent = append(sent, "tare"); return nil }
		s.opt.ScaleZero = func() error { sent = append(sent, "zero"); return nil }
	})
	w := till.Window()
	scan(w, "2000101000006")
	mustShow(t, w, "Cancel (Esc)", "Tare (T)", "Set to zero (Z)")
	typeIn(w, "t")
	mustShow(t, w, "The scale was asked to tare.")
	typeIn(w, "Z")
	mustShow(t, w, "The scale was asked to zero.")
	test.Tap(findButton(t, w, "Tare (T)")) // by touch
	if len(sent) != 3 || sent[0] != "tare" || sent[1] != "zero" || sent[2] != "tare" {
		t.Fatalf("sent %v", sent)
	}
	test.Tap(findButton(t, w, "Cancel (Esc)"))
	if shows(w, "Put Banana on the scale") {
		t.Fatal("Cancel left the weighing open")
	}

	plain, _ := newTill(t, func(s *setup) { s.opt.Scale = true })
	scan(plain.Window(), "2000101000006")
	typeIn(plain.Window(), "t")
	if shows(plain.Window(), "Tare (T)") || shows(plain.Window(), "asked to tare") {
		t.Fatal("a scale without a tare command offers one")
	}
}

// Esc leaves the weighing with nothing added, and a stable weight after it sells nothing.
func TestWeighingCancelled(t *testing.T) {
	till, _ := newTill(t, func(s *setup) { s.opt.Scale = true })
	w := till.Window()
	scan(w, "2000101000006")
	mustShow(t, w, "Put Banana on the scale")
	press(w, fyne.KeyEscape)
	till.ScaleReading(app.ScaleReading{Grams: 455, Weighed: true, Stable: true})
	mustShow(t, w, "¥0.00")
	if shows(w, "0.455 kg") {
		t.Fatal("a weighing cancelled with Esc sold the banana")
	}
	// A label still carries its own weight, scale or no scale.
	scan(w, "2000101007500") // 0.750 kg
	mustShow(t, w, "0.750 kg")
}

// A product priced per 斤 shows its weight on the scale in 斤, as its line will.
func TestScaleShowsTheWeightInThePriceUnit(t *testing.T) {
	till, st := newTill(t, func(s *setup) { s.opt.Scale = true })
	apple := app.Product{SKU: "PRO-009", Name: "Fuji apple", NameZH: "红富士苹果", Price: cny(499), Unit: app.UnitKg,
		PriceUnit: app.PerJin, TaxClass: "reduced", Active: true}
	if _, err := st.AddProducts(context.Background(), []app.CatalogEntry{{Product: apple, Barcodes: []string{"2000109000008"}}}); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	till.SetScaleState("/dev/ttyUSB0", ui.DeviceConnected)
	scan(w, "2000109000008")
	till.ScaleReading(app.ScaleReading{Grams: 577, Weighed: true})
	mustShow(t, w, "1.154 jin", "still moving")
	till.ScaleReading(app.ScaleReading{Grams: 529, Weighed: true, Stable: true})
	mustShow(t, w, "Fuji apple 1.058 jin", "¥4.99/jin", "¥5.28") // 4.99 × 1.058 = 5.27942
}
