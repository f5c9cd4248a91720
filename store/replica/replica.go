// Package replica keeps a second copy of the till's database in a place the owner chooses, a folder on
// a USB drive or a NAS share, written continuously as sales commit, so that a dead disk loses seconds of
// sales and not the shop's books. The engine is Litestream: it reads the database's write-ahead log and
// ships each transaction's pages, checksummed, in order, with periodic compactions and snapshots, and
// restores any moment it still holds. It works as a reader beside the store's single writer: it holds a
// read transaction so that no checkpoint overtakes it and runs the checkpoints itself.
package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	"github.com/superfly/ltx"
)

// The replica's layout in the owner's folder: one folder per till, so the tills of a shop can share a
// NAS share, and in it Litestream's files.
const (
	replicaDir = "replica"
)

// safeName keeps a till's name usable as a folder name anywhere: letters, digits, '-' and '_'.
func safeName(s string) string {
	b := []rune(s)
	for i, r := range b {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "till"
	}
	return string(b)
}

// Status is what the till shows of its replica.
type Status struct {
	// Through is when the last successful write began: every transaction committed before it is in the
	// replica. Zero until one succeeds.
	Through time.Time
	// Mark is what Options.Mark said when that write began: the till's last committed receipt.
	Mark string
	// Err is why the last write failed; nil once one succeeds again.
	Err error
}

// Replicator ships a database's transactions to its replica folder while the till runs.
type Replicator struct {
	db     *litestream.DB
	store  *litestream.Store
	target Target

	nudge chan struct{}
	stop  context.CancelFunc
	done  chan struct{}

	mu       sync.Mutex
	status   Status
	onStatus func(Status)
	mark     func() string
}

// Options tune a Replicator; tests shorten the intervals.
type Options struct {
	// Interval is the longest the replica waits for a write when nothing nudges it (default 1 s).
	Interval time.Duration
	// OnStatus hears each write's outcome, from the replicator's goroutine.
	OnStatus func(Status)
	// Mark names what has committed so far (the last receipt); read as each write begins, it is reported
	// with the write's outcome.
	Mark func() string
}

// Start starts replicating the database at dbPath into target, in the till's own folder there. The store
// must already have opened the database (it is in WAL mode). It returns at once; a target that cannot
// be reached is reported through the status, and the till goes on selling.
func Start(dbPath string, target Target, till string, opt Options) (*Replicator, error) {
	if opt.Interval <= 0 {
		opt.Interval = time.Second
	}
	db := litestream.NewDB(dbPath)
	db.MonitorInterval = opt.Interval
	// A drive pulled out at closing time must not hold the till's window open for half a minute.
	db.ShutdownSyncTimeout = 3 * time.Second
	db.ShutdownSyncInterval = 500 * time.Millisecond
	client := target.replicaClient(till)
	r := litestream.NewReplicaWithClient(db, client)
	r.SyncInterval = opt.Interval
	db.Replica = r
	if g, ok := client.(*guardedFolder); ok {
		g.Replica = r // Litestream's folder client gives the replica's files the database's permissions
	}

	ls := litestream.NewStore([]*litestream.DB{db}, litestream.DefaultCompactionLevels)
	// Litestream's own log goes nowhere: its failures reach the owner through Status, in words.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ls.Logger = quiet
	db.SetLogger(quiet)
	client.SetLogger(quiet)
	ls.ShutdownSyncTimeout = db.ShutdownSyncTimeout
	if err := ls.Open(context.Background()); err != nil {
		return nil, fmt.Errorf("replica: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rep := &Replicator{db: db, store: ls, target: target, nudge: make(chan struct{}, 1), stop: cancel, done: make(chan struct{}),
		onStatus: opt.OnStatus, mark: opt.Mark}
	go rep.run(ctx, opt.Interval)
	return rep, nil
}

// Nudge asks for a write now: a sale has committed. It never blocks.
func (r *Replicator) Nudge() {
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

// Status returns the outcome of the last write.
func (r *Replicator) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Sync writes every transaction committed so far to the replica and returns when it is there.
func (r *Replicator) Sync(ctx context.Context) error {
	began, mark := time.Now(), ""
	if r.mark != nil {
		mark = r.mark()
	}
	// A write with nothing new to carry touches no file: the folder is looked at first, so an unplugged
	// drive is reported while the till is idle too.
	err := r.target.Check(ctx)
	if err == nil {
		err = r.db.SyncAndWait(ctx)
	}
	r.record(began, mark, err)
	return err
}

func (r *Replicator) record(began time.Time, mark string, err error) {
	r.mu.Lock()
	if err == nil {
		r.status = Status{Through: began, Mark: mark}
	} else {
		r.status.Err = explain(err)
	}
	st := r.status
	r.mu.Unlock()
	if r.onStatus != nil {
		r.onStatus(st)
	}
}

func (r *Replicator) run(ctx context.Context, interval time.Duration) {
	defer close(r.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.nudge:
		case <-tick.C:
		}
		r.Sync(ctx)
	}
}

// Close writes what is left if the target is there (for a few seconds at most) and stops.
func (r *Replicator) Close() error {
	r.stop()
	<-r.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.store.Close(ctx)
	if err != nil && errors.Is(err, errFolderGone) {
		return nil // reported in the status already; the next start catches up
	}
	return err
}

// Restore writes the database as the till's replica in target holds it, at its latest or as it was at at
// (zero: the latest), into the new file out.
func Restore(ctx context.Context, target Target, till string, at time.Time, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("restore: %s exists", out)
	}
	r := replicaIn(target, till)
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = out
	opt.Timestamp = at
	opt.IntegrityCheck = litestream.IntegrityCheckFull
	if err := r.Restore(ctx, opt); err != nil {
		switch {
		case errors.Is(err, litestream.ErrNoSnapshots), at.IsZero() && errors.Is(err, litestream.ErrTxNotAvailable):
			return fmt.Errorf("restore: no replica of till %s in %s", till, target)
		case errors.Is(err, litestream.ErrTxNotAvailable):
			return fmt.Errorf("restore: the replica in %s holds nothing as early as %s", target, at.Format(time.RFC3339))
		}
		return fmt.Errorf("restore from %s: %w", target, err)
	}
	return nil
}

