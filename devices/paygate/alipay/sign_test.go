package alipay

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

// testKeyPEM is a TEST key, made once with `openssl genrsa -traditional 2048` for the signature test
// vector below. It signs nothing real and belongs to no Alipay application.
const testKeyPEM = `-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAtCOQi/Gkik2qm7Yb9fjIswoR1WVfQRdIGIzhC3wMih537/SL
R3wF68BhTBTAZEy6jugo+JLSZ2VszyLoTB4ZJJzgmAYGaw9MFXeVPp/tgJzCClA4
nv4Uyj6RSiwZYgb1fYyNhXpINjIFezMAuU0SVjMfLNK6AXPqzxv8p3vV7Fkq0AlO
1w1oKrduy3TvqRwcm6G6fxXJ/Nu20I4Qd/Wgx7AGnA3TUGH8CveRnYuVsNk2+hgw
hUe0nsDrsUHxhBcDRdjqn/WmASLX+tckd+YyT4iZDJRtMZOt5SRy0icj//4PK84v
mBoQUVde/QZnRrv1UaTOS7n2b2AmPTS4T+pYTwIDAQABAoIBAB6PnBHJ7KbUF1o0
cpjv3KjXUAA6owbper9Dg1iN8piqI6HvhIObrGt7J2afbKZ3h/z/sRe+3PhSsjuQ
CgYD4zMddFMGTqdyIG/R6l2GB2aW8aqLQpfitkc7hy2kvqetU4+5vTbEcKTVJq3o
kLpfM3mxUZwqogjmEBOUBXCqpzfh/at6aYxdLZFrvFeuzq2+FsfruVB5q63SEKEM
tmD7emzEjd4SfJd9MclPGH4Ry+KvuAarXE8uA7Z33V2oNHXjTkWd/+XzqmCVpPTc
3E9sW5xAiY2oWfEGUPH8v23f/kMD4rBHMbYFGcBBah/jjHj6spclYLYqUpQ5HDX5
aahEOgUCgYEA6bq679UVSsdGHG5WVrHTe7NuQC2PnpPV+E4XbyT2aoEYxBYSTYml
NhTM4OXELGCAId8h1vZ4MNvJHM74XtEIjb9fyTxFVSkTGY50zd47v5VymxDnmkfB
JQiQcPBDF3YmW3KE90IXt2SuV1Nl4O0ydQvlwtjQw+E+KE8w8bzhRLMCgYEAxU2f
ZPb4PjU2ruzEYONfaTLV43e1/QESZbw8afT0tBDCdmsJFJCB9j6JO/engA0XKGoC
ODSmZSOftT7VYFG8i4nlyJiHZ6TpYj5uWmpzJ1GJ9d+5rk6VgiSYTapSkHg/kr+n
sMvUsdZtFoGs25My0rFjLfNLudvWNSn9wG8kg/UCgYAu7g5w74EJ9b8vIDx3xdbn
5JxDiKJovdhdthhgebR8qBU38hKUvQmONVj540ijfHDd3DaoOe7iKI9WGHyoVSJ5
i66I8nAdbFToccEkQPYQPsq3Ngq64KN4cyLFeoiOImwLOpBWMVAfw7h50kYHhrj1
5YCpwe0RF53qbBQwxbMZnwKBgBIWY55l5awORM0Ud4xKS9zhBCquNsjS6FTbRM6R
3j0DrFAez95KwR9J7FrLAVgD2zOhRELS0M5EzcdX00fZNme0ZJRXJ1KhE6QmBQfU
6mmYWAVqVSNdoOclY7D7BEaqP2m8mCrlBMKo3adKjAY1IFugV29G9pI7TQ/ioZia
l8ZhAoGBALI3P2mpvlmZgk/7Jsn5fuKrDXVOwYegneQ2eo/Mm4o+xJuPjWyzc/UN
Rp6+dfCmLjzoQhuneOeEYTiOMs8eNb3eerPdgcrAX+o3Z9wOaJjvPQOzAbOPXJlI
3WDvrRvzpMrYo6dAG8uGn8xXkd2Td8IkApCDxpR2zLhEqBNkc67e
-----END RSA PRIVATE KEY-----`

