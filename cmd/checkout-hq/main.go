// Command checkout-hq is the head office server: the tills of every shop upload to it over HTTPS, and it
// keeps what they send in PostgreSQL. Pure Go, no GUI.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/hq/server"
)

const usage = `Usage: checkout-hq [-db URL] [-replica-db URL] command

Commands:
  serve -listen ADDR -cert FILE -key FILE [-metrics-listen ADDR] [-log-format json|text] [-silent-after 30m]
        [-replica-db URL] [-replica-max-lag 30s]
                      serve the tills over HTTPS (default -listen :8443), and the owners' web dashboard
                      at /dash/ (its days run midnight to midnight in the time zone TZ), with GET /healthz
                      for anyone and Prometheus GET /metrics for this machine only, or on a plain-HTTP
                      -metrics-listen address of its own; one log line per request (JSON unless stderr
                      is a terminal)
  shop-add CODE       add a shop (CODE: letters, digits, - and _; tills name it)
  enrol-code SHOP TILL
                      print a one-time code (valid 24 h) for: checkout enrol URL CODE
  status              every till: last seen, documents it still held unsent, documents and sales stored,
                      documents rejected
  catalog-import [-currency CNY] SHOP FILE.csv
                      add or replace the shop's products (the till's catalog file format); the tills
                      copy them at their next sync
  set-price [-currency CODE] SHOP SKU PRICE
                      change a product's price for the shop's tills
  member-set SHOP NUMBER NAME [PHONE [TIER]]
                      add a member or change their details (never their balance or points)
  promotion-save SHOP FILE.json
                      add or change the shop's promotions from a file in the till's promotion-save
                      format (a rule with an Id changes the shop's promotion of that id); every rule is
                      checked by the tills' rules before any is stored; the tills copy them at their
                      next sync. Rules take categories or all items, never products by a till's id
  promotions SHOP     the shop's promotions, with their coupons' limits and uses
  shop-set SHOP topup_bonus STEPS
                      the shop's prepaid top-up bonus rule (100:10,500:80, or none): top-ups from its
                      tills with another bonus are rejected
  conflicts           cards the tills overdrew offline (the spends the head office stored anyway), and
                      documents rejected by the head office's checks, with the reason
  alarms [DAYS]       what the tills' guards stopped for a supervisor in the last DAYS (7), newest first
  user-add NAME owner|manager [SHOP...]
                      add an account for the web dashboard (https://THIS-SERVER:PORT/dash/): reads its
                      password from stdin, prints the two-factor secret for an authenticator app; an owner
                      sees every shop, a manager the shops named and granted
  user-grant NAME SHOP
                      let the manager NAME see SHOP on the dashboard
  partitions          the partitions of the sales and documents tables (one per UTC month, and DEFAULT
                      for times outside them): rows (~ an estimate above a million) and size on disk
  archive-before YYYY-MM FILE
                      move every month before YYYY-MM (UTC) of sales and documents out of the database:
                      detaches those months' partitions, writes them to the new FILE as plain SQL
                      (restore: psql -v ON_ERROR_STOP=1 -1 -f FILE DB-URL), syncs it and reads it back,
                      and only then drops them. Never overwrites FILE; the month in progress and DEFAULT
                      stay. Refunds of an archived sale are refused after; a document of an archived
                      month sent again is still answered as held
  version             print the version (needs no database)

The database URL comes from -db or $CHECKOUT_HQ_DB, e.g. postgres://user@localhost/checkout_hq. A URL
naming several hosts with target_session_attrs=read-write (postgres://hq@db1,db2/checkout_hq?
target_session_attrs=read-write) follows a failover to the promoted standby.

A streaming replica's URL, from -replica-db or $CHECKOUT_HQ_REPLICA_DB, takes the owner's reads: the
dashboard's figures, alarms and tills, and the status, conflicts and alarms reports. While the replica
is down or further behind than -replica-max-lag, they are read from the primary. The tills' calls and
every write always go to the primary.

Flags:
`

// versionTag is the release's version, set at link time by the Makefile (-X main.versionTag=1.2.3).
var versionTag = "dev"

