package hqtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Pair is a PostgreSQL primary and a streaming replica of it (pg_basebackup -R), a cluster of their own
// for one test, made as .ci/with-postgres makes its cluster (initdb as a non-root user, trust on
// 127.0.0.1): a test may stop the primary and promote the replica without disturbing the other tests'
// schemas. Both stop and are removed with the test.
type Pair struct {
	Primary, Replica *PGNode

	t        testing.TB
	conninfo string // the replica's primary_conninfo while detached
	bin      string
	as       []string // runuser -u USER -- when the test runs as root
	dir      string
}

// PGNode is one PostgreSQL server of a Pair.
type PGNode struct {
	Name string
	Port int
	URL  string // postgres://checkout@127.0.0.1:PORT/checkout_test?sslmode=disable

	dir  string
	opts []string // its settings (-c name=value)
}

// PostgresBin returns the directory of the newest PostgreSQL server binaries installed, or skips t
// (fails it in CI): Debian's postgresql package installs them in /usr/lib/postgresql/VERSION/bin.
func PostgresBin(t testing.TB) string {
	t.Helper()
	if os.Getenv("CHECKOUT_TEST_PG") == "" {
		PostgresURL(t) // skips, or fails in CI, as every PostgreSQL test does
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) < pgVersion(dirs[j]) })
	if len(dirs) > 0 {
		return dirs[len(dirs)-1]
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: in CI the replica tests must run")
	}
	noteSkipped(t)
	t.Skip("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: skipping the replica test")
	return ""
}

func pgVersion(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// StartPair starts a primary with a database checkout_test and a streaming replica of it. sync makes
// the replication synchronous (synchronous_standby_names = '*' on the primary): a commit returns only
// once the replica has the transaction.
func StartPair(t testing.TB, sync bool) *Pair {
	t.Helper()
	p := &Pair{t: t, bin: PostgresBin(t)}
	dir, err := os.MkdirTemp("", "checkout-pair.")
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	if os.Getuid() == 0 { // PostgreSQL refuses to run as root
		name := "postgres"
		u, err := user.Lookup(name)
		if err != nil {
			name = "nobody"
			if u, err = user.Lookup(name); err != nil {
				t.Fatal(err)
			}
		}
		uid, _ := strconv.Atoi(u.Uid)
		if err := os.Chown(dir, uid, -1); err != nil {
			t.Fatal(err)
		}
		p.as = []string{"runuser", "-u", name, "--"}
	}
	t.Cleanup(func() {
		for _, n := range []*PGNode{p.Replica, p.Primary} {
			if n != nil {
				p.pgctl(n, "stop", "-m", "immediate")
			}
		}
		os.RemoveAll(dir)
	})
	p.Primary = p.node("primary")
	p.run("initdb", "-D", p.Primary.dir, "-U", "checkout", "--auth=trust", "-E", "UTF8", "--no-locale")
	p.Start(p.Primary)
	p.run("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Primary.Port), "-U", "checkout", "checkout_test")
	p.Replica = p.node("replica")
	p.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Primary.Port), "-U", "checkout", "-D", p.Replica.dir,
		"-R", "-X", "stream", "-c", "fast")
	p.Start(p.Replica)
	p.WaitStreaming()
	if sync { // only now: with no standby yet, every commit would wait
		p.exec(p.Primary, `ALTER SYSTEM SET synchronous_standby_names = '*'`)
		p.exec(p.Primary, `SELECT pg_reload_conf()`)
		ctx := context.Background()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var state string
			conn, err := pgx.Connect(ctx, p.Primary.URL)
			if err == nil {
				err = conn.QueryRow(ctx, `SELECT coalesce((SELECT sync_state FROM pg_stat_replication LIMIT 1), '')`).Scan(&state)
				conn.Close(ctx)
			}
			if state == "sync" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replica is not synchronous: %q, %v", state, err)
			}
		}
	}
	return p
}

func (p *Pair) node(name string) *PGNode {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		p.t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return &PGNode{Name: name, Port: port, dir: filepath.Join(p.dir, name),
		URL: fmt.Sprintf("postgres://checkout@127.0.0.1:%d/checkout_test?sslmode=disable", port),
		opts: []string{"-p", strconv.Itoa(port), "-k", p.dir, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100",
			"-c", "cluster_name=" + name}}
}

// run runs a PostgreSQL program as the cluster's user, failing the test with its output.
func (p *Pair) run(prog string, args ...string) {
	p.t.Helper()
	if out, err := p.cmd(prog, args...).CombinedOutput(); err != nil {
		p.t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
}

func (p *Pair) cmd(prog string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, p.as...), filepath.Join(p.bin, prog)), args...)
	return exec.Command(argv[0], argv[1:]...)
}

