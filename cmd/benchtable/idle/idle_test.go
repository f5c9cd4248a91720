package idle

import "testing"

func TestParseLoadavg(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.42 0.35 0.30 1/123 4567\n", 0.42, true},
		{"2.21 1.67 1.91 7/151 18299", 2.21, true},
		{"", 0, false},
		{"x 1 2", 0, false},
	} {
		got, err := parseLoadavg(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseLoadavg(%q) = %v, %v; want %v (ok %v)", c.in, got, err, c.want, c.ok)
		}
	}
}

// With no time to settle, Wait records the load as it is rather than waiting for it to fall, and the
// figure survives the b.ResetTimer and b.Loop after it.
func TestWaitRecordsTheLoad(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Skip(err)
	}
	t.Setenv(SettleEnv, "0")
	r := testing.Benchmark(func(b *testing.B) {
		Wait(b)
		b.ResetTimer()
		for b.Loop() {
		}
	})
	if v, ok := r.Extra[Metric]; !ok || v < 0 {
		t.Errorf("Wait reported %v", r.Extra)
	}
}
