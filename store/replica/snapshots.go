package replica

import (
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
	keysFile       = "keys.age"
)

// KeysPath is where the till's keys are kept, sealed with the snapshots' passphrase: a restore onto a new
// machine needs them to check the journal and to know the members' cards.
func KeysPath(folder string) string { return filepath.Join(folder, keysFile) }

// SnapshotPath is where a snapshot taken at at for reason ("z", "scheduled") goes.
func SnapshotPath(folder string, at time.Time, reason string) string {
	return filepath.Join(folder, snapshotDir, snapshotPrefix+at.UTC().Format(snapshotTime)+"-"+safeName(reason)+snapshotSuffix)
}

// Snapshot is one snapshot file in a till's folder.
type Snapshot struct {
	Path   string
	At     time.Time
	Reason string
}

// Snapshots lists the snapshots in folder, oldest first; files not named as snapshots are left alone.
func Snapshots(folder string) ([]Snapshot, error) {
	entries, err := os.ReadDir(filepath.Join(folder, snapshotDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []Snapshot
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, snapshotPrefix)
		rest, ok2 := strings.CutSuffix(rest, snapshotSuffix)
		if !ok || !ok2 || !e.Type().IsRegular() || len(rest) < len(snapshotTime)+2 {
			continue
		}
		at, err := time.Parse(snapshotTime, rest[:len(snapshotTime)])
		if err != nil || rest[len(snapshotTime)] != '-' {
			continue
		}
		list = append(list, Snapshot{Path: filepath.Join(folder, snapshotDir, name), At: at, Reason: rest[len(snapshotTime)+1:]})
	}
	slices.SortFunc(list, func(a, b Snapshot) int { return a.At.Compare(b.At) })
	return list, nil
}

// Prune removes the snapshots in folder that keep (given their times, oldest first) does not keep.
func Prune(folder string, keep func(taken []time.Time) []bool) (removed int, err error) {
	list, err := Snapshots(folder)
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
		if err := os.Remove(s.Path); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// LatestBefore returns the newest snapshot in folder taken at or before at.
func LatestBefore(folder string, at time.Time) (Snapshot, error) {
	list, err := Snapshots(folder)
	if err != nil {
		return Snapshot{}, err
	}
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].At.After(at) {
			return list[i], nil
		}
	}
	return Snapshot{}, fmt.Errorf("no snapshot in %s as early as %s", folder, at.Local().Format("2006-01-02 15:04"))
}

// TillFolder finds the till's folder from what the owner points at: the till's folder itself, or the
// backup folder holding exactly one till's; with several, it names them.
func TillFolder(target string) (string, error) {
	if isTillFolder(target) {
		return target, nil
	}
	matches, err := filepath.Glob(filepath.Join(target, "checkout-*"))
	if err != nil {
		return "", err
	}
	var tills []string
	for _, m := range matches {
		if isTillFolder(m) {
			tills = append(tills, m)
		}
	}
	switch len(tills) {
	case 0:
		return "", fmt.Errorf("%s holds no till's backups", target)
	case 1:
		return tills[0], nil
	}
	return "", fmt.Errorf("%s holds the backups of several tills: name one of %s", target, strings.Join(tills, ", "))
}

func isTillFolder(dir string) bool {
	for _, sub := range []string{replicaDir, snapshotDir} {
		if info, err := os.Stat(filepath.Join(dir, sub)); err == nil && info.IsDir() {
			return true
		}
	}
	return false
}
