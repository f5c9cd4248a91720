package alipay

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadKeys(t *testing.T) {
	key := testKey(t)
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return path
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkix, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := write("alipay_public.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}), 0o644)
	pubBare := write("alipay_public.txt", []byte(base64.StdEncoding.EncodeToString(pkix)+"\n"), 0o644)
	for name, c := range map[string]struct {
		priv []byte
		pub  string
	}{
		"PKCS #1 PEM":    {[]byte(testKeyPEM), pubPEM},
		"PKCS #8 PEM":    {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), pubPEM},
		"bare base64":    {[]byte(base64.StdEncoding.EncodeToString(pkcs8)), pubBare},
		"bare PKCS #1":   {[]byte(base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(key)) + "\r\n"), pubBare},
		"wrapped base64": {[]byte(strings.Join(chunks(base64.StdEncoding.EncodeToString(pkcs8), 64), "\n")), pubBare},
	} {
		privFile := write(strings.ReplaceAll(name, " ", "_")+".key", c.priv, 0o600)
		priv, pub, err := LoadKeys(privFile, c.pub)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !priv.Equal(key) || !pub.Equal(&key.PublicKey) {
			t.Errorf("%s: other keys than written", name)
		}
	}

	if runtime.GOOS != "windows" {
		open := write("open.key", []byte(testKeyPEM), 0o644)
		_, _, err := LoadKeys(open, pubPEM)
		if err == nil || !strings.Contains(err.Error(), open) || !strings.Contains(err.Error(), "0644") {
			t.Errorf("a private key others can read = %v, want a refusal naming the file", err)
		}
		if err != nil && strings.Contains(err.Error(), "MII") {
			t.Errorf("the key is in the error: %v", err)
		}
	}
	missing := filepath.Join(dir, "missing.key")
	if _, _, err := LoadKeys(missing, pubPEM); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing private key = %v", err)
	}
	good := write("good.key", []byte(testKeyPEM), 0o600)
	if _, _, err := LoadKeys(good, filepath.Join(dir, "missing.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing public key = %v", err)
	}
	for name, data := range map[string][]byte{
		"empty":          nil,
		"not base64":     []byte("not a key at all!"),
		"public as priv": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}),
		"broken PEM":     []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n"),
		"garbage in PEM": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage")}),
	} {
		f := write("bad.key", data, 0o600)
		if _, _, err := LoadKeys(f, pubPEM); err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("%s private key = %v, want an error naming the file", name, err)
		}
	}
	cert := write("cert.pem", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o644)
	if _, _, err := LoadKeys(good, cert); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("certificate as public key = %v", err)
	}
}

func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out, s = append(out, s[:n]), s[n:]
	}
	return append(out, s)
}
