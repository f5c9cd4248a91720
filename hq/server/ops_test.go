package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/hq/server"
)

// A family of the Prometheus text format as the test parser read it.
type family struct {
	typ     string
	samples map[string]float64 // by the sample's name and labels as written: name{a="b"}
}

var (
	helpLine   = regexp.MustCompile(`^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)?\})? (\S+)$`)
	leLabel    = regexp.MustCompile(`le="([^"]*)"`)
)

// parseMetrics reads the text exposition format 0.0.4 strictly: every line a HELP, a TYPE or a sample;
// each family's HELP then TYPE once, before its samples, which follow it together; a histogram's
// buckets cumulative, ending at +Inf, equal to its _count.
func parseMetrics(t *testing.T, text string) map[string]*family {
	t.Helper()
	fams := map[string]*family{}
	var cur string
	helped := map[string]bool{}
	if !strings.HasSuffix(text, "\n") {
		t.Fatalf("metrics do not end with a newline")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if m := helpLine.FindStringSubmatch(line); m != nil {
			if helped[m[1]] {
				t.Fatalf("line %d: HELP for %s twice", i+1, m[1])
			}
			helped[m[1]] = true
			continue
		}
		if m := typeLine.FindStringSubmatch(line); m != nil {
			if fams[m[1]] != nil || !helped[m[1]] {
				t.Fatalf("line %d: TYPE for %s twice, or without HELP first", i+1, m[1])
			}
			fams[m[1]], cur = &family{typ: m[2], samples: map[string]float64{}}, m[1]
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d is not HELP, TYPE or a sample: %q", i+1, line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("line %d: value %q: %v", i+1, m[3], err)
		}
		name, f := m[1], fams[cur]
		ok := f != nil && (name == cur || f.typ == "histogram" && (name == cur+"_bucket" || name == cur+"_sum" || name == cur+"_count"))
		if !ok {
			t.Fatalf("line %d: sample %s outside its family (in %q)", i+1, name, cur)
		}
		if _, dup := f.samples[name+m[2]]; dup {
			t.Fatalf("line %d: sample %s%s twice", i+1, name, m[2])
		}
		f.samples[name+m[2]] = v
	}
	for name, f := range fams {
		if f.typ != "histogram" {
			continue
		}
		prev, last := -1.0, ""
		var les []float64
		byLE := map[float64]float64{}
		for k, v := range f.samples {
			if m := leLabel.FindStringSubmatch(k); m != nil && strings.HasPrefix(k, name+"_bucket") {
				le, err := strconv.ParseFloat(m[1], 64)
				if err != nil {
					t.Fatalf("%s: le %q", k, m[1])
				}
				les, byLE[le] = append(les, le), v
				last = m[1]
			}
		}
		slices.Sort(les)
		for _, le := range les {
			if byLE[le] < prev {
				t.Fatalf("%s: bucket le=%v below the one before", name, le)
			}
			prev = byLE[le]
		}
		if _, ok := f.samples[name+`_bucket{le="+Inf"}`]; !ok || last == "" || prev != f.samples[name+"_count"] {
			t.Fatalf("%s: no +Inf bucket, or it is not the count: %v", name, f.samples)
		}
	}
	return fams
}

func value(t *testing.T, fams map[string]*family, fam, sample string) float64 {
	t.Helper()
	f := fams[fam]
	if f == nil {
		t.Fatalf("no metric family %s", fam)
	}
	v, ok := f.samples[sample]
	if !ok {
		t.Fatalf("no sample %s in %v", sample, f.samples)
	}
	return v
}

