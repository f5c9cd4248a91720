package server

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MigrateTo applies the migrations up to version last, for tests of a later migration on rows an older
// head office wrote.
func MigrateTo(ctx context.Context, db *pgxpool.Pool, last int) error {
	return migrateTo(ctx, db, last)
}
