// Command checkout is a shop's till: the sale screen and customer display when run without a command, and
// commands for owners, scripts and support (checkout -h lists them). It hands over to package cli; what
// stays here is what Fyne's packaging and the linker need: FyneApp.toml embedded, the version tag, and
// Fyne's driver, the one import that needs cgo.
package main

import (
	_ "embed"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"checkout/cli"
)

// fyneAppTOML is the app's metadata, which the fyne packaging tool reads too: the one place the version
// and the app's ID are kept.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// versionTag is the release's git tag, set at link time by the Makefile (-X main.versionTag=1.2.3); a build
// without it reports FyneApp.toml's version.
var versionTag string

func main() { os.Exit(program().Run(os.Args[1:])) }

// program is the checkout binary: this build's metadata, Fyne's driver and the process's streams.
func program() cli.Program {
	return cli.Program{Metadata: fyneAppTOML, VersionTag: versionTag, NewApp: fyneapp.NewWithID,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}
