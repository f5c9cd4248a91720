package wechatpay

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const testAPIKey = "0123456789abcdefghijklmnopqrstuv" // 32 characters, made up for tests

func TestLoadAPIKey(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "apikey", []byte(testAPIKey+"\n"), 0o600)
	key, err := LoadAPIKey(ok)
	if err != nil || string(key) != testAPIKey {
		t.Fatalf("LoadAPIKey = %q, %v", key, err)
	}
	short := writeFile(t, dir, "short", []byte("abc"), 0o600)
	if _, err := LoadAPIKey(short); err == nil || !strings.Contains(err.Error(), short) || strings.Contains(err.Error(), "abc") {
		t.Errorf("a 3-character key: %v (want an error naming the file, not the key)", err)
	}
	if _, err := LoadAPIKey(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not checked on Windows")
	}
	open := writeFile(t, dir, "open", []byte(testAPIKey), 0o644)
	_, err = LoadAPIKey(open)
	if !errors.Is(err, ErrKeyFileOpen) || !strings.Contains(err.Error(), open) || strings.Contains(err.Error(), testAPIKey) {
		t.Errorf("a key readable by others: %v (want ErrKeyFileOpen naming the file, not the key)", err)
	}
	if _, err := LoadAPIKey(writeFile(t, dir, "group", []byte(testAPIKey), 0o640)); !errors.Is(err, ErrKeyFileOpen) {
		t.Errorf("a key readable by the group: %v", err)
	}
	if _, err := LoadAPIKey(writeFile(t, dir, "owner-only", []byte(testAPIKey), 0o400)); err != nil {
		t.Errorf("a read-only 0400 key: %v", err)
	}
}

func TestLoadClientCert(t *testing.T) {
	pki := newTestPKI(t)
	dir := t.TempDir()
	certPEM, keyPEM := pki.issue(t, "1900000109", false)
	certFile := writeFile(t, dir, "apiclient_cert.pem", certPEM, 0o644) // a certificate is public
	keyFile := writeFile(t, dir, "apiclient_key.pem", keyPEM, 0o600)
	cert, err := LoadClientCert(certFile, keyFile)
	if err != nil || cert.Leaf == nil || cert.Leaf.Subject.CommonName != "1900000109" {
		t.Fatalf("LoadClientCert = %v, %v", cert.Leaf, err)
	}
	if _, err := LoadClientCert(certFile, filepath.Join(dir, "missing.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing key: %v", err)
	}
	if _, err := LoadClientCert(filepath.Join(dir, "missing.pem"), keyFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing certificate: %v", err)
	}
	_, otherKey := pki.issue(t, "1900000109", false)
	other := writeFile(t, dir, "other_key.pem", otherKey, 0o600)
	if _, err := LoadClientCert(certFile, other); err == nil || !strings.Contains(err.Error(), other) || strings.Contains(err.Error(), "PRIVATE KEY") {
		t.Errorf("a key that is not the certificate's: %v", err)
	}
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not checked on Windows")
	}
	open := writeFile(t, dir, "open_key.pem", keyPEM, 0o644)
	if _, err := LoadClientCert(certFile, open); !errors.Is(err, ErrKeyFileOpen) || !strings.Contains(err.Error(), open) {
		t.Errorf("a key readable by others: %v", err)
	}
}
