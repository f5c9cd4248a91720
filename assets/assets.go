// Package assets embeds the files the till ships with: its icon, the translations and the demo catalog.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// Translations holds translations/en.json and translations/zh-Hans.json, keyed by the English text.
//
//go:embed translations/*.json
var Translations embed.FS

// DemoCatalog is a corner shop's catalog as CSV (see app.ReadCatalogCSV), loaded on first run.
//
//go:embed demo/catalog.csv
var DemoCatalog []byte
