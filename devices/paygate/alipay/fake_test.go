package alipay

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test keys, made at run time: the merchant application's and the fake Alipay's.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	merchant, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	alipay, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return merchant, alipay
})

const testAppID = "2021000000000001"

// replyMode is how the fake answers one request.
type replyMode int

const (
	replyNormal     replyMode = iota
	replyBadSign              // signed with a key that is not Alipay's
	replyNoSign               // the sign field left out
	replyWrongOrder           // correctly signed, about another out_trade_no
	replyCut                  // the order is committed, then the connection closes without a reply
	replySystemErr            // 40004 ACQ.SYSTEM_ERROR, nothing done
	replyBusy                 // 20000 service unavailable, nothing done
)

// fakeOrder is one order the fake Alipay keeps, by out_trade_no.
type fakeOrder struct {
	tradeNo    string
	fen        int64
	status     string // WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED
	charges    int    // times a pay code was charged for it
	scanned    bool   // a presented order exists for queries once the shopper scans it
	queries    int
	refunded   int64
	refunds    map[string]int64 // out_request_no → fen
	cancels    int
	cancelled  string // the cancel's action: close or refund
	presented  bool
	confirmsAt int // the query at which a pending shopper confirms; 0 never
}

// fakeAlipay is an in-process Alipay OpenAPI gateway: it checks every request's RSA2 signature with the
// merchant's public key and the method's parameters exactly, keeps orders by out_trade_no (charging one
// once), and signs its replies with the test Alipay key. A pay code's last four digits choose the
// shopper: 0000 has too little balance, 1111 confirms on the phone (at ConfirmsAt queries), others pay.
type fakeAlipay struct {
	t          *testing.T
	merchant   *rsa.PublicKey
	key        *rsa.PrivateKey
	ConfirmsAt int // queries of a 1111 order before the shopper confirms; 0 never

	mu        sync.Mutex
	orders    map[string]*fakeOrder
	modes     map[string][]replyMode // method → how to answer its next requests
	calls     map[string]int         // method → requests seen
	badSigned int                    // requests refused for their signature
	next      int
}

