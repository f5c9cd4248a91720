package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"checkout/app/document"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/hq/hqtest"
	"checkout/hq/server"
)

func month(t time.Time, add int) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month()+time.Month(add), 1, 0, 0, 0, 0, time.UTC)
}

func partName(table string, m time.Time) string { return table + m.Format("_y2006m01") }

// partitionOf returns the partition holding the row of table with id.
func partitionOf(t *testing.T, conn *pgx.Conn, table, id string) string {
	t.Helper()
	var name string
	if err := conn.QueryRow(context.Background(), `SELECT tableoid::regclass::text FROM `+table+` WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatalf("%s %s: %v", table, id, err)
	}
	return name
}

// A head office with years of rows migrates to partitioned tables: every row lands in its month's
// partition (or DEFAULT, for a clock gone wrong), nothing is lost, and uploads after it stay exactly-once.
func TestMigrationPartitionsExistingRows(t *testing.T) {
	ctx := context.Background()
	url := hqtest.PostgresURL(t)
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := server.MigrateTo(ctx, db, 11); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rows := []struct {
		id   string
		at   time.Time
		want string // the partition's suffix
	}{
		{"00000000-0000-4000-8000-000000000001", month(now, -14).Add(36 * time.Hour), partName("", month(now, -14))},
		{"00000000-0000-4000-8000-000000000002", month(now, -2).Add(-time.Second), partName("", month(now, -3))},
		{"00000000-0000-4000-8000-000000000003", month(now, -2), partName("", month(now, -2))},
		{"00000000-0000-4000-8000-000000000004", month(now, 0).Add(time.Hour), partName("", month(now, 0))},
		{"00000000-0000-4000-8000-000000000005", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "_default"},
		{"00000000-0000-4000-8000-000000000006", time.Date(2099, 6, 1, 0, 0, 0, 0, time.UTC), "_default"},
	}
	for _, sql := range []string{
		`INSERT INTO shops (code) VALUES ('north')`,
		`INSERT INTO tills (shop_id, name, token_sha256, enrolled_at) VALUES (1, 'T00', '\x00', now())`,
	} {
		if _, err := db.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rows {
		if _, err := db.Exec(ctx, `INSERT INTO documents (shop_id, id, till_id, kind, till_seq, at, body) VALUES (1, $1, 1, 'sale', $2, $3, $4)`,
			r.id, i+1, r.at, fmt.Sprintf(`{"receipt_no": "T00-%06d", "tenders": [{"kind": "cash", "amount": "1.00"}]}`, i+1)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO sales (shop_id, id, till_id, receipt_no, completed_at, currency, total) VALUES (1, $1, 1, $2, $3, 'CNY', 1)`,
			r.id, fmt.Sprintf("T00-%06d", i+1), r.at); err != nil {
			t.Fatal(err)
		}
	}
	// A rejected document (no body) comes through too.
	if _, err := db.Exec(ctx, `INSERT INTO documents (shop_id, id, till_id, kind, till_seq, at, status, reason, raw)
		VALUES (1, '00000000-0000-4000-8000-000000000007', 1, 'sale', 7, $1, 'rejected', 'bad', '\x00')`, month(now, -2)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	h := hqtest.StartHQOn(t, url) // migration 0012, and the coming months' partitions
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, r := range rows {
		for _, table := range []string{"documents", "sales"} {
			if got := partitionOf(t, conn, table, r.id); got != table+r.want {
				t.Errorf("%s of %v is in %s, want %s", table, r.at, got, table+r.want)
			}
		}
	}
	var docs, sales, keys int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sales), (SELECT count(*) FROM document_keys)`).
		Scan(&docs, &sales, &keys); err != nil {
		t.Fatal(err)
	}
	if docs != 7 || sales != 6 || keys != 7 {
		t.Errorf("%d documents, %d sales, %d keys after the migration, want 7, 6, 7", docs, sales, keys)
	}
	// The 1970 and 2099 rows made no partitions; the coming months have theirs.
	ps, err := h.Server.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	var want []string
	for _, table := range []string{"documents", "sales"} {
		want = append(want, table+"_default")
		for _, m := range []int{-14, -3, -2, 0, 1, 2, 3} {
			want = append(want, partName(table, month(now, m)))
		}
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("partitions:\n%s\nwant\n%s", strings.Join(names, " "), strings.Join(want, " "))
	}

	// Uploads after it: a document held before the migration, sent again (with another time), is a
	// duplicate; a new one is stored once however often it is sent.
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	old := hqtest.SaleDoc(rows[0].id, 1, "1.00")
	fresh := hqtest.SaleDoc(id2, 2, "6.50")
	for range 2 {
		reply, err := c.Upload(ctx, api.UploadRequest{Documents: []api.Document{old, fresh}})
		if err != nil || len(reply.Duplicates) < 1 || reply.Duplicates[0] != rows[0].id {
			t.Fatalf("upload: %+v, %v", reply, err)
		}
	}
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents WHERE id = $1), (SELECT count(*) FROM sales WHERE id = $1)`, id2).
		Scan(&docs, &sales); err != nil || docs != 1 || sales != 1 {
		t.Errorf("a document sent twice: %d documents, %d sales, %v", docs, sales, err)
	}

	// A sale from a till whose clock says 2099: stored, in DEFAULT, and no partition for it.
	future := hqtest.SaleDoc("00000000-0000-4000-8000-000000000099", 3, "2.00")
	var sale document.Sale
	json.Unmarshal(future.Body, &sale)
	sale.OpenedAt, sale.CompletedAt = "2099-12-31T23:00:00Z", "2099-12-31T23:00:00Z"
	future.Body, _ = json.Marshal(sale)
	future.At = time.Date(2099, 12, 31, 23, 0, 0, 0, time.UTC)
	reply, err := c.Upload(ctx, api.UploadRequest{Documents: []api.Document{future}})
	if err != nil || len(reply.Stored) != 1 {
		t.Fatalf("a sale in 2099: %+v, %v", reply, err)
	}
	for _, table := range []string{"documents", "sales"} {
		if got := partitionOf(t, conn, table, future.ID); got != table+"_default" {
			t.Errorf("the 2099 sale's %s row is in %s", table, got)
		}
	}
	if err := h.Server.EnsurePartitions(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if after, _ := h.Server.Partitions(ctx); len(after) != len(ps) {
		t.Errorf("%d partitions after the 2099 sale, %d before", len(after), len(ps))
	}
}

