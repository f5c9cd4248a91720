// Package wechatpay charges WeChat Pay pay codes (付款码支付, micropay), makes merchant-presented codes
// (Native pay), follows, reverses and refunds them, speaking WeChat Pay's merchant API v2 directly: XML
// over HTTPS, signed with HMAC-SHA256 under the merchant's API key. It implements app.PaymentGateway,
// app.PaymentRefunder and app.PaymentPresenter with the contract of devices/paygate:
//
//   - An error from Charge or Query means the outcome is unknown — a timeout, a lost connection, an
//     unreadable reply, a reply whose signature does not verify, return_code FAIL (the request was not
//     understood: a communication failure, not a business answer), SYSTEMERROR or BANKERROR — and
//     app.CollectPayment queries, then reverses. A reply is never read as paid unless it verifies.
//   - result_code FAIL is WeChat's business answer: USERPAYING is pending (the shopper confirms on the
//     phone); ORDERPAID is resolved by a query; a definite refusal (NOTENOUGH, AUTHCODEEXPIRE,
//     AUTH_CODE_INVALID, …) is app.PaymentDeclined with WeChat's reason as the message. An error code this
//     package does not know is an unknown outcome, so the order is queried rather than guessed at.
//   - Query reads trade_state: SUCCESS (and REFUND: paid, then refunded in part) is paid, NOTPAY,
//     USERPAYING and ACCEPT pending, CLOSED, REVOKED and PAYERROR declined; ORDERNOTEXIST is
//     app.PaymentNotFound.
//   - A reply naming another out_trade_no, merchant or app than the request's is never trusted.
//
// Reverse (secapi/pay/reverse) and Refund (secapi/pay/refund) present the merchant's API client
// certificate over mutual TLS, on an http.Client of their own. A presented (Native) order is cancelled
// with pay/closeorder instead, and refunded in whole if the shopper paid it meanwhile.
//
// Refund reads the order's total_fee, which secapi/pay/refund requires, with an orderquery just before:
// nothing about the order is kept between calls (the till may have restarted since the sale), and the
// query refuses early an order that is not paid.
//
// Documentation followed (API v2):
//   - signing: https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=4_3
//   - micropay: https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_10 and
//     https://pay.weixin.qq.com/doc/v2/merchant/4011937125
//   - orderquery: https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_2
//   - reverse: https://pay.weixin.qq.com/wiki/doc/api/micropay.php?chapter=9_11 and
//     https://pay.weixin.qq.com/wiki/doc/api/wxpay/ch/pay/QuickPay/chapter3_4.shtml
//   - refund: https://pay.weixin.qq.com/wiki/doc/api/wxpay/ch/pay/QuickPay/chapter8_4.shtml
//   - unifiedorder, closeorder (Native): https://pay.weixin.qq.com/wiki/doc/api/native.php?chapter=9_1,
//     https://pay.weixin.qq.com/wiki/doc/api/native.php?chapter=9_3
package wechatpay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
)

// Base URLs of the API.
const (
	ProductionURL = "https://api.mch.weixin.qq.com"
	// SandboxURL is WeChat's simulation environment. It signs with a sandbox key got from
	// /sandboxnew/pay/getsignkey, which this package does not fetch: pass that key as the API key.
	SandboxURL = "https://api.mch.weixin.qq.com/sandboxnew"
)

// Config is one merchant's account with WeChat Pay.
type Config struct {
	AppID, MchID string // appid bound to the merchant, and mch_id
	APIKey       []byte // the API v2 key: 32 characters (LoadAPIKey)
	BaseURL      string // ProductionURL when empty, or SandboxURL; https only
	// ClientCert is the merchant's API client certificate (LoadClientCert). Reverse and Refund need it;
	// without it they fail and nothing is sent.
	ClientCert *tls.Certificate
	// Body is what the shopper's bill names a pay-code charge (body, 127 bytes at most; WeChat asks for
	// "shop name-goods category"). Required.
	Body string
	// ClientIP is sent as spbill_create_ip, the address of the machine calling the API; 127.0.0.1 when
	// empty.
	ClientIP string
	// NotifyURL is unifiedorder's notify_url, required by WeChat for a Native order although the till
	// follows the order by querying it. Present fails without it.
	NotifyURL string
	// DeviceInfo is sent as device_info when set: the till or shop number, shown in WeChat's bills.
	DeviceInfo string
	Timeout    time.Duration // bounds each request; 10 s when 0
	// HTTPClient replaces the client for requests without the client certificate (tests). The
	// certificate's client is a copy of its transport with the certificate added, or a new one.
	HTTPClient *http.Client
	RootCAs    *x509.CertPool // trusted roots instead of the system's (tests)
}

