package hqtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A head-office test skipped for want of PostgreSQL is written down where make test counts the skips.
func TestSkippedTestsAreCounted(t *testing.T) {
	log := filepath.Join(t.TempDir(), "skipped")
	t.Setenv("CHECKOUT_SKIPPED_LOG", log)
	t.Setenv("CHECKOUT_TEST_PG", "")
	t.Setenv("CI", "")
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) { PostgresURL(t) })
	}
	b, err := os.ReadFile(log)
	if err != nil || strings.Count(string(b), "\n") != 2 || !strings.Contains(string(b), "TestSkippedTestsAreCounted/second") {
		t.Fatalf("skips noted: %q, %v", b, err)
	}
}
