package server

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ReadsFromReplica reports whether a query through the owner's reads runs on a standby.
func (s *Server) ReadsFromReplica(ctx context.Context) (bool, error) {
	rows, err := s.reads().Query(ctx, `SELECT pg_is_in_recovery()`)
	if err != nil {
		return false, err
	}
	return pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
}