func testKey(t testing.TB) *rsa.PrivateKey {
	block, _ := pem.Decode([]byte(testKeyPEM))
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestSignVector(t *testing.T) {
	params := map[string]string{
		"app_id":      "2021000000000001",
		"method":      "alipay.trade.pay",
		"format":      "JSON",
		"charset":     "utf-8",
		"sign_type":   "RSA2",
		"timestamp":   "2024-05-01 12:00:00",
		"version":     "1.0",
		"notify_url":  "", // empty: left out
		"sign":        "left out too",
		"biz_content": `{"out_trade_no":"ceb674db54ed4af1_1","scene":"bar_code","auth_code":"28763443825664394","subject":"Purchase","total_amount":"88.88"}`,
	}
	const want = `app_id=2021000000000001&biz_content={"out_trade_no":"ceb674db54ed4af1_1","scene":"bar_code","auth_code":"28763443825664394","subject":"Purchase","total_amount":"88.88"}&charset=utf-8&format=JSON&method=alipay.trade.pay&sign_type=RSA2&timestamp=2024-05-01 12:00:00&version=1.0`
	if got := SignContent(params); got != want {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, want)
	}
	// Computed apart from this package: printf '%s' "$want" | openssl dgst -sha256 -sign test.pem | base64 -w0
	const wantSign = "NpYxzPUGknCRcqSrK4W6pEIniNybQ5qv6vVT8c90kSvAyu2NUDlgVr4E+jtm2dOZMDGCcvULG49Cz7AIWKfJ5vrRFV3+8RryOAGxLepzUS7ewJ/CEdcWNem9+U9sDzs6gOYtxsfgidpqxjKhCv7NYdFYF+1Mg8Rk2rwDhVoS4eB8/kMHqvgwi0E5PdVJOelwL+JTqMM7z8eaJc0ySp5PuIYz/aRDXhR+ySVQdA4ScD+t9NF4cYCw3l+d6QeGGvNeGSQ6p6RC+5Uqs3eZL5DBivuR3qfTduRXTRpKmyEXnyU2hTD0lG3ZlwGlDp0qPx908znCnqCZataSyZ7xP7kMMQ=="
	got, err := Sign(params, testKey(t))
	if err != nil || got != wantSign {
		t.Fatalf("sign = %s, %v\nwant %s", got, err, wantSign)
	}
}

// TestSignContentDocExample is the example of Alipay's "自行实现签名" (signing without the SDK) page,
// https://opendocs.alipay.com/common/02kf5q (read as mirrored at
// https://juejin.cn/post/6844903816484110349): sign is left out, sign_type is kept, values are raw.
func TestSignContentDocExample(t *testing.T) {
	biz := `{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"},{"name":"查询","subButton":[{"actionParam":"ZFB_YECX","actionType":"out","name":"余额查询"},{"actionParam":"ZFB_LLCX","actionType":"out","name":"流量查询"},{"actionParam":"ZFB_HFCX","actionType":"out","name":"话费查询"}]},{"actionParam":"http://m.alipay.com","actionType":"link","name":"最新优惠"}]}`
	params := map[string]string{
		"app_id":      "2014072300007148",
		"method":      "alipay.mobile.public.menu.add",
		"charset":     "GBK",
		"sign_type":   "RSA2",
		"timestamp":   "2014-07-24 03:07:50",
		"biz_content": biz,
		"sign":        "e9zEAe4TTQ4LPLQvETPoLGXTiURcxiAKfMVQ6Hrrsx2hmyIEGvSfAQzbLxHrhyZ48wOJXTsD4FPnt+YGdK57+fP1BCbf9rIVycfjhYCqlFhbTu9pFnZgT55W+xbAFb9y7vL0MyAxwXUXvZtQVqEwW7pURtKilbcBTEW7TAxzgro=",
		"version":     "1.0",
	}
	want := "app_id=2014072300007148&biz_content=" + biz + "&charset=GBK&method=alipay.mobile.public.menu.add&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0"
	if got := SignContent(params); got != want {
		t.Fatalf("string to sign:\n got %s\nwant %s", got, want)
	}
}

