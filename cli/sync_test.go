package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/tillkey"
	"checkout/hq/hqtest"
	"checkout/till"
)

// A till enrols with a one-time code, keeps its token in a private file (not in its database), and
// `checkout sync` uploads what it sold; the head office holds it once however often sync runs.
func TestEnrolAndSyncCommands(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	if err := h.Server.AddShop(ctx, "north"); err != nil {
		t.Fatal(err)
	}
	code, err := h.Server.EnrolCode(ctx, "north", "T01")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, h.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if c, _, errOut := cli("-db", db, "sync"); c != 1 || !strings.Contains(errOut, "not enrolled") {
		t.Fatalf("sync before enrolling: %d %s", c, errOut)
	}
	if c, out, errOut := cli("-db", db, "enrol", "-ca", ca, h.URL, code); c != 0 || !strings.Contains(out, "enrolled as till T01 of shop north") {
		t.Fatalf("enrol: %d %s %s", c, out, errOut)
	}
	info, err := os.Stat(filepath.Join(dir, "sync.token"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", info, err)
	}
	token, _ := os.ReadFile(filepath.Join(dir, "sync.token"))
	dbBytes, _ := os.ReadFile(db)
	if len(token) < 20 || strings.Contains(string(dbBytes), string(token)) {
		t.Fatal("the token is missing, or kept in the database")
	}
	if c, _, errOut := cli("-db", db, "seed-demo"); c != 0 {
		t.Fatal(errOut)
	}
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := st.Settings(ctx)
	for range 3 {
		co, err := app.NewCheckout(set, st, st, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if _, err := co.SettleCash(ctx, co.CashDue()); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	for _, want := range []string{"uploaded 3 documents; 0 pending", "uploaded 0 documents; 0 pending"} {
		if c, out, errOut := cli("-db", db, "sync"); c != 0 || !strings.Contains(out, want) {
			t.Fatalf("sync: %d %q %s, want %q", c, out, errOut, want)
		}
	}
	sts, err := h.Server.Status(ctx)
	if err != nil || len(sts) != 1 || sts[0].Sales != 3 || sts[0].Documents != 3 {
		t.Fatalf("head office: %+v, %v", sts, err)
	}
	// The till named its release (FyneApp.toml's version, without a tag) in the requests.
	if want := (Program{Metadata: metadata}).version(); want == "" || sts[0].Version != want {
		t.Errorf("the head office has the till's version as %q, want %q", sts[0].Version, want)
	}
	// `checkout sync` brings the head office's catalog down too: a product the owner priced there.
	if _, err := h.Server.ImportCatalog(ctx, "north", []app.CatalogEntry{{Product: app.Product{SKU: "HQ-TEA", Name: "Head office tea",
		Price: money.New(400, money.CNY), Unit: app.UnitPiece, TaxClass: "standard", Active: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := h.Server.SetPrice(ctx, "north", "HQ-TEA", "4.20"); err != nil {
		t.Fatal(err)
	}
	if c, out, errOut := cli("-db", db, "sync"); c != 0 || !strings.Contains(out, "downloaded 1 products and 0 members") {
		t.Fatalf("sync down: %d %q %s", c, out, errOut)
	}
	st, err = till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	found, err := st.SearchCatalog(ctx, "Head office tea", 5)
	st.Close()
	if err != nil || len(found) != 1 || found[0].Price.Minor() != 420 {
		t.Fatalf("the till's copy: %+v, %v", found, err)
	}
	// An enrolled till is not enrolled again by accident; and a code works once.
	if c, _, errOut := cli("-db", db, "enrol", "-ca", ca, h.URL, code); c != 1 || !strings.Contains(errOut, "enrolled already, as till T01 of shop north") {
		t.Fatalf("enrol again: %d %s", c, errOut)
	}
	if c, _, errOut := cli("-db", db, "enrol", "-ca", ca, "-force", h.URL, code); c != 1 || !strings.Contains(errOut, "used or expired") {
		t.Fatalf("enrol again: %d %s", c, errOut)
	}

	// The till running: its worker uploads each sale as it is made, well before its 10 s idle look. (No
	// commands from here on: each sets the translations the running till's status bar reads.)
	m, err := till.Open(ctx, till.Config{DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	test.NewTempApp(t)
	m.Start(fyne.CurrentApp())
	m.Checkout.SetSession(app.SystemSession("Olivia"))
	if _, err := m.Checkout.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Checkout.SettleCash(ctx, m.Checkout.CashDue()); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if sts, err := h.Server.Status(ctx); err == nil && sts[0].Sales == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the running till did not upload its sale")
		}
	}
}

// Enrolling a till into another shop (with -force) withdraws the old shop's catalog and members from
// it, starts the down-sync again, and never sends the new shop what was for the old one; the till takes
// the name the head office enrolled it as, and refuses a name that would orphan what it has to send.
func TestEnrolIntoAnotherShop(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	for _, shop := range []string{"north", "south"} {
		if err := h.Server.AddShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Server.ImportCatalog(ctx, shop, []app.CatalogEntry{{Product: app.Product{SKU: strings.ToUpper(shop) + "-TEA",
			Name: shop + " tea", Price: money.New(400, money.CNY), Unit: app.UnitPiece, TaxClass: "standard", Active: true},
			Barcodes: []string{map[string]string{"north": "6900000000014", "south": "6900000000021"}[shop]}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Server.SetMember(ctx, "north", "M000007", "王芳", "", ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, ca := filepath.Join(dir, "c.db"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, h.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	code := func(shop, till string) string {
		c, err := h.Server.EnrolCode(ctx, shop, till)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	run := func(args ...string) (int, string, string) { return cli(append([]string{"-db", db}, args...)...) }
	if c, out, errOut := run("enrol", "-ca", ca, h.URL, code("north", "T05")); c != 0 || !strings.Contains(out, "now sells as T05") {
		t.Fatalf("enrol a new till as T05: %d %s %s", c, out, errOut)
	}
	if c, out, errOut := run("sync"); c != 0 || !strings.Contains(out, "downloaded 1 products and 1 members") {
		t.Fatalf("sync: %d %s %s", c, out, errOut)
	}
	st, err := till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := st.Settings(ctx)
	co, _ := app.NewCheckout(set, st, st, time.Now)
	if _, err := co.Scan(ctx, "6900000000014"); err != nil { // north's tea
		t.Fatal(err)
	}
	sale, err := co.SettleCash(ctx, co.CashDue())
	if err != nil || sale.ReceiptNo != "T05-000001" {
		t.Fatalf("sale %+v, %v", sale, err)
	}
	m, err := st.MemberByNumber(ctx, "M000007")
	if err != nil {
		t.Fatal(err)
	}
	tu, err := app.NewTopUp(set, m, money.New(10000, money.CNY), app.Tender{Kind: app.TenderCash}, "Olivia", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	st.Close()

	southCode := code("south", "T05")
	if c, _, errOut := run("enrol", "-ca", ca, h.URL, southCode); c != 1 || !strings.Contains(errOut, "enrolled already, as till T05 of shop north") {
		t.Fatalf("enrol into south without -force: %d %s", c, errOut)
	}
	if c, out, errOut := run("enrol", "-ca", ca, "-force", h.URL, southCode); c != 0 || !strings.Contains(out, "left shop north") {
		t.Fatalf("enrol into south: %d %s %s", c, out, errOut)
	}
	st, err = till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ProductByBarcode(ctx, "6900000000014"); err == nil {
		t.Error("north's tea still scans at a till of south")
	}
	rejected, err := st.RejectedOutbox(ctx)
	if err != nil || len(rejected) != 2 || rejected[0].Receipt != "T05-000001" || !strings.Contains(rejected[0].Reason, "moved from shop north") {
		t.Errorf("north's unsent sale: %+v, %v", rejected, err)
	}
	if m, err := st.MemberByNumber(ctx, "M000007"); err != nil || !m.Balance.IsZero() {
		t.Errorf("north's member after the move: %+v, %v", m, err)
	}
	if n, err := st.VerifyJournal(ctx); err != nil {
		t.Errorf("journal after the move: %d, %v", n, err)
	}
	st.Close()
	if c, out, errOut := run("sync"); c != 0 || !strings.Contains(out, "uploaded 0 documents; 0 pending") || !strings.Contains(out, "downloaded 1 products and 0 members") {
		t.Fatalf("sync with south: %d %s %s", c, out, errOut)
	}
	st, err = till.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if p, err := st.ProductByBarcode(ctx, "6900000000021"); err != nil || p.SKU != "SOUTH-TEA" {
		t.Errorf("south's tea: %+v, %v", p, err)
	}
	if m, err := st.MemberByNumber(ctx, "M000007"); err != nil || !m.Balance.IsZero() {
		t.Errorf("north's member at a till of south: %+v, %v", m, err)
	}
	sts, err := h.Server.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if s.Shop == "south" && s.Documents != 0 {
			t.Errorf("south got %d of north's documents", s.Documents)
		}
	}
}

// Someone holding the till's key file rewrites a journal row that already reached the head office and
// chains the rest again with the key: the till's own check passes, but verify-journal compares the
// journal with the head office's copy and names the row; cutting rows off the end is named too; and the
// head office refuses the next upload, which no longer continues its chain.
func TestVerifyJournalComparesWithTheHeadOffice(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	if err := h.Server.AddShop(ctx, "north"); err != nil {
		t.Fatal(err)
	}
	code, err := h.Server.EnrolCode(ctx, "north", "T01")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, ca := filepath.Join(dir, "c.db"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, h.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) { return cli(append([]string{"-db", db}, args...)...) }
	for _, args := range [][]string{{"seed-demo"}, {"enrol", "-ca", ca, h.URL, code}, {"set", "shop_city", "上海"},
		{"set", "shop_name", "北区店"}, {"simulate", "-sales", "20", "-seed", "1"}, {"sync"}} {
		if c, out, errOut := run(args...); c != 0 {
			t.Fatalf("%v: %d %s %s", args, c, out, errOut)
		}
	}
	c, out, errOut := run("verify-journal")
	if c != 0 || !strings.Contains(out, "head office: matches the head office's copy from row") {
		t.Fatalf("verify-journal: %d %s %s", c, out, errOut)
	}
	secret, _, err := till.SecretsOf(db).TillKey()
	if err != nil {
		t.Fatal(err)
	}
	key := secret.Derive(tillkey.JournalChain)
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var target int64
	if err := raw.QueryRow(`SELECT max(seq) FROM journal WHERE kind = 'setting' AND payload LIKE '%上海%'`).Scan(&target); err != nil {
		t.Fatal(err)
	}
	// The rewrite: the setting's new value changed, every row from it chained again with the key.
	rechain := func(from int64) {
		t.Helper()
		for _, q := range []string{`DROP TRIGGER IF EXISTS journal_append_only_update`, `DROP TRIGGER IF EXISTS journal_append_only_delete`} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		prev := strings.Repeat("0", 64)
		if from > 1 {
			if err := raw.QueryRow(`SELECT hash FROM journal WHERE seq = ?`, from-1).Scan(&prev); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := raw.Query(`SELECT seq, at, kind, payload FROM journal WHERE seq >= ? ORDER BY seq`, from)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			seq               int64
			at, kind, payload string
		}
		var all []row
		for rows.Next() {
			var r row
			rows.Scan(&r.seq, &r.at, &r.kind, &r.payload)
			all = append(all, r)
		}
		rows.Close()
		for _, r := range all {
			mac := hmac.New(sha256.New, key)
			for _, f := range []string{prev, strconv.FormatInt(r.seq, 10), r.at, r.kind, r.payload} {
				fmt.Fprintf(mac, "%d:%s;", len(f), f)
			}
			hash := hex.EncodeToString(mac.Sum(nil))
			if _, err := raw.Exec(`UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?`, prev, hash, r.seq); err != nil {
				t.Fatal(err)
			}
			prev = hash
		}
	}
	if _, err := raw.Exec(`DROP TRIGGER journal_append_only_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE journal SET payload = replace(payload, '上海', '北京') WHERE seq = ?`, target); err != nil {
		t.Fatal(err)
	}
	rechain(target)
	c, out, errOut = run("verify-journal")
	if c != 1 || !strings.Contains(errOut, fmt.Sprintf("journal row %d differs from the head office's copy", target)) {
		t.Fatalf("verify-journal after a rewrite with the key: %d %s %s", c, out, errOut)
	}
	if c, out, errOut := run("simulate", "-sales", "1", "-seed", "2"); c != 0 {
		t.Fatalf("sell: %d %s %s", c, out, errOut)
	}
	if c, _, errOut := run("sync"); c != 1 || !strings.Contains(errOut, "does not continue row") {
		t.Fatalf("sync after the rewrite: %d %s", c, errOut)
	}

	// Cutting rows off the end that the head office holds (a till, enrolled, whose last uploaded row is
	// a setting: its own checks find nothing missing).
	code, err = h.Server.EnrolCode(ctx, "north", "T02")
	if err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(t.TempDir(), "c.db")
	for _, args := range [][]string{{"seed-demo"}, {"enrol", "-ca", ca, h.URL, code}, {"simulate", "-sales", "5", "-seed", "1"},
		{"set", "shop_name", "北区二店"}, {"sync"}, {"sync"}} { // the second sends the row the first one's down-sync journaled
		if c, out, errOut := run(args...); c != 0 {
			t.Fatalf("%v: %d %s %s", args, c, out, errOut)
		}
	}
	cut, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer cut.Close()
	for _, q := range []string{`DROP TRIGGER journal_append_only_delete`, `DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)`} {
		if _, err := cut.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if c, out, errOut := run("verify-journal"); c != 1 || !strings.Contains(errOut, "rows were removed after they were uploaded") {
		t.Fatalf("verify-journal after cutting a row: %d %s %s", c, out, errOut)
	}
}
