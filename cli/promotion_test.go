package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// filesIn returns a function writing a file named name with body into dir and returning its path.
func filesIn(t *testing.T, dir string) func(name, body string) string {
	return func(name, body string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

func TestPromotionCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	file := filesIn(t, dir)
	good := file("good.json", `[
		{"Active": true, "Rule": {"Name": "Drinks half price", "NameZH": "饮料半价", "Kind": "percent_off", "PercentBP": 5000,
			"Target": {"Categories": ["drinks"]}, "Window": {"StartMinute": 1020, "EndMinute": 1140}}},
		{"Active": true, "Rule": {"Name": "Spend 50 save 5", "NameZH": "满50减5", "Kind": "basket_spend", "Target": {"All": true},
			"Tiers": [{"Threshold": 5000, "Off": 500}], "Coupon": "CPN-50"}}]`)
	// The second rule is bad: the first must not be saved either.
	oneBad := file("onebad.json", `[{"Active": true, "Rule": {"Name": "ok", "Kind": "percent_off", "PercentBP": 100, "Target": {"All": true}}},
		{"Active": true, "Rule": {"Name": "too much", "Kind": "percent_off", "PercentBP": 20000, "Target": {"All": true}}}]`)
	misspelt := file("misspelt.json", `[{"Active": true, "Rule": {"Name": "x", "Kind": "percent_off", "Percent": 100, "Target": {"All": true}}}]`)
	nul := file("nul.json", "[{\"Active\": true, \"Rule\": {\"Name\": \"x\x00\", \"Kind\": \"percent_off\"}}]\x00")
	badCoupon := file("coupon.json", `[{"Active": true, "Rule": {"Name": "ok", "Kind": "percent_off", "PercentBP": 100, "Target": {"All": true}}},
		{"Active": true, "Rule": {"Name": "x", "Kind": "percent_off", "PercentBP": 100, "Target": {"All": true}, "Coupon": "A B"}}]`)
	trailing := file("trailing.json", `[] {"more": 1}`)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-db", db, "seed-demo"}, 0, "added ", ""},
		{[]string{"-db", db, "receive", "5449000000996", "24", "2.80"}, 0, "24 on hand", ""},
		{[]string{"-db", db, "promotion-save", oneBad}, 1, "", "percent 20000"},
		{[]string{"-db", db, "promotion-save", misspelt}, 1, "", "unknown field \"Percent\""},
		{[]string{"-db", db, "promotion-save", nul}, 1, "", "nul.json"},
		{[]string{"-db", db, "promotion-save", badCoupon}, 1, "", "promotion 2 of 2"},
		{[]string{"-db", db, "promotion-save", trailing}, 1, "", "more after"},
		{[]string{"-db", db, "promotion-save", filepath.Join(dir, "missing.json")}, 1, "", "no such file"},
		{[]string{"-db", db, "promotions"}, 0, "0 promotions", ""},
		{[]string{"-db", db, "promotion-save", good}, 0, "warning: sells DRK-001", ""},
		{[]string{"-db", db, "promotions"}, 0, "basket_spend", ""},
		{[]string{"-db", db, "promotions"}, 0, "(coupon CPN-50)\n2 promotions", ""},
		{[]string{"-db", db, "verify-journal"}, 0, "journal OK", ""},
	} {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args[2:], code, out, errOut)
		}
	}
}

// A file that changes a promotion that is not there, or names one twice, changes nothing; a new rule is
// checked beside the promotions already saved.
func TestPromotionSaveChecksTheFileBesideTheSavedOnes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	file := filesIn(t, dir)
	first := file("first.json", `[{"Active": true, "Rule": {"Name": "ten", "Kind": "percent_off", "PercentBP": 1000, "Target": {"All": true}}}]`)
	missing := file("missing.json", `[{"Active": true, "Rule": {"Name": "new", "Kind": "percent_off", "PercentBP": 500, "Target": {"All": true}}},
		{"Active": false, "Rule": {"ID": 7, "Name": "gone", "Kind": "percent_off", "PercentBP": 500, "Target": {"All": true}}}]`)
	twice := file("twice.json", `[{"Active": false, "Rule": {"ID": 1, "Name": "ten", "Kind": "percent_off", "PercentBP": 1000, "Target": {"All": true}}},
		{"Active": true, "Rule": {"ID": 1, "Name": "ten", "Kind": "percent_off", "PercentBP": 2000, "Target": {"All": true}}}]`)
	off := file("off.json", `[{"Active": false, "Rule": {"ID": 1, "Name": "ten", "Kind": "percent_off", "PercentBP": 1000, "Target": {"All": true}}}]`)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-db", db, "promotion-save", first}, 0, "saved promotion 1 ten", ""},
		{[]string{"-db", db, "promotion-save", missing}, 1, "", "no promotion 7 to change"},
		{[]string{"-db", db, "promotion-save", twice}, 1, "", "names it twice"},
		{[]string{"-db", db, "promotions"}, 0, "     1 on  percent_off   ten\n1 promotions", ""},
		{[]string{"-db", db, "promotion-save", off}, 0, "saved promotion 1 ten", ""},
		{[]string{"-db", db, "promotions"}, 0, "     1 off percent_off   ten\n1 promotions", ""},
	} {
		code, out, errOut := cli(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("checkout %v = %d\nstdout %q\nstderr %q", tt.args[2:], code, out, errOut)
		}
	}
}
