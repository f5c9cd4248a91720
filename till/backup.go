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
	target replica.Target
	till   string
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
	target, err := replica.ParseTarget(set.Backup.Target)
	if err != nil {
		return nil, err
	}
	b := &Backups{st: st, cfg: set.Backup, target: target, till: set.Till, show: show, now: time.Now,
		snap: make(chan string, 1), done: make(chan struct{})}
	b.status = app.BackupStatus{Target: target.String(), Since: b.now()}
	if list, err := replica.Snapshots(context.Background(), target, set.Till); err == nil && len(list) > 0 {
		last := list[len(list)-1]
		b.status.Snapshot, b.status.SnapshotFile = last.At, last.Name
	}
	rep, err := replica.Start(st.Path(), target, set.Till, replica.Options{OnStatus: b.replicated, Mark: func() string {
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
	if pass, err := b.st.Secrets.BackupPassphrase(); err == nil && pass != "" && b.target.Check(ctx) == nil {
		sealKeys(ctx, b.st, b.target, b.till, pass)
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
	if err := b.target.Check(ctx); err != nil {
		return "", err
	}
	if err := sealKeys(ctx, b.st, b.target, b.till, pass); err != nil {
		return "", err
	}
	// Sealed on the till's own disk first, then copied whole to the target, which may be a network away.
	tmp, err := os.MkdirTemp("", "checkout-snapshot-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	sealed := filepath.Join(tmp, "snapshot.db.age")
	if _, err := b.st.BackupSealed(ctx, sealed, pass); err != nil {
		return "", err
	}
	name := replica.SnapshotName(b.now(), reason)
	if err := replica.Put(ctx, b.target, b.till, name, sealed); err != nil {
		return "", err
	}
	if _, err := replica.Prune(ctx, b.target, b.till, func(taken []time.Time) []bool { return b.cfg.Keep.Keep(taken, time.Local) }); err != nil {
		return name, fmt.Errorf("snapshot taken; removing old ones: %w", err)
	}
	return name, nil
}

// sealKeys puts the till's keys in its folder in target once, sealed as the snapshots are: without them a
// new machine cannot check a restored journal, nor know the members' cards.
func sealKeys(ctx context.Context, st *Store, target replica.Target, till, pass string) error {
	if there, err := replica.Exists(ctx, target, till, replica.KeysName); there || err != nil {
		return err
	}
	keys, err := st.Secrets.keysForBackup()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "checkout-keys-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	sealed := filepath.Join(tmp, replica.KeysName)
	if err := store.SealNew(sealed, keys, pass); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := replica.Put(ctx, target, till, replica.KeysName, sealed); err != nil {
		if there, _ := replica.Exists(ctx, target, till, replica.KeysName); there {
			return nil // put there meanwhile by a snapshot, or by a command
		}
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// SealKeys puts the till's keys in the backup target now, when both it and the passphrase are set; it
// says where, or "" when one is not set yet. The commands that set them call it, so the keys are there
// before the first sale is replicated.
func (st *Store) SealKeys(ctx context.Context) (string, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return "", err
	}
	pass, err := st.Secrets.BackupPassphrase()
	if err != nil || pass == "" || set.Backup.Target == "" {
		return "", err
	}
	target, err := replica.ParseTarget(set.Backup.Target)
	if err != nil {
		return "", err
	}
	if err := target.Check(ctx); err != nil {
		return "", err
	}
	return target.String() + " (" + set.Till + "/" + replica.KeysName + ")", sealKeys(ctx, st, target, set.Till, pass)
}

// Restored says where a restore came from.
type Restored struct {
	Check store.Check
	Kept  string    // the database it replaced, kept beside it; "" for none
	From  string    // the replica's folder, or the snapshot file
	At    time.Time // the moment restored: the replica's latest write, or the snapshot's time
}

// RestoreFrom rebuilds the database at dbPath from a backup target (a folder, one till's folder in it,
// or an s3:// URL) or from one snapshot file, checked as Restore checks a backup before it takes the
// database's place. From a target it restores till's replica (till "": the only till there) at its
// latest, or as it was at at; a moment older than the replica reaches comes from the newest snapshot
// taken by then. The till's keys, when missing here (a new machine), are put back from the target's
// sealed copy; passphrase is asked for at most once, and only when something sealed is opened.
func RestoreFrom(ctx context.Context, dbPath, source, till string, at time.Time, passphrase func() (string, error)) (Restored, error) {
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
	var r Restored
	var target replica.Target
	snapshot := ""
	if info, err := os.Stat(source); err == nil && !info.IsDir() {
		// One snapshot file: its till's folder, two levels up, has the keys.
		snapshot, r.From = source, source
		r.At, _ = replica.SnapshotAt(source)
		if f, t, ok := replica.TillFolderOf(filepath.Dir(filepath.Dir(source))); ok {
			target, till = f, t
		}
	} else if f, t, ok := replica.TillFolderOf(source); ok {
		target, till = f, t
	} else {
		if target, err = replica.ParseTarget(source); err != nil {
			return Restored{}, err
		}
		if till, err = replica.ResolveTill(ctx, target, till); err != nil {
			return Restored{}, err
		}
	}
	tmp, err := os.MkdirTemp("", "checkout-restore-")
	if err != nil {
		return Restored{}, err
	}
	defer os.RemoveAll(tmp)
	// A new machine has no data folder yet: the keys and the database go there.
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil {
		return Restored{}, err
	}
	if target != nil {
		if err := putBackKeys(ctx, SecretsOf(dbPath), target, till, filepath.Join(tmp, replica.KeysName), ask); err != nil {
			return Restored{}, err
		}
	}
	from := snapshot
	if from == "" {
		fromSnapshot := false
		if !at.IsZero() {
			first, _, err := replica.Bounds(ctx, target, till)
			fromSnapshot = err != nil || first.IsZero() || at.Before(first)
		}
		if fromSnapshot {
			snap, err := replica.LatestBefore(ctx, target, till, at)
			if err != nil {
				return Restored{}, err
			}
			from = filepath.Join(tmp, "snapshot.db.age")
			if err := replica.Get(ctx, target, till, snap.Name, from); err != nil {
				return Restored{}, err
			}
			r.From, r.At = target.String()+": "+snap.Name, snap.At
		} else {
			from = filepath.Join(tmp, "replica.db")
			if err := replica.Restore(ctx, target, till, at, from); err != nil {
				return Restored{}, err
			}
			r.From, r.At = target.String()+": till "+till+"'s replica", at
			if at.IsZero() {
				_, r.At, _ = replica.Bounds(ctx, target, till)
			}
		}
	}
	r.Check, r.Kept, err = Restore(ctx, dbPath, from, ask)
	return r, err
}

// putBackKeys puts the till's keys back from the target's sealed copy where they are missing here.
func putBackKeys(ctx context.Context, secrets Secrets, target replica.Target, till, tmp string, passphrase func() (string, error)) error {
	missing := false
	for _, name := range keyFiles {
		if _, err := os.Stat(secrets.path(name)); errors.Is(err, os.ErrNotExist) {
			missing = true
		}
	}
	if !missing {
		return nil
	}
	if there, err := replica.Exists(ctx, target, till, replica.KeysName); !there || err != nil {
		return err // no copy: Restore says what is missing
	}
	if err := replica.Get(ctx, target, till, replica.KeysName, tmp); err != nil {
		return err
	}
	pass, err := passphrase()
	if err != nil {
		return err
	}
	keys, err := store.OpenSealedBytes(tmp, pass)
	if err != nil {
		return fmt.Errorf("restore refused: the till's keys: %w", err)
	}
	return secrets.putBackKeys(keys)
}
