package wechatpay

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"
)

// The example of WeChat Pay's API v2 security rules (安全规范, 签名算法):
// https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=4_3 (the same page exists for each product,
// e.g. https://pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=4_3). The page gives stringA, stringSignTemp
// and both signatures below; we read them from copies of that page (the pages and code corpora of our
// search tool quote it word for word) and recomputed both with md5sum and openssl before writing them down.
var docExample = map[string]string{
	"appid":       "wxd930ea5d5a258f4f",
	"mch_id":      "10000100",
	"device_info": "1000",
	"body":        "test",
	"nonce_str":   "ibuaiVcKdpRxkhJA",
}

const docKey = "192006250b4c09247ec02edce69f6a2d"

func TestSignDocExample(t *testing.T) {
	const stringSignTemp = "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d"
	if got := signingString(docExample, []byte(docKey)); got != stringSignTemp {
		t.Fatalf("string to sign\n got %s\nwant %s", got, stringSignTemp)
	}
	// MD5 is the documented default sign type; we never send it, but the same string must give the doc's MD5.
	sum := md5.Sum([]byte(stringSignTemp))
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); got != "9A0A8659F005D6984697E2CA0A9CF3B7" {
		t.Errorf("MD5 = %s", got)
	}
	if got := Sign(docExample, []byte(docKey)); got != "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6" {
		t.Errorf("HMAC-SHA256 = %s", got)
	}
}

func TestSignSkipsEmptyValuesAndSign(t *testing.T) {
	p := map[string]string{"sign": "X", "empty": ""}
	for k, v := range docExample {
		p[k] = v
	}
	if Sign(p, []byte(docKey)) != Sign(docExample, []byte(docKey)) {
		t.Error("an empty value or the sign itself changed the signature")
	}
	p["zz_new_field"] = "1" // WeChat may add fields: a verifier must sign what it receives, extensions included
	if Sign(p, []byte(docKey)) == Sign(docExample, []byte(docKey)) {
		t.Error("an added field did not change the signature")
	}
}

func TestVerify(t *testing.T) {
	p := map[string]string{"return_code": "SUCCESS", "out_trade_no": "abc123"}
	p["sign"] = Sign(p, []byte(docKey))
	if !verify(p, []byte(docKey)) {
		t.Fatal("a well-signed reply does not verify")
	}
	lower := map[string]string{"return_code": "SUCCESS", "out_trade_no": "abc123", "sign": strings.ToLower(p["sign"])}
	if !verify(lower, []byte(docKey)) {
		t.Error("hex case should not matter")
	}
	for _, tamper := range []func(map[string]string){
		func(m map[string]string) { m["out_trade_no"] = "abc124" },
		func(m map[string]string) { m["trade_state"] = "SUCCESS" },
		func(m map[string]string) { delete(m, "sign") },
		func(m map[string]string) { m["sign"] = "" },
	} {
		m := map[string]string{}
		for k, v := range p {
			m[k] = v
		}
		tamper(m)
		if verify(m, []byte(docKey)) {
			t.Errorf("tampered reply %v verifies", m)
		}
	}
	if verify(p, []byte("another key, 32 bytes long......")) {
		t.Error("verifies under another key")
	}
}

var xmlCases = []struct {
	in      string
	want    map[string]string
	wantErr bool
}{
	{`<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1</total_fee></xml>`,
		map[string]string{"return_code": "SUCCESS", "total_fee": "1"}, false},
	{"<xml>\n  <a>x &amp; y</a>\n  <b><![CDATA[<&>]]></b>\n</xml>\n", map[string]string{"a": "x & y", "b": "<&>"}, false},
	{`<?xml version="1.0" encoding="UTF-8"?><xml><body>测试</body></xml>`, map[string]string{"body": "测试"}, false},
	{`<xml><a>1</a><a>2</a></xml>`, nil, true},            // a repeated field is ambiguous: never trusted
	{`<xml><a><b>1</b></a></xml>`, nil, true},             // nested
	{`<root><a>1</a></root>`, nil, true},                  // not <xml>
	{`<xml><a>1</a>`, nil, true},                          // truncated
	{`<xml><a>1</a></xml><xml><a>2</a></xml>`, nil, true}, // two documents
	{``, nil, true},
	{`{"return_code":"SUCCESS"}`, nil, true},
}

func TestDecodeXML(t *testing.T) {
	for _, c := range xmlCases {
		got, err := decodeXML([]byte(c.in))
		if (err != nil) != c.wantErr {
			t.Errorf("decodeXML(%q) error %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if !c.wantErr && !equalMaps(got, c.want) {
			t.Errorf("decodeXML(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestEncodeXMLRoundTrip(t *testing.T) {
	p := map[string]string{"body": "店 <A&B> \"q\"", "total_fee": "300", "b": "]]>"}
	b := encodeXML(p)
	if !strings.HasPrefix(string(b), "<xml><b>") || !strings.HasSuffix(string(b), "</xml>") {
		t.Errorf("encodeXML = %s: want sorted fields inside <xml>", b)
	}
	got, err := decodeXML(b)
	if err != nil || !equalMaps(got, p) {
		t.Errorf("round trip = %v, %v; want %v", got, err, p)
	}
}

func FuzzDecodeXML(f *testing.F) {
	for _, c := range xmlCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		m, err := decodeXML([]byte(in))
		if err != nil {
			return
		}
		again, err := decodeXML(encodeXML(m))
		if err != nil || !equalMaps(again, m) {
			t.Errorf("re-encoding %v gives %v, %v", m, again, err)
		}
	})
}

func TestNonce(t *testing.T) {
	a, b := nonce(), nonce()
	if len(a) != 32 || a == b || strings.Trim(a, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.Errorf("nonces %q, %q: want 32 distinct alphanumerics", a, b)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
