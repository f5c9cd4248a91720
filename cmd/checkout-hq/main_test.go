package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/hqtest"
)

func hq(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	if c, out, _ := hq("-db", db, "shop-add", "north"); c != 0 || !strings.Contains(out, "shop north added") {
		t.Fatalf("shop-add: %d %s", c, out)
	}
	if c, _, errOut := hq("-db", db, "shop-add", "no spaces"); c != 1 || !strings.Contains(errOut, "add shop") {
		t.Fatalf("bad shop code: %d %s", c, errOut)
	}
	c, out, _ := hq("-db", db, "enrol-code", "north", "T01")
	if code := strings.Fields(out); c != 0 || len(code) == 0 || len(code[0]) != 16 {
		t.Fatalf("enrol-code: %d %q", c, out)
	}
	if c, _, errOut := hq("-db", db, "enrol-code", "south", "T01"); c != 1 || !strings.Contains(errOut, `no shop "south"`) {
		t.Fatalf("enrol-code for an unknown shop: %d %s", c, errOut)
	}
	if c, out, _ := hq("-db", db, "status"); c != 0 || !strings.Contains(out, "SHOP") {
		t.Fatalf("status: %d %s", c, out)
	}
	if c, _, errOut := hq("-db", db, "serve"); c != 1 || !strings.Contains(errOut, "-cert and -key") {
		t.Fatalf("serve without TLS: %d %s", c, errOut)
	}
	if c, out, _ := hq("version"); c != 0 || out != "checkout-hq dev\n" {
		t.Fatalf("version without a database: %d %q", c, out)
	}
	if c, _, errOut := hq("status"); c != 2 || !strings.Contains(errOut, "no database") {
		t.Fatalf("no database: %d %s", c, errOut)
	}
}

func TestCatalogCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hq("-db", db, "shop-add", "north")
	file := filepath.Join(t.TempDir(), "catalog.csv")
	csv := strings.Join(app.CatalogColumns(), ",") + "\nDRK-001,5449000000996,Coca-Cola,可口可乐,drinks,饮料,piece,3.00,1.80,12,standard,yes\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, out, errOut := hq("-db", db, "catalog-import", "north", file); c != 0 || !strings.Contains(out, "1 products for shop north") {
		t.Fatalf("catalog-import: %d %s %s", c, out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte(strings.Join(app.CatalogColumns(), ",")+"\nX,,X,,,,piece,abc,,,standard,yes\n"), 0o600)
	if c, _, errOut := hq("-db", db, "catalog-import", "north", bad); c != 1 || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("bad catalog: %d %s", c, errOut)
	}
	if c, out, errOut := hq("-db", db, "set-price", "north", "DRK-001", "3.50"); c != 0 || !strings.Contains(out, "price 3.50") {
		t.Fatalf("set-price: %d %s %s", c, out, errOut)
	}
	if c, _, errOut := hq("-db", db, "set-price", "north", "DRK-001", "-1"); c != 1 || !strings.Contains(errOut, "not a price") {
		t.Fatalf("negative price: %d %s", c, errOut)
	}
	// More decimals than the currency has would stop every till's down-sync at that change.
	if c, _, errOut := hq("-db", db, "set-price", "north", "DRK-001", "3.505"); c != 1 || !strings.Contains(errOut, "not a price") {
		t.Errorf("set-price 3.505 in CNY: %d %s", c, errOut)
	}
	if c, _, errOut := hq("-db", db, "set-price", "north", "NOPE", "1"); c != 1 || !strings.Contains(errOut, "no product") {
		t.Fatalf("unknown SKU: %d %s", c, errOut)
	}
	if c, out, errOut := hq("-db", db, "member-set", "north", "M000001", "Wang Fang", "13800000000"); c != 0 || !strings.Contains(out, "saved") {
		t.Fatalf("member-set: %d %s %s", c, out, errOut)
	}
	if c, out, _ := hq("-db", db, "conflicts"); c != 0 || !strings.Contains(out, "OVER") {
		t.Fatalf("conflicts: %d %s", c, out)
	}
}

