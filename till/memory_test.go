package till

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/app/money"
	"checkout/store/storetest"
)

// memoryChild names the database a re-run of BenchmarkStartedMemory opens and measures; empty, the
// benchmark builds the catalog and starts that child.
const memoryChild = "CHECKOUT_MEMORY_DB"

// BenchmarkStartedMemory measures the till's memory once started on a 1,000,000-product catalog
// (issue 26: resident memory < 150 MB). The catalog is made first (or CHECKOUT_MEMORY_SOURCE names one
// made before, e.g. by import-catalog), then a fresh process (this test binary run again) opens it the
// way Run does (Open, Start with the screens, Show, releaseStartup), lets it settle for 20 s and
// reports from /proc/self/status and the runtime: rss-MB (VmRSS), anon-MB (RssAnon), heap-MB
// (the Go heap's objects, live and not yet swept), go-MB (what the Go runtime holds from the system)
// and other-anon-MB (anon-MB less go-MB: modernc's SQLite page caches and FTS5 structures, allocated
// outside the Go runtime; go-MB counts some pages not yet touched, so this may come out below zero).
// What it does not count: Fyne's test driver draws nothing, so the GL driver and Mesa (under Xvfb,
// llvmpipe: ≈ 90 MB of libLLVM, swrast and C heap) and the windows' textures are missing, and the
// test binary is not the release binary (its text and data are in rss-MB, as the till's are). Run it
// with -tags no_emoji (make bench does), as the till is built.
func BenchmarkStartedMemory(b *testing.B) {
	if db := os.Getenv(memoryChild); db != "" {
		startedMemory(b, db)
		return
	}
	db := os.Getenv("CHECKOUT_MEMORY_SOURCE")
	if db == "" {
		db = filepath.Join(b.TempDir(), "till.db")
		makeBigCatalog(b, db)
	}
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkStartedMemory$", "-test.benchtime=1x")
		cmd.Env = append(os.Environ(), memoryChild+"="+db)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		_, figures, ok := strings.Cut(string(out), "memory: ")
		if !ok {
			b.Fatalf("no figures from the child:\n%s", out)
		}
		var m map[string]float64
		if err := json.NewDecoder(strings.NewReader(figures)).Decode(&m); err != nil {
			b.Fatal(err)
		}
		for unit, v := range m {
			b.ReportMetric(v, unit)
		}
	}
}

// makeBigCatalog makes a till database at path with the generated 1,000,000-product catalog.
func makeBigCatalog(b *testing.B, path string) {
	ctx := context.Background()
	st, err := OpenStore(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	batch := make([]app.CatalogEntry, 0, 10_000)
	for i := range 1_000_000 {
		name, nameZH := storetest.ProductName(i)
		batch = append(batch, app.CatalogEntry{
			Product: app.Product{SKU: fmt.Sprintf("GEN-%07d", i), Name: name, NameZH: nameZH,
				Price: money.New(int64(100+i%9900), money.CNY), Unit: app.UnitPiece, TaxClass: "standard", Active: true},
			Barcodes: []string{storetest.ProductCode(i)},
		})
		if len(batch) == cap(batch) {
			if _, err := st.AddProducts(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := st.SearchIndexed(ctx); err != nil {
		b.Fatal(err)
	}
}

// startedMemory is the child: it starts the till on db and prints its memory after it settled.
func startedMemory(b *testing.B, db string) {
	for b.Loop() {
	}
	m, err := Open(context.Background(), Config{DBPath: db})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	test.NewTempApp(b)
	m.Background = func(f func()) { f() }
	m.Start(fyne.CurrentApp())
	go m.UI.Show()
	releaseStartup() // as Run does once the windows are up
	time.Sleep(20 * time.Second)
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status:", err)
	}
	field := func(name string) float64 {
		for line := range strings.Lines(string(status)) {
			if rest, ok := strings.CutPrefix(line, name+":"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				return kb / 1024
			}
		}
		return 0
	}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	const mb = 1 << 20
	goMB := float64(sample[1].Value.Uint64()-sample[2].Value.Uint64()) / mb
	figures, _ := json.Marshal(map[string]float64{
		"rss-MB": field("VmRSS"), "anon-MB": field("RssAnon"), "heap-MB": float64(sample[0].Value.Uint64()) / mb,
		"go-MB": goMB, "other-anon-MB": field("RssAnon") - goMB,
	})
	fmt.Printf("memory: %s\n", figures)
	runtime.KeepAlive(m)
}
