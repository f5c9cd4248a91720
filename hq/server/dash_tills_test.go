package server_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"

	"checkout/hq/client"
	"checkout/hq/hqtest"
)

// A till names its release in its requests' User-Agent; the head office keeps it per till, writing
// only when it changes, and the tills page shows it. A header that is not a valid version changes
// nothing.
func TestDashboardTillVersion(t *testing.T) {
	h := hqtest.StartHQ(t)
	ctx := context.Background()
	db, err := pgx.Connect(ctx, h.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	cfg := h.Enrol("north", "T01")
	// rowVersion is the till's recorded version and its row's transaction ID: a new ID is a write.
	rowVersion := func() (string, uint32) {
		t.Helper()
		var v string
		var xmin uint32
		if err := db.QueryRow(ctx, `SELECT version, xmin::text::bigint FROM tills WHERE name = 'T01'`).Scan(&v, &xmin); err != nil {
			t.Fatal(err)
		}
		return v, xmin
	}
	ask := func(version string) {
		t.Helper()
		c := cfg
		c.Version = version
		cl, err := client.New(c)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		if _, err := cl.Chain(ctx); err != nil { // a read: the till's row is written for the version alone
			t.Fatal(err)
		}
	}
	if v, _ := rowVersion(); v != "" {
		t.Fatalf("a new till's version: %q", v)
	}
	ask("1.2.3")
	v, x := rowVersion()
	if v != "1.2.3" {
		t.Fatalf("version %q after the till named 1.2.3", v)
	}
	ask("1.2.3")
	if v2, x2 := rowVersion(); v2 != v || x2 != x {
		t.Errorf("the same version written again (%q, xmin %d → %d)", v2, x, x2)
	}
	ask("1.2.3<script>")
	ask("")
	if v2, _ := rowVersion(); v2 != "1.2.3" {
		t.Errorf("an invalid or missing version changed it to %q", v2)
	}
	// An upload names it too; an upgraded till's new version replaces the old.
	n := newTillDocs("T01")
	n.sale(dashDay, "cash", soldLine{"DRK-001", "Cola", "", 1, "3.50"})
	cfg.Version = "1.3.0"
	up, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(t, up, n.docs); err != nil {
		t.Fatal(err)
	}
	boss := signedIn(t, h, "boss", addUser(t, h, "boss", "owner"))
	_, page, _ := boss.get("/dash/tills")
	if m := regexp.MustCompile(`<th scope="row">T01</th><td data-figure="version">([^<]*)</td>`).FindStringSubmatch(page); m == nil || m[1] != "1.3.0" {
		t.Errorf("the tills page's version of T01: %q", m)
	}
}
