// Package server is the head office: an HTTP/JSON API (served over TLS by cmd/checkout-hq) that enrols
// tills and stores what they upload in PostgreSQL, exactly once per document, each shop apart.
package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"checkout/app/document"
	"checkout/hq/api"
)

// Server is the head office's state: a PostgreSQL pool, and another on a replica for the owner's reads
// when one is set (replica.go). It is safe for concurrent use.
type Server struct {
	db      *pgxpool.Pool
	replica *replica // nil: the owner's reads go to db too
	log     *slog.Logger
	ops     *ops // metrics and health (ops.go)
}

// Open connects to the PostgreSQL database at url and brings its schema up to date.
func Open(ctx context.Context, url string, log *slog.Logger) (*Server, error) {
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("head office database: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("head office database: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{db: db, log: log, ops: newOps()}
	if err := s.EnsurePartitions(ctx, time.Now()); err != nil {
		// Not fatal: a month's rows without their partition wait in DEFAULT (partitions.go).
		log.Error("partitions", "err", err)
	}
	return s, nil
}

// Close closes the database pools.
func (s *Server) Close() {
	if s.replica != nil {
		s.replica.close()
	}
	s.db.Close()
}

// Handler returns the API, with GET /healthz and GET /metrics (ops.go), every request counted and
// logged (access.go).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+api.EnrolPath, s.enrol)
	mux.HandleFunc(uploadRoute, s.upload)
	mux.HandleFunc("GET /v1/shops/{shop}/changes", s.changes)
	mux.HandleFunc("POST /v1/shops/{shop}/journal-key", s.registerKey)
	mux.HandleFunc("GET /v1/shops/{shop}/journal", s.journal)
	mux.HandleFunc("POST /v1/shops/{shop}/carts", s.offerCart)
	mux.HandleFunc("GET /v1/shops/{shop}/carts", s.listCarts)
	mux.HandleFunc("POST /v1/shops/{shop}/carts/{id}/claim", s.claimCart)
	mux.HandleFunc("POST /v1/shops/{shop}/member-uses", s.memberUse)
	mux.HandleFunc("PUT /v1/shops/{shop}/stock-alerts", s.putStockAlerts)
	s.handleOps(mux)
	s.dashboard(mux) // the owner's web pages, under /dash/
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &api.Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
	return s.observe(mux)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *api.Error) { writeJSON(w, e.Status, e) }

func badRequest(format string, args ...any) *api.Error {
	return &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Message: fmt.Sprintf(format, args...)}
}

// decode reads a JSON body of at most limit bytes into v, refusing unknown fields and trailing data.
func decode(w http.ResponseWriter, r *http.Request, v any, limit int64) *api.Error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &api.Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("request body over %d bytes", limit)}
	case err != nil:
		return badRequest("malformed JSON: %v", err)
	}
	return nil
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// till is an authenticated till.
type till struct {
	id, shopID int64
	shop, name string
}

// noteVersion records the release the till names in its User-Agent (api.TillVersion), when it names a
// valid one other than the one recorded: a write only when a till is upgraded.
func (s *Server) noteVersion(r *http.Request, t till, recorded string) {
	v := api.TillVersion(r.UserAgent())
	if v == "" || v == recorded {
		return
	}
	if _, err := s.db.Exec(r.Context(), `UPDATE tills SET version = $2 WHERE id = $1`, t.id, v); err != nil {
		s.log.Error("note till version", "till", t.name, "err", err)
	}
}

