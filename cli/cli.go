// Package cli is the checkout command line: its flags, and the commands for owners, scripts and support.
// With no command it starts the till (till.Run). Every command is a row of one table (commands.go), from
// which checkout -h and README's command list are made; each group of commands is a file of its own.
// Commands reach the database only through till, which opens it with the till's keys (till.OpenStore):
// cli imports neither store nor database/sql.
package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"checkout/app"
	"checkout/assets"
	"checkout/till"
)

// Program is the checkout binary as main hands it over: its packaging metadata, Fyne's driver, and the
// standard streams.
type Program struct {
	// Metadata is FyneApp.toml, which the fyne packaging tool reads too: the one place the version and the
	// app's ID are kept. VersionTag, the release's git tag set at link time, overrides its version.
	Metadata   string
	VersionTag string
	// NewApp makes the Fyne app with an ID (fyneapp.NewWithID). Fyne's driver needs cgo: main passes it
	// in, so that everything else builds without cgo.
	NewApp func(id string) fyne.App
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// version is the release's tag, else FyneApp.toml's version.
func (p Program) version() string { return cmp.Or(p.VersionTag, metadataValue(p.Metadata, "Version")) }

// metadataValue returns the quoted value of key in FyneApp.toml's simple `Key = "value"` lines.
func metadataValue(toml, key string) string {
	for _, line := range strings.Split(toml, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			return strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return "unknown"
}

// call is one command as it was called: its name and arguments, what the flags set, and the program
// with its streams.
type call struct {
	name   string
	args   []string
	cfg    till.Config
	flags  *flag.FlagSet
	prog   Program
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// withStore runs f with the till's database open, and closes it after.
func withStore(f func(ctx context.Context, st *till.Store, c *call) error) func(context.Context, *call) error {
	return func(ctx context.Context, c *call) error {
		st, err := till.OpenStore(ctx, c.cfg.DBPath)
		if err != nil {
			return err
		}
		defer st.Close()
		st.Version = c.cfg.Version
		return f(ctx, st, c)
	}
}

// Run runs the command line args (the program's name left out) and returns the exit status: 0, 1 when a
// command failed, 2 when the command line is wrong.
func (p Program) Run(args []string) int {
	fs := flag.NewFlagSet("checkout", flag.ContinueOnError)
	fs.SetOutput(p.Stderr)
	defaultDB, err := till.DefaultDBPath()
	if err != nil {
		defaultDB = "checkout.db"
	}
	cfg := till.Config{Version: p.version()}
	var language string
	fs.StringVar(&cfg.DBPath, "db", defaultDB, "database `file`")
	fs.StringVar(&language, "lang", "", "user interface `language`: en or zh-Hans (default: the system's)")
	fs.BoolVar(&cfg.Demo, "demo", false, "load the demo catalog at start even if the catalog is not empty; a simulated scale when none is set")
	fs.BoolVar(&cfg.Kiosk, "kiosk", false, "a dedicated till: the sale screen and customer display full screen")
	fs.StringVar(&cfg.Scanners, "scanner", "", "serial scanner `ports`, comma-separated (default: the scanner.ports setting, else USB scanners found)")
	fs.Usage = func() {
		writeUsage(fs.Output())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := setLanguage(language); err != nil {
		fmt.Fprintln(p.Stderr, "checkout:", err)
		return 2
	}
	name, rest := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	cmd, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(p.Stderr, "checkout: unknown command %q (checkout -h lists them)\n", name)
		return 2
	}
	c := &call{name: name, args: rest, cfg: cfg, flags: fs, prog: p, stdin: p.Stdin, stdout: p.Stdout, stderr: p.Stderr}
	if err := cmd.run(context.Background(), c); err != nil {
		fmt.Fprintln(p.Stderr, "checkout:", err)
		return 1
	}
	return 0
}

// startTill is checkout with no command: the till's windows.
func startTill(ctx context.Context, c *call) error {
	if err := checkDisplay(os.Getenv); err != nil {
		return err
	}
	id := metadataValue(c.prog.Metadata, "ID") // Fyne keys the app's preferences and storage on it
	return till.Run(ctx, c.cfg, func() fyne.App { return c.prog.NewApp(id) })
}

// setLanguage makes Fyne's translations and the locale follow -lang. Fyne reads the locale from the
// environment, so the flag sets it before the translations load. The locale is a real one (zh_CN, not
// zh_Hans): Fyne picks the system font for the locale's script by it, the bold face for bold text, where
// glyph by glyph it would take the regular face.
func setLanguage(language string) error {
	locales := map[string]string{"en": "en_US.UTF-8", "zh-Hans": "zh_CN.UTF-8"}
	switch language {
	case "":
	case "en", "zh-Hans":
		os.Setenv("LANGUAGE", language)
		os.Setenv("LC_ALL", locales[language])
	default:
		return fmt.Errorf("-lang %q: en or zh-Hans", language)
	}
	return lang.AddTranslationsFS(assets.Translations, "translations")
}

// cliSession is who a command acts as: the operating-system user, with the owner's rights, because
// whoever can run commands on the till's computer can open its database anyway (app.SystemSession).
func cliSession() *app.Session {
	name := os.Getenv("USER")
	if name == "" {
		name = os.Getenv("USERNAME") // Windows
	}
	return app.SystemSession(name)
}
