package client_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/store"
)

// BenchmarkChainUpload is the head office's load test (make bench-hq): CHECKOUT_BENCH_TILLS keyed tills
// (200 by default, 10 to a shop), each its own database with CHECKOUT_BENCH_TILL_SALES sales (300) made
// through the real use case and its own token, upload their day through HAProxy to 1 and to 2
// head-office servers on one PostgreSQL, each with the till's real uploader (Uploader.Run with the
// till's settings: batches of 500, 30 s timeout, backoff from 1 s to 1 min, down-sync after each upload).
//
// Two rounds per cluster, each on fresh copies of the same day and a fresh schema:
//   - drain: the head office is up and every till starts at once with its whole day pending. Figures:
//     documents stored per second (counted in PostgreSQL), upload latency p50/p99 as the tills see it,
//     CPU seconds of PostgreSQL, of this process (the tills, their uploaders and the servers), of
//     HAProxy and of the rest of the machine (other work) over the round.
//   - outage: the tills' uploaders run while every server is down for CHECKOUT_BENCH_OUTAGE (2 min),
//     then the servers start again: the time until every till reports 0 pending. From about 2 minutes
//     every till's retry is drawn from the uploader's 1-minute cap, as after a 10-minute outage; the
//     backlog is the whole day, more than 10 minutes of trading. 0 skips this round.
//
// Everything (the tills' SQLite, the servers, HAProxy, PostgreSQL) shares this machine's cores, and the
// tills' reading of their outboxes costs more CPU here than the head office's storing: the figures are
// the head office's floor, not its ceiling.
func BenchmarkChainUpload(b *testing.B) {
	hqtest.PostgresURL(b) // skips here, before the tills are built, without PostgreSQL
	hqtest.HAProxy(b)
	n := envInt(b, "CHECKOUT_BENCH_TILLS", 200)
	sales := envInt(b, "CHECKOUT_BENCH_TILL_SALES", 300)
	outage := 2 * time.Minute
	if v := os.Getenv("CHECKOUT_BENCH_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("CHECKOUT_BENCH_OUTAGE: %v", err)
		}
		outage = d
	}
	start := time.Now()
	day := buildDay(b, n, sales)
	built := time.Since(start).Round(time.Second)
	for _, servers := range []int{1, 2} {
		b.Run(fmt.Sprintf("servers=%d", servers), func(b *testing.B) {
			for range b.N {
				r := uploadDay(b, day, servers, 0)
				b.ReportMetric(r.docsPerSec(), "docs/s")
				b.ReportMetric(float64(r.percentile(50).Milliseconds()), "ms-upload-p50")
				b.ReportMetric(float64(r.percentile(99).Milliseconds()), "ms-upload-p99")
				b.ReportMetric(r.drained.Seconds(), "s-drain")
				b.ReportMetric(r.cpu.postgres, "cpu-s-postgres")
				b.ReportMetric(r.cpu.self, "cpu-s-go")
				b.ReportMetric(r.cpu.haproxy, "cpu-s-haproxy")
				b.ReportMetric(r.cpu.others(), "cpu-s-other-work")
				b.Logf("%d servers, drain: %d documents (%d sales of %d tills) stored in %v: %.0f documents/s; "+
					"upload p50 %v, p99 %v over %d uploads; CPU s: PostgreSQL %.1f, tills+servers %.1f, HAProxy %.1f, other work on the machine %.1f (of %.1f on %d cores)",
					servers, r.docs, n*sales, n, r.drained.Round(time.Millisecond), r.docsPerSec(), r.percentile(50).Round(time.Millisecond),
					r.percentile(99).Round(time.Millisecond), len(r.latencies), r.cpu.postgres, r.cpu.self, r.cpu.haproxy,
					r.cpu.others(), float64(runtime.NumCPU())*r.drained.Seconds(), runtime.NumCPU())
				b.Logf("the day's %d tills × %d sales were built through the sale use case, 8 at a time, in %v", n, sales, built)
				if outage > 0 {
					r := uploadDay(b, day, servers, outage)
					b.ReportMetric(r.drained.Seconds(), "s-to-0-pending-after-outage")
					b.Logf("%d servers, after a %v outage: every till at 0 pending %v after the head office came back "+
						"(first upload stored after %v); %d documents", servers, outage, r.drained.Round(time.Millisecond),
						r.firstAck.Round(time.Millisecond), r.docs)
				}
			}
		})
	}
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// tillDay is one till's day of trading: its shop, its name and its closed database, nothing uploaded.
type tillDay struct{ shop, name, path string }

