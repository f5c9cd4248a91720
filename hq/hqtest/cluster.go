package hqtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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

// HAProxy returns the path of the haproxy binary, or skips t without one, unless CI is set: there the
// load-balanced tests must run, so it fails.
func HAProxy(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"haproxy", "/usr/sbin/haproxy"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("haproxy is not installed: in CI the load-balanced head-office tests must run (apt-get install haproxy)")
	}
	noteSkipped(t)
	t.Skip("haproxy is not installed: skipping the load-balanced head-office test")
	return ""
}

// StartCluster starts n head-office servers on a fresh schema behind HAProxy; all stop with the test.
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
	var servers strings.Builder
	for i, h := range c.Servers {
		fmt.Fprintf(&servers, "    server hq%d %s check inter 200ms fall 1 rise 1\n", i+1, h.Addr)
	}
	// TCP mode: TLS goes through to the servers. A connection refused (a server down) is retried on
	// another server at once (redispatch); the health checks take a dead server out within 200 ms.
	// maxconn within the usual open-file limit: HAProxy needs two descriptors a connection.
	config := fmt.Sprintf(`global
    maxconn 4000
defaults
    mode tcp
    timeout connect 1s
    timeout client 2m
    timeout server 2m
    retries 3
    option redispatch
frontend tills
    bind %s
    default_backend hq
backend hq
    balance roundrobin
%s`, c.Addr, servers.String())
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

// Restart starts server i again on its address after Kill.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	c.Servers[i].start(c.Servers[i].Addr)
}

// counting wraps a server's handler to count the requests it answered.
func counting(next http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		next.ServeHTTP(w, r)
	})
}
