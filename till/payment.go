package till

import (
	"log/slog"
	"os"
	"time"

	"checkout/app"
	"checkout/app/emvqr"
	"checkout/app/money"
	"checkout/devices/paygate"
	"checkout/devices/sim"
)

// paymentGateway is the shop's wallet payment provider (payment_url, payment_merchant_id, and the signing
// secret from $CHECKOUT_PAY_SECRET, kept out of the database), or, until one is set up, a simulated one:
// shoppers confirm after 1.5 s, pay codes ending 0000 are declined and 9999 lose the first reply.
func paymentGateway(set app.Settings) app.PaymentGateway {
	if set.Provider.URL == "" {
		return sim.NewGateway(1500 * time.Millisecond)
	}
	return paygate.New(set.Provider.URL, set.Provider.MerchantID, []byte(os.Getenv("CHECKOUT_PAY_SECRET")), 10*time.Second)
}

// payments are the shop's electronic payments as its settings say: the provider that charges wallet pay
// codes (simulated until payment_url is set) and the QR code shoppers scan. A QR payment is confirmed by
// the provider when it can be: the provider's own code where it makes one (Alipay, WeChat Pay), the
// shop's dynamic code followed by query where a real provider takes its payments; the static code, and
// any code at a till with only the simulated provider, is confirmed by the cashier. The simulated
// provider presents codes only at a till with no QR code of its own (a demo).
// Alipay and WeChat Pay (payment_provider) read their keys from dir, the database's folder; a provider
// that cannot be used is said (Payments.Unusable), and pay codes are refused until it is put right.
// late keeps the QR orders given up on, reversed if paid after all.
func payments(set app.Settings, dir string, late app.LatePayments, reread func() (app.Settings, error)) app.Payments {
	p := app.Payments{QR: merchantQR(set, reread), Wait: app.PaymentWait{Poll: 500 * time.Millisecond, Timeout: 30 * time.Second}, Late: late}
	gw, err := walletGateway(set, dir)
	switch {
	case err != nil:
		slog.Warn("payment provider", "provider", set.Wallets.Provider, "err", err)
		p.Unusable = err
		return p
	case gw == nil:
		gw = paymentGateway(set)
	}
	p.Gateway = gw
	if g, ok := gw.(*sim.Gateway); ok {
		p.Simulated = true
		if p.QR == nil {
			p.Presenter = g
		}
		return p
	}
	if presenter, ok := gw.(app.PaymentPresenter); ok && !(set.Wallets.Provider == "wechat" && set.Wallets.WeChat.NotifyURL == "") {
		p.Presenter = presenter // WeChat Pay makes its own codes only for orders with a notify URL
	}
	p.QRFollowed = set.PaymentQR.GUID != ""
	return p
}

// merchantQR builds the shop's dynamic payment QR payloads; with no QR account it shows the shop's static
// collection code (qr_static), and with neither it is nil.
func merchantQR(set app.Settings, reread func() (app.Settings, error)) func(money.Amount, string) (string, error) {
	if set.PaymentQR.GUID == "" {
		if static := set.PaymentQR.Static; static != "" {
			return func(money.Amount, string) (string, error) { return static, nil }
		}
		return nil
	}
	if set.Shop.Name == "" || set.Shop.City == "" {
		// Never a code with an empty name or city: the cashier is told which settings are missing.
		// They are read again at each code, as the first run's setup names the shop after the start.
		return func(amount money.Amount, reference string) (string, error) {
			if now, err := reread(); err == nil && now.Shop.Name != "" && now.Shop.City != "" {
				set.Shop = now.Shop
				return merchantQR(set, reread)(amount, reference)
			}
			return "", app.ErrQRShopDetails
		}
	}
	m := emvqr.Merchant{GUID: set.PaymentQR.GUID, MerchantID: set.PaymentQR.MerchantID, MCC: set.PaymentQR.MCC,
		Country: set.Shop.Country, Name: set.Shop.Name, City: set.Shop.City}
	return func(amount money.Amount, reference string) (string, error) {
		return emvqr.Dynamic(m, amount, reference)
	}
}