// Client speaks to WeChat Pay for one merchant. It is safe for concurrent use.
type Client struct {
	cfg        Config
	base       string
	key        []byte
	plain      *http.Client
	secure     *http.Client // with the client certificate; nil without one
	recallWait time.Duration

	mu        sync.Mutex
	presented map[string]bool // references of the Native orders this client made
}

// Errors. Every failure that leaves an order's outcome open wraps ErrUnknownOutcome.
var (
	ErrUnknownOutcome = errors.New("wechatpay: outcome unknown")
	// ErrRefused: WeChat Pay answered, definitely, no (a refund of more than is left, an order not paid).
	ErrRefused = errors.New("wechatpay: refused")
	// ErrCurrency: WeChat Pay's merchant API takes amounts in CNY only.
	ErrCurrency = errors.New("wechatpay: amounts must be in CNY")
	// ErrNoClientCert: reversals and refunds need the merchant's API client certificate.
	ErrNoClientCert = errors.New("wechatpay: no API client certificate (apiclient_cert.pem) configured")
)

var (
	_ app.PaymentGateway   = (*Client)(nil)
	_ app.PaymentRefunder  = (*Client)(nil)
	_ app.PaymentPresenter = (*Client)(nil)
)

// New checks cfg and returns a client for it.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.AppID == "" || cfg.MchID == "":
		return nil, errors.New("wechatpay: AppID and MchID are required")
	case len(cfg.APIKey) != apiKeyLen:
		return nil, fmt.Errorf("wechatpay: the API key has %d bytes, want %d", len(cfg.APIKey), apiKeyLen)
	case strings.TrimSpace(cfg.Body) == "":
		return nil, errors.New("wechatpay: Body (the shop's name on the shopper's bill) is required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = ProductionURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("wechatpay: base URL %q is not an https URL", cfg.BaseURL)
	}
	if cfg.ClientIP == "" {
		cfg.ClientIP = "127.0.0.1"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	c := &Client{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), key: bytes.Clone(cfg.APIKey),
		recallWait: time.Second, presented: map[string]bool{}}
	c.cfg.APIKey = nil // kept once, in c.key
	c.plain = cfg.HTTPClient
	if c.plain == nil {
		c.plain = &http.Client{Timeout: cfg.Timeout, Transport: transport(nil, cfg.RootCAs, nil)}
	}
	if cfg.ClientCert != nil {
		// A transport of its own: its connections carry the certificate, the plain client's never do.
		base, _ := c.plain.Transport.(*http.Transport)
		c.secure = &http.Client{Timeout: cfg.Timeout, Transport: transport(base, cfg.RootCAs, cfg.ClientCert)}
	}
	return c, nil
}

func transport(base *http.Transport, roots *x509.CertPool, cert *tls.Certificate) *http.Transport {
	if base == nil {
		base = http.DefaultTransport.(*http.Transport)
	}
	t := base.Clone()
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		tc = t.TLSClientConfig.Clone()
	}
	if roots != nil {
		tc.RootCAs = roots
	}
	if cert != nil {
		tc.Certificates = []tls.Certificate{*cert}
	}
	t.TLSClientConfig = tc
	return t
}

