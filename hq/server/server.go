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
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"checkout/hq/api"
)

// Server is the head office's state: a PostgreSQL pool. It is safe for concurrent use.
type Server struct {
	db  *pgxpool.Pool
	log *slog.Logger
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
	return &Server{db: db, log: log}, nil
}

// Close closes the database pool.
func (s *Server) Close() { s.db.Close() }

// Handler returns the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+api.EnrolPath, s.enrol)
	mux.HandleFunc("POST /v1/shops/{shop}/upload", s.upload)
	mux.HandleFunc("GET /v1/shops/{shop}/changes", s.changes)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &api.Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint: " + r.Method + " " + r.URL.Path})
	})
	return mux
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

// decode reads a JSON body of at most api.MaxBody bytes into v, refusing unknown fields and trailing data.
func decode(w http.ResponseWriter, r *http.Request, v any) *api.Error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, api.MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &api.Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
			Message: fmt.Sprintf("request body over %d bytes", api.MaxBody)}
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

// authenticate finds the till whose token the request bears, and refuses it for another shop than the
// path's {shop}.
func (s *Server) authenticate(r *http.Request) (till, *api.Error) {
	var t till
	auth := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(auth) <= len(prefix) || auth[:len(prefix)] != prefix {
		return t, &api.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "no till token: send Authorization: Bearer TOKEN"}
	}
	err := s.db.QueryRow(r.Context(), `SELECT t.id, t.shop_id, s.code, t.name FROM tills t JOIN shops s ON s.id = t.shop_id
		WHERE t.token_sha256 = $1`, tokenHash(auth[len(prefix):])).Scan(&t.id, &t.shopID, &t.shop, &t.name)
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
	return t, nil
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// decimalPattern is money as the till writes it: decimal text in the currency's minor units.
var decimalPattern = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,4})?$`)

// moneyFields are what the head office's tables take from a document: the sales table from a sale, the
// member ledger from a sale or refund with a member, and from a top-up. validate checks them, so that
// storing cannot fail on a malformed document.
type moneyFields struct {
	ID          string          `json:"id"`
	ReceiptNo   string          `json:"receipt_no"`
	CompletedAt string          `json:"completed_at"`
	Currency    string          `json:"currency"`
	Total       string          `json:"total"`
	Amount      string          `json:"amount"` // top-up
	Bonus       string          `json:"bonus"`  // top-up
	Member      json.RawMessage `json:"member"` // a top-up's member number; a sale's or refund's member object
	Tenders     []struct {
		Amount string `json:"amount"`
	} `json:"tenders"`
	Tender json.RawMessage `json:"tender"` // a refund's tender object; a top-up's tender kind
}

// memberOnDocument is a sale's or refund's member.
type memberOnDocument struct {
	Number         string `json:"number"`
	PointsEarned   *int64 `json:"points_earned"`
	PointsRedeemed int64  `json:"points_redeemed"`
}

// checkMoney validates the fields the head office's tables take from a document of kind.
func checkMoney(kind string, d api.Document) *api.Error {
	var f moneyFields
	if err := json.Unmarshal(d.Body, &f); err != nil {
		return badRequest("%s %s: %v", kind, d.ID, err)
	}
	decimals := func(values ...string) bool {
		for _, v := range values {
			if !decimalPattern.MatchString(v) {
				return false
			}
		}
		return true
	}
	bad := func(what string) *api.Error { return badRequest("%s %s: %s missing or malformed", kind, d.ID, what) }
	if f.ID != d.ID {
		return bad("id")
	}
	switch kind {
	case "sale":
		if _, err := time.Parse(time.RFC3339Nano, f.CompletedAt); f.ReceiptNo == "" || f.Currency == "" || !decimals(f.Total) || err != nil {
			return bad("receipt_no, completed_at, currency or total")
		}
		for _, t := range f.Tenders {
			if !decimals(t.Amount) {
				return bad("tender amount")
			}
		}
	case "refund":
		var t struct {
			Amount string `json:"amount"`
		}
		if json.Unmarshal(f.Tender, &t) != nil || !decimals(t.Amount) {
			return bad("tender amount")
		}
	case "topup":
		var number string
		if json.Unmarshal(f.Member, &number) != nil || number == "" || !decimals(f.Amount, f.Bonus) {
			return bad("member, amount or bonus")
		}
		return nil
	}
	if f.Member != nil {
		var m memberOnDocument
		if json.Unmarshal(f.Member, &m) != nil || m.Number == "" || m.PointsEarned == nil {
			return bad("member")
		}
	}
	return nil
}

// validate checks a batch before anything is stored: a bad document refuses the whole batch.
func validate(req *api.UploadRequest) *api.Error {
	if len(req.Documents) == 0 {
		return badRequest("no documents")
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
		case !uuidPattern.MatchString(d.ID):
			return badRequest("document %d: id %q is not a lower-case UUID", i, d.ID)
		case !slices.Contains(api.Kinds, d.Kind):
			return badRequest("document %s: unknown kind %q", d.ID, d.Kind)
		case d.Seq <= 0 || i > 0 && d.Seq <= req.Documents[i-1].Seq:
			return badRequest("document %s: sequence %d out of the till's order", d.ID, d.Seq)
		case d.At.IsZero():
			return badRequest("document %s: no time", d.ID)
		case len(d.Body) == 0 || d.Body[0] != '{':
			return badRequest("document %s: body is not a JSON object", d.ID)
		}
		if d.Kind == "sale" || d.Kind == "refund" || d.Kind == "topup" {
			if e := checkMoney(d.Kind, d); e != nil {
				return e
			}
		}
		seen[d.ID] = true
	}
	return nil
}

// upload stores a batch of a till's documents in one transaction and acknowledges each: new, or already
// held. A document's money goes into the sales table and the member ledger in the same statement, and
// only when the document is new, so neither counts a retried document twice. The unique key (shop, id) makes a retry after a lost reply store nothing twice.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var req api.UploadRequest
	if e := decode(w, r, &req); e != nil {
		writeError(w, e)
		return
	}
	if e := validate(&req); e != nil {
		writeError(w, e)
		return
	}
	n := len(req.Documents)
	ids, kinds, seqs, ats, bodies := make([]string, n), make([]string, n), make([]int64, n), make([]time.Time, n), make([]string, n)
	for i, d := range req.Documents {
		ids[i], kinds[i], seqs[i], ats[i], bodies[i] = d.ID, d.Kind, d.Seq, d.At, string(d.Body)
	}
	stored := make([]string, 0, n)
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		// One statement for the whole batch: the documents new to this shop are inserted (in the till's
		// order), and the new sales among them are added to the sales table.
		rows, err := tx.Query(r.Context(), `WITH input AS (
				SELECT * FROM unnest($3::uuid[], $4::text[], $5::bigint[], $6::timestamptz[], $7::jsonb[]) AS i (id, kind, seq, at, body)),
			new AS (
				INSERT INTO documents (shop_id, id, till_id, kind, till_seq, at, body)
				SELECT $1, id, $2, kind, seq, at, body FROM input ORDER BY seq
				ON CONFLICT (shop_id, id) DO NOTHING
				RETURNING id, kind, at, body),
			sale AS (
				INSERT INTO sales (shop_id, id, till_id, receipt_no, completed_at, currency, total)
				SELECT $1, id, $2, body->>'receipt_no', (body->>'completed_at')::timestamptz, body->>'currency', (body->>'total')::numeric
				FROM new WHERE kind = 'sale'),
			member AS (
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
				FROM new WHERE kind IN ('sale', 'refund') AND body ? 'member' OR kind = 'topup')
			SELECT id::text FROM new`, t.shopID, t.id, ids, kinds, seqs, ats, bodies)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			stored = append(stored, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := updateMembers(r.Context(), tx, t.shopID, t.id, stored); err != nil {
			return err
		}
		_, err = tx.Exec(r.Context(), `UPDATE tills SET last_seen_at = now(), last_pending = $2 WHERE id = $1`,
			t.id, max(0, req.Pending-int64(n)))
		return err
	})
	if err != nil {
		s.log.Error("upload", "shop", t.shop, "till", t.name, "documents", n, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not store the documents: retry"})
		return
	}
	isNew := make(map[string]bool, len(stored))
	for _, id := range stored {
		isNew[id] = true
	}
	reply := api.UploadReply{Stored: stored, Duplicates: []string{}}
	for _, id := range ids {
		if !isNew[id] {
			reply.Duplicates = append(reply.Duplicates, id)
		}
	}
	writeJSON(w, http.StatusOK, reply)
}
