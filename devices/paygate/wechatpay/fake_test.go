package wechatpay

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAppID = "wx8888888888888888"
	testMchID = "1900000109"
)

// Pay codes whose last four digits choose what the fake's shopper does.
const (
	codePays        = "134567890123450000" // paid at once
	codeConfirms    = "134567890123451111" // USERPAYING; one more query says USERPAYING; then paid
	codeNotEnough   = "134567890123452222" // NOTENOUGH
	codeNeverPays   = "134567890123453333" // USERPAYING for ever
	codeExpired     = "134567890123454444" // AUTHCODEEXPIRE
	shopperPassword = 1 << 30              // queries a shopper who never confirms stays USERPAYING for
)

// fakeOrder is one out_trade_no at the fake.
type fakeOrder struct {
	ref, tradeType, authCode, codeURL string
	fee                               int64
	state                             string // SUCCESS, REFUND, USERPAYING, NOTPAY, PAYERROR, CLOSED, REVOKED
	txID                              string
	waitQueries                       int              // USERPAYING answers left before the shopper confirms
	refunds                           map[string]int64 // out_refund_no → fen
}

func (o fakeOrder) refunded() (sum int64) {
	for _, f := range o.refunds {
		sum += f
	}
	return sum
}

// fakeWx is WeChat Pay's merchant API v2 in-process, over HTTPS: it checks every request's signature
// (with its own implementation of the algorithm) and parameters, asks for the merchant's client
// certificate on /secapi/ paths, keeps orders by out_trade_no so that none is charged twice, and signs
// its replies. Faults queued per path misbehave on the next request.
type fakeWx struct {
	t   *testing.T
	key []byte
	srv *httptest.Server

	mu       sync.Mutex
	orders   map[string]*fakeOrder
	calls    map[string]int      // path → requests served
	faults   map[string][]string // path → faults for the next requests
	charges  int                 // times money moved from a shopper
	reversed int                 // paid orders reversed (money back)
	badSigns int                 // requests refused for their signature
	noCert   int                 // /secapi/ requests refused for want of the merchant's certificate
	nextTx   int
}

// newFake starts a fake and returns it with the merchant's configuration for it (client certificate
// loaded from files by LoadClientCert, as in the shop).
func newFake(t *testing.T) (*fakeWx, Config) {
	pki := newTestPKI(t)
	f := &fakeWx{t: t, key: []byte(testAPIKey), orders: map[string]*fakeOrder{}, calls: map[string]int{}, faults: map[string][]string{}}
	f.srv = httptest.NewUnstartedServer(f)
	certPEM, keyPEM := pki.issue(t, "127.0.0.1", true)
	serverCert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pki.pool()}
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)

	dir := t.TempDir()
	certPEM, keyPEM = pki.issue(t, testMchID, false)
	clientCert, err := LoadClientCert(writeFile(t, dir, "apiclient_cert.pem", certPEM, 0o644), writeFile(t, dir, "apiclient_key.pem", keyPEM, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	return f, Config{AppID: testAppID, MchID: testMchID, APIKey: []byte(testAPIKey), BaseURL: f.srv.URL,
		ClientCert: &clientCert, RootCAs: pki.pool(), Body: "测试店-日用品", ClientIP: "192.0.2.10",
		NotifyURL: "https://shop.example/wechat/notify", DeviceInfo: "T01", Timeout: 2 * time.Second}
}

// fault queues a misbehaviour for the next request to path: "cut" (act, then close the connection
// without a reply), "badsign" (act, reply signed with another key), "wrongref" (act, reply naming
// another out_trade_no), "returnfail" (refuse with return_code FAIL, not acting), "recall" (reverse:
// SYSTEMERROR with recall=Y, not acting).
func (f *fakeWx) fault(path, what string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[path] = append(f.faults[path], what)
}

func (f *fakeWx) order(ref string) fakeOrder {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o := f.orders[ref]; o != nil {
		return *o
	}
	return fakeOrder{}
}

func (f *fakeWx) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[path]
}