// Charge charges a pay code (pay/micropay): auth_code is the code, out_trade_no the reference.
func (c *Client) Charge(ctx context.Context, req app.ChargeRequest) (app.PaymentResult, error) {
	fee, err := fen(req.Amount)
	if err == nil {
		err = checkReference(req.Reference)
	}
	if err == nil && req.Code == "" {
		err = errors.New("wechatpay: no pay code")
	}
	if err != nil { // refused here: nothing was sent, no money moved
		return app.PaymentResult{Status: app.PaymentDeclined, Message: err.Error()}, nil
	}
	m, err := c.call(ctx, false, "/pay/micropay", map[string]string{
		"body": truncate(c.cfg.Body, 127), "out_trade_no": req.Reference, "total_fee": strconv.FormatInt(fee, 10),
		"fee_type": "CNY", "spbill_create_ip": c.cfg.ClientIP, "auth_code": req.Code, "device_info": c.cfg.DeviceInfo,
	})
	if err != nil {
		return app.PaymentResult{}, err
	}
	if m["result_code"] == "SUCCESS" {
		if err := sameField(m, "total_fee", strconv.FormatInt(fee, 10), true); err != nil {
			return app.PaymentResult{}, fmt.Errorf("%w: charge %s: %v", ErrUnknownOutcome, req.Reference, err)
		}
		return paid(m, req.Reference)
	}
	if err := sameField(m, "out_trade_no", req.Reference, false); err != nil {
		return app.PaymentResult{}, fmt.Errorf("%w: charge %s: %v", ErrUnknownOutcome, req.Reference, err)
	}
	code := m["err_code"]
	switch {
	case m["result_code"] != "FAIL":
		return app.PaymentResult{}, fmt.Errorf("%w: charge %s: result_code %q", ErrUnknownOutcome, req.Reference, m["result_code"])
	case code == "USERPAYING":
		return app.PaymentResult{Status: app.PaymentPending}, nil
	case code == "ORDERPAID": // this reference was paid before (a retry): the query says by which transaction
		return c.Query(ctx, req.Reference)
	case declines[code]:
		return app.PaymentResult{Status: app.PaymentDeclined, Message: scrub(describe(m), req.Code)}, nil
	}
	// SYSTEMERROR, BANKERROR, OUT_TRADE_NO_USED and codes not known here: the order may exist.
	return app.PaymentResult{}, fmt.Errorf("%w: charge %s: %s", ErrUnknownOutcome, req.Reference, scrub(describe(m), req.Code))
}

// declines are micropay's error codes after which no money moved and none will for the order.
var declines = map[string]bool{
	"AUTHCODEEXPIRE": true, "AUTH_CODE_ERROR": true, "AUTH_CODE_INVALID": true, "NOTENOUGH": true,
	"NOTSUPORTCARD": true, "ORDERCLOSED": true, "ORDERREVERSED": true, "BUYER_MISMATCH": true,
	"TRADE_ERROR": true, "PARAM_ERROR": true, "NOAUTH": true, "LACK_PARAMS": true, "INVALID_REQUEST": true,
	"APPID_NOT_EXIST": true, "MCHID_NOT_EXIST": true, "APPID_MCHID_NOT_MATCH": true, "SIGNERROR": true,
	"XML_FORMAT_ERROR": true, "REQUIRE_POST_METHOD": true, "POST_DATA_EMPTY": true, "NOT_UTF8": true,
}

// Query asks where the order with reference stands (pay/orderquery by out_trade_no).
func (c *Client) Query(ctx context.Context, reference string) (app.PaymentResult, error) {
	m, err := c.orderQuery(ctx, reference)
	if err != nil {
		return app.PaymentResult{}, err
	}
	if m == nil {
		return app.PaymentResult{Status: app.PaymentNotFound}, nil
	}
	switch state := m["trade_state"]; state {
	case "SUCCESS", "REFUND":
		return paid(m, reference)
	case "NOTPAY", "USERPAYING", "ACCEPT":
		return app.PaymentResult{Status: app.PaymentPending}, nil
	case "CLOSED", "REVOKED", "PAYERROR":
		msg := m["trade_state_desc"]
		if msg == "" {
			msg = state
		}
		return app.PaymentResult{Status: app.PaymentDeclined, Message: msg}, nil
	default:
		return app.PaymentResult{}, fmt.Errorf("%w: %s has trade_state %q", ErrUnknownOutcome, reference, state)
	}
}

// orderQuery returns the verified reply of a successful orderquery for reference, or nil when WeChat
// has no such order.
func (c *Client) orderQuery(ctx context.Context, reference string) (map[string]string, error) {
	m, err := c.call(ctx, false, "/pay/orderquery", map[string]string{"out_trade_no": reference})
	if err != nil {
		return nil, err
	}
	switch {
	case m["result_code"] == "FAIL" && m["err_code"] == "ORDERNOTEXIST":
		return nil, nil
	case m["result_code"] != "SUCCESS":
		return nil, fmt.Errorf("%w: query %s: %s", ErrUnknownOutcome, reference, describe(m))
	}
	if err := sameField(m, "out_trade_no", reference, true); err != nil {
		return nil, fmt.Errorf("%w: query %s: %v", ErrUnknownOutcome, reference, err)
	}
	return m, nil
}

