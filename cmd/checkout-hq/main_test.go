package main

import (
	"bytes"
	"strings"
	"testing"

	"checkout/hq/hqtest"
)

func hq(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	if c, out, _ := hq("-db", db, "shop-add", "north"); c != 0 || !strings.Contains(out, "shop north added") {
		t.Fatalf("shop-add: %d %s", c, out)
	}
	if c, _, errOut := hq("-db", db, "shop-add", "no spaces"); c != 1 || !strings.Contains(errOut, "add shop") {
		t.Fatalf("bad shop code: %d %s", c, errOut)
	}
	c, out, _ := hq("-db", db, "enrol-code", "north", "T01")
	if code := strings.Fields(out); c != 0 || len(code) == 0 || len(code[0]) != 16 {
		t.Fatalf("enrol-code: %d %q", c, out)
	}
	if c, _, errOut := hq("-db", db, "enrol-code", "south", "T01"); c != 1 || !strings.Contains(errOut, `no shop "south"`) {
		t.Fatalf("enrol-code for an unknown shop: %d %s", c, errOut)
	}
	if c, out, _ := hq("-db", db, "status"); c != 0 || !strings.Contains(out, "SHOP") {
		t.Fatalf("status: %d %s", c, out)
	}
	if c, _, errOut := hq("-db", db, "serve"); c != 1 || !strings.Contains(errOut, "-cert and -key") {
		t.Fatalf("serve without TLS: %d %s", c, errOut)
	}
	if c, _, errOut := hq("status"); c != 2 || !strings.Contains(errOut, "no database") {
		t.Fatalf("no database: %d %s", c, errOut)
	}
}
