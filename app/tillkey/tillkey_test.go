package tillkey

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// A derived key is HMAC-SHA256(secret, purpose): fixed for a secret and purpose, different for another of
// either, and never the secret itself.
func TestDerive(t *testing.T) {
	secret := bytes.Repeat([]byte{0x0b}, Size)
	s, err := New(secret)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("checkout pin pepper v1"))
	if got := s.Derive(PINPepper); !bytes.Equal(got, mac.Sum(nil)) || len(got) != Size {
		t.Errorf("Derive(PINPepper) = %x", got)
	}
	// A vector from Python's hmac module, so a change to the derivation cannot pass unnoticed.
	if got := hex.EncodeToString(s.Derive(PINPepper)); got != "8966eede5b1086113c84e27b8e9ccb8fc60fe6367b3ac529e89ac2ac377a9466" {
		t.Errorf("Derive(PINPepper) = %s", got)
	}
	other, _ := New(bytes.Repeat([]byte{0x0c}, Size))
	if bytes.Equal(s.Derive("journal chain v1"), s.Derive(PINPepper)) || bytes.Equal(other.Derive(PINPepper), s.Derive(PINPepper)) ||
		bytes.Equal(s.Derive(PINPepper), secret) {
		t.Error("keys of different purposes or secrets are equal")
	}
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("a %d-byte secret was taken", n)
		}
	}
}