func scrape(t *testing.T, c *http.Client, url string) map[string]*family {
	t.Helper()
	resp, err := c.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("GET /metrics: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return parseMetrics(t, string(b))
}

// /metrics is the Prometheus text format, and its counters follow a real upload: documents stored and
// rejected by kind, the upload's request and latency, requests by route; the tills' gauges say what
// the till's report said.
func TestMetricsCountAnUpload(t *testing.T) {
	h := hqtest.StartHQ(t)
	before := scrape(t, h.HTTPClient(), h.URL)
	if v := value(t, before, "checkout_hq_documents_stored_total", `checkout_hq_documents_stored_total{kind="sale"}`); v != 0 {
		t.Fatalf("stored before any upload: %v", v)
	}
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	bad := saleDoc("not-a-uuid", 2, "1.00")
	reply, err := c.Upload(context.Background(), api.UploadRequest{Pending: 5, Oldest: time.Now().Add(-time.Hour),
		Documents: []api.Document{saleDoc(id1, 1, "3.00"), bad}})
	if err != nil || len(reply.Stored) != 1 || len(reply.Rejected) != 1 {
		t.Fatalf("upload: %+v, %v", reply, err)
	}
	// Sent again (a lost reply): nothing new to count.
	if _, err := c.Upload(context.Background(), api.UploadRequest{Pending: 5, Oldest: time.Now().Add(-time.Hour),
		Documents: []api.Document{saleDoc(id1, 1, "3.00")}}); err != nil {
		t.Fatal(err)
	}
	m := scrape(t, h.HTTPClient(), h.URL)
	for _, tt := range []struct {
		fam, sample string
		want        float64
	}{
		{"checkout_hq_documents_stored_total", `checkout_hq_documents_stored_total{kind="sale"}`, 1},
		{"checkout_hq_documents_stored_total", `checkout_hq_documents_stored_total{kind="refund"}`, 0},
		{"checkout_hq_documents_rejected_total", `checkout_hq_documents_rejected_total{kind="sale"}`, 1},
		{"checkout_hq_upload_requests_total", `checkout_hq_upload_requests_total{code="2xx"}`, 2},
		{"checkout_hq_upload_duration_seconds", `checkout_hq_upload_duration_seconds_count`, 2},
		{"checkout_hq_http_requests_total", `checkout_hq_http_requests_total{route="POST /v1/enrol",code="2xx"}`, 1},
		{"checkout_hq_http_requests_total", `checkout_hq_http_requests_total{route="POST /v1/shops/{shop}/upload",code="2xx"}`, 2},
		{"checkout_hq_http_requests_total", `checkout_hq_http_requests_total{route="GET /metrics",code="2xx"}`, 1},
		{"checkout_hq_database_up", `checkout_hq_database_up`, 1},
		{"checkout_hq_tills", `checkout_hq_tills`, 1},
		{"checkout_hq_tills_behind", `checkout_hq_tills_behind`, 1},
		{"checkout_hq_tills_silent", `checkout_hq_tills_silent`, 0},
		{"checkout_hq_unsent_documents", `checkout_hq_unsent_documents`, 4},
	} {
		if got := value(t, m, tt.fam, tt.sample); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.sample, got, tt.want)
		}
	}
	if age := value(t, m, "checkout_hq_oldest_unsent_age_seconds", "checkout_hq_oldest_unsent_age_seconds"); age < 3500 || age > 4000 {
		t.Errorf("oldest unsent document's age %v s, want about an hour", age)
	}
	if sum := value(t, m, "checkout_hq_upload_duration_seconds", "checkout_hq_upload_duration_seconds_sum"); sum <= 0 {
		t.Errorf("upload latency sum %v", sum)
	}
	// An unauthenticated upload is a 4xx upload request.
	resp, err := h.HTTPClient().Post(h.URL+api.UploadPath("north"), "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	m = scrape(t, h.HTTPClient(), h.URL)
	if got := value(t, m, "checkout_hq_upload_requests_total", `checkout_hq_upload_requests_total{code="4xx"}`); got != 1 {
		t.Errorf("4xx uploads = %v, want 1", got)
	}
}

func get(t *testing.T, h http.Handler, path, remote string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "https://hq.example"+path, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// The API serves /metrics only to this machine, never through a proxy, and not at all when it has a
// listener of its own; no till token is needed.
func TestMetricsOnlyForLoopback(t *testing.T) {
	srv, err := server.Open(context.Background(), hqtest.PostgresURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	api := srv.Handler()
	for _, tt := range []struct {
		remote string
		header []string
		want   int
	}{
		{"127.0.0.1:40000", nil, 200},
		{"[::1]:40000", nil, 200},
		{"[::ffff:127.0.0.1]:40000", nil, 200},
		{"203.0.113.7:40000", nil, 403},
		{"[2001:db8::1]:40000", nil, 403},
		{"10.0.0.5:40000", nil, 403},
		{"127.0.0.1:40000", []string{"X-Forwarded-For", "203.0.113.7"}, 403},
		{"127.0.0.1:40000", []string{"Forwarded", "for=203.0.113.7"}, 403},
		{"not an address", nil, 403},
	} {
		if w := get(t, api, "/metrics", tt.remote, tt.header...); w.Code != tt.want {
			t.Errorf("/metrics from %s %v: %d, want %d", tt.remote, tt.header, w.Code, tt.want)
		}
	}
	// /healthz is for anyone.
	if w := get(t, api, "/healthz", "203.0.113.7:40000"); w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("/healthz from afar: %d %q", w.Code, w.Body)
	}
	// Over a real connection from another of this machine's addresses, when it has one.
	if ip := nonLoopback(); ip != "" {
		hs := httptest.NewUnstartedServer(api)
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Fatal(err)
		}
		hs.Listener.Close()
		hs.Listener = ln
		hs.StartTLS()
		defer hs.Close()
		c := hs.Client()
		c.Transport.(*http.Transport).TLSClientConfig.ServerName = "127.0.0.1" // the test certificate's name
		resp, err := c.Get(hs.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("/metrics over HTTPS from %s: %d", ip, resp.StatusCode)
		}
	} else {
		t.Log("no non-loopback address here: checked with recorded requests only")
	}
	// With a listener of its own, the API has no /metrics, and that listener serves it.
	srv.SetOps(server.Ops{MetricsApart: true})
	if w := get(t, api, "/metrics", "127.0.0.1:40000"); w.Code != 404 {
		t.Errorf("/metrics on the API with -metrics-listen: %d", w.Code)
	}
	if w := get(t, srv.MetricsHandler(), "/metrics", "10.0.0.5:40000"); w.Code != 200 || !strings.Contains(w.Body.String(), "# TYPE checkout_hq_tills gauge") {
		t.Errorf("/metrics on its own listener: %d %s", w.Code, w.Body)
	}
}