// authenticate finds the till whose token the request bears, and refuses it for another shop than the
// path's {shop}.
func (s *Server) authenticate(r *http.Request) (till, *api.Error) {
	var t till
	var version string
	auth := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(auth) <= len(prefix) || auth[:len(prefix)] != prefix {
		return t, &api.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "no till token: send Authorization: Bearer TOKEN"}
	}
	err := s.db.QueryRow(r.Context(), `SELECT t.id, t.shop_id, s.code, t.name, t.version FROM tills t JOIN shops s ON s.id = t.shop_id
		WHERE t.token_sha256 = $1`, tokenHash(auth[len(prefix):])).Scan(&t.id, &t.shopID, &t.shop, &t.name, &version)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, &api.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "unknown till token: enrol the till again"}
	}
	if err != nil {
		s.log.Error("authenticate", "err", err)
		return t, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "head office database unavailable"}
	}
	if shop := r.PathValue("shop"); shop != t.shop {
		return t, &api.Error{Status: http.StatusForbidden, Code: "forbidden",
			Message: fmt.Sprintf("till %s belongs to shop %s, not %s", t.name, t.shop, shop)}
	}
	noteTill(r.Context(), t)
	s.noteVersion(r, t, version)
	return t, nil
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// validate checks a batch's envelope before anything is stored: a batch that breaks the protocol (too
// many documents, one twice, out of the till's order) is refused whole. What is wrong with one document
// alone is not the batch's fault: believe rejects that document and the rest are stored.
func validate(req *api.UploadRequest) *api.Error {
	if len(req.Documents) == 0 && len(req.Links) == 0 {
		return badRequest("no documents")
	}
	for i, l := range req.Links {
		if i > 0 && l.Seq <= req.Links[i-1].Seq {
			return badRequest("journal row %d out of order", l.Seq)
		}
	}
	if len(req.Documents) > api.MaxBatch {
		return &api.Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("%d documents, at most %d in one upload", len(req.Documents), api.MaxBatch)}
	}
	seen := make(map[string]bool, len(req.Documents))
	for i, d := range req.Documents {
		switch {
		case seen[d.ID]:
			return badRequest("document %s: twice in one upload", d.ID)
		case d.Seq <= 0 || i > 0 && d.Seq <= req.Documents[i-1].Seq:
			return badRequest("document %s: sequence %d out of the till's order", d.ID, d.Seq)
		}
		seen[d.ID] = true
	}
	return nil
}

// upload checks a batch of a till's documents (believe), stores them in one transaction and answers for
// each: new, already held, or rejected with the reason. A document's money goes into the sales table and
// the member ledger in the same statement, only when the document is new and accepted, so neither counts
// a retried or a rejected document. The unique key (shop, id) of document_keys makes a retry after a lost
// reply store nothing twice.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var req api.UploadRequest
	e := decode(w, r, &req, api.MaxBody)
	if e == nil {
		e = validate(&req)
	}
	if e != nil {
		// The owner sees on checkout-hq status why this till's uploads fail.
		if _, err := s.db.Exec(r.Context(), `UPDATE tills SET last_seen_at = now(), last_error = $2 WHERE id = $1`,
			t.id, refusedPrefix+e.Message); err != nil {
			s.log.Error("note refusal", "till", t.name, "err", err)
		}
		writeError(w, e)
		return
	}
	reply := api.UploadReply{Stored: []string{}, Duplicates: []string{}, Rejected: []api.Rejection{}}
	var c counted
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		reply.Stored, reply.Duplicates, reply.Rejected = reply.Stored[:0], reply.Duplicates[:0], reply.Rejected[:0]
		c.reset()
		return s.store(r.Context(), tx, t, req, &reply, &c)
	})
	var broken *errChain
	if errors.As(err, &broken) {
		s.log.Warn("journal chain refused", "shop", t.shop, "till", t.name, "reason", broken.msg)
		if _, err := s.db.Exec(r.Context(), `UPDATE tills SET last_seen_at = now(), last_error = $2 WHERE id = $1`, t.id, refusedPrefix+broken.msg); err != nil {
			s.log.Error("note refusal", "till", t.name, "err", err)
		}
		writeError(w, &api.Error{Status: http.StatusConflict, Code: "chain", Message: broken.msg})
		return
	}
	if err != nil {
		s.log.Error("upload", "shop", t.shop, "till", t.name, "documents", len(req.Documents), "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not store the documents: retry"})
		return
	}
	s.ops.count(&c)
	writeJSON(w, http.StatusOK, reply)
}