// signedReply is Alipay's reply shape with content signed by key; sign false leaves the signature out.
func signedReply(t testing.TB, key *rsa.PrivateKey, name, content string, sign bool) []byte {
	t.Helper()
	body := `{"` + name + `":` + content
	if sign {
		s, err := signRaw([]byte(content), key)
		if err != nil {
			t.Fatal(err)
		}
		body += `,"sign":"` + s + `"`
	}
	return []byte(body + "}")
}

// signRaw is Alipay's side: the base64 RSA2 signature of a response object's text.
func signRaw(content []byte, key *rsa.PrivateKey) (string, error) {
	sum := sha256.Sum256(content)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig), err
}

func TestVerifiedResponse(t *testing.T) {
	alipayKey := testKey(t)
	pub := &alipayKey.PublicKey
	const name = "alipay_trade_query_response"
	// The raw text is what is signed: spacing and key order are Alipay's, not re-marshalled.
	content := `{ "code":"10000",  "msg":"Success","out_trade_no":"r_1" ,"trade_status":"TRADE_SUCCESS"}`
	body := signedReply(t, alipayKey, name, content, true)
	got, err := verifiedResponse(body, name, pub)
	if err != nil || string(got) != content {
		t.Fatalf("verifiedResponse = %s, %v", got, err)
	}
	// The signature first, the certificate serial number beside: still found.
	s, _ := signRaw([]byte(content), alipayKey)
	if _, err := verifiedResponse([]byte(`{"sign":"`+s+`","alipay_cert_sn":"x", `+"\n"+`"`+name+`":`+content+`}`), name, pub); err != nil {
		t.Errorf("sign first: %v", err)
	}
	// Alipay's note: the signed text may have / where the reply has \/.
	plain := `{"code":"10000","qr_code":"https://qr.alipay.com/bax1"}`
	s, _ = signRaw([]byte(plain), alipayKey)
	escaped := strings.ReplaceAll(plain, "/", `\/`)
	if got, err := verifiedResponse([]byte(`{"`+name+`":`+escaped+`,"sign":"`+s+`"}`), name, pub); err != nil || string(got) != escaped {
		t.Errorf("escaped slashes: %s, %v", got, err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for what, body := range map[string][]byte{
		"no sign":          signedReply(t, alipayKey, name, content, false),
		"empty sign":       []byte(`{"` + name + `":` + content + `,"sign":""}`),
		"another key":      signedReply(t, other, name, content, true),
		"altered content":  []byte(strings.Replace(string(body), "TRADE_SUCCESS", "TRADE_SUCCESS ", 1)),
		"twice":            []byte(`{"` + name + `":{"code":"40004"},` + string(body[1:])),
		"not base64":       []byte(`{"` + name + `":` + content + `,"sign":"%%%"}`),
		"other method":     signedReply(t, alipayKey, "alipay_trade_pay_response", content, true),
		"not an object":    signedReply(t, alipayKey, name, `"x"`, true),
		"garbage":          []byte(`<html>502</html>`),
		"unfinished reply": body[:len(body)-1],
	} {
		if _, err := verifiedResponse(body, name, pub); err == nil {
			t.Errorf("%s: verified", what)
		}
	}
	if !errors.Is(func() error {
		_, err := verifiedResponse(signedReply(t, alipayKey, name, content, false), name, pub)
		return err
	}(), errUnsigned) {
		t.Error("an unsigned reply is not errUnsigned")
	}
	// The gateway's error_response is checked the same way.
	e := `{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}`
	if got, err := verifiedResponse(signedReply(t, alipayKey, "error_response", e, true), name, pub); err != nil || string(got) != e {
		t.Errorf("error_response: %s, %v", got, err)
	}
}
