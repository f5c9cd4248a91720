package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"checkout/app"
)

// A headline figure says its change against last week with an arrow, green when it is good for the shop
// (more revenue) and red when it is not (more refunds, less revenue).
func TestKPITileSaysTheChange(t *testing.T) {
	newHarness(t) // the widgets need Fyne's test app
	for _, tt := range []struct {
		upIsGood   bool
		now, then  int64
		text       string
		importance widget.Importance
	}{
		{true, 1125, 1000, "▲ +12.50% vs last week", widget.SuccessImportance},
		{true, 800, 1000, "▼ −20.00% vs last week", widget.DangerImportance},
		{false, 1500, 1000, "▲ +50.00% vs last week", widget.DangerImportance},
		{false, 500, 1000, "▼ −50.00% vs last week", widget.SuccessImportance},
		{true, 1000, 1000, "= no change", widget.MediumImportance},
		{true, 1000, 0, "none last week", widget.MediumImportance},
		// A margin below zero last week that rose: up, by its size, not "−150%".
		{true, 500, -1000, "▲ +150.00% vs last week", widget.SuccessImportance},
	} {
		tile := newKPITile("Revenue", tt.upIsGood)
		c := app.NewChange(tt.now, tt.then)
		tile.set("¥11.25", "", &c, app.Versus{Than: "vs last week", None: "none last week"})
		if tile.change.Text != tt.text || tile.change.Importance != tt.importance {
			t.Errorf("%d against %d (up is good: %v): %q %v, want %q %v", tt.now, tt.then, tt.upIsGood,
				tile.change.Text, tile.change.Importance, tt.text, tt.importance)
		}
	}
}