// scan is the shopper scanning a Native code with their phone and paying it.
func (f *fakeWx) scan(codeURL string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.orders {
		if o.codeURL == codeURL && o.state == "NOTPAY" {
			f.pay(o)
			return true
		}
	}
	return false
}

func (f *fakeWx) pay(o *fakeOrder) {
	f.nextTx++
	o.state, o.txID = "SUCCESS", fmt.Sprintf("42000000%010d", f.nextTx)
	f.charges++
}

// fakeSign is the documented signature, written apart from Sign so that the fake checks the client.
func fakeSign(p map[string]string, key []byte) string {
	var kv []string
	for k, v := range p {
		if k != "sign" && v != "" {
			kv = append(kv, k+"="+v)
		}
	}
	sort.Strings(kv) // no key is a prefix of another followed by a byte below '=' in these APIs
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, strings.Join(kv, "&")+"&key="+string(key))
	return strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
}

var (
	fenRE      = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)
	authCodeRE = regexp.MustCompile(`^1[0-5][0-9]{16}$`)
)

func (f *fakeWx) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	p, err := decodeXML(raw)
	if r.Method != http.MethodPost || err != nil {
		f.t.Errorf("fake: %s %s: %v", r.Method, r.URL.Path, err)
		returnFail(w, "XML_FORMAT_ERROR")
		return
	}
	path := r.URL.Path
	if strings.HasPrefix(path, "/secapi/") {
		if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || r.TLS.PeerCertificates[0].Subject.CommonName != testMchID {
			f.mu.Lock()
			f.noCert++
			f.mu.Unlock()
			returnFail(w, "证书错误: client certificate required")
			return
		}
	}
	if p["sign_type"] != "HMAC-SHA256" || p["sign"] != fakeSign(p, f.key) {
		f.mu.Lock()
		f.badSigns++
		f.mu.Unlock()
		returnFail(w, "签名错误")
		return
	}
	if p["appid"] != testAppID || p["mch_id"] != testMchID || p["nonce_str"] == "" || len(p["nonce_str"]) > 32 {
		f.t.Errorf("fake: %s: appid %q, mch_id %q, nonce_str %q", path, p["appid"], p["mch_id"], p["nonce_str"])
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[path]++
	var fault string
	if q := f.faults[path]; len(q) > 0 {
		fault, f.faults[path] = q[0], q[1:]
	}
	if fault == "returnfail" {
		returnFail(w, "系统繁忙,请稍后再试")
		return
	}
	var reply map[string]string
	switch path {
	case "/pay/micropay":
		reply = f.micropay(p)
	case "/pay/orderquery":
		reply = f.orderquery(p)
	case "/secapi/pay/reverse":
		if fault == "recall" {
			reply = map[string]string{"result_code": "FAIL", "err_code": "SYSTEMERROR", "err_code_des": "系统错误", "recall": "Y"}
		} else {
			reply = f.reverse(p)
		}
	case "/secapi/pay/refund":
		reply = f.refund(p)
	case "/pay/unifiedorder":
		reply = f.unifiedorder(p)
	case "/pay/closeorder":
		reply = f.closeorder(p)
	default:
		http.NotFound(w, r)
		return
	}
	reply["return_code"], reply["return_msg"], reply["appid"], reply["mch_id"], reply["nonce_str"] = "SUCCESS", "OK", testAppID, testMchID, nonce()
	key := f.key
	switch fault {
	case "badsign":
		key = []byte("not the merchant's key, 32 bytes")
	case "wrongref":
		reply["out_trade_no"] = "someone-elses-order"
	case "cut": // the order stands; the till hears nothing
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			f.t.Errorf("fake: hijack: %v", err)
			return
		}
		conn.Close()
		return
	}
	reply["sign"] = fakeSign(reply, key)
	w.Header().Set("Content-Type", "text/xml")
	w.Write(encodeXML(reply))
}

