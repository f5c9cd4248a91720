package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PIN hashing: argon2id with OWASP's minimum parameters (19 MiB, 2 passes), which take a few tens of
// milliseconds on a till, so a stolen database cannot be tried against all 10,000–1,000,000 PINs quickly
// without that cost per guess, and each PIN has its own salt.
const (
	pinMemoryKiB = 19 * 1024
	pinPasses    = 2
	pinThreads   = 1
	pinKeyLen    = 32
)

// CheckPINFormat accepts 4 to 6 digits.
func CheckPINFormat(pin string) error {
	if len(pin) < 4 || len(pin) > 6 || strings.Trim(pin, "0123456789") != "" {
		return fmt.Errorf("%w: a PIN is 4 to 6 digits", ErrInvalidPIN)
	}
	return nil
}

// HashPIN returns the PIN's argon2id hash in the PHC string format, with a fresh random salt.
func HashPIN(pin string) (string, error) {
	if err := CheckPINFormat(pin); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pin), salt, pinPasses, pinMemoryKiB, pinThreads, pinKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pinMemoryKiB, pinPasses, pinThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// PINMatches reports whether pin is the one hash was made from, in constant time.
func PINMatches(hash, pin string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
