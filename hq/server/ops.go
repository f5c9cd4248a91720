package server

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"checkout/app/document"
	"checkout/hq/api"
)

// Ops says how checkout-hq serve offers its operations endpoints: GET /healthz, for anyone, and GET
// /metrics (Prometheus), never to the internet.
type Ops struct {
	// MetricsApart: /metrics is served by MetricsHandler, on a listener of its own, and Handler's API
	// answers it 404. Otherwise the API serves it to loopback clients only.
	MetricsApart bool
	// SilentAfter: a till not heard from for longer counts in checkout_hq_tills_silent; 0 means
	// DefaultSilentAfter.
	SilentAfter time.Duration
}

// DefaultSilentAfter is how long a till may go without uploading before /metrics counts it as silent.
// A till uploads only when it has something to send, so a shop that is closed (or sells nothing) is
// silent too: alert on it during trading hours.
const DefaultSilentAfter = 30 * time.Minute

// healthTimeout bounds /healthz's query; healthEvery is how often at most it asks the database, however
// often it is asked: an endpoint open to anyone must not take the uploads' connections.
const (
	healthTimeout = 2 * time.Second
	healthEvery   = time.Second
)

// uploadRoute is the tills' upload: its requests and latency have metrics of their own.
const uploadRoute = "POST /v1/shops/{shop}/upload"

// ops is a server's metrics and /healthz's last answer.
type ops struct {
	Ops
	stored, rejected *counterVec // documents, by kind
	requests         *counterVec // HTTP requests by route pattern and status class
	uploads          *counterVec // upload requests by status class
	uploadSeconds    *histogram

	healthMu  sync.Mutex
	healthAt  time.Time
	healthErr error
}

func newOps() *ops {
	o := &ops{
		stored: newCounterVec("checkout_hq_documents_stored_total",
			"Documents stored from the tills' uploads, new and accepted (a resent document is not counted again).", "kind"),
		rejected: newCounterVec("checkout_hq_documents_rejected_total",
			"Documents the head office's checks rejected (kept apart, never counted in sales or balances).", "kind"),
		requests: newCounterVec("checkout_hq_http_requests_total", "HTTP requests answered, by route pattern and status class.",
			"route", "code"),
		uploads: newCounterVec("checkout_hq_upload_requests_total", "Upload requests from the tills, by status class.", "code"),
		uploadSeconds: newHistogram("checkout_hq_upload_duration_seconds",
			"Time to answer a till's upload request, checks and storage included.",
			0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
	}
	for _, k := range document.Kinds() {
		o.stored.add(0, k)
		o.rejected.add(0, k)
	}
	return o
}

// counted is what one upload stored and rejected anew, by document kind, once its transaction commits.
type counted struct{ stored, rejected []string }

func (c *counted) reset() { c.stored, c.rejected = c.stored[:0], c.rejected[:0] }

// kindLabel bounds the kind label to the documents' kinds: what a till calls a kind is not trusted.
func kindLabel(kind string) string {
	if slices.Contains(document.Kinds(), kind) {
		return kind
	}
	return "other"
}

func (o *ops) count(c *counted) {
	for _, k := range c.stored {
		o.stored.add(1, kindLabel(k))
	}
	for _, k := range c.rejected {
		o.rejected.add(1, kindLabel(k))
	}
}

// SetOps sets how the operations endpoints behave. Call it before serving.
func (s *Server) SetOps(o Ops) { s.ops.Ops = o }

// handleOps adds the operations endpoints to the API's mux.
func (s *Server) handleOps(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case s.ops.MetricsApart:
			writeError(w, &api.Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint: " + r.Method + " " + r.URL.Path})
		case !local(r):
			writeError(w, &api.Error{Status: http.StatusForbidden, Code: "forbidden", Message: "metrics are served to this machine only"})
		default:
			s.metrics(w, r)
		}
	})
}

// MetricsHandler returns GET /metrics and GET /healthz alone, for a listener of their own (checkout-hq
// serve -metrics-listen): plain HTTP, no authentication; keep it off the internet.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics)
	return s.observe(mux)
}

// local reports whether a request came from this machine, straight: a loopback address, and no proxy's
// forwarding headers (a proxy on this machine would make every client look local).
func local(r *http.Request) bool {
	if r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// healthz answers 200 "ok" when PostgreSQL answers a trivial query within healthTimeout, else 503 with
// the reason in a word or two (the error itself, which may name hosts and users, goes to the log).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	err := s.ops.health(r.Context(), s.db)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case err == nil:
		w.Write([]byte("ok\n"))
		return
	case errors.Is(err, context.DeadlineExceeded):
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database did not answer within " + healthTimeout.String() + "\n"))
	default:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
	}
	s.log.Warn("health check", "err", err)
}

// health asks the database SELECT 1, at most once per healthEvery: callers in between get the last
// answer. A caller that hangs up does not cut the check short for the others.
func (o *ops) health(ctx context.Context, db *pgxpool.Pool) error {
	o.healthMu.Lock()
	defer o.healthMu.Unlock()
	if !o.healthAt.IsZero() && time.Since(o.healthAt) < healthEvery {
		return o.healthErr
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), healthTimeout)
	defer cancel()
	var one int
	err := db.QueryRow(ctx, `SELECT 1`).Scan(&one)
	o.healthAt, o.healthErr = time.Now(), err
	return err
}

// metrics writes the Prometheus text format: the counters since the server started, then the tills'
// state read from the database now (the status command's query, without its counts).
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	s.ops.stored.write(&b)
	s.ops.rejected.write(&b)
	s.ops.uploads.write(&b)
	s.ops.uploadSeconds.write(&b)
	s.ops.requests.write(&b)

	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	tills, err := s.tills(ctx, nil, false)
	up := 1.0
	if err != nil {
		up = 0
		s.log.Warn("metrics: tills", "err", err)
	}
	gauge(&b, "checkout_hq_database_up", "1 when the database answered this scrape's query, else 0 (and no till gauges).", up)
	if err == nil {
		s.tillGauges(&b, tills, time.Now())
	}
	s.replicaGauges(&b)
	w.Header().Set("Content-Type", metricsContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

// tillGauges writes what the tills' last reports say: how many are behind (holding documents unsent),
// silent, and how long the oldest unsent document has waited.
func (s *Server) tillGauges(b *bytes.Buffer, tills []TillStatus, now time.Time) {
	silentAfter := s.ops.SilentAfter
	if silentAfter <= 0 {
		silentAfter = DefaultSilentAfter
	}
	var behind, silent, unsent float64
	var oldest time.Time
	for _, t := range tills {
		if t.Pending > 0 {
			behind++
			unsent += float64(t.Pending)
			if !t.Oldest.IsZero() && (oldest.IsZero() || t.Oldest.Before(oldest)) {
				oldest = t.Oldest
			}
		}
		if t.LastSeen.IsZero() || now.Sub(t.LastSeen) > silentAfter {
			silent++
		}
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(0, now.Sub(oldest).Seconds())
	}
	gauge(b, "checkout_hq_tills", "Tills enrolled, in every shop.", float64(len(tills)))
	gauge(b, "checkout_hq_tills_behind", "Tills whose last upload said they still held documents unsent.", behind)
	gauge(b, "checkout_hq_tills_silent",
		"Tills not heard from for longer than -silent-after, or never (a till uploads only when it has something to send).", silent)
	gauge(b, "checkout_hq_unsent_documents", "Documents the tills said, at their last uploads, they still held unsent.", unsent)
	gauge(b, "checkout_hq_oldest_unsent_age_seconds",
		"Age of the oldest document a till said it held unsent at its last upload; 0 when none waits.", age)
}
