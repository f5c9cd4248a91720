package till

import (
	"testing"

	"checkout/app"
	"checkout/app/money"
)

func TestMerchantQRFallsBackToTheStaticCode(t *testing.T) {
	set := app.DefaultSettings()
	if merchantQR(set) != nil {
		t.Fatal("a shop with no QR account shows a QR code")
	}
	if err := set.Set("qr_static", "wxp://f2f0abcdef"); err != nil {
		t.Fatal(err)
	}
	if got, err := merchantQR(set)(money.New(300, money.CNY), "r1"); err != nil || got != "wxp://f2f0abcdef" {
		t.Fatalf("static code = %q, %v", got, err)
	}
}
