package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
)

// Parked carts shared by the tills of a shop: a till offers a cart when it parks it, the others list the
// shop's unclaimed carts, and resuming one claims it, so only one till can take it.

// offerCart keeps a parked cart the till offers its shop. The cart is checked as a document is (a till's
// token proves who talks, not that the cart is well formed) and must be the till's own. Offering the same
// cart again is fine (a retry whose reply was lost, or a cart the till resumed and parked again), unless
// another till claimed it meanwhile: then the reply is 409 "taken", naming that till, and the offering
// till drops its copy. The shop's carts untouched for api.CartsKept go first: tills offer their carts
// again after each sync, so this is where the table is kept small.
func (s *Server) offerCart(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var body json.RawMessage
	if e := decode(w, r, &body, api.MaxCartBody); e != nil {
		writeError(w, e)
		return
	}
	cart, err := document.CheckCart(body)
	if err != nil {
		writeError(w, badRequest("%v", err))
		return
	}
	if cart.Till != t.name {
		writeError(w, &api.Error{Status: http.StatusForbidden, Code: "forbidden",
			Message: fmt.Sprintf("till %s cannot offer a cart parked at %s", t.name, cart.Till)})
		return
	}
	at, _ := time.Parse(document.CartTime, cart.ParkedAt) // checked
	// Housekeeping: a failure here leaves old carts for the next offer, and refuses nothing. A claimed
	// cart's claimed_at is after its offered_at, so the index on offered_at finds all the old ones.
	if _, err := s.db.Exec(r.Context(), `DELETE FROM parked_carts WHERE shop_id = $1 AND offered_at < now() - $2::interval
		AND (claimed_at IS NULL OR claimed_at < now() - $2::interval)`, t.shopID, api.CartsKept); err != nil {
		s.log.Warn("delete old carts", "shop", t.shop, "err", err)
	}
	// New, or the till's own again (a retry, or parked again after the till resumed it itself): kept as
	// offered now. One another till claimed stays that till's, and the offer is told so.
	var stored bool
	var owner int64
	var by string
	err = s.db.QueryRow(r.Context(), `WITH up AS (
			INSERT INTO parked_carts (shop_id, id, till_id, parked_at, body) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (shop_id, id) DO UPDATE SET body = EXCLUDED.body, parked_at = EXCLUDED.parked_at, offered_at = now(),
				claimed_by = NULL, claimed_at = NULL
			WHERE parked_carts.till_id = EXCLUDED.till_id AND (parked_carts.claimed_by IS NULL OR parked_carts.claimed_by = EXCLUDED.till_id)
			RETURNING till_id)
		SELECT true, till_id, '' FROM up
		UNION ALL
		SELECT false, c.till_id, coalesce(t.name, '') FROM parked_carts c LEFT JOIN tills t ON t.id = c.claimed_by
		WHERE c.shop_id = $1 AND c.id = $2 AND NOT EXISTS (SELECT 1 FROM up)`,
		t.shopID, cart.ID, t.id, at, body).Scan(&stored, &owner, &by)
	if err != nil {
		s.log.Error("offer cart", "shop", t.shop, "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "could not keep the cart: retry"})
		return
	}
	switch {
	case owner != t.id:
		writeError(w, &api.Error{Status: http.StatusConflict, Code: "conflict", Message: "another till offered a cart with this id"})
		return
	case !stored:
		writeError(w, &api.Error{Status: http.StatusConflict, Code: "taken", Message: "the cart was taken by till " + by, ClaimedBy: by})
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(body))
}

// listCarts answers the shop's parked carts that other tills offered and nobody has claimed, parked in
// the last api.CartsListed, newest first, at most api.MaxCarts. By when they were parked, not offered:
// a till offers its carts again after each sync, however old.
func (s *Server) listCarts(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	rows, err := s.db.Query(r.Context(), `SELECT body FROM parked_carts WHERE shop_id = $1 AND claimed_by IS NULL AND till_id <> $2
		AND parked_at > now() - $3::interval ORDER BY parked_at DESC, id DESC LIMIT $4`, t.shopID, t.id, api.CartsListed, api.MaxCarts)
	var reply api.Carts
	if err == nil {
		reply.Carts, err = pgx.CollectRows(rows, pgx.RowTo[json.RawMessage])
	}
	if err != nil {
		s.log.Error("list carts", "shop", t.shop, "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "head office database unavailable"})
		return
	}
	if reply.Carts == nil {
		reply.Carts = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, reply)
}

// claimCart makes a parked cart the till's, in one conditional statement: of two tills claiming it at
// once, one gets it and the other is told which till has it. Claiming a cart the till has already is
// fine (a retry after a lost reply).
func (s *Server) claimCart(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	id := r.PathValue("id")
	if !uuidPattern.MatchString(id) {
		writeError(w, badRequest("cart id %q is not a lower-case UUID", truncate(id, 64)))
		return
	}
	var body json.RawMessage
	err := s.db.QueryRow(r.Context(), `UPDATE parked_carts SET claimed_by = $3, claimed_at = now()
		WHERE shop_id = $1 AND id = $2 AND (claimed_by IS NULL OR claimed_by = $3) RETURNING body`, t.shopID, id, t.id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		var by *string
		err = s.db.QueryRow(r.Context(), `SELECT (SELECT name FROM tills WHERE id = c.claimed_by) FROM parked_carts c
			WHERE shop_id = $1 AND id = $2`, t.shopID, id).Scan(&by)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			writeError(w, &api.Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such parked cart in shop " + t.shop})
			return
		case err == nil && by != nil:
			writeError(w, &api.Error{Status: http.StatusConflict, Code: "taken", Message: "the cart was taken by till " + *by, ClaimedBy: *by})
			return
		case err == nil:
			err = errors.New("claimed by nobody, and not claimable")
		}
	}
	if err != nil {
		s.log.Error("claim cart", "shop", t.shop, "till", t.name, "cart", id, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "head office database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, body)
}
