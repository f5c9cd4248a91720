package app

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// pinsWith returns the PINs of a till whose key gives pepper b repeated.
func pinsWith(t *testing.T, b byte) *PINs {
	t.Helper()
	p, err := NewPINs(bytes.Repeat([]byte{b}, 32), DefaultSecurity())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// legacyHash is PIN 2468 hashed as before till.key: argon2id, 19 MiB, 2 passes, the PIN as typed.
const legacyHash = "$argon2id$v=19$m=19456,t=2,p=1$s2ONCmbb9D2QCQGHJv5vMQ$gg37PObKXtc4+QIb8d5m9eynFh2/pPfpjjb9nCW2q7g"

func TestPINHash(t *testing.T) {
	pins := pinsWith(t, 1)
	a, err := pins.Hash("2468")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pins.Hash("2468")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=131072,t=2,p=2,pepper=v1$") || strings.Contains(a, "2468") {
		t.Errorf("hashes %q and %q", a, b)
	}
	for _, c := range []struct {
		hash, pin string
		ok        bool
	}{{a, "2468", true}, {b, "2468", true}, {a, "2469", false}, {a, "", false}} {
		if ok, upgrade := pins.match(c.hash, c.pin); ok != c.ok || upgrade != "" {
			t.Errorf("match(%q, %q) = %v, %q", c.hash, c.pin, ok, upgrade)
		}
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=19456,t=2,p=1$$", "$bcrypt$x", a[:len(a)-4],
		strings.Replace(a, "pepper=v1", "pepper=v2", 1), strings.Replace(a, "v=19", "v=16", 1),
		strings.Replace(a, "m=131072", "m=131072x", 1), strings.Replace(a, "t=2", "t=99", 1),
		strings.Replace(a, "m=131072", "m=4194304", 1)} { // 4 GiB: refused before it is allocated
		if ok, _ := pins.match(bad, "2468"); ok {
			t.Errorf("matched against %q", bad)
		}
	}
	for _, pin := range []string{"123", "1234567", "12a4", " 1234"} {
		if _, err := pins.Hash(pin); !errors.Is(err, ErrInvalidPIN) {
			t.Errorf("PIN %q: %v", pin, err)
		}
	}
}

// The attack: a stolen database without till.key. Its hashes were made with the till's pepper, so another
// key (the attacker's guess, or a fresh till.key) cannot check a single PIN against them.
func TestPINNeedsTheTillKey(t *testing.T) {
	till, other := pinsWith(t, 1), pinsWith(t, 2)
	hash, err := till.Hash("2468")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := other.match(hash, "2468"); ok {
		t.Error("a hash was checked with another till's key")
	}
	if ok, _ := till.match(hash, "2468"); !ok {
		t.Error("the till's own key does not check its hash")
	}
	if _, err := NewPINs(make([]byte, 16), DefaultSecurity()); err == nil {
		t.Error("a 16-byte pepper was taken")
	}
}

// A hash from before till.key still checks, with any key, and comes back upgraded to the current recipe,
// which checks only with this till's key.
func TestOldPINHashIsUpgraded(t *testing.T) {
	till := pinsWith(t, 1)
	if ok, _ := till.match(legacyHash, "1357"); ok {
		t.Fatal("an old hash matched a wrong PIN")
	}
	ok, upgrade := till.match(legacyHash, "2468")
	if !ok || !strings.Contains(upgrade, ",pepper=v1$") {
		t.Fatalf("old hash: %v, upgrade %q", ok, upgrade)
	}
	if ok, again := till.match(upgrade, "2468"); !ok || again != "" {
		t.Errorf("the upgrade: %v, %q", ok, again)
	}
	if ok, _ := pinsWith(t, 2).match(upgrade, "2468"); ok {
		t.Error("the upgrade checks without the till's key")
	}
}