// Bounds returns the span of time the till's replica in target can be restored to.
func Bounds(ctx context.Context, target Target, till string) (from, to time.Time, err error) {
	return replicaIn(target, till).TimeBounds(ctx)
}

// replicaIn is the till's replica in target, read without a database of its own, its log quiet.
func replicaIn(target Target, till string) *litestream.Replica {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client := target.replicaClient(till)
	client.SetLogger(quiet)
	// Litestream logs a replica's work through its database's logger, or the process's default one.
	db := litestream.NewDB(filepath.Join(os.TempDir(), "checkout-restore"))
	db.SetLogger(quiet)
	return litestream.NewReplicaWithClient(db, client)
}

var errFolderGone = errors.New("backup folder not there")

// explain turns a failed write into words for the owner.
func explain(err error) error {
	if errors.Is(err, errFolderGone) {
		var gone *folderGone
		if errors.As(err, &gone) {
			return gone
		}
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("the backup folder cannot be written to: %w", err)
	}
	if strings.Contains(err.Error(), "no space left") {
		return fmt.Errorf("the backup drive is full: %w", err)
	}
	return err
}

type folderGone struct{ root string }

func (e *folderGone) Error() string {
	return fmt.Sprintf("backup folder %s is not there (drive unplugged or not mounted?)", e.root)
}
func (e *folderGone) Unwrap() error { return errFolderGone }

// guardedFolder is Litestream's folder client with one rule added: it writes only while the owner's
// folder is there, and makes the till's own folder in it, never the owner's itself.
type guardedFolder struct {
	*file.ReplicaClient
	target Folder
	folder string
}

func (c *guardedFolder) ready() error {
	if err := c.target.Check(context.Background()); err != nil {
		return err
	}
	return os.MkdirAll(c.folder, 0o700)
}

func (c *guardedFolder) WriteLTXFile(ctx context.Context, level int, minTXID, maxTXID ltx.TXID, r io.Reader) (*ltx.FileInfo, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	return c.ReplicaClient.WriteLTXFile(ctx, level, minTXID, maxTXID, r)
}

func (c *guardedFolder) DeleteLTXFiles(ctx context.Context, a []*ltx.FileInfo) error {
	if err := c.ready(); err != nil {
		return err
	}
	return c.ReplicaClient.DeleteLTXFiles(ctx, a)
}

func (c *guardedFolder) DeleteAll(ctx context.Context) error {
	if err := c.ready(); err != nil {
		return err
	}
	return c.ReplicaClient.DeleteAll(ctx)
}
