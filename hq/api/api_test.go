package api

import (
	"strings"
	"testing"
)

var userAgents = []struct{ ua, version string }{
	{"checkout/1.2.3", "1.2.3"},
	{"checkout/1.2.3-rc.1+linux (amd64)", "1.2.3-rc.1+linux"},
	{"checkout/v0.9.0-14-g1a2b3c4", "v0.9.0-14-g1a2b3c4"},
	{"Go-http-client/1.1", ""},
	{"checkout/", ""},
	{"checkout", ""},
	{"Checkout/1.2.3", ""},
	{"checkout/1.2.3<script>", ""},
	{"checkout/1.2.3\u202e", ""},
	{"checkout/1.2.3\x00", ""},
	{"checkout/" + strings.Repeat("9", MaxVersion), strings.Repeat("9", MaxVersion)},
	{"checkout/" + strings.Repeat("9", MaxVersion+1), ""},
	{"", ""},
}

func TestTillVersion(t *testing.T) {
	for _, tt := range userAgents {
		if got := TillVersion(tt.ua); got != tt.version {
			t.Errorf("TillVersion(%q) = %q, want %q", tt.ua, got, tt.version)
		}
	}
	if UserAgent("1.2.3") != "checkout/1.2.3" || UserAgent("") != "" || UserAgent("1 2") != "" {
		t.Error("UserAgent names a version TillVersion would not take, or not the one given")
	}
}

// What TillVersion takes is short and printable ASCII, and UserAgent gives it back.
func FuzzTillVersion(f *testing.F) {
	for _, tt := range userAgents {
		f.Add(tt.ua)
	}
	f.Fuzz(func(t *testing.T, ua string) {
		v := TillVersion(ua)
		if v == "" {
			return
		}
		if len(v) > MaxVersion || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) {
			t.Fatalf("TillVersion(%q) = %q", ua, v)
		}
		if TillVersion(UserAgent(v)) != v {
			t.Fatalf("UserAgent(%q) does not read back", v)
		}
	})
}