// paid reads a verified successful payment for reference.
func paid(m map[string]string, reference string) (app.PaymentResult, error) {
	if err := sameField(m, "out_trade_no", reference, true); err != nil {
		return app.PaymentResult{}, fmt.Errorf("%w: %s: %v", ErrUnknownOutcome, reference, err)
	}
	if m["transaction_id"] == "" {
		return app.PaymentResult{}, fmt.Errorf("%w: %s paid without a transaction_id", ErrUnknownOutcome, reference)
	}
	return app.PaymentResult{Status: app.PaymentPaid, TransactionID: m["transaction_id"]}, nil
}

// maxRecalls bounds the reversal calls WeChat may ask for with recall=Y.
const maxRecalls = 5

// Reverse cancels the order with reference, refunding the shopper if it was paid: secapi/pay/reverse
// with the client certificate, called again while WeChat answers recall=Y. An order WeChat does not
// have is success: no money stays taken. A Native order this client presented is closed instead.
func (c *Client) Reverse(ctx context.Context, reference string) error {
	if c.wasPresented(reference) {
		return c.closeOrder(ctx, reference)
	}
	for attempt := 1; ; attempt++ {
		m, err := c.call(ctx, true, "/secapi/pay/reverse", map[string]string{"out_trade_no": reference})
		if err != nil {
			return err
		}
		if err := sameField(m, "out_trade_no", reference, false); err != nil {
			return fmt.Errorf("%w: reverse %s: %v", ErrUnknownOutcome, reference, err)
		}
		recall := m["recall"] == "Y"
		switch {
		case m["result_code"] == "SUCCESS" && !recall:
			return nil
		case m["result_code"] == "FAIL" && m["err_code"] == "ORDERNOTEXIST":
			return nil
		case !recall:
			return fmt.Errorf("%w: reverse %s: %s", ErrUnknownOutcome, reference, describe(m))
		case attempt == maxRecalls:
			return fmt.Errorf("%w: reverse %s: still asked to call again after %d calls", ErrUnknownOutcome, reference, attempt)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: reverse %s: %v", ErrUnknownOutcome, reference, ctx.Err())
		case <-time.After(c.recallWait):
		}
	}
}

// closeOrder cancels a Native order (pay/closeorder); one the shopper paid meanwhile is refunded whole.
// WeChat documents that an order cannot be closed in its first 5 minutes: an error then says so.
func (c *Client) closeOrder(ctx context.Context, reference string) error {
	m, err := c.call(ctx, false, "/pay/closeorder", map[string]string{"out_trade_no": reference})
	if err != nil {
		return err
	}
	switch {
	case m["result_code"] == "SUCCESS":
		return nil
	case m["err_code"] == "ORDERCLOSED" || m["err_code"] == "ORDERNOTEXIST":
		return nil
	case m["err_code"] == "ORDERPAID":
		q, err := c.orderQuery(ctx, reference)
		if err != nil {
			return err
		}
		if q == nil {
			return fmt.Errorf("%w: close %s: paid, then not found", ErrUnknownOutcome, reference)
		}
		total, err := strconv.ParseInt(q["total_fee"], 10, 64)
		if err != nil || total <= 0 {
			return fmt.Errorf("%w: close %s: total_fee %q", ErrUnknownOutcome, reference, q["total_fee"])
		}
		return c.refund(ctx, reference, "rev-"+reference, total, total)
	}
	return fmt.Errorf("%w: close %s: %s", ErrUnknownOutcome, reference, describe(m))
}

