package till

import (
	"errors"
	"strings"
	"testing"

	"checkout/app"
	"checkout/app/money"
)

func TestMerchantQRFallsBackToTheStaticCode(t *testing.T) {
	set := app.DefaultSettings()
	if merchantQR(set, noReread) != nil {
		t.Fatal("a shop with no QR account shows a QR code")
	}
	if err := set.Set("qr_static", "wxp://f2f0abcdef"); err != nil {
		t.Fatal(err)
	}
	if got, err := merchantQR(set, noReread)(money.New(300, money.CNY), "r1"); err != nil || got != "wxp://f2f0abcdef" {
		t.Fatalf("static code = %q, %v", got, err)
	}
}

// A shop with a QR account but no name or city gets no code with an empty mandatory field: the cashier is
// told which settings are missing.
func TestMerchantQRNeedsTheShopsNameAndCity(t *testing.T) {
	set := app.DefaultSettings()
	for key, value := range map[string]string{"qr_guid": "com.example.pay", "qr_merchant_id": "SHOP1", "shop_name": "LIN CORNER SHOP"} {
		if err := set.Set(key, value); err != nil {
			t.Fatal(err)
		}
	}
	stored := set // what the store holds: the first run's setup may name the shop after the start
	qr := merchantQR(set, func() (app.Settings, error) { return stored, nil })
	if _, err := qr(money.New(300, money.CNY), "r1"); !errors.Is(err, app.ErrQRShopDetails) {
		t.Fatalf("a code without the shop's city: %v", err)
	}
	if err := stored.Set("shop_city", "SHANGHAI"); err != nil {
		t.Fatal(err)
	}
	for _, qr := range []func(money.Amount, string) (string, error){qr, merchantQR(stored, noReread)} {
		got, err := qr(money.New(300, money.CNY), "r1")
		if err != nil || !strings.Contains(got, "5915LIN CORNER SHOP6008SHANGHAI") {
			t.Fatalf("code = %q, %v", got, err)
		}
	}
}

// noReread is a store that cannot be read.
func noReread() (app.Settings, error) { return app.Settings{}, errors.New("no store") }

func TestOnscreenKeypadSetting(t *testing.T) {
	set := app.DefaultSettings()
	touch, none := func() bool { return true }, func() bool { return false }
	if !onscreenKeypad(set, touch) || onscreenKeypad(set, none) {
		t.Fatal("auto does not follow the touch screen")
	}
	for value, want := range map[string]bool{"on": true, "off": false} {
		if err := set.Set("keyboard.onscreen", value); err != nil {
			t.Fatal(err)
		}
		if onscreenKeypad(set, touch) != want || onscreenKeypad(set, none) != want {
			t.Errorf("keyboard.onscreen %s", value)
		}
	}
	if err := CheckSetting("keyboard.onscreen", "sometimes"); err == nil {
		t.Error("keyboard.onscreen sometimes was taken")
	}
}

// Who confirms a QR payment follows the settings: the simulated provider's own code at a till with no
// QR code (a demo), the cashier with the shop's code and no real provider, the provider by query once
// payment_url is set and the code is the dynamic one; never the cashier for a provider's code.
func TestQRPaymentsAreConfirmedByTheProviderWhenTheyCanBe(t *testing.T) {
	set := app.DefaultSettings()
	if p := payments(set, t.TempDir(), nil, noReread); p.QRPresenter() == nil || p.QR != nil || !p.Simulated {
		t.Error("a demo till does not show the simulated provider's code, or does not say it is simulated")
	}
	for key, value := range map[string]string{"qr_guid": "com.example.pay", "qr_merchant_id": "SHOP1", "shop_name": "LIN", "shop_city": "SHANGHAI"} {
		if err := set.Set(key, value); err != nil {
			t.Fatal(err)
		}
	}
	if p := payments(set, t.TempDir(), nil, noReread); p.QRPresenter() != nil {
		t.Error("the shop's code is confirmed by the simulated provider")
	}
	if err := set.Set("payment_url", "https://pay.example.com"); err != nil {
		t.Fatal(err)
	}
	if p := payments(set, t.TempDir(), nil, noReread); !p.QRFollowed || p.QRPresenter() == nil || p.Presenter != nil || p.Simulated {
		t.Errorf("with a provider the shop's dynamic code is not followed: %+v", p)
	}
}
