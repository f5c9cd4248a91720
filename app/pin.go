package app

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// A PIN has only 10,000 to 1,000,000 values, so whoever holds its hash can try them all. Two things stand
// in the way. The pepper: the PIN goes through HMAC-SHA256 with a key from till.key, which is in neither
// the database nor its backups, so a stolen database alone cannot be tried at all. And the cost of
// argon2id for whoever holds both.
//
// pinRecipeNow's cost was measured on the 2-core build machine, argon2id alone (2 lanes):
//
//	128 MiB, 2 passes: ≈ 100–150 ms on both cores, ≈ 200 ms on one   ← chosen
//	128 MiB, 3 passes: ≈ 150 ms on both,           ≈ 290 ms on one
//	256 MiB, 2 passes: ≈ 230 ms on both,           ≈ 450 ms on one
//
// and a whole sign-in (BenchmarkSignIn, while other builds ran): 130–195 ms on both cores, 195–210 ms on
// one, the first sign-in with an old hash (checked, then hashed anew) included.
//
// A sign-in must stay under 300 ms, and the till's second core is not always free (the screens, the
// upload to the head office, a report): the chosen cost keeps it there even on one core, where 3 passes
// (and measured sign-ins of 285–380 ms while other programs ran) did not. Each guess then costs an
// attacker ≈ 0.2 core-seconds and 128 MiB, 8 times the old recipe (19 MiB, 2 passes: 24 ms); the memory,
// not the passes, is what makes a GPU or a many-core machine pay. The second lane lets the till use both
// cores; an attacker pays the total work however it is split.
var pinRecipeNow = pinRecipe{memory: 128 * 1024, passes: 2, lanes: 2, peppered: true}

// pinRecipe is how a PIN hash was made. The hash records it in the PHC string format, the pepper as one
// more parameter: $argon2id$v=19$m=131072,t=2,p=2,pepper=v1$SALT$KEY. Hashes without it were made before
// till.key, with the PIN as typed.
type pinRecipe struct {
	memory   uint32 // KiB
	passes   uint32
	lanes    uint8
	peppered bool
}

const (
	pinSaltLen = 16
	pinKeyLen  = 32
	// pinPepperLen is the shortest pepper taken: a tillkey derived key's length.
	pinPepperLen = 32
)

// CheckPINFormat accepts 4 to 6 digits.
func CheckPINFormat(pin string) error {
	if len(pin) < 4 || len(pin) > 6 || strings.Trim(pin, "0123456789") != "" {
		return fmt.Errorf("%w: a PIN is 4 to 6 digits", ErrInvalidPIN)
	}
	return nil
}

// PINs hashes and checks the PINs of staff and members alike, with the till's pepper, and holds the shop's
// rule for wrong ones.
type PINs struct {
	pepper []byte
	policy Security
}

// NewPINs returns the till's PINs: pepper is the key every PIN goes through before argon2id (till.key's
// tillkey.PINPepper key), policy says how many wrong PINs in a row lock for how long.
func NewPINs(pepper []byte, policy Security) (*PINs, error) {
	if len(pepper) < pinPepperLen {
		return nil, fmt.Errorf("a PIN pepper is at least %d bytes, not %d", pinPepperLen, len(pepper))
	}
	if err := policy.checkPINLock(); err != nil {
		return nil, err
	}
	return &PINs{pepper: bytes.Clone(pepper), policy: policy}, nil
}

// PINLock is how wrong PINs stand against a user's or a member's PIN: how many in a row since the last
// right one, and until when the shop's PINTries of them lock it. It is stored with the PIN, so a new sale,
// another member on the sale or a restart of the till starts nothing afresh.
type PINLock struct {
	FailedPINs  int // wrong PINs (and, for staff, two-factor codes) since the last right one
	LockedUntil time.Time
}

// Locked reports whether wrong PINs keep the PIN locked at now.
func (l PINLock) Locked(now time.Time) bool { return now.Before(l.LockedUntil) }