func returnFail(w http.ResponseWriter, msg string) {
	fmt.Fprintf(w, "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[%s]]></return_msg></xml>", msg)
}

// need checks that p has the named parameters, non-empty, and total_fee-like ones as integer fen.
func (f *fakeWx) need(p map[string]string, names ...string) bool {
	ok := true
	for _, n := range names {
		v := p[n]
		bad := v == ""
		if strings.HasSuffix(n, "_fee") {
			bad = !fenRE.MatchString(v)
		}
		if bad {
			f.t.Errorf("fake: parameter %s = %q", n, v)
			ok = false
		}
	}
	return ok
}

func fail(code, des string) map[string]string {
	return map[string]string{"result_code": "FAIL", "err_code": code, "err_code_des": des}
}

func fee(p map[string]string, name string) int64 {
	v, _ := strconv.ParseInt(p[name], 10, 64)
	return v
}

func (f *fakeWx) micropay(p map[string]string) map[string]string {
	if !f.need(p, "body", "out_trade_no", "total_fee", "spbill_create_ip", "auth_code") || !authCodeRE.MatchString(p["auth_code"]) {
		return fail("PARAM_ERROR", "参数错误")
	}
	ref, code := p["out_trade_no"], p["auth_code"]
	if o := f.orders[ref]; o != nil { // the same order again: never a second charge
		switch {
		case o.authCode != code || o.fee != fee(p, "total_fee"):
			return fail("OUT_TRADE_NO_USED", "商户订单号重复")
		case o.state == "SUCCESS":
			return fail("ORDERPAID", "订单已支付")
		case o.state == "USERPAYING":
			return fail("USERPAYING", "需要用户输入支付密码")
		}
		return fail("ORDERCLOSED", "订单已关闭")
	}
	o := &fakeOrder{ref: ref, tradeType: "MICROPAY", authCode: code, fee: fee(p, "total_fee"), refunds: map[string]int64{}}
	switch code {
	case codeExpired:
		return fail("AUTHCODEEXPIRE", "二维码已过期,请用户在微信上刷新后再试")
	case codeNotEnough:
		o.state = "PAYERROR"
		f.orders[ref] = o
		return fail("NOTENOUGH", "余额不足")
	case codeConfirms, codeNeverPays:
		o.state, o.waitQueries = "USERPAYING", 1
		if code == codeNeverPays {
			o.waitQueries = shopperPassword
		}
		f.orders[ref] = o
		return fail("USERPAYING", "需要用户输入支付密码")
	}
	f.orders[ref] = o
	f.pay(o)
	return map[string]string{"result_code": "SUCCESS", "out_trade_no": ref, "transaction_id": o.txID,
		"total_fee": p["total_fee"], "trade_type": "MICROPAY", "bank_type": "CFT", "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
}

func (f *fakeWx) orderquery(p map[string]string) map[string]string {
	if !f.need(p, "out_trade_no") {
		return fail("PARAM_ERROR", "参数错误")
	}
	o := f.orders[p["out_trade_no"]]
	if o == nil {
		return fail("ORDERNOTEXIST", "此交易订单号不存在")
	}
	if o.state == "USERPAYING" {
		if o.waitQueries > 0 {
			o.waitQueries--
		} else {
			f.pay(o)
		}
	}
	return map[string]string{"result_code": "SUCCESS", "out_trade_no": o.ref, "trade_state": o.state,
		"trade_state_desc": "state " + o.state, "total_fee": strconv.FormatInt(o.fee, 10), "trade_type": o.tradeType,
		"transaction_id": o.txID}
}

func (f *fakeWx) reverse(p map[string]string) map[string]string {
	if !f.need(p, "out_trade_no") {
		return fail("PARAM_ERROR", "参数错误")
	}
	o := f.orders[p["out_trade_no"]]
	switch {
	case o == nil:
		r := fail("ORDERNOTEXIST", "订单不存在")
		r["recall"] = "N"
		return r
	case o.tradeType != "MICROPAY":
		r := fail("INVALID_REQUEST", "only pay-code orders can be reversed")
		r["recall"] = "N"
		return r
	}
	if o.state == "SUCCESS" {
		f.reversed++
	}
	o.state = "REVOKED"
	return map[string]string{"result_code": "SUCCESS", "recall": "N"}
}

func (f *fakeWx) refund(p map[string]string) map[string]string {
	if !f.need(p, "out_trade_no", "out_refund_no", "total_fee", "refund_fee") {
		return fail("PARAM_ERROR", "参数错误")
	}
	o := f.orders[p["out_trade_no"]]
	if o == nil {
		return fail("ORDERNOTEXIST", "订单不存在")
	}
	total, amount, rno := fee(p, "total_fee"), fee(p, "refund_fee"), p["out_refund_no"]
	ok := map[string]string{"result_code": "SUCCESS", "out_trade_no": o.ref, "out_refund_no": rno, "transaction_id": o.txID,
		"refund_id": "50000" + rno, "refund_fee": p["refund_fee"], "total_fee": p["total_fee"], "cash_fee": p["total_fee"]}
	switch done, seen := o.refunds[rno]; {
	case total != o.fee:
		return fail("INVALID_REQUEST", "订单金额与实际不符")
	case seen && done != amount:
		return fail("INVALID_REQUEST", "同一退款单号金额不一致")
	case seen: // the same out_refund_no again: refunded once
		return ok
	case o.state != "SUCCESS" && o.state != "REFUND":
		return fail("TRADE_STATE_ERROR", "订单状态错误")
	case o.refunded()+amount > o.fee:
		return fail("INVALID_REQUEST", "申请退款金额超过订单可退金额")
	}
	o.refunds[rno], o.state = amount, "REFUND"
	return ok
}

func (f *fakeWx) unifiedorder(p map[string]string) map[string]string {
	if !f.need(p, "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url", "product_id") || p["trade_type"] != "NATIVE" {
		f.t.Errorf("fake: unifiedorder trade_type %q", p["trade_type"])
		return fail("PARAM_ERROR", "参数错误")
	}
	ref := p["out_trade_no"]
	o := f.orders[ref]
	switch {
	case o != nil && o.state == "SUCCESS":
		return fail("ORDERPAID", "该订单已支付")
	case o != nil && o.fee != fee(p, "total_fee"):
		return fail("INVALID_REQUEST", "201 商户订单号重复")
	case o == nil:
		o = &fakeOrder{ref: ref, tradeType: "NATIVE", fee: fee(p, "total_fee"), state: "NOTPAY", refunds: map[string]int64{},
			codeURL: "weixin://wxpay/bizpayurl?pr=" + nonce()[:7]}
		f.orders[ref] = o
	}
	return map[string]string{"result_code": "SUCCESS", "trade_type": "NATIVE", "prepay_id": "wx" + nonce()[:20], "code_url": o.codeURL}
}

func (f *fakeWx) closeorder(p map[string]string) map[string]string {
	if !f.need(p, "out_trade_no") {
		return fail("PARAM_ERROR", "参数错误")
	}
	o := f.orders[p["out_trade_no"]]
	switch {
	case o == nil:
		return fail("ORDERNOTEXIST", "订单不存在")
	case o.state == "SUCCESS" || o.state == "REFUND":
		return fail("ORDERPAID", "订单已支付")
	case o.state == "CLOSED":
		return fail("ORDERCLOSED", "订单已关闭")
	}
	o.state = "CLOSED"
	return map[string]string{"result_code": "SUCCESS"}
}

// n reads one of the fake's counters.
func (f *fakeWx) n(counter *int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *counter
}

// total is the number of requests the fake has served or refused.
func (f *fakeWx) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.badSigns + f.noCert
	for _, c := range f.calls {
		n += c
	}
	return n
}
