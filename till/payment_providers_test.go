package till

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/devices/paygate/alipay"
	"checkout/devices/paygate/wechatpay"
)

// writeSecret writes a PEM block into dir at mode.
func writeSecret(t *testing.T, dir, name, kind string, der []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), mode); err != nil {
		t.Fatal(err)
	}
}

func settingsWith(t *testing.T, kv ...string) app.Settings {
	t.Helper()
	set := app.DefaultSettings()
	for i := 0; i+1 < len(kv); i += 2 {
		if err := set.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

// payment_provider alipay reads the keys named beside the database and speaks to Alipay, which makes its
// own QR codes; a key others can read, or a setting left out, leaves pay codes refused with the reason.
func TestAlipayFromTheSettings(t *testing.T) {
	dir := t.TempDir()
	merchant, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	writeSecret(t, dir, "alipay-app.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(merchant), 0o600)
	public, _ := x509.MarshalPKIXPublicKey(&merchant.PublicKey) // any RSA public key reads as Alipay's
	writeSecret(t, dir, "alipay-public.pem", "PUBLIC KEY", public, 0o644)
	set := settingsWith(t, "payment_provider", "alipay", "alipay.app_id", "2021000000000001", "alipay.private_key", "alipay-app.pem",
		"alipay.public_key", "alipay-public.pem", "payment_sandbox", "true")
	p := payments(set, dir, nil, noReread)
	if _, ok := p.Gateway.(*alipay.Client); !ok || p.Unusable != nil || p.QRPresenter() == nil {
		t.Fatalf("gateway %T, unusable %v", p.Gateway, p.Unusable)
	}

	if err := os.Chmod(filepath.Join(dir, "alipay-app.pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	p = payments(set, dir, nil, noReread)
	if p.Gateway != nil || p.Unusable == nil || !strings.Contains(p.Unusable.Error(), "alipay-app.pem") {
		t.Errorf("a private key others can read: gateway %T, %v", p.Gateway, p.Unusable)
	}
	if err := p.CheckPayCodes(); !errors.Is(err, app.ErrNoPayCodes) {
		t.Errorf("pay codes with an unusable provider: %v", err)
	}

	p = payments(settingsWith(t, "payment_provider", "alipay", "alipay.app_id", "2021000000000001"), dir, nil, noReread)
	if p.Unusable == nil || !strings.Contains(p.Unusable.Error(), "alipay.private_key, alipay.public_key") {
		t.Errorf("settings left out: %v", p.Unusable)
	}
}

// payment_provider wechat loads the API key and the merchant's certificate; WeChat's own QR codes need
// a notify URL, without which the shop's code is shown.
func TestWeChatPayFromTheSettings(t *testing.T) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "10000100"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	writeSecret(t, dir, "apiclient_cert.pem", "CERTIFICATE", cert, 0o644)
	writeSecret(t, dir, "apiclient_key.pem", "PRIVATE KEY", der, 0o600)
	if err := os.WriteFile(filepath.Join(dir, "wechat-api.key"), []byte("192006250b4c09247ec02edce69f6a2d\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kv := []string{"payment_provider", "wechat", "wechat.app_id", "wxd930ea5d5a258f4f", "wechat.mch_id", "10000100",
		"wechat.api_key", "wechat-api.key", "wechat.cert", "apiclient_cert.pem", "wechat.key", "apiclient_key.pem"}
	p := payments(settingsWith(t, kv...), dir, nil, noReread)
	if _, ok := p.Gateway.(*wechatpay.Client); !ok || p.Unusable != nil {
		t.Fatalf("gateway %T, unusable %v", p.Gateway, p.Unusable)
	}
	if p.Presenter != nil {
		t.Error("WeChat makes QR codes without a notify URL")
	}
	p = payments(settingsWith(t, append(kv, "wechat.notify_url", "https://shop.example.com/wechat/notify")...), dir, nil, noReread)
	if p.Presenter == nil {
		t.Error("WeChat's own QR codes are not used")
	}
}
