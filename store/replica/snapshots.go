package replica

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Snapshots are encrypted backups (store.BackupSealed) kept in the till's folder beside the replica,
// named for when they were taken and why: snapshots/checkout-20261206T213000Z-z.db.age.
const (
	snapshotDir    = "snapshots"
	snapshotPrefix = "checkout-"
	snapshotSuffix = ".db.age"
	snapshotTime   = "20060102T150405Z"
	// KeysName is where the till's keys are kept in its folder, sealed with the snapshots' passphrase: a
	// restore onto a new machine needs them to check the journal and to know the members' cards.
	KeysName = "keys.age"
)

// SnapshotName is the name of a snapshot taken at at for reason ("z", "scheduled").
func SnapshotName(at time.Time, reason string) string {
	return snapshotDir + "/" + snapshotPrefix + at.UTC().Format(snapshotTime) + "-" + safeName(reason) + snapshotSuffix
}

// Snapshot is one snapshot in a till's folder.
type Snapshot struct {
	Name   string // in the till's folder: snapshots/FILE
	At     time.Time
	Reason string
}

// parseSnapshot reads a snapshot's file name; ok is false for a file not named as one.
func parseSnapshot(base string) (Snapshot, bool) {
	rest, ok := strings.CutPrefix(base, snapshotPrefix)
	rest, ok2 := strings.CutSuffix(rest, snapshotSuffix)
	if !ok || !ok2 || len(rest) < len(snapshotTime)+2 || rest[len(snapshotTime)] != '-' {
		return Snapshot{}, false
	}
	at, err := time.Parse(snapshotTime, rest[:len(snapshotTime)])
	if err != nil {
		return Snapshot{}, false
	}
	return Snapshot{Name: snapshotDir + "/" + base, At: at, Reason: rest[len(snapshotTime)+1:]}, true
}

// SnapshotAt is when the snapshot file at path was taken, read from its name.
func SnapshotAt(path string) (time.Time, bool) {
	s, ok := parseSnapshot(filepath.Base(path))
	return s.At, ok
}

// Snapshots lists the till's snapshots in target, oldest first; files not named as snapshots are left out.
func Snapshots(ctx context.Context, target Target, till string) ([]Snapshot, error) {
	names, err := target.files(till).list(ctx, snapshotDir)
	if err != nil {
		return nil, err
	}
	var list []Snapshot
	for _, name := range names {
		if s, ok := parseSnapshot(name); ok {
			list = append(list, s)
		}
	}
	slices.SortFunc(list, func(a, b Snapshot) int { return a.At.Compare(b.At) })
	return list, nil
}

// Prune removes the till's snapshots that keep (given their times, oldest first) does not keep.
func Prune(ctx context.Context, target Target, till string, keep func(taken []time.Time) []bool) (removed int, err error) {
	list, err := Snapshots(ctx, target, till)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	taken := make([]time.Time, len(list))
	for i, s := range list {
		taken[i] = s.At
	}
	kept := keep(taken)
	var errs []error
	for i, s := range list {
		if kept[i] {
			continue
		}
		if err := target.files(till).remove(ctx, s.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// LatestBefore returns the till's newest snapshot in target taken at or before at.
func LatestBefore(ctx context.Context, target Target, till string, at time.Time) (Snapshot, error) {
	list, err := Snapshots(ctx, target, till)
	if err != nil {
		return Snapshot{}, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].At.After(at) {
			return list[i], nil
		}
	}
	return Snapshot{}, fmt.Errorf("no snapshot of till %s in %s as early as %s", till, target, at.Local().Format("2006-01-02 15:04"))
}

// Put copies the local file from into the till's folder in target as name, never over a file there.
func Put(ctx context.Context, target Target, till, name, from string) error {
	f, err := os.Open(from)
	if err != nil {
		return err
	}
	defer f.Close()
	return target.files(till).put(ctx, name, f)
}

// Get copies name from the till's folder in target into the new local file to.
func Get(ctx context.Context, target Target, till, name, to string) error {
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = target.files(till).get(ctx, name, out)
	if err = errors.Join(err, out.Close()); err != nil {
		os.Remove(to)
	}
	return err
}

// Exists says whether name is in the till's folder in target.
func Exists(ctx context.Context, target Target, till, name string) (bool, error) {
	return target.files(till).exists(ctx, name)
}

// Tills lists the tills that have a folder in target.
func Tills(ctx context.Context, target Target) ([]string, error) {
	switch t := target.(type) {
	case Folder:
		matches, err := filepath.Glob(filepath.Join(string(t), "checkout-*"))
		var tills []string
		for _, m := range matches {
			if info, err := os.Stat(m); err == nil && info.IsDir() {
				tills = append(tills, strings.TrimPrefix(filepath.Base(m), "checkout-"))
			}
		}
		return tills, err
	case *S3:
		return t.tills(ctx)
	}
	return nil, fmt.Errorf("unknown target %s", target)
}

// ResolveTill finds which till to restore from target: the one asked for, else the only one there.
func ResolveTill(ctx context.Context, target Target, till string) (string, error) {
	tills, err := Tills(ctx, target)
	if err != nil {
		return "", err
	}
	switch {
	case till != "" && slices.Contains(tills, safeName(till)):
		return safeName(till), nil
	case till != "":
		return "", fmt.Errorf("%s holds no backups of till %s (it has: %s)", target, till, strings.Join(tills, ", "))
	case len(tills) == 1:
		return tills[0], nil
	case len(tills) == 0:
		return "", fmt.Errorf("%s holds no till's backups", target)
	}
	return "", fmt.Errorf("%s holds the backups of several tills: name one with -till (%s)", target, strings.Join(tills, ", "))
}

// TillFolderOf reads a path that names one till's folder in a folder target (…/checkout-T01): the target
// and the till; ok is false for any other path.
func TillFolderOf(dir string) (Folder, string, bool) {
	base := filepath.Base(dir)
	till, ok := strings.CutPrefix(base, "checkout-")
	if !ok || till == "" || till == "*" {
		return "", "", false
	}
	for _, sub := range []string{replicaDir, snapshotDir} {
		if info, err := os.Stat(filepath.Join(dir, sub)); err == nil && info.IsDir() {
			return Folder(filepath.Dir(dir)), till, true
		}
	}
	return "", "", false
}