// buildDay makes n keyed tills with sales sales each through the real use case, several at once, and
// keeps their closed databases: every round copies them, so every round uploads the same day.
func buildDay(b *testing.B, n, sales int) []tillDay {
	b.Helper()
	dir := b.TempDir()
	day := make([]tillDay, n)
	work := make(chan int)
	var wg sync.WaitGroup
	// SQLite's durable commits wait on fsync more than on the CPU: more builders than cores.
	for range 8 {
		wg.Go(func() {
			for i := range work {
				d := tillDay{shop: fmt.Sprintf("S%03d", i/10+1), name: fmt.Sprintf("T%02d", i%10+1),
					path: filepath.Join(dir, fmt.Sprintf("till-%03d.db", i))}
				tl := keyedTill(b, d.name)
				for range sales {
					tl.sell(b)
				}
				if err := tl.store.Close(); err != nil {
					b.Error(err)
					return
				}
				if err := copyDB(tl.path, d.path); err != nil {
					b.Error(err)
					return
				}
				day[i] = d
			}
		})
	}
	for i := range n {
		if b.Failed() {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return day
}

// copyDB copies a closed SQLite database, with its WAL when one is left.
func copyDB(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		dst, err := os.Create(to + suffix)
		if err == nil {
			_, err = io.Copy(dst, src)
			if cerr := dst.Close(); err == nil {
				err = cerr
			}
		}
		src.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// round is what one round measured.
type round struct {
	docs      int64
	drained   time.Duration // from the start (or the head office's return) to every till at 0 pending
	firstAck  time.Duration // from the same moment to the first upload acknowledged
	latencies []time.Duration
	cpu       cpuSeconds
}

func (r round) docsPerSec() float64 { return float64(r.docs) / r.drained.Seconds() }

func (r round) percentile(p int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[(len(r.latencies)-1)*p/100]
}

// uploadDay enrols copies of the day's tills with a new cluster of servers and runs their uploaders
// until every till reports 0 pending. With an outage, the servers are down for that long while the
// uploaders run, and the time counts from their return.
func uploadDay(b *testing.B, day []tillDay, servers int, outage time.Duration) round {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := hqtest.StartCluster(b, servers)
	dir := b.TempDir()
	uploaders := make([]*client.Uploader, len(day))
	outboxes := make([]*timedOutbox, len(day))
	tills := make([]*till, len(day))
	var drained sync.WaitGroup
	drained.Add(len(day))
	for i, d := range day {
		tl := &till{path: filepath.Join(dir, filepath.Base(d.path)), keyed: true}
		if err := copyDB(d.path, tl.path); err != nil {
			b.Fatal(err)
		}
		tl.open(b)
		tills[i] = tl
		cfg := c.Enrol(d.shop, d.name)
		if err := tl.store.SetSyncLink(ctx, store.SyncLink{URL: cfg.URL, Shop: d.shop, Till: d.name, EnrolledAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
		cfg.Timeout = 0 // the till's: 30 s
		cl, err := client.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(cl.Close)
		outboxes[i] = &timedOutbox{Outbox: tl.store}
		var once sync.Once
		// The till's settings (till/headoffice.go): zero values but the journal key and the downloader.
		uploaders[i] = &client.Uploader{Outbox: outboxes[i], Client: cl, JournalKey: journalKey,
			Down: &client.Downloader{Link: tl.store, Client: cl, Currency: cnyCurrency},
			OnStatus: func(st app.SyncStatus) {
				if st.Online && st.Pending == 0 && st.LastError == "" {
					once.Do(drained.Done)
				}
			}}
	}
	if outage > 0 {
		for _, h := range c.Servers {
			h.Kill()
		}
	}
	cpu0 := measureCPU(b, c.DBURL)
	start := time.Now()
	var running sync.WaitGroup
	defer running.Wait()
	defer cancel()
	for _, u := range uploaders {
		running.Go(func() { u.Run(ctx) })
	}
	if outage > 0 {
		time.Sleep(outage)
		for _, ob := range outboxes {
			if ob.acks() > 0 {
				b.Fatal("an upload was acknowledged while the head office was down")
			}
		}
		for _, h := range c.Servers {
			h.Restart()
		}
		start = time.Now()
	}
	all := make(chan struct{})
	go func() { drained.Wait(); close(all) }()
	select {
	case <-all:
	case <-time.After(30 * time.Minute):
		for i, u := range uploaders {
			if st := u.Status(); st.Pending != 0 {
				b.Logf("%s %s: %+v", day[i].shop, day[i].name, st)
			}
		}
		b.Fatal("not every till reached 0 pending in 30 minutes")
	}
	r := round{drained: time.Since(start)}
	r.cpu = measureCPU(b, c.DBURL).minus(cpu0)
	cancel()
	running.Wait()

	first := time.Time{}
	for i, ob := range outboxes {
		r.latencies = append(r.latencies, ob.took...)
		if !ob.first.IsZero() && (first.IsZero() || ob.first.Before(first)) {
			first = ob.first
		}
		if n, err := tills[i].store.PendingCount(context.Background()); err != nil || n != 0 {
			b.Fatalf("%s %s: %d pending, %v", day[i].shop, day[i].name, n, err)
		}
	}
	r.firstAck = first.Sub(start)
	slices.Sort(r.latencies)
	conn, err := pgx.Connect(context.Background(), c.DBURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	var sold int64
	err = conn.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE kind = 'sale' AND status = 'accepted') FROM documents`).Scan(&r.docs, &sold)
	if err != nil {
		b.Fatal(err)
	}
	var want int64
	for _, tl := range tills {
		want += tl.sales(b).Count
	}
	if sold != want {
		b.Fatalf("the head office holds %d accepted sales of the tills' %d", sold, want)
	}
	return r
}

// timedOutbox times each upload as the till sees it: from the batch read from the outbox to the head
// office's acknowledgement being recorded (the request and its reply, JSON both ways). The uploader calls
// it from its one goroutine; failed uploads are not timed.
type timedOutbox struct {
	app.Outbox
	start, first time.Time
	took         []time.Duration
	mu           sync.Mutex
}

func (o *timedOutbox) PendingOutbox(ctx context.Context, limit int) ([]app.OutboxDoc, error) {
	docs, err := o.Outbox.PendingOutbox(ctx, limit)
	o.start = time.Now()
	return docs, err
}

// SetHQHead follows an acknowledged upload of a keyed till at once (and its key's registration, untimed).
func (o *timedOutbox) SetHQHead(ctx context.Context, head app.ChainHead) error {
	o.lap()
	return o.Outbox.SetHQHead(ctx, head)
}

func (o *timedOutbox) MarkSent(ctx context.Context, ids []string, at time.Time) error {
	o.lap()
	return o.Outbox.MarkSent(ctx, ids, at)
}

func (o *timedOutbox) lap() {
	if o.start.IsZero() {
		return
	}
	now := time.Now()
	o.mu.Lock()
	o.took = append(o.took, now.Sub(o.start))
	if o.first.IsZero() {
		o.first = now
	}
	o.mu.Unlock()
	o.start = time.Time{}
}

func (o *timedOutbox) acks() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.took)
}

// cpuSeconds is CPU time (user + system) used so far: by PostgreSQL, this process, HAProxy, and the
// whole machine (busy, all cores), so that what other work took shows.
type cpuSeconds struct{ postgres, self, haproxy, machine float64 }

func (c cpuSeconds) minus(d cpuSeconds) cpuSeconds {
	return cpuSeconds{c.postgres - d.postgres, c.self - d.self, c.haproxy - d.haproxy, c.machine - d.machine}
}

// others is what the rest of the machine used.
func (c cpuSeconds) others() float64 { return c.machine - c.postgres - c.self - c.haproxy }

// measureCPU reads /proc: the PostgreSQL cluster behind dbURL (its postmaster, found as a backend's
// parent, with its children, the exited ones included through the postmaster's children's time), this
// process, and its haproxy children.
func measureCPU(b *testing.B, dbURL string) cpuSeconds {
	b.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	var backend int
	if err := conn.QueryRow(context.Background(), `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		b.Fatal(err)
	}
	bst, err := procStat(backend)
	if err != nil {
		b.Fatalf("PostgreSQL's CPU: %v", err)
	}
	postmaster, self := bst.ppid, os.Getpid()
	var c cpuSeconds
	if c.machine, err = machineBusy(); err != nil {
		b.Fatal(err)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := procStat(pid)
		if err != nil {
			continue // gone meanwhile
		}
		switch {
		case pid == postmaster:
			c.postgres += st.cpu + st.children
		case st.ppid == postmaster:
			c.postgres += st.cpu
		case pid == self:
			c.self += st.cpu
		case st.ppid == self && st.comm == "haproxy":
			c.haproxy += st.cpu
		}
	}
	return c
}

// machineBusy reads the time all cores were busy from /proc/stat's cpu line (proc(5)): everything but
// idle and iowait, in seconds.
func machineBusy() (float64, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: %q", line)
	}
	var busy float64
	for i, v := range f[1:9] { // user nice system idle iowait irq softirq steal
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %v", err)
		}
		if i != 3 && i != 4 {
			busy += n / 100
		}
	}
	return busy, nil
}

type stat struct {
	comm          string
	ppid          int
	cpu, children float64 // seconds: the process's own, and its waited-for children's
}

// procStat reads /proc/PID/stat (proc(5)): after the command in parentheses come state, ppid, … utime,
// stime, cutime, cstime as fields 14–17, in clock ticks (100 a second on Linux).
func procStat(pid int) (stat, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return stat{}, err
	}
	s := string(data)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return stat{}, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	f := strings.Fields(s[end+1:]) // f[0] is field 3 (state)
	if len(f) < 15 {
		return stat{}, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	var ticks [4]float64
	for i := range ticks {
		v, err := strconv.ParseFloat(f[11+i], 64)
		if err != nil {
			return stat{}, fmt.Errorf("/proc/%d/stat: %v", pid, err)
		}
		ticks[i] = v / 100
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return stat{}, fmt.Errorf("/proc/%d/stat: %v", pid, err)
	}
	return stat{comm: s[open+1 : end], ppid: ppid, cpu: ticks[0] + ticks[1], children: ticks[2] + ticks[3]}, nil
}
