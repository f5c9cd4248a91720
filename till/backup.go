package till

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"checkout/app"
	"checkout/store"
	"checkout/store/replica"
)

// Backups keep a running till's books off its own disk (app.Backup): the replica, written as each sale
// commits, and encrypted snapshots at each Z report and every SnapshotEvery, pruned by the shop's rule,
// with the till's keys sealed beside them.
type Backups struct {
	st     *Store
	cfg    app.Backup
	folder string
	rep    *replica.Replicator
	show   func(app.BackupStatus)
	now    func() time.Time

	lastReceipt atomic.Pointer[string]
	snap        chan string // reasons for a snapshot now
	stop        context.CancelFunc
	done        chan struct{}

	mu     sync.Mutex
	status app.BackupStatus
}

// StartBackups starts the backups the settings ask for, reporting each change of their status to show
// (nil: nobody); it returns nil when no backup folder is set. A folder that is not there (the drive
// unplugged) is reported, not an error: the till sells on and catches up when it is back.
func StartBackups(st *Store, set app.Settings, show func(app.BackupStatus)) (*Backups, error) {
	if set.Backup.Target == "" {
		return nil, nil
	}
	if show == nil {
		show = func(app.BackupStatus) {}
	}
	b := &Backups{st: st, cfg: set.Backup, folder: replica.Folder(set.Backup.Target, set.Till), show: show, now: time.Now,
		snap: make(chan string, 1), done: make(chan struct{})}
	b.status = app.BackupStatus{Target: set.Backup.Target, Since: b.now()}
	if list, err := replica.Snapshots(b.folder); err == nil && len(list) > 0 {
		last := list[len(list)-1]
		b.status.Snapshot, b.status.SnapshotFile = last.At, last.Path
	}
	rep, err := replica.Start(st.Path(), b.folder, replica.Options{OnStatus: b.replicated, Mark: func() string {
		if r := b.lastReceipt.Load(); r != nil {
			return *r
		}
		return ""
	}})
	if err != nil {
		return nil, err
	}
	b.rep = rep
	ctx, cancel := context.WithCancel(context.Background())
	b.stop = cancel
	go b.run(ctx)
	return b, nil
}

// Committed tells the backups a sale or refund has committed: the replica writes it now.
func (b *Backups) Committed(receipt string) {
	b.lastReceipt.Store(&receipt)
	b.rep.Nudge()
}

// BackedUpStore is the till's store whose committed sales and refunds reach the backups at once: what a
// command that sells (simulate) sells through.
type BackedUpStore struct {
	*Store
	log *wakingLog
}

// Watch returns st with its commits handed to the backups.
func (b *Backups) Watch(st *Store) *BackedUpStore {
	log := &wakingLog{SaleLog: st}
	committed := b.Committed
	log.committed.Store(&committed)
	return &BackedUpStore{Store: st, log: log}
}

// CommitSale commits the sale and hands its receipt to the backups.
func (s *BackedUpStore) CommitSale(ctx context.Context, sale *app.Sale) error {
	return s.log.CommitSale(ctx, sale)
}

// CommitRefund commits the refund and hands its receipt to the backups.
func (s *BackedUpStore) CommitRefund(ctx context.Context, r *app.Refund) error {
	return s.log.CommitRefund(ctx, r)
}

// Snapshot asks for a snapshot now (after a Z report); it does not wait for it.
func (b *Backups) Snapshot(reason string) {
	select {
	case b.snap <- reason:
	default: // one is waiting already
	}
}

// Status returns the backups' latest status.
func (b *Backups) Status() app.BackupStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

// Sync writes everything committed so far to the replica and returns when it is there.
func (b *Backups) Sync(ctx context.Context) error { return b.rep.Sync(ctx) }

// Close stops the snapshots and, after a last write if the drive is there, the replica.
func (b *Backups) Close() error {
	b.stop()
	<-b.done
	return b.rep.Close()
}

func (b *Backups) update(change func(*app.BackupStatus)) {
	b.mu.Lock()
	change(&b.status)
	st := b.status
	b.mu.Unlock()
	b.show(st)
}

