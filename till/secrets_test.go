package till

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkout/app/tillkey"
)

// The card key and the till key are each made once, kept beside the database for the till's user only,
// and read back the same; a damaged or unreadable key file stops the till with a clear error.
func TestKeyFilesAreMadeOnceAndPrivate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "till.db")
	cardKey := func(db string) ([]byte, error) { return SecretsOf(db).CardKey() }
	tillSecret := func(db string) ([]byte, error) {
		s, _, err := SecretsOf(db).TillKey()
		return s.Derive(tillkey.PINPepper), err
	}
	seen := map[string]bool{}
	for name, read := range map[string]func(string) ([]byte, error){"card.key": cardKey, "till.key": tillSecret} {
		path := filepath.Join(filepath.Dir(db), name)
		first, err := read(db)
		if err != nil || len(first) != tillkey.Size || seen[string(first)] {
			t.Fatalf("%s: first key %x, %v", name, first, err)
		}
		seen[string(first)] = true
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != 0o600 || info.Size() != tillkey.Size {
			t.Fatalf("%s: %v, %v", name, info.Mode(), err)
		}
		again, err := read(db)
		if err != nil || !bytes.Equal(first, again) {
			t.Fatalf("%s: the key changed: %v", name, err)
		}
		if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := read(db); err == nil || !strings.Contains(err.Error(), "5 bytes, want 32") {
			t.Errorf("%s: a damaged key: %v", name, err)
		}
		// Unreadable, even for root: a folder where the file should be.
		if err := os.Remove(path); err != nil || os.Mkdir(path, 0o700) != nil {
			t.Fatal(err)
		}
		if _, err := read(db); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: an unreadable key: %v", name, err)
		}
	}
}

// Tills starting at once (or the backups sealing the keys while the till opens) make a key once: every
// caller gets the same whole key, never the half-written file of another.
func TestKeyMadeOnceWhenAskedAtOnce(t *testing.T) {
	for round := range 20 {
		s := SecretsOf(filepath.Join(t.TempDir(), "checkout.db"))
		keys := make(chan []byte, 8)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				k, err := s.CardKey()
				keys <- k
				errs <- err
			}()
		}
		var first []byte
		for range 8 {
			k, err := <-keys, <-errs
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if first == nil {
				first = k
			}
			if len(k) != 32 || string(k) != string(first) {
				t.Fatalf("round %d: two keys, or a short one: %x / %x", round, k, first)
			}
		}
		left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.path(cardKeyFile)), "*.tmp-*"))
		if len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	}
}

// The keys' copy from a backup folder is a claim: damaged text, NUL bytes, a key of the wrong length, a
// file name that is not a key, or another till's key where one is here, are refused, and nothing is
// written.
func TestPutBackKeysRefusesDamagedOrForeignKeys(t *testing.T) {
	good := strings.Repeat("ab", tillkey.Size)
	for name, text := range map[string]string{
		"garbage":      "not a keys file",
		"NUL bytes":    "till.key " + good[:10] + "\x00" + good[11:] + "\n",
		"short key":    "till.key abcd\n",
		"long key":     "till.key " + good + "00\n",
		"not hex":      "till.key " + strings.Repeat("zz", tillkey.Size) + "\n",
		"unknown file": "../../etc/passwd " + good + "\n",
		"sync token":   "sync.token " + good + "\n",
	} {
		s := SecretsOf(filepath.Join(t.TempDir(), "checkout.db"))
		if err := s.putBackKeys([]byte(text)); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("%s: %v", name, err)
		}
		if left, _ := filepath.Glob(filepath.Join(s.dir, "*")); len(left) != 0 {
			t.Errorf("%s: wrote %v", name, left)
		}
	}
	s := SecretsOf(filepath.Join(t.TempDir(), "checkout.db"))
	if _, _, err := s.TillKey(); err != nil { // this till's own key is here
		t.Fatal(err)
	}
	if err := s.putBackKeys([]byte("till.key " + good + "\n")); err == nil || !strings.Contains(err.Error(), "another till's key") {
		t.Fatalf("another till's key over this one: %v", err)
	}
}

// The snapshots' passphrase is one line of at least store.MinPassphrase characters.
func TestBackupPassphraseRefusesShortOrMultiline(t *testing.T) {
	s := SecretsOf(filepath.Join(t.TempDir(), "checkout.db"))
	for _, p := range []string{"", "short", "a long enough\nsecond line", "a long enough\x00passphrase", "a long enough passphrase\r"} {
		if err := s.SetBackupPassphrase(p); err == nil {
			t.Errorf("passphrase %q was taken", p)
		}
	}
	if got, err := s.BackupPassphrase(); got != "" || err != nil {
		t.Fatalf("a refused passphrase was kept: %q %v", got, err)
	}
	if err := s.SetBackupPassphrase("店里的备份密码请妥善保管好"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.BackupPassphrase(); got != "店里的备份密码请妥善保管好" {
		t.Fatalf("kept %q", got)
	}
}
