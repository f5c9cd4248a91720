package server

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/hq/api"
)

// EnrolCodeTTL is how long an enrolment code stays usable.
const EnrolCodeTTL = 24 * time.Hour

// randomText returns n random bytes as unpadded base32: easy to read aloud and type.
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// AddShop creates a shop; code names it in URLs and commands (letters, digits, - and _).
func (s *Server) AddShop(ctx context.Context, code string) error {
	_, err := s.db.Exec(ctx, `INSERT INTO shops (code) VALUES ($1)`, code)
	if err != nil {
		return fmt.Errorf("add shop %s: %w", code, err)
	}
	return nil
}

// EnrolCode makes a one-time code that enrols a till named till in shop; it expires after EnrolCodeTTL.
// Only its SHA-256 is stored.
func (s *Server) EnrolCode(ctx context.Context, shop, till string) (string, error) {
	if strings.TrimSpace(till) == "" {
		return "", errors.New("enrol code: no till name")
	}
	code := randomText(10)
	tag, err := s.db.Exec(ctx, `INSERT INTO enrol_codes (code_sha256, shop_id, till, expires_at)
		SELECT $1, id, $3, now() + $4::interval FROM shops WHERE code = $2`, tokenHash(code), shop, till, EnrolCodeTTL.String())
	if err != nil {
		return "", fmt.Errorf("enrol code: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return "", fmt.Errorf("enrol code: no shop %q", shop)
	}
	return code, nil
}

// enrol trades a one-time code for a new till token. Enrolling a till name again replaces its token, so
// a lost or stolen token is revoked by enrolling the till anew.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	var req api.EnrolRequest
	// Anyone may knock here: a code is a few bytes, so a big body is refused after 4 KiB, never held.
	if e := decode(w, r, &req, api.MaxEnrolBody); e != nil {
		writeError(w, e)
		return
	}
	var key []byte
	if req.JournalKey != "" {
		var err error
		if key, err = checkKeyAndHead(req.JournalKey, req.Head); err != nil {
			writeError(w, badRequest("%v", err))
			return
		}
	}
	token := randomText(32)
	var reply api.EnrolReply
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		var shopID int64
		err := tx.QueryRow(r.Context(), `UPDATE enrol_codes c SET used_at = now() FROM shops s
			WHERE c.code_sha256 = $1 AND c.used_at IS NULL AND c.expires_at > now() AND s.id = c.shop_id
			RETURNING c.shop_id, s.code, c.till`, tokenHash(strings.TrimSpace(req.Code))).Scan(&shopID, &reply.Shop, &reply.Till)
		if err != nil {
			return err
		}
		// Enrolling anchors the till's journal chain anew, at the head it has now (a till enrolled again,
		// new or restored, goes on from there).
		_, err = tx.Exec(r.Context(), `INSERT INTO tills (shop_id, name, token_sha256, enrolled_at, journal_key, anchor_seq, anchor_hash, head_seq, head_hash)
			VALUES ($1, $2, $3, now(), $4, $5, $6, $5, $6)
			ON CONFLICT (shop_id, name) DO UPDATE SET token_sha256 = excluded.token_sha256, enrolled_at = excluded.enrolled_at,
				journal_key = excluded.journal_key, anchor_seq = excluded.anchor_seq, anchor_hash = excluded.anchor_hash,
				head_seq = excluded.head_seq, head_hash = excluded.head_hash`,
			shopID, reply.Till, tokenHash(token), key, req.Head.Seq, req.Head.Hash)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		writeError(w, &api.Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "unknown, used or expired enrolment code"})
		return
	}
	if err != nil {
		s.log.Error("enrol", "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not enrol: retry"})
		return
	}
	reply.Token = token
	writeJSON(w, http.StatusOK, reply)
}

// TillStatus is what the owner sees of one till.
type TillStatus struct {
	Shop, Till string
	LastSeen   time.Time // zero for never
	Pending    int64     // documents the till held unsent at its last upload
	Documents  int64     // documents stored from it, rejected ones included
	Sales      int64
	Rejected   int64 // documents it sent that failed the head office's checks
	// Oldest is when the till's oldest unsent document was made, as it last said; zero when none waits.
	Oldest    time.Time
	LastError string // the till's last failure to sync, or the head office's last refusal of it
	Version   string // the release the till last named (api.TillVersion), "" for none yet
}

// Status lists every till of every shop.
func (s *Server) Status(ctx context.Context) ([]TillStatus, error) { return s.tills(ctx, nil, true) }

// tills reads the status of the tills of the shops named by ID, of every shop for nil: with counts, what
// each sent (a count over its documents, which /metrics, asking at every scrape, goes without:
// Documents, Sales and Rejected are then 0). One of the owner's reads: on the replica when one serves.
func (s *Server) tills(ctx context.Context, shops []int64, counts bool) ([]TillStatus, error) {
	rows, err := s.reads().Query(ctx, `SELECT s.code, t.name, t.last_seen_at, t.last_pending,
			CASE WHEN $2 THEN (SELECT count(*) FROM documents d WHERE d.till_id = t.id) ELSE 0 END,
			CASE WHEN $2 THEN (SELECT count(*) FROM sales x WHERE x.till_id = t.id) ELSE 0 END,
			CASE WHEN $2 THEN (SELECT count(*) FROM documents d WHERE d.till_id = t.id AND d.status = 'rejected') ELSE 0 END,
			t.oldest_pending_at, t.last_error, t.version
		FROM tills t JOIN shops s ON s.id = t.shop_id WHERE $1::bigint[] IS NULL OR t.shop_id = ANY ($1)
		ORDER BY s.code, t.name`, shops, counts)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (TillStatus, error) {
		var st TillStatus
		var seen, oldest *time.Time
		err := row.Scan(&st.Shop, &st.Till, &seen, &st.Pending, &st.Documents, &st.Sales, &st.Rejected, &oldest, &st.LastError, &st.Version)
		if seen != nil {
			st.LastSeen = *seen
		}
		if oldest != nil {
			st.Oldest = *oldest
		}
		return st, err
	})
}