// nonLoopback returns an IPv4 address of this machine's other than loopback, or "".
func nonLoopback() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// cuttable is a TCP relay to the database that can be cut: the database gone, as the server sees it.
type cuttable struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func relay(t *testing.T, target string) *cuttable {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cuttable{ln: ln}
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", target)
			if err != nil {
				a.Close()
				continue
			}
			c.mu.Lock()
			c.conns = append(c.conns, a, b)
			c.mu.Unlock()
			go func() { io.Copy(a, b); a.Close() }()
			go func() { io.Copy(b, a); b.Close() }()
		}
	}()
	t.Cleanup(c.cut)
	return c
}

func (c *cuttable) cut() {
	c.ln.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		conn.Close()
	}
}

// /healthz says ok while PostgreSQL answers, and 503 with a plain reason (no host or user) once it is
// gone; /metrics then still answers, with the database down.
func TestHealthz(t *testing.T) {
	u, err := url.Parse(hqtest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	db := relay(t, u.Host)
	u.Host = db.ln.Addr().String()
	srv, err := server.Open(context.Background(), u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	if w := get(t, h, "/healthz", "203.0.113.7:1"); w.Code != 200 || w.Body.String() != "ok\n" || w.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("/healthz: %d %q", w.Code, w.Body)
	}
	db.cut()
	var w *httptest.ResponseRecorder
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if w = get(t, h, "/healthz", "203.0.113.7:1"); w.Code != 200 {
			break
		}
	}
	body := w.Body.String()
	if w.Code != 503 || !strings.HasPrefix(body, "database ") || strings.Contains(body, "checkout") || strings.Contains(body, "127.0.0.1") {
		t.Fatalf("/healthz with the database gone: %d %q", w.Code, body)
	}
	mw := get(t, h, "/metrics", "127.0.0.1:1")
	m := parseMetrics(t, mw.Body.String())
	if mw.Code != 200 || value(t, m, "checkout_hq_database_up", "checkout_hq_database_up") != 0 || m["checkout_hq_tills"] != nil {
		t.Errorf("/metrics with the database gone: %d\n%s", mw.Code, mw.Body)
	}
}

// Each request writes one JSON access-log line: method, route pattern, status, duration, bytes, and the
// shop and till once authenticated; never the token, the enrolment code or a body.
func TestAccessLog(t *testing.T) {
	var logs hqtest.SyncBuffer
	srv, err := server.Open(context.Background(), hqtest.PostgresURL(t), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewTLSServer(srv.Handler())
	defer hs.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw})
	ctx := context.Background()
	if err := srv.AddShop(ctx, "north"); err != nil {
		t.Fatal(err)
	}
	code, err := srv.EnrolCode(ctx, "north", "T01")
	if err != nil {
		t.Fatal(err)
	}
	enrolled, err := client.Enrol(ctx, hs.URL, ca, api.EnrolRequest{Code: code})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Config{URL: hs.URL, Shop: enrolled.Shop, Token: enrolled.Token, CAPEM: ca, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Upload(ctx, api.UploadRequest{Documents: []api.Document{saleDoc(id1, 1, "3.00")}}); err != nil {
		t.Fatal(err)
	}
	hs.Close() // every request answered and logged
	out := logs.String()
	for _, secret := range []string{enrolled.Token, code, "Cola", "T01-000001"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	var requests []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line not JSON: %q: %v", sc.Text(), err)
		}
		if line["msg"] == "request" {
			requests = append(requests, line)
		}
	}
	if len(requests) != 2 {
		t.Fatalf("%d access-log lines, want 2 (enrol, upload):\n%s", len(requests), out)
	}
	enrol, upload := requests[0], requests[1]
	if enrol["route"] != "POST /v1/enrol" || enrol["status"] != 200.0 || enrol["shop"] != nil || enrol["till"] != nil {
		t.Errorf("enrolment's line: %v", enrol)
	}
	want := map[string]any{"level": "INFO", "method": "POST", "route": "POST /v1/shops/{shop}/upload", "status": 200.0,
		"shop": "north", "till": "T01", "remote": "127.0.0.1"}
	for k, v := range want {
		if upload[k] != v {
			t.Errorf("upload's line: %s = %v, want %v (%v)", k, upload[k], v, upload)
		}
	}
	for _, k := range []string{"duration_ms", "bytes", "bytes_in"} {
		if n, ok := upload[k].(float64); !ok || n < 0 || k != "duration_ms" && n == 0 {
			t.Errorf("upload's line: %s = %v", k, upload[k])
		}
	}
	if _, ok := upload["time"].(string); !ok {
		t.Errorf("upload's line has no time: %v", upload)
	}
}