// member-set keeps one row per member: " m000001" is M000001 (the tills' form of the number), and a
// malformed number or a name with control characters is refused, storing nothing.
func TestMemberSetNormalisesNumbersAndRefusesBadInput(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hq("-db", db, "shop-add", "north")
	if c, out, errOut := hq("-db", db, "member-set", "north", "M000001", "Wang Fang"); c != 0 || !strings.Contains(out, "member M000001 saved") {
		t.Fatalf("member-set: %d %s %s", c, out, errOut)
	}
	if c, out, errOut := hq("-db", db, "member-set", "north", " m000001", "Wang Fang", "138-0013-8000"); c != 0 || !strings.Contains(out, "member M000001 saved") {
		t.Fatalf("member-set \" m000001\": %d %s %s", c, out, errOut)
	}
	for _, bad := range [][]string{
		{"", "Li Lei"}, {"M1", "Li Lei"}, {"M 000002", "Li Lei"}, {"M000002\x00", "Li Lei"}, {"会员000002", "Li Lei"},
		{strings.Repeat("M", 9) + "000002", "Li Lei"}, {"M" + strings.Repeat("0", 21), "Li Lei"},
		{"M000002", "Li\x00Lei"}, {"M000002", "Li\nLei"}, {"M000002", strings.Repeat("李", 201)}, {"M000002", ""},
	} {
		if c, _, errOut := hq(append([]string{"-db", db, "member-set", "north"}, bad...)...); c != 1 || !strings.Contains(errOut, "invalid member") {
			t.Errorf("member-set %q: %d %s", bad, c, errOut)
		}
	}
	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), `SELECT number || ' ' || name || ' ' || phone FROM members ORDER BY number`)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || strings.Join(got, "; ") != "M000001 Wang Fang 13800138000" {
		t.Errorf("members stored: %q, %v", got, err)
	}
}