// store checks and stores one batch inside tx and fills the reply; c counts what it stores and rejects
// anew, by kind.
func (s *Server) store(ctx context.Context, tx pgx.Tx, t till, req api.UploadRequest, reply *api.UploadReply, c *counted) error {
	known, head, err := s.continueChain(ctx, tx, t, req.Links)
	if err != nil {
		return err
	}
	reply.Head = head
	anchored := known != nil
	// What the head office already holds of the batch is answered as it was: a retry after a lost reply.
	n := len(req.Documents)
	asked := make([]string, 0, n)
	for _, d := range req.Documents {
		if uuidPattern.MatchString(d.ID) {
			asked = append(asked, d.ID)
		}
	}
	// The keys are kept for ever: a document whose month was archived since is held still, answered as
	// accepted (its reason went with the month).
	held := map[string]string{} // id → reason ("" for accepted)
	rows, err := tx.Query(ctx, `SELECT k.id::text, coalesce(d.reason, '') FROM document_keys k
		LEFT JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at
		WHERE k.shop_id = $1 AND k.id = ANY ($2::uuid[])`, t.shopID, asked)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return err
		}
		held[id] = reason
	}
	if err := rows.Err(); err != nil {
		return err
	}
	b := newBeliever(ctx, tx, t)
	var ids, kinds, statuses, reasons []string
	var versions []int32
	var seqs []int64
	var ats []time.Time
	var bodies []*string
	var raws [][]byte
	for _, d := range req.Documents {
		if reason, ok := held[d.ID]; ok {
			if reason != "" {
				reply.Rejected = append(reply.Rejected, api.Rejection{ID: d.ID, Reason: reason})
			} else {
				reply.Duplicates = append(reply.Duplicates, d.ID)
			}
			continue
		}
		if !uuidPattern.MatchString(d.ID) || !slices.Contains(document.Kinds(), d.Kind) || d.At.IsZero() {
			// Not storable as a document of the shop's: answered, never stored.
			reply.Rejected = append(reply.Rejected, api.Rejection{ID: d.ID,
				Reason: fmt.Sprintf("not a document: id %q, kind %q, time %v", d.ID, d.Kind, d.At)})
			c.rejected = append(c.rejected, d.Kind)
			continue
		}
		v, err := b.believe(d)
		if err != nil {
			return err
		}
		if v.reason == "" && anchored {
			// A document is believed only with the journal row that recorded it.
			l, ok, err := linkOf(ctx, tx, t, known, d.Seq)
			switch {
			case err != nil:
				return err
			case !ok:
				v = rejected("its journal row %d is not in the chain the head office holds", d.Seq)
			default:
				if why := matchesLink(d, l); why != "" {
					v = rejected("%s", why)
				}
			}
		}
		status, body, raw := "accepted", new(string), []byte(nil)
		*body = string(d.Body)
		if v.reason != "" {
			status, body, raw = "rejected", nil, d.Body
			reply.Rejected = append(reply.Rejected, api.Rejection{ID: d.ID, Reason: v.reason})
			c.rejected = append(c.rejected, d.Kind)
			s.log.Warn("document rejected", "shop", t.shop, "till", t.name, "id", d.ID, "kind", d.Kind, "reason", v.reason)
		} else {
			reply.Stored = append(reply.Stored, d.ID)
			c.stored = append(c.stored, d.Kind)
		}
		ids, kinds, versions, seqs, ats = append(ids, d.ID), append(kinds, d.Kind), append(versions, int32(max(d.Version, 1))), append(seqs, d.Seq), append(ats, d.At)
		statuses, reasons, bodies, raws = append(statuses, status), append(reasons, v.reason), append(bodies, body), append(raws, raw)
	}
	var movements int64 // member movements the new documents added to the ledger
	if len(ids) > 0 {
		// One statement for the new documents: their keys taken (one sent by two uploads at once fails the
		// second on the key, and its retry finds it held), inserted in the till's order, and the accepted
		// sales among them added to the sales table, the accepted member movements to the ledger (the rows
		// it says it inserted).
		tag, err := tx.Exec(ctx, `WITH input AS (
				SELECT * FROM unnest($3::uuid[], $4::text[], $5::int[], $6::bigint[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[], $11::bytea[])
					AS i (id, kind, version, seq, at, body, status, reason, raw)),
			key AS (
				INSERT INTO document_keys (shop_id, id, at) SELECT $1, id, at FROM input),
			new AS (
				INSERT INTO documents (shop_id, id, till_id, kind, version, till_seq, at, body, status, reason, raw)
				SELECT $1, id, $2, kind, version, seq, at, body, status, reason, raw FROM input ORDER BY seq
				RETURNING id, kind, at, body, status),
			sale AS (
				INSERT INTO sales (shop_id, id, till_id, receipt_no, completed_at, currency, total)
				SELECT $1, id, $2, body->>'receipt_no', (body->>'completed_at')::timestamptz, body->>'currency', (body->>'total')::numeric
				FROM new WHERE kind = 'sale' AND status = 'accepted')
			INSERT INTO member_movements (shop_id, document_id, member, kind, prepaid, points, at)
			SELECT $1, id, CASE kind WHEN 'topup' THEN body->>'member' ELSE body->'member'->>'number' END, kind,
				CASE kind
					WHEN 'sale' THEN -coalesce((SELECT sum((t->>'amount')::numeric) FROM jsonb_array_elements(body->'tenders') t
						WHERE t->>'kind' = 'prepaid'), 0)
					WHEN 'refund' THEN CASE WHEN body->'tender'->>'kind' = 'prepaid' THEN (body->'tender'->>'amount')::numeric ELSE 0 END
					ELSE (body->>'amount')::numeric + (body->>'bonus')::numeric END,
				CASE kind
					WHEN 'sale' THEN (body->'member'->>'points_earned')::bigint - coalesce((body->'member'->>'points_redeemed')::bigint, 0)
					WHEN 'refund' THEN (body->'member'->>'points_earned')::bigint
					ELSE 0 END,
				at
			FROM new WHERE status = 'accepted' AND (kind IN ('sale', 'refund') AND body ? 'member' OR kind = 'topup')`,
			t.shopID, t.id, ids, kinds, versions, seqs, ats, bodies, statuses, reasons, raws)
		if err != nil {
			return err
		}
		movements = tag.RowsAffected()
	}
	if err := recordCoupons(ctx, tx, t.shopID, t.id, couponUsesOf(ids, kinds, statuses, bodies, ats)); err != nil {
		return err
	}
	// Only a batch that moved members takes the shop's change lock: the shop's other tills' uploads of
	// sales without members do not wait on each other's commits.
	if movements > 0 {
		if err := updateMembers(ctx, tx, t.shopID, t.id, reply.Stored); err != nil {
			return err
		}
	}
	left := max(0, req.Pending-int64(n))
	var oldest *time.Time
	if left > 0 && !req.Oldest.IsZero() {
		oldest = &req.Oldest
	}
	_, err = tx.Exec(ctx, `UPDATE tills SET last_seen_at = now(), last_pending = $2, oldest_pending_at = $3, last_error = $4 WHERE id = $1`,
		t.id, left, oldest, truncate(req.LastError, 500))
	return err
}

// refusedPrefix starts a till's last error when the head office refused its upload whole.
const refusedPrefix = "refused: "

// truncate cuts s to at most n bytes on a rune boundary, and makes it valid UTF-8 without NULs, which
// PostgreSQL's text refuses: what a till reports is shown, never trusted.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "?")
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
