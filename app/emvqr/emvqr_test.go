package emvqr

import (
	"errors"
	"strings"
	"testing"

	"checkout/app/money"
)

// specExample is the example payload in the EMVCo MPM specification's appendix (a Beijing transport
// merchant with a Chinese template 64). Its published CRC is A13A; a separate Python CRC loop agrees.
const specExample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

// Further complete payloads from other national schemes, their published CRCs re-checked with a
// separate Python CRC loop.
const (
	// The SGQR specification's sample payload (Singapore), as used in the test suite of
	// @rationally-app/payment-qr-parser: card-network primitives 02, 04, 11, 15, a dozen account
	// templates, SGQR's own 51 and a payment system template 62/50. CRC 5E8D.
	sgqrExample = "00020101021102164761360000000*1704155123456789123451110123456789012153123456789012341531250003" +
		"440001034450003445311000126330015SG.COM.DASH.WWW0110000005550127670014A00000076200010120COM.LQDPALLIANCE.WWW" +
		"021512345678901234503020028660011SG.COM.OCBC0147OCBCP2P629A358D-ECE7-4554-AD56-EBD12D84CA7E4F73295000" +
		"06SG.EZI013603600006-76bb-4a5a-aa1a-fbcb64d6ecf530850013SG.COM.EZLINK01201234567890123456-1230204SGQR" +
		"0324A123456,B123456,C12345670404A23X31260008COM.GRAB0110A93FO3230Q32390007COM.DBS0110123456789002101234" +
		"56789033900011SG.COM.NETS01230201401832831128823590002150001118703240000308885872010901199084E5DC3D8344" +
		"30017COM.QQ.WEIXIN.PAY011012345678900204123435660010SG.COM.UOB014845D233507F5E8C306E3871A4E9FACA601A80" +
		"C114B5645E5D36840009SG.PAYNOW010120216+621234567890123030100408209912310525123456789012345678901234537" +
		"270009SG.AIRPAY0110A11BC0000X51860007SG.SGQR0112180307510317020701.0003030608100604020205031380609Counte" +
		"r010708201804075204581453037025802SG5916FOOD XYZ PTE LTD6009SINGAPORE6106081006626001081234567R06078765" +
		"43050330015SG.COM.DASH.WWW0110000005550263045E8D"

	// A dynamic QRIS payload (Indonesia) issued by Xendit for DANA, published in the tests of an open-source
	// TypeScript EMVCo parser (emvco-qr.test.ts): IDR 10000 and a payment system template 62/60. CRC B00A.
	qrisExample = "00020101021226570011ID.DANA.WWW011893600915015706056102091570605610303UME51440014ID.CO.QRIS.WWW" +
		"0215ID20210807329890303UME5204893153033605405100005802ID5906XENDIT6015Kota Jakarta Se61051219062720115" +
		"SzW8BPHhw35i1vT60490011ID.DANA.WWW0425MER2021071400774509608641050116304B00A"
)

// Thai PromptPay payloads as published in open-source PromptPay generators' tests (CRCs 8956, 3045,
// D086, each re-checked with a separate Python CRC loop). PromptPay leaves out 52, 59 and 60.
var promptPay = []string{
	"00020101021129370016A000000677010111011300660000000005802TH530376463048956",
	"00020101021129370016A000000677010111011300668123456785802TH53037645406123.4563043045",
	"00020101021129390016A000000677010111031500499901223315053037645802TH5406100.006304D086",
}

func TestCRC16CheckValue(t *testing.T) {
	if got := CRC16([]byte("123456789")); got != 0x29B1 {
		t.Fatalf("CRC16(123456789) = %04X, want 29B1", got)
	}
}

func TestSpecExample(t *testing.T) {
	p, err := Parse(specExample)
	if err != nil {
		t.Fatal(err)
	}
	if p.String() != specExample {
		t.Fatalf("re-encoded:\n%s\nwant\n%s", p.String(), specExample)
	}
	if !p.Dynamic || p.Name != "BEST TRANSPORT" || p.City != "BEIJING" || p.AltName != "最佳运输" || p.AltCity != "北京" ||
		p.MCC != "4111" || p.Currency != "156" || p.Country != "CN" || len(p.Accounts) != 2 || p.Accounts[0].GUID != "D15600000000" {
		t.Fatalf("parsed %+v", p)
	}
	amount, err := p.AmountIn(money.CNY)
	if err != nil || amount.Minor() != 2372 {
		t.Fatalf("amount %v, %v", amount, err)
	}
	if _, err := p.AmountIn(money.USD); !errors.Is(err, ErrAmount) {
		t.Errorf("amount in USD of a CNY payload = %v", err)
	}
	// Real payloads carry lower-case CRCs too.
	if _, err := Parse(strings.TrimSuffix(specExample, "A13A") + "a13a"); err != nil {
		t.Errorf("lower-case CRC: %v", err)
	}
}

func TestNationalSchemePayloads(t *testing.T) {
	for name, s := range map[string]string{"SGQR": sgqrExample, "QRIS": qrisExample} {
		p, err := Parse(s)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.String() != s {
			t.Errorf("%s re-encoded differently", name)
		}
	}
	p, _ := Parse(qrisExample)
	if p.Name != "XENDIT" || p.Amount != "10000" || p.Country != "ID" {
		t.Errorf("QRIS parsed as %+v", p)
	}
}