// A month's rows that arrived before its partition (a till's clock ahead) move out of DEFAULT when the
// partition is made.
func TestEnsurePartitionsMovesRowsOutOfDefault(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	ahead := month(time.Now(), server.MonthsAhead+2).Add(time.Hour)
	d := hqtest.SaleDoc(id1, 1, "3.00")
	d.At = ahead
	if _, err := c.Upload(ctx, api.UploadRequest{Documents: []api.Document{d}}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if got := partitionOf(t, conn, "documents", id1); got != "documents_default" {
		t.Fatalf("a document months ahead is in %s", got)
	}
	if err := h.Server.EnsurePartitions(ctx, ahead); err != nil {
		t.Fatal(err)
	}
	if got, want := partitionOf(t, conn, "documents", id1), partName("documents", ahead); got != want {
		t.Fatalf("after its month's partition was made, the document is in %s, want %s", got, want)
	}
}

// The dashboard's day query reads one partition, through the partitioned index.
func TestDayQueryPrunesToOnePartition(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	day := month(time.Now(), 0).AddDate(0, 0, 9)
	var plan []string
	rows, err := conn.Query(ctx, `EXPLAIN SELECT shop_id, currency, count(*), sum(total)::text FROM sales
		WHERE shop_id = ANY ($1) AND completed_at >= $2 AND completed_at < $3 GROUP BY shop_id, currency`,
		[]int64{1, 2}, day, day.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	t.Logf("\n%s", text)
	if n := strings.Count(text, " on sales_"); n != 1 || !strings.Contains(text, partName("sales", day)) {
		t.Errorf("the day query reads %d partitions, want only %s", n, partName("sales", day))
	}
}

// psql finds the psql the tests' PostgreSQL came with.
func psql(t *testing.T) string {
	if p, err := exec.LookPath("psql"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/psql")
	if len(found) == 0 {
		t.Skip("no psql to restore an archive with")
	}
	return found[len(found)-1]
}

// Months before a given one leave the database for a file, which psql restores row for row; the months
// after stay, and a document of an archived month sent again is still a duplicate.
func TestArchiveBeforeRoundTrip(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	c, err := client.New(h.Enrol("north", "T01"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := h.Server.EnsurePartitions(ctx, month(now, -6)); err != nil { // months -6 to -3
		t.Fatal(err)
	}
	var docs []api.Document
	for i, m := range []int{-6, -6, -5, -4} {
		d := hqtest.SaleDoc(fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), int64(i+1), "1.00")
		d.At = month(now, m).Add(time.Duration(i+1) * time.Hour)
		var sale document.Sale
		json.Unmarshal(d.Body, &sale)
		sale.OpenedAt = d.At.Format(time.RFC3339)
		sale.CompletedAt = sale.OpenedAt
		d.Body, _ = json.Marshal(sale)
		docs = append(docs, d)
	}
	if reply, err := c.Upload(ctx, api.UploadRequest{Documents: docs}); err != nil || len(reply.Stored) != 4 {
		t.Fatalf("upload: %+v, %v", reply, err)
	}
	file := filepath.Join(t.TempDir(), "archive.sql")
	archived, err := h.Server.ArchiveBefore(ctx, month(now, -4), file, now)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range archived {
		names = append(names, fmt.Sprintf("%s:%d", p.Name, p.Rows))
	}
	want := fmt.Sprintf("%s:2 %s:1 %s:2 %s:1", partName("documents", month(now, -6)), partName("documents", month(now, -5)),
		partName("sales", month(now, -6)), partName("sales", month(now, -5)))
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("archived %s, want %s", got, want)
	}
	if _, err := h.Server.ArchiveBefore(ctx, month(now, -4), file, now); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("archiving onto an existing file: %v", err)
	}
	conn, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d documents left, want the one of month -4: %v", left, err)
	}
	if reply, err := c.Upload(ctx, api.UploadRequest{Documents: docs[:1]}); err != nil || len(reply.Duplicates) != 1 {
		t.Errorf("an archived document sent again: %+v, %v", reply, err)
	}

	// Restore it into a schema of its own, as the README says, and compare it with what was uploaded.
	restore := hqtest.PostgresURL(t)
	schema := strings.SplitN(strings.SplitN(restore, "search_path=", 2)[1], "&", 2)[0]
	base := strings.SplitN(restore, "?", 2)[0] + "?sslmode=disable"
	cmd := exec.Command(psql(t), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", file, base)
	cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql -f %s: %v\n%s", file, err, out)
	}
	rc, err := pgx.Connect(ctx, restore)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(ctx)
	var body []byte
	var total string
	err = rc.QueryRow(ctx, `SELECT d.body, s.total::text FROM `+partName("documents", month(now, -5))+` d JOIN `+
		partName("sales", month(now, -5))+` s USING (id)`).Scan(&body, &total)
	if err != nil || total != "1.0000" || !strings.Contains(string(body), `"receipt_no":"T01-000003"`) && !strings.Contains(string(body), `"receipt_no": "T01-000003"`) {
		t.Errorf("restored: %s %s %v", body, total, err)
	}
}