func main() { os.Exit(runWith(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run runs a command with nothing on its stdin.
func run(args []string, stdout, stderr io.Writer) int {
	return runWith(args, strings.NewReader(""), stdout, stderr)
}

func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("checkout-hq", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", os.Getenv("CHECKOUT_HQ_DB"), "PostgreSQL `URL`")
	replica := fs.String("replica-db", os.Getenv("CHECKOUT_HQ_REPLICA_DB"), "a streaming replica's PostgreSQL `URL`, for the owner's reads")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if fs.Arg(0) == "version" {
		fmt.Fprintln(stdout, "checkout-hq", versionTag)
		return 0
	}
	if *db == "" {
		fmt.Fprintln(stderr, "checkout-hq: no database: -db URL or $CHECKOUT_HQ_DB")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := command(ctx, *db, *replica, fs.Arg(0), fs.Args()[1:], stdin, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "checkout-hq:", err)
		return 1
	}
	return 0
}

func command(ctx context.Context, db, replica, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	sc := serveConfig{replica: replica}
	switch name {
	case "serve":
		var err error
		if sc, err = parseServe(args, sc, stderr); errors.Is(err, flag.ErrHelp) {
			return nil
		} else if err != nil {
			return err
		}
		log = sc.logger(stderr)
	case "status", "conflicts", "alarms", "promotions": // the owner's reports: read from the replica when one is set
	case "shop-add", "shop-set", "enrol-code", "catalog-import", "set-price", "member-set", "user-add", "user-grant",
		"partitions", "archive-before", "promotion-save":
		sc.replica = "" // writes, and the partitions as the primary holds them: the primary alone
	default:
		return fmt.Errorf("unknown command %q (checkout-hq -h lists them)", name)
	}
	srv, err := server.Open(ctx, db, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	if sc.replica != "" {
		if err := srv.UseReplica(ctx, sc.replica, sc.replicaMaxLag); err != nil {
			return err
		}
	}
	switch name {
	case "serve":
		return serve(ctx, srv, sc, log)
	case "shop-add":
		if len(args) != 1 {
			return errors.New("shop-add takes CODE")
		}
		if err := srv.AddShop(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shop %s added\n", args[0])
	case "enrol-code":
		if len(args) != 2 {
			return errors.New("enrol-code takes SHOP TILL")
		}
		code, err := srv.EnrolCode(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n(one use, valid for %v: on the till, checkout enrol https://THIS-SERVER:PORT %s)\n", code, server.EnrolCodeTTL, code)
	case "status":
		sts, err := srv.Status(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SHOP\tTILL\tLAST SEEN\tPENDING\tOLDEST UNSENT\tDOCUMENTS\tSALES\tREJECTED\tLAST ERROR")
		for _, st := range sts {
			seen, oldest := "never", "-"
			if !st.LastSeen.IsZero() {
				seen = st.LastSeen.Local().Format("2006-01-02 15:04:05")
			}
			if !st.Oldest.IsZero() {
				oldest = time.Since(st.Oldest).Round(time.Minute).String() + " ago"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\t%s\n", st.Shop, st.Till, seen, st.Pending, oldest, st.Documents, st.Sales,
				st.Rejected, st.LastError)
		}
		return w.Flush()
	case "catalog-import":
		return catalogImport(ctx, srv, args, stdout)
	case "set-price":
		return setPrice(ctx, srv, args, stdout)
	case "promotion-save", "promotions":
		return promotionCommand(ctx, srv, name, args, stdout)
	case "member-set":
		if len(args) < 3 || len(args) > 5 {
			return errors.New("member-set takes SHOP NUMBER NAME [PHONE [TIER]]")
		}
		args = append(args, "", "")
		if err := srv.SetMember(ctx, args[0], args[1], args[2], args[3], args[4]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s member %s saved\n", args[0], app.NormalizeMemberNumber(args[1]))
	case "conflicts":
		cs, err := srv.Conflicts(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SHOP\tTILL\tMEMBER\tDOCUMENT\tSPENT\tOVER\tBALANCE AFTER\tAT")
		for _, c := range cs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Shop, c.Till, c.Member, c.Document, c.Spent, c.Over, c.Balance,
				c.At.Local().Format("2006-01-02 15:04:05"))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		rs, err := srv.Rejections(ctx)
		if err != nil || len(rs) == 0 {
			return err
		}
		fmt.Fprintln(stdout, "\nRejected documents (kept, never counted):")
		w = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SHOP\tTILL\tSEQ\tKIND\tDOCUMENT\tAT\tREASON")
		for _, r := range rs {
			fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.Shop, r.Till, r.Seq, r.Kind, r.Document,
				r.At.Local().Format("2006-01-02 15:04:05"), r.Reason)
		}
		return w.Flush()
	case "alarms":
		days := 7
		if len(args) > 0 {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 1 || n > 366 {
				return fmt.Errorf("alarms takes the days to look back, 1 to 366: %q", args[0])
			}
			days = n
		}
		as, err := srv.Alarms(ctx, time.Now().AddDate(0, 0, -days))
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SHOP\tTILL\tAT\tWHO\tRULE\tWHAT")
		for _, a := range as {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Shop, a.Till, a.Alarm.At, a.Alarm.Cashier, a.Alarm.Rule, a.Alarm.Action)
		}
		return w.Flush()
	case "user-add":
		return userAdd(ctx, srv, args, stdin, stdout)
	case "partitions":
		return partitions(ctx, srv, stdout)
	case "archive-before":
		return archiveBefore(ctx, srv, args, stdout)
	case "user-grant":
		if len(args) != 2 {
			return errors.New("user-grant takes NAME SHOP")
		}
		if err := srv.GrantDashShop(ctx, args[0], args[1]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s may see shop %s\n", args[0], args[1])
	case "shop-set":
		if len(args) != 3 || args[1] != "topup_bonus" {
			return errors.New("shop-set takes SHOP topup_bonus STEPS")
		}
		if err := srv.ShopSetTopUpBonus(ctx, args[0], args[2]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: top-up bonus %s\n", args[0], args[2])
	}
	return nil
}

// userAdd adds a dashboard account with the password on stdin's first line, and prints what its
// authenticator app needs: the secret, and the otpauth URL to show as a QR code.
func userAdd(ctx context.Context, srv *server.Server, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) < 2 {
		return errors.New("user-add takes NAME owner|manager [SHOP...]")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 1025)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return errors.New("user-add reads the password from stdin: echo or type it, then Enter")
	}
	e, err := srv.AddDashUser(ctx, args[0], args[1], password, args[2:])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %s added (%s)\nTwo-factor secret: %s\n%s\n(add it to an authenticator app: type the secret, or show the URL as a QR code)\n",
		args[0], args[1], e.Secret, e.URL)
	return nil
}

// partitions lists the trading tables' partitions with their rows and sizes.
func partitions(ctx context.Context, srv *server.Server, stdout io.Writer) error {
	ps, err := srv.Partitions(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "TABLE\tPARTITION\tMONTH (UTC)\tROWS\tSIZE\t")
	for _, p := range ps {
		month, rows := "default", strconv.FormatInt(p.Rows, 10)
		if !p.Month.IsZero() {
			month = p.Month.Format("2006-01")
		}
		if !p.Attached {
			month += " (detached, not archived)"
		}
		if p.Estimate {
			rows = "~" + rows
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t\n", p.Table, p.Name, month, rows, size(p.Bytes))
	}
	return w.Flush()
}

// size is a size in bytes for people: 8.0 kB, 1.2 GB.
func size(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// archiveBefore moves the months before YYYY-MM out of the database into FILE.
func archiveBefore(ctx context.Context, srv *server.Server, args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return errors.New("archive-before takes YYYY-MM FILE")
	}
	before, err := time.Parse("2006-01", args[0])
	if err != nil {
		return fmt.Errorf("archive-before: %q is not a month such as 2024-01", args[0])
	}
	ps, err := srv.ArchiveBefore(ctx, before, args[1], time.Now())
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		fmt.Fprintf(stdout, "no month before %s to archive: nothing written\n", args[0])
		return nil
	}
	var rows int64
	for _, p := range ps {
		fmt.Fprintf(stdout, "%s: %d rows archived and dropped\n", p.Name, p.Rows)
		rows += p.Rows
	}
	fmt.Fprintf(stdout, "%d rows of %d tables in %s\n", rows, len(ps), args[1])
	return nil
}

// setPrice changes a product's price for a shop's tills. The price is read in the shop's currency as the
// tills read it: one with more decimals than the currency has would stop every till's down-sync.
func setPrice(ctx context.Context, srv *server.Server, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("set-price", flag.ContinueOnError)
	currency := fs.String("currency", "CNY", "the shop's currency `code`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 3 {
		return errors.New("set-price takes [-currency CODE] SHOP SKU PRICE")
	}
	cur, err := money.Lookup(*currency)
	if err != nil {
		return err
	}
	shop, sku := fs.Arg(0), fs.Arg(1)
	price, err := money.Parse(fs.Arg(2), cur)
	if err != nil || price.IsNegative() {
		return fmt.Errorf("set price: %q is not a price such as 3.50 in %s", fs.Arg(2), cur.Code)
	}
	if err := srv.SetPrice(ctx, shop, sku, price.Decimal()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s: price %s\n", shop, sku, price.Decimal())
	return nil
}

// catalogImport reads a catalog file in the till's format and stores it for the shop's tills; a file
// with bad rows stores nothing.
func catalogImport(ctx context.Context, srv *server.Server, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("catalog-import", flag.ContinueOnError)
	currency := fs.String("currency", "CNY", "the shop's currency `code`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("catalog-import takes [-currency CODE] SHOP FILE.csv")
	}
	set := app.DefaultSettings()
	cur, err := money.Lookup(*currency)
	if err != nil {
		return err
	}
	set.Currency = cur
	f, err := os.Open(fs.Arg(1))
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := app.ReadCatalogCSV(f, set)
	if bad := (*app.CatalogFileError)(nil); errors.As(err, &bad) {
		return fmt.Errorf("%s: %w (nothing imported)", fs.Arg(1), err)
	}
	if err != nil {
		return err
	}
	n, err := srv.ImportCatalog(ctx, fs.Arg(0), entries)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d products for shop %s\n", n, fs.Arg(0))
	return nil
}

// serveConfig is checkout-hq serve's flags.
type serveConfig struct {
	listen, cert, key, metricsListen, logFormat string
	silentAfter                                 time.Duration
	replica                                     string // the owner's reads, "" for the primary
	replicaMaxLag                               time.Duration
}

// parseServe reads serve's flags over c, which holds the settings given before the command.
func parseServe(args []string, c serveConfig, stderr io.Writer) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", ":8443", "`address` to listen on")
	fs.StringVar(&c.cert, "cert", "", "TLS certificate `file` (PEM)")
	fs.StringVar(&c.key, "key", "", "TLS private key `file` (PEM)")
	fs.StringVar(&c.metricsListen, "metrics-listen", "", "serve GET /metrics and /healthz on this plain-HTTP `address` "+
		"(e.g. 127.0.0.1:9108), not on the tills' listener; unset: /metrics on the tills' listener to this machine only")
	fs.StringVar(&c.logFormat, "log-format", "", "log `format`: json or text (default json when stderr is not a terminal, as under systemd, else text)")
	fs.DurationVar(&c.silentAfter, "silent-after", server.DefaultSilentAfter, "a till not heard from for longer counts in /metrics' checkout_hq_tills_silent")
	fs.StringVar(&c.replica, "replica-db", c.replica, "a streaming replica's PostgreSQL `URL` for the dashboard's reads (default $CHECKOUT_HQ_REPLICA_DB)")
	fs.DurationVar(&c.replicaMaxLag, "replica-max-lag", server.DefaultReplicaMaxLag,
		"the owner's reads go to the primary while the replica is further behind")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("serve takes flags only, not %q", fs.Arg(0))
	}
	switch c.logFormat {
	case "":
		c.logFormat = "text"
		if !isTerminal(stderr) {
			c.logFormat = "json"
		}
	case "json", "text":
	default:
		return c, fmt.Errorf("-log-format %q: json or text", c.logFormat)
	}
	if c.cert == "" || c.key == "" {
		return c, errors.New("serve needs -cert and -key: the tills speak only HTTPS")
	}
	return c, nil
}

// logger returns the log that serve writes to stderr, as -log-format says.
func (c serveConfig) logger(stderr io.Writer) *slog.Logger {
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

// isTerminal reports whether w is a terminal (a character device: a file or a pipe, as under systemd or
// a redirection, is not).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func serve(ctx context.Context, srv *server.Server, c serveConfig, log *slog.Logger) error {
	srv.SetOps(server.Ops{MetricsApart: c.metricsListen != "", SilentAfter: c.silentAfter})
	go srv.KeepPartitions(ctx) // the coming months' partitions; ends with ctx
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
			IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}
	// Both addresses are taken before anything is served: a mistake in either stops serve at once.
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	servers := []*http.Server{newServer(srv.Handler())}
	errc := make(chan error, 2)
	if c.metricsListen != "" {
		mln, err := net.Listen("tcp", c.metricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("-metrics-listen: %w", err)
		}
		if host, _, _ := net.SplitHostPort(c.metricsListen); host == "" || host == "0.0.0.0" || host == "::" {
			log.Warn("metrics listener on every interface: plain HTTP with no authentication, keep it behind a firewall", "listen", c.metricsListen)
		}
		ms := newServer(srv.MetricsHandler())
		servers = append(servers, ms)
		go func() { errc <- ms.Serve(mln) }()
	}
	go func() { errc <- servers[0].ServeTLS(ln, c.cert, c.key) }()
	log.Info("serving", "listen", ln.Addr().String(), "metrics_listen", c.metricsListen)
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, hs := range servers {
		if e := hs.Shutdown(shut); err == nil {
			err = e
		}
	}
	return err
}