// Refund gives back req.Amount of the paid order req.Reference, once per req.RefundReference
// (out_refund_no): secapi/pay/refund with the client certificate, after an orderquery for the order's
// total_fee. An error wrapping ErrRefused is WeChat's definite no; any other may be retried with the
// same request.
func (c *Client) Refund(ctx context.Context, req app.RefundRequest) error {
	fee, err := fen(req.Amount)
	if err != nil {
		return err
	}
	if req.RefundReference == "" || len(req.RefundReference) > 64 {
		return fmt.Errorf("wechatpay: refund reference %q: want 1 to 64 characters", req.RefundReference)
	}
	if err := checkReference(req.Reference); err != nil {
		return err
	}
	if c.secure == nil {
		return ErrNoClientCert
	}
	m, err := c.orderQuery(ctx, req.Reference)
	if err != nil {
		return err
	}
	if m == nil {
		return fmt.Errorf("%w: refund %s: WeChat Pay has no order %s", ErrRefused, req.RefundReference, req.Reference)
	}
	if s := m["trade_state"]; s != "SUCCESS" && s != "REFUND" {
		return fmt.Errorf("%w: refund %s: order %s is %s, not paid", ErrRefused, req.RefundReference, req.Reference, s)
	}
	total, err := strconv.ParseInt(m["total_fee"], 10, 64)
	if err != nil || total <= 0 {
		return fmt.Errorf("%w: refund %s: order total_fee %q", ErrUnknownOutcome, req.RefundReference, m["total_fee"])
	}
	if fee > total {
		return fmt.Errorf("%w: refund %s: %d fen is more than order %s's %d", ErrRefused, req.RefundReference, fee, req.Reference, total)
	}
	return c.refund(ctx, req.Reference, req.RefundReference, total, fee)
}

func (c *Client) refund(ctx context.Context, reference, refundRef string, total, fee int64) error {
	m, err := c.call(ctx, true, "/secapi/pay/refund", map[string]string{
		"out_trade_no": reference, "out_refund_no": refundRef, "total_fee": strconv.FormatInt(total, 10),
		"refund_fee": strconv.FormatInt(fee, 10), "refund_fee_type": "CNY",
	})
	if err != nil {
		return err
	}
	switch m["result_code"] {
	case "SUCCESS":
		for _, f := range []struct{ name, want string }{{"out_trade_no", reference}, {"out_refund_no", refundRef},
			{"refund_fee", strconv.FormatInt(fee, 10)}} {
			if err := sameField(m, f.name, f.want, true); err != nil {
				return fmt.Errorf("%w: refund %s: %v", ErrUnknownOutcome, refundRef, err)
			}
		}
		return nil // accepted: WeChat pays it out, and refunds an out_refund_no once
	case "FAIL":
		switch m["err_code"] {
		case "SYSTEMERROR", "BIZERR_NEED_RETRY", "FREQUENCY_LIMITED":
			return fmt.Errorf("%w: refund %s: %s", ErrUnknownOutcome, refundRef, describe(m))
		}
		return fmt.Errorf("%w: refund %s of %s: %s", ErrRefused, refundRef, reference, describe(m))
	}
	return fmt.Errorf("%w: refund %s: result_code %q", ErrUnknownOutcome, refundRef, m["result_code"])
}

// Present makes a Native order (pay/unifiedorder, trade_type NATIVE) and returns its code_url, which
// the customer display shows as a QR code. The order is remembered, so Reverse closes it.
func (c *Client) Present(ctx context.Context, req app.PresentRequest) (string, error) {
	fee, err := fen(req.Amount)
	if err != nil {
		return "", err
	}
	if err := checkReference(req.Reference); err != nil {
		return "", err
	}
	if c.cfg.NotifyURL == "" {
		return "", errors.New("wechatpay: a Native order needs NotifyURL")
	}
	body := strings.TrimSpace(req.Subject)
	if body == "" {
		body = c.cfg.Body
	}
	c.mu.Lock()
	c.presented[req.Reference] = true // before sending: an order made but not heard of is closed too
	c.mu.Unlock()
	m, err := c.call(ctx, false, "/pay/unifiedorder", map[string]string{
		"body": truncate(body, 127), "out_trade_no": req.Reference, "total_fee": strconv.FormatInt(fee, 10),
		"fee_type": "CNY", "spbill_create_ip": c.cfg.ClientIP, "notify_url": c.cfg.NotifyURL,
		"trade_type": "NATIVE", "product_id": req.Reference, "device_info": c.cfg.DeviceInfo,
	})
	if err != nil {
		return "", err
	}
	if m["result_code"] != "SUCCESS" {
		return "", fmt.Errorf("wechatpay: Native order %s: %s", req.Reference, describe(m))
	}
	if err := sameField(m, "trade_type", "NATIVE", false); err != nil {
		return "", fmt.Errorf("%w: Native order %s: %v", ErrUnknownOutcome, req.Reference, err)
	}
	if m["code_url"] == "" {
		return "", fmt.Errorf("%w: Native order %s: no code_url", ErrUnknownOutcome, req.Reference)
	}
	return m["code_url"], nil
}