// catalog-import uses the tills' rules: a name with a NUL (which PostgreSQL would refuse in every upload
// after it) or of 201 characters is a bad row, and the file imports nothing.
func TestCatalogImportRefusesControlCharactersAndHugeNames(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hq("-db", db, "shop-add", "north")
	file := filepath.Join(t.TempDir(), "catalog.csv")
	csv := strings.Join(app.CatalogColumns(), ",") + "\n" +
		"DRK-001,5449000000996,Coca-Cola,可口可乐,drinks,饮料,piece,3.00,1.80,12,standard,yes\n" +
		"DRK-002,4006381333931,Cola\x00,,drinks,,piece,3.00,1.80,12,standard,yes\n" +
		"DRK-003,96385074," + strings.Repeat("x", 201) + ",,drinks,,piece,3.00,1.80,12,standard,yes\n" +
		"DRK-004,12345670,Cola,,drinks,饮料\u202e,piece,3.00,1.80,12,standard,yes\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _, errOut := hq("-db", db, "catalog-import", "north", file)
	if c != 1 || !strings.Contains(errOut, "line 3: name: control character U+0000") ||
		!strings.Contains(errOut, "line 4: name: 201 characters") || !strings.Contains(errOut, "line 5: category_zh: control character U+202E") ||
		!strings.Contains(errOut, "nothing imported") {
		t.Fatalf("catalog-import: %d %s", c, errOut)
	}
	if c, _, errOut := hq("-db", db, "set-price", "north", "DRK-001", "1"); c != 1 || !strings.Contains(errOut, "no product") {
		t.Errorf("a refused file stored a product: %d %s", c, errOut)
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// selfSigned writes a certificate for 127.0.0.1 and its key, returning their files and the pool that
// trusts it.
func selfSigned(t *testing.T) (cert, key string, pool *x509.CertPool) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hq"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, _ := x509.MarshalPKCS8PrivateKey(priv)
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "hq.pem"), filepath.Join(dir, "hq-key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600)
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return cert, key, pool
}

// serve -metrics-listen serves /metrics and /healthz there over plain HTTP and takes /metrics off the
// tills' HTTPS listener; -log-format json logs a JSON line per request; SIGTERM's context stops it.
func TestServeWithMetricsListener(t *testing.T) {
	db := hqtest.PostgresURL(t)
	cert, key, pool := selfSigned(t)
	listen, metrics := freeAddr(t), freeAddr(t)
	var stderr hqtest.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- command(ctx, db, "", "serve", []string{"-listen", listen, "-cert", cert, "-key", key, "-metrics-listen", metrics,
			"-log-format", "json"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	https := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	get := func(c *http.Client, url string) (int, string) {
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			resp, err := c.Get(url)
			if err != nil {
				if time.Now().After(deadline) {
					t.Fatalf("GET %s: %v\n%s", url, err, stderr.String())
				}
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(b)
		}
	}
	if code, body := get(https, "https://"+listen+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("https /healthz: %d %q", code, body)
	}
	if code, _ := get(https, "https://"+listen+"/metrics"); code != 404 {
		t.Errorf("https /metrics with -metrics-listen: %d", code)
	}
	if code, body := get(http.DefaultClient, "http://"+metrics+"/metrics"); code != 200 || !strings.Contains(body, "# TYPE checkout_hq_upload_duration_seconds histogram") {
		t.Errorf("http /metrics: %d %s", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var requests int
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		if m["msg"] == "request" {
			requests++
		}
	}
	if requests != 3 {
		t.Errorf("%d access-log lines, want 3:\n%s", requests, stderr.String())
	}
	if c, _, errOut := hq("-db", db, "serve", "-cert", cert, "-key", key, "-log-format", "xml"); c != 1 || !strings.Contains(errOut, "json or text") {
		t.Errorf("-log-format xml: %d %s", c, errOut)
	}
}

// user-add reads the password from stdin and prints the two-factor secret and its otpauth URL; a manager
// is granted shops then and later; bad input is refused with a reason.
func TestDashboardUserCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hqIn := func(stdin string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := runWith(append([]string{"-db", db}, args...), strings.NewReader(stdin), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	hqIn("", "shop-add", "north")
	hqIn("", "shop-add", "south")
	c, out, errOut := hqIn("correct horse battery\n", "user-add", "boss", "owner")
	if c != 0 || !strings.Contains(out, "Two-factor secret: ") || !strings.Contains(out, "otpauth://totp/Checkout%20HQ:boss?") {
		t.Fatalf("user-add owner: %d %s %s", c, out, errOut)
	}
	if c, out, errOut := hqIn("correct horse battery\n", "user-add", "lee", "manager", "north"); c != 0 || !strings.Contains(out, "user lee added (manager)") {
		t.Fatalf("user-add manager: %d %s %s", c, out, errOut)
	}
	if c, out, _ := hqIn("", "user-grant", "lee", "south"); c != 0 || !strings.Contains(out, "lee may see shop south") {
		t.Fatalf("user-grant: %d %s", c, out)
	}
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"user-add", "x", "owner"}, "reads the password from stdin"},
		{"short\n", []string{"user-add", "x", "owner"}, "at least 10 characters"},
		{"correct horse battery\n", []string{"user-add", "boss", "owner"}, "exists already"},
		{"correct horse battery\n", []string{"user-add", "x", "king"}, "owner or manager"},
		{"correct horse battery\n", []string{"user-add", "x", "owner", "north"}, "name no shops"},
		{"correct horse battery\n", []string{"user-add", "x", "manager", "nowhere"}, `no shop "nowhere"`},
		{"", []string{"user-grant", "boss", "north"}, "is an owner"},
		{"", []string{"user-grant", "nobody", "north"}, `no user "nobody"`},
		{"", []string{"user-grant", "lee", "nowhere"}, `no shop "nowhere"`},
	} {
		if c, _, errOut := hqIn(tt.stdin, tt.args...); c != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: %d %q, want %q", tt.args, c, errOut, tt.want)
		}
	}
}

// partitions lists the trading tables' months; archive-before moves the old ones to a file and says so.
func TestPartitionCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hq("-db", db, "shop-add", "north")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	now := time.Now().UTC()
	old := time.Date(now.Year(), now.Month()-6, 1, 0, 0, 0, 0, time.UTC)
	for _, sql := range []string{
		`INSERT INTO tills (shop_id, name, token_sha256, enrolled_at) VALUES (1, 'T01', '\x00', now())`,
		`SELECT trading_month($1)`,
		`INSERT INTO sales (shop_id, id, till_id, receipt_no, completed_at, currency, total)
			SELECT 1, gen_random_uuid(), 1, 'T01-' || n, $1::timestamptz + make_interval(hours => n), 'CNY', 1 FROM generate_series(1, 3) n`,
	} {
		args := []any{old}
		if !strings.Contains(sql, "$1") {
			args = nil
		}
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	name := "sales" + old.Format("_y2006m01")
	c, out, errOut := hq("-db", db, "partitions")
	if c != 0 || !strings.Contains(out, "sales_default") || !regexp.MustCompile(name+` +`+old.Format("2006-01")+` +3 `).MatchString(out) {
		t.Fatalf("partitions: %d %s %s", c, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "old.sql")
	if c, _, errOut := hq("-db", db, "archive-before", "2024-13", file); c != 1 || !strings.Contains(errOut, "not a month") {
		t.Errorf("archive-before 2024-13: %d %s", c, errOut)
	}
	if c, _, errOut := hq("-db", db, "archive-before", now.AddDate(0, 2, 0).Format("2006-01"), file); c != 1 || !strings.Contains(errOut, "after the month in progress") {
		t.Errorf("archive-before a month to come: %d %s", c, errOut)
	}
	c, out, errOut = hq("-db", db, "archive-before", old.AddDate(0, 1, 0).Format("2006-01"), file)
	if c != 0 || !strings.Contains(out, name+": 3 rows archived and dropped") || !strings.Contains(out, "3 rows of 2 tables in "+file) {
		t.Fatalf("archive-before: %d %s %s", c, out, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), `COPY "`+name+`" (`) {
		t.Errorf("the archive: %v\n%s", err, b)
	}
	if _, out, _ := hq("-db", db, "partitions"); strings.Contains(out, name) {
		t.Errorf("after the archive, partitions lists %s:\n%s", name, out)
	}
	if c, out, _ := hq("-db", db, "archive-before", old.AddDate(0, 1, 0).Format("2006-01"), file+".2"); c != 0 || !strings.Contains(out, "nothing written") {
		t.Errorf("archiving again: %d %s", c, out)
	}
}
