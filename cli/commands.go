package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// command is one of the command line's commands: its name, its usage (the arguments it takes and what
// it does, as checkout -h and README's command list show them) and what runs it.
type command struct {
	name string
	args string
	help string // lines wrapped by hand at about 100 columns; "": not listed on its own
	run  func(ctx context.Context, c *call) error
}

// commands are every command, in the order checkout -h lists them. "" (no command) starts the till;
// help prints the usage; cash-out is listed with cash-in.
func commands() []command {
	return []command{
		{name: "", run: startTill},
		{name: "version", run: showVersion,
			help: "print the version"},
		{name: "seed-demo", run: withStore(seedDemo),
			help: "add the demo corner-shop catalog (products already there are kept)"},
		{name: "import-catalog", args: "[-apply] FILE", run: withStore(importCatalog),
			help: "check a catalog CSV (UTF-8 or GB18030), listing every bad row; -apply adds the good\n" +
				"rows in batches (products whose SKU is there are kept; run again to resume)"},
		{name: "export-catalog", args: "[FILE]", run: withStore(exportCatalog),
			help: "the catalog as UTF-8 CSV, to FILE or standard output"},
		{name: "promotions", run: withStore(promotionCommand),
			help: "the promotions: id, on or off, kind, name, coupon"},
		{name: "promotion-save", args: "FILE", run: withStore(promotionCommand),
			help: "add or change the promotions a JSON file lists ([{\"Active\": true, \"Rule\": {…}}]; a rule\n" +
				"with an ID changes that one); all are checked before any is saved, and a rule that sells\n" +
				"a product below its cost is saved with a warning naming it"},
		{name: "export-plu", args: "FILE", run: withStore(exportPLU),
			help: "the PLU file of label-printing scales (CSV): each weighed product with a scale code,\n" +
				"its PLU number, name, price per kg, unit as printed and barcode layout; - for stdout"},
		{name: "verify-journal", run: withStore(verifyJournal),
			help: "recompute the journal's hash chain and check every row bound to it; exit 1 naming the\n" +
				"first bad row"},
		{name: "rebuild-reports", run: withStore(rebuildReports),
			help: "recompute the report totals (what reports, X and Z add up per hour) from the sales,\n" +
				"refunds and top-ups, when verify-journal says they differ"},
		{name: "report", args: "[-day YYYY-MM-DD | -from YYYY-MM-DD -to YYYY-MM-DD] [-csv | -pdf FILE]", run: withStore(dayReport),
			help: "a day's figures (default today) beside the same weekday last week, or the days -from\n" +
				"to -to (both included); -csv as CSV, -pdf as a PDF file (needs a Chinese TrueType\n" +
				"font: fonts-droid-fallback, or $CHECKOUT_PDF_FONT)"},
		{name: "export-sales", args: "-from YYYY-MM-DD -to YYYY-MM-DD [FILE]", run: withStore(exportSales),
			help: "one CSV row per sold line of those days (both included), to FILE or standard output"},
		{name: "x-report", run: withStore(xReport),
			help: "the figures since the last Z report, nothing stored"},
		{name: "z-report", run: withStore(zReport),
			help: "close the day: the figures since the last Z report, stored and journaled (Z0001, …)"},
		{name: "shift", run: withStore(shiftCommand),
			help: "the open cashier shift and the cash its drawer should hold"},
		{name: "shift-open", args: "FLOAT", run: withStore(shiftCommand),
			help: "open a shift with FLOAT in the drawer (as $USER)"},
		{name: "cash-in", args: "AMOUNT REASON, cash-out AMOUNT REASON", run: withStore(shiftCommand),
			help: "cash into or out of the drawer; REASON: change, safe_drop, bank_deposit, supplier,\n" +
				"petty_cash, or \"other: …\""},
		{name: "cash-out", run: withStore(shiftCommand)}, // listed with cash-in
		{name: "shift-close", args: "DENOMxCOUNT …", run: withStore(shiftCommand),
			help: "close the shift with the drawer counted, e.g. 100x3 50x1 1x12 0.5x4: prints\n" +
				"expected, counted and over/short"},
		{name: "users", run: withStore(userCommand),
			help: "the staff: name, role, active or locked"},
		{name: "user-add", args: "NAME ROLE", run: withStore(userCommand),
			help: "add a cashier, supervisor or owner; the PIN is read from standard input"},
		{name: "user-set", args: "NAME role ROLE|pin|active|inactive|unlock|two-factor-off", run: withStore(userCommand),
			help: "change a user (pin: the new PIN from standard input)"},
		{name: "autostart", args: "on|off", run: autostart,
			help: "start the till full screen (-kiosk) when this user logs in, or no longer"},
		{name: "simulate", args: "[-sales N] [-rate R] [-seed S]", run: withStore(simulateCommand),
			help: "ring up N random sales (cash, card, QR, prepaid, split; now and then a refund) through\n" +
				"the real checkout, printing a JSON line after each commit; for demos, load and crash tests"},
		{name: "backup", args: "[-encrypt] FILE", run: withStore(backupCommand),
			help: "a consistent copy of the database, taken while the till runs, then checked;\n" +
				"-encrypt seals it with a passphrase read from standard input"},
		{name: "restore", args: "FILE", run: restoreCommand,
			help: "replace the database with a backup once it passes every check (the till must be\n" +
				"closed); the database it replaces is kept beside it"},
		{name: "backup-passphrase", run: withStore(backupPassphrase),
			help: "set the passphrase (from standard input, 12 characters or more) the till seals its\n" +
				"snapshots and its keys with in the backup target (backup.target); keep it elsewhere too"},
		{name: "backup-now", run: withStore(backupNow),
			help: "write the replica and take a snapshot into the backup folder now, and say when each is"},
		{name: "restore-from", args: "[-at TIME] [-till T01] TARGET|SNAPSHOT", run: restoreFrom,
			help: "rebuild the database from a backup target's replica (a folder or s3:// URL; at its\n" +
				"latest, or as it was at TIME, '2026-12-06 14:30') or from one snapshot, checked as\n" +
				"restore checks; on a new machine the till's keys come back from the target with the\n" +
				"passphrase (standard input)"},
		{name: "z-reports", args: "[N | Z-NUMBER]", run: withStore(pastZReports),
			help: "the last N (30) Z reports, or one (T01-Z0001) exactly as it was stored"},
		{name: "enrol", args: "[-ca FILE] [-force] URL CODE", run: withStore(enrol),
			help: "join the head office at URL with the one-time CODE from checkout-hq enrol-code;\n" +
				"-ca trusts a head office certificate authority besides the system's; -force\n" +
				"enrols an enrolled till again (into another shop: its catalog and members replace\n" +
				"the old shop's)"},
		{name: "sync", run: withStore(syncOnce),
			help: "upload the documents the head office has not acknowledged, once, and print counts\n" +
				"(the till uploads by itself while it runs, once enrolled)"},
		{name: "settings", run: withStore(printSettings),
			help: "print the shop's settings"},
		{name: "stock", args: "CODE", run: withStore(stockCommand),
			help: "a product's stock (CODE: barcode or SKU)"},
		{name: "low-stock", run: withStore(stockCommand),
			help: "products at or below their reorder point, with a suggested order"},
		{name: "receive", args: "CODE QTY UNIT_COST [SUPPLIER]", run: withStore(stockCommand),
			help: "goods in from a supplier"},
		{name: "adjust", args: "CODE DELTA REASON", run: withStore(stockCommand),
			help: "correct stock (-2 damage); REASON: damage, theft, expiry, found, correction"},
		{name: "transfer", args: "CODE DELTA SHOP", run: withStore(stockCommand),
			help: "stock sent to (-5) or received from (5) another of the owner's shops"},
		{name: "reorder-point", args: "CODE QTY", run: withStore(stockCommand),
			help: "the stock at which a product is low"},
		{name: "set-price", args: "CODE PRICE", run: withStore(stockCommand),
			help: "change a product's price (journaled with the old price)"},
		{name: "print-labels", args: "-since YYYY-MM-DD | -sku A,B,… [-printer tspl:PORT|zpl:PORT] [-preview FILE.png]",
			run: withStore(printLabels),
			help: "shelf labels (name, price per unit, barcode) for the products named (SKUs or\n" +
				"barcodes), or for every price change and new product since the day; on a TSPL (TSC\n" +
				"and most Chinese label printers) or ZPL (Zebra) printer at PORT: /dev/ttyUSB0,\n" +
				"tcp://HOST[:9100], usb, usb:VID:PID or file:PATH (default labels.printer); -preview\n" +
				"draws them into a PNG; -size 50x30 (mm; default labels.size), -dpi 203 or 300. ZPL\n" +
				"prints Chinese in the font E:SIMSUN.TTF, downloaded to the printer beforehand"},
		{name: "set", args: "KEY VALUE", run: withStore(setSetting),
			help: "change a setting: till, currency, tax_mode, cash_rounding, cash_rounding_mode\n" +
				"(nearest, or down: 抹零), tax_rate.CLASS,\n" +
				"barcode_layout.PREFIX (e.g. 20 PPIIIIIWWWWWC, or none), member_prefix,\n" +
				"shop_name, shop_city, shop_country, qr_guid, qr_merchant_id, qr_mcc, qr_static,\n" +
				"payment_url, payment_merchant_id (the secret comes from $CHECKOUT_PAY_SECRET),\n" +
				"second_currency (USD, or none), second_rate (0.1380),\n" +
				"scanner.ports, scanner.baud, scanner.terminator (auto, cr, lf, crlf, tab, etx),\n" +
				"scanner.prefix, keyboard.wedge_gap_ms, keyboard.onscreen (auto, on or off),\n" +
				"discount_limit (10: the % a cashier may take off a line), idle_lock_minutes (5),\n" +
				"line_limit (10000: what one line may come to before the cashier confirms it),\n" +
				"backup.target (a folder or s3:// URL), backup.snapshot_hours (4), backup.keep (7d,4w,12m),\n" +
				"pin_tries (5: 3 to 10), pin_lock_minutes (15: at least 1),\n" +
				"prepaid_offline_limit (50: what a card may spend here while offline; 0: its balance),\n" +
				"printer.port (/dev/ttyUSB0, tcp://HOST[:9100], usb, usb:VID:PID or sim),\n" +
				"printer.baud, printer.width (58 or 80), printer.lang (en or zh-Hans),\n" +
				"printer.charset (gb18030 or ascii),\n" +
				"scale.port (/dev/ttyUSB0, or sim), scale.protocol (stream, sics, toledo8217, caspd2,\n" +
				"cas or aclas), scale.baud (9600), scale.bits (8N1, 7E1, …), scale.poll_ms (200),\n" +
				"labels.printer (tspl:PORT or zpl:PORT: the shelf-label printer), labels.size (50x30 mm),\n" +
				"labels.baud (9600), labels.font (ZPL: E:SIMSUN.TTF), labels.timeout_ms (5000),\n" +
				"display.logo (a PNG or JPEG file), display.slideshow (a folder of PNG and JPEG files,\n" +
				"shown in name order between sales), display.slideshow_seconds (8: 2 to 600),\n" +
				"payment_provider (http, alipay or wechat), payment_sandbox (false),\n" +
				"alipay.app_id, alipay.private_key, alipay.public_key,\n" +
				"wechat.app_id, wechat.mch_id, wechat.api_key, wechat.cert, wechat.key\n" +
				"(key and certificate files: names in the database's folder, mode 0600),\n" +
				"guard (on or off), guard.window_minutes (240), guard.factor (3),\n" +
				"guard.price_change_percent (50), guard.account_minutes (10: a member's account\n" +
				"another till used this recently waits for a supervisor; 0 never),\n" +
				"signature.refunds (on or off: the shopper signs for a refund on the screen),\n" +
				"signature.card_over, signature.topup_over (0: card payments, top-ups from this amount\n" +
				"are signed for; 0 never), signature.member_consent (on or off)"},
		{name: "help", run: showHelp},
	}
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// writeUsage writes what checkout -h says above the flags: how to call it, and the commands.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "Usage: checkout [flags] [command]\n\n")
	fmt.Fprint(w, "With no command, checkout starts the till: the sale screen and the customer display.\n\n")
	fmt.Fprint(w, "Commands:\n")
	writeCommands(w)
	fmt.Fprint(w, "\nFlags:\n")
}

// writeCommands lists the commands: the name and arguments, and what it does at column 20, on the same
// line when they leave room for it.
func writeCommands(w io.Writer) {
	const indent = 19
	for _, c := range commands() {
		if c.help == "" {
			continue
		}
		synopsis := strings.TrimSpace(c.name + " " + c.args)
		help := strings.Split(c.help, "\n")
		if n := utf8.RuneCountInString(synopsis); n < indent-2 {
			fmt.Fprintf(w, "  %s%s%s\n", synopsis, strings.Repeat(" ", indent-2-n), help[0])
			help = help[1:]
		} else {
			fmt.Fprintf(w, "  %s\n", synopsis)
		}
		for _, line := range help {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), line)
		}
	}
}

// showVersion is checkout version.
func showVersion(_ context.Context, c *call) error {
	_, err := fmt.Fprintln(c.stdout, "checkout", c.prog.version())
	return err
}

// showHelp is checkout help: the usage and the flags, on standard output.
func showHelp(_ context.Context, c *call) error {
	c.flags.SetOutput(c.stdout)
	c.flags.Usage()
	return nil
}
