package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tillTheme is Fyne's theme with every colour text is drawn in readable at arm's length: a contrast of at
// least 4.5:1 (WCAG AA) against the window's, the fields' and the dialogs' backgrounds, in the dark and
// the light variant. Fyne draws low-importance labels (hints, the status bar, the VAT breakdown) in its
// "disabled" colour, about 1.5:1 on the dark background; a till's hints must be read, not guessed.
type tillTheme struct{ fyne.Theme }

// readable are the colours tillTheme replaces, by variant.
var readable = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantDark: {
		theme.ColorNameDisabled: color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff},
		theme.ColorNameError:    color.NRGBA{R: 0xff, G: 0x66, B: 0x59, A: 0xff},
		// A lighter blue for text on the dark background, so the Pay button's label is dark on it.
		theme.ColorNamePrimary:             color.NRGBA{R: 0x3d, G: 0x8b, B: 0xff, A: 0xff},
		theme.ColorNameForegroundOnPrimary: color.NRGBA{R: 0x10, G: 0x10, B: 0x12, A: 0xff},
	},
	theme.VariantLight: {
		theme.ColorNameDisabled:    color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		theme.ColorNameError:       color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0x9c, G: 0x45, B: 0x00, A: 0xff},
		theme.ColorNamePrimary:     color.NRGBA{R: 0x15, G: 0x65, B: 0xc0, A: 0xff},
	},
}

func (t tillTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	if c, ok := readable[variant][name]; ok {
		return c
	}
	return t.Theme.Color(name, variant)
}
