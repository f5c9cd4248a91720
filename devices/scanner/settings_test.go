package scanner

import "testing"

func TestParseConfigs(t *testing.T) {
	settings := map[string]string{"scanner.ports": "/dev/ttyACM0, /dev/ttyACM1", "scanner.baud": "115200",
		"scanner.terminator": "crlf", "scanner.prefix": "S:"}
	get := func(key string) string { return settings[key] }
	got, err := ParseConfigs("", get)
	if err != nil || len(got) != 2 || got[1] != (Config{Name: "/dev/ttyACM1", Port: "/dev/ttyACM1", Baud: 115200, Terminator: TermCRLF, Prefix: "S:"}) {
		t.Fatalf("from settings: %+v, %v", got, err)
	}
	// -scanner overrides the saved ports.
	got, err = ParseConfigs("/dev/ttyUSB3", get)
	if err != nil || len(got) != 1 || got[0].Port != "/dev/ttyUSB3" || got[0].Baud != 115200 {
		t.Fatalf("with -scanner: %+v, %v", got, err)
	}
}
