package scale

import (
	"errors"
	"testing"
	"time"

	"checkout/app"
)

func TestParseConfig(t *testing.T) {
	settings := map[string]string{"scale.port": "/dev/ttyUSB0", "scale.protocol": "toledo8217", "scale.baud": "4800",
		"scale.bits": "7O1", "scale.poll_ms": "300"}
	get := func(key string) string { return settings[key] }
	cfg, ok, err := ParseConfig(get)
	want := Config{Name: "/dev/ttyUSB0", Port: "/dev/ttyUSB0", Protocol: Toledo8217, Baud: 4800, Bits: "7O1", Poll: 300 * time.Millisecond}
	if err != nil || !ok || cfg != want {
		t.Fatalf("got %+v, %v, %v; want %+v", cfg, ok, err, want)
	}
	settings["scale.protocol"] = "ibm"
	if _, _, err := ParseConfig(get); !errors.Is(err, app.ErrInvalidSetting) {
		t.Fatalf("protocol ibm: %v", err)
	}
	if _, ok, err := ParseConfig(func(string) string { return "" }); ok || err != nil {
		t.Fatalf("no settings: ok %v, %v", ok, err)
	}
}

func TestCheckSetting(t *testing.T) {
	for _, kv := range [][2]string{{"scale.protocol", "cas"}, {"scale.protocol", " SICS "}, {"scale.baud", "9600"}, {"scale.bits", "8N1"},
		{"scale.port", "COM3"}, {"scale.protocol", ""}} {
		if err := CheckSetting(kv[0], kv[1]); err != nil {
			t.Errorf("%s=%q refused: %v", kv[0], kv[1], err)
		}
	}
	for _, kv := range [][2]string{{"scale.protocol", "dahua"}, {"scale.baud", "-1"}, {"scale.bits", "8X1"}, {"scale.poll_ms", "5"}} {
		if err := CheckSetting(kv[0], kv[1]); !errors.Is(err, app.ErrInvalidSetting) {
			t.Errorf("%s=%q: %v, want refused", kv[0], kv[1], err)
		}
	}
}
