package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
)

// A till's journal is a hash chain keyed with its journal key. The head office anchors it: it holds the
// key (registered at enrolment), the head of the chain then (the anchor) and every link uploaded since,
// and takes a link only if it continues the head it holds. A till whose journal was rewritten, cut short
// or forked after it reached the head office cannot upload again until someone looks; a document is
// believed only together with the link that journaled it.

// genesisHash is the previous hash of a journal's first row.
var genesisHash = strings.Repeat("0", 64)

// errChain is a batch whose links do not continue the chain the head office holds: refused whole.
type errChain struct{ msg string }

func (e *errChain) Error() string { return e.msg }

func chainRefusal(format string, args ...any) error {
	return &errChain{msg: fmt.Sprintf(format, args...)}
}

// linkHash is the till's journal hash of a row (store.journalHash's keyed form).
func linkHash(key []byte, prevHash string, seq int64, at, kind, payload string) string {
	mac := hmac.New(sha256.New, key)
	for _, field := range []string{prevHash, strconv.FormatInt(seq, 10), at, kind, payload} {
		fmt.Fprintf(mac, "%d:%s;", len(field), field)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// tillChain is what the head office holds of a till's chain.
type tillChain struct {
	key          []byte
	anchor, head api.Head
}

func (s *Server) chainOf(ctx context.Context, q pgx.Tx, tillID int64, lock bool) (tillChain, error) {
	var c tillChain
	sql := `SELECT journal_key, anchor_seq, anchor_hash, head_seq, head_hash FROM tills WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE` // two servers taking the same till's batches take turns
	}
	err := q.QueryRow(ctx, sql, tillID).Scan(&c.key, &c.anchor.Seq, &c.anchor.Hash, &c.head.Seq, &c.head.Hash)
	return c, err
}

// continueChain checks a batch's links against the chain held, stores the new ones and moves the head,
// and returns the links the batch's documents may name (the new ones, and stored ones it re-sent), nil
// for a till with no key registered: it uploads as before keys, no links, documents unanchored.
func (s *Server) continueChain(ctx context.Context, tx pgx.Tx, t till, links []api.Link) (map[int64]api.Link, api.Head, error) {
	c, err := s.chainOf(ctx, tx, t.id, true)
	if err != nil {
		return nil, api.Head{}, err
	}
	if c.key == nil {
		if len(links) > 0 {
			return nil, c.head, chainRefusal("the till's journal key is not registered: the till registers it before it sends links")
		}
		return nil, c.head, nil
	}
	known := make(map[int64]api.Link, len(links))
	var fresh []api.Link
	for _, l := range links {
		if l.Seq > c.head.Seq {
			fresh = append(fresh, l)
			continue
		}
		// A retry after a lost reply sends links the head office holds already: they must be the same.
		var hash string
		err := tx.QueryRow(ctx, `SELECT hash FROM journal_links WHERE till_id = $1 AND seq = $2`, t.id, l.Seq).Scan(&hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows) && l.Seq == c.anchor.Seq:
			hash = c.anchor.Hash
		case errors.Is(err, pgx.ErrNoRows):
			return nil, c.head, chainRefusal("journal row %d is from before the head office's anchor at row %d", l.Seq, c.anchor.Seq)
		case err != nil:
			return nil, c.head, err
		}
		if hash != l.Hash {
			return nil, c.head, chainRefusal("journal row %d differs from the one the head office holds: the till's journal was rewritten", l.Seq)
		}
		known[l.Seq] = l
	}
	prev := c.head
	if prev.Seq == 0 {
		prev.Hash = genesisHash // the row before the first
	}
	for _, l := range fresh {
		switch {
		case l.Seq != prev.Seq+1:
			return nil, c.head, chainRefusal("journal row %d sent after row %d: rows are missing", l.Seq, prev.Seq)
		case l.PrevHash != prev.Hash:
			return nil, c.head, chainRefusal("journal row %d does not continue row %d as the head office holds it: the chain forked", l.Seq, prev.Seq)
		case linkHash(c.key, l.PrevHash, l.Seq, l.At, l.Kind, l.Payload) != l.Hash:
			return nil, c.head, chainRefusal("journal row %d does not match its hash with the till's key", l.Seq)
		}
		prev = api.Head{Seq: l.Seq, Hash: l.Hash}
		known[l.Seq] = l
	}
	if len(fresh) == 0 {
		return known, c.head, nil
	}
	seqs, ats, kinds, payloads, prevs, hashes := make([]int64, len(fresh)), make([]string, len(fresh)), make([]string, len(fresh)),
		make([]string, len(fresh)), make([]string, len(fresh)), make([]string, len(fresh))
	for i, l := range fresh {
		seqs[i], ats[i], kinds[i], payloads[i], prevs[i], hashes[i] = l.Seq, truncate(l.At, 64), truncate(l.Kind, 64), strings.ReplaceAll(l.Payload, "\x00", ""), l.PrevHash, l.Hash
	}
	if _, err := tx.Exec(ctx, `INSERT INTO journal_links (till_id, seq, at, kind, payload, prev_hash, hash)
		SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
		t.id, seqs, ats, kinds, payloads, prevs, hashes); err != nil {
		return nil, c.head, err
	}
	if _, err := tx.Exec(ctx, `UPDATE tills SET head_seq = $2, head_hash = $3 WHERE id = $1`, t.id, prev.Seq, prev.Hash); err != nil {
		return nil, c.head, err
	}
	return known, prev, nil
}

// linkOf finds the journal row a document names (by its seq) among the batch's links or those held.
func linkOf(ctx context.Context, tx pgx.Tx, t till, known map[int64]api.Link, seq int64) (api.Link, bool, error) {
	if l, ok := known[seq]; ok {
		return l, true, nil
	}
	var l api.Link
	err := tx.QueryRow(ctx, `SELECT seq, at, kind, payload, prev_hash, hash FROM journal_links WHERE till_id = $1 AND seq = $2`,
		t.id, seq).Scan(&l.Seq, &l.At, &l.Kind, &l.Payload, &l.PrevHash, &l.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// matchesLink says why a document's body is not what its journal row recorded, or "": a sale's, refund's
// or Z report's row holds the digest of its document; a stock movement's, shift's or cash movement's row
// is the document; a top-up's row holds its figures.
func matchesLink(d api.Document, l api.Link) string {
	if l.Kind != d.Kind {
		return fmt.Sprintf("its journal row %d is a %s, not a %s", l.Seq, l.Kind, d.Kind)
	}
	switch d.Kind {
	case document.KindSale, document.KindRefund, document.KindZReport:
		var e struct {
			DocSHA256 string `json:"doc_sha256"`
		}
		if json.Unmarshal([]byte(l.Payload), &e) != nil || e.DocSHA256 != document.DigestJSON(d.Body) {
			return fmt.Sprintf("it is not the document its journal row %d recorded", l.Seq)
		}
	case document.KindTopUp:
		var e document.TopUpEntry
		var b document.TopUp
		if json.Unmarshal([]byte(l.Payload), &e) != nil || json.Unmarshal(d.Body, &b) != nil || e.ID != b.ID ||
			e.ReceiptNo != b.ReceiptNo || e.Member != b.Member || e.Amount != b.Amount || e.Bonus != b.Bonus ||
			e.Currency != b.Currency || e.Tender != b.Tender || e.SignatureSHA256 != b.SignatureSHA256 {
			return fmt.Sprintf("it is not the top-up its journal row %d recorded", l.Seq)
		}
	default:
		if string(d.Body) != l.Payload {
			return fmt.Sprintf("it is not the document its journal row %d recorded", l.Seq)
		}
	}
	return ""
}

// registerKey records a till's journal key and anchors its chain at head, once: a till that has a key
// keeps it until it is enrolled again. Registering the same key and head again succeeds.
func (s *Server) registerKey(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var req api.JournalKeyRequest
	if e := decode(w, r, &req, api.MaxEnrolBody); e != nil {
		writeError(w, e)
		return
	}
	key, err := checkKeyAndHead(req.JournalKey, req.Head)
	if err != nil {
		writeError(w, badRequest("%v", err))
		return
	}
	tag, err := s.db.Exec(r.Context(), `UPDATE tills SET journal_key = $2, anchor_seq = $3, anchor_hash = $4, head_seq = $3, head_hash = $4
		WHERE id = $1 AND journal_key IS NULL`, t.id, key, req.Head.Seq, req.Head.Hash)
	if err != nil {
		s.log.Error("register journal key", "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not register the key: retry"})
		return
	}
	if tag.RowsAffected() == 0 {
		// The same key at the same anchor again is a retry whose reply was lost (on this server or
		// another): answered as the first was, the head left where the uploads since took it.
		var same bool
		err := s.db.QueryRow(r.Context(), `SELECT journal_key = $2 AND anchor_seq = $3 AND anchor_hash IS NOT DISTINCT FROM $4
			FROM tills WHERE id = $1`, t.id, key, req.Head.Seq, req.Head.Hash).Scan(&same)
		if err != nil {
			s.log.Error("register journal key", "till", t.name, "err", err)
			writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not register the key: retry"})
			return
		}
		if !same {
			writeError(w, &api.Error{Status: http.StatusConflict, Code: "key_registered",
				Message: "this till's journal key is registered already: enrol the till again to change it"})
			return
		}
	}
	writeJSON(w, http.StatusOK, req.Head)
}

// checkKeyAndHead reads a journal key (64 hex digits) and the head it anchors at.
func checkKeyAndHead(keyHex string, head api.Head) ([]byte, error) {
	key, err := hex.DecodeString(keyHex)
	switch {
	case err != nil || len(key) != 32:
		return nil, errors.New("journal_key: 64 hex digits")
	case head.Seq < 0 || head.Seq == 0 && head.Hash != "" || head.Seq > 0 && len(head.Hash) != 64:
		return nil, errors.New("head: a sequence and its 64-digit hash, or 0 and none")
	}
	return key, nil
}

// journal answers a till comparing its journal with the head office's copy: the anchor and head, or
// with ?seq=N the link N.
func (s *Server) journal(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	tx, err := s.db.Begin(r.Context())
	if err != nil {
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "retry"})
		return
	}
	defer tx.Rollback(r.Context())
	c, err := s.chainOf(r.Context(), tx, t.id, false)
	if err != nil {
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "retry"})
		return
	}
	v := r.URL.Query().Get("seq")
	if v == "" {
		writeJSON(w, http.StatusOK, api.Chain{Registered: c.key != nil, Anchor: c.anchor, Head: c.head})
		return
	}
	seq, err := strconv.ParseInt(v, 10, 64)
	if err != nil || seq < 1 {
		writeError(w, badRequest("seq: a journal row number"))
		return
	}
	if seq == c.anchor.Seq {
		writeJSON(w, http.StatusOK, api.Link{Seq: seq, Hash: c.anchor.Hash})
		return
	}
	l, ok, err := linkOf(r.Context(), tx, t, nil, seq)
	switch {
	case err != nil:
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "retry"})
	case !ok:
		writeError(w, &api.Error{Status: http.StatusNotFound, Code: "not_found", Message: fmt.Sprintf("the head office holds no journal row %d of this till", seq)})
	default:
		writeJSON(w, http.StatusOK, l)
	}
}
