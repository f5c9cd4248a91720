package app

import (
	"errors"
	"strings"
	"testing"
)

// The wallet settings name files in the database's folder, never a path elsewhere; what a provider still
// lacks is named; every value reads back as it was set.
func TestWalletSettings(t *testing.T) {
	s := DefaultSettings()
	if s.Value("payment_provider") != "http" || s.Wallets.Check() != nil {
		t.Fatalf("default provider %q", s.Value("payment_provider"))
	}
	for _, kv := range [][2]string{{"payment_provider", "alipay"}, {"alipay.app_id", "2021000000000001"}, {"alipay.private_key", "alipay-app.pem"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Wallets.Check(); err == nil || !strings.Contains(err.Error(), "alipay.public_key") || strings.Contains(err.Error(), "app_id") {
		t.Errorf("what Alipay lacks: %v", err)
	}
	for _, bad := range [][2]string{
		{"alipay.private_key", "../../etc/shadow"}, {"alipay.private_key", "/root/key.pem"}, {"wechat.cert", `C:\keys\cert.pem`},
		{"wechat.key", "keys/apiclient_key.pem"}, {"wechat.key", ".."}, {"payment_provider", "unionpay"}, {"payment_sandbox", "yes"},
		{"wechat.mch_id", "1900\x00000109"}, {"alipay.app_id", strings.Repeat("9", 33)},
	} {
		before := s
		if err := s.Set(bad[0], bad[1]); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s=%q: %v", bad[0], bad[1], err)
		}
		if s.Wallets != before.Wallets {
			t.Errorf("%s=%q changed the settings", bad[0], bad[1])
		}
	}
	for _, kv := range [][2]string{{"payment_provider", "wechat"}, {"payment_sandbox", "true"}, {"wechat.app_id", "wxd930ea5d5a258f4f"},
		{"wechat.mch_id", "10000100"}, {"wechat.api_key", "wechat-api.key"}, {"wechat.cert", "apiclient_cert.pem"}, {"wechat.key", "apiclient_key.pem"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Wallets.Check(); err != nil {
		t.Errorf("a complete WeChat Pay account: %v", err)
	}
	again := readBack(t, s.walletValues())
	if again.Wallets != s.Wallets || !again.Wallets.Sandbox || again.Value("wechat.key") != "apiclient_key.pem" {
		t.Errorf("read back %+v, set %+v", again.Wallets, s.Wallets)
	}
	if err := s.Set("payment_provider", "http"); err != nil || s.Wallets.Provider != "" {
		t.Errorf("back to the HTTP contract: %q, %v", s.Wallets.Provider, err)
	}
}