func (p *Pair) pgctl(n *PGNode, args ...string) error {
	_, err := p.cmd("pg_ctl", append([]string{"-D", n.dir}, args...)...).CombinedOutput()
	return err
}

// Start starts n (again), waiting until it accepts connections.
func (p *Pair) Start(n *PGNode) {
	p.t.Helper()
	p.run("pg_ctl", "-D", n.dir, "-l", filepath.Join(p.dir, n.Name+".log"), "-w", "-o", strings.Join(n.opts, " "), "start")
}

// Stop stops n as a crash would (pg_ctl stop -m immediate): what it did not send its replica is lost
// to the replica.
func (p *Pair) Stop(n *PGNode) {
	p.t.Helper()
	if err := p.pgctl(n, "stop", "-m", "immediate", "-w"); err != nil {
		p.t.Fatalf("stop %s: %v", n.Name, err)
	}
}

// Promote makes the replica a primary (pg_ctl promote), waiting until it takes writes.
func (p *Pair) Promote() {
	p.t.Helper()
	p.run("pg_ctl", "-D", p.Replica.dir, "-w", "promote")
}

// FailoverURL is the URL a head office gives to follow a failover: both hosts, the writable one chosen.
func (p *Pair) FailoverURL() string {
	return fmt.Sprintf("postgres://checkout@127.0.0.1:%d,127.0.0.1:%d/checkout_test?sslmode=disable&target_session_attrs=read-write&connect_timeout=2",
		p.Primary.Port, p.Replica.Port)
}

// Log returns n's server log, for a failing test.
func (p *Pair) Log(n *PGNode) string {
	b, _ := os.ReadFile(filepath.Join(p.dir, n.Name+".log"))
	return string(b)
}

// exec runs sql on n.
func (p *Pair) exec(n *PGNode, sql string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, n.URL)
	if err != nil {
		p.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		p.t.Fatalf("%s: %s: %v", n.Name, sql, err)
	}
}

// Detach cuts the replica off its primary (no primary_conninfo): it keeps answering with what it has,
// and falls behind, as across a broken network between the two.
func (p *Pair) Detach() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, p.Replica.URL)
	if err != nil {
		p.t.Fatal(err)
	}
	err = conn.QueryRow(ctx, `SHOW primary_conninfo`).Scan(&p.conninfo)
	conn.Close(ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	p.exec(p.Replica, `ALTER SYSTEM SET primary_conninfo = ''`)
	p.exec(p.Replica, `SELECT pg_reload_conf()`)
	p.waitFor("the replica's WAL receiver to stop", func(conn *pgx.Conn) (bool, error) {
		var n int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_wal_receiver`).Scan(&n)
		return n == 0, err
	})
}

// Reattach connects the replica to its primary again, and waits until it streams.
func (p *Pair) Reattach() {
	p.t.Helper()
	p.exec(p.Replica, `ALTER SYSTEM SET primary_conninfo = '`+strings.ReplaceAll(p.conninfo, "'", "''")+`'`)
	p.exec(p.Replica, `SELECT pg_reload_conf()`)
	p.WaitStreaming()
}

// WaitStreaming waits until the replica streams from the primary.
func (p *Pair) WaitStreaming() {
	p.t.Helper()
	p.waitFor("the replica to stream", func(conn *pgx.Conn) (bool, error) {
		var status *string
		err := conn.QueryRow(context.Background(), `SELECT (SELECT status FROM pg_stat_wal_receiver)`).Scan(&status)
		return status != nil && *status == "streaming", err
	})
}

// WaitReplayed waits until the replica has replayed everything the primary has written so far.
func (p *Pair) WaitReplayed() {
	p.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, p.Primary.URL)
	if err != nil {
		p.t.Fatal(err)
	}
	var lsn string
	err = conn.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&lsn)
	conn.Close(ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	p.waitFor("the replica to replay to "+lsn, func(conn *pgx.Conn) (bool, error) {
		var done bool
		err := conn.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&done)
		return done, err
	})
}

// waitFor asks the replica until ok says yes, for 30 s at most.
func (p *Pair) waitFor(what string, ok func(*pgx.Conn) (bool, error)) {
	p.t.Helper()
	ctx := context.Background()
	var last error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		conn, err := pgx.Connect(ctx, p.Replica.URL)
		if err != nil {
			last = err
			continue
		}
		done, err := ok(conn)
		conn.Close(ctx)
		if done && err == nil {
			return
		}
		last = err
	}
	p.t.Fatalf("waited 30 s for %s (%v)\n%s", what, last, p.Log(p.Replica))
}
