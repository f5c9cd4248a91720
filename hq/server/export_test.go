package server

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// MigrateTo applies the migrations up to version last, for tests of a later migration on rows an older
// head office wrote.
func MigrateTo(ctx context.Context, db *pgxpool.Pool, last int) error {
	return migrateTo(ctx, db, last)
}

// ReadsFromReplica reports whether a query through the owner's reads runs on a standby.
func (s *Server) ReadsFromReplica(ctx context.Context) (bool, error) {
	rows, err := s.reads().Query(ctx, `SELECT pg_is_in_recovery()`)
	if err != nil {
		return false, err
	}
	return pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
}
