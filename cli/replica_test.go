package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const testPassphrase = "correct horse battery staple"

// TestDeadDiskRestoredFromReplicaKeepsEveryReplicatedSale: a till replicating to a backup folder is
// killed mid-sale, and its disk dies with it (its database, WAL and keys are deleted). On a new machine
// restore-from rebuilds the database from the folder, the keys coming back with the passphrase; every
// sale the replica acknowledged (it printed "replicated through RECEIPT" after a write that began once
// that sale had committed) is there whole, and the database passes every check. The new till replicates
// on into the same folder.
func TestDeadDiskRestoredFromReplicaKeepsEveryReplicatedSale(t *testing.T) {
	oldMachine, newMachine, drive := t.TempDir(), t.TempDir(), t.TempDir()
	db := filepath.Join(oldMachine, "checkout.db")
	for _, args := range [][]string{{"seed-demo"}, {"set", "backup.target", drive}} {
		if code, _, errOut := cli(append([]string{"-db", db}, args...)...); code != 0 {
			t.Fatal(errOut)
		}
	}
	if code, _, errOut := cliInput(testPassphrase+"\n", "-db", db, "backup-passphrase"); code != 0 {
		t.Fatal(errOut)
	}

	promised, acknowledged := sellUntilKilled(t, db, 30)
	at := slices.IndexFunc(promised, func(s stored) bool { return s.Receipt == acknowledged })
	if at < 0 {
		t.Fatalf("the replica acknowledged %s, which the till never printed", acknowledged)
	}
	t.Logf("%d sales and refunds printed; the replica acknowledged %d of them (through %s) before the kill",
		len(promised), at+1, acknowledged)

	// The disk dies: nothing of the old machine is left.
	if err := os.RemoveAll(oldMachine); err != nil {
		t.Fatal(err)
	}
	newMachine = filepath.Join(newMachine, "checkout") // no data folder yet, as on a new machine
	restored := filepath.Join(newMachine, "checkout.db")
	if code, _, errOut := cliInput("wrong passphrase here\n", "-db", restored, "restore-from", drive); code == 0 || !strings.Contains(errOut, "wrong passphrase") {
		t.Fatalf("restore-from with a wrong passphrase: %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(newMachine, "till.key")); !os.IsNotExist(err) {
		t.Fatalf("a wrong passphrase put a key in place: %v", err)
	}
	if _, err := os.Stat(restored); !os.IsNotExist(err) {
		t.Fatalf("a refused restore left a database: %v", err)
	}
	code, out, errOut := cliInput(testPassphrase+"\n", "-db", restored, "restore-from", drive)
	if code != 0 {
		t.Fatalf("restore-from: %s", errOut)
	}
	if !strings.Contains(out, "journal rows verified") {
		t.Fatalf("restore-from said: %s", out)
	}
	checkAfterCrash(t, 0, restored, promised[:at+1])

	// The new till sells on and replicates into the same folder.
	more, through := sellUntilKilled(t, restored, 5)
	if through == "" || len(more) == 0 {
		t.Fatal("the restored till does not replicate")
	}
	again := filepath.Join(t.TempDir(), "checkout.db")
	if code, _, errOut := cliInput(testPassphrase+"\n", "-db", again, "restore-from", drive); code != 0 {
		t.Fatalf("restore-from after the new till replicated: %s", errOut)
	}
	i := slices.IndexFunc(more, func(s stored) bool { return s.Receipt == through })
	checkAfterCrash(t, 1, again, append(promised[:at+1:at+1], more[:i+1]...))
}

// sellUntilKilled runs `checkout simulate` on db until the replica has acknowledged at least n of its
// sales, then kills it mid-sale. It returns every sale and refund the simulator printed as committed,
// and the last receipt the replica acknowledged.
func sellUntilKilled(t *testing.T, db string, n int) (promised []stored, acknowledged string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join([]string{"-db", db, "simulate", "-sales", "1000000", "-rate", "200"}, "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acks := make(chan string, 1000)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if r, ok := strings.CutPrefix(lines.Text(), "replicated through "); ok {
				acks <- r
			}
		}
		close(acks)
	}()
	lines := bufio.NewScanner(stdout)
	deadline := time.After(2 * time.Minute)
	for len(promised) < n || acknowledged == "" || !slices.ContainsFunc(promised[n-1:], func(s stored) bool { return s.Receipt == acknowledged }) {
		select {
		case r, ok := <-acks:
			if ok {
				acknowledged = r
			}
			continue
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("after 2 minutes: %d sales printed, the replica through %q", len(promised), acknowledged)
		default:
		}
		if !lines.Scan() {
			t.Fatalf("the simulator stopped: %d sales printed", len(promised))
		}
		var s stored
		if err := json.Unmarshal(lines.Bytes(), &s); err != nil {
			t.Fatalf("a line that is not a stored sale: %q", lines.Text())
		}
		promised = append(promised, s)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // printed before the kill: committed, though maybe not replicated
		var s stored
		if json.Unmarshal(lines.Bytes(), &s) == nil {
			promised = append(promised, s)
		}
	}
	for r := range acks {
		acknowledged = r
	}
	_ = cmd.Wait()
	return promised, acknowledged
}
