package app

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Time-based one-time passwords (RFC 6238): the code any authenticator app shows, HMAC-SHA1 over the
// number of 30-second steps since 1970, 6 digits. A code is accepted one step early or late (clocks
// drift), and never twice: the last step used is kept.
const (
	totpPeriod = 30
	totpDigits = 6
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a new random 160-bit secret in base32, as authenticator apps take it.
func NewTOTPSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return totpEncoding.EncodeToString(b), nil
}

// totpStep is the RFC's T: 30-second steps since the Unix epoch.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// hotp is RFC 4226's HOTP of counter with digits digits.
func hotp(key []byte, counter int64, digits int) string {
	mac := hmac.New(sha1.New, key)
	_ = binary.Write(mac, binary.BigEndian, counter)
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[offset:]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, code%mod)
}

func totpKey(secret string) ([]byte, error) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(strings.ReplaceAll(secret, " ", "")))
	if err != nil || len(key) < 10 {
		return nil, fmt.Errorf("%w: not a two-factor secret", ErrInvalidUser)
	}
	return key, nil
}

// TOTPCode returns the code an authenticator app shows for secret at t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := totpKey(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, totpStep(t), totpDigits), nil
}

// checkTOTP returns the step code matches for secret at t, one step either side; after is the last step
// used, which is refused with every one before it.
func checkTOTP(secret, code string, t time.Time, after int64) (int64, bool) {
	key, err := totpKey(secret)
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if err != nil || len(code) != totpDigits {
		return 0, false
	}
	now := totpStep(t)
	for step := now - 1; step <= now+1; step++ {
		if step > after && hmac.Equal([]byte(hotp(key, step, totpDigits)), []byte(code)) {
			return step, true
		}
	}
	return 0, false
}

// CheckTOTP returns the step code matches for secret at t, one step either side; after is the last step
// the account used, which is refused with every one before it (a code is good once). The head office's
// dashboard checks its accounts' codes with it.
func CheckTOTP(secret, code string, t time.Time, after int64) (step int64, ok bool) {
	return checkTOTP(secret, code, t, after)
}

// TOTPURI is the otpauth:// address an authenticator app reads from a QR code.
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "digits": {fmt.Sprint(totpDigits)}, "period": {fmt.Sprint(totpPeriod)}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// sealer keeps two-factor secrets in the database encrypted (AES-256-GCM) under a key that lives beside
// it (card.key), so a copy of the database alone does not let anyone make codes.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	k := sha256.Sum256(append([]byte("checkout two-factor secrets\x00"), key...))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(secret string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return hex.EncodeToString(s.aead.Seal(nonce, nonce, []byte(secret), nil)), nil
}

func (s *sealer) open(sealed string) (string, error) {
	b, err := hex.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", fmt.Errorf("%w: unreadable two-factor secret", ErrInvalidUser)
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("%w: two-factor secret sealed under another key", ErrInvalidUser)
	}
	return string(plain), nil
}
