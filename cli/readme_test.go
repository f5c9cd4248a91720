package cli

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update-readme", false, "write checkout -h's command list into README.md (go test ./cli -run README -update-readme)")

// section returns the text between the line start and the line end (exclusive) in s, and where it is.
func section(s, start, end string) (text string, from, to int, ok bool) {
	from = strings.Index(s, "\n"+start+"\n")
	if from < 0 {
		return "", 0, 0, false
	}
	from += len(start) + 2
	n := strings.Index(s[from:], "\n"+end+"\n")
	if n < 0 {
		return "", 0, 0, false
	}
	to = from + n + 1
	return s[from:to], from, to, true
}

// README's command list is checkout -h's, word for word, and its flags are the command line's.
func TestREADMEListsTheCommands(t *testing.T) {
	code, _, help := cli("-h")
	if code != 0 {
		t.Fatalf("checkout -h = %d", code)
	}
	commands, _, _, ok := section(help, "Commands:", "Flags:")
	if !ok {
		t.Fatalf("checkout -h has no command list:\n%s", help)
	}
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	usage := readme[strings.Index(readme, "\n## Command line\n")+1:]
	listed, from, to, ok := section(usage, "Commands:", "Flags:")
	if !ok {
		t.Fatal("README's Command line section has no Commands: … Flags: list")
	}
	if *updateREADME {
		at := len(readme) - len(usage)
		readme = readme[:at+from] + commands + readme[at+to:]
		if err := os.WriteFile("../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		listed = commands
	}
	if listed != commands {
		t.Errorf("README's command list is not checkout -h's (go test ./cli -run README -update-readme writes it):\n%s\nwant\n%s", listed, commands)
	}
	flags := usage[strings.Index(usage, "\nFlags:\n"):]
	for _, line := range strings.Split(help[strings.Index(help, "\nFlags:\n"):], "\n") {
		if name, ok := strings.CutPrefix(line, "  -"); ok {
			name, _, _ = strings.Cut(name, " ")
			if !strings.Contains(flags, "\n  -"+name+" ") {
				t.Errorf("README's flags do not list -%s", name)
			}
		}
	}
}
