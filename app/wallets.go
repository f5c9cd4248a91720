package app

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Wallets are the wallet providers the till can speak to on their own wire protocols, instead of the
// HTTP contract at payment_url: Alipay's OpenAPI gateway or WeChat Pay's merchant API. Their keys and
// certificates are files in the database's folder, named here (file names only: a setting never points
// elsewhere on the disk), readable by the till's user alone; no secret is ever a setting.
type Wallets struct {
	// Provider is "" (payment_url's contract, or the simulated provider when that is not set), "alipay" or
	// "wechat".
	Provider string
	// Sandbox sends every request to the provider's sandbox instead of production.
	Sandbox bool
	Alipay  AlipayAccount
	WeChat  WeChatAccount
}

// AlipayAccount is the shop's Alipay application: its ID, its RSA private key (PEM) and Alipay's public
// key (PEM) that every reply is verified with.
type AlipayAccount struct {
	AppID, PrivateKeyFile, PublicKeyFile string
}

// WeChatAccount is the shop's WeChat Pay merchant account: the official account's app ID, the merchant
// ID, the API key (a file of 32 characters) and the merchant's API certificate and its key (PEM), which
// reversals and refunds need.
type WeChatAccount struct {
	AppID, MchID, APIKeyFile, CertFile, KeyFile string
	// NotifyURL is where WeChat Pay would post a paid Native order's notice: WeChat makes its own QR
	// codes only for orders that have one, although the till follows them by query. "": the QR code shown
	// is the shop's.
	NotifyURL string
}

// walletKeys are the settings of Wallets.
var walletKeys = []string{"alipay.app_id", "alipay.private_key", "alipay.public_key", "payment_provider", "payment_sandbox",
	"wechat.api_key", "wechat.app_id", "wechat.cert", "wechat.key", "wechat.mch_id", "wechat.notify_url"}

// setWallets applies a wallet setting to s; ok is false for a key that is not one.
func (s *Settings) setWallets(key, value string) (ok bool, err error) {
	value = strings.TrimSpace(value)
	file := func(dst *string) error {
		if value != "" && (value != filepath.Base(value) || strings.ContainsAny(value, `/\:`) || value == "." || value == "..") {
			return fmt.Errorf("%w: %s %q: a file name in the database's folder, not a path", ErrInvalidSetting, key, value)
		}
		*dst = value
		return nil
	}
	id := func(dst *string) error {
		if len(value) > 32 || strings.ContainsFunc(value, func(r rune) bool { return r <= ' ' || r > '~' }) {
			return fmt.Errorf("%w: %s %q: at most 32 letters and digits", ErrInvalidSetting, key, value)
		}
		*dst = value
		return nil
	}
	w := &s.Wallets
	switch key {
	case "payment_provider":
		switch value {
		case "", "http", "alipay", "wechat":
			w.Provider = strings.TrimPrefix(value, "http")
		default:
			return true, fmt.Errorf("%w: payment_provider %q: http, alipay or wechat", ErrInvalidSetting, value)
		}
	case "payment_sandbox":
		switch value {
		case "true", "false", "":
			w.Sandbox = value == "true"
		default:
			return true, fmt.Errorf("%w: payment_sandbox %q: true or false", ErrInvalidSetting, value)
		}
	case "alipay.app_id":
		err = id(&w.Alipay.AppID)
	case "alipay.private_key":
		err = file(&w.Alipay.PrivateKeyFile)
	case "alipay.public_key":
		err = file(&w.Alipay.PublicKeyFile)
	case "wechat.app_id":
		err = id(&w.WeChat.AppID)
	case "wechat.mch_id":
		err = id(&w.WeChat.MchID)
	case "wechat.api_key":
		err = file(&w.WeChat.APIKeyFile)
	case "wechat.cert":
		err = file(&w.WeChat.CertFile)
	case "wechat.key":
		err = file(&w.WeChat.KeyFile)
	case "wechat.notify_url":
		if value != "" && (!strings.HasPrefix(value, "https://") || len(value) > 256 || strings.ContainsAny(value, " \t\r\n")) {
			return true, fmt.Errorf("%w: wechat.notify_url %q: an https:// address", ErrInvalidSetting, value)
		}
		w.WeChat.NotifyURL = value
	default:
		return false, nil
	}
	return true, err
}

func (s Settings) walletValues() [][2]string {
	w := s.Wallets
	provider := w.Provider
	if provider == "" {
		provider = "http"
	}
	values := map[string]string{"payment_provider": provider, "payment_sandbox": fmt.Sprint(w.Sandbox),
		"alipay.app_id": w.Alipay.AppID, "alipay.private_key": w.Alipay.PrivateKeyFile, "alipay.public_key": w.Alipay.PublicKeyFile,
		"wechat.app_id": w.WeChat.AppID, "wechat.mch_id": w.WeChat.MchID, "wechat.api_key": w.WeChat.APIKeyFile,
		"wechat.cert": w.WeChat.CertFile, "wechat.key": w.WeChat.KeyFile, "wechat.notify_url": w.WeChat.NotifyURL}
	out := make([][2]string, 0, len(walletKeys))
	for _, k := range walletKeys {
		out = append(out, [2]string{k, values[k]})
	}
	return out
}

// Check says what the chosen provider still lacks: every Alipay or WeChat Pay setting it needs.
func (w Wallets) Check() error {
	var missing []string
	need := func(key, value string) {
		if value == "" {
			missing = append(missing, key)
		}
	}
	switch w.Provider {
	case "alipay":
		need("alipay.app_id", w.Alipay.AppID)
		need("alipay.private_key", w.Alipay.PrivateKeyFile)
		need("alipay.public_key", w.Alipay.PublicKeyFile)
	case "wechat":
		need("wechat.app_id", w.WeChat.AppID)
		need("wechat.mch_id", w.WeChat.MchID)
		need("wechat.api_key", w.WeChat.APIKeyFile)
		need("wechat.cert", w.WeChat.CertFile)
		need("wechat.key", w.WeChat.KeyFile)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: payment_provider %s needs %s", ErrInvalidSetting, w.Provider, strings.Join(missing, ", "))
	}
	return nil
}
