//go:build unix

package cli

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"checkout/till"
)

// TestPowerCutCopyOpensWithAPrefixOfTheSales freezes the simulator (SIGSTOP) at a random instant while it
// writes, copies the database file and its WAL as a power cut would leave them on disk, and lets it go on:
// the copy must open, pass every check and hold the sales from the first up to some point, none missing
// in between. A transaction half-written at that instant is not in it.
func TestPowerCutCopyOpensWithAPrefixOfTheSales(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "till.db")
	if code, _, errOut := cli("-db", db, "seed-demo"); code != 0 {
		t.Fatal(errOut)
	}
	cmd, lines := startSimulator(t, db, 1)
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	for round := range 3 {
		for range 5 + rng.IntN(30) {
			if !lines.Scan() {
				t.Fatal("the simulator stopped")
			}
		}
		time.Sleep(time.Duration(rng.IntN(2000)) * time.Microsecond)
		copyDB := filepath.Join(dir, fmt.Sprintf("cut-%d.db", round))
		if err := syscall.Kill(cmd.Process.Pid, syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		copyFiles(t, db, copyDB)
		if err := syscall.Kill(cmd.Process.Pid, syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		st, err := till.OpenStore(ctx, copyDB)
		if err != nil {
			t.Fatalf("round %d: the copy does not open: %v", round, err)
		}
		if err := checkDatabase(ctx, st); err != nil {
			t.Fatalf("round %d: power-cut copy: %v", round, err)
		}
		sales, maxID := queryInt(t, copyDB, `SELECT count(*) FROM sales`), queryInt(t, copyDB, `SELECT coalesce(max(id), 0) FROM sales`)
		if sales != maxID {
			t.Errorf("round %d: the copy has %d sales numbered up to %d: not a prefix", round, sales, maxID)
		}
		st.Close()
	}
}

// copyFiles copies a database file and its WAL as they are.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	for _, side := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + side)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+side, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