func newFake(t *testing.T) (*fakeAlipay, *Client) {
	merchant, alipayKey := testKeys()
	f := &fakeAlipay{t: t, merchant: &merchant.PublicKey, key: alipayKey, ConfirmsAt: 2,
		orders: map[string]*fakeOrder{}, modes: map[string][]replyMode{}, calls: map[string]int{}}
	srv := httptest.NewTLSServer(f)
	t.Cleanup(srv.Close)
	c, err := New(Config{AppID: testAppID, Gateway: srv.URL + "/gateway.do", PrivateKey: merchant,
		AlipayPublicKey: &alipayKey.PublicKey, Timeout: 2 * time.Second, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

// answer sets how the fake answers the next requests of method, in turn.
func (f *fakeAlipay) answer(method string, modes ...replyMode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.modes[method] = append(f.modes[method], modes...)
}

func (f *fakeAlipay) order(outTradeNo string) fakeOrder {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o, ok := f.orders[outTradeNo]; ok {
		return *o
	}
	return fakeOrder{}
}

func (f *fakeAlipay) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// scan is the shopper scanning a presented code and paying in the Alipay app.
func (f *fakeAlipay) scan(outTradeNo string, pay bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orders[outTradeNo]
	o.scanned = true
	if pay {
		o.status = "TRADE_SUCCESS"
	}
}

var (
	reTradeNo  = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	reAuthCode = regexp.MustCompile(`^(2[5-9]|30)[0-9]{14,22}$`) // Alipay pay codes: 25–30, 16–24 digits
	reYuan     = regexp.MustCompile(`^(0|[1-9][0-9]{0,8})\.[0-9]{2}$`)
)

// fen reads a yuan amount with two decimals, exactly.
func fen(s string) (int64, bool) {
	if !reYuan.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
	return n, err == nil && n > 0
}

// biz is every biz_content field the adapter may send; the fake refuses others.
type biz struct {
	OutTradeNo   string `json:"out_trade_no"`
	Scene        string `json:"scene"`
	AuthCode     string `json:"auth_code"`
	Subject      string `json:"subject"`
	TotalAmount  string `json:"total_amount"`
	RefundAmount string `json:"refund_amount"`
	OutRequestNo string `json:"out_request_no"`
}

func (f *fakeAlipay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/gateway.do" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		f.t.Errorf("request %s %s (%s)", r.Method, r.URL, r.Header.Get("Content-Type"))
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil || len(r.URL.Query()) != 0 {
		f.t.Errorf("form: %v, query %q", err, r.URL.RawQuery)
		return
	}
	params := map[string]string{}
	for k, vs := range r.PostForm {
		if len(vs) != 1 {
			f.t.Errorf("parameter %s sent %d times", k, len(vs))
		}
		params[k] = vs[0]
	}
	method := params["method"]
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	mode := replyNormal
	if q := f.modes[method]; len(q) > 0 {
		mode, f.modes[method] = q[0], q[1:]
	}

	// The signature, with the merchant's public key, over the documented string to sign.
	sig, err := base64.StdEncoding.DecodeString(params["sign"])
	sum := sha256.Sum256([]byte(SignContent(params)))
	if err != nil || rsa.VerifyPKCS1v15(f.merchant, crypto.SHA256, sum[:], sig) != nil {
		f.badSigned++
		f.reply(w, "error_response", map[string]string{"code": "40002", "msg": "Invalid Arguments",
			"sub_code": "isv.invalid-signature", "sub_msg": "验签出错"}, replyNormal)
		return
	}
	// The common parameters, exactly.
	want := map[string]string{"app_id": testAppID, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2", "version": "1.0"}
	for k, v := range want {
		if params[k] != v {
			f.t.Errorf("%s: %s = %q, want %q", method, k, params[k], v)
		}
	}
	if ts, err := time.ParseInLocation(time.DateTime, params["timestamp"], time.FixedZone("", 8*3600)); err != nil || time.Since(ts).Abs() > time.Minute {
		f.t.Errorf("%s: timestamp %q is not Beijing time now (%v)", method, params["timestamp"], err)
	}
	for k := range params {
		if _, ok := want[k]; !ok && k != "method" && k != "timestamp" && k != "biz_content" && k != "sign" {
			f.t.Errorf("%s: unexpected parameter %s", method, k)
		}
	}
	var b biz
	dec := json.NewDecoder(strings.NewReader(params["biz_content"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		f.t.Errorf("%s: biz_content %v", method, err)
	}
	if !reTradeNo.MatchString(b.OutTradeNo) {
		f.t.Errorf("%s: out_trade_no %q", method, b.OutTradeNo)
	}
	fields := func(want ...string) { // exactly these biz fields are set
		got := map[string]string{"out_trade_no": b.OutTradeNo, "scene": b.Scene, "auth_code": b.AuthCode, "subject": b.Subject,
			"total_amount": b.TotalAmount, "refund_amount": b.RefundAmount, "out_request_no": b.OutRequestNo}
		for _, k := range want {
			if got[k] == "" {
				f.t.Errorf("%s: no %s", method, k)
			}
			delete(got, k)
		}
		for k, v := range got {
			if v != "" {
				f.t.Errorf("%s: unexpected %s=%q", method, k, v)
			}
		}
	}
	name := strings.ReplaceAll(method, ".", "_") + "_response"
	switch mode {
	case replySystemErr:
		f.reply(w, name, map[string]string{"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR", "sub_msg": "系统异常", "out_trade_no": b.OutTradeNo}, replyNormal)
		return
	case replyBusy:
		f.reply(w, name, map[string]string{"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "isp.unknow-error", "sub_msg": "系统繁忙"}, replyNormal)
		return
	}
	fail := func(sub, msg string) map[string]string {
		return map[string]string{"code": "40004", "msg": "Business Failed", "sub_code": sub, "sub_msg": msg, "out_trade_no": b.OutTradeNo}
	}
	var resp map[string]string
	o := f.orders[b.OutTradeNo]
	switch method {
	case "alipay.trade.pay":
		fields("out_trade_no", "scene", "auth_code", "subject", "total_amount")
		amount, ok := fen(b.TotalAmount)
		if b.Scene != "bar_code" || !reAuthCode.MatchString(b.AuthCode) || !ok {
			f.t.Errorf("pay: scene %q, auth_code %q, total_amount %q", b.Scene, b.AuthCode, b.TotalAmount)
			resp = fail("ACQ.INVALID_PARAMETER", "参数无效")
			break
		}
		switch {
		case o != nil && o.fen != amount:
			f.t.Errorf("pay: %s again for another amount", b.OutTradeNo)
			resp = fail("ACQ.INVALID_PARAMETER", "参数无效")
		case o != nil: // the same order again: as it stands, charged once
		case strings.HasSuffix(b.AuthCode, "0000"):
			resp = fail("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足")
		default:
			f.next++
			o = &fakeOrder{tradeNo: fmt.Sprintf("2024050122001%08d", f.next), fen: amount, status: "TRADE_SUCCESS", charges: 1, scanned: true}
			if strings.HasSuffix(b.AuthCode, "1111") {
				o.status, o.confirmsAt = "WAIT_BUYER_PAY", f.ConfirmsAt
			}
			f.orders[b.OutTradeNo] = o
		}
		if resp == nil {
			resp = map[string]string{"code": "10000", "msg": "Success", "out_trade_no": b.OutTradeNo, "trade_no": o.tradeNo,
				"total_amount": b.TotalAmount, "buyer_logon_id": "159****5620"}
			switch o.status {
			case "WAIT_BUYER_PAY":
				resp["code"], resp["msg"] = "10003", "等待用户付款"
			case "TRADE_CLOSED":
				resp = fail("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
			}
		}
	case "alipay.trade.query":
		fields("out_trade_no")
		if o == nil || !o.scanned {
			resp = fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
			break
		}
		o.queries++
		if o.status == "WAIT_BUYER_PAY" && o.confirmsAt > 0 && o.queries >= o.confirmsAt {
			o.status = "TRADE_SUCCESS"
		}
		resp = map[string]string{"code": "10000", "msg": "Success", "out_trade_no": b.OutTradeNo, "trade_no": o.tradeNo,
			"trade_status": o.status, "total_amount": yuanOf(o.fen)}
	case "alipay.trade.cancel":
		fields("out_trade_no")
		if o == nil || !o.scanned {
			resp = fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
			break
		}
		o.cancels++
		if o.cancelled == "" {
			o.cancelled = "close"
			if o.status == "TRADE_SUCCESS" {
				o.cancelled = "refund"
			}
		}
		o.status = "TRADE_CLOSED"
		resp = map[string]string{"code": "10000", "msg": "Success", "out_trade_no": b.OutTradeNo, "trade_no": o.tradeNo,
			"retry_flag": "N", "action": o.cancelled}
	case "alipay.trade.refund":
		fields("out_trade_no", "refund_amount", "out_request_no")
		amount, ok := fen(b.RefundAmount)
		switch {
		case !ok || !reTradeNo.MatchString(b.OutRequestNo):
			f.t.Errorf("refund: refund_amount %q, out_request_no %q", b.RefundAmount, b.OutRequestNo)
			resp = fail("ACQ.INVALID_PARAMETER", "参数无效")
		case o == nil || !o.scanned:
			resp = fail("ACQ.TRADE_NOT_EXIST", "交易不存在")
		case o.status != "TRADE_SUCCESS":
			resp = fail("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
		default:
			change := "N" // a refund request number already refunded: nothing more
			if _, done := o.refunds[b.OutRequestNo]; !done {
				if o.refunded+amount > o.fen {
					resp = fail("ACQ.REASON_TRADE_REFUND_FEE_ERR", "退款金额无效")
					break
				}
				if o.refunds == nil {
					o.refunds = map[string]int64{}
				}
				o.refunds[b.OutRequestNo] = amount
				o.refunded += amount
				change = "Y"
			}
			resp = map[string]string{"code": "10000", "msg": "Success", "out_trade_no": b.OutTradeNo, "trade_no": o.tradeNo,
				"fund_change": change, "refund_fee": yuanOf(o.refunded)}
		}
	case "alipay.trade.precreate":
		fields("out_trade_no", "total_amount", "subject")
		amount, ok := fen(b.TotalAmount)
		switch {
		case !ok:
			f.t.Errorf("precreate: total_amount %q", b.TotalAmount)
			resp = fail("ACQ.INVALID_PARAMETER", "参数无效")
		case o != nil && o.fen != amount:
			resp = fail("ACQ.INVALID_PARAMETER", "参数无效")
		default:
			if o == nil {
				f.next++
				o = &fakeOrder{tradeNo: fmt.Sprintf("2024050122001%08d", f.next), fen: amount, status: "WAIT_BUYER_PAY", presented: true}
				f.orders[b.OutTradeNo] = o
			}
			resp = map[string]string{"code": "10000", "msg": "Success", "out_trade_no": b.OutTradeNo,
				"qr_code": "https://qr.alipay.com/bax0" + o.tradeNo[13:]}
		}
	default:
		f.t.Errorf("unexpected method %q", method)
		resp = map[string]string{"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-method"}
	}
	if mode == replyCut {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			f.t.Error(err)
			return
		}
		conn.Close()
		return
	}
	f.reply(w, name, resp, mode)
}

// reply writes Alipay's reply shape, signed with the fake's Alipay key (or spoiled as mode says).
func (f *fakeAlipay) reply(w http.ResponseWriter, name string, resp map[string]string, mode replyMode) {
	if mode == replyWrongOrder {
		resp["out_trade_no"] = "someone_else_1"
	}
	var content bytes.Buffer
	enc := json.NewEncoder(&content)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		f.t.Error(err)
	}
	text := bytes.TrimSpace(content.Bytes())
	key := f.key
	if mode == replyBadSign {
		key, _ = testKeys() // the merchant's key: not Alipay's
	}
	sum := sha256.Sum256(text)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		f.t.Error(err)
	}
	// As Alipay's replies do, the reply escapes the slashes that the signed text has plain.
	body := `{"` + name + `":` + strings.ReplaceAll(string(text), "/", `\/`)
	if mode != replyNoSign {
		body += `,"sign":"` + base64.StdEncoding.EncodeToString(sig) + `"`
	}
	w.Header().Set("Content-Type", "text/html;charset=utf-8")
	w.Write([]byte(body + "}"))
}

func yuanOf(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