func (b *Backups) replicated(s replica.Status) {
	b.update(func(st *app.BackupStatus) {
		if s.Err != nil {
			st.ReplicaError = s.Err.Error()
			return
		}
		st.Replicated, st.ReplicatedReceipt, st.ReplicaError = s.Through, s.Mark, ""
	})
}

// run takes the scheduled snapshots, and those asked for, until stopped.
func (b *Backups) run(ctx context.Context) {
	defer close(b.done)
	// The keys first, as soon as the folder and a passphrase are there; a snapshot tries again.
	if pass, err := b.st.Secrets.BackupPassphrase(); err == nil && pass != "" && replica.CheckTarget(b.cfg.Target) == nil {
		b.sealKeys(pass)
	}
	for {
		var due <-chan time.Time
		var timer *time.Timer
		if b.cfg.SnapshotEvery > 0 {
			// The next is due SnapshotEvery after the last; a till that was off past that takes one a
			// minute after it starts, when the morning's first sales are not yet waiting.
			wait := time.Minute
			if last := b.Status().Snapshot; !last.IsZero() {
				wait = max(wait, time.Until(last.Add(b.cfg.SnapshotEvery)))
			}
			timer = time.NewTimer(wait)
			due = timer.C
		}
		reason := "scheduled"
		select {
		case <-ctx.Done():
			return
		case <-due:
		case reason = <-b.snap:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() == nil {
			b.TakeSnapshot(ctx, reason)
		}
	}
}

// TakeSnapshot takes an encrypted snapshot into the till's folder now, and prunes the old ones by the
// shop's rule; the outcome is in the status too.
func (b *Backups) TakeSnapshot(ctx context.Context, reason string) (string, error) {
	path, err := b.takeSnapshot(ctx, reason)
	b.update(func(st *app.BackupStatus) {
		if err != nil {
			st.SnapshotError = err.Error()
			return
		}
		st.Snapshot, st.SnapshotFile, st.SnapshotError = b.now(), path, ""
	})
	return path, err
}

func (b *Backups) takeSnapshot(ctx context.Context, reason string) (string, error) {
	pass, err := b.st.Secrets.BackupPassphrase()
	if err != nil {
		return "", err
	}
	if pass == "" {
		return "", errors.New("no snapshots: no passphrase set (checkout backup-passphrase)")
	}
	if err := replica.CheckTarget(b.cfg.Target); err != nil {
		return "", err
	}
	if err := b.sealKeys(pass); err != nil {
		return "", err
	}
	path := replica.SnapshotPath(b.folder, b.now(), reason)
	if _, err := b.st.BackupSealed(ctx, path, pass); err != nil {
		return "", err
	}
	if _, err := replica.Prune(b.folder, func(taken []time.Time) []bool { return b.cfg.Keep.Keep(taken, time.Local) }); err != nil {
		return path, fmt.Errorf("snapshot taken; removing old ones: %w", err)
	}
	return path, nil
}

func (b *Backups) sealKeys(pass string) error { return sealKeys(b.st, b.folder, pass) }

// sealKeys puts the till's keys in its folder once, sealed as the snapshots are: without them a new
// machine cannot check a restored journal, nor know the members' cards.
func sealKeys(st *Store, folder, pass string) error {
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(replica.KeysPath(folder)); !errors.Is(err, os.ErrNotExist) {
		return err
	}
	keys, err := st.Secrets.keysForBackup()
	if err != nil {
		return err
	}
	if err := store.SealNew(replica.KeysPath(folder), keys, pass); err != nil {
		if _, statErr := os.Stat(replica.KeysPath(folder)); statErr == nil {
			return nil // sealed meanwhile by a snapshot, or by a command
		}
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// SealKeys puts the till's keys in the backup folder now, when both the folder and the passphrase are
// set; it says where, or "" when one is not set yet. The commands that set them call it, so the keys are
// there before the first sale is replicated.
func (st *Store) SealKeys(ctx context.Context) (string, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return "", err
	}
	pass, err := st.Secrets.BackupPassphrase()
	if err != nil || pass == "" || set.Backup.Target == "" {
		return "", err
	}
	if err := replica.CheckTarget(set.Backup.Target); err != nil {
		return "", err
	}
	folder := replica.Folder(set.Backup.Target, set.Till)
	return replica.KeysPath(folder), sealKeys(st, folder, pass)
}

// Restored says where a restore came from.
type Restored struct {
	Check store.Check
	Kept  string    // the database it replaced, kept beside it; "" for none
	From  string    // the replica's folder, or the snapshot file
	At    time.Time // the moment restored: the replica's latest write, or the snapshot's time
}

// RestoreFrom rebuilds the database at dbPath from a backup folder (the owner's, or one till's in it) or
// one snapshot file, checked as Restore checks a backup before it takes the database's place. From a
// folder it restores the replica at its latest, or as it was at at; a moment older than the replica
// reaches comes from the newest snapshot taken by then. The till's keys, when missing here (a new
// machine), are put back from the folder's sealed copy; passphrase is asked for at most once, and only
// when something sealed is opened.
func RestoreFrom(ctx context.Context, dbPath, target string, at time.Time, passphrase func() (string, error)) (Restored, error) {
	var pass *string
	ask := func() (string, error) {
		if pass == nil {
			p, err := passphrase()
			if err != nil {
				return "", err
			}
			pass = &p
		}
		return *pass, nil
	}
	info, err := os.Stat(target)
	if err != nil {
		return Restored{}, err
	}
	var r Restored
	folder, from := "", target
	if info.IsDir() {
		if folder, err = replica.TillFolder(target); err != nil {
			return Restored{}, err
		}
		from = ""
		if !at.IsZero() {
			if first, _, err := replica.Bounds(ctx, folder); err != nil || first.IsZero() || at.Before(first) {
				snap, err := replica.LatestBefore(folder, at)
				if err != nil {
					return Restored{}, err
				}
				from, r.At = snap.Path, snap.At
			}
		}
	} else {
		folder = filepath.Dir(filepath.Dir(target)) // a snapshot: FOLDER/snapshots/FILE
		if snap, ok := snapshotTime(target); ok {
			r.At = snap
		}
	}
	if err := putBackKeys(SecretsOf(dbPath), folder, ask); err != nil {
		return Restored{}, err
	}
	if from == "" {
		tmp, err := os.MkdirTemp("", "checkout-restore-")
		if err != nil {
			return Restored{}, err
		}
		defer os.RemoveAll(tmp)
		from = filepath.Join(tmp, "replica.db")
		if err := replica.Restore(ctx, folder, at, from); err != nil {
			return Restored{}, err
		}
		r.From = folder
		if r.At = at; at.IsZero() {
			_, r.At, _ = replica.Bounds(ctx, folder)
		}
	} else {
		r.From = from
	}
	r.Check, r.Kept, err = Restore(ctx, dbPath, from, ask)
	return r, err
}

// putBackKeys puts the till's keys back from the folder's sealed copy where they are missing here.
func putBackKeys(secrets Secrets, folder string, passphrase func() (string, error)) error {
	missing := false
	for _, name := range keyFiles {
		if _, err := os.Stat(secrets.path(name)); errors.Is(err, os.ErrNotExist) {
			missing = true
		}
	}
	sealed := replica.KeysPath(folder)
	if _, err := os.Stat(sealed); !missing || err != nil {
		return nil // nothing to put back, or no copy: Restore says what is missing
	}
	pass, err := passphrase()
	if err != nil {
		return err
	}
	keys, err := store.OpenSealedBytes(sealed, pass)
	if err != nil {
		return fmt.Errorf("restore refused: the till's keys: %w", err)
	}
	return secrets.putBackKeys(keys)
}

// snapshotTime is when the snapshot file at path was taken, read from its name.
func snapshotTime(path string) (time.Time, bool) {
	list, err := replica.Snapshots(filepath.Dir(filepath.Dir(path)))
	if err != nil {
		return time.Time{}, false
	}
	for _, s := range list {
		if filepath.Base(s.Path) == filepath.Base(path) {
			return s.At, true
		}
	}
	return time.Time{}, false
}