func (c *Client) wasPresented(reference string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.presented[reference]
}

// call signs and sends params to path, and returns the reply if it can be trusted: return_code SUCCESS,
// a signature that verifies under the API key, and this merchant's appid and mch_id. Anything else is
// an error wrapping ErrUnknownOutcome. Errors never carry the request (it holds the pay code).
func (c *Client) call(ctx context.Context, secure bool, path string, params map[string]string) (map[string]string, error) {
	hc := c.plain
	if secure {
		if c.secure == nil {
			return nil, ErrNoClientCert
		}
		hc = c.secure
	}
	params["appid"], params["mch_id"], params["nonce_str"], params["sign_type"] = c.cfg.AppID, c.cfg.MchID, nonce(), signType
	for k, v := range params {
		if v == "" {
			delete(params, k) // an empty field is neither signed nor sent
		}
	}
	params["sign"] = Sign(params, c.key)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(encodeXML(params)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnknownOutcome, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: reading the reply: %v", ErrUnknownOutcome, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s: HTTP %s", ErrUnknownOutcome, path, resp.Status)
	}
	m, err := decodeXML(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: unreadable reply: %v", ErrUnknownOutcome, path, err)
	}
	if m["return_code"] != "SUCCESS" { // not a business answer: the request was not taken in
		return nil, fmt.Errorf("%w: %s: return_code %q: %s", ErrUnknownOutcome, path, m["return_code"], truncate(m["return_msg"], 200))
	}
	if !verify(m, c.key) {
		return nil, fmt.Errorf("%w: %s: the reply's signature does not verify", ErrUnknownOutcome, path)
	}
	if st := m["sign_type"]; st != "" && st != signType {
		return nil, fmt.Errorf("%w: %s: reply signed with %q", ErrUnknownOutcome, path, st)
	}
	for _, f := range []struct{ name, want string }{{"appid", c.cfg.AppID}, {"mch_id", c.cfg.MchID}} {
		if err := sameField(m, f.name, f.want, false); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnknownOutcome, path, err)
		}
	}
	return m, nil
}

// sameField checks that reply field name is want; an absent field passes unless required.
func sameField(m map[string]string, name, want string, required bool) error {
	got, ok := m[name]
	if (!ok || got == "") && !required {
		return nil
	}
	if got != want {
		return fmt.Errorf("reply has %s %q, want %q", name, got, want)
	}
	return nil
}

// describe is WeChat's reason in a business failure: "err_code_des (err_code)".
func describe(m map[string]string) string {
	des, code := truncate(m["err_code_des"], 200), m["err_code"]
	switch {
	case des == "" && code == "":
		return "result_code " + m["result_code"]
	case des == "":
		return code
	case code == "":
		return des
	}
	return des + " (" + code + ")"
}

// scrub replaces a pay code in text by its safe form, should WeChat ever quote it back.
func scrub(text, code string) string {
	if len(code) < 6 {
		return text
	}
	return strings.ReplaceAll(text, code, barcode.LogSafe(code))
}

// fen is amount as total_fee: integer fen of a positive CNY amount.
func fen(amount money.Amount) (int64, error) {
	if amount.Currency().Code != "CNY" {
		return 0, fmt.Errorf("%w, not %q", ErrCurrency, amount.Currency().Code)
	}
	if amount.Minor() <= 0 || amount.Minor() > 1<<31-1 {
		return 0, fmt.Errorf("wechatpay: amount %s out of range", amount)
	}
	return amount.Minor(), nil
}

// checkReference checks an out_trade_no: 1 to 32 letters, digits and _-|*.
func checkReference(ref string) error {
	if ref == "" || len(ref) > 32 || strings.Trim(ref, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-|*") != "" {
		return fmt.Errorf("wechatpay: reference %q: want 1 to 32 letters, digits or _-|*", ref)
	}
	return nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
