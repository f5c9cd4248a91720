// Package tillkey derives the till's keys from its one secret, the till.key file kept beside the database
// and never in it or its backups. Each use has its own key, HMAC-SHA256(secret, purpose): knowing one
// derived key (or a value made with it) tells nothing of the secret or of another purpose's key, and a new
// use needs only a new purpose name, not a new file.
package tillkey

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

// Size is the length in bytes of the secret and of each derived key.
const Size = 32

// Purpose names what a derived key is for. The name is the derivation's input: a new version of a use
// takes a new name, and with it a new key.
type Purpose string

// Purposes.
const (
	// PINPepper keys the HMAC that staff and member PINs go through before argon2id.
	PINPepper Purpose = "checkout pin pepper v1"
	// JournalChain keys the journal's hash chain (HMAC-SHA256), and is registered with the head office at
	// enrolment so that it can check every link the till uploads.
	JournalChain Purpose = "checkout journal chain v1"
)

// Secret is the till's secret key, as read from till.key.
type Secret struct{ b [Size]byte }

// New checks that b, the content of till.key, is a secret of Size bytes.
func New(b []byte) (Secret, error) {
	var s Secret
	if len(b) != Size {
		return s, fmt.Errorf("a till key is %d bytes, not %d", Size, len(b))
	}
	copy(s.b[:], b)
	return s, nil
}

// Derive returns the key for purpose: HMAC-SHA256(secret, purpose).
func (s Secret) Derive(purpose Purpose) []byte {
	mac := hmac.New(sha256.New, s.b[:])
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}
