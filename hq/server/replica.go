package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The owner's reads on a streaming replica (issue 24 §1): the dashboard's figures, alarms and tills, and
// the status, conflicts and alarms reports, go to a second pool on a hot standby when one is set, so a
// heavy page never holds the primary's connections while the tills upload. Everything the tills call and
// every write (sign-in and sessions included) stays on the primary.
//
// A replica that is down, or further behind than the lag allowed, is passed over: the reads go to the
// primary until it answers and catches up again. An owner may see figures a few seconds old; a page
// that fails because the replica does is worse than one that is slower, so the primary answers then.

// DefaultReplicaMaxLag is how far behind the primary a replica may be and still serve the owner's reads.
const DefaultReplicaMaxLag = 30 * time.Second

// replicaEvery is how often the replica's state is checked; replicaTimeout bounds each check.
const (
	replicaEvery   = time.Second
	replicaTimeout = 2 * time.Second
)

// ReplicaState is what the server last found of its replica.
type ReplicaState struct {
	Set bool // a replica is configured
	// Reading: the owner's reads go to the replica now; otherwise to the primary, for Reason.
	Reading bool
	Reason  string
	// Standby: the replica is in recovery (false: it was promoted, and is a primary itself).
	Standby bool
	Lag     time.Duration // how far its replay is behind, as of Checked
	Checked time.Time
}

// replica is the pool on the replica and its last known state.
type replica struct {
	db     *pgxpool.Pool
	maxLag time.Duration
	state  atomic.Pointer[ReplicaState]
	stop   context.CancelFunc
	done   sync.WaitGroup
}

// UseReplica sends the owner's reads to the PostgreSQL hot standby at url while it is no further behind
// than maxLag (DefaultReplicaMaxLag when 0). A replica that does not answer now is not an error: the
// reads go to the primary until it does. Call it before serving; Close closes its pool.
func (s *Server) UseReplica(ctx context.Context, url string, maxLag time.Duration) error {
	if s.replica != nil {
		return errors.New("replica database: set already")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("replica database: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = replicaTimeout // a replica out of reach must not hold a page for long
	}
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("replica database: %w", err)
	}
	if maxLag <= 0 {
		maxLag = DefaultReplicaMaxLag
	}
	r := &replica{db: db, maxLag: maxLag}
	r.check(ctx, s)
	poll, stop := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = stop
	r.done.Go(func() {
		t := time.NewTicker(replicaEvery)
		defer t.Stop()
		for {
			select {
			case <-poll.Done():
				return
			case <-t.C:
				r.check(poll, s)
			}
		}
	})
	s.replica = r
	return nil
}

// Replica returns what the server last found of its replica (Set false without one).
func (s *Server) Replica() ReplicaState {
	if s.replica == nil {
		return ReplicaState{Reason: "no replica set"}
	}
	return *s.replica.state.Load()
}

func (r *replica) close() {
	r.stop()
	r.done.Wait()
	r.db.Close()
}

// check asks the replica whether it is a standby and how far its replay is behind: nothing when it has
// replayed all it received and its WAL receiver is connected, else the time since the last transaction
// it replayed (a standby cut off from its primary falls behind as the primary moves on). The status of
// the WAL receiver needs pg_read_all_stats; its row alone (the receiver running) does not.
func (r *replica) check(ctx context.Context, s *Server) {
	ctx, cancel := context.WithTimeout(ctx, replicaTimeout)
	defer cancel()
	st := ReplicaState{Set: true, Checked: time.Now()}
	var lag *float64
	err := r.db.QueryRow(ctx, `SELECT pg_is_in_recovery(), CASE
			WHEN NOT pg_is_in_recovery() THEN 0
			WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND EXISTS (SELECT FROM pg_stat_wal_receiver) THEN 0
			ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END`).Scan(&st.Standby, &lag)
	switch {
	case err != nil:
		st.Reason = "the replica does not answer"
	case lag == nil:
		st.Reason = "the replica has replayed nothing yet"
	default:
		st.Lag = time.Duration(max(0, *lag) * float64(time.Second))
		st.Reading = st.Lag <= r.maxLag
		if !st.Reading {
			st.Reason = fmt.Sprintf("the replica is %v behind (more than %v)", st.Lag.Round(time.Second), r.maxLag)
		}
	}
	old := r.state.Swap(&st)
	if old == nil || old.Reading != st.Reading {
		if st.Reading {
			s.log.Info("owner's reads from the replica", "lag", st.Lag, "standby", st.Standby)
		} else {
			s.log.Warn("owner's reads from the primary", "reason", st.Reason, "err", err)
		}
	}
}

// passOver marks the replica unusable after a read failed on it, until the next check finds it well.
func (r *replica) passOver(s *Server, err error) {
	st := *r.state.Load()
	if !st.Reading {
		return
	}
	st.Reading, st.Reason = false, "a read failed on the replica"
	r.state.Store(&st)
	s.log.Warn("owner's reads from the primary", "reason", st.Reason, "err", err)
}

// reader runs the owner's read-only queries: on the replica while it is usable, else on the primary.
type reader struct{ s *Server }

// reads returns where the owner's read-only queries go.
func (s *Server) reads() reader { return reader{s} }

// Query runs a read-only query on the replica when it is usable, and on the primary otherwise or when
// the replica fails it before its first row (a replica that has just gone, a pooled connection to it
// that broke, a query cancelled by its replay). pgx reports most such failures only when the rows are
// read, so the first row is read here.
func (q reader) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r := q.s.replica
	if r == nil || !r.state.Load().Reading {
		return q.s.db.Query(ctx, sql, args...)
	}
	rows, err := r.db.Query(ctx, sql, args...)
	if err == nil {
		p := &peeked{Rows: rows, first: true}
		if p.has = rows.Next(); p.has || rows.Err() == nil {
			return p, nil
		}
		rows.Close()
		err = rows.Err()
	}
	if ctx.Err() != nil {
		return nil, err
	}
	r.passOver(q.s, err)
	return q.s.db.Query(ctx, sql, args...)
}

// peeked is rows whose first Next was called already.
type peeked struct {
	pgx.Rows
	first, has bool
}

func (p *peeked) Next() bool {
	if p.first {
		p.first = false
		return p.has
	}
	return p.Rows.Next()
}

// replicaGauges writes the replica's state to /metrics, when one is set.
func (s *Server) replicaGauges(b *bytes.Buffer) {
	if s.replica == nil {
		return
	}
	st := s.Replica()
	reading := 0.0
	if st.Reading {
		reading = 1
	}
	gauge(b, "checkout_hq_replica_reads", "1 while the owner's reads go to the replica, 0 while they go to the primary.", reading)
	gauge(b, "checkout_hq_replica_lag_seconds", "How far the replica's replay was behind the primary at its last check.", st.Lag.Seconds())
}