// check is the PIN check that staff and members share. It checks pin against *hash for someone whose
// wrong PINs so far are *l, at now, and sets both as they are to be stored: a wrong PIN counts, the right
// one clears the count, and a hash of an older recipe is replaced by the current recipe's. If that changed
// anything, store stores it (checked: the hash the PIN was checked against) before check returns nil,
// ErrWrongPIN or a *LockedError of locked.
func (p *PINs) check(hash *string, l *PINLock, pin string, now time.Time, locked *Error, store func(checked string) error) error {
	if l.Locked(now) {
		return &LockedError{Until: l.LockedUntil, Of: locked}
	}
	checked := *hash
	ok, upgrade := p.match(checked, pin)
	var err error
	switch {
	case !ok:
		err = p.wrong(l, now, ErrWrongPIN, locked)
	case *l == PINLock{} && upgrade == "":
		return nil // nothing to store
	default:
		*l = PINLock{}
		if upgrade != "" {
			*hash = upgrade
		}
	}
	if serr := store(checked); serr != nil {
		return serr
	}
	return err
}

// wrong counts a wrong PIN or code against l at now: the policy's PINTries in a row lock it for PINLock.
// It returns a *LockedError of locked if l is now locked, else wrong.
func (p *PINs) wrong(l *PINLock, now time.Time, wrong error, locked *Error) error {
	l.FailedPINs++
	if l.FailedPINs < p.policy.PINTries {
		return wrong
	}
	l.FailedPINs, l.LockedUntil = 0, now.Add(p.policy.PINLock)
	return &LockedError{Until: l.LockedUntil, Of: locked}
}

// Hash returns the PIN's hash in the current recipe, with a fresh random salt.
func (p *PINs) Hash(pin string) (string, error) {
	if err := CheckPINFormat(pin); err != nil {
		return "", err
	}
	salt := make([]byte, pinSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	r := pinRecipeNow
	b64 := base64.RawStdEncoding
	pepper := ""
	if r.peppered {
		pepper = ",pepper=v1"
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d%s$%s$%s", argon2.Version, r.memory, r.passes, r.lanes, pepper,
		b64.EncodeToString(salt), b64.EncodeToString(p.key(r, pin, salt, pinKeyLen))), nil
}

// key is argon2id's key of length n for pin and salt, by recipe r.
func (p *PINs) key(r pinRecipe, pin string, salt []byte, n uint32) []byte {
	password := []byte(pin)
	if r.peppered {
		mac := hmac.New(sha256.New, p.pepper)
		mac.Write(password)
		password = mac.Sum(nil)
	}
	return argon2.IDKey(password, salt, r.passes, r.memory, r.lanes, n)
}

// match reports, in constant time, whether pin is the one hash was made from. When it is and hash was
// made by an older recipe, upgrade is the PIN's hash by the current one, to store in its place.
func (p *PINs) match(hash, pin string) (ok bool, upgrade string) {
	r, salt, want, err := parsePINHash(hash)
	if err != nil || subtle.ConstantTimeCompare(p.key(r, pin, salt, uint32(len(want))), want) != 1 {
		return false, ""
	}
	if r != pinRecipeNow {
		upgrade, _ = p.Hash(pin) // on failure the old hash stays, for the next time
	}
	return true, upgrade
}

var errPINHash = errors.New("not a PIN hash")

// parsePINHash reads a hash that Hash, or the recipe before till.key, made. Costs beyond any recipe's
// (1 GiB, 16 passes, 8 lanes) are refused: a hash is not a way to make the till allocate without end.
func parsePINHash(hash string) (r pinRecipe, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return r, nil, nil, errPINHash
	}
	params := strings.Split(parts[3], ",")
	if len(params) == 4 && params[3] == "pepper=v1" {
		r.peppered, params = true, params[:3]
	}
	if len(params) != 3 {
		return r, nil, nil, errPINHash
	}
	var n [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if n[i], err = strconv.ParseUint(v, 10, 32); !ok || err != nil {
			return r, nil, nil, errPINHash
		}
	}
	r.memory, r.passes, r.lanes = uint32(n[0]), uint32(n[1]), uint8(min(n[2], 255))
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || r.passes < 1 || r.passes > 16 || r.lanes < 1 || r.lanes > 8 ||
		r.memory < 8*uint32(r.lanes) || r.memory > 1<<20 {
		return r, nil, nil, errPINHash
	}
	return r, salt, key, nil
}
