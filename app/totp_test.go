package app

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"
)

// RFC 6238, appendix B: the SHA-1 key "12345678901234567890" and 8-digit codes at the given times.
func TestTOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, tt := range []struct {
		unix int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"}, {1234567890, "89005924"},
		{2000000000, "69279037"}, {20000000000, "65353130"}} {
		if got := hotp(key, tt.unix/totpPeriod, 8); got != tt.want {
			t.Errorf("T=%d: %s, want %s", tt.unix, got, tt.want)
		}
	}
	secret := base32.StdEncoding.EncodeToString(key)
	if code, err := TOTPCode(secret, time.Unix(59, 0)); err != nil || code != "287082" {
		t.Errorf("6-digit code at T=59 = %q, %v", code, err)
	}
}

func TestTOTPWindowAndReplay(t *testing.T) {
	secret, err := NewTOTPSecret()
	if err != nil || len(secret) != 32 {
		t.Fatalf("secret %q, %v", secret, err)
	}
	now := time.Date(2026, 11, 30, 9, 0, 15, 0, time.UTC)
	for _, skew := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		code, _ := TOTPCode(secret, now.Add(skew))
		if _, ok := checkTOTP(secret, code, now, 0); !ok {
			t.Errorf("a code %s off refused", skew)
		}
	}
	old, _ := TOTPCode(secret, now.Add(-90*time.Second))
	if _, ok := checkTOTP(secret, old, now, 0); ok {
		t.Error("a code 90 s old accepted")
	}
	code, _ := TOTPCode(secret, now)
	step, ok := checkTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("the current code refused")
	}
	if _, ok := checkTOTP(secret, code, now, step); ok {
		t.Error("a code used twice")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := checkTOTP(secret, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	uri := TOTPURI("Checkout T01", "Olivia Wu", secret)
	if !strings.HasPrefix(uri, "otpauth://totp/Checkout%20T01:Olivia%20Wu?") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("uri %s", uri)
	}
}

func TestSealedSecrets(t *testing.T) {
	a, _ := newSealer([]byte("key one"))
	b, _ := newSealer([]byte("key two"))
	sealed, err := a.seal("JBSWY3DPEHPK3PXP")
	if err != nil || strings.Contains(sealed, "JBSWY3DPEHPK3PXP") {
		t.Fatalf("sealed %q, %v", sealed, err)
	}
	if got, err := a.open(sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("open = %q, %v", got, err)
	}
	if _, err := b.open(sealed); err == nil {
		t.Error("a secret opened under another key")
	}
}
