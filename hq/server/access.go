package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// requestInfo is what a handler learns about a request that the access log and the metrics want after
// it: the till, once authenticated.
type requestInfo struct{ shop, till string }

type requestInfoKey struct{}

// noteTill records the authenticated till of the request whose context ctx is, for the access log.
func noteTill(ctx context.Context, t till) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		info.shop, info.till = t.shop, t.name
	}
}

// observe wraps the API: every request is counted by route pattern and status class, an upload's
// latency observed, and one access-log line written: method, route pattern, status, duration, bytes,
// the client's address and, when authenticated, shop and till. Never the path's values beyond the
// pattern, a header or a body: no token or enrolment code reaches the log.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		in := &countingBody{ReadCloser: r.Body}
		if r.Body != nil {
			r.Body = in
		}
		rec := &recorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			p := recover()
			switch {
			case p != nil:
				status = http.StatusInternalServerError
			case status == 0:
				status = http.StatusOK
			}
			d := time.Since(start)
			route := r.Pattern // set by the mux on this request
			if route == "" {
				route = "unmatched"
			}
			class := strconv.Itoa(status/100) + "xx"
			s.ops.requests.add(1, route, class)
			if route == uploadRoute {
				s.ops.uploads.add(1, class)
				s.ops.uploadSeconds.observe(d.Seconds())
			}
			attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000), slog.Int64("bytes", rec.bytes),
				slog.Int64("bytes_in", in.n), slog.String("remote", remoteHost(r))}
			if info.till != "" {
				attrs = append(attrs, slog.String("shop", info.shop), slog.String("till", info.till))
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recorder is a ResponseWriter that notes the status and counts the body's bytes. Unwrap lets
// http.ResponseController reach the connection's own writer (flushes, deadlines).
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// countingBody counts the request body's bytes the handler read.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}
