package app

import (
	"errors"
	"strings"
	"testing"
)

func TestPINHash(t *testing.T) {
	a, err := HashPIN("2468")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HashPIN("2468")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(a, "2468") {
		t.Errorf("hashes %q and %q", a, b)
	}
	if !PINMatches(a, "2468") || !PINMatches(b, "2468") || PINMatches(a, "2469") || PINMatches(a, "") {
		t.Error("PINMatches")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=19456,t=2,p=1$$", "$bcrypt$x", a[:len(a)-4]} {
		if PINMatches(bad, "2468") {
			t.Errorf("matched against %q", bad)
		}
	}
	for _, pin := range []string{"123", "1234567", "12a4", " 1234"} {
		if _, err := HashPIN(pin); !errors.Is(err, ErrInvalidPIN) {
			t.Errorf("PIN %q: %v", pin, err)
		}
	}
}
