package hqtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"checkout/hq/api"
	"checkout/hq/client"
)

// Cluster is a chain's head office in a test: several head-office servers on one PostgreSQL schema,
// behind Debian's HAProxy, which balances the tills' TLS connections across them (passed through: every
// server has the test certificate the tills pin). A connection that fails is retried by HAProxy on
// another server, and a till's next connection after a fault lands on the next server in turn.
type Cluster struct {
	URL     string // https://127.0.0.1:PORT, HAProxy's
	Addr    string
	CAPEM   []byte
	DBURL   string
	Servers []*HQ

	t       testing.TB
	haproxy *exec.Cmd
}

// StartCluster starts n head-office servers on a fresh schema behind HAProxy, configured as the README
// says a chain's head office is (readmeHAProxy); all stop with the test.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	bin := HAProxy(t)
	c := &Cluster{t: t, DBURL: PostgresURL(t)}
	for range n {
		h := &HQ{t: t, DBURL: c.DBURL}
		h.start("127.0.0.1:0")
		t.Cleanup(h.Kill)
		c.Servers = append(c.Servers, h)
	}
	c.CAPEM = c.Servers[0].CAPEM
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.Addr = ln.Addr().String()
	ln.Close()
	c.URL = "https://" + c.Addr
	config := haproxyConfig(t, c.Addr, c.Servers)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	c.haproxy = exec.Command(bin, "-f", cfg, "-db") // in the foreground, killed with the test
	c.haproxy.Stdout, c.haproxy.Stderr = &out, &out
	if err := c.haproxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.haproxy.Process.Kill()
		c.haproxy.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if conn, err := net.Dial("tcp", c.Addr); err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not start: %s", out.String())
		}
	}
	return c
}

// Enrol adds shop (if new), makes an enrolment code for till and enrols it through HAProxy, returning
// the till's client configuration.
func (c *Cluster) Enrol(shop, till string) client.Config {
	c.t.Helper()
	ctx := context.Background()
	srv := c.Servers[0].Server
	srv.AddShop(ctx, shop) // already there is fine
	code, err := srv.EnrolCode(ctx, shop, till)
	if err != nil {
		c.t.Fatal(err)
	}
	reply, err := client.Enrol(ctx, c.URL, c.CAPEM, api.EnrolRequest{Code: code})
	if err != nil {
		c.t.Fatal(err)
	}
	return client.Config{URL: c.URL, Shop: reply.Shop, Token: reply.Token, CAPEM: c.CAPEM, Timeout: 5 * time.Second}
}

// counting wraps a server's handler to count the tills' requests it answered (not HAProxy's health checks).
func counting(next http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			n.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// readmeHAProxy returns the HAProxy configuration the README gives for a chain's head office: the block
// fenced as haproxy. The tests run it, so the README's file is one known to work.
func readmeHAProxy(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(b), "```haproxy\n")
	if block, _, closed := strings.Cut(block, "```"); found && closed {
		return block
	}
	t.Fatal("README.md has no haproxy block")
	return ""
}

// haproxyConfig is the README's configuration listening on addr, balancing servers: its server line
// repeated for each with its address, checking every 200 ms and giving up on a server at the first miss,
// so a test sees in a moment what a chain sees in seconds.
func haproxyConfig(t testing.TB, addr string, servers []*HQ) string {
	t.Helper()
	var out strings.Builder
	var template string
	for line := range strings.Lines(readmeHAProxy(t)) {
		fields := strings.Fields(line)
		switch {
		case len(fields) > 1 && fields[0] == "bind":
			fmt.Fprintf(&out, "    bind %s\n", addr)
		case len(fields) > 2 && fields[0] == "server":
			if template == "" {
				template = strings.NewReplacer(fields[1], "%s", fields[2], "%s", "inter 2s", "inter 200ms", "fall 2", "fall 1",
					"rise 2", "rise 1").Replace(line)
				for i, h := range servers {
					fmt.Fprintf(&out, template, fmt.Sprintf("hq%d", i+1), h.Addr)
				}
			}
		default:
			out.WriteString(line)
		}
	}
	if template == "" || !strings.Contains(out.String(), "bind "+addr) {
		t.Fatalf("the README's haproxy block has no bind or server line:\n%s", out.String())
	}
	return out.String()
}
