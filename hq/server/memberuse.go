package server

import (
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"

	"checkout/app/document"
	"checkout/hq/api"
)

// memberUse records that the till uses a member's account now and answers the other tills of the shop
// that used it in the last api.MemberUseWindow, by the head office's clock. One row per till and member
// (its latest use) keeps the table as small as the shop's busy accounts; rows older than a day go as
// any use is recorded, a cheap indexed delete.
func (s *Server) memberUse(w http.ResponseWriter, r *http.Request) {
	t, aerr := s.authenticate(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	var req api.MemberUseRequest
	if e := decode(w, r, &req, 1<<10); e != nil {
		writeError(w, e)
		return
	}
	if !document.MemberNumberOK(req.Member) {
		writeError(w, badRequest("member number %q is not one", truncate(req.Member, 64)))
		return
	}
	window := fmt.Sprintf("%d seconds", int64(api.MemberUseWindow.Seconds()))
	rows, err := s.db.Query(r.Context(), `WITH pruned AS (
			DELETE FROM member_uses WHERE at < now() - interval '1 day'),
		used AS (
			INSERT INTO member_uses (shop_id, member, till_id) VALUES ($1, $2, $3)
			ON CONFLICT (shop_id, member, till_id) DO UPDATE SET at = now())
		SELECT t.name, greatest(0, extract(epoch FROM now() - u.at))::bigint FROM member_uses u JOIN tills t ON t.id = u.till_id
		WHERE u.shop_id = $1 AND u.member = $2 AND u.till_id <> $3 AND u.at > now() - $4::interval
		ORDER BY u.at DESC`, t.shopID, req.Member, t.id, window)
	var reply api.MemberUses
	if err == nil {
		reply.Uses, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (api.MemberUse, error) {
			var u api.MemberUse
			return u, row.Scan(&u.Till, &u.SecondsAgo)
		})
	}
	if err != nil {
		s.log.Error("member use", "shop", t.shop, "till", t.name, "err", err)
		writeError(w, &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "head office database unavailable"})
		return
	}
	if reply.Uses == nil {
		reply.Uses = []api.MemberUse{}
	}
	writeJSON(w, http.StatusOK, reply)
}