func TestPromptPayPayloadsDecodeAndReencode(t *testing.T) {
	for _, s := range promptPay {
		objs, err := Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		body, err := Encode(objs[:len(objs)-1])
		if err != nil {
			t.Fatal(err)
		}
		if withCRC(body) != s {
			t.Errorf("re-encoded %s, want %s", withCRC(body), s)
		}
		// Without a merchant name, city and category they are not complete EMVCo payloads.
		if _, err := Parse(s); !errors.Is(err, ErrMissing) {
			t.Errorf("Parse(%s) = %v, want ErrMissing", s, err)
		}
	}
}

func TestRejections(t *testing.T) {
	body := func(s string) string { return withCRC(strings.TrimSuffix(s, "6304")) }
	valid := strings.TrimSuffix(specExample, "A13A")
	for _, tt := range []struct {
		name, payload string
		want          error
	}{
		{"bad CRC", valid + "A13B", ErrCRC},
		{"truncated", specExample[:40], ErrLength},
		{"length beyond the end", "0002010102120", ErrLength},
		{"no merchant name", body(strings.Replace(valid, "5914BEST TRANSPORT", "", 1)), ErrMissing},
		{"no merchant account", body("000201010211520441115303156580" + "2CN5902AB6002CD6304"), ErrMissing},
		{"non-numeric amount", body(strings.Replace(valid, "540523.72", "540512a.0", 1)), ErrAmount},
		{"zero amount", body(strings.Replace(valid, "540523.72", "54040.00", 1)), ErrAmount},
		{"00 not first", body(strings.Replace(strings.Replace(valid, "000201", "", 1), "010212", "010212000201", 1)), ErrOrder},
		{"63 not last", body(valid) + "9902AB", ErrOrder},
		{"duplicate field", body(strings.Replace(valid, "5802CN", "5802CN5802CN", 1)), ErrDuplicate},
		{"template that does not parse", body(strings.Replace(valid, "29300012D156000000000510A93FO3230Q", "2930XX12D156000000000510A93FO3230Q", 1)), ErrTemplate},
		{"name over 25", body(strings.Replace(valid, "5914BEST TRANSPORT", "5926ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)), ErrTooLong},
	} {
		if _, err := Parse(tt.payload); !errors.Is(err, tt.want) {
			t.Errorf("%s: Parse = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := Encode([]Object{{"59", strings.Repeat("x", 100)}}); !errors.Is(err, ErrTooLong) {
		t.Errorf("Encode of a 100-character value = %v", err)
	}
}

func TestDynamicRoundTrip(t *testing.T) {
	m := Merchant{GUID: "com.example.pay", MerchantID: "SHOP0001", Country: "CN", Name: "LIN CORNER SHOP", City: "SHANGHAI", AltName: "林记小店", AltCity: "上海"}
	payload, err := Dynamic(m, money.New(1250, money.CNY), "ceb674db54ed4af1-2")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(payload)
	if err != nil {
		t.Fatal(err)
	}
	amount, err := p.AmountIn(money.CNY)
	if err != nil || amount.Minor() != 1250 || p.Reference != "ceb674db54ed4af1-2" || !p.Dynamic || p.AltName != "林记小店" ||
		p.Accounts[0].ID != "26" || p.Accounts[0].GUID != "com.example.pay" || p.MCC != "5411" {
		t.Fatalf("parsed %+v (amount %v, %v)", p, amount, err)
	}
	if _, err := Dynamic(m, money.New(0, money.CNY), "r"); !errors.Is(err, ErrAmount) {
		t.Errorf("zero amount: %v", err)
	}
	if _, err := Dynamic(m, money.New(100, money.CNY), ""); !errors.Is(err, ErrMissing) {
		t.Errorf("no reference: %v", err)
	}
	for _, m := range []Merchant{{GUID: "g", Country: "CN", Name: "X"}, {GUID: "g", Country: "CN", City: "Y"}, {GUID: "g", Name: "X", City: "Y"}, {GUID: "g", Country: "CN", Name: " ", City: "Y"}} {
		if _, err := Dynamic(m, money.New(100, money.CNY), "r"); !errors.Is(err, ErrMissing) {
			t.Errorf("Dynamic(%+v) = %v, want ErrMissing: 58, 59 and 60 are mandatory", m, err)
		}
	}
	if _, err := Dynamic(Merchant{Country: "CN", Name: "X", City: "Y"}, money.New(100, money.CNY), "r"); !errors.Is(err, ErrMissing) {
		t.Errorf("no account: %v", err)
	}
	static, err := Static(m)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(static); err != nil || p.Dynamic || p.Amount != "" {
		t.Fatalf("static %+v, %v", p, err)
	}
}

// FuzzParse: nothing panics, and whatever parses re-encodes to itself (up to the CRC's letter case).
func FuzzParse(f *testing.F) {
	f.Add(specExample)
	for _, s := range promptPay {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if got := p.String(); !strings.EqualFold(got, s) || got[:len(got)-4] != s[:len(s)-4] {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
	})
}
