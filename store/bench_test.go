package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"checkout/app"
	"checkout/cmd/benchtable/idle"
)

// latencies collects per-operation durations and reports their median and 99th percentile.
type latencies []time.Duration

func (l latencies) quantile(q float64) time.Duration {
	s := slices.Clone(l)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// BenchmarkSaleCommit measures the durable commit of a 5-line, 1-tender sale against one bare single-row
// INSERT transaction on a file with the same settings, in the same run. Target: median ratio ≤ 1.5.
func BenchmarkSaleCommit(b *testing.B) {
	s, _ := openTestStore(b)
	ctx := context.Background()
	template := sellCash(b, s, "5449000000996", "6924743915763", "6924743915770", "5449000000996", "0.455*2000101000006", "0.300*2000101000006")
	if len(template.Lines) != 4 {
		// two piece lines merged: add a fifth line so the sale has 5
		b.Fatalf("template has %d lines", len(template.Lines))
	}
	template.Lines = append(template.Lines, template.Lines[3])

	bare, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), "bare.db"), false))
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	bare.SetMaxOpenConns(1)
	if _, err := bare.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}

	sales, inserts := make(latencies, 0, b.N), make(latencies, 0, b.N)
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sale := *template
		sale.ID = app.NewID()
		start := time.Now()
		if err := s.CommitSale(ctx, &sale); err != nil {
			b.Fatal(err)
		}
		sales = append(sales, time.Since(start))

		b.StopTimer()
		start = time.Now()
		tx, err := bare.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t (v) VALUES (?)`, sale.ID); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		inserts = append(inserts, time.Since(start))
		b.StartTimer()
	}
	b.ReportMetric(micros(sales.quantile(0.5)), "sale-p50-µs")
	b.ReportMetric(micros(sales.quantile(0.99)), "sale-p99-µs")
	b.ReportMetric(micros(inserts.quantile(0.5)), "bare-p50-µs")
	b.ReportMetric(micros(inserts.quantile(0.99)), "bare-p99-µs")
	b.ReportMetric(float64(sales.quantile(0.5))/float64(inserts.quantile(0.5)), "ratio-p50")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	if yearDir != "" {
		os.RemoveAll(yearDir)
	}
	if journaledDir != "" {
		os.RemoveAll(journaledDir)
	}
	os.Exit(code)
}
