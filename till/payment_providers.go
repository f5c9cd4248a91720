package till

import (
	"path/filepath"

	"checkout/app"
	"checkout/devices/paygate/alipay"
	"checkout/devices/paygate/wechatpay"
)

// walletGateway is the Alipay or WeChat Pay client payment_provider names, its keys read from the files
// its settings name in dir, the database's folder; nil for neither (the HTTP contract at payment_url).
func walletGateway(set app.Settings, dir string) (app.PaymentGateway, error) {
	w := set.Wallets
	if err := w.Check(); err != nil {
		return nil, err
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	switch w.Provider {
	case "alipay":
		private, public, err := alipay.LoadKeys(in(w.Alipay.PrivateKeyFile), in(w.Alipay.PublicKeyFile))
		if err != nil {
			return nil, err
		}
		gateway := alipay.ProductionGateway
		if w.Sandbox {
			gateway = alipay.SandboxGateway
		}
		return alipay.New(alipay.Config{AppID: w.Alipay.AppID, Gateway: gateway, PrivateKey: private, AlipayPublicKey: public,
			Subject: set.Shop.Name})
	case "wechat":
		key, err := wechatpay.LoadAPIKey(in(w.WeChat.APIKeyFile))
		if err != nil {
			return nil, err
		}
		cert, err := wechatpay.LoadClientCert(in(w.WeChat.CertFile), in(w.WeChat.KeyFile))
		if err != nil {
			return nil, err
		}
		base := wechatpay.ProductionURL
		if w.Sandbox {
			base = wechatpay.SandboxURL
		}
		body := set.Shop.Name
		if body == "" {
			body = "Checkout " + set.Till
		}
		return wechatpay.New(wechatpay.Config{AppID: w.WeChat.AppID, MchID: w.WeChat.MchID, APIKey: key, BaseURL: base,
			ClientCert: &cert, Body: body, NotifyURL: w.WeChat.NotifyURL, DeviceInfo: set.Till})
	}
	return nil, nil
}
